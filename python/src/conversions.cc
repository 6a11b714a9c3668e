#include "conversions.h"

#include <Python.h>

#include <cstdint>
#include <type_traits>
#include <utility>
#include <variant>

#include "errors.h"

namespace nb = nanobind;

namespace deltacat::python {
namespace {

std::string TypeName(nb::handle object) { return nb::type_name(object.type()).c_str(); }

std::string Utf8(nb::handle str) {
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(str.ptr(), &size);
  if (data == nullptr) throw nb::python_error();
  return std::string(data, static_cast<size_t>(size));
}

PropertyValue ToPropertyValue(nb::handle value, std::string_view what, const std::string& key) {
  if (value.is_none()) return std::monostate{};
  // bool first: it is a subclass of int.
  if (PyBool_Check(value.ptr())) return value.ptr() == Py_True;
  if (PyLong_Check(value.ptr())) {
    int overflow = 0;
    const long long number = PyLong_AsLongLongAndOverflow(value.ptr(), &overflow);
    if (overflow != 0) {
      ThrowError(ErrorCode::kInvalidArgument,
                 std::string(what) + " '" + key + "': integer out of the 64-bit range");
    }
    if (number == -1 && PyErr_Occurred()) throw nb::python_error();
    return static_cast<int64_t>(number);
  }
  if (PyFloat_Check(value.ptr())) return PyFloat_AsDouble(value.ptr());
  if (PyUnicode_Check(value.ptr())) return Utf8(value);
  if (PyList_Check(value.ptr()) || PyTuple_Check(value.ptr())) {
    std::vector<std::string> items;
    for (nb::handle item : value) {
      if (!PyUnicode_Check(item.ptr())) {
        throw nb::type_error((std::string(what) + " '" + key +
                              "': list values must hold only str, got " + TypeName(item))
                                 .c_str());
      }
      items.push_back(Utf8(item));
    }
    return items;
  }
  throw nb::type_error((std::string(what) + " '" + key + "' has unsupported type " +
                        TypeName(value) +
                        " (expected None, bool, int, float, str or a list of str)")
                           .c_str());
}

nb::object FromPropertyValue(const PropertyValue& value) {
  return std::visit(
      [](const auto& v) -> nb::object {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, std::monostate>) {
          return nb::none();
        } else if constexpr (std::is_same_v<V, std::vector<std::string>>) {
          nb::list list;
          for (const auto& item : v) list.append(nb::str(item.data(), item.size()));
          return list;
        } else if constexpr (std::is_same_v<V, std::string>) {
          return nb::str(v.data(), v.size());
        } else {
          return nb::cast(v);
        }
      },
      value);
}

}  // namespace

Properties ToProperties(nb::handle object, std::string_view what) {
  Properties properties;
  if (object.is_none()) return properties;
  if (!PyDict_Check(object.ptr())) {
    throw nb::type_error(
        (std::string(what) + " must be a dict or None, got " + TypeName(object)).c_str());
  }
  for (auto [key, value] : nb::borrow<nb::dict>(object)) {
    if (!PyUnicode_Check(key.ptr())) {
      throw nb::type_error((std::string(what) + " keys must be str, got " + TypeName(key)).c_str());
    }
    std::string name = Utf8(key);
    PropertyValue converted = ToPropertyValue(value, what, name);
    properties.emplace(std::move(name), std::move(converted));
  }
  return properties;
}

std::optional<Properties> ToOptionalProperties(nb::handle object, std::string_view what) {
  if (object.is_none()) return std::nullopt;
  return ToProperties(object, what);
}

nb::dict FromProperties(const Properties& properties) {
  nb::dict dict;
  for (const auto& [key, value] : properties) {
    dict[nb::str(key.data(), key.size())] = FromPropertyValue(value);
  }
  return dict;
}

TableWriteMode ToTableWriteMode(const std::string& value) {
  return ValueOrThrow(ParseTableWriteMode(value));
}

LifecycleState ToLifecycleState(const std::string& value) {
  return ValueOrThrow(ParseLifecycleState(value));
}

ContentType ToContentType(const std::string& value) {
  Result<ContentType> type = ParseContentType(value);
  // ParseContentType reports kContentTypeValidation; a bad argument is a ValueError here, as
  // Python DeltaCAT's ContentType(value) raises.
  if (!type.ok()) ThrowError(ErrorCode::kInvalidArgument, type.status().message());
  return *type;
}

std::optional<std::vector<ContentType>> ToContentTypes(
    const std::optional<std::vector<std::string>>& values) {
  if (!values) return std::nullopt;
  std::vector<ContentType> types;
  types.reserve(values->size());
  for (const auto& value : *values) types.push_back(ToContentType(value));
  return types;
}

nb::object ToPythonEnum(const char* enum_class, std::string_view value) {
  nb::object cls = nb::module_::import_("deltacat_cpp._types").attr(enum_class);
  return cls(nb::str(value.data(), value.size()));
}

nb::object FromLifecycleState(LifecycleState state) {
  return ToPythonEnum("LifecycleState", LifecycleStateName(state));
}

nb::object FromContentType(ContentType type) {
  return ToPythonEnum("ContentType", ContentTypeString(type));
}

}  // namespace deltacat::python
