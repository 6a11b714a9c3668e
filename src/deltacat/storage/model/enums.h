#pragma once

#include <array>
#include <cctype>
#include <optional>
#include <span>
#include <string_view>
#include <utility>

#include "deltacat/storage/model/open_enum.h"
#include "deltacat/types.h"

// The string-valued enumerations of DeltaCAT's durable format (Python's `str` enums in
// deltacat/storage/model/types.py, manifest.py, transform.py and the compactor), with the
// exact strings stored in metafiles. LifecycleState and SchemaConsistencyType are the public
// enums of include/deltacat/types.h; content types and encodings live in
// include/deltacat/content_type.h (manifests keep them as strings). Note: `chrono` deltas
// exist only in deltacat >= 2.0.0.post9; post4 readers reject them.

namespace deltacat::storage {

/// Delta type (`Delta.type`).
enum class DeltaType { kAdd, kChrono, kAppend, kUpsert, kDelete };
/// Storage format of a stream (`StreamLocator.format`); `deltacat` is the default stream.
enum class StreamFormat { kDeltacat, kIceberg, kHive, kHudi, kDeltaLake, kSqlite3 };
/// Lifecycle state of a table version (`TableVersion.state`): the public enum.
using ::deltacat::LifecycleState;
/// Commit state of a stream or partition (`state`).
enum class CommitState { kStaged, kCommitted, kDeprecated };
/// Transaction operation type: revision file names and txn log records.
enum class TransactionOperationType {
  kCreate,
  kUpdate,
  kReplace,
  kDelete,
  kReadSiblings,
  kReadChildren,
  kReadLatest,
  kReadExists,
};
/// Content category of a manifest entry (`meta.entry_type`).
enum class EntryType { kData, kPositionalDelete, kEqualityDelete };
/// Field-level schema consistency policy (`DELTACAT:consistency_type`): the public enum.
using ::deltacat::SchemaConsistencyType;
/// Sort direction of a sort key or merge order.
enum class SortOrder { kAscending, kDescending };
/// Null placement of a sort key or merge order.
enum class NullOrder { kAtStart, kAtEnd };
/// Name of a partition or sort transform.
enum class TransformName {
  kIdentity,
  kBucket,
  kYear,
  kMonth,
  kDay,
  kHour,
  kTruncate,
  kVoid,
  kUnknown,
};
/// Hashing of the bucket transform.
enum class BucketingStrategy { kDefault, kIceberg };
/// Truncation of the truncate transform.
enum class TruncateStrategy { kDefault, kIceberg };
/// Compactor generation that wrote a round completion info.
enum class CompactorVersion { kV1, kV2 };

namespace internal {
inline bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}
}  // namespace internal

/// Declares the string table of an enum without aliases.
#define DC_ENUM_STRINGS(E, ...)                                                  \
  template <>                                                                    \
  struct EnumStrings<E> {                                                        \
    static std::span<const std::pair<E, std::string_view>> Values() {            \
      static constexpr std::pair<E, std::string_view> kValues[] = __VA_ARGS__;   \
      return kValues;                                                            \
    }                                                                            \
    static std::optional<E> FromAlias(std::string_view) { return std::nullopt; } \
  }

DC_ENUM_STRINGS(DeltaType, {{DeltaType::kAdd, "add"},
                            {DeltaType::kChrono, "chrono"},
                            {DeltaType::kAppend, "append"},
                            {DeltaType::kUpsert, "upsert"},
                            {DeltaType::kDelete, "delete"}});
DC_ENUM_STRINGS(StreamFormat, {{StreamFormat::kDeltacat, "deltacat"},
                               {StreamFormat::kIceberg, "iceberg"},
                               {StreamFormat::kHive, "hive"},
                               {StreamFormat::kHudi, "hudi"},
                               {StreamFormat::kDeltaLake, "delta_lake"},
                               {StreamFormat::kSqlite3, "SQLITE3"}});
DC_ENUM_STRINGS(LifecycleState, {{LifecycleState::kCreated, "created"},
                                 {LifecycleState::kUnreleased, "unreleased"},
                                 {LifecycleState::kActive, "active"},
                                 {LifecycleState::kDeprecated, "deprecated"},
                                 {LifecycleState::kBeta, "beta"},
                                 {LifecycleState::kDeleted, "deleted"}});
DC_ENUM_STRINGS(CommitState, {{CommitState::kStaged, "staged"},
                              {CommitState::kCommitted, "committed"},
                              {CommitState::kDeprecated, "deprecated"}});
DC_ENUM_STRINGS(TransactionOperationType,
                {{TransactionOperationType::kCreate, "create"},
                 {TransactionOperationType::kUpdate, "update"},
                 {TransactionOperationType::kReplace, "replace"},
                 {TransactionOperationType::kDelete, "delete"},
                 {TransactionOperationType::kReadSiblings, "read_siblings"},
                 {TransactionOperationType::kReadChildren, "read_children"},
                 {TransactionOperationType::kReadLatest, "read_latest"},
                 {TransactionOperationType::kReadExists, "read_exists"}});
DC_ENUM_STRINGS(EntryType, {{EntryType::kData, "data"},
                            {EntryType::kPositionalDelete, "positional_delete"},
                            {EntryType::kEqualityDelete, "equality_delete"}});
DC_ENUM_STRINGS(SchemaConsistencyType, {{SchemaConsistencyType::kNone, "none"},
                                        {SchemaConsistencyType::kCoerce, "coerce"},
                                        {SchemaConsistencyType::kValidate, "validate"}});
DC_ENUM_STRINGS(TransformName, {{TransformName::kIdentity, "identity"},
                                {TransformName::kBucket, "bucket"},
                                {TransformName::kYear, "year"},
                                {TransformName::kMonth, "month"},
                                {TransformName::kDay, "day"},
                                {TransformName::kHour, "hour"},
                                {TransformName::kTruncate, "truncate"},
                                {TransformName::kVoid, "void"},
                                {TransformName::kUnknown, "unknown"}});
DC_ENUM_STRINGS(BucketingStrategy, {{BucketingStrategy::kDefault, "default"},
                                    {BucketingStrategy::kIceberg, "iceberg"}});
DC_ENUM_STRINGS(TruncateStrategy,
                {{TruncateStrategy::kDefault, "default"}, {TruncateStrategy::kIceberg, "iceberg"}});
DC_ENUM_STRINGS(CompactorVersion, {{CompactorVersion::kV1, "V1"}, {CompactorVersion::kV2, "V2"}});

#undef DC_ENUM_STRINGS

/// SortOrder also accepts pyiceberg's "asc"/"desc" (any case), as Python's `_missing_` does.
template <>
struct EnumStrings<SortOrder> {
  static std::span<const std::pair<SortOrder, std::string_view>> Values() {
    static constexpr std::pair<SortOrder, std::string_view> kValues[] = {
        {SortOrder::kAscending, "ascending"}, {SortOrder::kDescending, "descending"}};
    return kValues;
  }
  static std::optional<SortOrder> FromAlias(std::string_view text) {
    if (internal::EqualsIgnoreCase(text, "asc")) return SortOrder::kAscending;
    if (internal::EqualsIgnoreCase(text, "desc")) return SortOrder::kDescending;
    return std::nullopt;
  }
};

/// NullOrder also accepts pyiceberg's "nulls-first"/"nulls-last" (any case).
template <>
struct EnumStrings<NullOrder> {
  static std::span<const std::pair<NullOrder, std::string_view>> Values() {
    static constexpr std::pair<NullOrder, std::string_view> kValues[] = {
        {NullOrder::kAtStart, "at_start"}, {NullOrder::kAtEnd, "at_end"}};
    return kValues;
  }
  static std::optional<NullOrder> FromAlias(std::string_view text) {
    if (internal::EqualsIgnoreCase(text, "nulls-first")) return NullOrder::kAtStart;
    if (internal::EqualsIgnoreCase(text, "nulls-last")) return NullOrder::kAtEnd;
    return std::nullopt;
  }
};

}  // namespace deltacat::storage
