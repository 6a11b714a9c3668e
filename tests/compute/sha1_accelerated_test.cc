#include "deltacat/compute/sha1_accelerated.h"

#include <random>
#include <string>

#include <gtest/gtest.h>

#include "deltacat/util/sha1.h"

namespace deltacat::compute {
namespace {

std::string Hex(const std::array<uint8_t, 20>& digest) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (uint8_t byte : digest) {
    out.push_back(kDigits[byte >> 4]);
    out.push_back(kDigits[byte & 0xF]);
  }
  return out;
}

TEST(Sha1Accelerated, KnownVectors) {
  // FIPS 180 examples and Python's hashlib (the bucket formula pins sha1("test")).
  EXPECT_EQ(Hex(Sha1DigestAccelerated("")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(Hex(Sha1DigestAccelerated("abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(Hex(Sha1DigestAccelerated("test")), "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3");
  EXPECT_EQ(Hex(Sha1DigestAccelerated("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  EXPECT_EQ(Hex(Sha1DigestAccelerated(std::string(1000000, 'a'))),
            "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

TEST(Sha1Accelerated, AgreesWithPortableImplementationAtEveryLength) {
  std::mt19937_64 rng(99);
  for (size_t length = 0; length < 300; ++length) {
    for (int trial = 0; trial < 4; ++trial) {
      std::string data(length, '\0');
      for (char& c : data) c = static_cast<char>(rng());
      ASSERT_EQ(Sha1DigestAccelerated(data), Sha1Digest(data)) << "length " << length;
    }
  }
  RecordProperty("hardware_accelerated", Sha1IsHardwareAccelerated() ? "yes" : "no");
}

TEST(Sha1Accelerated, PairsAgreeWithSingleDigestsAtEveryLength) {
  std::mt19937_64 rng(5);
  for (size_t a_length = 0; a_length < 130; a_length += 3) {
    for (size_t b_length = 0; b_length < 130; b_length += 5) {
      std::string a(a_length, '\0'), b(b_length, '\0');
      for (char& c : a) c = static_cast<char>(rng());
      for (char& c : b) c = static_cast<char>(rng());
      std::array<uint8_t, 20> digest_a{}, digest_b{};
      Sha1DigestPairAccelerated(a, b, &digest_a, &digest_b);
      ASSERT_EQ(digest_a, Sha1Digest(a)) << a_length << ", " << b_length;
      ASSERT_EQ(digest_b, Sha1Digest(b)) << a_length << ", " << b_length;
    }
  }
}

}  // namespace
}  // namespace deltacat::compute
