#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nanobind/nanobind.h>

#include "deltacat/content_type.h"
#include "deltacat/types.h"

namespace deltacat::python {

/// Converts a Python properties dict: str keys (str enums such as TableProperty included) to
/// None, bool, int (int64), float, str or a list/tuple of str. None gives empty properties.
/// Raises TypeError naming `what` and the key for anything else, ValueError for an int out of
/// range.
Properties ToProperties(nanobind::handle object, std::string_view what);

/// As ToProperties, but None gives nullopt ("leave unchanged").
std::optional<Properties> ToOptionalProperties(nanobind::handle object, std::string_view what);

/// Properties as a Python dict.
nanobind::dict FromProperties(const Properties& properties);

/// Parses the enum arguments the Python layer passes as strings (str enums included); a bad
/// value raises ValueError listing the accepted ones.
TableWriteMode ToTableWriteMode(const std::string& value);
LifecycleState ToLifecycleState(const std::string& value);
ContentType ToContentType(const std::string& value);
std::optional<std::vector<ContentType>> ToContentTypes(
    const std::optional<std::vector<std::string>>& values);

/// The Python enum member (deltacat_cpp.<enum_class>) whose value is `value`, e.g.
/// ToPythonEnum("LifecycleState", "active") -> LifecycleState.ACTIVE.
nanobind::object ToPythonEnum(const char* enum_class, std::string_view value);

/// The Python enum members for a state and content types.
nanobind::object FromLifecycleState(LifecycleState state);
nanobind::object FromContentType(ContentType type);

}  // namespace deltacat::python
