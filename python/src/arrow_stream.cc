#include "arrow_stream.h"

#include <Python.h>

#include <string>
#include <utility>

#include <arrow/c/abi.h>
#include <arrow/c/bridge.h>

#include "errors.h"

namespace nb = nanobind;

namespace deltacat::python {
namespace {

constexpr const char* kStreamCapsuleName = "arrow_array_stream";
constexpr const char* kSchemaCapsuleName = "arrow_schema";

std::string TypeName(nb::handle object) { return nb::type_name(object.type()).c_str(); }

// Calls `object.<method>()` and returns the capsule's pointer, checking the capsule's name as
// the PyCapsule protocol requires. `capsule` keeps the capsule (and so the struct) alive.
void* CapsulePointer(nb::handle object, const char* method, const char* capsule_name,
                     nb::object& capsule) {
  if (!nb::hasattr(object, method)) {
    throw nb::type_error(("expected an object exporting the Arrow C data interface (" +
                          std::string(method) + "), got " + TypeName(object))
                             .c_str());
  }
  capsule = object.attr(method)();
  if (!PyCapsule_IsValid(capsule.ptr(), capsule_name)) {
    throw nb::type_error(
        (TypeName(object) + "." + method + "() did not return a '" + capsule_name + "' PyCapsule")
            .c_str());
  }
  return PyCapsule_GetPointer(capsule.ptr(), capsule_name);
}

void ReleaseStreamCapsule(void* pointer) noexcept {
  auto* stream = static_cast<ArrowArrayStream*>(pointer);
  if (stream->release != nullptr) stream->release(stream);
  delete stream;
}

void ReleaseSchemaCapsule(void* pointer) noexcept {
  auto* schema = static_cast<ArrowSchema*>(pointer);
  if (schema->release != nullptr) schema->release(schema);
  delete schema;
}

}  // namespace

std::shared_ptr<arrow::RecordBatchReader> ImportRecordBatchReader(nb::handle data) {
  nb::object capsule;
  auto* stream = static_cast<ArrowArrayStream*>(
      CapsulePointer(data, "__arrow_c_stream__", kStreamCapsuleName, capsule));
  if (stream->release == nullptr) {
    ThrowError(ErrorCode::kInvalidArgument,
               "the Arrow stream of the " + TypeName(data) + " was already consumed");
  }
  // Moves the stream out of the capsule (marking the capsule's copy released), so the
  // capsule's destructor leaves it alone.
  return ValueOrThrow(FromArrowResult(arrow::ImportRecordBatchReader(stream)));
}

nb::object ExportRecordBatchReader(std::shared_ptr<arrow::RecordBatchReader> reader) {
  auto stream = std::make_unique<ArrowArrayStream>();
  ThrowIfError(FromArrowStatus(arrow::ExportRecordBatchReader(std::move(reader), stream.get())));
  return nb::capsule(stream.release(), kStreamCapsuleName, &ReleaseStreamCapsule);
}

std::shared_ptr<arrow::Schema> ImportSchema(nb::handle schema) {
  if (schema.is_none()) return nullptr;
  nb::object capsule;
  auto* c_schema = static_cast<ArrowSchema*>(
      CapsulePointer(schema, "__arrow_c_schema__", kSchemaCapsuleName, capsule));
  if (c_schema->release == nullptr) {
    ThrowError(ErrorCode::kInvalidArgument,
               "the Arrow schema of the " + TypeName(schema) + " was already released");
  }
  return ValueOrThrow(FromArrowResult(arrow::ImportSchema(c_schema)));
}

nb::object ExportSchema(const std::shared_ptr<arrow::Schema>& schema) {
  if (schema == nullptr) return nb::none();
  auto c_schema = std::make_unique<ArrowSchema>();
  ThrowIfError(FromArrowStatus(arrow::ExportSchema(*schema, c_schema.get())));
  nb::capsule capsule(c_schema.release(), kSchemaCapsuleName, &ReleaseSchemaCapsule);
  return nb::module_::import_("pyarrow").attr("Schema").attr("_import_from_c_capsule")(capsule);
}

void BindArrowStream(nb::module_& m) {
  m.def(
      "_stream_roundtrip",
      [](nb::handle data) { return ExportRecordBatchReader(ImportRecordBatchReader(data)); },
      nb::arg("data"),
      "Imports `data`'s Arrow C stream and exports it again as a capsule (tests: the "
      "buffers must come back unchanged, at the same addresses).");
  m.def(
      "_schema_roundtrip", [](nb::handle schema) { return ExportSchema(ImportSchema(schema)); },
      nb::arg("schema").none(),
      "Imports a schema and exports it again as a pyarrow.Schema (tests).");
}

}  // namespace deltacat::python
