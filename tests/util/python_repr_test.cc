#include "deltacat/util/python_repr.h"
#include "deltacat/util/utf8.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "deltacat/util/sha1.h"

namespace deltacat {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

/// A Python str from a literal that may hold NUL bytes.
template <size_t N>
PyValue Str(const char (&text)[N]) {
  return PyValue(std::string(text, N - 1));
}
/// Octets from a literal that may hold NUL bytes.
template <size_t N>
std::string Bytes(const char (&text)[N]) {
  return std::string(text, N - 1);
}

struct ReprCase {
  PyValue value;
  const char* expected;
};

// Golden vectors: every expected string was printed by CPython 3.10.13's repr() (the Python
// DeltaCAT 2.0 runs on), with inputs encoded as UTF-8 (lone surrogates via surrogatepass).
// Octal escapes keep the C++ literals unambiguous.
const ReprCase kGoldenCases[] = {
    {1.0, "1.0"},
    {0.1, "0.1"},
    {1e-05, "1e-05"},
    {1e+16, "1e+16"},
    {1000000000000000.0, "1000000000000000.0"},
    {0.0001, "0.0001"},
    {0.00012345, "0.00012345"},
    {1.5e-07, "1.5e-07"},
    {5e-324, "5e-324"},
    {1.7976931348623157e+308, "1.7976931348623157e+308"},
    {-0.0, "-0.0"},
    {0.0, "0.0"},
    {kInf, "inf"},
    {-kInf, "-inf"},
    {std::nan(""), "nan"},
    {2.5, "2.5"},
    {100.0, "100.0"},
    {0.3333333333333333, "0.3333333333333333"},
    {0.30000000000000004, "0.30000000000000004"},
    {1e+22, "1e+22"},
    {12345.678, "12345.678"},
    {-1234567890123456.8, "-1234567890123456.8"},
    {9999999999999998.0, "9999999999999998.0"},
    {1.2345678901234568e+17, "1.2345678901234568e+17"},
    {0.0001, "0.0001"},
    {9.999999999999999e-05, "9.999999999999999e-05"},
    {9007199254740992.0, "9007199254740992.0"},
    {1e+100, "1e+100"},
    {-1.5e-300, "-1.5e-300"},
    {Str(""), "''"},
    {Str("it's"), "\"it's\""},
    {Str("a\"b"), "'a\"b'"},
    {Str("both ' and \""), "'both \\' and \"'"},
    {Str("\\"), "'\\\\'"},
    {Str("\012\015\011"), "'\\n\\r\\t'"},
    {Str("\000"), "'\\x00'"},
    {Str("\037"), "'\\x1f'"},
    {Str("\177"), "'\\x7f'"},
    {Str("\302\200"), "'\\x80'"},
    {Str("\302\237"), "'\\x9f'"},
    {Str("\302\240"), "'\\xa0'"},
    {Str("\302\255"), "'\\xad'"},
    {Str("\303\251"), "'\303\251'"},
    {Str("\303\251"), "'\303\251'"},
    {Str("\346\227\245\346\234\254\350\252\236"), "'\346\227\245\346\234\254\350\252\236'"},
    {Str("\342\200\213"), "'\\u200b'"},
    {Str("\342\200\250"), "'\\u2028'"},
    {Str("\343\200\200"), "'\\u3000'"},
    {Str("\360\237\230\200"), "'\360\237\230\200'"},
    {Str("\363\240\200\201"), "'\\U000e0001'"},
    {Str("\355\240\200"), "'\\ud800'"},
    {Str("\355\263\277"), "'\\udcff'"},
    {Str("\315\270"), "'\\u0378'"},
    {Str("\356\200\200"), "'\\ue000'"},
    {Str("\364\200\200\200"), "'\\U00100000'"},
    {Str("\330\235"), "'\\u061d'"},
    {Str("\340\242\276"), "'\340\242\276'"},
    {Str("\360\237\253\227"), "'\\U0001fad7'"},
    {Str("\357\273\277"), "'\\ufeff'"},
    {Str("\357\277\277"), "'\\uffff'"},
    {Str("a\\'b"), "\"a\\\\'b\""},
    {Str("tab\011here"), "'tab\\there'"},
    {Str(" "), "' '"},
    {Str("~"), "'~'"},
    {Str("\033[0m"), "'\\x1b[0m'"},
    {Str("\314\201"), "'\314\201'"},
    {Str("e\314\201"), "'e\314\201'"},
    {Str("\364\217\277\277"), "'\\U0010ffff'"},
    {Str("\302\241"), "'\302\241'"},
    {PyValue::BytesOf(Bytes("x")), "b'x'"},
    {PyValue::BytesOf(Bytes("it's")), "b\"it's\""},
    {PyValue::BytesOf(Bytes("a\"b")), "b'a\"b'"},
    {PyValue::BytesOf(Bytes("both ' and \"")), "b'both \\' and \"'"},
    {PyValue::BytesOf(Bytes("\000\377\177\200")), "b'\\x00\\xff\\x7f\\x80'"},
    {PyValue::BytesOf(Bytes("\\")), "b'\\\\'"},
    {PyValue::BytesOf(Bytes("\011\012\015")), "b'\\t\\n\\r'"},
    {PyValue::BytesOf(Bytes("")), "b''"},
    {PyValue::BytesOf(Bytes(" ~")), "b' ~'"},
    {int64_t{0}, "0"},
    {int64_t{1}, "1"},
    {int64_t{-1}, "-1"},
    {int64_t{9223372036854775807}, "9223372036854775807"},
    {int64_t{-9223372036854775807}, "-9223372036854775807"},
    {int64_t{1234567890123}, "1234567890123"},
    {nullptr, "None"},
    {true, "True"},
    {false, "False"},
    {PyValue::ListOf({Str("it's"), Str("a\"b"), 1.0, nullptr, true, 1e+16, 1e-05, 0.1,
                      PyValue::BytesOf(Bytes("x")), Str("\303\251"), Str("\000")}),
     "[\"it's\", 'a\"b', 1.0, None, True, 1e+16, 1e-05, 0.1, b'x', '\303\251', '\\x00']"},
    {PyValue::ListOf({}), "[]"},
    {PyValue::ListOf({nullptr}), "[None]"},
    {PyValue::ListOf(
         {PyValue::ListOf({int64_t{1}, PyValue::ListOf({int64_t{2}, PyValue::ListOf({})})}),
          Str("x")}),
     "[[1, [2, []]], 'x']"},
    {PyValue::ListOf({false, -0.0, std::nan("")}), "[False, -0.0, nan]"},
    {PyValue::ListOf({Str("a'b\"c")}), "['a\\'b\"c']"},
    {std::numeric_limits<int64_t>::min(), "-9223372036854775808"},
    // Invalid UTF-8: each bad byte shows as the surrogateescape code point, like
    // repr(b.decode('utf-8', 'surrogateescape')).
    {Str("\377"), "'\\udcff'"},
    {Str("a\303"), "'a\\udcc3'"},
    {Str("\300\257"), "'\\udcc0\\udcaf'"},
    {Str("\346\227a"), "'\\udce6\\udc97a'"},
    {Str("\364\220\200\200"), "'\\udcf4\\udc90\\udc80\\udc80'"},
    {Str("\370"), "'\\udcf8'"},
    {Str("ok\200\351"), "'ok\\udc80\\udce9'"},
};

TEST(PythonRepr, MatchesCPythonGoldenVectors) {
  for (const auto& c : kGoldenCases) {
    EXPECT_EQ(PythonRepr(c.value), c.expected);
  }
}

TEST(PythonRepr, SpecExampleList) {
  const PyValue values = PyValue::ListOf({"it's", "a\"b", 1.0, nullptr, true, 1e16, 1e-05, 0.1,
                                          PyValue::BytesOf("x"), "\xc3\xa9", Str("\0")});
  EXPECT_EQ(PythonRepr(values),
            "[\"it's\", 'a\"b', 1.0, None, True, 1e+16, 1e-05, 0.1, b'x', '\xc3\xa9', '\\x00']");
}

// The partition alias strings found in the golden Python-written catalog (docs/format.md §2).
TEST(PythonRepr, GoldenCatalogPartitionValues) {
  EXPECT_EQ(PythonStr(PyValue::ListOf({"it's"})), "[\"it's\"]");
  EXPECT_EQ(PythonStr(PyValue::ListOf({"us-east"})), "['us-east']");
  EXPECT_EQ(PythonStr(PyValue::ListOf({1, "x"})), "[1, 'x']");
  EXPECT_EQ(PythonStr(PyValue::ListOf({true, nullptr, 1.5})), "[True, None, 1.5]");
}

TEST(PythonRepr, UnpartitionedAliasDigest) {
  // The alias of every unpartitioned partition: str(None) + "|" + the unpartitioned scheme id.
  const std::string alias = PythonStr(PyValue()) + "|deadbeef-7277-49a4-a195-fdc8ed235d42";
  EXPECT_EQ(alias, "None|deadbeef-7277-49a4-a195-fdc8ed235d42");
  EXPECT_EQ(Sha1Hex(alias), "618205b78748d2b5cc6ff3344257f6b1a0335c29");
}

TEST(PythonRepr, PythonStrOfStrIsTheTextItself) {
  EXPECT_EQ(PythonStr("it's"), "it's");
  EXPECT_EQ(PythonStr(PyValue::ListOf({"it's"})), "[\"it's\"]");
  EXPECT_EQ(PythonStr(int64_t{7}), "7");
  EXPECT_EQ(PythonStr(1e16), "1e+16");
}

TEST(PythonRepr, ConstructorsPickTheIntendedPythonType) {
  EXPECT_EQ(PythonRepr("text"), "'text'");  // a literal is a str, not a bool
  EXPECT_EQ(PythonRepr(std::string_view("sv")), "'sv'");
  EXPECT_EQ(PythonRepr(3), "3");
  EXPECT_EQ(PythonRepr(false), "False");
  EXPECT_EQ(PythonRepr(PyValue::BytesOf("b")), "b'b'");
  EXPECT_TRUE(PyValue().is_none());
  EXPECT_TRUE(PyValue(nullptr).is_none());
  EXPECT_EQ(PyValue::ListOf({1, "a"}), PyValue::ListOf({1, "a"}));
  EXPECT_NE(PyValue("1"), PyValue(1));
}

std::string EncodeUtf8(uint32_t cp) {
  std::string out;
  AppendUtf8(out, cp);
  return out;
}

// Every non-ASCII code point's printability agrees with CPython 3.10: the bitmap of
// chr(cp).isprintable() for cp in 0x80..0x10FFFF ('1'/'0' per code point) hashes to the
// digest Python computed.
TEST(PythonRepr, PrintabilityOfEveryCodePointMatchesCPython) {
  std::string bitmap;
  bitmap.reserve(0x110000);
  int printable = 0;
  for (uint32_t cp = 0x80; cp <= 0x10FFFF; ++cp) {
    const std::string text = EncodeUtf8(cp);
    const std::string repr = PythonRepr(PyValue(text));
    // Kept as is (quotes + the character) or escaped (starts with a backslash).
    const bool kept = repr.size() == text.size() + 2 && repr[1] != '\\';
    bitmap.push_back(kept ? '1' : '0');
    printable += kept ? 1 : 0;
  }
  EXPECT_EQ(printable, 143585);
  EXPECT_EQ(Sha1Hex(bitmap), "c385289cca96c0f059daeafd17f9c0981ce5088f");
}

}  // namespace
}  // namespace deltacat
