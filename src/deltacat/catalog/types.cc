#include "deltacat/types.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace deltacat {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Looks `name` up case-insensitively in a table of (value, on-disk name) pairs.
template <typename Enum, size_t N>
Result<Enum> ParseEnum(std::string_view kind, std::string_view name,
                       const std::array<std::pair<Enum, std::string_view>, N>& names) {
  const std::string lowered = Lower(name);
  for (const auto& [value, text] : names) {
    if (lowered == text) return value;
  }
  std::string expected;
  for (const auto& [value, text] : names) {
    if (!expected.empty()) expected += ", ";
    expected += text;
  }
  return MakeError(ErrorCode::kInvalidArgument, "unknown ", kind, " '", name, "' (expected one of ",
                   expected, ")");
}

template <typename Enum, size_t N>
std::string_view EnumName(Enum value,
                          const std::array<std::pair<Enum, std::string_view>, N>& names) {
  for (const auto& [candidate, text] : names) {
    if (candidate == value) return text;
  }
  return "unknown";
}

constexpr std::array<std::pair<TableWriteMode, std::string_view>, 8> kWriteModes{{
    {TableWriteMode::kAuto, "auto"},
    {TableWriteMode::kCreate, "create"},
    {TableWriteMode::kAdd, "add"},
    {TableWriteMode::kAppend, "append"},
    {TableWriteMode::kChrono, "chrono"},
    {TableWriteMode::kReplace, "replace"},
    {TableWriteMode::kMerge, "merge"},
    {TableWriteMode::kDelete, "delete"},
}};

constexpr std::array<std::pair<LifecycleState, std::string_view>, 6> kLifecycleStates{{
    {LifecycleState::kCreated, "created"},
    {LifecycleState::kUnreleased, "unreleased"},
    {LifecycleState::kActive, "active"},
    {LifecycleState::kDeprecated, "deprecated"},
    {LifecycleState::kBeta, "beta"},
    {LifecycleState::kDeleted, "deleted"},
}};

constexpr std::array<std::pair<SchemaConsistencyType, std::string_view>, 3> kConsistencyTypes{{
    {SchemaConsistencyType::kNone, "none"},
    {SchemaConsistencyType::kCoerce, "coerce"},
    {SchemaConsistencyType::kValidate, "validate"},
}};

constexpr std::array<std::pair<SchemaEvolutionMode, std::string_view>, 3> kEvolutionModes{{
    {SchemaEvolutionMode::kAuto, "auto"},
    {SchemaEvolutionMode::kManual, "manual"},
    {SchemaEvolutionMode::kDisabled, "disabled"},
}};

constexpr std::array<std::pair<ReadOptimizationLevel, std::string_view>, 3> kOptimizationLevels{{
    {ReadOptimizationLevel::kNone, "none"},
    {ReadOptimizationLevel::kModerate, "moderate"},
    {ReadOptimizationLevel::kMax, "max"},
}};

}  // namespace

std::string_view TableWriteModeName(TableWriteMode mode) { return EnumName(mode, kWriteModes); }
Result<TableWriteMode> ParseTableWriteMode(std::string_view name) {
  return ParseEnum<TableWriteMode>("write mode", name, kWriteModes);
}

std::string_view LifecycleStateName(LifecycleState state) {
  return EnumName(state, kLifecycleStates);
}
Result<LifecycleState> ParseLifecycleState(std::string_view name) {
  return ParseEnum<LifecycleState>("lifecycle state", name, kLifecycleStates);
}

std::string_view SchemaConsistencyTypeName(SchemaConsistencyType type) {
  return EnumName(type, kConsistencyTypes);
}
Result<SchemaConsistencyType> ParseSchemaConsistencyType(std::string_view name) {
  return ParseEnum<SchemaConsistencyType>("schema consistency type", name, kConsistencyTypes);
}

std::string_view SchemaEvolutionModeName(SchemaEvolutionMode mode) {
  return EnumName(mode, kEvolutionModes);
}
Result<SchemaEvolutionMode> ParseSchemaEvolutionMode(std::string_view name) {
  return ParseEnum<SchemaEvolutionMode>("schema evolution mode", name, kEvolutionModes);
}

std::string_view ReadOptimizationLevelName(ReadOptimizationLevel level) {
  return EnumName(level, kOptimizationLevels);
}
Result<ReadOptimizationLevel> ParseReadOptimizationLevel(std::string_view name) {
  return ParseEnum<ReadOptimizationLevel>("read optimization level", name, kOptimizationLevels);
}

TableRef::TableRef(std::string_view qualified) {
  const size_t slash = qualified.find('/');
  if (slash == std::string_view::npos) {
    name = std::string(qualified);
  } else {
    ns = std::string(qualified.substr(0, slash));
    name = std::string(qualified.substr(slash + 1));
  }
}

std::string TableRef::ToString() const { return ns + "/" + name; }

}  // namespace deltacat
