// Fuzzes the transaction-log record decoder (the msgpack body of running/success/failed/paused
// logs): no crash for any input, and a decoded record re-encodes to one that decodes again.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "deltacat/storage/msgpack_value.h"
#include "deltacat/storage/txn_log_record.h"

using namespace deltacat::storage;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto value = DecodeMsgpack(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!value.ok()) return 0;
  auto record = DecodeTxnLogRecord(*value, "fuzz");
  if (!record.ok()) return 0;
  (void)record->AllMetafileWritePaths();
  (void)record->AllLocatorWritePaths();
  const std::string encoded = EncodeMsgpack(EncodeTxnLogRecord(*record));
  auto reread = DecodeMsgpack(encoded);
  if (!reread.ok() || !DecodeTxnLogRecord(*reread, "fuzz-reencoded").ok()) std::abort();
  return 0;
}
