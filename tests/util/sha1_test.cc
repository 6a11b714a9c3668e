#include "deltacat/util/sha1.h"

#include <string>

#include <gtest/gtest.h>

namespace deltacat {
namespace {

TEST(Sha1, DeltacatNameDigestsFromTheSpec) {
  EXPECT_EQ(Sha1Hex("sales"), "59248c4dae276a021cb296d2ee0e6a0c962a8d7f");
  EXPECT_EQ(Sha1Hex("default"), "7505d64a54e061b7acd54ccd58b49dc43500b635");
  EXPECT_EQ(Sha1Hex("deltacat"), "8783dc5c5ecd47bd6265e89a5294778a579bf43b");
  EXPECT_EQ(Sha1Hex("None|deadbeef-7277-49a4-a195-fdc8ed235d42"),
            "618205b78748d2b5cc6ff3344257f6b1a0335c29");
}

TEST(Sha1, FipsVectors) {
  EXPECT_EQ(Sha1Hex(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(Sha1Hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(Sha1Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  EXPECT_EQ(Sha1Hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklm"
                    "nopqklmnopqrlmnopqrsmnopqrstnopqrstu"),
            "a49b2446a02c645bf419f995b67091253a04a259");
  EXPECT_EQ(Sha1Hex(std::string(1000000, 'a')), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

// Lengths around the 55/56/64-byte padding boundaries (expected values from Python hashlib).
TEST(Sha1, PaddingBoundaries) {
  EXPECT_EQ(Sha1Hex(std::string(55, 'a')), "c1c8bbdc22796e28c0e15163d20899b65621d65a");
  EXPECT_EQ(Sha1Hex(std::string(56, 'a')), "c2db330f6083854c99d4b5bfb6e8f29f201be699");
  EXPECT_EQ(Sha1Hex(std::string(63, 'a')), "03f09f5b158a7a8cdad920bddc29b81c18a551f5");
  EXPECT_EQ(Sha1Hex(std::string(64, 'a')), "0098ba824b5c16427bd7a1122a5a442a25ec644d");
  EXPECT_EQ(Sha1Hex(std::string(65, 'a')), "11655326c708d70319be2610e8a57d9a5b959d3b");
  EXPECT_EQ(Sha1Hex("The quick brown fox jumps over the lazy dog"),
            "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12");
}

TEST(Sha1, DigestMatchesHex) {
  const auto digest = Sha1Digest("abc");
  EXPECT_EQ(digest[0], 0xa9);
  EXPECT_EQ(digest[19], 0x9d);
}

TEST(Sha1, HandlesEmbeddedNulBytes) {
  // Python: hashlib.sha1(b"a\x00b").hexdigest()
  EXPECT_EQ(Sha1Hex(std::string("a\0b", 3)), "4a3dec2d1f8245280855c42db0ee4239f917fdb8");
}

}  // namespace
}  // namespace deltacat
