"""What the interop driver scripts (catalog_interop.py, compaction_interop.py) share: an
isolated DeltaCAT environment, the catalog under test, row dumps, and the step loop.

    import interop_steps
    interop_steps.isolate_environment("dc-x-interop-")   # before deltacat is imported
    ...
    interop_steps.main({"op": handler(step, out), ...}, keep_going=...)
"""
from __future__ import annotations

import atexit
import json
import os
import shutil
import sys
import tempfile
import time
import traceback

#: The name the catalog under test is registered under.
CATALOG = "interop"


def isolate_environment(prefix: str) -> None:
    """Points DeltaCAT's config and log files into a fresh temporary directory (unless the
    caller set them). Must run before deltacat is imported: it reads them at import."""
    scratch = tempfile.mkdtemp(prefix=prefix)
    # Removed at exit: Ray and DeltaCAT write logs here, and nothing reads them afterwards.
    atexit.register(shutil.rmtree, scratch, ignore_errors=True)
    os.environ.setdefault("DELTACAT_CONFIG_PATH", os.path.join(scratch, "config.yaml"))
    os.environ.setdefault("DELTACAT_SYS_LOG_DIR", os.path.join(scratch, "logs"))
    os.environ.setdefault("DELTACAT_APP_LOG_DIR", os.path.join(scratch, "logs"))
    os.environ.setdefault("RAY_DEDUP_LOGS", "0")


def jsonable(value):
    """A cell as JSON can hold it (NaN as the string "NaN")."""
    if isinstance(value, float) and value != value:
        return "NaN"
    return value


def table_rows(table, ordered: bool = False) -> list:
    """Every row of a pyarrow table as dicts, sorted by their JSON text unless `ordered`."""
    rows = [{k: jsonable(v) for k, v in r.items()} for r in table.to_pylist()]
    if not ordered:
        rows.sort(key=lambda r: json.dumps(r, sort_keys=True))
    return rows


def main(handlers: dict, keep_going: bool) -> None:
    """Runs `argv`'s ROOT STEPS.json OUT.json: opens ROOT as the catalog CATALOG (local Ray
    with $DELTACAT_INTEROP_RAY_CPUS CPUs, default 1), runs each step with handlers[step["op"]]
    (step, out), records each step's seconds in OUT["timings"], and writes OUT.json. With
    `keep_going` an exception in a step is recorded as OUT["errors"][index] and the run goes
    on; otherwise it ends the run."""
    import deltacat as dc

    root, steps_path, out_path = sys.argv[1:4]
    with open(steps_path) as f:
        steps = json.load(f)
    cpus = int(os.environ.get("DELTACAT_INTEROP_RAY_CPUS", "1"))
    dc.init(ray_init_args={"num_cpus": cpus, "include_dashboard": False, "log_to_driver": False})
    dc.put_catalog(CATALOG, dc.Catalog(config=dc.CatalogProperties(root=root)), default=True)
    out = {"errors": {}, "timings": []}
    for index, step in enumerate(steps):
        op = step["op"]
        start = time.monotonic()
        try:
            if op not in handlers:
                raise ValueError(f"unknown op {op}")
            handlers[op](step, out)
        except Exception as e:
            if not keep_going:
                raise
            out["errors"][str(index)] = f"{type(e).__name__}: {e}"
            print(traceback.format_exc(), file=sys.stderr)
        out["timings"].append({"op": op, "seconds": time.monotonic() - start})
    with open(out_path, "w") as f:
        json.dump(out, f, indent=1, default=str)
