#include "deltacat/content_type.h"

#include <gtest/gtest.h>

namespace deltacat {
namespace {

constexpr ContentType kAllTypes[] = {
    ContentType::kParquet,      ContentType::kFeather, ContentType::kOrc, ContentType::kAvro,
    ContentType::kCsv,          ContentType::kTsv,     ContentType::kPsv, ContentType::kJson,
    ContentType::kUnescapedTsv, ContentType::kBinary,
};

TEST(ContentTypeTest, MimeStringsMatchPythonEnumValues) {
  EXPECT_EQ(ContentTypeString(ContentType::kParquet), "application/parquet");
  EXPECT_EQ(ContentTypeString(ContentType::kFeather), "application/feather");
  EXPECT_EQ(ContentTypeString(ContentType::kOrc), "application/orc");
  EXPECT_EQ(ContentTypeString(ContentType::kAvro), "application/avro");
  EXPECT_EQ(ContentTypeString(ContentType::kCsv), "text/csv");
  EXPECT_EQ(ContentTypeString(ContentType::kTsv), "text/tsv");
  EXPECT_EQ(ContentTypeString(ContentType::kPsv), "text/psv");
  EXPECT_EQ(ContentTypeString(ContentType::kJson), "application/json");
  EXPECT_EQ(ContentTypeString(ContentType::kUnescapedTsv), "application/x-amzn-unescaped-tsv");
  EXPECT_EQ(ContentTypeString(ContentType::kBinary), "application/octet-stream");
}

TEST(ContentTypeTest, ParseRoundTripsMimeAndShortNames) {
  for (ContentType type : kAllTypes) {
    auto from_mime = ParseContentType(ContentTypeString(type));
    ASSERT_TRUE(from_mime.ok()) << from_mime.status();
    EXPECT_EQ(*from_mime, type);
    auto from_short = ParseContentType(ContentTypeShortName(type));
    ASSERT_TRUE(from_short.ok()) << from_short.status();
    EXPECT_EQ(*from_short, type);
  }
  EXPECT_EQ(*ParseContentType("PARQUET"), ContentType::kParquet);
  EXPECT_EQ(*ParseContentType("Csv"), ContentType::kCsv);
  EXPECT_EQ(*ParseContentType("Text/CSV"), ContentType::kCsv);
}

TEST(ContentTypeTest, UnknownContentTypeIsTypedError) {
  auto parsed = ParseContentType("application/xlsx");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), ErrorCode::kContentTypeValidation);
  EXPECT_NE(parsed.status().message().find("application/xlsx"), std::string::npos);
  EXPECT_FALSE(ParseContentType("").ok());
}

TEST(ContentTypeTest, ExtensionsMatchPythonMaps) {
  EXPECT_EQ(ContentTypeExtension(ContentType::kParquet), ".parquet");
  EXPECT_EQ(ContentTypeExtension(ContentType::kCsv), ".csv");
  EXPECT_EQ(ContentTypeExtension(ContentType::kJson), ".json");
  EXPECT_EQ(ContentTypeExtension(ContentType::kUnescapedTsv), "");
  EXPECT_EQ(*ContentTypeFromExtension(".pq"), ContentType::kParquet);
  EXPECT_EQ(*ContentTypeFromExtension(".orc"), ContentType::kOrc);
  EXPECT_EQ(ContentTypeFromExtension(".txt").status().code(), ErrorCode::kContentTypeValidation);
  EXPECT_FALSE(ContentTypeFromExtension("").ok());

  EXPECT_EQ(ContentEncodingExtension(ContentEncoding::kGzip), ".gz");
  EXPECT_EQ(ContentEncodingExtension(ContentEncoding::kBzip2), ".bz2");
  EXPECT_EQ(ContentEncodingExtension(ContentEncoding::kZstd), ".zst");
  EXPECT_EQ(ContentEncodingExtension(ContentEncoding::kSnappy), ".sz");
  EXPECT_EQ(ContentEncodingExtension(ContentEncoding::kDeflate), ".zz");
  EXPECT_EQ(ContentEncodingExtension(ContentEncoding::kIdentity), "");
}

TEST(ContentTypeTest, DefaultEncodingGzipsTextFormatsOnly) {
  for (ContentType type : kAllTypes) {
    const bool text = type == ContentType::kCsv || type == ContentType::kTsv ||
                      type == ContentType::kPsv || type == ContentType::kJson ||
                      type == ContentType::kUnescapedTsv;
    EXPECT_EQ(DefaultEncodingFor(type), text ? ContentEncoding::kGzip : ContentEncoding::kIdentity)
        << ContentTypeString(type);
  }
  EXPECT_EQ(DataFileSuffix(ContentType::kCsv, ContentEncoding::kGzip), ".csv.gz");
  EXPECT_EQ(DataFileSuffix(ContentType::kUnescapedTsv, ContentEncoding::kGzip), ".gz");
  EXPECT_EQ(DataFileSuffix(ContentType::kParquet, ContentEncoding::kIdentity), ".parquet");
}

TEST(ContentTypeTest, EncodingsParseAndFormat) {
  for (auto encoding :
       {ContentEncoding::kIdentity, ContentEncoding::kGzip, ContentEncoding::kDeflate,
        ContentEncoding::kZstd, ContentEncoding::kBzip2, ContentEncoding::kSnappy}) {
    auto parsed = ParseContentEncoding(ContentEncodingString(encoding));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, encoding);
  }
  EXPECT_EQ(*ParseContentEncoding("GZIP"), ContentEncoding::kGzip);
  EXPECT_EQ(ParseContentEncoding("lz4").status().code(), ErrorCode::kContentTypeValidation);
}

TEST(ContentTypeTest, SchemaAndDelimitedSets) {
  EXPECT_TRUE(IsSchemaContentType(ContentType::kParquet));
  EXPECT_TRUE(IsSchemaContentType(ContentType::kAvro));
  EXPECT_FALSE(IsSchemaContentType(ContentType::kJson));
  EXPECT_TRUE(IsDelimitedTextContentType(ContentType::kUnescapedTsv));
  EXPECT_FALSE(IsDelimitedTextContentType(ContentType::kJson));
}

}  // namespace
}  // namespace deltacat
