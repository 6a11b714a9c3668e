#include "deltacat/storage/catalog_version.h"

#include <cstdlib>

#include "deltacat/fs/file_ops.h"
#include "deltacat/storage/catalog_layout.h"
#include "deltacat/version.h"

namespace deltacat::storage {

namespace {

// The leading decimal number of `version` ("2.0.0.post4" -> 2), or -1.
int64_t MajorVersion(std::string_view version) {
  int64_t major = 0;
  size_t digits = 0;
  while (digits < version.size() && digits < 9 && version[digits] >= '0' &&
         version[digits] <= '9') {
    major = major * 10 + (version[digits] - '0');
    ++digits;
  }
  return digits == 0 ? -1 : major;
}

}  // namespace

std::string CatalogVersionMarker::FileName() const {
  return version + "." + std::to_string(starting_from);
}

Result<CatalogVersionMarker> ParseCatalogVersionMarker(std::string_view file_name) {
  const size_t dot = file_name.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == file_name.size()) {
    return MakeError(ErrorCode::kInvalidArgument, "'", file_name,
                     "' is not a catalog version marker name (<version>.<ns>)");
  }
  const std::string_view tail = file_name.substr(dot + 1);
  if (tail.size() > 18) {
    return MakeError(ErrorCode::kInvalidArgument, "catalog version marker '", file_name,
                     "' has an out-of-range time");
  }
  int64_t value = 0;
  for (char c : tail) {
    if (c < '0' || c > '9') {
      return MakeError(ErrorCode::kInvalidArgument, "catalog version marker '", file_name,
                       "' does not end in an integer");
    }
    value = value * 10 + (c - '0');
  }
  return CatalogVersionMarker{std::string(file_name.substr(0, dot)), value};
}

std::string CppCatalogVersion() { return std::string(kCppVersionPrefix) + DELTACAT_CPP_VERSION; }

Result<std::vector<CatalogVersionMarker>> ReadCatalogVersionMarkers(
    const FileSystemLocation& catalog) {
  DC_ASSIGN_OR_RAISE(auto entries, ListDir(*catalog.fs, JoinPath(catalog.root, kVersionDirName)));
  std::vector<CatalogVersionMarker> markers;
  for (const auto& entry : entries) {
    if (entry.is_dir) continue;
    auto marker = ParseCatalogVersionMarker(entry.name);
    if (marker.ok()) markers.push_back(std::move(*marker));
  }
  return markers;
}

Status CheckCatalogVersionSupported(const FileSystemLocation& catalog) {
  DC_ASSIGN_OR_RAISE(auto markers, ReadCatalogVersionMarkers(catalog));
  const int64_t our_major = MajorVersion(DELTACAT_CPP_VERSION);
  for (const auto& marker : markers) {
    const std::string path = JoinPath(JoinPath(catalog.root, kVersionDirName), marker.FileName());
    std::string_view version = marker.version;
    if (version.starts_with(kCppVersionPrefix)) {
      const int64_t major = MajorVersion(version.substr(kCppVersionPrefix.size()));
      if (major > our_major) {
        return MakeError(ErrorCode::kUnsupportedFormat, "catalog marker '", path,
                         "' was written by DeltaCAT C++ ", version.substr(kCppVersionPrefix.size()),
                         ", newer than this build (", DELTACAT_CPP_VERSION, ")");
      }
      continue;
    }
    const int64_t major = MajorVersion(version);
    if (major >= 0 && major != 2) {
      return MakeError(ErrorCode::kUnsupportedFormat, "catalog marker '", path,
                       "' announces DeltaCAT ", version,
                       "; this build reads the DeltaCAT 2.x format only");
    }
  }
  return Status::OK();
}

Result<CatalogVersionMarker> EnsureCatalogVersionMarker(const FileSystemLocation& catalog,
                                                        int64_t now_ns) {
  DC_ASSIGN_OR_RAISE(auto markers, ReadCatalogVersionMarkers(catalog));
  const std::string ours = CppCatalogVersion();
  for (const auto& marker : markers) {
    if (marker.version == ours) return marker;
  }
  CatalogVersionMarker marker{ours, now_ns};
  DC_RETURN_NOT_OK(WriteFileAtomically(
      *catalog.fs, JoinPath(JoinPath(catalog.root, kVersionDirName), marker.FileName()), ""));
  return marker;
}

}  // namespace deltacat::storage
