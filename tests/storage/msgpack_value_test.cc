#include "deltacat/storage/msgpack_value.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "deltacat/storage/base64.h"

namespace deltacat::storage {
namespace {

std::string Hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (char c : bytes) {
    out.push_back(kHex[(static_cast<unsigned char>(c) >> 4) & 0xf]);
    out.push_back(kHex[static_cast<unsigned char>(c) & 0xf]);
  }
  return out;
}

std::string Unhex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

// Expected bytes come from Python: msgpack.dumps(value).hex() with msgpack-python 1.0.x.
struct Golden {
  const char* name;
  MsgValue value;
  std::string hex;
};

std::vector<Golden> Goldens() {
  return {
      {"nil", MsgValue::Nil(), "c0"},
      {"true", MsgValue::Bool(true), "c3"},
      {"false", MsgValue::Bool(false), "c2"},
      {"0", MsgValue::Int(0), "00"},
      {"127", MsgValue::Int(127), "7f"},
      {"128", MsgValue::Int(128), "cc80"},
      {"255", MsgValue::Int(255), "ccff"},
      {"256", MsgValue::Int(256), "cd0100"},
      {"65535", MsgValue::Int(65535), "cdffff"},
      {"65536", MsgValue::Int(65536), "ce00010000"},
      {"4294967295", MsgValue::Int(4294967295LL), "ceffffffff"},
      {"4294967296", MsgValue::Int(4294967296LL), "cf0000000100000000"},
      {"int64max", MsgValue::Int(std::numeric_limits<int64_t>::max()), "cf7fffffffffffffff"},
      {"uint64max", MsgValue::Uint(std::numeric_limits<uint64_t>::max()), "cfffffffffffffffff"},
      {"-1", MsgValue::Int(-1), "ff"},
      {"-32", MsgValue::Int(-32), "e0"},
      {"-33", MsgValue::Int(-33), "d0df"},
      {"-128", MsgValue::Int(-128), "d080"},
      {"-129", MsgValue::Int(-129), "d1ff7f"},
      {"-32768", MsgValue::Int(-32768), "d18000"},
      {"-32769", MsgValue::Int(-32769), "d2ffff7fff"},
      {"int32min", MsgValue::Int(std::numeric_limits<int32_t>::min()), "d280000000"},
      {"int32min-1", MsgValue::Int(std::numeric_limits<int32_t>::min() - 1LL),
       "d3ffffffff7fffffff"},
      {"int64min", MsgValue::Int(std::numeric_limits<int64_t>::min()), "d38000000000000000"},
      {"1.5", MsgValue::Double(1.5), "cb3ff8000000000000"},
      {"-0.0", MsgValue::Double(-0.0), "cb8000000000000000"},
      {"str_empty", MsgValue::String(""), "a0"},
      {"str31", MsgValue::String(std::string(31, 'a')), "bf" + Hex(std::string(31, 'a'))},
      {"str32", MsgValue::String(std::string(32, 'b')), "d920" + Hex(std::string(32, 'b'))},
      {"str255", MsgValue::String(std::string(255, 'c')), "d9ff" + Hex(std::string(255, 'c'))},
      {"str256", MsgValue::String(std::string(256, 'd')), "da0100" + Hex(std::string(256, 'd'))},
      {"utf8", MsgValue::String("\xc3\xa9"), "a2c3a9"},
      {"bin_empty", MsgValue::Binary(""), "c400"},
      {"bin3", MsgValue::Binary(std::string("\x00\x01\x02", 3)), "c403000102"},
      {"bin256", MsgValue::Binary(std::string(256, 'x')), "c50100" + Hex(std::string(256, 'x'))},
      {"arr15",
       [] {
         MsgArray a;
         for (int i = 0; i < 15; ++i) a.push_back(MsgValue::Int(i));
         return MsgValue::Array(a);
       }(),
       "9f000102030405060708090a0b0c0d0e"},
      {"arr16",
       [] {
         MsgArray a;
         for (int i = 0; i < 16; ++i) a.push_back(MsgValue::Int(i));
         return MsgValue::Array(a);
       }(),
       "dc0010000102030405060708090a0b0c0d0e0f"},
      {"map",
       MsgValue::Map({{"b", MsgValue::Int(1)},
                      {"a", MsgValue::Array({MsgValue::Nil(), MsgValue::Bool(true)})},
                      {"c", MsgValue::Map({{"x", MsgValue::Binary("\xff")}})}}),
       "83a16201a16192c0c3a16381a178c401ff"},
      {"map16",
       [] {
         MsgValue m = MsgValue::Map();
         for (int i = 0; i < 16; ++i) m.Set(std::to_string(i), MsgValue::Int(i));
         return m;
       }(),
       "de0010a13000a13101a13202a13303a13404a13505a13606a13707a13808a13909a231300aa231310ba23132"
       "0ca231330da231340ea231350f"},
  };
}

TEST(MsgpackValue, EncodesLikePython) {
  for (const Golden& g : Goldens()) {
    EXPECT_EQ(Hex(EncodeMsgpack(g.value)), g.hex) << g.name;
  }
}

TEST(MsgpackValue, DecodesPythonBytesAndRoundTrips) {
  for (const Golden& g : Goldens()) {
    auto decoded = DecodeMsgpack(Unhex(g.hex));
    ASSERT_TRUE(decoded.ok()) << g.name << ": " << decoded.status();
    EXPECT_EQ(*decoded, g.value) << g.name;
    EXPECT_EQ(Hex(EncodeMsgpack(*decoded)), g.hex) << g.name;
  }
}

TEST(MsgpackValue, AcceptsEveryIntegerEncoding) {
  // 5 as positive fixint, uint8/16/32/64, int8/16/32/64: all the same value.
  for (const char* hex : {"05", "cc05", "cd0005", "ce00000005", "cf0000000000000005", "d005",
                          "d10005", "d200000005", "d30000000000000005"}) {
    auto v = DecodeMsgpack(Unhex(hex));
    ASSERT_TRUE(v.ok()) << hex;
    EXPECT_EQ(v->type(), MsgValue::Type::kInt) << hex;
    EXPECT_EQ(*v->AsInt(), 5) << hex;
    EXPECT_EQ(*v->AsUint(), 5u) << hex;
    EXPECT_EQ(Hex(EncodeMsgpack(*v)), "05");
  }
  auto big = DecodeMsgpack(Unhex("cf8000000000000000"));
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(big->type(), MsgValue::Type::kUint);
  EXPECT_EQ(*big->AsUint(), 9223372036854775808ULL);
  EXPECT_FALSE(big->AsInt().has_value());
  EXPECT_EQ(big->GetInt("x").status().code(), ErrorCode::kCorruptMetadata);
  auto neg = DecodeMsgpack(Unhex("ff"));
  EXPECT_FALSE(neg->AsUint().has_value());
  EXPECT_FALSE(neg->GetUint("x").ok());
}

TEST(MsgpackValue, Float32IsReadAsDouble) {
  auto v = DecodeMsgpack(Unhex("ca3fc00000"));
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v->AsDouble(), 1.5);
  EXPECT_EQ(Hex(EncodeMsgpack(*v)), "cb3ff8000000000000");
}

TEST(MsgpackValue, MapOperationsKeepInsertionOrder) {
  MsgValue m;
  EXPECT_TRUE(m.IsNil());
  m.Set("z", MsgValue::Int(1));
  m.Set("a", MsgValue::Int(2));
  m.Set("z", MsgValue::Int(3));
  ASSERT_TRUE(m.IsMap());
  EXPECT_EQ(m.size(), 2u);
  EXPECT_EQ(m.AsMap()->at(0).first, "z");
  EXPECT_EQ(*m.Find("z")->AsInt(), 3);
  EXPECT_TRUE(m.Contains("a"));
  EXPECT_EQ(m.Find("missing"), nullptr);
  EXPECT_TRUE(m.Erase("z"));
  EXPECT_FALSE(m.Erase("z"));
  EXPECT_EQ(m.size(), 1u);
  EXPECT_EQ(Hex(EncodeMsgpack(m)), "81a16102");
}

TEST(MsgpackValue, EqualityIsSemantic) {
  MsgValue a = MsgValue::Map({{"x", MsgValue::Int(1)}, {"y", MsgValue::String("s")}});
  MsgValue b = MsgValue::Map({{"y", MsgValue::String("s")}, {"x", MsgValue::Uint(1)}});
  EXPECT_EQ(a, b);
  b.Set("x", MsgValue::Int(2));
  EXPECT_FALSE(a == b);
  EXPECT_FALSE(MsgValue::String("a") == MsgValue::Binary("a"));
  EXPECT_FALSE(MsgValue::Int(1) == MsgValue::Double(1.0));
  EXPECT_EQ(MsgValue::Double(std::nan("")), MsgValue::Double(std::nan("")));
}

TEST(MsgpackValue, DuplicateKeysKeepFirstPositionLastValue) {
  // {"a": 1, "b": 2, "a": 3} as Python's dict sees it: {"a": 3, "b": 2}.
  auto v = DecodeMsgpack(Unhex("83a16101a16202a16103"));
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(Hex(EncodeMsgpack(*v)), "82a16103a16202");
}

void ExpectCorrupt(std::string_view hex, std::string_view message_part) {
  auto v = DecodeMsgpack(Unhex(hex));
  ASSERT_FALSE(v.ok()) << hex;
  EXPECT_EQ(v.status().code(), ErrorCode::kCorruptMetadata) << hex;
  EXPECT_NE(v.status().message().find(message_part), std::string::npos)
      << hex << ": " << v.status().message();
}

TEST(MsgpackValue, RejectsHostileInput) {
  ExpectCorrupt("", "empty");
  ExpectCorrupt("c0c0", "trailing");
  ExpectCorrupt("81a161", "truncated");
  // Lengths far beyond the input are rejected before anything is allocated.
  ExpectCorrupt("dbffffffff", "declares 4294967295 bytes");
  ExpectCorrupt("c6ffffffff00", "declares 4294967295 bytes");
  ExpectCorrupt("ddffffffff", "array declares 4294967295 items");
  ExpectCorrupt("dfffffffff", "map declares 4294967295 entries");
  ExpectCorrupt("cd01", "uint16");
  ExpectCorrupt("81c0c0", "map key is nil");
  ExpectCorrupt("8101c0", "map key is int");
  ExpectCorrupt("c1", "reserved");
  ExpectCorrupt("d40100", "ext types");
  ExpectCorrupt("c7010100", "ext types");
  ExpectCorrupt("d6ffffffffff", "ext types");  // msgpack Timestamp
  ExpectCorrupt("a2c328", "UTF-8");            // bad continuation byte
  ExpectCorrupt("a3eda080", "UTF-8");          // a UTF-16 surrogate
  ExpectCorrupt("a2c0af", "UTF-8");            // overlong '/'
  ExpectCorrupt("a4f4908080", "UTF-8");        // above U+10FFFF
  std::string deep(kMaxMsgpackDepth + 2, '\x91');
  deep.push_back('\xc0');
  ExpectCorrupt(Hex(deep), "nesting deeper");
}

TEST(MsgpackValue, AcceptsMaximumDepth) {
  std::string deep(kMaxMsgpackDepth, '\x91');
  deep.push_back('\xc0');
  auto v = DecodeMsgpack(deep);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(EncodeMsgpack(*v), deep);
}

TEST(MsgpackValue, EveryTruncationOfAValidDocumentFailsCleanly) {
  MsgValue doc = MsgValue::Map(
      {{"tableLocator",
        MsgValue::Map({{"namespaceLocator", MsgValue::Map({{"namespace", MsgValue::String("ns")}})},
                       {"tableName", MsgValue::String("t")}})},
       {"watermark", MsgValue::Int(1754104277284541000LL)},
       {"schema", MsgValue::Binary(std::string(300, '\x01'))},
       {"f", MsgValue::Double(0.25)},
       {"neg", MsgValue::Int(-70000)}});
  std::string bytes = EncodeMsgpack(doc);
  for (size_t n = 0; n < bytes.size(); ++n) {
    auto v = DecodeMsgpack(std::string_view(bytes).substr(0, n));
    EXPECT_FALSE(v.ok()) << n;
    if (!v.ok()) {
      EXPECT_EQ(v.status().code(), ErrorCode::kCorruptMetadata);
    }
  }
  auto full = DecodeMsgpack(bytes);
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(*full, doc);
}

TEST(MsgpackValue, HugeMapsStayLinear) {
  // 200k distinct keys plus a duplicate: quadratic key handling would not finish.
  constexpr int kKeys = 200000;
  std::string bytes = "\xdf";
  for (int shift = 24; shift >= 0; shift -= 8) {
    bytes.push_back(static_cast<char>(((kKeys + 1) >> shift) & 0xff));
  }
  for (int i = 0; i < kKeys; ++i) {
    bytes += EncodeMsgpack(MsgValue::String("k" + std::to_string(i)));
    bytes += EncodeMsgpack(MsgValue::Int(i));
  }
  bytes += EncodeMsgpack(MsgValue::String("k7"));
  bytes += EncodeMsgpack(MsgValue::Int(-7));
  auto v = DecodeMsgpack(bytes);
  ASSERT_TRUE(v.ok()) << v.status();
  ASSERT_EQ(v->size(), static_cast<size_t>(kKeys));
  EXPECT_EQ(*v->AsMap()->at(7).second.AsInt(), -7);
  MsgMap reversed(v->AsMap()->rbegin(), v->AsMap()->rend());
  EXPECT_EQ(*v, MsgValue::Map(reversed));
  reversed.front().second = MsgValue::Nil();
  EXPECT_FALSE(*v == MsgValue::Map(reversed));
}

TEST(MsgpackValue, CheckedAccessorsNameTheField) {
  MsgValue s = MsgValue::String("x");
  auto i = s.GetInt("delta 'streamPosition'");
  ASSERT_FALSE(i.ok());
  EXPECT_EQ(i.status().code(), ErrorCode::kCorruptMetadata);
  EXPECT_EQ(i.status().message(), "expected delta 'streamPosition' to be an int but found str");
  EXPECT_EQ(*s.GetString("x"), "x");
  EXPECT_EQ(*MsgValue::Int(3).GetDouble("x"), 3.0);
  EXPECT_FALSE(MsgValue::Binary("x").GetString("x").ok());
  EXPECT_EQ(*MsgValue::Binary("x").GetBinary("x"), "x");
  EXPECT_EQ(*MsgValue::Bool(true).GetBool("x"), true);
}

TEST(MsgpackValue, JsonForDebug) {
  MsgValue m = MsgValue::Map({{"a", MsgValue::Array({MsgValue::Int(-1), MsgValue::Double(1.0),
                                                     MsgValue::Nil(), MsgValue::Bool(false)})},
                              {"b", MsgValue::Binary("hi")},
                              {"c\"", MsgValue::String("line\n")}});
  EXPECT_EQ(ToJsonForDebug(m),
            R"({"a": [-1, 1.0, null, false], "b": "b64:aGk=", "c\"": "line\n"})");
}

TEST(Base64, MatchesPython) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("\x80"), "gA==");
  EXPECT_EQ(Base64Encode("ab"), "YWI=");
  EXPECT_EQ(Base64Encode("abc"), "YWJj");
  // base64(msgpack(["ascending", "at_end"])) as Python writes a merge order.
  EXPECT_EQ(Base64Encode(EncodeMsgpack(
                MsgValue::Array({MsgValue::String("ascending"), MsgValue::String("at_end")}))),
            "kqlhc2NlbmRpbmemYXRfZW5k");
  EXPECT_EQ(*Base64Decode("gA=="), "\x80");
  EXPECT_EQ(*Base64Decode("YWJj"), "abc");
  EXPECT_EQ(*Base64Decode("YWI="), "ab");
  EXPECT_FALSE(Base64Decode("YWI").has_value());
  EXPECT_FALSE(Base64Decode("Y=WI").has_value());
  EXPECT_FALSE(Base64Decode("YW!=").has_value());
}

}  // namespace
}  // namespace deltacat::storage
