#!/usr/bin/env python3
"""Ray-executor overhead: the same compaction with compact(executor="local") and
compact(executor="ray") on one machine.

    python bench/ray_overhead_benchmark.py [--rows 200000] [--increments 3] [--cpus 2]
        [--build-dir build] [--repeat 3] [--markdown BENCHMARKS.md]

The benchmark generator (build/bin/compaction_bench generate) makes a catalog with one
merge-keyed table (a backfill and --increments UPSERT + DELETE rounds, not compacted). Fresh
copies of it are compacted by the local executor (a thread pool of --cpus threads) and by the
Ray executor on a local Ray cluster of --cpus CPUs started for the benchmark (its start-up is
not timed; the first Ray compaction, which also starts the workers, is reported separately as
"cold"). Reported: wall time of each (median of --repeat runs) and the ratio ray/local, and
the rows are checked to be equal. Needs deltacat_cpp and ray in this interpreter.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def generate(bench: str, root: str, rows: int, increments: int) -> None:
    subprocess.run(
        [bench, "generate", root, "--rows", str(rows), "--increments", str(increments),
         "--seed", "11"],
        check=True, capture_output=True,
    )  # fmt: skip


def timed_compaction(dc, source: str, work: str, executor: str, threads: int) -> float:
    """Compacts a fresh copy of `source`; returns the wall time in seconds."""
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(source, work)
    catalog = dc.Catalog(work)
    started = time.perf_counter()
    if executor == "local":
        dc.compact("orders", "bench", executor="local", threads=threads, catalog=catalog)
    else:
        dc.compact("orders", "bench", executor="ray", catalog=catalog)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--increments", type=int, default=3)
    parser.add_argument("--cpus", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--build-dir", default=os.path.join(REPO, "build"))
    parser.add_argument("--markdown", default=None, help="append the results to this file")
    args = parser.parse_args()

    import ray

    import deltacat_cpp as dc

    bench = os.path.join(args.build_dir, "bin", "compaction_bench")
    if not os.path.isfile(bench):
        print(f"error: {bench} is missing: run make build", file=sys.stderr)
        return 1
    temp = tempfile.mkdtemp(prefix="dc-ray-bench-", dir="/tmp")
    try:
        source = os.path.join(temp, "source")
        generate(bench, source, args.rows, args.increments)
        # A local Ray instance owned by this process (ray.shutdown() stops it).
        ray.init(
            num_cpus=args.cpus,
            include_dashboard=False,
            log_to_driver=False,
            _temp_dir=os.path.join(temp, "ray"),
        )
        try:
            cold = timed_compaction(dc, source, os.path.join(temp, "w"), "ray", args.cpus)
            local, distributed = [], []
            for _ in range(args.repeat):
                local.append(timed_compaction(dc, source, os.path.join(temp, "l"), "local", args.cpus))
                distributed.append(timed_compaction(dc, source, os.path.join(temp, "r"), "ray", args.cpus))
            expected = dc.read("orders", "bench", catalog=dc.Catalog(os.path.join(temp, "l")))
            actual = dc.read("orders", "bench", catalog=dc.Catalog(os.path.join(temp, "r")))
            if not actual.sort_by("pk").equals(expected.sort_by("pk")):
                print("error: the Ray executor's rows differ from the local executor's", file=sys.stderr)
                return 1
            rows = expected.num_rows
        finally:
            ray.shutdown()
    finally:
        shutil.rmtree(temp, ignore_errors=True)

    local_s, ray_s = statistics.median(local), statistics.median(distributed)
    lines = [
        f"### Ray executor overhead ({datetime.date.today().isoformat()})",
        "",
        f"`python bench/ray_overhead_benchmark.py --rows {args.rows} --increments "
        f"{args.increments} --cpus {args.cpus} --repeat {args.repeat}` "
        f"({rows} output rows, one machine, {args.cpus} CPUs)",
        "",
        "| executor | wall time (median) |",
        "|---|---|",
        f"| local (thread pool) | {local_s:.3f} s |",
        f"| ray (warm workers) | {ray_s:.3f} s |",
        f"| ray (first run, cold workers) | {cold:.3f} s |",
        "",
        f"Ray / local: **{ray_s / local_s:.2f}x** (overhead {ray_s - local_s:+.3f} s per compaction)",
        "",
    ]
    print("\n".join(lines))
    if args.markdown:
        with open(args.markdown, "a") as out:
            out.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
