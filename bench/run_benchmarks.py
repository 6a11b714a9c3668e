#!/usr/bin/env python3
"""`make benchmark`: every benchmark of the project in one run, written to BENCHMARKS.md.

    python bench/run_benchmarks.py [--build-dir build] [--quick] [--interop-python PY]
        [--threads N] [--markdown BENCHMARKS.md] [--only storage,catalog,compaction,ray]

Each figure is reported next to a reference measured in the same run, as a ratio:

  Storage (issue 3)    1,000 small commits to one table (Catalog::Write APPEND, one
                       transaction each) vs Python deltacat's write_to_table doing the same;
                       opening a table and listing a partition of 1,000 and 10,000 deltas, vs
                       Python deltacat's metastore on the same catalog.
  Catalog (issue 4)    write throughput vs Arrow's Parquet writer (and Python deltacat's
                       write_to_table); read throughput vs pyarrow.dataset reading the same
                       Parquet files; merge-on-read vs reading the compacted table.
  Compaction (issue 5) bench/compaction_benchmark.py: 10M-row backfill + 9 increments, ours vs
                       Python's compactor v2 on Ray vs the Arrow floor, a 1%-update round, and
                       a compaction under a memory budget several times smaller than the input.
  Ray (hook)           bench/ray_overhead_benchmark.py when it exists (the same compaction with
                       deltacat_cpp's local and Ray executors); it is run with this Python as
                       `bench/ray_overhead_benchmark.py --build-dir DIR --cpus N` (--quick:
                       `--rows 50000 --repeat 1`) and its stdout (Markdown) goes into the
                       report as it is.

--quick runs everything at a small scale (a smoke run, minutes); the default scale is the
one the issues ask for (on 2 cores, expect an hour or more, most of it Python).
Peak memory is the peak PSS of the whole process tree (sampled), or the process's own
maximum RSS when larger (short runs the sampler misses).
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import compaction_benchmark as cb  # noqa: E402

SCALES = {
    # commits, history steps, write/read rows, compaction rows, increments, bounded budget
    "full": {"commits": 1000, "history": [1000, 10000], "rows": 10_000_000,
             "compaction_rows": 10_000_000, "increments": 9,
             "bounded_budgets": [256 << 20, 512 << 20]},
    "quick": {"commits": 50, "history": [100, 1000], "rows": 200_000,
              "compaction_rows": 200_000, "increments": 3, "bounded_budgets": [16 << 20]},
}


def mib(x: float) -> float:
    return x / (1 << 20)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.2f}"


def peak(result: dict, sampled: int) -> int:
    return max(sampled, int(result.get("peak_rss_bytes", 0)))


def measure(command: list[str]) -> dict:
    """Runs a benchmark driver; its JSON result plus wall time and peak memory."""
    print("+ " + shlex.join(command), file=sys.stderr, flush=True)
    result, wall, sampled, _ = cb.run(command)
    result = result or {}
    result["wall_seconds"] = wall
    result["peak_bytes"] = peak(result, sampled)
    shown = {k: v for k, v in result.items() if k != "files"}
    print(f"  -> {json.dumps(shown)}", file=sys.stderr, flush=True)
    return result


def measure_reference(command: list[str], report: "Report") -> dict | None:
    """measure() for a reference point: a failure is reported in BENCHMARKS.md, not fatal."""
    try:
        return measure(command)
    except RuntimeError as e:
        print(f"  -> reference failed: {e}", file=sys.stderr, flush=True)
        lines = str(e).strip().splitlines()
        report.add(f"**Reference run failed:** `{shlex.join(command[1:3])}`: "
                   f"`{lines[-1][:300] if lines else e}`", "")
        return None


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = ""
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
        memory = f", {kb / (1 << 20):.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    load = os.getloadavg()
    return (f"{model}, {os.cpu_count()} CPUs visible{memory}, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}; load average "
            f"{load[0]:.1f} at the start (the machine is shared, so absolute times are noisy; "
            f"the ratios are measured back to back in the same run)")


def git_commit() -> str:
    try:
        out = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", REPO, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.strip()
        return out + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


class Report:
    def __init__(self):
        self.lines: list[str] = []
        self.goals: list[tuple[str, str, str]] = []  # (goal, measured, verdict)

    def add(self, *lines: str):
        self.lines.extend(lines)

    def goal(self, goal: str, measured: str, met: bool | None):
        verdict = "n/a" if met is None else ("met" if met else "**missed**")
        self.goals.append((goal, measured, verdict))


# --- Storage (issue 3) ----------------------------------------------------------------------

def storage(args, scale, work, report: Report):
    bin_dir = os.path.join(args.build_dir, "bin")
    catalog_bench = os.path.join(bin_dir, "catalog_bench")
    py = args.interop_python
    ref = os.path.join(HERE, "python_reference.py")
    count = scale["commits"]

    ours = measure([catalog_bench, "commits", os.path.join(work, "commits-ours"),
                    "--count", str(count)])
    pyr = (measure_reference([py, ref, "commits", os.path.join(work, "commits-py"), "--count",
                              str(count)], report) if py else None)
    report.add("## Storage (issue 3)", "",
               f"### Commit latency: {count:,} small commits to one table", "",
               "Each commit is a write of 10 rows appended to one table: a Parquet file and one "
               "transaction (a new delta, the partition's stream position moved). The table has "
               "`read_optimization_level: none` in both, so that an append neither compacts "
               "inline (by default every 100 appended deltas) nor reads every delta since the last "
               "compaction to check that trigger (both implementations do that at the default "
               "level, which makes a commit O(history) until the trigger fires). Ours: "
               "`Catalog::Write` (`catalog_bench commits`); Python: deltacat 2.0.0.post4 "
               "`write_to_table(mode=APPEND)` (`python_reference.py commits`), same data.", "",
               "| | mean ms | median ms | p99 ms | first 10% mean ms | last 10% mean ms | "
               "commits/s | peak memory MiB |",
               "|---|---:|---:|---:|---:|---:|---:|---:|")

    def row(name, r):
        report.add(f"| {name} | {ms(r['latency_mean'])} | {ms(r['latency_median'])} | "
                   f"{ms(r['latency_p99'])} | {ms(r['first_tenth_mean'])} | "
                   f"{ms(r['last_tenth_mean'])} | {r['commits'] / r['seconds']:,.1f} | "
                   f"{mib(r['peak_bytes']):,.0f} |")

    row("ours (C++)", ours)
    if pyr:
        row(f"Python DeltaCAT ({pyr['commits']:,} commits)" if pyr.get("failed_at_commit")
            else "Python DeltaCAT", pyr)
        ratio = pyr["latency_mean"] / ours["latency_mean"]
        report.add("", f"Ratio: ours is **{ratio:.1f}x** faster per commit (mean latency, "
                       f"Python/ours); median {pyr['latency_median'] / ours['latency_median']:.1f}x.")
        if pyr.get("failed_at_commit"):
            report.add("", f"Python DeltaCAT failed at commit {pyr['failed_at_commit']:,} with "
                           f"`{pyr['error']}`: it refuses an object's ~1000th revision (every "
                           f"APPEND writes a new revision of the partition, and its conflict "
                           f"check gives up when a revision directory holds 1,000 files). Its "
                           f"figures are over the {pyr['commits']:,} commits that succeeded; ours "
                           f"did all {count:,}.")
        report.goal("commits >= 10x faster than Python (#3)", f"{ratio:.1f}x", ratio >= 10)
    report.add("")

    # Metadata-only commits (no data file): commit_bench, ours only.
    commit_bench = os.path.join(bin_dir, "commit_bench")
    if os.path.exists(commit_bench):
        out = subprocess.run([commit_bench, "--benchmark_filter=BM_(SmallCommit|AddDeltaCommit)",
                              "--benchmark_format=json"], capture_output=True, text=True)
        if out.returncode == 0:
            data = json.loads(out.stdout)
            report.add("Storage layer alone (`commit_bench`, no data file, 1,000 transactions "
                       "each committing one delta): " + "; ".join(
                           f"{b['name'].split('/')[0]} {b['real_time']:.2f} {b['time_unit']}"
                           for b in data["benchmarks"]) + " per commit.", "")

    # Open a table and list a partition, growing its history.
    history_root = os.path.join(work, "history")
    report.add(f"### Opening a table and listing a partition", "",
               "One table whose partition holds N deltas (one-row APPEND writes, 10 per "
               "transaction, written by ours). With a fresh snapshot each time: *open* resolves "
               "table version 1, its stream and partition; *list* lists and decodes the "
               "partition's deltas. Best of 5 (ours) / 3 (Python) on the same catalog; Python: "
               "`metastore.get_table_version/get_stream/get_partition/list_partition_deltas`.", "",
               "| deltas | ours open ms | ours list ms | Python open ms | Python list ms | "
               "open Python/ours | list Python/ours |",
               "|---:|---:|---:|---:|---:|---:|---:|")
    have = 0
    points = []
    for target in scale["history"]:
        measure([catalog_bench, "history", history_root, "--add", str(target - have)])
        have = target
        o = measure([catalog_bench, "open-list", history_root, "--repeat", "5"])
        p = (measure_reference([py, ref, "open-list", history_root, "--repeat", "3"], report)
             if py else None)
        points.append((target, o, p))
        report.add(f"| {o['deltas']:,} | {ms(o['open_best'])} | {ms(o['list_best'])} | "
                   + (f"{ms(p['open_best'])} | {ms(p['list_best'])} | "
                      f"{p['open_best'] / o['open_best']:.1f}x | "
                      f"{p['list_best'] / o['list_best']:.1f}x |" if p else "- | - | - | - |"))
    if len(points) >= 2:
        (n0, o0, _), (n1, o1, _) = points[0], points[-1]
        growth = n1 / n0
        open_growth = o1["open_best"] / o0["open_best"]
        list_growth = o1["list_best"] / o0["list_best"]
        report.add("", f"Scaling with history ({n0:,} -> {n1:,} deltas, {growth:.0f}x): ours "
                       f"open {open_growth:.2f}x, list {list_growth:.2f}x (listing returns every "
                       f"delta, so it is linear in the delta count by nature; opening is not).")
        report.goal("opening cost does not grow linearly with history (#3)",
                    f"open {open_growth:.2f}x for {growth:.0f}x deltas",
                    open_growth < growth / 2)
    report.add("")


# --- Catalog (issue 4) ----------------------------------------------------------------------

def catalog(args, scale, work, report: Report):
    catalog_bench = os.path.join(args.build_dir, "bin", "catalog_bench")
    py = args.interop_python
    ref = os.path.join(HERE, "python_reference.py")
    rows = scale["rows"]
    root, arrow_dir = os.path.join(work, "plain-ours"), os.path.join(work, "plain-arrow")
    w = measure([catalog_bench, "write", root, arrow_dir, "--rows", str(rows)])
    pw = (measure_reference([py, ref, "write", os.path.join(work, "plain-py"), arrow_dir], report)
          if py else None)
    data_mib = mib(w["decoded_bytes"])
    report.add("## Catalog (issue 4)", "",
               f"### Write throughput: {rows:,} rows ({data_mib:,.0f} MiB of Arrow data)", "",
               "Generated in memory first (int64 key, two strings, double, int32, timestamp, "
               "bool), then written as Parquet files of 1M rows with our writer settings "
               "(snappy, 1Mi-row row groups). Ours: `Catalog::Write` (new table, APPEND "
               "delta: data files, manifest statistics, one transaction). Floor: Arrow's "
               "Parquet writer alone, same files and settings. Python: deltacat "
               "`write_to_table` of the same rows (a pyarrow table in memory).", "",
               "| | seconds | rows/s | MiB/s | ratio to the floor |",
               "|---|---:|---:|---:|---:|")

    def wrow(name, seconds):
        report.add(f"| {name} | {seconds:,.2f} | {rows / seconds:,.0f} | "
                   f"{data_mib / seconds:,.1f} | {seconds / w['arrow_seconds']:.2f}x time |")

    wrow("floor: Arrow Parquet writer", w["arrow_seconds"])
    wrow("ours: Catalog::Write", w["ours_seconds"])
    if pw:
        wrow("Python DeltaCAT write_to_table", pw["seconds"])
        report.add("", f"Ratio: Python DeltaCAT's time / ours = "
                       f"{pw['seconds'] / w['ours_seconds']:.2f}x; ours / the floor = "
                       f"{w['ours_seconds'] / w['arrow_seconds']:.2f}x.")
    report.add("", f"Peak memory of the writer process (data generated in memory included): "
                   f"{mib(w['peak_bytes']):,.0f} MiB.", "")

    files = measure([catalog_bench, "files", root])
    files_json = os.path.join(work, "plain-files.json")
    with open(files_json, "w") as f:
        json.dump(files["files"], f)
    read_python = py or sys.executable
    pa_read = measure([read_python, ref, "pyarrow-read", files_json, "--repeat", "3"])
    ours_read = measure([catalog_bench, "read", root, "--table", "bench/plain", "--repeat", "3"])
    report.add(f"### Read throughput: the same {rows:,} rows", "",
               f"Ours: `Catalog::Read` of the table (snapshot, manifests, every batch consumed). "
               f"Reference: `pyarrow.dataset` reading the same {len(files['files'])} Parquet "
               f"files (all threads), into a table and streamed. Best of 3 each, warm page "
               f"cache.", "",
               "| | best s | median s | rows/s | MiB/s | peak memory MiB |",
               "|---|---:|---:|---:|---:|---:|")

    def rrow(name, r):
        report.add(f"| {name} | {r['seconds_best']:,.3f} | {r['seconds_median']:,.3f} | "
                   f"{r['rows'] / r['seconds_best']:,.0f} | "
                   f"{mib(r['decoded_bytes']) / r['seconds_best']:,.1f} | "
                   f"{mib(r['peak_bytes']):,.0f} |")

    rrow("pyarrow.dataset to_table (reference)", pa_read)
    if "streamed_seconds_best" in pa_read:
        streamed = dict(pa_read, seconds_best=pa_read["streamed_seconds_best"],
                        seconds_median=pa_read["streamed_seconds_median"])
        rrow("pyarrow.dataset to_batches, streamed (reference)", streamed)
    rrow("ours: Catalog::Read, streamed", ours_read)
    reference = min(pa_read["seconds_best"], pa_read.get("streamed_seconds_best", float("inf")))
    ratio = ours_read["seconds_best"] / reference
    report.add("", f"Ratio: ours takes **{ratio:.2f}x** the time of pyarrow's faster way "
                   f"(goal: within 10%, i.e. <= 1.10x). Ours streams record batches "
                   f"(`Catalog::Read` returns an `arrow::RecordBatchReader`, consumed batch by "
                   f"batch); the peak memory column shows what each way holds.", "")
    report.goal("read within 10% of pyarrow (#4)", f"{ratio:.2f}x pyarrow's time", ratio <= 1.10)


# --- Compaction (issue 5) -------------------------------------------------------------------

def compaction(args, scale, work, report: Report):
    results = cb.run_compaction(args.build_dir, scale["compaction_rows"], scale["increments"],
                                args.threads, args.memory_budget, args.interop_python,
                                os.path.join(work, "compaction"),
                                bounded_budgets=scale["bounded_budgets"],
                                read_python=args.interop_python or sys.executable)
    mor, compacted = results.get("mor_read"), results.get("compacted_read")
    if mor and compacted:
        ratio = mor["seconds_best"] / compacted["seconds_best"]
        report.add("### Merge-on-read vs reading the compacted table", "",
                   f"The compaction benchmark's partition ({results['rows']:,}-row backfill and "
                   f"{results['increments']} increments of upserts and deletes) read through "
                   f"`Catalog::Read` before compaction (merge on read: every delta merged by "
                   f"key) and after (the compacted delta only).", "",
                   "| | seconds | input rows read | rows out | peak memory MiB |",
                   "|---|---:|---:|---:|---:|",
                   f"| merge-on-read (uncompacted) | {mor['seconds_best']:,.2f} | "
                   f"{results['floor']['rows_read']:,} | {mor['rows']:,} | "
                   f"{mib(mor['peak_bytes']):,.0f} |",
                   f"| compacted table | {compacted['seconds_best']:,.2f} | {compacted['rows']:,} | "
                   f"{compacted['rows']:,} | {mib(compacted['peak_bytes']):,.0f} |")
        pa = results.get("compacted_pyarrow_read")
        if pa:
            report.add(f"| pyarrow.dataset on the compacted files | {pa['seconds_best']:,.2f} | "
                       f"{pa['rows']:,} | {pa['rows']:,} | {mib(pa['peak_bytes']):,.0f} |")
        report.add("", f"Ratio: merge-on-read costs **{ratio:.1f}x** a read of the compacted "
                       f"table" + (f"; the compacted read is "
                                   f"{compacted['seconds_best'] / pa['seconds_best']:.2f}x "
                                   f"pyarrow's time" if pa else "") + ".", "")
        if mor["rows"] != compacted["rows"]:
            report.add(f"**Row counts differ: merge-on-read {mor['rows']:,}, compacted "
                       f"{compacted['rows']:,}.**", "")
    report.add("## Compaction (issue 5)", "")
    report.add(*cb.compaction_markdown(results, args.interop_python))

    ours, floor, py = results["ours"], results["floor"], results.get("python")
    if not py and args.interop_python:
        report.goal("compaction >= 20x faster than Python DeltaCAT (#5)",
                    "not measured: Python's compaction failed (see below)", None)
    if py:
        speedup = py["seconds"] / ours["seconds"]
        report.goal("compaction >= 20x faster than Python DeltaCAT (#5)",
                    f"{speedup:.1f}x (backfill)", speedup >= 20)
        if results.get("python_incremental"):
            inc = results["python_incremental"]["seconds"] / results["ours_incremental"]["seconds"]
            report.goal("1%-update round vs Python (#5, reported)", f"{inc:.1f}x", None)
    report.goal("compaction within 1.5x of the Arrow floor (#5)",
                f"{ours['seconds'] / floor['seconds']:.2f}x (backfill), "
                f"{results['ours_incremental']['seconds'] / results['floor_incremental']['seconds']:.2f}x "
                f"(1% round)", ours["seconds"] / floor["seconds"] <= 1.5)
    report.goal(f"peak memory within the {mib(args.memory_budget):,.0f} MiB budget (#5)",
                f"{mib(ours['peak_bytes']):,.0f} MiB", ours["peak_bytes"] <= args.memory_budget)

    bounded_runs = results.get("bounded", [])
    if bounded_runs:
        decoded = floor["decoded_bytes_read"]
        report.add("### Bounded memory", "",
                   f"The same backfill compacted again with smaller `--memory-budget`s; the "
                   f"input is {mib(decoded):,.0f} MiB of decoded Arrow data. For scale: the floor "
                   f"process (Arrow reading and writing the same files, nothing else) peaked at "
                   f"{mib(floor['peak_bytes']):,.0f} MiB.", "",
                   "| budget MiB | input / budget | wall s | peak memory MiB | of which before "
                   "compacting | working memory MiB (peak - before) | peak within budget | "
                   "output rows | merge sub-partitions (max) | time vs 2 GiB budget |",
                   "|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|")
        for bounded in bounded_runs:
            budget = bounded["memory_budget"]
            baseline = int(bounded.get("rss_before_bytes", 0))
            working = bounded["peak_bytes"] - baseline
            within = bounded["peak_bytes"] <= budget
            report.add(f"| {mib(budget):,.0f} | {decoded / budget:.1f}x | "
                       f"{bounded['seconds']:,.2f} | {mib(bounded['peak_bytes']):,.0f} | "
                       f"{mib(baseline):,.0f} | {mib(working):,.0f} | "
                       f"{'yes' if within else '**no**'} | {bounded['output_rows']:,} | "
                       f"{bounded.get('max_sub_partitions', '-')} | "
                       f"{bounded['seconds'] / ours['seconds']:.2f}x |")
            report.goal(f"input {decoded / budget:.1f}x the budget compacts within it (#5)",
                        f"peak {mib(bounded['peak_bytes']):,.0f} MiB (working "
                        f"{mib(working):,.0f} MiB) vs {mib(budget):,.0f} MiB budget", within)
        report.add("", "\"Before compacting\" is the process's resident memory when the "
                       "compaction starts (the library's code, Arrow and AWS SDK "
                       "initialisation), measured inside the process; the working memory is what "
                       "the compaction itself added.", "")
        if any(b["output_rows"] != ours["output_rows"] for b in bounded_runs):
            report.add(f"**Output rows differ from the unbounded run "
                       f"({ours['output_rows']:,}).**", "")


# --- Ray executor overhead (hook) -----------------------------------------------------------

def ray(args, scale, work, report: Report):
    script = os.path.join(HERE, "ray_overhead_benchmark.py")
    report.add("## Ray executor overhead", "")
    if not os.path.exists(script):
        report.add("Not measured: bench/ray_overhead_benchmark.py does not exist yet.", "")
        return
    command = [sys.executable, script, "--build-dir", args.build_dir, "--cpus", str(args.threads)]
    if args.quick:
        command += ["--rows", "50000", "--repeat", "1"]
    print("+ " + shlex.join(command), file=sys.stderr, flush=True)
    out = subprocess.run(command, capture_output=True, text=True)
    if out.returncode != 0:
        report.add(f"`{shlex.join(command)}` failed ({out.returncode}):", "", "```",
                   out.stderr[-2000:].rstrip(), "```", "")
        return
    report.add(out.stdout.strip(), "")


SECTIONS = {"storage": storage, "catalog": catalog, "compaction": compaction, "ray": ray}


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build-dir", default=os.path.join(REPO, "build"))
    parser.add_argument("--quick", action="store_true", help="small scale (smoke run)")
    parser.add_argument("--interop-python", default=None,
                        help="Python with deltacat 2.0.0.post4 (default: $DELTACAT_INTEROP_PYTHON "
                             "or venv-interop/)")
    parser.add_argument("--skip-python", action="store_true", help="no Python DeltaCAT runs")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--memory-budget", type=int, default=2 << 30)
    parser.add_argument("--only", default=",".join(SECTIONS),
                        help="comma-separated sections: " + ", ".join(SECTIONS))
    parser.add_argument("--work-dir", default=None, help="scratch directory (default: a temp dir)")
    parser.add_argument("--markdown", default=os.path.join(REPO, "BENCHMARKS.md"))
    args = parser.parse_args()
    args.build_dir = os.path.abspath(args.build_dir)
    for name in ("catalog_bench", "compaction_bench"):
        if not os.path.exists(os.path.join(args.build_dir, "bin", name)):
            sys.exit(f"{args.build_dir}/bin/{name} not found: build first (make build)")
    args.interop_python = (None if args.skip_python
                           else cb.find_interop_python(args.interop_python))
    if not args.interop_python and not args.skip_python:
        print("no interop venv: Python DeltaCAT references skipped (make interop-venv)",
              file=sys.stderr)
    scale = SCALES["quick" if args.quick else "full"]
    sections = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        sys.exit(f"unknown sections: {sorted(unknown)}")

    started = time.monotonic()
    report = Report()
    header_machine = machine()
    work = args.work_dir or tempfile.mkdtemp(prefix="dc-bench-")
    os.makedirs(work, exist_ok=True)
    print(f"working in {work}", file=sys.stderr)
    try:
        for name in SECTIONS:
            if name in sections:
                section_started = time.monotonic()
                SECTIONS[name](args, scale, work, report)
                print(f"{name}: {time.monotonic() - section_started:.0f} s", file=sys.stderr)
                # Each section's catalogs go as soon as it is done (tens of thousands of files).
                for entry in os.listdir(work):
                    if not args.work_dir:
                        shutil.rmtree(os.path.join(work, entry), ignore_errors=True)
    finally:
        if not args.work_dir:
            shutil.rmtree(work, ignore_errors=True)

    command = "python bench/run_benchmarks.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    lines = ["# Benchmarks", "",
             f"Generated by `make benchmark`, i.e. `{command}` (after `make build`, "
             f"{'quick smoke scale' if args.quick else 'full scale'}), on "
             f"{datetime.datetime.now().strftime('%Y-%m-%d %H:%M')}, commit {git_commit()}; "
             f"the whole run took {(time.monotonic() - started) / 60:.0f} minutes.", "",
             f"Machine: {header_machine}.", "",
             "Every figure is shown as a ratio against a reference measured in the same run: "
             "the Python `deltacat` 2.0.0.post4 package (its own interop venv, Python 3.10, "
             "pyarrow 16), pyarrow reading the same files, or Arrow doing only the I/O (the "
             "floor). Peak memory is the peak PSS of the measured process tree (Ray workers "
             "included), or the process's maximum RSS when larger.", ""]
    if report.goals:
        lines += ["## Goals", "", "| goal | measured | verdict |", "|---|---|---|"]
        lines += [f"| {g} | {m} | {v} |" for g, m, v in report.goals]
        lines.append("")
    text = "\n".join(lines + report.lines).rstrip("\n") + "\n"
    print(text)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(text)
        print(f"wrote {args.markdown}", file=sys.stderr)


if __name__ == "__main__":
    main()
