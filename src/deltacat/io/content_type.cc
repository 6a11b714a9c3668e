#include "deltacat/content_type.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <utility>

namespace deltacat {
namespace {

struct ContentTypeInfo {
  ContentType type;
  std::string_view mime;
  std::string_view short_name;
  std::string_view extension;
};

// One row per content type; the order is the enum's.
constexpr std::array<ContentTypeInfo, 10> kContentTypes = {{
    {ContentType::kParquet, "application/parquet", "parquet", ".parquet"},
    {ContentType::kFeather, "application/feather", "feather", ".feather"},
    {ContentType::kOrc, "application/orc", "orc", ".orc"},
    {ContentType::kAvro, "application/avro", "avro", ".avro"},
    {ContentType::kCsv, "text/csv", "csv", ".csv"},
    {ContentType::kTsv, "text/tsv", "tsv", ".tsv"},
    {ContentType::kPsv, "text/psv", "psv", ".psv"},
    {ContentType::kJson, "application/json", "json", ".json"},
    // Python's extension map has no entry for these two.
    {ContentType::kUnescapedTsv, "application/x-amzn-unescaped-tsv", "unescaped_tsv", ""},
    {ContentType::kBinary, "application/octet-stream", "binary", ""},
}};

struct ContentEncodingInfo {
  ContentEncoding encoding;
  std::string_view name;
  std::string_view extension;
};

constexpr std::array<ContentEncodingInfo, 6> kContentEncodings = {{
    {ContentEncoding::kIdentity, "identity", ""},
    {ContentEncoding::kGzip, "gzip", ".gz"},
    {ContentEncoding::kDeflate, "deflate", ".zz"},
    {ContentEncoding::kZstd, "zstd", ".zst"},
    {ContentEncoding::kBzip2, "bzip2", ".bz2"},
    {ContentEncoding::kSnappy, "snappy", ".sz"},
}};

constexpr bool TablesFollowEnumOrder() {
  for (size_t i = 0; i < kContentTypes.size(); ++i) {
    if (static_cast<size_t>(kContentTypes[i].type) != i) return false;
  }
  for (size_t i = 0; i < kContentEncodings.size(); ++i) {
    if (static_cast<size_t>(kContentEncodings[i].encoding) != i) return false;
  }
  return true;
}
static_assert(TablesFollowEnumOrder(), "lookup tables must be indexed by enum value");

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

const ContentTypeInfo& InfoOf(ContentType type) { return kContentTypes[static_cast<size_t>(type)]; }

const ContentEncodingInfo& InfoOf(ContentEncoding encoding) {
  return kContentEncodings[static_cast<size_t>(encoding)];
}

}  // namespace

std::string_view ContentTypeString(ContentType type) { return InfoOf(type).mime; }

std::string_view ContentTypeShortName(ContentType type) { return InfoOf(type).short_name; }

std::string_view ContentTypeExtension(ContentType type) { return InfoOf(type).extension; }

Result<ContentType> ParseContentType(std::string_view value) {
  for (const auto& info : kContentTypes) {
    if (value == info.mime) return info.type;
  }
  for (const auto& info : kContentTypes) {
    if (EqualsIgnoreCase(value, info.short_name) || EqualsIgnoreCase(value, info.mime)) {
      return info.type;
    }
  }
  return MakeError(ErrorCode::kContentTypeValidation, "unknown content type '", value,
                   "'; expected a MIME type such as 'application/parquet' or one of parquet, "
                   "feather, orc, avro, csv, tsv, psv, json, unescaped_tsv, binary");
}

Result<ContentType> ContentTypeFromExtension(std::string_view extension) {
  if (extension == ".pq") return ContentType::kParquet;
  for (const auto& info : kContentTypes) {
    if (!info.extension.empty() && extension == info.extension) return info.type;
  }
  return MakeError(ErrorCode::kContentTypeValidation, "no content type has the file extension '",
                   extension, "'");
}

bool IsSchemaContentType(ContentType type) {
  return type == ContentType::kParquet || type == ContentType::kOrc ||
         type == ContentType::kFeather || type == ContentType::kAvro;
}

bool IsDelimitedTextContentType(ContentType type) {
  return type == ContentType::kCsv || type == ContentType::kTsv || type == ContentType::kPsv ||
         type == ContentType::kUnescapedTsv;
}

std::string_view ContentEncodingString(ContentEncoding encoding) { return InfoOf(encoding).name; }

Result<ContentEncoding> ParseContentEncoding(std::string_view value) {
  for (const auto& info : kContentEncodings) {
    if (EqualsIgnoreCase(value, info.name)) return info.encoding;
  }
  return MakeError(ErrorCode::kContentTypeValidation, "unknown content encoding '", value,
                   "'; expected one of identity, gzip, deflate, zstd, bzip2, snappy");
}

std::string_view ContentEncodingExtension(ContentEncoding encoding) {
  return InfoOf(encoding).extension;
}

ContentEncoding DefaultEncodingFor(ContentType type) {
  return (IsDelimitedTextContentType(type) || type == ContentType::kJson)
             ? ContentEncoding::kGzip
             : ContentEncoding::kIdentity;
}

std::string DataFileSuffix(ContentType type, ContentEncoding encoding) {
  std::string suffix(ContentTypeExtension(type));
  suffix += ContentEncodingExtension(encoding);
  return suffix;
}

}  // namespace deltacat
