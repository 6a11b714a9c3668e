"""The process-wide catalog registry: ``init``, ``init_local``, ``get_catalog``, ...

As in Python DeltaCAT, every API call picks its catalog by, in order: the ``catalog=`` name,
the catalog of the active transaction, the default catalog. Unlike DeltaCAT, the registry is
process-local (no Ray actor) and not persisted to a config file.
"""

from __future__ import annotations

import os
import threading
import warnings
from typing import Dict, Optional, Union

from . import _native

__all__ = [
    "Catalog",
    "CatalogProperties",
    "clear_catalogs",
    "get_catalog",
    "init",
    "init_local",
    "is_initialized",
    "pop_catalog",
    "put_catalog",
    "raise_if_not_initialized",
]


class CatalogProperties:
    """Where a catalog lives (Python DeltaCAT's CatalogProperties).

    ``root`` is a local path or ``s3://bucket/prefix``; None means ``$DELTACAT_ROOT``, else
    ``./.deltacat``.
    """

    def __init__(self, root: Optional[str] = None):
        self.root = root

    def __repr__(self) -> str:
        return f"CatalogProperties(root={self.root!r})"


class Catalog:
    """An open catalog: ``Catalog("/data/lake")``, ``Catalog(root="s3://bucket/lake")`` or
    ``Catalog(CatalogProperties(root=...))``.

    Opening initialises the catalog on first use (version marker, ``default`` namespace).
    Raises the typed errors of libdeltacat (e.g. UnsupportedFormatError, CorruptMetadataError).
    """

    def __init__(
        self,
        config: Union[CatalogProperties, str, os.PathLike, None] = None,
        *,
        root: Union[str, os.PathLike, None] = None,
    ):
        if isinstance(config, CatalogProperties):
            if root is not None:
                raise ValueError("give the root either in config or as root=, not both")
            root = config.root
        elif config is not None:
            if root is not None:
                raise ValueError("give the root either positionally or as root=, not both")
            if not isinstance(config, (str, os.PathLike)):
                raise ValueError(
                    f"config must be a CatalogProperties, a path or None, got {type(config).__name__}"
                )
            root = config
        self._native = _native.Catalog.open(os.fspath(root) if root is not None else "")

    @property
    def root(self) -> str:
        """The canonical root URI: an absolute path or ``s3://bucket/prefix``."""
        return self._native.root_uri

    @property
    def native(self) -> _native.Catalog:
        """The underlying ``deltacat_cpp._native.Catalog``."""
        return self._native

    def __repr__(self) -> str:
        return f"Catalog(root={self.root!r})"


class _Registry:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.catalogs: Dict[str, Catalog] = {}
        self.default: Optional[str] = None
        self.initialized = False


_registry = _Registry()


def _as_catalog(value: Union[Catalog, CatalogProperties, str, os.PathLike]) -> Catalog:
    if isinstance(value, Catalog):
        return value
    if isinstance(value, (CatalogProperties, str, os.PathLike)):
        return Catalog(value)
    raise ValueError(
        f"expected a Catalog, CatalogProperties or root path, got {type(value).__name__}"
    )


def init(
    catalogs: Union[Catalog, Dict[str, Catalog], None] = None,
    default: Optional[str] = None,
    *,
    force: bool = False,
) -> None:
    """Registers catalogs for the module-level API.

    ``catalogs`` is one Catalog (registered as ``"default"``) or a ``{name: Catalog}`` dict
    (values may also be CatalogProperties or root paths). The default catalog is ``default``
    (ValueError if it is not among them), else the only catalog, else none: calls must then
    name one with ``catalog=``. A second ``init`` is a no-op with a warning unless
    ``force=True``, which replaces the registry.
    """
    with _registry.lock:
        if _registry.initialized and not force:
            warnings.warn(
                "deltacat_cpp is already initialized; pass force=True to re-initialize",
                stacklevel=2,
            )
            return
        if catalogs is None:
            named: Dict[str, Catalog] = {}
        elif isinstance(catalogs, dict):
            named = {}
            for name, catalog in catalogs.items():
                if not isinstance(name, str) or not name:
                    raise ValueError(f"catalog names must be non-empty strings, got {name!r}")
                named[name] = _as_catalog(catalog)
        else:
            named = {"default": _as_catalog(catalogs)}
        if default is not None and default not in named:
            raise ValueError(
                f"Default catalog '{default}' not found among the catalogs: {sorted(named)}"
            )
        _registry.catalogs = named
        _registry.default = default if default is not None else (
            next(iter(named)) if len(named) == 1 else None
        )
        _registry.initialized = True


def init_local(path: Union[str, os.PathLike, None] = None, *, force: bool = False) -> None:
    """Registers the local catalog at ``path`` as ``"default"``.

    ``path`` None means ``$DELTACAT_ROOT``, else ``./.deltacat``. Same ``force`` rule as
    ``init``.
    """
    with _registry.lock:
        if _registry.initialized and not force:
            warnings.warn(
                "deltacat_cpp is already initialized; pass force=True to re-initialize",
                stacklevel=2,
            )
            return
        init({"default": Catalog(root=path)}, default="default", force=True)


def is_initialized() -> bool:
    """Whether ``init`` or ``init_local`` ran."""
    return _registry.initialized


def raise_if_not_initialized(
    err_msg: str = "deltacat_cpp is not initialized: call init() or init_local() first",
) -> None:
    """Raises RuntimeError(err_msg) unless the registry is initialized."""
    if not _registry.initialized:
        raise RuntimeError(err_msg)


def get_catalog(name: Optional[str] = None) -> Catalog:
    """The catalog registered as ``name``, or the default one.

    ValueError when nothing is registered, ``name`` is unknown, or no name was given and
    there is no default.
    """
    with _registry.lock:
        if not _registry.initialized or not _registry.catalogs:
            raise ValueError(
                "No catalogs available! Call deltacat_cpp.init() or init_local() first."
            )
        if name is None:
            if _registry.default is None:
                raise ValueError(
                    "No default catalog is set: pass catalog=<name> "
                    f"(registered: {sorted(_registry.catalogs)})"
                )
            name = _registry.default
        catalog = _registry.catalogs.get(name)
        if catalog is None:
            raise ValueError(
                f"Catalog '{name}' not found. Registered catalogs: {sorted(_registry.catalogs)}"
            )
        return catalog


def put_catalog(
    name: str,
    catalog: Union[Catalog, CatalogProperties, None] = None,
    *,
    default: bool = False,
    fail_if_exists: bool = False,
    root: Union[str, os.PathLike, None] = None,
) -> Catalog:
    """Registers ``catalog`` (or a new Catalog at ``root``) as ``name``; initializes the
    registry if needed.

    Replaces a catalog of the same name unless ``fail_if_exists`` (then ValueError). It
    becomes the default with ``default=True`` or when it is the only catalog.
    """
    if not isinstance(name, str) or not name:
        raise ValueError(f"catalog name must be a non-empty string, got {name!r}")
    if catalog is not None and root is not None:
        raise ValueError("give either a catalog or root=, not both")
    resolved = _as_catalog(catalog) if catalog is not None else Catalog(root=root)
    with _registry.lock:
        if fail_if_exists and name in _registry.catalogs:
            raise ValueError(f"Catalog '{name}' already exists")
        _registry.catalogs[name] = resolved
        _registry.initialized = True
        if default or len(_registry.catalogs) == 1:
            _registry.default = name
    return resolved


def pop_catalog(name: str) -> Optional[Catalog]:
    """Unregisters ``name`` and returns its catalog, or None if it was not registered."""
    with _registry.lock:
        catalog = _registry.catalogs.pop(name, None)
        if catalog is not None and _registry.default == name:
            _registry.default = None
        return catalog


def clear_catalogs() -> None:
    """Unregisters every catalog (the registry stays initialized)."""
    with _registry.lock:
        _registry.catalogs.clear()
        _registry.default = None
