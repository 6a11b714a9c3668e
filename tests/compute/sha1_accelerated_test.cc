#include "deltacat/compute/sha1_accelerated.h"

#include <random>
#include <string>
#include <vector>

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

TEST(Sha1Accelerated, BatchesAgreeWithSingleDigestsAtEveryLengthAndCount) {
  // Lengths up to and around the one-block limit (55) and beyond, in batches of every size up to
  // 40, so that full groups of 16 (and of 4), leftover lanes and long messages between them all
  // occur, with the longest message of a group anywhere in it.
  std::mt19937_64 rng(5);
  for (size_t count = 0; count <= 40; ++count) {
    for (int trial = 0; trial < 20; ++trial) {
      std::vector<std::string> data(count);
      for (auto& message : data) {
        message.resize(rng() % 5 == 0 ? rng() % 200 : rng() % 60);
        for (char& c : message) c = static_cast<char>(rng());
      }
      std::vector<std::string_view> messages(data.begin(), data.end());
      std::vector<Sha1Words> words(count);
      Sha1DigestWordsAccelerated(messages, words);
      for (size_t i = 0; i < count; ++i) {
        ASSERT_EQ(Sha1WordsToBytes(words[i]), Sha1Digest(data[i]))
            << "batch of " << count << ", message " << i << " of " << data[i].size() << " bytes";
      }
    }
  }
}

TEST(Sha1Accelerated, WordsAreTheDigestInBigEndian) {
  Sha1Words words{};
  std::string_view message = "test";
  Sha1DigestWordsAccelerated(std::span<const std::string_view>(&message, 1),
                             std::span<Sha1Words>(&words, 1));
  EXPECT_EQ(words[0], 0xa94a8fe5u);
  EXPECT_EQ(words[4], 0x982fbbd3u);
  EXPECT_EQ(Hex(Sha1WordsToBytes(words)), "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3");
}

}  // namespace
}  // namespace deltacat::compute
