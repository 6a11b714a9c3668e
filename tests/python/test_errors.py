"""The exception classes: DeltaCAT's names and hierarchy, and the mapping of every error
libdeltacat can return."""

from __future__ import annotations

import pytest

import deltacat_cpp as dc
from deltacat_cpp import _native

BUILTINS = {
    "ValueError": ValueError,
    "NotImplementedError": NotImplementedError,
    "RuntimeError": RuntimeError,
    "KeyError": KeyError,
    "FileNotFoundError": FileNotFoundError,
    "TimeoutError": TimeoutError,
}


@pytest.mark.parametrize("name,retryable", _native._error_names())
def test_every_libdeltacat_error_raises_its_class(name, retryable):
    with pytest.raises(BaseException) as raised:
        _native._raise_error(name, f"message for {name}")
    error = raised.value
    if name in BUILTINS:
        assert type(error) is BUILTINS[name]
        assert not isinstance(error, dc.DeltaCatError)
    else:
        assert type(error).__name__ == name
        assert type(error) is getattr(dc, name)
        assert isinstance(error, dc.DeltaCatError)
        assert error.error_name == name
        # Retryable in libdeltacat <=> a RetryableError here.
        assert error.is_retryable == retryable
        assert isinstance(error, dc.RetryableError if retryable else dc.NonRetryableError)
    assert f"message for {name}" in str(error)


def test_unknown_error_name_is_a_value_error():
    with pytest.raises(ValueError, match="unknown error name 'NoSuchError'"):
        _native._raise_error("NoSuchError", "x")


def test_hierarchy_matches_python_deltacat():
    non_retryable = [
        dc.ValidationError,
        dc.ContentTypeValidationError,
        dc.SchemaValidationError,
        dc.SchemaCompatibilityError,
        dc.TableValidationError,
        dc.NamespaceNotFoundError,
        dc.TableNotFoundError,
        dc.TableVersionNotFoundError,
        dc.StreamNotFoundError,
        dc.PartitionNotFoundError,
        dc.DeltaNotFoundError,
        dc.NamespaceAlreadyExistsError,
        dc.TableAlreadyExistsError,
        dc.TableVersionAlreadyExistsError,
        dc.StreamAlreadyExistsError,
        dc.PartitionAlreadyExistsError,
        dc.DeltaAlreadyExistsError,
        dc.ObjectNotFoundError,
        dc.ObjectDeletedError,
        dc.ObjectAlreadyExistsError,
        dc.ConcurrentModificationError,
        dc.UnclassifiedDeltaCatError,
        dc.DeltaCatSystemError,
        dc.DependencyPyarrowError,
        dc.DependencyPyarrowInvalidError,
        dc.DependencyPyarrowCapacityError,
        dc.NonRetryableDownloadFileError,
        dc.NonRetryableUploadFileError,
    ]
    for cls in non_retryable:
        assert issubclass(cls, dc.NonRetryableError), cls
        assert issubclass(cls, dc.DeltaCatError), cls
        assert cls.is_retryable is False
        assert cls.error_name == cls.__name__
    assert issubclass(dc.NonRetryableDownloadTableError, dc.NonRetryableDownloadFileError)
    assert issubclass(dc.NonRetryableUploadTableError, dc.NonRetryableUploadFileError)
    for cls in [
        dc.DeltaCatTransientError,
        dc.GeneralThrottlingError,
        dc.RetryableTimeoutError,
        dc.RetryableUploadFileError,
        dc.RetryableDownloadFileError,
    ]:
        assert issubclass(cls, dc.RetryableError), cls
        assert cls.is_retryable is True
    assert issubclass(dc.RetryableDownloadTableError, dc.RetryableDownloadFileError)
    assert issubclass(dc.RetryableUploadTableError, dc.RetryableUploadFileError)
    assert issubclass(dc.DeltaCatError, Exception)
    assert not issubclass(dc.RetryableError, dc.NonRetryableError)


def test_io_errors_are_both_download_and_upload_errors():
    assert issubclass(dc.NonRetryableIOError, dc.NonRetryableDownloadFileError)
    assert issubclass(dc.NonRetryableIOError, dc.NonRetryableUploadFileError)
    assert issubclass(dc.RetryableIOError, dc.RetryableDownloadFileError)
    assert issubclass(dc.RetryableIOError, dc.RetryableUploadFileError)


def test_schema_compatibility_error_carries_the_field_locator():
    error = dc.SchemaCompatibilityError("cannot remove", field_locator="score")
    assert error.field_locator == "score"
    assert str(error) == "cannot remove"


def test_errors_can_be_caught_by_their_base_classes():
    with pytest.raises(dc.DeltaCatError):
        _native._raise_error("TableNotFoundError", "missing")
    with pytest.raises(dc.NonRetryableError):
        _native._raise_error("ConcurrentModificationError", "lost")
    with pytest.raises(dc.RetryableError):
        _native._raise_error("RetryableIOError", "throttled")
