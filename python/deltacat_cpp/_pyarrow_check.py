"""Refuses to load the extension next to the wrong pyarrow.

The extension and the libdeltacat it bundles link pyarrow's own libarrow.so.<major*100+minor>
(from site-packages/pyarrow), so they only work with the pyarrow release they were built
against. Checking first turns a loader error ("libarrow.so.1600: cannot open shared object
file") into an ImportError that says what to install.
"""

from __future__ import annotations


def require_matching_pyarrow() -> None:
    """Imports pyarrow (so its libarrow is loaded) and checks its version; raises ImportError
    naming both versions on a mismatch."""
    try:
        from . import _build_info
    except ImportError as error:
        raise ImportError(
            "deltacat_cpp is not built: install the wheel (`make build` puts it in dist/ and "
            "venv/) instead of importing python/deltacat_cpp from the source tree"
        ) from error
    wanted = _build_info.PYARROW_VERSION
    try:
        import pyarrow
    except ImportError as error:
        raise ImportError(
            f"deltacat_cpp {_build_info.VERSION} needs pyarrow=={wanted}, which cannot be "
            f"imported ({error}); install it with `pip install pyarrow=={wanted}`"
        ) from error
    installed = getattr(pyarrow, "__version__", "unknown")
    if installed != wanted:
        raise ImportError(
            f"deltacat_cpp {_build_info.VERSION} was built against pyarrow {wanted} "
            f"(libarrow.so.{_build_info.ARROW_SO_VERSION}) and cannot run with pyarrow "
            f"{installed} ({getattr(pyarrow, '__file__', '?')}); install the matching one with "
            f"`pip install pyarrow=={wanted}`"
        )
