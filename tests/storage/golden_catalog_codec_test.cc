// Decodes every metafile revision of catalogs written by the real Python deltacat package and
// checks that the codecs reproduce them: semantically always, byte for byte where Python's
// output is deterministic (it is for every metafile: msgpack of dicts in insertion order).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "deltacat/storage/codec/metafile_codec.h"
#include "deltacat/storage/model/locator_name.h"
#include "deltacat/storage/msgpack_value.h"

namespace deltacat::storage {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

/// Roots that hold Python-written catalogs: the interop golden catalog
/// (tests/interop/golden/python_catalog) and, to check another one, $DELTACAT_GOLDEN_CATALOG.
std::vector<fs::path> CatalogRoots() {
  std::vector<fs::path> roots;
  const fs::path golden = fs::path(DELTACAT_SOURCE_DIR) / "tests/interop/golden/python_catalog";
  if (fs::is_directory(golden)) roots.push_back(golden);
  if (const char* env = std::getenv("DELTACAT_GOLDEN_CATALOG")) {
    if (fs::is_directory(env)) roots.emplace_back(env);
  }
  return roots;
}

std::vector<fs::path> MetafilesUnder(const fs::path& root) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().extension() == ".mpk") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(GoldenCatalogCodec, EveryPythonMetafileRoundTrips) {
  std::vector<fs::path> roots = CatalogRoots();
  ASSERT_FALSE(roots.empty()) << "no Python-written metafiles found";
  size_t checked = 0;
  std::vector<size_t> per_kind(6, 0);
  for (const fs::path& root : roots) {
    for (const fs::path& path : MetafilesUnder(root)) {
      SCOPED_TRACE(path.string());
      const std::string bytes = ReadFile(path);
      auto decoded = DeserializeMetafileRevision(bytes);
      ASSERT_TRUE(decoded.ok()) << decoded.status();
      ++per_kind[static_cast<size_t>(KindOf(*decoded))];

      // Encoding what was read (sentinel and all) gives Python's bytes back exactly.
      std::string reencoded = EncodeMsgpack(EncodeMetafile(*decoded));
      EXPECT_EQ(reencoded, bytes) << "re-encoded:\n"
                                  << ToJsonForDebug(*DecodeMsgpack(reencoded)) << "\noriginal:\n"
                                  << ToJsonForDebug(*DecodeMsgpack(bytes));

      // The generic tree agrees too, and a second round trip is stable.
      EXPECT_EQ(EncodeMetafile(*decoded), *DecodeMsgpack(bytes));
      auto again = DeserializeMetafileRevision(reencoded);
      ASSERT_TRUE(again.ok()) << again.status();
      EXPECT_TRUE(*again == *decoded);

      // Python always writes correct ancestor ids and the sentinel.
      EXPECT_TRUE(ValidateAncestorIds(*decoded).ok()) << ValidateAncestorIds(*decoded);
      if (KindOf(*decoded) != MetafileKind::kNamespace) {
        EXPECT_TRUE(HasParentSentinel(*decoded));
      }
      // Writing it again applies the same sentinel: same bytes.
      EXPECT_EQ(SerializeMetafileRevision(*decoded), bytes);
      ++checked;
    }
  }
  EXPECT_GT(checked, 0u);
  std::cout << "checked " << checked << " Python metafiles (namespaces " << per_kind[0]
            << ", tables " << per_kind[1] << ", table versions " << per_kind[2] << ", streams "
            << per_kind[3] << ", partitions " << per_kind[4] << ", deltas " << per_kind[5] << ")\n";
}

/// The newest revision file under `<object_dir>/rev`, without any snapshot filtering: what
/// Python's sentinel restoration reads. Revision file names start with the 20-digit revision,
/// so the greatest name is the newest revision.
Result<Metafile> ReadNewestRevision(const fs::path& object_dir) {
  std::vector<fs::path> files = MetafilesUnder(object_dir / "rev");
  if (files.empty()) {
    return MakeError(ErrorCode::kObjectNotFound, "no revisions under ", object_dir.string());
  }
  auto newest = std::max_element(files.begin(), files.end(), [](const auto& a, const auto& b) {
    return a.filename().string() < b.filename().string();
  });
  return DeserializeMetafileRevision(ReadFile(*newest));
}

fs::path Ancestor(fs::path dir, int levels) {
  for (int i = 0; i < levels; ++i) dir = dir.parent_path();
  return dir;
}

/// Reads a table's newest revision and restores its namespace locator, as Table.read does.
Result<Table> ReadRestoredTable(const fs::path& table_dir) {
  DC_ASSIGN_OR_RAISE(Metafile table, ReadNewestRevision(table_dir));
  DC_ASSIGN_OR_RAISE(Metafile ns, ReadNewestRevision(table_dir.parent_path()));
  DC_RETURN_NOT_OK(RestoreParent(table, ns));
  return std::get<Table>(std::move(table));
}

TEST(GoldenCatalogCodec, SentinelsRestoreFromAncestorsAndReapplyToTheSameBytes) {
  const fs::path root = fs::path(DELTACAT_SOURCE_DIR) / "tests/interop/golden/python_catalog";
  if (!fs::is_directory(root)) GTEST_SKIP() << "golden catalog not present at " << root;
  size_t restored = 0;
  for (const fs::path& path : MetafilesUnder(root)) {
    SCOPED_TRACE(path.string());
    const std::string bytes = ReadFile(path);
    auto metafile = DeserializeMetafileRevision(bytes);
    ASSERT_TRUE(metafile.ok()) << metafile.status();
    MetafileKind kind = KindOf(*metafile);
    if (kind == MetafileKind::kNamespace) continue;
    // <object dir>/rev/<L1>/<L2>/<file>
    const fs::path object_dir = Ancestor(path, 4);
    // A delete written by a REPLACE holds the replacement object, whose id differs from the
    // directory's (docs/format.md §15.1 #5); every other revision holds its own object.
    if (path.filename().string().find("_delete_") == std::string::npos) {
      ASSERT_EQ(object_dir.filename().string(), MetafileId(*metafile));
    }
    const fs::path source_dir = Ancestor(object_dir, SentinelSourceLevel(kind));

    std::string real_namespace;
    std::string real_table;
    if (kind == MetafileKind::kTable) {
      auto ns = ReadNewestRevision(source_dir);
      ASSERT_TRUE(ns.ok()) << ns.status();
      ASSERT_TRUE(RestoreParent(*metafile, *ns).ok());
      real_namespace = *std::get<Namespace>(*ns).locator.namespace_name;
      real_table = *std::get<Table>(*metafile).locator.table_name;
    } else {
      auto table = ReadRestoredTable(source_dir);
      ASSERT_TRUE(table.ok()) << table.status();
      // A Namespace is the wrong source for anything but a table.
      EXPECT_EQ(RestoreParent(*metafile, Metafile(Namespace{})).code(),
                ErrorCode::kInvalidArgument);
      ASSERT_TRUE(RestoreParent(*metafile, Metafile(*table)).ok());
      real_namespace = *table->locator.NamespaceName();
      real_table = *table->locator.table_name;
    }
    EXPECT_FALSE(HasParentSentinel(*metafile));
    // The ancestor ids name the same directories the restored locator came from.
    EXPECT_EQ(AncestorIds(*metafile).back(), object_dir.parent_path().filename().string());
    const TableLocator* table_locator = std::visit(
        [](const auto& m) -> const TableLocator* {
          using M = std::decay_t<decltype(m)>;
          if constexpr (std::is_same_v<M, Namespace>) {
            return nullptr;
          } else if constexpr (std::is_same_v<M, Table>) {
            return &m.locator;
          } else if constexpr (std::is_same_v<M, TableVersion>) {
            return &*m.locator.table_locator;
          } else {
            return m.locator.FindTableLocator();
          }
        },
        *metafile);
    ASSERT_NE(table_locator, nullptr);
    EXPECT_EQ(table_locator->table_name, real_table);
    EXPECT_EQ(table_locator->NamespaceName(), real_namespace);
    EXPECT_NE(real_namespace, MetafileId(*metafile));
    // Writing the restored object puts the very same sentinel back.
    EXPECT_EQ(SerializeMetafileRevision(*metafile), bytes);
    ++restored;
  }
  EXPECT_GT(restored, 100u);
}

TEST(GoldenCatalogCodec, AliasDigestsNameTheNameResolutionDirectories) {
  const fs::path root = fs::path(DELTACAT_SOURCE_DIR) / "tests/interop/golden/python_catalog";
  if (!fs::is_directory(root)) GTEST_SKIP() << "golden catalog not present at " << root;
  size_t partitions = 0;
  size_t partitioned = 0;
  size_t streams = 0;
  for (const fs::path& path : MetafilesUnder(root)) {
    if (path.filename().string().find("_delete_") != std::string::npos) continue;
    SCOPED_TRACE(path.string());
    auto metafile = DeserializeMetafileRevision(ReadFile(path));
    ASSERT_TRUE(metafile.ok());
    const fs::path parent_dir = Ancestor(path, 5);  // the directory holding the object's dir
    if (const auto* partition = std::get_if<Partition>(&*metafile)) {
      if (!partition->state || !partition->state->is(CommitState::kCommitted)) continue;
      PartitionLocatorAlias alias{
          partition->locator.partition_values, partition->partition_scheme_id, std::nullopt, {}};
      auto canonical = CanonicalString(alias);
      ASSERT_TRUE(canonical.ok()) << canonical.status();
      EXPECT_TRUE(fs::is_directory(parent_dir / LocatorDigest(*canonical))) << *canonical;
      ++partitions;
      if (partition->locator.partition_values) ++partitioned;
    } else if (const auto* stream = std::get_if<Stream>(&*metafile)) {
      if (!stream->state || !stream->state->is(CommitState::kCommitted)) continue;
      StreamLocatorAlias alias{stream->locator.format, std::nullopt, {}};
      EXPECT_TRUE(fs::is_directory(parent_dir / LocatorDigest(CanonicalString(alias))));
      ++streams;
    }
  }
  EXPECT_GT(partitions, 10u);
  EXPECT_GE(partitioned, 4u);
  EXPECT_GT(streams, 10u);
}

}  // namespace
}  // namespace deltacat::storage
