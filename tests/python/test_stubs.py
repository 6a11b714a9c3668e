"""The hand-kept type stub _native.pyi declares exactly what the extension defines."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from deltacat_cpp import _native

STUB = Path(_native.__file__).with_name("_native.pyi")


def _stub_names() -> dict:
    """{top-level name: set of member names (empty for functions and constants)}.

    __init__ is left out: nanobind gives every class one (raising for classes that have no
    constructor)."""
    tree = ast.parse(STUB.read_text())
    names = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            names[node.name] = {
                item.name
                for item in node.body
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))
                and item.name != "__init__"
            }
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names[node.name] = set()
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names[node.target.id] = set()
    return names


def _module_names() -> dict:
    names = {}
    for name, value in vars(_native).items():
        if name.startswith("__") and name != "__version__":
            continue
        if inspect.isclass(value):
            names[name] = {
                member
                for member in vars(value)
                if not member.startswith("__") or member == "__repr__"
            }
        else:
            names[name] = set()
    return names


def test_stub_is_installed_with_the_package():
    assert STUB.is_file()
    assert STUB.with_name("py.typed").is_file()


def test_stub_matches_the_module():
    stub, module = _stub_names(), _module_names()
    assert sorted(set(module) - set(stub)) == [], "defined but not in _native.pyi"
    assert sorted(set(stub) - set(module) - {"Properties"}) == [], "in _native.pyi but not defined"
    for name, members in module.items():
        assert members == stub[name], name
