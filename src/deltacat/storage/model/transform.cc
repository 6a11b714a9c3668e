#include "deltacat/storage/model/transform.h"

namespace deltacat::storage {

Transform Transform::Identity() { return Transform{}; }

Transform Transform::Bucket(int64_t num_buckets, std::string return_type_ipc,
                            BucketingStrategy strategy) {
  Transform transform;
  transform.name = TransformName::kBucket;
  TransformParameters parameters;
  parameters.num_buckets = num_buckets;
  parameters.bucketing_strategy = strategy;
  transform.parameters = std::move(parameters);
  transform.return_type = std::move(return_type_ipc);
  return transform;
}

Transform Transform::Truncate(int64_t width, TruncateStrategy strategy) {
  Transform transform;
  transform.name = TransformName::kTruncate;
  TransformParameters parameters;
  parameters.width = width;
  parameters.truncate_strategy = strategy;
  transform.parameters = std::move(parameters);
  return transform;
}

}  // namespace deltacat::storage
