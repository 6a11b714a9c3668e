"""The installed package: what it loads, what it exports, and its pyarrow check."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pyarrow as pa

import deltacat_cpp
from deltacat_cpp import _native


def _loaded_libraries() -> dict:
    """{library file name: the path it was loaded from} for this process."""
    loaded = {}
    for line in Path("/proc/self/maps").read_text().splitlines():
        parts = line.split()
        if len(parts) >= 6 and parts[5].startswith("/"):
            loaded.setdefault(os.path.basename(parts[5]), parts[5])
    return loaded


def test_version_matches_the_version_file():
    version_file = Path(__file__).resolve().parents[2] / "VERSION"
    assert deltacat_cpp.__version__ == version_file.read_text().strip()
    assert _native.version_string() == (
        f"deltacat-cpp {deltacat_cpp.__version__} (arrow {pa.__version__})"
    )


def test_extension_uses_pyarrows_own_libarrow():
    loaded = _loaded_libraries()
    pyarrow_dir = os.path.realpath(os.path.dirname(pa.__file__))
    assert os.path.realpath(os.path.dirname(loaded["libarrow.so.1600"])) == pyarrow_dir
    # One libarrow in the process: the extension did not bring its own.
    assert sum(name.startswith("libarrow.so") for name in loaded) == 1
    assert _native.ARROW_VERSION == pa.__version__ == deltacat_cpp.PYARROW_VERSION


def test_libdeltacat_is_bundled_in_the_package():
    package_dir = os.path.realpath(os.path.dirname(deltacat_cpp.__file__))
    assert os.path.isfile(os.path.join(package_dir, "libdeltacat.so.0"))
    loaded = _loaded_libraries()
    assert os.path.realpath(os.path.dirname(loaded["libdeltacat.so.0"])) == package_dir


def test_every_exported_name_exists():
    missing = [name for name in deltacat_cpp.__all__ if not hasattr(deltacat_cpp, name)]
    assert missing == []
    assert len(set(deltacat_cpp.__all__)) == len(deltacat_cpp.__all__)


def test_python_deltacat_names_are_exported():
    for name in [
        "init",
        "init_local",
        "get_catalog",
        "put_catalog",
        "pop_catalog",
        "clear_catalogs",
        "is_initialized",
        "create_namespace",
        "get_namespace",
        "list_namespaces",
        "namespace_exists",
        "alter_namespace",
        "drop_namespace",
        "default_namespace",
        "create_table",
        "get_table",
        "list_tables",
        "table_exists",
        "alter_table",
        "drop_table",
        "rename_table",
        "truncate_table",
        "refresh_table",
        "write",
        "write_to_table",
        "read",
        "read_table",
        "transaction",
        "transactions",
        "read_transaction",
        "TableWriteMode",
        "ContentType",
        "LifecycleState",
        "DatasetType",
        "TableProperty",
    ]:
        assert name in deltacat_cpp.__all__, name
    assert deltacat_cpp.write_to_table is deltacat_cpp.write
    assert deltacat_cpp.read_table is deltacat_cpp.read


def _import_with_fake_pyarrow(tmp_path: Path, fake_init: str) -> subprocess.CompletedProcess:
    fake = tmp_path / "fake" / "pyarrow"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text(textwrap.dedent(fake_init))
    # The fake pyarrow goes first; the rest of the path still finds deltacat_cpp.
    path = os.pathsep.join(p for p in [str(tmp_path / "fake"), os.environ.get("PYTHONPATH")] if p)
    env = dict(os.environ, PYTHONPATH=path)
    return subprocess.run(
        [sys.executable, "-c", "import deltacat_cpp"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_import_refuses_a_mismatched_pyarrow(tmp_path):
    result = _import_with_fake_pyarrow(tmp_path, '__version__ = "15.0.2"\n')
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("ImportError: ")
    assert "built against pyarrow 16.0.0" in last_line
    assert "pyarrow 15.0.2" in last_line
    assert "pip install pyarrow==16.0.0" in last_line


def test_import_explains_a_missing_pyarrow(tmp_path):
    result = _import_with_fake_pyarrow(tmp_path, 'raise ImportError("no pyarrow here")\n')
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("ImportError: ")
    assert "needs pyarrow==16.0.0" in last_line
    assert "no pyarrow here" in last_line
