#include "deltacat/util/byte_size.h"

#include <cstdint>
#include <string>

#include <gtest/gtest.h>

namespace deltacat {
namespace {

TEST(ByteSize, PlainBytesAndBinaryUnits) {
  EXPECT_EQ(*ParseByteSize("268435456"), int64_t{256} << 20);
  EXPECT_EQ(*ParseByteSize("1b"), 1);
  EXPECT_EQ(*ParseByteSize("100k"), 100 * 1024);
  EXPECT_EQ(*ParseByteSize("256MiB"), int64_t{256} << 20);
  EXPECT_EQ(*ParseByteSize("512MB"), int64_t{512} << 20);
  EXPECT_EQ(*ParseByteSize("2GiB"), int64_t{2} << 30);
  EXPECT_EQ(*ParseByteSize("2g"), int64_t{2} << 30);
  EXPECT_EQ(*ParseByteSize("1TiB"), int64_t{1} << 40);
}

TEST(ByteSize, RejectsWhatIsNotAWholeSize) {
  for (const std::string text :
       {"", "MiB", "lots", "-1", "0", "0MiB", "1.5GiB", "256 MiB", "256MiBs", "12PiB", " 1"}) {
    auto parsed = ParseByteSize(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.status().code(), ErrorCode::kInvalidArgument) << text;
    EXPECT_NE(parsed.status().message().find(text), std::string::npos) << parsed.status().message();
  }
}

TEST(ByteSize, RejectsOverflow) {
  EXPECT_EQ(*ParseByteSize("8388607TiB"), int64_t{8388607} << 40);
  EXPECT_FALSE(ParseByteSize("8388608TiB").ok());
  EXPECT_FALSE(ParseByteSize("9223372036854775807k").ok());
  EXPECT_FALSE(ParseByteSize("99999999999999999999").ok());
}

}  // namespace
}  // namespace deltacat
