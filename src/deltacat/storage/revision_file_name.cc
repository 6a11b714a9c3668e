#include "deltacat/storage/revision_file_name.h"

#include <cstdint>
#include <cstdio>
#include <vector>

#include "deltacat/storage/revision_partition.h"
#include "deltacat/storage/transaction_id.h"

namespace deltacat::storage {

std::string RevisionFileName::ToString() const {
  char digits[32];
  std::snprintf(digits, sizeof(digits), "%020llu", static_cast<unsigned long long>(revision));
  std::string name(digits);
  name += '_';
  name += TxnOpTypeName(op);
  name += '_';
  name += txn_id;
  name += extension;
  return name;
}

std::string_view RevisionFileName::TargetId() const {
  std::string_view ext(extension);
  return ext.empty() ? ext : ext.substr(1);
}

Result<RevisionFileName> ParseRevisionFileName(std::string_view file_name) {
  auto corrupt = [&](std::string_view why) {
    return MakeError(ErrorCode::kCorruptMetadata, "bad revision file name '", file_name,
                     "': ", why);
  };
  if (file_name.empty() || file_name.find('/') != std::string_view::npos) {
    return corrupt("not a plain file name");
  }
  const size_t dot = file_name.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == file_name.size()) {
    return corrupt("missing extension");
  }
  const std::string_view stem = file_name.substr(0, dot);
  std::vector<std::string_view> parts;
  size_t begin = 0;
  while (true) {
    const size_t sep = stem.find('_', begin);
    parts.push_back(stem.substr(begin, sep == std::string_view::npos ? sep : sep - begin));
    if (sep == std::string_view::npos) break;
    begin = sep + 1;
  }
  if (parts.size() != 4) return corrupt("expected <revision>_<op>_<start_ns>_<uuid>");
  const std::string_view rev = parts[0];
  if (rev.empty() || rev.size() > 20) return corrupt("revision is not 1 to 20 digits");
  uint64_t value = 0;
  for (char c : rev) {
    if (c < '0' || c > '9') return corrupt("revision is not a decimal number");
    const auto digit = static_cast<uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) return corrupt("revision is out of range [1, 10^19]");
    value = value * 10 + digit;
  }
  if (value == 0 || value > kMaxRevision) return corrupt("revision is out of range [1, 10^19]");
  auto op = ParseTxnOpType(parts[1]);
  if (!op || !IsWriteOp(*op)) return corrupt("unknown operation type");
  RevisionFileName parsed;
  parsed.revision = value;
  parsed.op = *op;
  parsed.txn_id = std::string(parts[2]) + "_" + std::string(parts[3]);
  auto txn = ParseTransactionId(parsed.txn_id);
  if (!txn.ok()) return corrupt(txn.status().message());
  parsed.extension = std::string(file_name.substr(dot));
  return parsed;
}

bool NewerRevisionFirst(std::string_view a, std::string_view b) { return a > b; }

}  // namespace deltacat::storage
