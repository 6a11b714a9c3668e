"""Transactions: the context manager, explicit transactions, isolation, conflicts, time
travel."""

from __future__ import annotations

import threading
import time

import pyarrow as pa
import pytest


def _in_thread(fn):
    """fn() on a fresh thread: a new context, so outside any `with transaction()`."""
    result = {}

    def run():
        try:
            result["value"] = fn()
        except BaseException as error:  # re-raised on the caller's thread
            result["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["value"]


def test_block_commits_every_write_atomically(dc):
    with dc.transaction() as txn:
        assert dc.current_transaction() is txn
        dc.write(pa.table({"id": [1, 2]}), "customers", mode="create")
        dc.write(pa.table({"id": [10]}), "orders", mode="create")
        # Not visible outside the transaction before it commits.
        assert not _in_thread(lambda: dc.table_exists("customers"))
        assert txn.state == "open"
    assert dc.current_transaction() is None
    assert txn.state == "committed"
    assert dc.read("customers").num_rows == 2
    assert dc.read("orders").num_rows == 1


def test_exception_rolls_back(dc):
    dc.write(pa.table({"id": [1, 2]}), "t")
    with pytest.raises(ValueError, match="boom"):
        with dc.transaction() as txn:
            dc.write(pa.table({"id": [3]}), "t", mode="append")
            dc.write(pa.table({"id": [4]}), "other")
            raise ValueError("boom")
    assert txn.state == "aborted"
    assert dc.read("t").num_rows == 2
    assert not dc.table_exists("other")


def test_reads_inside_see_own_writes(dc):
    with dc.transaction():
        dc.write(pa.table({"id": [1, 2, 3]}), "p", mode="create")
        assert dc.table_exists("p")
        assert dc.read("p").num_rows == 3
        assert [t.table_name for t in dc.list_tables()] == ["p"]


def test_nested_transactions_are_independent(dc):
    with pytest.raises(RuntimeError, match="outer fails"):
        with dc.transaction() as outer:
            dc.write(pa.table({"id": [1]}), "o")
            with dc.transaction() as inner:
                assert dc.current_transaction() is inner
                dc.write(pa.table({"id": [2]}), "i")
            assert dc.current_transaction() is outer
            raise RuntimeError("outer fails")
    assert dc.table_exists("i")
    assert not dc.table_exists("o")


def test_explicit_transaction_argument(dc):
    txn = dc.transaction(commit_message="explicit")
    dc.create_namespace("ns", transaction=txn)
    dc.write(pa.table({"id": [1]}), "t", "ns", transaction=txn)
    assert dc.namespace_exists("ns", transaction=txn)
    assert not dc.namespace_exists("ns")
    txn.commit()
    assert txn.state == "committed"
    assert dc.read("t", "ns").num_rows == 1
    with pytest.raises(RuntimeError, match="already committed"):
        dc.write(pa.table({"id": [2]}), "t", "ns", transaction=txn)
    with pytest.raises(RuntimeError, match="already committed"):
        txn.commit()


def test_abort_discards_writes(dc):
    txn = dc.transaction()
    dc.write(pa.table({"id": [1]}), "t", transaction=txn)
    txn.abort()
    txn.abort()  # a no-op the second time
    assert txn.state == "aborted"
    assert not dc.table_exists("t")
    with pytest.raises(RuntimeError, match="already aborted"):
        dc.read("t", transaction=txn)


def test_transaction_properties(dc):
    before = time.time_ns()
    txn = dc.transaction(commit_message="hello")
    assert txn.commit_message == "hello"
    assert txn.start_time >= before
    assert txn.id.startswith(str(txn.start_time)[:10])
    assert txn.as_of is None
    assert txn.catalog is dc.get_catalog()
    assert txn.catalog_name is None
    assert repr(txn) == f"Transaction(id={txn.id!r}, state='open')"
    txn.abort()


def test_catalog_and_transaction_are_mutually_exclusive(dc):
    txn = dc.transaction()
    with pytest.raises(ValueError, match="mutually exclusive"):
        dc.table_exists("t", transaction=txn, catalog="default")
    with txn:
        with pytest.raises(ValueError, match="mutually exclusive"):
            dc.write(pa.table({"id": [1]}), "t", catalog="default")


def test_unknown_catalog_name(dc):
    with pytest.raises(ValueError, match="Catalog 'nope' not found"):
        dc.transaction("nope")


def test_transaction_of_another_catalog_is_rejected(dc, tmp_path):
    other = dc.put_catalog("other", root=tmp_path / "other")
    txn = dc.transaction("other")
    assert txn.catalog is other
    with pytest.raises(ValueError, match="belongs to catalog"):
        dc.get_catalog().native.table_exists("default", "t", transaction=txn.native)
    txn.abort()


def test_threads_do_not_share_the_ambient_transaction(dc):
    with dc.transaction():
        assert _in_thread(dc.current_transaction) is None
        dc.write(pa.table({"id": [1]}), "t")
        _in_thread(lambda: dc.write(pa.table({"id": [1]}), "u"))
        # u was committed by the thread on its own; t is still pending.
        assert _in_thread(lambda: dc.table_exists("u"))
        assert not _in_thread(lambda: dc.table_exists("t"))
    assert dc.table_exists("t")


def test_concurrent_writers_conflict(dc):
    dc.create_table("c", schema=pa.schema([("id", pa.int64())]))
    dc.write(pa.table({"id": [0]}), "c", mode="append")
    first, second = dc.transaction(), dc.transaction()
    outcome = {}
    for name, txn in (("first", first), ("second", second)):
        try:
            dc.write(pa.table({"id": [1]}), "c", mode="append", transaction=txn)
        except dc.ConcurrentModificationError:
            outcome[name] = False
            txn.abort()
    for name, txn in (("first", first), ("second", second)):
        if name not in outcome:
            try:
                txn.commit()
                outcome[name] = True
            except dc.ConcurrentModificationError:
                outcome[name] = False
    assert sorted(outcome.values()) == [False, True]
    assert dc.read("c").num_rows == 2


def test_time_travel(dc):
    dc.write(pa.table({"id": [1, 2, 3], "tier": ["basic"] * 3}), "t")
    time.sleep(0.01)
    t1 = time.time_ns()
    time.sleep(0.01)
    dc.write(pa.table({"id": [4], "tier": ["premium"]}), "t")
    with dc.transaction(as_of=t1) as snapshot:
        assert snapshot.as_of == t1
        assert snapshot.start_time == t1
        assert sorted(dc.read("t").column("id").to_pylist()) == [1, 2, 3]
        with pytest.raises(RuntimeError, match="read-only historic transaction"):
            dc.write(pa.table({"id": [5], "tier": ["x"]}), "t")
    assert dc.read("t").num_rows == 4


def test_time_travel_before_the_table_existed(dc):
    before = time.time_ns()
    time.sleep(0.01)
    dc.write(pa.table({"id": [1]}), "t")
    with dc.transaction(as_of=before):
        with pytest.raises(dc.TableNotFoundError):
            dc.read("t")


def test_time_travel_into_the_future_is_rejected(dc):
    with pytest.raises(ValueError):
        dc.transaction(as_of=time.time_ns() + 10**12)
    with pytest.raises(TypeError, match="as_of must be"):
        dc.transaction(as_of=1.5)


def test_threads_write_in_parallel(dc):
    """Catalog calls release the GIL and may run on many threads; a conflict is retried, as
    DeltaCAT advises for ConcurrentModificationError."""
    errors = []

    def writer(index):
        try:
            for batch in range(3):
                for _attempt in range(20):
                    try:
                        dc.write(pa.table({"batch": [batch] * 10}), f"t{index}")
                        break
                    except dc.ConcurrentModificationError:
                        continue
                else:
                    raise AssertionError(f"t{index}: batch {batch} kept conflicting")
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for i in range(4):
        assert sorted(dc.read(f"t{i}").column("batch").to_pylist()) == [0] * 10 + [1] * 10 + [2] * 10
