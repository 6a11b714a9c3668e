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
    with pytest.raises(NotImplementedError, match="executor='ray' is not available yet"):
        dc.compact("t", executor="ray")
    with pytest.raises(ValueError, match="unknown executor 'spark'"):
        dc.compact("t", executor="spark")
    with dc.transaction():
        with pytest.raises(RuntimeError, match="cannot run inside"):
            dc.compact("t")


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


def test_run_janitor(dc):
    dc.write(pa.table({"id": [1]}), "t")
    report = dc.run_janitor()
    assert report.transactions_cleaned >= 0
    assert isinstance(report.removed_paths, list)
    assert dc.read("t").num_rows == 1
