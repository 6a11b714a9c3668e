#pragma once

#include <string>

#include "deltacat/fs/filesystem_uri.h"
#include "deltacat/result.h"

/// How a serialized task finds the catalog it works on. A task spec carries a FileSystemRef:
/// the catalog's URI (enough for any process: a remote worker resolves it with ResolveUri) and
/// a key under which the submitting process registered the filesystem object it already holds,
/// so that in-process tasks use the very same object (its S3 client, or a fault-injecting
/// decorator in tests) instead of resolving the URI again. Only a handle is shared this way,
/// never task data.
namespace deltacat::compute {

/// A serializable reference to a catalog location.
struct FileSystemRef {
  /// Process-local registration key (may be empty or unknown to the executing process).
  std::string key;
  /// The catalog URI, as in FileSystemLocation::uri.
  std::string uri;
};

/// Registers a location for the tasks of this process while it lives.
class ScopedTaskFileSystem {
 public:
  /// Registers `location` under a fresh unique key.
  explicit ScopedTaskFileSystem(FileSystemLocation location);
  /// Unregisters it.
  ~ScopedTaskFileSystem();
  ScopedTaskFileSystem(const ScopedTaskFileSystem&) = delete;
  ScopedTaskFileSystem& operator=(const ScopedTaskFileSystem&) = delete;

  /// The reference to put into task specs.
  const FileSystemRef& ref() const { return ref_; }

 private:
  FileSystemRef ref_;
};

/// The location `ref` names: the object registered under `ref.key` in this process, else
/// ResolveUri(ref.uri) (kept for later tasks of the same URI).
Result<FileSystemLocation> ResolveTaskFileSystem(const FileSystemRef& ref);

}  // namespace deltacat::compute
