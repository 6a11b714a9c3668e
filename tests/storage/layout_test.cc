// Golden tests of every path rule of the durable layout (storage-format.md §1, §2; the
// expected values were computed with the real Python package, deltacat 2.0.0.post4).

#include <gtest/gtest.h>

#include "deltacat/storage/catalog_layout.h"
#include "deltacat/storage/metafile_document.h"
#include "deltacat/storage/name_validation.h"
#include "deltacat/storage/python_time_partition.h"
#include "deltacat/storage/revision_file_name.h"
#include "deltacat/storage/revision_partition.h"
#include "deltacat/storage/transaction_id.h"
#include "deltacat/util/sha1.h"

namespace deltacat::storage {
namespace {

std::string JoinMinute(const MinutePartition& m) {
  return m[0] + "/" + m[1] + "/" + m[2] + "/" + m[3] + "/" + m[4];
}

TEST(RevisionPartition, ExponentialTransformMatchesPython) {
  struct Case {
    uint64_t revision;
    const char* path;
    uint64_t ordering;
  };
  // Python: exponential_partition_transform(r) and parse_exponential_partitions(dirs).
  const Case cases[] = {
      {1, "1000000/1000", 1000},
      {999, "1000000/1000", 1000},
      {1000, "1000000/1000", 1000},
      {1001, "1000000/2000", 2000},
      {2000, "1000000/2000", 2000},
      {999001, "1000000/1000000", 1000000},
      {1000000, "1000000/1000000", 1000000},
      {1000001, "2000000/1000", 1001000},
      {1234567, "2000000/235000", 1235000},
      {kMaxRevision, "10000000000000000000/1000000", kMaxRevision},
  };
  for (const auto& c : cases) {
    auto partition = RevisionPartitionOf(c.revision);
    ASSERT_TRUE(partition.ok()) << c.revision;
    EXPECT_EQ(partition->ToPath(), c.path) << c.revision;
    EXPECT_EQ(partition->OrderingValue(), c.ordering) << c.revision;
    const std::string path = partition->ToPath();
    const size_t slash = path.find('/');
    EXPECT_EQ(ParseRevisionLeafDir(path.substr(0, slash), path.substr(slash + 1)), c.ordering);
  }
  EXPECT_EQ(RevisionPartitionOf(0).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(RevisionPartitionOf(kMaxRevision + 1).status().code(), ErrorCode::kInvalidArgument);
}

TEST(RevisionPartition, DirectoryNamesPythonSkips) {
  EXPECT_EQ(ParseRevisionLevel1Dir("1000000"), 1000000u);
  EXPECT_EQ(ParseRevisionLevel1Dir("5000"), 5000u);  // a partial parse only needs 10^3
  EXPECT_FALSE(ParseRevisionLevel1Dir("0"));
  EXPECT_FALSE(ParseRevisionLevel1Dir("1500"));
  EXPECT_FALSE(ParseRevisionLevel1Dir("abc"));
  EXPECT_FALSE(ParseRevisionLevel1Dir(""));
  EXPECT_FALSE(ParseRevisionLevel1Dir("-1000"));
  EXPECT_FALSE(ParseRevisionLevel1Dir("99999999999999999999000"));  // beyond uint64
  EXPECT_FALSE(ParseRevisionLeafDir("5000", "1000"));               // L1 not a multiple of 10^6
  EXPECT_FALSE(ParseRevisionLeafDir("1000000", "1500"));
  EXPECT_FALSE(ParseRevisionLeafDir("1000000", "0"));
  EXPECT_FALSE(ParseRevisionLeafDir("rev", "1000"));
}

TEST(RevisionFileName, FormatsAndParsesPythonNames) {
  const std::string txn = "1754104277284541000_241a88e2-2a73-4975-945c-5973323b82f8";
  RevisionFileName name{1, TxnOpType::kCreate, txn, ".mpk"};
  EXPECT_EQ(name.ToString(), "00000000000000000001_create_" + txn + ".mpk");
  auto parsed = ParseRevisionFileName(name.ToString());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(*parsed, name);

  const std::string mapping =
      "00000000000000000003_replace_" + txn + ".e7773a73-d719-40ea-95ec-fec8878eede7";
  auto parsed_mapping = ParseRevisionFileName(mapping);
  ASSERT_TRUE(parsed_mapping.ok()) << parsed_mapping.status();
  EXPECT_EQ(parsed_mapping->revision, 3u);
  EXPECT_EQ(parsed_mapping->op, TxnOpType::kReplace);
  EXPECT_EQ(parsed_mapping->TargetId(), "e7773a73-d719-40ea-95ec-fec8878eede7");
  EXPECT_EQ(RevisionFileName({10000000000000000000ULL, TxnOpType::kDelete, txn, ".mpk"}).ToString(),
            "10000000000000000000_delete_" + txn + ".mpk");
}

TEST(RevisionFileName, RejectsMalformedNamesWithTheirName) {
  const std::string txn = "1754104277284541000_241a88e2-2a73-4975-945c-5973323b82f8";
  for (const std::string& bad : std::vector<std::string>{
           "foo.txt",
           "00000000000000000001_create_" + txn,                 // no extension
           "00000000000000000001_create_" + txn + ".",           // empty extension
           ".00000000000000000001_create_" + txn,                // hidden
           "00000000000000000000_create_" + txn + ".mpk",        // revision 0
           "00000000000000000001_upsert_" + txn + ".mpk",        // unknown op
           "00000000000000000001_read_latest_" + txn + ".mpk",   // not a write op
           "00000000000000000001_create_" + txn + "_extra.mpk",  // too many parts
           "0000000000000000000x_create_" + txn + ".mpk",        // not digits
           "100000000000000000000_create_" + txn + ".mpk",       // 21 digits
           "20000000000000000000_create_" + txn + ".mpk",        // > 10^19
           "00000000000000000001_create_17541042772845410x_241a88e2-2a73-4975-945c-5973323b82f8."
           "mpk",
           "00000000000000000001_create_1754104277284541000_not-a-uuid.mpk",
       }) {
    auto parsed = ParseRevisionFileName(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), ErrorCode::kCorruptMetadata) << bad;
    EXPECT_NE(parsed.status().message().find(bad), std::string::npos) << parsed.status();
  }
}

TEST(RevisionFileName, OrderIsDescendingNameLikePython) {
  const std::string txn_a = "1754104277284541000_241a88e2-2a73-4975-945c-5973323b82f8";
  const std::string txn_b = "1754104277284541001_041a88e2-2a73-4975-945c-5973323b82f8";
  std::vector<std::string> names = {
      "00000000000000000002_create_" + txn_a + ".mpk",
      "00000000000000000002_update_" + txn_a + ".mpk",
      "00000000000000000001_update_" + txn_b + ".mpk",
      "00000000000000000002_delete_" + txn_b + ".mpk",
      "00000000000000000002_replace_" + txn_a + ".mpk",
      "00000000000000000002_update_" + txn_b + ".mpk",
  };
  std::sort(names.begin(), names.end(), NewerRevisionFirst);
  EXPECT_EQ(names, (std::vector<std::string>{
                       "00000000000000000002_update_" + txn_b + ".mpk",
                       "00000000000000000002_update_" + txn_a + ".mpk",
                       "00000000000000000002_replace_" + txn_a + ".mpk",
                       "00000000000000000002_delete_" + txn_b + ".mpk",
                       "00000000000000000002_create_" + txn_a + ".mpk",
                       "00000000000000000001_update_" + txn_b + ".mpk",
                   }));
}

TEST(TransactionId, FormatAndStrictParse) {
  const std::string id = NewTransactionId(1754104277284541000);
  auto parts = ParseTransactionId(id);
  ASSERT_TRUE(parts.ok()) << parts.status();
  EXPECT_EQ(parts->start_time, 1754104277284541000);
  EXPECT_EQ(id, "1754104277284541000_" + parts->uuid);
  EXPECT_LT(NewTransactionId(1754104277284541000), NewTransactionId(1754104277284541001));
  for (const char* bad : {"", "123", "abc_241a88e2-2a73-4975-945c-5973323b82f8",
                          "1_2_241a88e2-2a73-4975-945c-5973323b82f8", "1_nope",
                          "-1_241a88e2-2a73-4975-945c-5973323b82f8",
                          "99999999999999999999_241a88e2-2a73-4975-945c-5973323b82f8"}) {
    EXPECT_EQ(ParseTransactionId(bad).status().code(), ErrorCode::kInvalidArgument) << bad;
  }
}

TEST(PythonMinutePartition, MatchesPythonIncludingFloatRounding) {
  struct Case {
    int64_t epoch;
    const char* minute;
  };
  // deltacat.utils.filesystem.epoch_timestamp_partition_transform(epoch), deltacat 2.0.0.post4.
  const Case cases[] = {
      {1795503719999998000LL, "2026/11/24/07/01"}, {1795503719999999400LL, "2026/11/24/07/01"},
      {1795503719999999403LL, "2026/11/24/07/01"}, {1795503719999999404LL, "2026/11/24/07/02"},
      {1795503719999999450LL, "2026/11/24/07/02"}, {1795503719999999999LL, "2026/11/24/07/02"},
      {1795503720000000000LL, "2026/11/24/07/02"}, {1795503720000000001LL, "2026/11/24/07/02"},
      {2322474359999999426LL, "2043/08/06/11/46"}, {2132981100000000099LL, "2037/08/04/06/45"},
      {2217923219999999425LL, "2040/04/13/09/47"}, {1577826959999999702LL, "2019/12/31/21/16"},
      {2226111899999998878LL, "2040/07/17/04/24"}, {1570320839999999474LL, "2019/10/06/00/14"},
      {2094614459999998692LL, "2036/05/17/05/20"}, {1480975019999999121LL, "2016/12/05/21/56"},
      {2280036959999998685LL, "2042/04/02/07/35"}, {1279819920000000158LL, "2010/07/22/17/32"},
      {1993079039999999719LL, "2033/02/27/01/04"}, {1512581159999999427LL, "2017/12/06/17/26"},
      {1225704179999999776LL, "2008/11/03/09/23"}, {1322671499999999582LL, "2011/11/30/16/45"},
      {1267282199999998621LL, "2010/02/27/14/49"}, {1682599319999998889LL, "2023/04/27/12/41"},
      {1256067959999999728LL, "2009/10/20/19/46"}, {2129527140000000093LL, "2037/06/25/07/19"},
      {2082409979999999168LL, "2035/12/27/23/12"}, {1588737539999999710LL, "2020/05/06/03/59"},
      {1665894479999999563LL, "2022/10/16/04/28"}, {1787708999999999811LL, "2026/08/26/01/50"},
      {1204752179999999523LL, "2008/03/05/21/23"}, {1366608659999999856LL, "2013/04/22/05/31"},
      {1755519599999999436LL, "2025/08/18/12/20"}, {2305352219999999333LL, "2043/01/20/07/37"},
      {1706862659999998670LL, "2024/02/02/08/30"}, {1657882199999999145LL, "2022/07/15/10/49"},
      {1777417979999999550LL, "2026/04/28/23/13"}, {1336882259999998560LL, "2012/05/13/04/10"},
      {1412789279999999653LL, "2014/10/08/17/28"}, {1412539979999999320LL, "2014/10/05/20/12"},
      {1973658239999999095LL, "2032/07/17/06/23"}, {1229508719999998636LL, "2008/12/17/10/11"},
      {1196600819999999902LL, "2007/12/02/13/07"}, {1617720599999998937LL, "2021/04/06/14/49"},
      {2141713079999998607LL, "2037/11/13/08/17"}, {1995624659999999268LL, "2033/03/28/12/10"},
      {1342549319999999359LL, "2012/07/17/18/21"}, {1595117099999999659LL, "2020/07/19/00/05"},
      {1705323000LL, "2024/01/15/12/50"},          {1705323000123LL, "2024/01/15/12/50"},
      {1754104277284541000LL, "2025/08/02/03/11"},
  };
  for (const auto& c : cases) {
    auto minute = PythonMinutePartition(c.epoch);
    ASSERT_TRUE(minute.ok()) << c.epoch;
    EXPECT_EQ(JoinMinute(*minute), c.minute) << c.epoch;
  }
  EXPECT_EQ(PythonMinutePartition(-1).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(PythonMinutePartition(123456789).status().code(), ErrorCode::kInvalidArgument);
}

TEST(PythonMinutePartition, NaiveMinuteDiffersOnlyJustBeforeABoundary) {
  const int64_t boundary = 1795503720000000000LL;  // 2026-11-24T07:02:00Z
  EXPECT_EQ(JoinMinute(NaiveMinutePartition(boundary - 1)), "2026/11/24/07/01");
  EXPECT_EQ(JoinMinute(*PythonMinutePartition(boundary - 1)), "2026/11/24/07/02");
  EXPECT_EQ(JoinMinute(NaiveMinutePartition(boundary)), "2026/11/24/07/02");
  for (int64_t offset = 2000; offset < 100000; offset += 997) {
    EXPECT_EQ(NaiveMinutePartition(boundary - offset), *PythonMinutePartition(boundary - offset));
  }
  EXPECT_TRUE(InMinuteBoundaryGuard(boundary - 1));
  EXPECT_TRUE(InMinuteBoundaryGuard(boundary - 2000));
  EXPECT_FALSE(InMinuteBoundaryGuard(boundary - 2001));
  EXPECT_FALSE(InMinuteBoundaryGuard(boundary));
  EXPECT_EQ(AvoidMinuteBoundaryGuard(boundary - 5), boundary);
  EXPECT_EQ(AvoidMinuteBoundaryGuard(boundary - 2001), boundary - 2001);
}

TEST(PythonMinutePartition, CorrectlyRoundedDivision) {
  // 2^53 + 1 cannot be converted to double exactly; the quotient must still round once.
  EXPECT_EQ(internal::CorrectlyRoundedQuotient(9007199254740993LL, 1), 9007199254740992.0);
  EXPECT_EQ(internal::CorrectlyRoundedQuotient(3, 2), 1.5);
  EXPECT_EQ(internal::CorrectlyRoundedQuotient(1795503719999999404LL, 1000000000),
            1795503719.9999995);
}

TEST(TxnLogPaths, PythonLayout) {
  const std::string root = "/cat";
  const std::string txn = "1795503692537502728_f161ea6f-0a3c-4f2a-b0f6-8c8755fe7fa9";
  EXPECT_EQ(RunningTxnLogPath(root, txn), "/cat/txn/running/" + txn);
  EXPECT_EQ(PausedTxnLogPath(root, txn), "/cat/txn/paused/" + txn);
  EXPECT_EQ(*FailedTxnLogPath(root, txn), "/cat/txn/failed/2026/11/24/07/01/" + txn);
  // From the golden catalog: txn/success/2026/11/24/07/01/<txn>/1795503692539353160.
  EXPECT_EQ(*SuccessTxnLogPath(root, txn, 1795503692539353160),
            "/cat/txn/success/2026/11/24/07/01/" + txn + "/1795503692539353160");
  auto candidates = SuccessTxnLogDirCandidates(root, txn);
  ASSERT_TRUE(candidates.ok());
  EXPECT_EQ(*candidates, (std::vector<std::string>{"/cat/txn/success/2026/11/24/07/01/" + txn,
                                                   "/cat/txn/success/" + txn}));
  const std::string edge = "1795503719999999999_f161ea6f-0a3c-4f2a-b0f6-8c8755fe7fa9";
  EXPECT_EQ(*SuccessTxnLogDirCandidates(root, edge),
            (std::vector<std::string>{"/cat/txn/success/2026/11/24/07/02/" + edge,
                                      "/cat/txn/success/2026/11/24/07/01/" + edge,
                                      "/cat/txn/success/" + edge}));
  EXPECT_EQ(FailedTxnLogPath(root, "garbage").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(*RelativeToRoot("bucket/prefix", "bucket/prefix/a/b"), "a/b");
  EXPECT_FALSE(RelativeToRoot("bucket/prefix", "bucket/prefixx/a").ok());
  EXPECT_FALSE(RelativeToRoot("/cat", "/cat").ok());
}

TEST(ObjectPaths, FromAncestorIds) {
  EXPECT_EQ(ObjectDir("/cat", {}, "ns"), "/cat/ns");
  EXPECT_EQ(ObjectDir("/cat", {"ns", "t", "1", "s", "p"}, "7"), "/cat/ns/t/1/s/p/7");
  EXPECT_EQ(RevisionDir(ObjectDir("bucket/root", {"ns"}, "t")), "bucket/root/ns/t/rev");
  EXPECT_EQ(ObjectDirOfPath("/cat", {}), "/cat");
  EXPECT_EQ(NameResolutionDir("/cat", "sales"), "/cat/59248c4dae276a021cb296d2ee0e6a0c962a8d7f");
}

TEST(NameResolution, CanonicalStringsAndDigests) {
  EXPECT_EQ(Sha1Hex("deltacat"), "8783dc5c5ecd47bd6265e89a5294778a579bf43b");
  EXPECT_EQ(Sha1Hex("default"), "7505d64a54e061b7acd54ccd58b49dc43500b635");
  auto unpartitioned =
      PartitionAliasCanonical(MsgValue(), MsgValue::String("deadbeef-7277-49a4-a195-fdc8ed235d42"));
  ASSERT_TRUE(unpartitioned.ok());
  EXPECT_EQ(*unpartitioned, "None|deadbeef-7277-49a4-a195-fdc8ed235d42");
  EXPECT_EQ(Sha1Hex(*unpartitioned), "618205b78748d2b5cc6ff3344257f6b1a0335c29");
  // Partition aliases from the golden catalog.
  auto values = [](MsgArray items) { return MsgValue::Array(std::move(items)); };
  EXPECT_EQ(*PartitionAliasCanonical(values({MsgValue::String("it's")}),
                                     MsgValue::String("region-scheme-1")),
            "[\"it's\"]|region-scheme-1");
  EXPECT_EQ(*PartitionAliasCanonical(values({MsgValue::Int(1), MsgValue::String("x")}),
                                     MsgValue::String("bucket-scheme-1")),
            "[1, 'x']|bucket-scheme-1");
  EXPECT_EQ(
      *PartitionAliasCanonical(values({MsgValue::Bool(true), MsgValue(), MsgValue::Double(1.5)}),
                               MsgValue::String("misc-scheme-1")),
      "[True, None, 1.5]|misc-scheme-1");
  // The spec's verified example list.
  EXPECT_EQ(*PythonStrOf(
                values({MsgValue::String("it's"), MsgValue::String("a\"b"), MsgValue::Double(1.0),
                        MsgValue(), MsgValue::Bool(true), MsgValue::Double(1e16),
                        MsgValue::Double(1e-05), MsgValue::Double(0.1), MsgValue::Binary("x"),
                        MsgValue::String("\xc3\xa9"), MsgValue::String(std::string(1, '\0'))})),
            "[\"it's\", 'a\"b', 1.0, None, True, 1e+16, 1e-05, 0.1, b'x', '\xc3\xa9', '\\x00']");
  EXPECT_EQ(*PythonStrOf(values({})), "[]");
  EXPECT_EQ(*PythonStrOf(MsgValue::Map({{"k", MsgValue::Int(1)}})), "{'k': 1}");
  EXPECT_EQ(*PythonStrOf(MsgValue::Uint(18446744073709551615ULL)), "18446744073709551615");
}

TEST(NameValidation, RejectsBadNames) {
  EXPECT_TRUE(ValidateName("table name", "orders").ok());
  EXPECT_TRUE(ValidateName("table name", "\xc3\xa9t\xc3\xa9").ok());
  EXPECT_TRUE(ValidateName("table name", std::string(255, 'a')).ok());
  for (const std::string& bad : {std::string(), std::string("a/b"), std::string("a\0b", 3),
                                 std::string(256, 'a'), std::string("\xff")}) {
    auto status = ValidateName("table name", bad);
    EXPECT_EQ(status.code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(status.message().find("table name"), std::string::npos);
  }
  EXPECT_TRUE(ValidateDirectoryName("table version", "v.1").ok());
  for (const char* bad : {".", "..", ".hidden", "_hidden"}) {
    EXPECT_FALSE(ValidateDirectoryName("table version", bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace deltacat::storage
