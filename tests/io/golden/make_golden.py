"""Writes the golden data files of tests/io with Python DeltaCAT's own writers.

Run with the interop venv (deltacat 2.0.0.post4, pyarrow 16, polars):

    venv-interop/bin/python tests/io/golden/make_golden.py tests/io/golden

For each content type it writes `python.<ext>` exactly as `deltacat.utils.pyarrow.table_to_file`
does for a catalog write (writer kwargs from `content_type_to_writer_kwargs`, gzip through the
".gz" suffix for the text formats, JSON through Polars), and `python.<ext>.expected.arrow`, an
uncompressed Arrow IPC file with the table that was written, which the C++ tests compare to.
"""
import datetime
import decimal
import os
import sys

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.ipc as ipc

from deltacat.types.media import ContentType
from deltacat.utils.pyarrow import table_to_file

UTC = datetime.timezone.utc


def column(name, type_, values, field_id=None):
    metadata = {b"PARQUET:field_id": str(field_id).encode()} if field_id is not None else None
    return pa.field(name, type_, metadata=metadata), pa.array(values, type_)


def full_table():
    cols = [
        column("i8", pa.int8(), [-128, None, 0, 127], 1),
        column("i16", pa.int16(), [-32768, 7, None, 32767], 2),
        column("i32", pa.int32(), [None, -5, 2**31 - 1, 0], 3),
        column("i64", pa.int64(), [-(2**63), 2**63 - 1, None, 42], 4),
        column("u8", pa.uint8(), [0, 255, None, 1], 5),
        column("u16", pa.uint16(), [None, 65535, 0, 1], 6),
        column("u32", pa.uint32(), [2**32 - 1, None, 0, 1], 7),
        column("u64", pa.uint64(), [2**64 - 1, 0, 1, None], 8),
        column("f32", pa.float32(), [1.5, None, -0.25, 3.0], 9),
        column("f64", pa.float64(), [1e300, -2.5, None, 0.1], 10),
        column("b", pa.bool_(), [True, False, None, True], 11),
        column("s", pa.string(), ["plain", None, "", "comma, \"quote\"|pipe\ttab\nnewline é"], 12),
        column("ls", pa.large_string(), [None, "large", "ünïcödé", ""], 13),
        column("bin", pa.binary(), [b"\x00\xff", None, b"", b"abc"], 14),
        column("d", pa.date32(), [datetime.date(1969, 7, 20), None, datetime.date(2024, 2, 29),
                                 datetime.date(1, 1, 1)], 15),
        column("ts_us", pa.timestamp("us"), [datetime.datetime(2020, 1, 2, 3, 4, 5, 6), None,
                                             datetime.datetime(1960, 12, 31, 23, 59, 59),
                                             datetime.datetime(2038, 1, 19, 3, 14, 8)], 16),
        column("ts_ns_utc", pa.timestamp("ns", tz="UTC"), [1, None, -1_000_000_001,
                                                            1_700_000_000_123_456_789], 17),
        column("ts_us_ny", pa.timestamp("us", tz="America/New_York"),
               [datetime.datetime(2021, 6, 1, 12, 0, tzinfo=UTC), None,
                datetime.datetime(2021, 12, 1, 12, 0, 0, 500, tzinfo=UTC), None], 18),
        column("dec", pa.decimal128(10, 3), [decimal.Decimal("1234567.891"), None,
                                             decimal.Decimal("-0.001"), decimal.Decimal("0")], 19),
        column("l", pa.list_(pa.int64()), [[1, None, 3], None, [], [2**62]], 20),
        column("st", pa.struct([("x", pa.int64()), ("y", pa.string())]),
               [{"x": 1, "y": "a"}, None, {"x": None, "y": None}, {"x": -1, "y": ""}], 21),
    ]
    return pa.table([c[1] for c in cols], schema=pa.schema([c[0] for c in cols]))


# What each format can carry (see src/deltacat/io/format_types.h).
NOT_IN_ORC = {"u8", "u16", "u32", "u64"}
NOT_IN_TEXT = {"bin", "l", "st"}
NOT_IN_JSON = {"bin"}


def drop(table, names):
    return table.drop_columns([n for n in names if n in table.column_names])


def write(out_dir, table, content_type, file_name):
    table_to_file(table, out_dir, pafs.LocalFileSystem(), lambda _base: file_name,
                  content_type.value)
    with ipc.new_file(os.path.join(out_dir, file_name + ".expected.arrow"), table.schema) as w:
        w.write_table(table)


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    table = full_table()
    write(out_dir, table, ContentType.PARQUET, "python.parquet")
    write(out_dir, table, ContentType.FEATHER, "python.feather")
    write(out_dir, drop(table, NOT_IN_ORC), ContentType.ORC, "python.orc")
    text = drop(table, NOT_IN_TEXT)
    write(out_dir, text, ContentType.CSV, "python.csv.gz")
    write(out_dir, text, ContentType.TSV, "python.tsv.gz")
    write(out_dir, text, ContentType.PSV, "python.psv.gz")
    # Unescaped TSV cannot hold tabs, newlines or quotes, and reads "" back as null.
    unescaped = text.set_column(text.schema.get_field_index("s"), text.schema.field("s"),
                                pa.array(["plain", None, None, "comma, pipe|"]))
    unescaped = unescaped.set_column(unescaped.schema.get_field_index("ls"),
                                     unescaped.schema.field("ls"),
                                     pa.array([None, "large", "ünïcödé", None], pa.large_string()))
    write(out_dir, unescaped, ContentType.UNESCAPED_TSV, "python.unescaped_tsv.gz")
    write(out_dir, drop(table, NOT_IN_JSON), ContentType.JSON, "python.json.gz")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__)))
