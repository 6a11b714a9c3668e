"""The quick start in python/README.md runs as written (on a temporary catalog)."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "python" / "README.md"


def test_readme_quickstart_runs(tmp_path, capsys, fresh_registry):
    text = README.read_text()
    section = text[text.index("## Quick start") :]
    snippet = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    assert '"/tmp/deltacat-quickstart"' in snippet
    snippet = snippet.replace('"/tmp/deltacat-quickstart"', repr(str(tmp_path / "lake")))
    exec(compile(snippet, str(README), "exec"), {})
    printed = capsys.readouterr().out
    assert "pyarrow.Table" in printed
    assert "more users" in printed
