#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace deltacat::storage {

/// Names a schema field (Python's `FieldLocator`): a top-level field name, the path of a
/// nested field, or a field ID. Stored as a msgpack str, array of str, or int respectively.
using FieldLocator = std::variant<std::string, std::vector<std::string>, int64_t>;

}  // namespace deltacat::storage
