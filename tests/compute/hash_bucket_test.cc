// Hash bucketing must match Python DeltaCAT's compactor v2 exactly (bucket layouts and round
// completion info are shared with Python). The formula, from deltacat 2.0.0.post4:
//
//   compactor/model/compact_partition_params.py   primary_keys = sorted(primary_keys)
//   compactor_v2/utils/primary_key_index.py       generate_pk_hash_column:
//       cols = [sliced_string_cast(table[k]) for k in primary_keys]   (pc.cast(col, pa.string()))
//       joined = pc.binary_join_element_wise(*cols, "L6kl7u5f", null_handling="replace")
//       digest = hashlib.sha1(joined.encode("utf-8")).hexdigest()   (null -> "" via "replace")
//   pk_digest_to_hash_bucket_index:              bucket = int(digest, 16) % num_buckets
//
// The golden digests and buckets below were computed by running that code:
//
//   from deltacat.compute.compactor_v2.utils.primary_key_index import (
//       generate_pk_hash_column, pk_digest_to_hash_bucket_index)
//   from deltacat.compute.compactor.utils import system_columns as sc
//   t = generate_pk_hash_column([table], sorted(keys), requires_hash=True)[0]
//   digests = list(sc.pk_hash_string_column_np(t))
//   buckets = [pk_digest_to_hash_bucket_index(d, n) for d in digests]
//
// with /work/main/venv-interop/bin/python (deltacat 2.0.0.post4, pyarrow 16.0.0) on the tables
// built by the same column values as here. The last test re-runs the Python code live on random
// tables when that interpreter is available.

#include "deltacat/compute/hash_bucket.h"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include <arrow/io/file.h>
#include <arrow/ipc/writer.h>
#include <gtest/gtest.h>

#include "compute_test_util.h"
#include "support/temp_dir.h"

namespace deltacat::compute {
namespace {

using testing::Col;
using testing::TableOf;

std::string Hex(const uint8_t* bytes, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < size; ++i) {
    out.push_back(kDigits[bytes[i] >> 4]);
    out.push_back(kDigits[bytes[i] & 0xF]);
  }
  return out;
}

std::vector<std::string> HexDigests(const arrow::Table& table,
                                    const std::vector<std::string>& keys) {
  auto digests = ComputePrimaryKeyDigests(table, keys);
  EXPECT_TRUE(digests.ok()) << digests.status().ToString();
  std::vector<std::string> out;
  for (int64_t i = 0; i < (*digests)->length(); ++i) {
    out.push_back(Hex((*digests)->GetValue(i), 20));
  }
  return out;
}

std::vector<int32_t> Buckets(const arrow::Table& table, const std::vector<std::string>& keys,
                             int32_t num_buckets) {
  auto buckets = ComputeHashBuckets(table, keys, num_buckets);
  EXPECT_TRUE(buckets.ok()) << buckets.status().ToString();
  return {(*buckets)->raw_values(), (*buckets)->raw_values() + (*buckets)->length()};
}

struct GoldenCase {
  std::string name;
  std::vector<Col> columns;
  std::vector<std::string> digests;
  std::vector<int32_t> buckets_3;
  std::vector<int32_t> buckets_13;
  std::vector<int32_t> buckets_1000;
};

constexpr const char* kEmptySha1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709";  // sha1("")

std::vector<GoldenCase> GoldenCases() {
  return {
      {"int64",
       {{"pk", arrow::int64(), "[0, 1, -1, 42, 9223372036854775807, -9223372036854775808, null]"}},
       {"b6589fc6ab0dc82cf12099d1c2d40ab994e8410c", "356a192b7913b04c54574d18c28d46e6395428ab",
        "7984b0a0e139cabadb5afc7756d473fb34d23819", "92cfceb39d57d914ed8b14d0e37643de0797ae56",
        "458b642b137e2c76e0b746c6fa43e64c3d4c47f1", "61dad8c53f364d8c90b2282f8d4dffbd3974ca5f",
        kEmptySha1},
       {0, 0, 0, 1, 2, 2, 1},
       {2, 0, 12, 9, 9, 6, 5},
       {428, 883, 281, 190, 345, 143, 305}},
      {"int32",
       {{"pk", arrow::int32(), "[0, 7, -7, null]"}},
       {"b6589fc6ab0dc82cf12099d1c2d40ab994e8410c", "902ba3cda1883801594b6e1b452790cc53948fda",
        "565e8bd101bd602536fe79ba40584a1561da3581", kEmptySha1},
       {0, 2, 2, 1},
       {2, 11, 2, 5},
       {428, 538, 345, 305}},
      {"uint64",
       {{"pk", arrow::uint64(), "[0, 18446744073709551615, 12345]"}},
       {"b6589fc6ab0dc82cf12099d1c2d40ab994e8410c", "234524f46607504594696f875bd0ca86fe0ee671",
        "8cb2237d0679ca88db6464eac60da96345513964"},
       {0, 2, 0},
       {2, 7, 2},
       {428, 297, 172}},
      {"string",
       {{"pk", arrow::utf8(), R"(["", "a", "hello world", "ünïcødé", null, "6"])"}},
       {kEmptySha1, "86f7e437faa5a7fce15d1ddcb9eaeaea377667b8",
        "2aae6c35c94fcfb415dbe95f408b9ce91ee846ed", "e3165be081665fbe321cc334c71a8409b312e692",
        kEmptySha1, "c1dfd96eea8cc2b62785275bca38ac261256e278"},
       {1, 1, 1, 1, 1, 1},
       {5, 1, 1, 7, 5, 10},
       {305, 152, 533, 554, 305, 128}},
      {"large_string",
       {{"pk", arrow::large_utf8(), R"(["", "a", "hello world", null])"}},
       {kEmptySha1, "86f7e437faa5a7fce15d1ddcb9eaeaea377667b8",
        "2aae6c35c94fcfb415dbe95f408b9ce91ee846ed", kEmptySha1},
       {1, 1, 1, 1},
       {5, 1, 1, 5},
       {305, 152, 533, 305}},
      {"binary",
       {{"pk", arrow::binary(), R"(["", "abc", null])"}},
       {kEmptySha1, "a9993e364706816aba3e25717850c26c9cd0d89d", kEmptySha1},
       {1, 2, 1},
       {5, 12, 5},
       {305, 517, 305}},
      {"bool",
       {{"pk", arrow::boolean(), "[true, false, null]"}},
       {"5ffe533b830f08a0326348a9160afafc8ada44db", "7cb6efb98ba5972a9b5090dc2e517fe14d12cb04",
        kEmptySha1},
       {2, 0, 1},
       {4, 9, 5},
       {27, 12, 305}},
      {"date32",
       {{"pk", arrow::date32(), "[19724, 0, null]"}},  // 2024-01-02, 1970-01-01
       {"e5e3ca72dd5fad34efb3c1d85b2b337d275af7d0", "fa56113298a9628c44b856bdacc977ae01abeab8",
        kEmptySha1},
       {1, 0, 1},
       {5, 0, 5},
       {664, 600, 305}},
      {"timestamp_us",
       {{"pk", arrow::timestamp(arrow::TimeUnit::MICRO), "[1704164645123456, null]"}},
       {"948f336287b8f5fcba603be059d8f27020aa68a9", kEmptySha1},
       {0, 1},
       {11, 5},
       {265, 305}},
      {"timestamp_s",
       {{"pk", arrow::timestamp(arrow::TimeUnit::SECOND), "[1704164645]"}},
       {"baa9d5466c9b41d89dba62ddc22bd81087cf058d"},
       {2},
       {8},
       {501}},
      {"timestamp_ns_utc",
       {{"pk", arrow::timestamp(arrow::TimeUnit::NANO, "UTC"), "[1704164645123456789]"}},
       {"4071d6a140a6f7a553107f619dce86148fd8f9d8"},
       {2},
       {4},
       {88}},
      {"decimal",
       {{"pk", arrow::decimal128(10, 2), R"(["123.45", "-0.01", null])"}},
       {"22f8b438ad7e89300b51d88684f3f0b9fa1d7a32", "74454c249c391334ca491901cd4975e88fa525d2",
        kEmptySha1},
       {1, 0, 1},
       {10, 9, 5},
       {650, 114, 305}},
      // Keys given as (b, a) are joined in sorted order a, b: "1L6kl7u5fx", "2L6kl7u5f",
      // "L6kl7u5f", "L6kl7u5fy".
      {"composite",
       {{"b", arrow::utf8(), R"(["x", null, "", "y"])"},
        {"a", arrow::int64(), "[1, 2, null, null]"}},
       {"cea4969f217e6e562982d78510fbf6b0b9c56d0e", "6369568d3dd7b00a08521d95b16014909faaec33",
        "176a21dea42d5dfee83db0fe1ce0096ae2498711", "075b95d52878f58749341c59e9bfe8c4ca34d4da"},
       {2, 0, 0, 0},
       {3, 3, 4, 4},
       {902, 899, 361, 938}},
  };
}

TEST(HashBucket, MatchesPythonGoldenDigestsAndBuckets) {
  for (const auto& golden : GoldenCases()) {
    SCOPED_TRACE(golden.name);
    const auto table = TableOf(golden.columns);
    std::vector<std::string> keys;
    for (const auto& col : golden.columns) keys.push_back(col.name);
    EXPECT_EQ(HexDigests(*table, keys), golden.digests);
    EXPECT_EQ(Buckets(*table, keys, 3), golden.buckets_3);
    EXPECT_EQ(Buckets(*table, keys, 13), golden.buckets_13);
    EXPECT_EQ(Buckets(*table, keys, 1000), golden.buckets_1000);
    EXPECT_EQ(Buckets(*table, keys, 1), std::vector<int32_t>(table->num_rows(), 0));
  }
}

TEST(HashBucket, KeyOrderDoesNotMatter) {
  const auto table =
      TableOf({{"b", arrow::utf8(), R"(["x", "y"])"}, {"a", arrow::int64(), "[1, 2]"}});
  EXPECT_EQ(HexDigests(*table, {"a", "b"}), HexDigests(*table, {"b", "a"}));
}

TEST(HashBucket, ChunkingDoesNotMatter) {
  const auto one = TableOf({{"k", arrow::utf8(), R"(["a", "b", "c", null, "e"])"},
                            {"n", arrow::int32(), "[1, 2, 3, 4, 5]"}});
  // The same rows with different chunk boundaries per column.
  auto k = std::make_shared<arrow::ChunkedArray>(
      arrow::ArrayVector{testing::ArrayOf(arrow::utf8(), R"(["a"])"),
                         testing::ArrayOf(arrow::utf8(), R"(["b", "c", null])"),
                         testing::ArrayOf(arrow::utf8(), R"(["e"])")});
  auto n = std::make_shared<arrow::ChunkedArray>(arrow::ArrayVector{
      testing::ArrayOf(arrow::int32(), "[1, 2, 3]"), testing::ArrayOf(arrow::int32(), "[]"),
      testing::ArrayOf(arrow::int32(), "[4, 5]")});
  auto chunked = arrow::Table::Make(one->schema(), {k, n});
  EXPECT_EQ(HexDigests(*one, {"k", "n"}), HexDigests(*chunked, {"k", "n"}));
}

TEST(HashBucket, DictionaryKeysHashLikeTheirValues) {
  const auto plain = TableOf({{"pk", arrow::utf8(), R"(["b", "a", null, "b"])"}});
  std::shared_ptr<arrow::Array> dictionary;
  ASSERT_TRUE(
      arrow::ipc::internal::json::DictArrayFromJSON(arrow::dictionary(arrow::int8(), arrow::utf8()),
                                                    "[1, 0, null, 1]", R"(["a", "b"])", &dictionary)
          .ok());
  const auto encoded =
      arrow::Table::Make(arrow::schema({arrow::field("pk", dictionary->type())}), {dictionary});
  EXPECT_EQ(HexDigests(*encoded, {"pk"}), HexDigests(*plain, {"pk"}));
}

TEST(HashBucket, DigestFoldEqualsBigIntegerModulo) {
  std::array<uint8_t, 20> digest{};
  digest.fill(0xFF);  // 2^160 - 1
  // (2^160 - 1) mod 7: 2^3 = 1 (mod 7), so 2^160 = 2^(3*53+1) = 2, minus 1 = 1.
  EXPECT_EQ(HashBucketOfDigest(digest, 7), 1);
  EXPECT_EQ(HashBucketOfDigest(digest, 1), 0);
  digest.fill(0);
  digest[19] = 200;
  EXPECT_EQ(HashBucketOfDigest(digest, 1000), 200);
  EXPECT_EQ(HashBucketOfDigest(digest, 2147483647), 200);
}

TEST(HashBucket, PowerOfTwoBucketCountsFoldLikeAnyOther) {
  // The power-of-two shortcut (last 32 bits) against the big-integer fold, done here bytewise.
  std::mt19937_64 random(7);
  for (int trial = 0; trial < 2000; ++trial) {
    std::array<uint8_t, 20> digest{};
    for (auto& byte : digest) byte = static_cast<uint8_t>(random());
    for (int shift = 0; shift <= 30; ++shift) {
      const int32_t buckets = int32_t{1} << shift;
      uint64_t remainder = 0;
      for (uint8_t byte : digest) remainder = (remainder * 256 + byte) % buckets;
      ASSERT_EQ(HashBucketOfDigest(digest, buckets), static_cast<int32_t>(remainder))
          << buckets << " buckets";
    }
  }
}

TEST(HashBucket, Errors) {
  const auto table = TableOf({{"pk", arrow::int64(), "[1]"}});
  EXPECT_EQ(ComputeHashBuckets(*table, {"pk"}, 0).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ComputeHashBuckets(*table, {"missing"}, 3).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(ComputeHashBuckets(*table, {"pk", "pk"}, 3).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(ComputePrimaryKeyDigests(*table, {}).status().code(), ErrorCode::kInvalidArgument);
}

TEST(HashBucket, NoMergeKeysIsRoundRobin) {
  const auto table = TableOf({{"v", arrow::int64(), "[5, 5, 5, 5, 5]"}});
  EXPECT_EQ(Buckets(*table, {}, 3), (std::vector<int32_t>{0, 1, 2, 0, 1}));
}

TEST(HashBucket, RecordBatchOverloadAgrees) {
  const auto table = TableOf({{"pk", arrow::utf8(), R"(["a", "b", "c"])"}});
  auto batch = table->CombineChunksToBatch().ValueOrDie();
  auto from_batch = ComputeHashBuckets(*batch, {"pk"}, 13);
  ASSERT_TRUE(from_batch.ok());
  EXPECT_TRUE((*from_batch)->Equals(*ComputeHashBuckets(*table, {"pk"}, 13).ValueOrDie()));
}

TEST(HashBucket, SplitKeepsEveryRowInItsBucketInOrder) {
  const auto table =
      TableOf({{"pk", arrow::int64(), "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]"},
               {"v", arrow::utf8(), R"(["a","b","c","d","e","f","g","h","i","j","k","l"])"}});
  auto split = SplitByHashBucket(table, {"pk"}, 4);
  ASSERT_TRUE(split.ok()) << split.status().ToString();
  ASSERT_EQ(split->size(), 4u);
  const auto buckets = Buckets(*table, {"pk"}, 4);
  const auto all_rows = testing::RowsOf(*table);
  int64_t total = 0;
  for (int32_t b = 0; b < 4; ++b) {
    const auto& piece = (*split)[b];
    EXPECT_TRUE(piece->schema()->Equals(*table->schema()));
    std::vector<std::string> expected;
    for (size_t i = 0; i < all_rows.size(); ++i) {
      if (buckets[i] == b) expected.push_back(all_rows[i]);
    }
    EXPECT_EQ(testing::RowsOf(*piece), expected) << "bucket " << b;
    total += piece->num_rows();
  }
  EXPECT_EQ(total, table->num_rows());
}

TEST(HashBucket, IntegerKeysDigestLikeTheirDecimalStrings) {
  // Integer keys may be formatted straight into SHA-1 blocks (AVX-512 machines); strings take
  // the general path. Over several windows of rows, every integer width, negative values,
  // extremes and nulls, an integer key's digest is its decimal string's.
  std::mt19937_64 rng(5);
  const int64_t rows = 1500;  // two full windows of 512 rows and a partial one
  for (const auto& type : {arrow::int8(), arrow::int16(), arrow::int32(), arrow::int64(),
                           arrow::uint8(), arrow::uint16(), arrow::uint32(), arrow::uint64()}) {
    SCOPED_TRACE(type->ToString());
    std::string integers = "[";
    std::string strings = "[";
    const bool is_signed = arrow::is_signed_integer(type->id());
    const int bits = type->byte_width() * 8;
    for (int64_t r = 0; r < rows; ++r) {
      std::string value;
      if (rng() % 10 == 0) {
        value = "null";
      } else if (is_signed) {
        const auto shifted = static_cast<int64_t>(rng()) >> (64 - bits);
        value = r % 97 == 0 ? std::to_string(bits == 64 ? INT64_MIN : -(int64_t{1} << (bits - 1)))
                            : std::to_string(shifted);
      } else {
        value = std::to_string(bits == 64 ? rng() : rng() >> (64 - bits));
      }
      integers += (r > 0 ? "," : "") + value;
      strings += (r > 0 ? "," : "") + (value == "null" ? value : "\"" + value + "\"");
    }
    const auto as_integers = TableOf({{"pk", type, integers + "]"}});
    const auto as_strings = TableOf({{"pk", arrow::utf8(), strings + "]"}});
    auto from_integers = ComputePrimaryKeyDigests(*as_integers, {"pk"});
    auto from_strings = ComputePrimaryKeyDigests(*as_strings, {"pk"});
    ASSERT_TRUE(from_integers.ok()) << from_integers.status().ToString();
    ASSERT_TRUE(from_strings.ok()) << from_strings.status().ToString();
    ASSERT_EQ((*from_integers)->length(), rows);
    for (int64_t r = 0; r < rows; ++r) {
      ASSERT_EQ((*from_integers)->GetView(r), (*from_strings)->GetView(r)) << "row " << r;
    }
    auto integer_buckets = ComputeHashBuckets(*as_integers, {"pk"}, 1000003);
    auto string_buckets = ComputeHashBuckets(*as_strings, {"pk"}, 1000003);
    ASSERT_TRUE(integer_buckets.ok() && string_buckets.ok());
    ASSERT_TRUE((*integer_buckets)->Equals(**string_buckets));
  }
}

// --- Live differential test against the installed Python package. ---------------------------

std::string InteropPython() {
  if (const char* env = std::getenv("DELTACAT_INTEROP_PYTHON"); env != nullptr && *env != 0) {
    return env;
  }
  for (const std::string& candidate :
       {std::string(DELTACAT_SOURCE_DIR) + "/venv-interop/bin/python",
        std::string("/work/main/venv-interop/bin/python")}) {
    if (std::filesystem::exists(candidate)) return candidate;
  }
  return {};
}

std::shared_ptr<arrow::Table> RandomKeyTable(int64_t rows, uint32_t seed) {
  std::mt19937_64 rng(seed);
  auto chance = [&](int percent) { return static_cast<int>(rng() % 100) < percent; };
  arrow::Int64Builder i64;
  arrow::StringBuilder str;
  arrow::Decimal128Builder dec(arrow::decimal128(12, 3));
  arrow::TimestampBuilder ts(arrow::timestamp(arrow::TimeUnit::MICRO),
                             arrow::default_memory_pool());
  arrow::BooleanBuilder flag;
  arrow::Date32Builder date;
  arrow::UInt32Builder u32;
  const std::vector<std::string> alphabet = {"a", "Z", "0", " ", "é", "中", "🙂", "L6kl7u5f"};
  for (int64_t r = 0; r < rows; ++r) {
    if (chance(5)) {
      EXPECT_TRUE(i64.AppendNull().ok());
    } else {
      EXPECT_TRUE(i64.Append(static_cast<int64_t>(rng())).ok());
    }
    if (chance(5)) {
      EXPECT_TRUE(str.AppendNull().ok());
    } else {
      std::string s;
      const auto length = rng() % 6;
      for (uint64_t c = 0; c < length; ++c) s += alphabet[rng() % alphabet.size()];
      EXPECT_TRUE(str.Append(s).ok());
    }
    if (chance(5)) {
      EXPECT_TRUE(dec.AppendNull().ok());
    } else {
      EXPECT_TRUE(
          dec.Append(arrow::Decimal128(static_cast<int64_t>(rng() % 2000000000) - 1000000000))
              .ok());
    }
    EXPECT_TRUE(ts.Append(static_cast<int64_t>(rng() % 4102444800000000ULL)).ok());
    EXPECT_TRUE(flag.Append(chance(50)).ok());
    EXPECT_TRUE(date.Append(static_cast<int32_t>(rng() % 40000)).ok());
    EXPECT_TRUE(u32.Append(static_cast<uint32_t>(rng())).ok());
  }
  std::vector<std::shared_ptr<arrow::Array>> arrays(7);
  EXPECT_TRUE(i64.Finish(&arrays[0]).ok());
  EXPECT_TRUE(str.Finish(&arrays[1]).ok());
  EXPECT_TRUE(dec.Finish(&arrays[2]).ok());
  EXPECT_TRUE(ts.Finish(&arrays[3]).ok());
  EXPECT_TRUE(flag.Finish(&arrays[4]).ok());
  EXPECT_TRUE(date.Finish(&arrays[5]).ok());
  EXPECT_TRUE(u32.Finish(&arrays[6]).ok());
  auto schema = arrow::schema(
      {arrow::field("i64", arrays[0]->type()), arrow::field("str", arrays[1]->type()),
       arrow::field("dec", arrays[2]->type()), arrow::field("ts", arrays[3]->type()),
       arrow::field("flag", arrays[4]->type()), arrow::field("date", arrays[5]->type()),
       arrow::field("u32", arrays[6]->type())});
  return arrow::Table::Make(schema, arrays);
}

TEST(HashBucket, MatchesLivePythonOnRandomKeys) {
  const std::string python = InteropPython();
  if (python.empty()) {
    GTEST_SKIP() << "no Python interop venv (set DELTACAT_INTEROP_PYTHON)";
  }
  deltacat::testing::TempDir dir;
  const auto table = RandomKeyTable(500, 20240611);
  const std::string path = dir.Child("keys.arrow");
  {
    auto file = arrow::io::FileOutputStream::Open(path).ValueOrDie();
    auto writer = arrow::ipc::MakeFileWriter(file, table->schema()).ValueOrDie();
    ASSERT_TRUE(writer->WriteTable(*table).ok());
    ASSERT_TRUE(writer->Close().ok());
  }
  const std::vector<std::vector<std::string>> groups = {
      {"i64"}, {"str"}, {"str", "i64"}, {"ts", "flag", "dec", "date"}, {"u32", "str"}};
  std::string command =
      python + " " + DELTACAT_SOURCE_DIR + "/tests/compute/python_bucket_digests.py " + path;
  for (const auto& group : groups) {
    command += " ";
    for (size_t i = 0; i < group.size(); ++i) command += (i ? "," : "") + group[i];
  }
  command += " > " + dir.Child("digests.txt") + " 2> " + dir.Child("stderr.txt");
  const int rc = std::system(command.c_str());
  std::ifstream err(dir.Child("stderr.txt"));
  std::stringstream err_text;
  err_text << err.rdbuf();
  ASSERT_EQ(rc, 0) << command << "\n" << err_text.str();

  std::map<int, std::vector<std::string>> python_digests;
  std::ifstream in(dir.Child("digests.txt"));
  std::string line;
  while (std::getline(in, line)) {
    int group = -1;
    char digest[41] = {};
    if (std::sscanf(line.c_str(), "%d %40[0-9a-f]", &group, digest) == 2 &&
        std::strlen(digest) == 40) {
      python_digests[group].emplace_back(digest);
    }
  }
  for (size_t g = 0; g < groups.size(); ++g) {
    SCOPED_TRACE(::testing::PrintToString(groups[g]));
    EXPECT_EQ(HexDigests(*table, groups[g]), python_digests[static_cast<int>(g)]);
  }
}

}  // namespace
}  // namespace deltacat::compute
