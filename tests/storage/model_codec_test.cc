// Model structs and their codecs: objects built in C++ serialize to the bytes Python's own
// constructors and writer produce (fixtures from testdata/gen_python_built.py), unknown keys
// and key order survive rewrites, absent and nil keys behave like Python's dicts, and corrupt
// input fails with a typed error that names the field.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "deltacat/storage/codec/locator_codec.h"
#include "deltacat/storage/codec/manifest_codec.h"
#include "deltacat/storage/codec/metafile_codec.h"
#include "deltacat/storage/codec/round_completion_info_codec.h"
#include "deltacat/storage/codec/scheme_codec.h"
#include "deltacat/storage/model/locator_name.h"
#include "deltacat/storage/model/metafile.h"

namespace deltacat::storage {
namespace {

namespace fs = std::filesystem;

const std::string kNamespaceId = "11111111-1111-4111-8111-111111111111";
const std::string kTableId = "22222222-2222-4222-8222-222222222222";
const std::string kStreamId = "33333333-3333-4333-8333-333333333333";
const std::string kPartitionId = "44444444-4444-4444-8444-444444444444";

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string Fixture(const std::string& name) {
  fs::path path =
      fs::path(DELTACAT_SOURCE_DIR) / "tests/storage/testdata/python_built" / (name + ".mpk");
  std::string bytes = ReadFile(path);
  EXPECT_FALSE(bytes.empty()) << "missing fixture " << path;
  return bytes;
}

MsgValue FixtureTree(const std::string& name) { return *DecodeMsgpack(Fixture(name)); }

std::string Json(std::string_view bytes) {
  auto v = DecodeMsgpack(bytes);
  return v.ok() ? ToJsonForDebug(*v) : v.status().ToString();
}

#define EXPECT_SAME_BYTES(actual, expected) \
  EXPECT_EQ(actual, expected) << "actual:\n" << Json(actual) << "\nexpected:\n" << Json(expected)

StreamLocator SalesOrdersStream() {
  TableVersionLocator tvl;
  tvl.table_locator = TableLocator::Of("sales", "orders");
  tvl.table_version = "1";
  StreamLocator stream;
  stream.table_version_locator = tvl;
  stream.stream_id = kStreamId;
  stream.format = std::string(OpenEnum<StreamFormat>::CanonicalString(StreamFormat::kDeltacat));
  return stream;
}

PartitionLocator SalesOrdersPartition() {
  PartitionLocator partition;
  partition.stream_locator = SalesOrdersStream();
  partition.partition_id = kPartitionId;
  return partition;
}

Namespace SalesNamespace() {
  Namespace ns;
  ns.locator.namespace_name = "sales";
  ns.properties = MsgValue::Map({{"owner", MsgValue::String("alice")}});
  ns.id = kNamespaceId;
  return ns;
}

Table OrdersTable() {
  Table table;
  table.locator = TableLocator::Of("sales", "orders");
  table.description = "orders table";
  table.latest_active_table_version = "1";
  table.latest_table_version = "1";
  table.ancestor_ids = {kNamespaceId};
  table.id = kTableId;
  return table;
}

TableVersion OrdersTableVersion() {
  TableVersion tv;
  tv.locator.table_locator = TableLocator::Of("sales", "orders");
  tv.locator.table_version = *CanonicalTableVersion("v.0001");
  tv.partition_scheme = PartitionScheme::Unpartitioned();
  tv.properties = MsgValue::Map({{"k", MsgValue::Int(1)}});
  tv.content_types = std::vector<std::string>{"application/parquet"};
  SortKey key;
  key.key = std::vector<FieldLocator>{std::string("n")};
  key.sort_order = SortOrder::kDescending;
  key.null_order = NullOrder::kAtStart;
  SortScheme sort;
  sort.keys = std::vector<SortKey>{key};
  sort.name = "by_n";
  sort.id = "s1";
  tv.sort_scheme = sort;
  tv.state = LifecycleState::kActive;
  PartitionKey region;
  region.key = std::vector<FieldLocator>{std::string("region")};
  region.name = "r";
  region.field_id = 1;
  region.transform = Transform::Identity();
  PartitionKey truncated;
  truncated.key = std::vector<FieldLocator>{std::string("s")};
  truncated.name = "t";
  truncated.field_id = 2;
  truncated.transform = Transform::Truncate(3);
  PartitionScheme scheme;
  scheme.keys = std::vector<PartitionKey>{region, truncated};
  scheme.name = "p";
  scheme.id = "p1";
  tv.partition_schemes = std::vector<PartitionScheme>{scheme};
  tv.sort_schemes = std::vector<SortScheme>{SortScheme::Unsorted()};
  tv.ancestor_ids = {kNamespaceId, kTableId};
  return tv;
}

Stream OrdersStream() {
  Stream stream;
  stream.locator = SalesOrdersStream();
  stream.partition_scheme = PartitionScheme::Unpartitioned();
  stream.state = CommitState::kCommitted;
  stream.ancestor_ids = {kNamespaceId, kTableId, "1"};
  return stream;
}

Partition OrdersPartition() {
  Partition partition;
  partition.locator = SalesOrdersPartition();
  partition.content_types = std::vector<std::string>{"application/parquet"};
  partition.state = CommitState::kCommitted;
  partition.previous_partition_id = "55555555-5555-4555-8555-555555555555";
  partition.stream_position = 7;
  partition.partition_scheme_id = std::string(kUnpartitionedSchemeId);
  RoundCompletionInfo rci;
  rci.high_watermark = int64_t{7};
  rci.compacted_delta_locator = DeltaLocator{SalesOrdersPartition(), 7, {}};
  rci.compacted_pyarrow_write_result = PyArrowWriteResult{1, 2, 3, 4, {}};
  rci.sort_keys_bit_width = 256;
  rci.manifest_entry_copied_by_reference_ratio = 33.33;
  rci.compaction_audit_url = "/x/audit.json";
  rci.hash_bucket_count = 8;
  rci.hb_index_to_entry_range = std::vector<HashBucketEntryRange>{{0, 0, 1}, {5, 1, 3}};
  rci.compactor_version = CompactorVersion::kV2;
  rci.input_inflation = 0.5;
  rci.input_average_record_size_bytes = 32.5;
  rci.prev_source_partition_locator = SalesOrdersPartition();
  partition.compaction_round_completion_info = rci;
  partition.ancestor_ids = {kNamespaceId, kTableId, "1", kStreamId};
  return partition;
}

ManifestEntry Entry(std::string url, int64_t records, int64_t length, int64_t source_length,
                    int64_t schema_id, std::optional<std::string> sort_scheme_id) {
  ManifestMeta meta;
  meta.record_count = records;
  meta.content_length = length;
  meta.source_content_length = source_length;
  meta.content_type = "application/parquet";
  meta.content_encoding = "identity";
  meta.entry_type = EntryType::kData;
  meta.entry_params = EntryParams{std::vector<FieldLocator>{std::string("order_id")}, {}};
  meta.schema_id = schema_id;
  meta.sort_scheme_id = std::move(sort_scheme_id);
  ManifestEntry entry;
  entry.url = std::move(url);
  entry.meta = meta;
  return entry;
}

Manifest OrdersManifest() {
  auto manifest =
      Manifest::Of("66666666-6666-4666-8666-666666666666",
                   {Entry("data/p/a.pq", 10, 1000, 80, 0, std::nullopt),
                    Entry("data/p/b.pq", 5, 500, 40, 1, "s1")},
                   ManifestAuthor{"deltacat.write_to_table", "2.0.0.post4", {}}, EntryType::kData,
                   EntryParams{std::vector<FieldLocator>{std::string("order_id")}, {}});
  EXPECT_TRUE(manifest.ok()) << manifest.status();
  return *manifest;
}

Delta OrdersDelta() {
  Delta delta;
  delta.locator = DeltaLocator{SalesOrdersPartition(), kMaxDeltaStreamPosition, {}};
  delta.type = DeltaType::kUpsert;
  delta.manifest = OrdersManifest();
  delta.meta = delta.manifest->meta;
  delta.previous_stream_position = 6;
  delta.ancestor_ids = {kNamespaceId, kTableId, "1", kStreamId, kPartitionId};
  return delta;
}

// --- C++-built objects serialize exactly like Python ----------------------------------------

TEST(ModelCodec, BuiltMetafilesSerializeLikePython) {
  EXPECT_SAME_BYTES(SerializeMetafileRevision(SalesNamespace()), Fixture("namespace"));
  EXPECT_SAME_BYTES(SerializeMetafileRevision(OrdersTable()), Fixture("table"));
  EXPECT_SAME_BYTES(SerializeMetafileRevision(OrdersTableVersion()), Fixture("table_version"));
  EXPECT_SAME_BYTES(SerializeMetafileRevision(OrdersStream()), Fixture("stream"));
  EXPECT_SAME_BYTES(SerializeMetafileRevision(OrdersPartition()), Fixture("partition"));
  EXPECT_SAME_BYTES(SerializeMetafileRevision(OrdersDelta()), Fixture("delta"));
}

TEST(ModelCodec, ManifestOfAggregatesLikePython) {
  EXPECT_SAME_BYTES(EncodeMsgpack(EncodeManifest(OrdersManifest())), Fixture("manifest"));

  ManifestMeta csv;
  csv.record_count = 1;
  csv.content_length = 2;
  csv.content_type = "text/csv";
  csv.content_encoding = "gzip";
  ManifestMeta parquet;
  parquet.content_length = 3;
  parquet.content_type = "application/parquet";
  parquet.content_encoding = "identity";
  auto mixed = Manifest::Of("77777777-7777-4777-8777-777777777777",
                            {ManifestEntry{"data/x.csv.gz", {}, csv, true, {}, {}},
                             ManifestEntry{"data/y.pq", {}, parquet, true, {}, {}}});
  ASSERT_TRUE(mixed.ok());
  EXPECT_SAME_BYTES(EncodeMsgpack(EncodeManifest(*mixed)), Fixture("manifest_mixed"));

  auto empty = Manifest::Of("88888888-8888-4888-8888-888888888888", {});
  ASSERT_TRUE(empty.ok());
  EXPECT_SAME_BYTES(EncodeMsgpack(EncodeManifest(*empty)), Fixture("manifest_empty"));
}

TEST(ModelCodec, ManifestOfRejectsMismatchedEntries) {
  ManifestEntry entry = Entry("data/a.pq", 1, 1, 1, 0, std::nullopt);
  entry.meta->entry_type = EntryType::kEqualityDelete;
  auto manifest = Manifest::Of("id", {entry}, std::nullopt, EntryType::kData);
  ASSERT_FALSE(manifest.ok());
  EXPECT_EQ(manifest.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(manifest.status().message().find("equality_delete"), std::string::npos);
}

// --- Python-built bytes decode to the same objects --------------------------------------------

TEST(ModelCodec, PythonBuiltMetafilesDecodeToTheBuiltObjects) {
  Table table = OrdersTable();
  auto check = [&](const std::string& fixture, const Metafile& expected) {
    SCOPED_TRACE(fixture);
    auto decoded = DeserializeMetafileRevision(Fixture(fixture));
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    ASSERT_EQ(KindOf(*decoded), KindOf(expected));
    if (KindOf(expected) == MetafileKind::kTable) {
      ASSERT_TRUE(RestoreParent(*decoded, SalesNamespace()).ok());
    } else if (KindOf(expected) != MetafileKind::kNamespace) {
      EXPECT_TRUE(HasParentSentinel(*decoded));
      ASSERT_TRUE(RestoreParent(*decoded, table).ok());
    }
    EXPECT_FALSE(HasParentSentinel(*decoded));
    EXPECT_TRUE(*decoded == expected) << ToJsonForDebug(EncodeMetafile(*decoded)) << "\nvs\n"
                                      << ToJsonForDebug(EncodeMetafile(expected));
  };
  check("namespace", SalesNamespace());
  check("table", table);
  check("table_version", OrdersTableVersion());
  check("stream", OrdersStream());
  check("partition", OrdersPartition());
  check("delta", OrdersDelta());

  auto manifest = DecodeManifest(FixtureTree("manifest"));
  ASSERT_TRUE(manifest.ok());
  EXPECT_EQ(*manifest, OrdersManifest());
}

TEST(ModelCodec, TypedAccessorsOfDecodedFields) {
  auto decoded = DeserializeMetafileRevision(Fixture("partition"));
  ASSERT_TRUE(decoded.ok());
  const Partition& partition = std::get<Partition>(*decoded);
  const RoundCompletionInfo& rci = *partition.compaction_round_completion_info;
  EXPECT_EQ(rci.SingleHighWatermark(), 7);
  EXPECT_EQ(rci.hash_bucket_count, 8);
  EXPECT_TRUE(rci.compactor_version->is(CompactorVersion::kV2));
  EXPECT_EQ(rci.EntryRangeOf(5), (HashBucketEntryRange{5, 1, 3}));
  EXPECT_FALSE(rci.EntryRangeOf(1).has_value());
  EXPECT_EQ(rci.compacted_delta_locator->stream_position, 7);
  // RCI locators keep real names.
  EXPECT_EQ(rci.prev_source_partition_locator->FindTableLocator()->table_name, "orders");
  EXPECT_FALSE(partition.locator.partition_values.has_value());
  EXPECT_EQ(MetafileId(*decoded), kPartitionId);

  auto tv = DeserializeMetafileRevision(Fixture("table_version"));
  ASSERT_TRUE(tv.ok());
  const TableVersion& version = std::get<TableVersion>(*tv);
  EXPECT_EQ(MetafileId(*tv), "v.1");
  const Transform& truncate = *(*version.partition_schemes)[0].keys->at(1).transform;
  EXPECT_TRUE(truncate.name.is(TransformName::kTruncate));
  EXPECT_EQ(truncate.parameters->width, 3);
  EXPECT_TRUE(truncate.parameters->truncate_strategy->is(TruncateStrategy::kDefault));
  EXPECT_FALSE(truncate.return_type.has_value());
  EXPECT_TRUE(version.sort_scheme->keys->at(0).sort_order.is(SortOrder::kDescending));
}

// --- Unknown keys, key order, absent vs nil ----------------------------------------------------

TEST(ModelCodec, UnknownKeysSurviveAnUpdateInPlace) {
  MsgValue tree = FixtureTree("table");
  // A newer writer's keys: one in the middle of the top level, one inside a locator, and one
  // inside a nested unknown structure.
  MsgMap entries = *tree.AsMap();
  entries.insert(entries.begin() + 2,
                 {"x_future", MsgValue::Map({{"a", MsgValue::Array({MsgValue::Int(1)})}})});
  tree = MsgValue::Map(entries);
  tree.FindMutable("tableLocator")->Set("x_locator_hint", MsgValue::Int(5));

  auto decoded = DecodeMetafile(tree);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  Table& table = std::get<Table>(*decoded);
  ASSERT_EQ(table.extras.unknown.size(), 1u);
  table.description = "new description";

  MsgValue written = EncodeMetafile(*decoded);
  const MsgMap& out = *written.AsMap();
  ASSERT_EQ(out.size(), entries.size());
  for (size_t i = 0; i < out.size(); ++i) EXPECT_EQ(out[i].first, entries[i].first) << i;
  EXPECT_EQ(*written.Find("x_future"), *tree.Find("x_future"));
  EXPECT_EQ(*written.Find("tableLocator")->Find("x_locator_hint")->AsInt(), 5);
  EXPECT_EQ(*written.Find("description")->AsString(), "new description");
}

TEST(ModelCodec, ManyUnknownKeysRoundTrip) {
  MsgValue tree = FixtureTree("namespace");
  for (int i = 0; i < 100000; ++i)
    tree.AsMutableMap()->emplace_back("x" + std::to_string(i), MsgValue::Int(i));
  auto decoded = DecodeMetafile(tree);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(std::get<Namespace>(*decoded).extras.unknown.size(), 100000u);
  EXPECT_EQ(EncodeMsgpack(EncodeMetafile(*decoded)), EncodeMsgpack(tree));
}

TEST(ModelCodec, UnknownEnumStringsArePreserved) {
  MsgValue tree = FixtureTree("delta");
  tree.Set("type", MsgValue::String("teleport"));
  tree.FindMutable("manifest")
      ->FindMutable("entries")
      ->AsMutableArray()
      ->at(0)
      .FindMutable("meta")
      ->Set("entry_type", MsgValue::String("vector_delete"));
  auto decoded = DecodeMetafile(tree);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  const Delta& delta = std::get<Delta>(*decoded);
  EXPECT_FALSE(delta.type->known().has_value());
  EXPECT_EQ(delta.type->str(), "teleport");
  EXPECT_EQ(EncodeMsgpack(EncodeMetafile(*decoded)), EncodeMsgpack(tree));

  EXPECT_TRUE(OpenEnum<DeltaType>::Parse("chrono").is(DeltaType::kChrono));
  EXPECT_TRUE(OpenEnum<SortOrder>::Parse("ASC").is(SortOrder::kAscending));
  EXPECT_EQ(OpenEnum<SortOrder>::Parse("ASC").str(), "ASC");
  EXPECT_TRUE(OpenEnum<NullOrder>::Parse("nulls-first").is(NullOrder::kAtStart));
  EXPECT_TRUE(OpenEnum<StreamFormat>::Parse("SQLITE3").is(StreamFormat::kSqlite3));
  EXPECT_FALSE(OpenEnum<StreamFormat>::Parse("sqlite3").known().has_value());
  EXPECT_EQ(OpenEnum<LifecycleState>(LifecycleState::kActive).str(), "active");
  EXPECT_TRUE(OpenEnum<CommitState>::Parse("x") == OpenEnum<CommitState>::Parse("x"));
  EXPECT_FALSE(OpenEnum<CommitState>::Parse("x") == OpenEnum<CommitState>::Parse("y"));
}

TEST(ModelCodec, AbsentAndNilKeysBehaveLikePythonDicts) {
  MsgValue tree = FixtureTree("table");
  ASSERT_TRUE(tree.Erase("description"));
  ASSERT_TRUE(tree.Erase("nativeObject"));
  auto decoded = DecodeMetafile(tree);
  ASSERT_TRUE(decoded.ok());
  // Absent reads like nil ...
  EXPECT_FALSE(std::get<Table>(*decoded).description.has_value());
  // ... and an untouched absent key stays absent on rewrite.
  EXPECT_EQ(EncodeMetafile(*decoded).Find("description"), nullptr);
  EXPECT_EQ(EncodeMsgpack(EncodeMetafile(*decoded)), EncodeMsgpack(tree));
  // A key set later goes last, as a Python dict assignment appends it.
  std::get<Table>(*decoded).description = "late";
  MsgValue written = EncodeMetafile(*decoded);
  EXPECT_EQ(written.AsMap()->back().first, "description");
  // A struct built in C++ writes every nullable key as nil, like Python's of().
  Table fresh = OrdersTable();
  fresh.description.reset();
  EXPECT_TRUE(EncodeTable(fresh).Find("description")->IsNil());
  // Manifest structures omit unset keys instead.
  EXPECT_EQ(EncodeManifestMeta(ManifestMeta{}), MsgValue::Map());
}

TEST(ModelCodec, EmptyPartitionValuesNormalizeToNil) {
  MsgValue tree = FixtureTree("partition");
  tree.FindMutable("partitionLocator")->Set("partitionValues", MsgValue::Array());
  auto decoded = DecodeMetafile(tree);
  ASSERT_TRUE(decoded.ok());
  EXPECT_FALSE(std::get<Partition>(*decoded).locator.partition_values.has_value());
  EXPECT_TRUE(EncodeMetafile(*decoded).Find("partitionLocator")->Find("partitionValues")->IsNil());

  PartitionLocator locator;
  locator.partition_values = MsgArray{};
  EXPECT_TRUE(EncodePartitionLocator(locator).Find("partitionValues")->IsNil());
  locator.partition_values =
      MsgArray{MsgValue::String("it's"), MsgValue::Nil(), MsgValue::Double(1.5)};
  auto round_trip = DecodePartitionLocator(EncodePartitionLocator(locator));
  ASSERT_TRUE(round_trip.ok());
  EXPECT_EQ(round_trip->partition_values, locator.partition_values);
}

// --- Sentinels, ids, ancestors -------------------------------------------------------------

TEST(ModelCodec, SentinelSubstitutionAndRestoration) {
  Metafile stream = OrdersStream();
  EXPECT_FALSE(HasParentSentinel(stream));
  Metafile stored = WithParentSentinel(stream);
  EXPECT_TRUE(HasParentSentinel(stored));
  const TableLocator* sentinel = std::get<Stream>(stored).locator.FindTableLocator();
  EXPECT_EQ(sentinel->table_name, kStreamId);
  EXPECT_EQ(sentinel->NamespaceName(), kStreamId);
  // Real values stay real.
  EXPECT_EQ(std::get<Stream>(stored).locator.table_version_locator->table_version, "1");

  Table renamed = OrdersTable();
  renamed.locator = TableLocator::Of("sales2", "orders2");
  ASSERT_TRUE(RestoreParent(stored, renamed).ok());
  EXPECT_EQ(std::get<Stream>(stored).locator.FindTableLocator()->table_name, "orders2");
  // Restoring again is a no-op: there is no sentinel any more.
  ASSERT_TRUE(RestoreParent(stored, OrdersTable()).ok());
  EXPECT_EQ(std::get<Stream>(stored).locator.FindTableLocator()->table_name, "orders2");

  Metafile table = WithParentSentinel(OrdersTable());
  EXPECT_EQ(std::get<Table>(table).locator.NamespaceName(), kTableId);
  EXPECT_EQ(std::get<Table>(table).locator.table_name, "orders");
  EXPECT_EQ(RestoreParent(table, OrdersTable()).code(), ErrorCode::kInvalidArgument);
  ASSERT_TRUE(RestoreParent(table, SalesNamespace()).ok());
  EXPECT_EQ(std::get<Table>(table).locator.NamespaceName(), "sales");

  Metafile ns = SalesNamespace();
  EXPECT_TRUE(WithParentSentinel(ns) == ns);
  EXPECT_FALSE(HasParentSentinel(ns));

  EXPECT_EQ(SentinelSourceLevel(MetafileKind::kDelta), 4);
  EXPECT_EQ(SentinelSourceLevel(MetafileKind::kTable), 1);
}

TEST(ModelCodec, IdsAndAncestors) {
  EXPECT_EQ(MetafileId(Metafile(OrdersDelta())), "9223372036854775807");
  Delta no_position;
  EXPECT_EQ(MetafileId(no_position), "None");
  EXPECT_EQ(MetafileId(Metafile(OrdersTable())), kTableId);
  EXPECT_EQ(AncestorCount(MetafileKind::kPartition), 4u);
  EXPECT_EQ(LocatorKey(MetafileKind::kTableVersion), "tableVersionLocator");
  EXPECT_EQ(MetafileKindName(MetafileKind::kStream), "Stream");

  Metafile delta = OrdersDelta();
  EXPECT_TRUE(ValidateAncestorIds(delta).ok());
  MutableAncestorIds(delta).pop_back();
  Status wrong = ValidateAncestorIds(delta);
  EXPECT_EQ(wrong.code(), ErrorCode::kCorruptMetadata);
  EXPECT_NE(wrong.message().find("has 4 ancestor_ids but needs 5"), std::string::npos);
  MutableAncestorIds(delta).push_back("../escape");
  EXPECT_FALSE(ValidateAncestorIds(delta).ok());
}

TEST(ModelCodec, TableVersionStrings) {
  EXPECT_EQ(*CanonicalTableVersion("v.0001"), "v.1");
  EXPECT_EQ(*CanonicalTableVersion("007"), "7");
  EXPECT_EQ(*CanonicalTableVersion("0"), "0");
  EXPECT_EQ(*CanonicalTableVersion("1\n"), "1");
  EXPECT_EQ(*CanonicalTableVersion("1.2"), "1.2");
  EXPECT_EQ(*CanonicalTableVersion(".5"), ".5");
  EXPECT_EQ(*CanonicalTableVersion("v_x.01"), "v_x.1");
  for (const char* bad : {"", "a.b.1", "v1", "1.", "v.-1", "v.1a"}) {
    auto r = CanonicalTableVersion(bad);
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument) << bad;
  }
  EXPECT_FALSE(CanonicalTableVersion(std::string(1025, '1')).ok());
  EXPECT_TRUE(CanonicalTableVersion(std::string(1024, '1')).ok());
  EXPECT_EQ(*NextTableVersion(std::nullopt), "1");
  EXPECT_EQ(*NextTableVersion("v.0009"), "v.10");
  EXPECT_EQ(*NextTableVersion("99"), "100");
  EXPECT_EQ(*NextTableVersion("1.2"), "1.3");
  EXPECT_EQ(*NextTableVersion(std::string(30, '9')), "1" + std::string(30, '0'));
  EXPECT_FALSE(NextTableVersion("x").ok());
}

TEST(ModelCodec, ManifestEntryLocationFallsBackToUri) {
  ManifestEntry entry;
  EXPECT_EQ(entry.Location(), "");
  entry.uri = "s3://b/k.pq";
  EXPECT_EQ(entry.Location(), "s3://b/k.pq");
  entry.url = "data/p/k.pq";
  EXPECT_EQ(entry.Location(), "data/p/k.pq");
  auto decoded = DecodeManifestEntry(MsgValue::Map({{"uri", MsgValue::String("/abs/f.csv")}}));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->Location(), "/abs/f.csv");
  EXPECT_EQ(EncodeManifestEntry(*decoded),
            MsgValue::Map({{"uri", MsgValue::String("/abs/f.csv")}}));
}

TEST(ModelCodec, MultiSourceHighWatermarkRoundTrips) {
  RoundCompletionInfo rci;
  rci.high_watermark =
      std::vector<SourceHighWatermark>{{"None|" + kPartitionId, SalesOrdersPartition(), 12}};
  MsgValue encoded = EncodeRoundCompletionInfo(rci);
  const MsgValue& pair = *encoded.Find("highWatermark")->Find("None|" + kPartitionId);
  ASSERT_EQ(pair.size(), 2u);
  EXPECT_EQ(*pair.AsArray()->at(1).AsInt(), 12);
  auto decoded = DecodeRoundCompletionInfo(encoded);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, rci);
  EXPECT_FALSE(decoded->SingleHighWatermark().has_value());
}

TEST(ModelCodec, CanonicalStringsAndDigests) {
  PartitionLocatorAlias unpartitioned{
      std::nullopt, std::string(kUnpartitionedSchemeId), std::nullopt, {}};
  EXPECT_EQ(*CanonicalString(unpartitioned), "None|deadbeef-7277-49a4-a195-fdc8ed235d42");
  EXPECT_EQ(LocatorDigest(*CanonicalString(unpartitioned)),
            "618205b78748d2b5cc6ff3344257f6b1a0335c29");
  EXPECT_EQ(LocatorDigest(CanonicalString(StreamLocatorAlias{"deltacat", {}, {}})),
            "8783dc5c5ecd47bd6265e89a5294778a579bf43b");
  EXPECT_EQ(LocatorDigest(CanonicalString(NamespaceLocator{"sales", {}})),
            "59248c4dae276a021cb296d2ee0e6a0c962a8d7f");
  EXPECT_EQ(*PartitionValuesString(MsgArray{MsgValue::String("it's"), MsgValue::Int(1),
                                            MsgValue::Nil(), MsgValue::Bool(true),
                                            MsgValue::Double(1.5), MsgValue::Binary("x")}),
            "[\"it's\", 1, None, True, 1.5, b'x']");
  EXPECT_EQ(*PartitionValuesString(std::nullopt), "None");
  EXPECT_EQ(PartitionValuesString(MsgArray{MsgValue::Map()}).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(CanonicalString(SalesOrdersStream()), kStreamId + "|deltacat");
  EXPECT_EQ(*CanonicalString(SalesOrdersPartition()), "None|" + kPartitionId);
  EXPECT_EQ(CanonicalString(DeltaLocator{}), "None");
  EXPECT_EQ(CanonicalString(TableVersionLocator{std::nullopt, "v.2", {}}), "v.2");
  EXPECT_EQ(CanonicalString(TableLocator::Of("ns", "t")), "t");
}

TEST(ModelCodec, LocatorsAndAliasesForTransactionLogs) {
  // The shapes Python's txn logs record as dest_metafile.locator / locator_alias.
  Partition partition = OrdersPartition();
  MsgValue alias = EncodeMetafileLocatorAlias(partition);
  ASSERT_TRUE(alias.IsMap());
  EXPECT_EQ(alias.AsMap()->at(0).first, "partition_values");
  EXPECT_TRUE(alias.Find("partition_values")->IsNil());
  EXPECT_EQ(*alias.Find("partition_scheme_id")->AsString(), kUnpartitionedSchemeId);
  EXPECT_EQ(*alias.Find("parent"), EncodeStreamLocator(SalesOrdersStream()));
  EXPECT_EQ(EncodeMetafileLocator(partition), EncodePartitionLocator(partition.locator));
  partition.state = CommitState::kStaged;
  EXPECT_TRUE(EncodeMetafileLocatorAlias(partition).IsNil());

  Stream stream = OrdersStream();
  MsgValue stream_alias = EncodeMetafileLocatorAlias(stream);
  EXPECT_EQ(*stream_alias.Find("format")->AsString(), "deltacat");
  EXPECT_EQ(*stream_alias.Find("parent"),
            EncodeTableVersionLocator(*stream.locator.table_version_locator));
  EXPECT_TRUE(EncodeMetafileLocatorAlias(OrdersTable()).IsNil());
  // Real names, never the sentinel.
  EXPECT_EQ(
      *EncodeMetafileLocator(OrdersTable()).Find("namespaceLocator")->Find("namespace")->AsString(),
      "sales");
}

// --- Corrupt input -------------------------------------------------------------------------

void ExpectCorrupt(const Result<Metafile>& result, std::string_view message_part) {
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kCorruptMetadata);
  EXPECT_NE(result.status().message().find(message_part), std::string::npos)
      << result.status().message();
}

TEST(ModelCodec, CorruptMetafilesFailWithTheFieldPath) {
  ExpectCorrupt(DecodeMetafile(MsgValue::Array()), "expected a metafile to be a map");
  ExpectCorrupt(DecodeMetafile(MsgValue::Map({{"id", MsgValue::String("x")}})), "not a metafile");
  ExpectCorrupt(DeserializeMetafileRevision("\x81\xa1"), "invalid msgpack");

  MsgValue table = FixtureTree("table");
  table.FindMutable("tableLocator")->Set("tableName", MsgValue::Int(3));
  ExpectCorrupt(DecodeMetafile(table), "Table.tableLocator.tableName to be a str but found int");

  MsgValue nil_locator = FixtureTree("namespace");
  nil_locator.Set("namespaceLocator", MsgValue::Nil());
  ExpectCorrupt(DecodeMetafile(nil_locator), "missing required Namespace.namespaceLocator");

  MsgValue tv = FixtureTree("table_version");
  tv.Set("schema", MsgValue::String("not bytes"));
  ExpectCorrupt(DecodeMetafile(tv), "TableVersion.schema to be bin");
  tv = FixtureTree("table_version");
  tv.FindMutable("sortScheme")->Set("keys", MsgValue::Array({MsgValue::Map()}));
  ExpectCorrupt(DecodeMetafile(tv), "TableVersion.sortScheme.keys[0] to be a [key");
  tv = FixtureTree("table_version");
  tv.FindMutable("partitionSchemes")
      ->AsMutableArray()
      ->at(0)
      .FindMutable("keys")
      ->AsMutableArray()
      ->at(0)
      .Set("key", MsgValue::Array({MsgValue::Bool(true)}));
  ExpectCorrupt(DecodeMetafile(tv), "TableVersion.partitionSchemes[0].keys[0].key[0]");
  tv = FixtureTree("table_version");
  tv.FindMutable("partitionSchemes")
      ->AsMutableArray()
      ->at(0)
      .FindMutable("keys")
      ->AsMutableArray()
      ->at(0)
      .FindMutable("transform")
      ->Erase("name");
  ExpectCorrupt(DecodeMetafile(tv), "missing required");

  MsgValue partition = FixtureTree("partition");
  partition.Set("streamPosition", MsgValue::Uint(1ULL << 63));
  ExpectCorrupt(DecodeMetafile(partition), "Partition.streamPosition to fit a signed 64-bit");
  partition = FixtureTree("partition");
  partition.FindMutable("compactionRoundCompletionInfo")
      ->FindMutable("hbIndexToEntryRange")
      ->Set("zero", MsgValue::Array({MsgValue::Int(0), MsgValue::Int(1)}));
  ExpectCorrupt(DecodeMetafile(partition), "decimal hash bucket indexes but found 'zero'");
  partition = FixtureTree("partition");
  partition.FindMutable("compactionRoundCompletionInfo")
      ->FindMutable("hbIndexToEntryRange")
      ->Set("0", MsgValue::Array({MsgValue::Int(0)}));
  ExpectCorrupt(DecodeMetafile(partition), "hbIndexToEntryRange.0 to be a 2-element array");
  partition = FixtureTree("partition");
  partition.FindMutable("partitionLocator")->Set("partitionValues", MsgValue::String("a"));
  ExpectCorrupt(DecodeMetafile(partition), "partitionValues to be an array or nil");

  MsgValue delta = FixtureTree("delta");
  delta.FindMutable("manifest")->Erase("id");
  ExpectCorrupt(DecodeMetafile(delta), "missing required Delta.manifest.id");
  delta = FixtureTree("delta");
  delta.Set("ancestor_ids", MsgValue::Array({MsgValue::Int(1)}));
  ExpectCorrupt(DecodeMetafile(delta), "Delta.ancestor_ids[0] to be a str");
  delta = FixtureTree("delta");
  delta.FindMutable("manifest")->Set("entries", MsgValue::Map());
  ExpectCorrupt(DecodeMetafile(delta), "Delta.manifest.entries to be an array");
}

TEST(ModelCodec, MutatedBytesNeverCrashTheDecoder) {
  // Deterministic fuzzing over real Python metafiles: flipped bytes, truncations and
  // insertions must decode or fail cleanly, and whatever decodes must re-encode.
  std::mt19937 rng(20240611);
  size_t decoded_ok = 0;
  size_t failed = 0;
  for (const char* name : {"table_version", "partition", "delta", "namespace"}) {
    const std::string original = Fixture(name);
    for (int round = 0; round < 500; ++round) {
      std::string bytes = original;
      int edits = 1 + static_cast<int>(rng() % 4);
      for (int e = 0; e < edits && !bytes.empty(); ++e) {
        size_t at = rng() % bytes.size();
        switch (rng() % 3) {
          case 0: bytes[at] = static_cast<char>(rng() % 256); break;
          case 1: bytes.resize(at); break;
          default: bytes.insert(at, 1, static_cast<char>(rng() % 256)); break;
        }
      }
      auto result = DeserializeMetafileRevision(bytes);
      if (result.ok()) {
        ++decoded_ok;
        EXPECT_TRUE(DeserializeMetafileRevision(EncodeMsgpack(EncodeMetafile(*result))).ok());
      } else {
        ++failed;
        EXPECT_EQ(result.status().code(), ErrorCode::kCorruptMetadata);
      }
    }
  }
  EXPECT_GT(failed, 0u);
  EXPECT_GT(decoded_ok + failed, 1999u);
}

}  // namespace
}  // namespace deltacat::storage
