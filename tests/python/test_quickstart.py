"""The Python quick starts run as written (on a temporary catalog): the one in
python/README.md and the one in the top-level README.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PLACEHOLDER = '"/tmp/deltacat-quickstart"'


def _python_quickstart(readme: Path) -> str:
    """The first ```python block of `readme` that imports deltacat_cpp ("" if none)."""
    for block in re.findall(r"```python\n(.*?)```", readme.read_text(), re.S):
        if "import deltacat_cpp" in block:
            return block
    return ""


def _run(snippet: str, tmp_path: Path, origin: Path) -> None:
    assert PLACEHOLDER in snippet, f"the quick start should use the catalog {PLACEHOLDER}"
    snippet = snippet.replace(PLACEHOLDER, repr(str(tmp_path / "lake")))
    exec(compile(snippet, str(origin), "exec"), {})


def test_python_readme_quickstart_runs(tmp_path, capsys, fresh_registry):
    readme = REPO / "python" / "README.md"
    snippet = _python_quickstart(readme)
    assert snippet, f"{readme} has no Python quick start"
    _run(snippet, tmp_path, readme)
    printed = capsys.readouterr().out
    assert "pyarrow.Table" in printed
    assert "more users" in printed


def test_top_level_readme_quickstart_runs(tmp_path, capsys, fresh_registry):
    readme = REPO / "README.md"
    snippet = _python_quickstart(readme)
    if not snippet:
        pytest.skip("README.md has no Python quick start yet")
    _run(snippet, tmp_path, readme)
    printed = capsys.readouterr().out
    assert "pyarrow.Table" in printed
    assert "'id': 4" in printed
