#include "deltacat/storage/revision_file_name.h"

#include <cstdint>
#include <cstdio>

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

namespace {

/// A parsed name whose strings point into the name.
struct RevisionFileNameView {
  uint64_t revision = 0;
  TxnOpType op = TxnOpType::kCreate;
  std::string_view txn_id;
  std::string_view extension;
};

Result<RevisionFileNameView> ParseView(std::string_view file_name) {
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
  // Split on '_' into exactly four parts without allocating (every file of a leaf is parsed).
  std::string_view parts[4];
  size_t count = 0;
  size_t begin = 0;
  while (true) {
    const size_t sep = stem.find('_', begin);
    if (count == 4) return corrupt("expected <revision>_<op>_<start_ns>_<uuid>");
    parts[count++] = stem.substr(begin, sep == std::string_view::npos ? sep : sep - begin);
    if (sep == std::string_view::npos) break;
    begin = sep + 1;
  }
  if (count != 4) return corrupt("expected <revision>_<op>_<start_ns>_<uuid>");
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
  // parts[2] and parts[3] are adjacent in `stem`: the transaction ID is the rest of it.
  const std::string_view txn_id = stem.substr(static_cast<size_t>(parts[2].data() - stem.data()));
  Status txn = ValidateTransactionId(txn_id);
  if (!txn.ok()) return corrupt(txn.message());
  return RevisionFileNameView{value, *op, txn_id, file_name.substr(dot)};
}

}  // namespace

Result<RevisionFileName> ParseRevisionFileName(std::string_view file_name) {
  DC_ASSIGN_OR_RAISE(auto view, ParseView(file_name));
  RevisionFileName parsed;
  parsed.revision = view.revision;
  parsed.op = view.op;
  parsed.txn_id = std::string(view.txn_id);
  parsed.extension = std::string(view.extension);
  return parsed;
}

Result<uint64_t> ParseRevisionNumber(std::string_view file_name) {
  DC_ASSIGN_OR_RAISE(auto view, ParseView(file_name));
  return view.revision;
}

bool NewerRevisionFirst(std::string_view a, std::string_view b) { return a > b; }

}  // namespace deltacat::storage
