"""The exception classes, with Python DeltaCAT's names and hierarchy.

Every error libdeltacat returns is raised as one of these, or as the builtin DeltaCAT itself
raises for that case (ValueError, NotImplementedError, RuntimeError, KeyError,
FileNotFoundError, TimeoutError). The builtins are not DeltaCatErrors, as in DeltaCAT.

A few classes have no DeltaCAT counterpart because DeltaCAT C++ reports the case more
precisely; they sit where DeltaCAT would raise the nearest class:
CorruptMetadataError, UnsupportedFormatError, CommitStateUnknownError and CancelledError are
NonRetryableErrors; NonRetryableIOError is both a NonRetryableDownloadFileError and a
NonRetryableUploadFileError; RetryableIOError is both a RetryableDownloadFileError and a
RetryableUploadFileError.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Type

__all__ = [
    "CancelledError",
    "CommitStateUnknownError",
    "ConcurrentModificationError",
    "ContentTypeValidationError",
    "CorruptMetadataError",
    "DeltaAlreadyExistsError",
    "DeltaCatError",
    "DeltaCatSystemError",
    "DeltaCatTransientError",
    "DeltaNotFoundError",
    "DependencyPyarrowCapacityError",
    "DependencyPyarrowError",
    "DependencyPyarrowInvalidError",
    "GeneralThrottlingError",
    "NamespaceAlreadyExistsError",
    "NamespaceNotFoundError",
    "NonRetryableDownloadFileError",
    "NonRetryableDownloadTableError",
    "NonRetryableError",
    "NonRetryableIOError",
    "NonRetryableUploadFileError",
    "NonRetryableUploadTableError",
    "ObjectAlreadyExistsError",
    "ObjectDeletedError",
    "ObjectNotFoundError",
    "PartitionAlreadyExistsError",
    "PartitionNotFoundError",
    "RetryableDownloadFileError",
    "RetryableDownloadTableError",
    "RetryableError",
    "RetryableIOError",
    "RetryableTimeoutError",
    "RetryableUploadFileError",
    "RetryableUploadTableError",
    "SchemaCompatibilityError",
    "SchemaValidationError",
    "StreamAlreadyExistsError",
    "StreamNotFoundError",
    "TableAlreadyExistsError",
    "TableNotFoundError",
    "TableValidationError",
    "TableVersionAlreadyExistsError",
    "TableVersionNotFoundError",
    "UnclassifiedDeltaCatError",
    "UnsupportedFormatError",
    "ValidationError",
]


class DeltaCatError(Exception):
    """Base class of every DeltaCAT error."""

    error_name: str = "DeltaCatError"
    is_retryable: bool = False


class NonRetryableError(DeltaCatError):
    """Retrying the same operation will fail the same way."""

    is_retryable = False


class RetryableError(DeltaCatError):
    """A transient failure: the same operation may succeed when retried."""

    is_retryable = True


# --- Non-retryable: validation ----------------------------------------------------------------
class ValidationError(NonRetryableError):
    """A failed internal validation."""

    error_name = "ValidationError"


class ContentTypeValidationError(NonRetryableError):
    """An unknown or unsupported content type."""

    error_name = "ContentTypeValidationError"


class SchemaValidationError(NonRetryableError):
    """Data that does not fit the table schema, an unknown column, or a write mode that
    the table's merge keys rule out."""

    error_name = "SchemaValidationError"


class TableValidationError(NonRetryableError):
    """A write or change the table does not allow (e.g. MERGE without merge keys)."""

    error_name = "TableValidationError"


class SchemaCompatibilityError(NonRetryableError):
    """A schema change that would break readers of existing data."""

    error_name = "SchemaCompatibilityError"

    def __init__(self, message: str = "", field_locator: Optional[Any] = None, *args: Any):
        super().__init__(message, *args)
        self.field_locator = field_locator


# --- Non-retryable: missing or existing objects -----------------------------------------------
class NamespaceNotFoundError(NonRetryableError):
    """No such namespace."""

    error_name = "NamespaceNotFoundError"


class TableNotFoundError(NonRetryableError):
    """No such table."""

    error_name = "TableNotFoundError"


class TableVersionNotFoundError(NonRetryableError):
    """No such table version."""

    error_name = "TableVersionNotFoundError"


class StreamNotFoundError(NonRetryableError):
    """No such stream."""

    error_name = "StreamNotFoundError"


class PartitionNotFoundError(NonRetryableError):
    """No such partition."""

    error_name = "PartitionNotFoundError"


class DeltaNotFoundError(NonRetryableError):
    """No such delta."""

    error_name = "DeltaNotFoundError"


class NamespaceAlreadyExistsError(NonRetryableError):
    """The namespace already exists."""

    error_name = "NamespaceAlreadyExistsError"


class TableAlreadyExistsError(NonRetryableError):
    """The table already exists."""

    error_name = "TableAlreadyExistsError"


class TableVersionAlreadyExistsError(NonRetryableError):
    """The table version already exists (or is not the next version)."""

    error_name = "TableVersionAlreadyExistsError"


class StreamAlreadyExistsError(NonRetryableError):
    """The stream already exists."""

    error_name = "StreamAlreadyExistsError"


class PartitionAlreadyExistsError(NonRetryableError):
    """The partition already exists."""

    error_name = "PartitionAlreadyExistsError"


class DeltaAlreadyExistsError(NonRetryableError):
    """The delta already exists."""

    error_name = "DeltaAlreadyExistsError"


class ObjectNotFoundError(NonRetryableError):
    """A metadata object does not exist."""

    error_name = "ObjectNotFoundError"


class ObjectDeletedError(NonRetryableError):
    """A metadata object was deleted."""

    error_name = "ObjectDeletedError"


class ObjectAlreadyExistsError(NonRetryableError):
    """A metadata object already exists."""

    error_name = "ObjectAlreadyExistsError"


# --- Non-retryable: transactions, storage, internal -------------------------------------------
class ConcurrentModificationError(NonRetryableError):
    """A concurrent transaction changed the same objects first, so this one did not
    commit. The whole operation may be retried."""

    error_name = "ConcurrentModificationError"


class CommitStateUnknownError(NonRetryableError):
    """The commit may or may not have happened (e.g. a lost storage response): check
    before retrying. DeltaCAT C++ only."""

    error_name = "CommitStateUnknownError"


class CorruptMetadataError(NonRetryableError):
    """A metadata file, log entry or name that cannot be decoded (the message names
    it). DeltaCAT C++ only."""

    error_name = "CorruptMetadataError"


class UnsupportedFormatError(NonRetryableError):
    """A catalog or file written in a newer format than this version knows. DeltaCAT
    C++ only."""

    error_name = "UnsupportedFormatError"


class CancelledError(NonRetryableError):
    """The operation was cancelled. DeltaCAT C++ only."""

    error_name = "CancelledError"


class UnclassifiedDeltaCatError(NonRetryableError):
    """An unexpected internal error (a bug: please report it)."""

    error_name = "UnclassifiedDeltaCatError"


class DeltaCatSystemError(NonRetryableError):
    """A system error."""

    error_name = "DeltaCatSystemError"


class DependencyPyarrowError(NonRetryableError):
    """An error raised by Arrow."""

    error_name = "DependencyPyarrowError"


class DependencyPyarrowInvalidError(NonRetryableError):
    """Arrow rejected its input."""

    error_name = "DependencyPyarrowInvalidError"


class DependencyPyarrowCapacityError(NonRetryableError):
    """Out of memory, or a memory budget or Arrow capacity limit was exceeded."""

    error_name = "DependencyPyarrowCapacityError"


class NonRetryableDownloadFileError(NonRetryableError):
    """Reading a file failed for good."""

    error_name = "NonRetryableDownloadFileError"


class NonRetryableDownloadTableError(NonRetryableDownloadFileError):
    """Reading a table's file failed for good."""

    error_name = "NonRetryableDownloadTableError"


class NonRetryableUploadFileError(NonRetryableError):
    """Writing a file failed for good."""

    error_name = "NonRetryableUploadFileError"


class NonRetryableUploadTableError(NonRetryableUploadFileError):
    """Writing a table's file failed for good."""

    error_name = "NonRetryableUploadTableError"


class NonRetryableIOError(NonRetryableDownloadFileError, NonRetryableUploadFileError):
    """A storage operation failed for good (permissions, a missing file, ...).
    DeltaCAT C++ only."""

    error_name = "NonRetryableIOError"


# --- Retryable --------------------------------------------------------------------------------
class DeltaCatTransientError(RetryableError):
    """A transient error."""

    error_name = "DeltaCatTransientError"


class GeneralThrottlingError(RetryableError):
    """The storage service throttled the request."""

    error_name = "GeneralThrottlingError"


class RetryableTimeoutError(RetryableError):
    """A transient timeout."""

    error_name = "RetryableTimeoutError"


class RetryableDownloadFileError(RetryableError):
    """Reading a file failed transiently."""

    error_name = "RetryableDownloadFileError"


class RetryableDownloadTableError(RetryableDownloadFileError):
    """Reading a table's file failed transiently."""

    error_name = "RetryableDownloadTableError"


class RetryableUploadFileError(RetryableError):
    """Writing a file failed transiently."""

    error_name = "RetryableUploadFileError"


class RetryableUploadTableError(RetryableUploadFileError):
    """Writing a table's file failed transiently."""

    error_name = "RetryableUploadTableError"


class RetryableIOError(RetryableDownloadFileError, RetryableUploadFileError):
    """A storage operation failed transiently (throttling, timeouts) and its retries ran
    out. DeltaCAT C++ only."""

    error_name = "RetryableIOError"


#: The class raised for each error name libdeltacat reports (its ErrorName()).
ERROR_CLASSES: Dict[str, Type[BaseException]] = {
    "ValueError": ValueError,
    "NotImplementedError": NotImplementedError,
    "RuntimeError": RuntimeError,
    "KeyError": KeyError,
    "FileNotFoundError": FileNotFoundError,
    "TimeoutError": TimeoutError,
}
ERROR_CLASSES.update(
    {
        name: cls
        for name, cls in globals().items()
        if isinstance(cls, type) and issubclass(cls, DeltaCatError) and name == cls.__name__
    }
)
