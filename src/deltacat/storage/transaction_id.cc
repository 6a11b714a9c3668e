#include "deltacat/storage/transaction_id.h"

#include <limits>

#include "deltacat/util/uuid.h"

namespace deltacat::storage {

std::string NewTransactionId(int64_t start_ns) {
  return std::to_string(start_ns) + "_" + NewUuid4();
}

Result<TransactionIdParts> ParseTransactionId(std::string_view txn_id) {
  const size_t sep = txn_id.find('_');
  if (sep == std::string_view::npos || txn_id.find('_', sep + 1) != std::string_view::npos) {
    return MakeError(ErrorCode::kInvalidArgument, "transaction ID '", txn_id,
                     "' is not of the form '<start_ns>_<uuid>'");
  }
  const std::string_view start = txn_id.substr(0, sep);
  const std::string_view uuid = txn_id.substr(sep + 1);
  if (start.empty() || start.size() > 19) {
    return MakeError(ErrorCode::kInvalidArgument, "transaction ID '", txn_id,
                     "' does not contain a valid start time");
  }
  uint64_t value = 0;
  for (char c : start) {
    if (c < '0' || c > '9') {
      return MakeError(ErrorCode::kInvalidArgument, "transaction ID '", txn_id,
                       "' does not contain a valid start time");
    }
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  if (value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return MakeError(ErrorCode::kInvalidArgument, "transaction ID '", txn_id,
                     "' has a start time beyond int64");
  }
  if (!IsUuid(uuid)) {
    return MakeError(ErrorCode::kInvalidArgument, "transaction ID '", txn_id,
                     "' does not contain a valid UUID");
  }
  return TransactionIdParts{static_cast<int64_t>(value), std::string(uuid)};
}

}  // namespace deltacat::storage
