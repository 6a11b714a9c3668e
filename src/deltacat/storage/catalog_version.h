#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "deltacat/fs/filesystem_uri.h"
#include "deltacat/result.h"

// Catalog version markers: empty files `version/<version>.<starting_from_ns>`
// (storage-format.md §8). Python writes one for its own `__version__` (e.g.
// "2.0.0.post4.1795503691556089417"); C++ writes "deltacat-cpp-<VERSION>.<ns>". The version
// string carries no format semantics in Python; C++ refuses catalogs whose markers announce a
// newer major format than it understands.

namespace deltacat::storage {

/// Prefix of the version string of markers written by this implementation.
inline constexpr std::string_view kCppVersionPrefix = "deltacat-cpp-";

/// A parsed marker file name.
struct CatalogVersionMarker {
  /// Everything before the last '.', e.g. "2.0.0.post4" or "deltacat-cpp-0.1.0".
  std::string version;
  /// The int after the last '.'.
  int64_t starting_from = 0;

  /// "<version>.<starting_from>".
  std::string FileName() const;
  bool operator==(const CatalogVersionMarker&) const = default;
};

/// Parses a marker file name like Python's CatalogVersion.from_filename: split at the last
/// '.', the tail must be a decimal integer. kInvalidArgument otherwise.
Result<CatalogVersionMarker> ParseCatalogVersionMarker(std::string_view file_name);

/// This build's version string, "deltacat-cpp-<VERSION>".
std::string CppCatalogVersion();

/// The markers in `<root>/version/`, skipping names that do not parse (Python warns and skips
/// them too). Empty for a catalog without markers.
Result<std::vector<CatalogVersionMarker>> ReadCatalogVersionMarkers(
    const FileSystemLocation& catalog);

/// kUnsupportedFormat, naming the marker file, when a marker announces a format this build
/// does not understand: a Python DeltaCAT major version other than 2, or a DeltaCAT C++ major
/// version above this build's. Other markers (unknown tools) are accepted.
Status CheckCatalogVersionSupported(const FileSystemLocation& catalog);

/// Writes `version/deltacat-cpp-<VERSION>.<now_ns>` unless a marker for this exact version
/// exists; leaves other markers alone. Returns the marker in effect.
Result<CatalogVersionMarker> EnsureCatalogVersionMarker(const FileSystemLocation& catalog,
                                                        int64_t now_ns);

}  // namespace deltacat::storage
