#pragma once

#include <string_view>
#include <vector>

#include "deltacat/result.h"
#include "deltacat/storage/model/field_locator.h"
#include "deltacat/storage/model/partition_scheme.h"
#include "deltacat/storage/model/sort_scheme.h"
#include "deltacat/storage/model/transform.h"
#include "deltacat/storage/msgpack_value.h"

// msgpack codecs of field locators, transforms, partition schemes and sort schemes.

namespace deltacat::storage {

/// A str, an array of str, or an int.
Result<FieldLocator> DecodeFieldLocator(const MsgValue& value,
                                        std::string_view path = "fieldLocator");
MsgValue EncodeFieldLocator(const FieldLocator& locator);
/// An array of field locators.
Result<std::vector<FieldLocator>> DecodeFieldLocators(const MsgValue& value,
                                                      std::string_view path = "key");
MsgValue EncodeFieldLocators(const std::vector<FieldLocator>& locators);

Result<TransformParameters> DecodeTransformParameters(const MsgValue& value,
                                                      std::string_view path = "parameters");
MsgValue EncodeTransformParameters(const TransformParameters& parameters);

/// `name` is required; `parameters` and `return_type` are written only when set.
Result<Transform> DecodeTransform(const MsgValue& value, std::string_view path = "transform");
MsgValue EncodeTransform(const Transform& transform);

Result<PartitionKey> DecodePartitionKey(const MsgValue& value,
                                        std::string_view path = "partitionKey");
MsgValue EncodePartitionKey(const PartitionKey& key);

Result<PartitionScheme> DecodePartitionScheme(const MsgValue& value,
                                              std::string_view path = "partitionScheme");
MsgValue EncodePartitionScheme(const PartitionScheme& scheme);

/// SortKey is a tuple on disk: `[key, sort_order, null_order, transform, native_object]`.
Result<SortKey> DecodeSortKey(const MsgValue& value, std::string_view path = "sortKey");
MsgValue EncodeSortKey(const SortKey& key);

Result<SortScheme> DecodeSortScheme(const MsgValue& value, std::string_view path = "sortScheme");
MsgValue EncodeSortScheme(const SortScheme& scheme);

}  // namespace deltacat::storage
