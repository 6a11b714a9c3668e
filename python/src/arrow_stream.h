#pragma once

#include <memory>

#include <arrow/record_batch.h>
#include <arrow/type_fwd.h>
#include <nanobind/nanobind.h>

namespace deltacat::python {

/// Imports the Arrow C stream that `data` exports through the `__arrow_c_stream__` PyCapsule
/// protocol (pyarrow Table / RecordBatch / RecordBatchReader, polars, ...). Zero-copy: the
/// batches keep pointing at the producer's buffers. Raises TypeError when `data` does not
/// export a stream, ValueError when the stream was already consumed.
std::shared_ptr<arrow::RecordBatchReader> ImportRecordBatchReader(nanobind::handle data);

/// Exports `reader` as an "arrow_array_stream" PyCapsule (for
/// pyarrow.RecordBatchReader._import_from_c_capsule and any other C stream consumer).
nanobind::object ExportRecordBatchReader(std::shared_ptr<arrow::RecordBatchReader> reader);

/// Imports a schema through `__arrow_c_schema__` (pyarrow.Schema, ...); None gives nullptr.
/// Field and schema metadata (DeltaCAT's merge keys, field ids, ...) come along.
std::shared_ptr<arrow::Schema> ImportSchema(nanobind::handle schema);

/// Exports a schema as a pyarrow.Schema; nullptr gives None.
nanobind::object ExportSchema(const std::shared_ptr<arrow::Schema>& schema);

/// Registers `_stream_roundtrip` and `_schema_roundtrip` (import then export, for tests of
/// the zero-copy boundary).
void BindArrowStream(nanobind::module_& m);

}  // namespace deltacat::python
