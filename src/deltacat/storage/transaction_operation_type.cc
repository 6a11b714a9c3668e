#include "deltacat/storage/transaction_operation_type.h"

#include <array>
#include <utility>

namespace deltacat::storage {

namespace {
constexpr std::array<std::pair<TxnOpType, std::string_view>, 8> kNames = {{
    {TxnOpType::kCreate, "create"},
    {TxnOpType::kUpdate, "update"},
    {TxnOpType::kReplace, "replace"},
    {TxnOpType::kDelete, "delete"},
    {TxnOpType::kReadSiblings, "read_siblings"},
    {TxnOpType::kReadChildren, "read_children"},
    {TxnOpType::kReadLatest, "read_latest"},
    {TxnOpType::kReadExists, "read_exists"},
}};
}  // namespace

std::string_view TxnOpTypeName(TxnOpType type) {
  for (const auto& [t, name] : kNames) {
    if (t == type) return name;
  }
  return "unknown";
}

std::optional<TxnOpType> ParseTxnOpType(std::string_view text) {
  for (const auto& [t, name] : kNames) {
    if (name == text) return t;
  }
  return std::nullopt;
}

bool IsWriteOp(TxnOpType type) {
  return type == TxnOpType::kCreate || type == TxnOpType::kUpdate || type == TxnOpType::kReplace ||
         type == TxnOpType::kDelete;
}

}  // namespace deltacat::storage
