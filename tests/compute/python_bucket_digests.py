"""Prints Python DeltaCAT's primary-key digests for the rows of an Arrow IPC file.

Usage: python python_bucket_digests.py TABLE.arrow KEYS [KEYS...]

Each KEYS is a comma-separated merge-key group (e.g. "pk" or "a,b").

Calls the compactor v2 bucketing code of the installed `deltacat` package
(`compactor_v2/utils/primary_key_index.generate_pk_hash_column(..., requires_hash=True)`,
with the keys sorted as `CompactPartitionParams.of` sorts them), and prints, per key group and
row, "GROUP_INDEX DIGEST" where DIGEST is the 40-character SHA-1 hex digest. Used by tests/compute/hash_bucket_test.cc to check our bucketing
against the real implementation.
"""

import sys

import pyarrow as pa
from deltacat.compute.compactor.utils import system_columns as sc
from deltacat.compute.compactor_v2.utils.primary_key_index import generate_pk_hash_column


def main() -> None:
    path, groups = sys.argv[1], sys.argv[2:]
    with pa.memory_map(path) as source:
        table = pa.ipc.open_file(source).read_all()
    for index, group in enumerate(groups):
        keys = sorted(group.split(","))
        hashed = generate_pk_hash_column([table], keys, requires_hash=True)[0]
        for digest in sc.pk_hash_string_column_np(hashed):
            print(index, digest)


if __name__ == "__main__":
    main()
