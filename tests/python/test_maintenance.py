"""compact, the transaction history (transactions, read_transaction) and run_janitor."""

from __future__ import annotations

import pyarrow as pa
import pytest
from helpers import sorted_rows

HISTORY_COLUMNS = [
    "transaction_id",
    "commit_message",
    "start_time",
    "end_time",
    "status",
    "operation_count",
    "operation_types",
]


def test_compact_keeps_the_rows(dc):
    dc.create_table("t", schema=pa.schema([("id", pa.int64()), ("v", pa.string())]))
    for i in range(3):
        dc.write(pa.table({"id": [i], "v": [str(i)]}), "t", mode="append")
    before = sorted_rows(dc.read("t"))
    dc.compact("t", hash_buckets=1, threads=1)
    assert sorted_rows(dc.read("t")) == before


def test_compact_errors(dc):
    with pytest.raises(dc.TableNotFoundError):
        dc.compact("missing")
    dc.write(pa.table({"id": [1]}), "t")
    with pytest.raises(ValueError, match="unknown executor 'spark'"):
        dc.compact("t", executor="spark")
    with pytest.raises(TypeError, match="executor must be 'local', 'ray' or a task runner"):
        dc.compact("t", executor=42)
    with pytest.raises(ValueError, match="threads must be >= 0"):
        dc.compact("t", threads=-1)
    with pytest.raises(TypeError, match="threads must be an int"):
        dc.compact("t", threads="2")
    with pytest.raises(ValueError, match="ray_address is only used with executor='ray'"):
        dc.compact("t", ray_address="127.0.0.1:6379")
    with pytest.raises(ValueError, match="max_retries must be >= 0"):
        dc.compact("t", executor="ray", max_retries=-1)
    with pytest.raises(TypeError, match="ray_address must be a str"):
        dc.compact("t", executor="ray", ray_address=6379)
    with dc.transaction():
        with pytest.raises(RuntimeError, match="cannot run inside"):
            dc.compact("t")


def _merge_on_read_table(dc) -> None:
    """A merge-keyed table whose MERGE/DELETE writes stay deltas until compact()."""
    dc.create_table(
        "t",
        schema=pa.schema([("id", pa.int64()), ("v", pa.string())]),
        merge_keys=["id"],
        table_properties={dc.TableProperty.READ_OPTIMIZATION_LEVEL: dc.TableReadOptimizationLevel.NONE},
    )
    dc.write(pa.table({"id": [1, 2, 3], "v": ["a", "b", "c"]}), "t", mode="merge")
    dc.write(pa.table({"id": [2, 4], "v": ["B", "d"]}), "t", mode="merge")
    dc.write(pa.table({"id": [1], "v": ["x"]}), "t", mode="delete")


class InProcessRunner:
    """A task runner that executes every spec here, through the native execute() a Ray
    worker calls, and records the batches."""

    name = "in-process"

    def __init__(self, dc, fail_kind=None):
        self.dc, self.fail_kind, self.batches = dc, fail_kind, []

    def parallelism(self):
        return 2

    def __call__(self, tasks):
        self.batches.append([(kind, memory) for kind, _, memory in tasks])
        results = []
        for kind, spec, _ in tasks:
            assert isinstance(spec, bytes)
            if kind == self.fail_kind:
                raise self.dc.RetryableIOError(f"injected failure of {kind}")
            results.append(self.dc._native.execute(spec))
        return results


def test_compact_through_a_task_runner(dc):
    _merge_on_read_table(dc)
    expected = [{"id": 2, "v": "B"}, {"id": 3, "v": "c"}, {"id": 4, "v": "d"}]
    assert sorted_rows(dc.read("t")) == expected
    runner = InProcessRunner(dc)
    dc.compact("t", hash_buckets=2, executor=runner)
    assert sorted_rows(dc.read("t")) == expected
    kinds = [[kind for kind, _ in batch] for batch in runner.batches]
    assert kinds[0] and set(kinds[0]) == {"compactor.hash_bucket"}
    assert kinds[1] and set(kinds[1]) == {"compactor.merge"}
    assert all(memory >= 1 << 20 for batch in runner.batches for _, memory in batch)
    assert dc.transactions(limit=1).column("operation_types")[0].as_py()


@pytest.mark.parametrize("kind", ["compactor.hash_bucket", "compactor.merge"])
def test_a_failed_task_leaves_the_table_unchanged(dc, tmp_path, kind):
    _merge_on_read_table(dc)
    before = dc.transactions(limit=None)
    with pytest.raises(dc.RetryableIOError, match=f"injected failure of {kind}"):
        dc.compact("t", executor=InProcessRunner(dc, fail_kind=kind))
    assert dc.transactions(limit=None).equals(before)
    assert sorted_rows(dc.read("t")) == [
        {"id": 2, "v": "B"},
        {"id": 3, "v": "c"},
        {"id": 4, "v": "d"},
    ]
    scratch = tmp_path / "catalog" / "compute" / "compactor" / "scratch"
    assert not scratch.exists() or not any(scratch.iterdir())


def test_a_runner_must_answer_bytes(dc):
    _merge_on_read_table(dc)
    with pytest.raises(dc.UnclassifiedDeltaCatError, match="not bytes"):
        dc.compact("t", executor=lambda tasks: ["x" for _ in tasks])
    with pytest.raises(dc.UnclassifiedDeltaCatError, match="returned 0 results"):
        dc.compact("t", executor=lambda tasks: [])


def test_execute_rejects_what_is_not_a_task_spec(dc):
    for bad in [b"", b"not msgpack", b"\x81\xa4kind\xa3xyz"]:
        with pytest.raises(ValueError):
            dc._native.execute(bad)
    with pytest.raises(TypeError):
        dc._native.execute("a str")


def test_history_lists_transactions_newest_first(dc):
    with dc.transaction(commit_message="m1"):
        dc.write(pa.table({"id": [1]}), "a")
    with dc.transaction(commit_message="m2"):
        dc.write(pa.table({"id": [2]}), "b")
    history = dc.transactions()
    assert history.column_names == HISTORY_COLUMNS
    messages = history.column("commit_message").to_pylist()
    assert messages[:2] == ["m2", "m1"]
    starts = history.column("start_time").to_pylist()
    assert starts == sorted(starts, reverse=True)
    assert set(history.column("status").to_pylist()) == {"SUCCESS"}
    first = history.to_pylist()[0]
    assert first["operation_count"] == len(first["operation_types"]) > 0
    assert first["end_time"] >= first["start_time"]


def test_history_limit_and_filters(dc):
    for name in ["a", "b", "c"]:
        dc.write(pa.table({"id": [1]}), name)
    everything = dc.transactions(limit=None)
    assert everything.num_rows >= 3
    assert dc.transactions(limit=2).to_pylist() == everything.to_pylist()[:2]
    newest_start = everything.column("start_time")[0].as_py()
    assert dc.transactions(start_time=newest_start).num_rows == 1
    assert dc.transactions(end_time=newest_start - 1).num_rows == everything.num_rows - 1
    assert dc.transactions(status_in=[dc.TransactionStatus.FAILED]).num_rows == 0
    with pytest.raises(ValueError, match="limit must be > 0"):
        dc.transactions(limit=0)
    with pytest.raises(TypeError, match="limit must be an int"):
        dc.transactions(limit="10")
    with pytest.raises(ValueError, match="invalid status_in"):
        dc.transactions(status_in=["DONE"])
    with pytest.raises(NotImplementedError):
        dc.transactions(read_as=dc.DatasetType.DAFT)


def test_history_of_a_named_catalog(dc, tmp_path):
    dc.put_catalog("other", root=tmp_path / "other")
    dc.write(pa.table({"id": [1]}), "t", catalog="other")
    other = dc.transactions("other", limit=None)
    default = dc.transactions(limit=None)
    assert other.num_rows == default.num_rows + 1
    with pytest.raises(ValueError, match="Catalog 'nope' not found"):
        dc.transactions("nope")


def test_read_transaction(dc):
    with dc.transaction(commit_message="find me") as txn:
        dc.write(pa.table({"id": [1]}), "t")
    record = dc.read_transaction(txn.id)
    assert record.transaction_id == txn.id
    assert record.commit_message == "find me"
    assert record.status == "SUCCESS"
    assert "TransactionRecord(transaction_id=" in repr(record)
    with pytest.raises(FileNotFoundError):
        dc.read_transaction("0_no-such-transaction")


def test_run_janitor_removes_a_crashed_compactions_scratch(dc, tmp_path):
    dc.write(pa.table({"id": [1]}), "t")
    scratch = tmp_path / "catalog" / "compute" / "compactor" / "scratch"
    crashed = scratch / "1000000000000000000_5b7c4d2e-8a9f-4c3b-9d1e-2f3a4b5c6d7e"
    crashed.mkdir(parents=True)
    (crashed / "spill-0.arrow").write_bytes(b"spill")
    report = dc.run_janitor()
    assert not crashed.exists()
    assert f"compute/compactor/scratch/{crashed.name}" in report.removed_paths


def test_run_janitor(dc):
    dc.write(pa.table({"id": [1]}), "t")
    report = dc.run_janitor()
    assert report.transactions_cleaned >= 0
    assert isinstance(report.removed_paths, list)
    assert dc.read("t").num_rows == 1
