"""compact(executor="ray") on a local Ray cluster: the same rows as the local executor on the
compactor's conformance scenarios and on the benchmark generator's data, retries of crashed
tasks, failed jobs that leave the table unchanged, the CLI's --executor ray, and writes and
reads from inside Ray tasks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pytest
from conftest import REPO, sorted_rows

import deltacat_cpp
from deltacat_cpp import ray_executor
from deltacat_cpp.ray_executor import RayTaskRunner

SCHEMA = pa.schema([("id", pa.int64()), ("v", pa.string()), ("n", pa.int64())])


def rows(ids, tag, n=None):
    return pa.table(
        {
            "id": pa.array(ids, pa.int64()),
            "v": [f"{tag}{i}" for i in ids],
            "n": pa.array([n if n is not None else i for i in ids], pa.int64()),
        },
        schema=SCHEMA,
    )


def merge_on_read_table(dc, name, merge_keys=("id",), catalog=None, buckets=3):
    """A table whose writes stay deltas until compact() (read_optimization_level NONE)."""
    dc.create_table(
        name,
        schema=SCHEMA,
        merge_keys=list(merge_keys),
        table_properties={
            dc.TableProperty.READ_OPTIMIZATION_LEVEL: dc.TableReadOptimizationLevel.NONE,
            dc.TableProperty.DEFAULT_COMPACTION_HASH_BUCKET_COUNT: buckets,
        },
        catalog=catalog,
    )


# Each scenario: (merge keys, [rounds]); a round is a list of (mode, table) writes followed by a
# compaction. Modelled on tests/compute/compactor_conformance_test.cc (compaction.md §16).
SCENARIOS = {
    "s01_backfill_unique_keys": (["id"], [[("merge", rows(range(50), "a"))]]),
    "s02_s03_duplicates_last_wins": (
        ["id"],
        [
            [
                ("merge", pa.concat_tables([rows([1, 2, 3], "a"), rows([2, 3], "b")])),
                ("merge", rows([3, 4], "c")),
            ]
        ],
    ),
    "s08_composite_keys": (
        ["id", "n"],
        [[("merge", rows([1, 2, 3], "a", n=0)), ("merge", rows([1, 2], "b", n=1))]],
    ),
    "s10_null_keys_are_one_key": (
        ["id"],
        [
            [
                ("merge", pa.table({"id": [None, 1], "v": ["a", "b"], "n": [0, 1]}, SCHEMA)),
                ("merge", pa.table({"id": [None], "v": ["c"], "n": [2]}, SCHEMA)),
            ]
        ],
    ),
    "s12_without_merge_keys_rows_concatenate": (
        [],
        [[("append", rows([1, 2], "a")), ("append", rows([1, 3], "b"))]],
    ),
    "s13_s14_incremental_rounds": (
        ["id"],
        [
            [("merge", rows(range(40), "a"))],
            [("merge", rows([5, 41], "b"))],
            [("merge", rows([7], "c"))],
        ],
    ),
    "s22_s24_deletes_affect_earlier_rows": (
        ["id"],
        [
            [
                ("merge", rows([1, 2, 3, 4], "a")),
                ("delete", rows([2, 3], "x")),
                ("merge", rows([3, 5], "b")),
            ],
            [("delete", rows([1], "x")), ("merge", rows([1], "c"))],
        ],
    ),
}


def run_scenario(dc, catalog, merge_keys, rounds, executor):
    merge_on_read_table(dc, "t", merge_keys, catalog=catalog)
    for writes in rounds:
        for mode, data in writes:
            dc.write(data, "t", mode=mode, catalog=catalog)
        dc.compact("t", executor=executor, catalog=catalog)
    return dc.read("t", catalog=catalog)


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_conformance_scenarios_match_the_local_executor(dc, tmp_path, scenario):
    merge_keys, rounds = SCENARIOS[scenario]
    local = dc.Catalog(tmp_path / "local")
    distributed = dc.Catalog(tmp_path / "ray")
    expected = run_scenario(dc, local, merge_keys, rounds, "local")
    actual = run_scenario(dc, distributed, merge_keys, rounds, "ray")
    key = "v" if not merge_keys else "id"
    sort = (lambda t: sorted(t.to_pylist(), key=lambda r: (r["v"], r["n"]))) if key == "v" else sorted_rows
    assert sort(actual) == sort(expected)
    assert actual.num_rows > 0
    # The history shows one compaction commit per round, as with the local executor.
    assert dc.transactions(distributed, limit=None).num_rows == dc.transactions(
        local, limit=None
    ).num_rows


def test_the_benchmark_generators_data_matches_the_local_executor(dc, tmp_path):
    bench = Path(os.environ.get("DELTACAT_BUILD_DIR", REPO / "build")) / "bin" / "compaction_bench"
    assert bench.is_file(), f"{bench} is missing: run make build"
    local_root, ray_root = tmp_path / "local", tmp_path / "ray"
    subprocess.run(
        [str(bench), "generate", str(local_root), "--rows", "20000", "--increments", "3",
         "--rows-per-file", "4000", "--seed", "7"],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    shutil.copytree(local_root, ray_root)
    local, distributed = dc.Catalog(local_root), dc.Catalog(ray_root)
    dc.compact("orders", "bench", executor="local", catalog=local)
    dc.compact("orders", "bench", executor="ray", catalog=distributed)
    expected = dc.read("orders", "bench", catalog=local)
    actual = dc.read("orders", "bench", catalog=distributed)
    assert actual.num_rows == expected.num_rows > 0
    assert actual.sort_by("pk").equals(expected.sort_by("pk"))


def crash_runner(tmp_path, kind, attempts, max_retries):
    crash_dir = tmp_path / "crashes"
    crash_dir.mkdir()
    env = {
        ray_executor.CRASH_KIND_ENV: kind,
        ray_executor.CRASH_DIR_ENV: str(crash_dir),
        ray_executor.CRASH_ATTEMPTS_ENV: str(attempts),
    }
    runner = RayTaskRunner(max_retries=max_retries, runtime_env={"env_vars": env})
    return runner, crash_dir


def three_deltas(dc):
    merge_on_read_table(dc, "t")
    dc.write(rows(range(30), "a"), "t", mode="merge")
    dc.write(rows([1, 2, 31], "b"), "t", mode="merge")
    dc.write(rows([3], "x"), "t", mode="delete")
    return sorted_rows(dc.read("t"))


@pytest.mark.parametrize("kind", ["compactor.hash_bucket", "compactor.merge"])
def test_a_crashed_task_is_retried(dc, tmp_path, kind):
    expected = three_deltas(dc)
    runner, crash_dir = crash_runner(tmp_path, kind, attempts=1, max_retries=2)
    dc.compact("t", hash_buckets=2, executor=runner)
    assert sorted_rows(dc.read("t")) == expected
    assert len(list(crash_dir.iterdir())) >= 1, "no task crashed: the test tested nothing"
    assert dc.transactions(limit=1).column("operation_types")[0].as_py()


def test_a_failed_job_leaves_the_table_unchanged(dc, tmp_path):
    expected = three_deltas(dc)
    history = dc.transactions(limit=None)
    runner, crash_dir = crash_runner(tmp_path, "compactor.merge", attempts=5, max_retries=1)
    with pytest.raises(Exception) as raised:
        dc.compact("t", hash_buckets=2, executor=runner)
    assert "Worker" in type(raised.value).__name__ or "died" in str(raised.value).lower() or (
        "crash" in str(raised.value).lower()
    ), repr(raised.value)
    assert dc.transactions(limit=None).equals(history)
    assert sorted_rows(dc.read("t")) == expected
    scratch = tmp_path / "catalog" / "compute" / "compactor" / "scratch"
    assert not scratch.exists() or not any(scratch.iterdir())
    # Every attempt of some task crashed: 1 + max_retries.
    attempts = {}
    for marker in crash_dir.iterdir():
        task, _ = marker.name.split(".")
        attempts[task] = attempts.get(task, 0) + 1
    assert max(attempts.values()) == 2
    # And the table still compacts afterwards.
    dc.compact("t", hash_buckets=2, executor="ray")
    assert sorted_rows(dc.read("t")) == expected


def test_a_task_error_is_raised_as_the_deltacat_error(dc, tmp_path):
    three_deltas(dc)
    # A data file vanishes under the table: the hash-bucket task cannot read it.
    data = [p for p in (tmp_path / "catalog").rglob("*") if p.suffix in (".pq", ".parquet")]
    assert data
    for path in data:
        path.unlink()
    # The same error class as the local executor raises (a missing file is the builtin
    # FileNotFoundError, as in DeltaCAT), not a generic Ray error.
    with pytest.raises(FileNotFoundError, match="does not exist"):
        dc.compact("t", executor="ray", max_retries=0)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        dc.compact("t")


def _write_in_a_worker(root: str) -> int:
    import pyarrow as pa

    import deltacat_cpp as dc

    catalog = dc.Catalog(root)
    dc.write(pa.table({"id": [1, 2, 3]}), "from_worker", catalog=catalog)
    return dc.read("from_driver", catalog=catalog).num_rows


def test_a_worker_writes_and_the_driver_reads(dc, tmp_path):
    import ray

    root = str(tmp_path / "catalog")
    dc.write(pa.table({"id": [10, 11]}), "from_driver")
    # The workers cannot import this test module: ship the function by value.
    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
    try:
        seen_by_worker = ray.get(ray.remote(_write_in_a_worker).remote(root), timeout=120)
    finally:
        ray.cloudpickle.unregister_pickle_by_value(sys.modules[__name__])
    assert seen_by_worker == 2
    assert sorted_rows(dc.read("from_worker")) == [{"id": 1}, {"id": 2}, {"id": 3}]


def test_the_cli_compacts_on_ray(dc, tmp_path, ray_cluster):
    cli = Path(os.environ.get("DELTACAT_BUILD_DIR", REPO / "build")) / "bin" / "deltacat"
    assert cli.is_file(), f"{cli} is missing: run make build"
    expected = three_deltas(dc)
    env = {**os.environ, "DELTACAT_PYTHON": sys.executable}
    done = subprocess.run(
        [str(cli), "--catalog", str(tmp_path / "catalog"), "compact", "t", "--executor", "ray",
         "--ray-address", ray_cluster, "--hash-buckets", "2"],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Compacted default/t"
    assert sorted_rows(dc.read("t")) == expected
    operations = dc.transactions(limit=1).column("operation_types")[0].as_py()
    assert operations  # the compaction committed

    missing = subprocess.run(
        [str(cli), "--catalog", str(tmp_path / "catalog"), "compact", "nope", "--executor", "ray",
         "--ray-address", ray_cluster],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert missing.returncode == 1
    assert "TableNotFoundError" in missing.stderr, missing.stderr
