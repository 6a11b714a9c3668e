#!/usr/bin/env python3
"""Compaction benchmark: our compactor vs Python DeltaCAT's compactor v2 vs the Arrow floor.

    python3 bench/compaction_benchmark.py [--rows 10000000] [--increments 9] [--build-dir build]
        [--threads N] [--interop-python venv-interop/bin/python] [--skip-python]
        [--markdown BENCHMARKS.md]

A generator (build/bin/compaction_bench generate) makes a partition: a backfill of --rows rows
(int64 key, two strings, double, int32, timestamp, bool) and --increments incremental rounds,
each an UPSERT delta updating 10% of the live keys and inserting 2% new ones plus a DELETE
delta removing 1%. Copies of that catalog are then compacted

  (a) by ours (compaction_bench compact, a thread pool of --threads threads),
  (b) by the Python package's compactor on a local Ray instance with --threads CPUs
      (tests/integration/compaction_interop.py, the catalog's own compaction entry point),
  (c) by the floor: Arrow reading every input file and writing as many rows as the
      compaction outputs, nothing else (compaction_bench floor),

and the same for a 1%-update incremental round on top of each compacted result. Reported:
wall time (Python's excludes its Ray start-up), rows/s per core and MiB/s per core of decoded
Arrow input, peak memory of the whole process tree (PSS, so Ray's shared object store is not
counted once per worker), and the ratios ours/Python and ours/floor. Results are appended to
--markdown with the exact command.
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
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def tree_memory_bytes(root_pid: int) -> int:
    """PSS (else RSS) of `root_pid` and all its descendants."""
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                stat = f.read()
            ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(name))
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        total += _process_memory(pid)
    return total


def _process_memory(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def run(command: list[str], env: dict | None = None) -> tuple[dict | None, float, int, str]:
    """Runs `command`, sampling its process tree's memory; returns (last JSON line of stdout,
    wall seconds, peak bytes, stderr tail)."""
    start = time.monotonic()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env)
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_memory_bytes(proc.pid))
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    done.set()
    sampler.join()
    wall = time.monotonic() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{shlex.join(command)} failed ({proc.returncode}):\n{err[-4000:]}")
    result = None
    for line in out.splitlines()[::-1]:
        line = line.strip()
        if line.startswith("{"):
            result = json.loads(line)
            break
    return result, wall, peak, err[-2000:]


def python_compact(python: str, root: str, work: str, threads: int, name: str):
    steps = [{"op": "compact", "namespace": "bench", "table": "orders"},
             {"op": "rci", "namespace": "bench", "table": "orders", "name": "rci"}]
    steps_path = os.path.join(work, f"{name}-steps.json")
    out_path = os.path.join(work, f"{name}-out.json")
    with open(steps_path, "w") as f:
        json.dump(steps, f)
    env = dict(os.environ, DELTACAT_INTEROP_RAY_CPUS=str(threads))
    script = os.path.join(REPO, "tests", "integration", "compaction_interop.py")
    _, wall, peak, _ = run([python, script, root, steps_path, out_path], env=env)
    with open(out_path) as f:
        out = json.load(f)
    compact_seconds = next(t["seconds"] for t in out["timings"] if t["op"] == "compact")
    return {"seconds": compact_seconds, "process_seconds": wall, "peak_bytes": peak,
            "output_rows": out["rci"]["records"], "files": out["rci"]["files"]}


def mib(x: float) -> float:
    return x / (1 << 20)


def metrics(seconds: float, rows: int, decoded_bytes: int, cores: int) -> dict:
    return {"seconds": seconds,
            "rows_per_core_second": rows / seconds / cores if seconds else 0.0,
            "mib_per_core_second": mib(decoded_bytes) / seconds / cores if seconds else 0.0}


def round_table(title: str, ours: dict, py: dict | None, floor: dict, rows: int,
                decoded: int, cores: int, budget: int) -> list[str]:
    lines = [f"### {title}", "",
             f"Input: {rows:,} rows, {mib(decoded):,.0f} MiB of decoded Arrow data; {cores} cores.",
             "",
             "| | wall s | rows/s per core | MiB/s per core | peak memory MiB | output rows |",
             "|---|---:|---:|---:|---:|---:|"]

    def row(name, result, seconds, peak, output):
        m = metrics(seconds, rows, decoded, cores)
        lines.append(f"| {name} | {seconds:,.2f} | {m['rows_per_core_second']:,.0f} | "
                     f"{m['mib_per_core_second']:,.1f} | {mib(peak):,.0f} | {output:,} |")

    row("ours (C++)", ours, ours["seconds"], ours["peak_bytes"], ours["output_rows"])
    if py:
        row("Python DeltaCAT 2.0.0.post4 (Ray)", py, py["seconds"], py["peak_bytes"],
            py["output_rows"])
    row("floor (Arrow read + write)", floor, floor["seconds"], floor["peak_bytes"],
        floor["rows_written"])
    lines.append("")
    ratios = [f"ours/floor = {ours['seconds'] / floor['seconds']:.2f}x time"]
    if py:
        ratios.insert(0, f"Python/ours = {py['seconds'] / ours['seconds']:.1f}x "
                         f"(ours is {py['seconds'] / ours['seconds']:.1f}x faster; "
                         f"Python process incl. Ray start: {py['process_seconds']:.1f} s)")
        if py["output_rows"] != ours["output_rows"]:
            ratios.append(f"**output rows differ: ours {ours['output_rows']:,}, "
                          f"Python {py['output_rows']:,}**")
    ratios.append(f"peak memory {mib(ours['peak_bytes']):,.0f} MiB vs budget "
                  f"{mib(budget):,.0f} MiB")
    lines.append("Ratios: " + "; ".join(ratios) + ".")
    lines.append("")
    details = {k: v for k, v in ours.items() if k not in ("peak_bytes",)}
    lines.append(f"Ours: `{json.dumps(details)}`")
    lines.append("")
    return lines


def find_interop_python(explicit: str | None) -> str | None:
    python = explicit or os.environ.get("DELTACAT_INTEROP_PYTHON")
    if python:
        return python
    for candidate in (os.path.join(REPO, "venv-interop", "bin", "python"),
                      "/work/main/venv-interop/bin/python"):
        if os.path.exists(candidate):
            return candidate
    return None


def run_compaction(build_dir: str, rows: int, increments: int, threads: int,
                   memory_budget: int, python: str | None, work: str,
                   bounded_budgets: list[int] | None = None,
                   read_python: str | None = None) -> dict:
    """Runs the whole compaction benchmark in `work`; returns every measurement.

    bounded_budgets: also compact a copy of the backfill with each of these (small) memory
    budgets, to check that a partition several times larger than the budget compacts within it.
    read_python: a Python with pyarrow; with build/bin/catalog_bench present, also measures
    the catalog's merge-on-read of the uncompacted table against reading it compacted, and
    pyarrow reading the compacted files directly.
    """
    bench = os.path.join(build_dir, "bin", "compaction_bench")
    catalog_bench = os.path.join(build_dir, "bin", "catalog_bench")
    if not os.path.exists(catalog_bench):
        catalog_bench = None
    results: dict = {"rows": rows, "increments": increments, "threads": threads,
                     "memory_budget": memory_budget}
    cores = threads
    base = os.path.join(work, "base")
    shutil.rmtree(base, ignore_errors=True)
    gen, gen_wall, _, _ = run([bench, "generate", base, "--rows", str(rows),
                               "--increments", str(increments)])
    results["generate"] = gen
    print(f"generated in {gen_wall:.1f} s: {gen}", file=sys.stderr)
    ours_root, py_root = os.path.join(work, "ours"), os.path.join(work, "python")
    for root in (ours_root, py_root):
        shutil.rmtree(root, ignore_errors=True)
        shutil.copytree(base, root)

    # --- merge-on-read of the uncompacted table ---
    if catalog_bench:
        mor, _, mor_peak, _ = run([catalog_bench, "read", ours_root, "--table", "bench/orders",
                                   "--repeat", "1"])
        mor["peak_bytes"] = mor_peak
        results["mor_read"] = mor
        print(f"merge-on-read: {mor}", file=sys.stderr)

    # --- backfill round ---
    ours, _, ours_peak, _ = run([bench, "compact", ours_root, "--threads", str(cores),
                                 "--memory-budget", str(memory_budget)])
    ours["peak_bytes"] = max(ours_peak, int(ours.get("peak_rss_bytes", 0)))
    results["ours"] = ours
    print(f"ours: {ours}", file=sys.stderr)
    floor, _, floor_peak, _ = run([bench, "floor", base, os.path.join(work, "floor-out"),
                                   "--output-rows", str(ours["output_rows"]),
                                   "--threads", str(cores)])
    floor["peak_bytes"] = max(floor_peak, int(floor.get("peak_rss_bytes", 0)))
    results["floor"] = floor
    shutil.rmtree(os.path.join(work, "floor-out"), ignore_errors=True)
    print(f"floor: {floor}", file=sys.stderr)

    # --- reads of the compacted table ---
    if catalog_bench:
        compacted, _, compacted_peak, _ = run([catalog_bench, "read", ours_root, "--table",
                                               "bench/orders", "--repeat", "3"])
        compacted["peak_bytes"] = compacted_peak
        results["compacted_read"] = compacted
        print(f"compacted read: {compacted}", file=sys.stderr)
        if read_python:
            files, _, _, _ = run([catalog_bench, "files", ours_root, "--table", "bench/orders"])
            files_json = os.path.join(work, "compacted-files.json")
            with open(files_json, "w") as f:
                json.dump(files["files"], f)
            pa_read, _, pa_peak, _ = run([read_python, os.path.join(HERE, "python_reference.py"),
                                          "pyarrow-read", files_json, "--repeat", "3"])
            pa_read["peak_bytes"] = pa_peak
            results["compacted_pyarrow_read"] = pa_read
            print(f"pyarrow read of the compacted files: {pa_read}", file=sys.stderr)

    # --- bounded memory: the backfill again with budgets several times below its size ---
    results["bounded"] = []
    for budget in bounded_budgets or []:
        bounded_root = os.path.join(work, "bounded")
        shutil.rmtree(bounded_root, ignore_errors=True)
        shutil.copytree(base, bounded_root)
        bounded, _, bounded_peak, _ = run([bench, "compact", bounded_root, "--threads",
                                           str(cores), "--memory-budget", str(budget)])
        bounded["peak_bytes"] = max(bounded_peak, int(bounded.get("peak_rss_bytes", 0)))
        bounded["memory_budget"] = budget
        results["bounded"].append(bounded)
        shutil.rmtree(bounded_root, ignore_errors=True)
        print(f"ours with a {mib(budget):.0f} MiB budget: {bounded}", file=sys.stderr)

    py = None
    if python:
        # A failure of the reference (deltacat on Ray) is reported, not fatal: one retry.
        for attempt in (1, 2):
            try:
                py = python_compact(python, py_root, work, cores, "backfill")
                break
            except RuntimeError as e:
                error = str(e).strip().splitlines()[-1][:300]
                results.setdefault("python_failures", []).append(f"backfill: {error}")
                print(f"python failed (attempt {attempt}): {error}", file=sys.stderr)
                shutil.rmtree(py_root, ignore_errors=True)
                shutil.copytree(base, py_root)
        if py:
            results["python"] = py
            print(f"python: {py}", file=sys.stderr)
        else:
            python = None
    shutil.rmtree(base, ignore_errors=True)

    # --- 1% incremental round ---
    update = ["--fraction", "0.01", "--max-key", str(gen["next_key"]), "--seed", "11"]
    run([bench, "update", ours_root] + update)
    if python:
        run([bench, "update", py_root] + update)
    inc_floor_root = os.path.join(work, "ours-incremental-floor")
    shutil.rmtree(inc_floor_root, ignore_errors=True)
    shutil.copytree(ours_root, inc_floor_root)
    ours_inc, _, ours_inc_peak, _ = run([bench, "compact", ours_root, "--threads", str(cores),
                                         "--memory-budget", str(memory_budget)])
    ours_inc["peak_bytes"] = max(ours_inc_peak, int(ours_inc.get("peak_rss_bytes", 0)))
    results["ours_incremental"] = ours_inc
    print(f"ours incremental: {ours_inc}", file=sys.stderr)
    floor_inc, _, floor_inc_peak, _ = run(
        [bench, "floor", inc_floor_root, os.path.join(work, "floor-out"),
         "--output-rows", str(ours_inc["output_rows"]), "--threads", str(cores)])
    floor_inc["peak_bytes"] = max(floor_inc_peak, int(floor_inc.get("peak_rss_bytes", 0)))
    results["floor_incremental"] = floor_inc
    shutil.rmtree(os.path.join(work, "floor-out"), ignore_errors=True)
    shutil.rmtree(inc_floor_root, ignore_errors=True)
    print(f"floor incremental: {floor_inc}", file=sys.stderr)
    if python:
        try:
            py_inc = python_compact(python, py_root, work, cores, "incremental")
            results["python_incremental"] = py_inc
            print(f"python incremental: {py_inc}", file=sys.stderr)
        except RuntimeError as e:
            error = str(e).strip().splitlines()[-1][:300]
            results.setdefault("python_failures", []).append(f"incremental: {error}")
            print(f"python incremental failed: {error}", file=sys.stderr)
    return results


def compaction_markdown(results: dict, python: str | None) -> list[str]:
    """The compaction rounds as Markdown tables (ratios against Python and the floor)."""
    gen, cores, budget = results["generate"], results["threads"], results["memory_budget"]
    lines = [
        f"Ours: a thread pool of {cores} threads, memory budget {mib(budget):,.0f} MiB. "
        f"Python: deltacat 2.0.0.post4 compactor v2, local Ray with {cores} CPUs "
        f"({'measured' if 'python' in results else 'not measured'}). Floor: Arrow reading "
        f"every input file and writing as many rows as the compaction outputs, nothing else.", "",
        f"Generated partition: {results['rows']:,}-row backfill and {results['increments']} "
        f"increments (10% updates, 2% inserts, 1% deletes each): {gen['rows_written']:,} rows "
        f"written, {gen['live_rows']:,} live.", ""]
    failures = results.get("python_failures", [])
    for failure in dict.fromkeys(failures):
        lines += [f"**Python DeltaCAT's compaction failed** ({failure}; "
                  f"{failures.count(failure)} attempt(s)); its figures are missing where it did "
                  f"not complete.", ""]
    floor = results["floor"]
    lines += round_table("Backfill round (all deltas, no previous compaction)", results["ours"],
                         results.get("python"), floor, floor["rows_read"],
                         floor["decoded_bytes_read"], cores, budget)
    floor_inc = results["floor_incremental"]
    lines += round_table("Incremental round (1% updates on the compacted partition)",
                         results["ours_incremental"], results.get("python_incremental"),
                         floor_inc, floor_inc["rows_read"], floor_inc["decoded_bytes_read"],
                         cores, budget)
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--increments", type=int, default=9)
    parser.add_argument("--build-dir", default=os.path.join(REPO, "build"))
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--memory-budget", type=int, default=2 << 30)
    parser.add_argument("--interop-python", default=None)
    parser.add_argument("--skip-python", action="store_true")
    parser.add_argument("--work-dir", default=None)
    parser.add_argument("--keep", action="store_true", help="keep the catalogs")
    parser.add_argument("--markdown", default=os.path.join(REPO, "BENCHMARKS.md"))
    args = parser.parse_args()

    bench = os.path.join(args.build_dir, "bin", "compaction_bench")
    if not os.path.exists(bench):
        sys.exit(f"{bench} not found: build first (make build)")
    python = None if args.skip_python else find_interop_python(args.interop_python)
    if not python and not args.skip_python:
        print("no interop venv: skipping Python DeltaCAT (use --interop-python)", file=sys.stderr)

    work = args.work_dir or tempfile.mkdtemp(prefix="dc-compaction-bench-")
    os.makedirs(work, exist_ok=True)
    print(f"working in {work}", file=sys.stderr)
    try:
        results = run_compaction(args.build_dir, args.rows, args.increments, args.threads,
                                 args.memory_budget, python, work)
    finally:
        if not args.keep and not args.work_dir:
            shutil.rmtree(work, ignore_errors=True)

    command = "python3 bench/compaction_benchmark.py " + " ".join(
        shlex.quote(a) for a in sys.argv[1:])
    lines = [
        f"## Compaction ({datetime.date.today().isoformat()})", "",
        f"Command: `{command}` (after `make build`).", "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs visible, "
        f"{platform.platform()}; shared with other work while measured, so absolute times "
        f"are noisy.", ""]
    lines += compaction_markdown(results, python)
    text = "\n".join(lines) + "\n"
    print(text)
    if args.markdown:
        header = "# Benchmarks\n\n"
        existing = ""
        if os.path.exists(args.markdown):
            with open(args.markdown) as f:
                existing = f.read()
        if not existing.startswith("# "):
            existing = header + existing
        with open(args.markdown, "w") as f:
            f.write(existing.rstrip("\n") + "\n\n" + text)


if __name__ == "__main__":
    main()
