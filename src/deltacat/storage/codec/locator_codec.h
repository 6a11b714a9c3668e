#pragma once

#include <string_view>

#include "deltacat/result.h"
#include "deltacat/storage/model/locator.h"
#include "deltacat/storage/msgpack_value.h"

// msgpack codecs of the locators. Decoders fail with kCorruptMetadata naming `path`; encoders
// write every key (nil when unset) in Python's order.

namespace deltacat::storage {

Result<NamespaceLocator> DecodeNamespaceLocator(const MsgValue& value,
                                                std::string_view path = "namespaceLocator");
MsgValue EncodeNamespaceLocator(const NamespaceLocator& locator);

Result<TableLocator> DecodeTableLocator(const MsgValue& value,
                                        std::string_view path = "tableLocator");
MsgValue EncodeTableLocator(const TableLocator& locator);

Result<TableVersionLocator> DecodeTableVersionLocator(
    const MsgValue& value, std::string_view path = "tableVersionLocator");
MsgValue EncodeTableVersionLocator(const TableVersionLocator& locator);

Result<StreamLocator> DecodeStreamLocator(const MsgValue& value,
                                          std::string_view path = "streamLocator");
MsgValue EncodeStreamLocator(const StreamLocator& locator);

/// An empty `partitionValues` array decodes as nil (Python's normalization); the encoder
/// therefore never writes `[]`.
Result<PartitionLocator> DecodePartitionLocator(const MsgValue& value,
                                                std::string_view path = "partitionLocator");
MsgValue EncodePartitionLocator(const PartitionLocator& locator);

Result<DeltaLocator> DecodeDeltaLocator(const MsgValue& value,
                                        std::string_view path = "deltaLocator");
MsgValue EncodeDeltaLocator(const DeltaLocator& locator);

Result<StreamLocatorAlias> DecodeStreamLocatorAlias(const MsgValue& value,
                                                    std::string_view path = "locator_alias");
MsgValue EncodeStreamLocatorAlias(const StreamLocatorAlias& alias);

Result<PartitionLocatorAlias> DecodePartitionLocatorAlias(const MsgValue& value,
                                                          std::string_view path = "locator_alias");
MsgValue EncodePartitionLocatorAlias(const PartitionLocatorAlias& alias);

}  // namespace deltacat::storage
