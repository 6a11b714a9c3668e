#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "deltacat/result.h"

namespace deltacat::storage {

/// The parts of a transaction ID `<start_ns>_<uuid4>` (storage-format.md §2.4, §4.1).
struct TransactionIdParts {
  /// Start time in ns since the epoch; also the transaction's snapshot time.
  int64_t start_time = 0;
  /// The UUID part as written.
  std::string uuid;
};

/// A new transaction ID for a transaction starting at `start_ns`: "<start_ns>_<uuid4>".
/// Comparing IDs as strings orders them by start time (19-digit times), then by UUID.
std::string NewTransactionId(int64_t start_ns);

/// Parses an ID like Python's Transaction.parse_transaction_id, strictly: exactly two parts
/// separated by '_', the first a non-negative decimal integer (ASCII digits only) that fits
/// int64, the second a canonical UUID. kInvalidArgument naming the ID otherwise.
Result<TransactionIdParts> ParseTransactionId(std::string_view txn_id);

/// ParseTransactionId's checks without building the parts (no allocation unless it fails):
/// listings parse every revision file name of a directory, up to 1000 per leaf.
Status ValidateTransactionId(std::string_view txn_id);

}  // namespace deltacat::storage
