"""The README's CLI walk runs exactly as written (on a temporary catalog) and does what the
README says it does; examples/quickstart/cli_walkthrough.sh holds the same commands."""

import json
import re
import subprocess

from conftest import BUILD_DIR, REPO_ROOT

DEMO_ROOT = "/tmp/deltacat-cli-demo"


def cli_walk() -> str:
    readme = (REPO_ROOT / "README.md").read_text()
    section = readme[readme.index("### The same walk with the CLI"):]
    return re.search(r"```shell\n(.*?)```", section, re.S).group(1)


def test_the_walkthrough_script_is_the_readme_walk():
    script = (REPO_ROOT / "examples" / "quickstart" / "cli_walkthrough.sh").read_text()
    body = script[script.index("set -euo pipefail\n") + len("set -euo pipefail\n"):]
    assert body == cli_walk(), "examples/quickstart/cli_walkthrough.sh differs from the README"


def test_readme_cli_walk_runs_as_written(tmp_path):
    assert (BUILD_DIR / "bin" / "deltacat").exists(), "run `make build` first"
    script = cli_walk()
    assert DEMO_ROOT in script
    script = script.replace(DEMO_ROOT, str(tmp_path / "catalog"))
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=REPO_ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout

    # The pretty read after upsert + delete: ann, bob at 43, dee; cy deleted.
    pretty_reads = out.split("id | name | age")
    assert len(pretty_reads) == 3, out
    now = pretty_reads[1][:pretty_reads[1].index("rows)")]
    then = pretty_reads[2][:pretty_reads[2].index("rows)")]
    assert "(3" in now and "43" in now and "dee" in now and "cy" not in now
    # Time travel to before the upsert: bob was 42, cy still there, no dee.
    assert "42" in then and "cy" in then and "dee" not in then
    # The filtered projection.
    assert re.search(r"id \| name\n-+\+-+\n2\s+\| bob\s*\n\(1 row\)", out), out
    # The compacted table as JSON lines.
    rows = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert sorted(r["id"] for r in rows) == [1, 2, 4]
    assert {"id": 2, "name": "bob", "age": 43} in rows
    assert "id: int64 [merge key]" in out
