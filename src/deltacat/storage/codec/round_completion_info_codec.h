#pragma once

#include <string_view>

#include "deltacat/result.h"
#include "deltacat/storage/model/round_completion_info.h"
#include "deltacat/storage/msgpack_value.h"

namespace deltacat::storage {

Result<PyArrowWriteResult> DecodePyArrowWriteResult(
    const MsgValue& value, std::string_view path = "compactedPyarrowWriteResult");
MsgValue EncodePyArrowWriteResult(const PyArrowWriteResult& result);

/// `hbIndexToEntryRange` keys must be decimal integers ("0", "17").
Result<RoundCompletionInfo> DecodeRoundCompletionInfo(
    const MsgValue& value, std::string_view path = "compactionRoundCompletionInfo");
MsgValue EncodeRoundCompletionInfo(const RoundCompletionInfo& info);

}  // namespace deltacat::storage
