#pragma once

#include <optional>
#include <string_view>

namespace deltacat::storage {

/// Python's TransactionOperationType. Write types appear in revision and mapping file names;
/// read types only in the operation lists of interactive transaction logs.
enum class TxnOpType {
  kCreate,
  kUpdate,
  kReplace,
  kDelete,
  kReadSiblings,
  kReadChildren,
  kReadLatest,
  kReadExists,
};

/// The on-disk string: "create", "update", "replace", "delete", "read_siblings", ...
std::string_view TxnOpTypeName(TxnOpType type);

/// Parses an on-disk string; nullopt for anything else (case-sensitive, like Python's enum).
std::optional<TxnOpType> ParseTxnOpType(std::string_view text);

/// True for create, update, replace and delete.
bool IsWriteOp(TxnOpType type);

}  // namespace deltacat::storage
