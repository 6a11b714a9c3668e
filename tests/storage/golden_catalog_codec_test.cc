// Decodes every metafile revision of catalogs written by the real Python deltacat package and
// checks that the codecs reproduce them: semantically always, byte for byte where Python's
// output is deterministic (it is for every metafile: msgpack of dicts in insertion order).

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "deltacat/storage/codec/metafile_codec.h"
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

/// Roots that hold Python-written catalogs: the committed fixtures beside this test, the
/// interop golden catalog (tests/interop/golden), and $DELTACAT_GOLDEN_CATALOG.
std::vector<fs::path> CatalogRoots() {
  std::vector<fs::path> roots;
  const fs::path source(DELTACAT_SOURCE_DIR);
  for (const fs::path& candidate :
       {source / "tests/storage/testdata/python_metafiles",
        source / "tests/interop/golden/python_catalog"}) {
    if (fs::is_directory(candidate)) roots.push_back(candidate);
  }
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
            << per_kind[3] << ", partitions " << per_kind[4] << ", deltas " << per_kind[5]
            << ")\n";
}

}  // namespace
}  // namespace deltacat::storage
