#include "deltacat/storage/transaction_id.h"

#include <limits>
#include <utility>

#include "deltacat/util/uuid.h"

namespace deltacat::storage {

std::string NewTransactionId(int64_t start_ns) {
  return std::to_string(start_ns) + "_" + NewUuid4();
}

namespace {

/// Checks `txn_id` and returns the position of its separator and its start time.
Result<std::pair<size_t, int64_t>> CheckTransactionId(std::string_view txn_id) {
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
  return std::pair<size_t, int64_t>(sep, static_cast<int64_t>(value));
}

}  // namespace

Result<TransactionIdParts> ParseTransactionId(std::string_view txn_id) {
  DC_ASSIGN_OR_RAISE(auto checked, CheckTransactionId(txn_id));
  return TransactionIdParts{checked.second, std::string(txn_id.substr(checked.first + 1))};
}

Status ValidateTransactionId(std::string_view txn_id) {
  auto checked = CheckTransactionId(txn_id);
  return checked.ok() ? Status::OK() : checked.status();
}

}  // namespace deltacat::storage
