#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <arrow/filesystem/filesystem.h>

#include "deltacat/result.h"
#include "deltacat/storage/msgpack_value.h"

// The msgpack record stored in running, paused, failed and success transaction logs
// (storage-format.md §3.16). Unknown keys are kept and written back.

namespace deltacat::storage {

/// The only time provider Python's resume() accepts.
inline constexpr std::string_view kSystemTimeProviderType = "TransactionSystemTimeProvider";

/// A reduced metafile in an operation: its ID, real-name locator and alias.
struct TxnLogMetafileRef {
  MsgValue id;             ///< usually a string
  MsgValue locator;        ///< real-name locator map (Python's history reader needs it)
  MsgValue locator_alias;  ///< stream/partition alias map, or nil
  MsgMap extra;            ///< unknown keys
};

/// One operation of a transaction.
struct TxnLogOperation {
  /// "create", "update", ... kept as text so unknown types survive.
  std::string type;
  TxnLogMetafileRef dest;
  std::optional<TxnLogMetafileRef> src;
  std::optional<int64_t> read_limit;
  /// Revision files written, relative to the catalog root.
  std::vector<std::string> metafile_write_paths;
  /// Name-mapping files written, relative to the catalog root.
  std::vector<std::string> locator_write_paths;
  MsgMap extra;
};

/// A transaction log record.
struct TxnLogRecord {
  std::string id;
  int64_t start_time = 0;
  std::optional<int64_t> end_time;
  std::optional<int64_t> pause_time;
  std::vector<TxnLogOperation> operations;
  std::string catalog_root_normalized;
  std::string time_provider_type = std::string(kSystemTimeProviderType);
  std::optional<std::string> commit_message;
  std::optional<std::string> catalog_name;
  std::optional<int64_t> historic_timestamp;
  MsgMap extra;

  /// Every revision file path of every operation, in order.
  std::vector<std::string> AllMetafileWritePaths() const;
  /// Every mapping file path of every operation, in order.
  std::vector<std::string> AllLocatorWritePaths() const;
};

/// The msgpack map Python writes: both path lists always present (Python's janitor indexes
/// them), `_time_provider` as `{type, params: {}}`.
MsgValue EncodeTxnLogRecord(const TxnLogRecord& record);

/// Decodes a record; `what` names the source in errors. Requires `id` (str), `start_time`
/// (int) and `operations` (array); everything else is optional. kCorruptMetadata otherwise.
Result<TxnLogRecord> DecodeTxnLogRecord(const MsgValue& value, std::string_view what);

/// Largest transaction log accepted by ReadTxnLog (logs list every file a transaction wrote).
inline constexpr int64_t kMaxTxnLogBytes = 256LL << 20;

/// Reads and decodes the transaction log at `path`; errors name the file.
Result<TxnLogRecord> ReadTxnLog(arrow::fs::FileSystem& fs, const std::string& path);

}  // namespace deltacat::storage
