#pragma once

#include <string>
#include <string_view>

#include "deltacat/result.h"

namespace deltacat {

/// The media type of a data file (DeltaCAT's `ContentType`), recorded in every manifest entry.
enum class ContentType {
  kParquet,       ///< application/parquet
  kFeather,       ///< application/feather (Arrow IPC file format)
  kOrc,           ///< application/orc
  kAvro,          ///< application/avro
  kCsv,           ///< text/csv
  kTsv,           ///< text/tsv
  kPsv,           ///< text/psv
  kJson,          ///< application/json (newline-delimited JSON records)
  kUnescapedTsv,  ///< application/x-amzn-unescaped-tsv
  kBinary,        ///< application/octet-stream (no table reader or writer)
};

/// The MIME string DeltaCAT stores on disk, e.g. "application/parquet".
std::string_view ContentTypeString(ContentType type);

/// Parses a MIME string exactly as stored ("text/csv"), or, for the CLI, a short name
/// ("parquet", "feather", "orc", "avro", "csv", "tsv", "psv", "json", "unescaped_tsv",
/// "binary") case-insensitively. Unknown values give kContentTypeValidation.
Result<ContentType> ParseContentType(std::string_view value);

/// The short lower-case name used by the CLI: "parquet", "csv", "unescaped_tsv", ...
std::string_view ContentTypeShortName(ContentType type);

/// The file extension DeltaCAT gives this content type: ".parquet", ".feather", ".orc",
/// ".avro", ".csv", ".tsv", ".psv", ".json"; empty for unescaped TSV and binary, which
/// Python has no extension for.
std::string_view ContentTypeExtension(ContentType type);

/// The content type a file extension implies (".parquet" and ".pq" are Parquet, ...);
/// kContentTypeValidation for an unknown extension. Case-sensitive, leading dot required.
Result<ContentType> ContentTypeFromExtension(std::string_view extension);

/// True for Parquet, ORC, Feather and Avro: the formats that carry their own schema and may
/// be written to a table that has one (Python's SCHEMA_CONTENT_TYPES).
bool IsSchemaContentType(ContentType type);

/// True for CSV, TSV, PSV and unescaped TSV (Python's DELIMITED_TEXT_CONTENT_TYPES).
bool IsDelimitedTextContentType(ContentType type);

/// An encoding applied on top of a content type (DeltaCAT's `ContentEncoding`).
enum class ContentEncoding {
  kIdentity,  ///< "identity": no container-level compression
  kGzip,      ///< "gzip"
  kDeflate,   ///< "deflate"
  kZstd,      ///< "zstd"
  kBzip2,     ///< "bzip2"
  kSnappy,    ///< "snappy"
};

/// The string DeltaCAT stores on disk: "identity", "gzip", "deflate", "zstd", "bzip2",
/// "snappy".
std::string_view ContentEncodingString(ContentEncoding encoding);

/// Parses an encoding string case-insensitively; unknown values give kContentTypeValidation.
Result<ContentEncoding> ParseContentEncoding(std::string_view value);

/// The file extension Python appends for an encoding: ".gz", ".bz2", ".zst", ".sz", ".zz"
/// (deflate); empty for identity.
std::string_view ContentEncodingExtension(ContentEncoding encoding);

/// The encoding Python DeltaCAT writes a content type with: gzip for the text formats (CSV,
/// TSV, PSV, JSON, unescaped TSV, Python's EXPLICIT_COMPRESSION_CONTENT_TYPES), identity for
/// everything else.
ContentEncoding DefaultEncodingFor(ContentType type);

/// The suffix of a data file name: content-type extension followed by encoding extension,
/// e.g. ".parquet", ".csv.gz", ".gz" (unescaped TSV with gzip).
std::string DataFileSuffix(ContentType type, ContentEncoding encoding);

}  // namespace deltacat
