"""Interactive transactions: ``with transaction(): ...``.

Inside the ``with`` block every API call that gets neither ``transaction=`` nor ``catalog=``
joins the transaction, through a context variable (so per thread and per asyncio task). The
block commits on normal exit and aborts if it raises; nothing it wrote becomes visible then.
A nested ``with transaction()`` is an independent transaction that commits on its own exit.
"""

from __future__ import annotations

import contextvars
import datetime as _dt
import warnings
from types import TracebackType
from typing import Optional, Type, Union

from . import _native
from ._registry import Catalog, get_catalog

__all__ = ["Transaction", "current_transaction", "transaction", "to_epoch_ns"]

_current: contextvars.ContextVar[Optional["Transaction"]] = contextvars.ContextVar(
    "deltacat_cpp_transaction", default=None
)


def to_epoch_ns(value: Union[int, _dt.datetime, None], argument: str) -> Optional[int]:
    """``value`` (ns since the epoch, or a datetime; naive means UTC) in ns since the epoch."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError(f"{argument} must be an int (ns since the epoch) or a datetime, got bool")
    if isinstance(value, int):
        return value
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_dt.timezone.utc)
        delta = value - _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
        return (delta.days * 86_400 + delta.seconds) * 1_000_000_000 + delta.microseconds * 1_000
    raise TypeError(
        f"{argument} must be an int (ns since the epoch) or a datetime, got {type(value).__name__}"
    )


class Transaction:
    """An interactive transaction on one catalog.

    Use it as a context manager (commit on exit, abort on exception), or pass it as
    ``transaction=`` and call ``commit()`` / ``abort()`` yourself. With ``as_of`` it is a
    read-only snapshot of the catalog at that time: writes inside raise RuntimeError.
    """

    def __init__(
        self,
        catalog: Catalog,
        catalog_name: Optional[str],
        as_of: Optional[int],
        commit_message: Optional[str],
    ):
        self._catalog = catalog
        self._catalog_name = catalog_name
        self._as_of = as_of
        self._commit_message = commit_message
        self._native = catalog.native.begin_transaction(as_of=as_of, commit_message=commit_message)
        self._tokens: list = []

    @property
    def id(self) -> str:
        """The transaction id, ``<start_ns>_<uuid4>``."""
        return self._native.id

    @property
    def start_time(self) -> int:
        """The snapshot time in ns since the epoch (``as_of`` for a historic transaction)."""
        return self._native.snapshot_time

    @property
    def as_of(self) -> Optional[int]:
        """The historic snapshot time, or None for a read-write transaction."""
        return self._as_of

    @property
    def commit_message(self) -> Optional[str]:
        """The commit message recorded in the history."""
        return self._commit_message

    @property
    def catalog(self) -> Catalog:
        """The catalog the transaction runs on."""
        return self._catalog

    @property
    def catalog_name(self) -> Optional[str]:
        """The registry name it was started with (None: the default catalog)."""
        return self._catalog_name

    @property
    def state(self) -> str:
        """``"open"``, ``"committed"``, ``"aborted"`` or ``"failed"`` (the commit failed)."""
        return self._native.state

    @property
    def native(self) -> _native.Transaction:
        """The underlying ``deltacat_cpp._native.Transaction``."""
        return self._native

    def commit(self) -> None:
        """Publishes every write atomically.

        ConcurrentModificationError when a concurrent transaction changed the same objects
        first; the transaction is finished either way.
        """
        self._native.commit()

    def abort(self) -> None:
        """Discards every write; a no-op once aborted."""
        self._native.abort()

    def __enter__(self) -> "Transaction":
        self._tokens.append(_current.set(self))
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> bool:
        _current.reset(self._tokens.pop())
        if exc_type is None:
            if self.state == "open":
                self.commit()
        elif self.state == "open":
            try:
                self.abort()
            except Exception as abort_error:  # the block's own exception is the one to raise
                warnings.warn(f"aborting transaction {self.id} failed: {abort_error}", stacklevel=2)
        return False

    def __repr__(self) -> str:
        return f"Transaction(id={self.id!r}, state={self.state!r})"


def transaction(
    catalog_name: Optional[str] = None,
    as_of: Union[int, _dt.datetime, None] = None,
    commit_message: Optional[str] = None,
) -> Transaction:
    """Starts an interactive transaction on the named (or default) catalog.

    ``as_of`` (ns since the epoch, or a datetime) makes it a read-only snapshot that sees only
    the transactions that ended before that time; a time in the future raises ValueError.
    An unknown catalog name raises ValueError.
    """
    catalog = get_catalog(catalog_name)
    return Transaction(catalog, catalog_name, to_epoch_ns(as_of, "as_of"), commit_message)


def current_transaction() -> Optional[Transaction]:
    """The transaction of the innermost enclosing ``with transaction():`` block, if any."""
    return _current.get()
