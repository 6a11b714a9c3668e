// Fuzzes the CLI's `--where` filter parser, and binding what parses to a small schema.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include <arrow/type.h>

#include "deltacat/catalog/filter_expression.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto* schema = new std::shared_ptr<arrow::Schema>(arrow::schema(
      {arrow::field("id", arrow::int64()), arrow::field("name", arrow::utf8()),
       arrow::field("score", arrow::float64()), arrow::field("ok", arrow::boolean())}));
  auto parsed =
      deltacat::ParseFilterExpression(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!parsed.ok()) return 0;
  (void)parsed->ToString();
  (void)deltacat::ReferencedColumns(*parsed);
  (void)deltacat::BindFilter(*parsed, **schema);
  return 0;
}
