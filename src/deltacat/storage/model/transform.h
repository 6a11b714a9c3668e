#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "deltacat/storage/model/enums.h"
#include "deltacat/storage/model/map_extras.h"

namespace deltacat::storage {

/// Transform parameters (`Transform.parameters`): `{numBuckets, bucketingStrategy}` for the
/// bucket transform, `{width, truncateStrategy}` for truncate; absent for the others.
struct TransformParameters {
  std::optional<int64_t> num_buckets;                             ///< `numBuckets`
  std::optional<OpenEnum<BucketingStrategy>> bucketing_strategy;  ///< `bucketingStrategy`
  std::optional<int64_t> width;                                   ///< `width`
  std::optional<OpenEnum<TruncateStrategy>> truncate_strategy;    ///< `truncateStrategy`
  MapExtras extras;
  bool operator==(const TransformParameters&) const = default;
};

/// A partition or sort transform: `{name, parameters?, return_type?}`.
struct Transform {
  OpenEnum<TransformName> name = TransformName::kIdentity;  ///< `name` (required)
  std::optional<TransformParameters> parameters;            ///< `parameters`, only when set
  /// `return_type`: an Arrow IPC schema message with one field named `return_type` holding the
  /// result type (int32 for bucket/year/month/day/hour, null for void). Absent means "same
  /// type as the source field".
  std::optional<std::string> return_type;
  MapExtras extras;
  bool operator==(const Transform&) const = default;

  /// The identity transform (`{name: identity}`).
  static Transform Identity();
  /// A bucket transform into `num_buckets` buckets; `return_type_ipc` must be the serialized
  /// int32 return-type schema (see schema.h: TransformReturnType).
  static Transform Bucket(int64_t num_buckets, std::string return_type_ipc,
                          BucketingStrategy strategy = BucketingStrategy::kDefault);
  /// A truncate transform to `width`.
  static Transform Truncate(int64_t width, TruncateStrategy strategy = TruncateStrategy::kDefault);
};

}  // namespace deltacat::storage
