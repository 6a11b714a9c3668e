"""Command-line compaction on Ray: what ``deltacat compact --executor ray`` runs.

    python -m deltacat_cpp.ray_compact --catalog ROOT [--ray-address ADDR]
        [--hash-buckets N] [--memory-budget-bytes BYTES] [--table-version V]
        [--max-retries N] [NAMESPACE/]TABLE

The CLI binary (C++) cannot host Ray's Python driver, so it runs this module in a Python that
has ``deltacat_cpp`` and ``ray`` installed ($DELTACAT_PYTHON, else ``python3``) and relays its
output and errors. On success it prints ``Compacted <table>`` and exits 0; on failure it
prints one line ``<ErrorClass>: <message>`` to stderr and exits 1 (2 for bad arguments).
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import List, Optional


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m deltacat_cpp.ray_compact",
        description="Compact a DeltaCAT table with its tasks running on a Ray cluster.",
    )
    parser.add_argument("table", metavar="[NAMESPACE/]TABLE")
    parser.add_argument("--catalog", required=True, help="catalog root URI (path or s3://...)")
    parser.add_argument("--ray-address", default=None, help="Ray cluster address (default: auto)")
    parser.add_argument("--hash-buckets", type=int, default=None)
    parser.add_argument("--memory-budget-bytes", type=int, default=None)
    parser.add_argument("--table-version", default=None)
    parser.add_argument("--max-retries", type=int, default=3)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    args = _parser().parse_args(argv)
    namespace, _, table = args.table.rpartition("/")
    try:
        import deltacat_cpp as dc

        # Ray's own progress lines are noise for a CLI command; its warnings are not.
        logging.getLogger("ray").setLevel(logging.WARNING)
        catalog = dc.Catalog(args.catalog)
        dc.compact(
            table,
            namespace or None,
            table_version=args.table_version,
            hash_buckets=args.hash_buckets,
            memory_budget_bytes=args.memory_budget_bytes,
            executor="ray",
            ray_address=args.ray_address,
            max_retries=args.max_retries,
            catalog=catalog,
        )
    except Exception as error:  # noqa: BLE001 - reported as the CLI reports errors
        # Ray wraps a task's exception in a class deriving from both; name the task's own.
        cause = getattr(error, "cause", None)
        reported = cause if isinstance(cause, BaseException) else error
        message = str(reported).strip().splitlines()
        print(
            f"{type(reported).__name__}: {message[0] if message else ''}",
            file=sys.stderr,
            flush=True,
        )
        return 1
    print(f"Compacted {args.table}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
