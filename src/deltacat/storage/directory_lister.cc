#include "deltacat/storage/directory_lister.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <set>

#include <arrow/filesystem/localfs.h>

#include "deltacat/fs/filesystem_error.h"
#include "deltacat/fs/filesystem_uri.h"

namespace deltacat::storage {

namespace {

bool IsHidden(std::string_view name) {
  return name.empty() || name.front() == '.' || name.front() == '_' || name.ends_with("_$folder$");
}

}  // namespace

Status VisitDirectory(arrow::fs::FileSystem& fs, const std::string& dir,
                      const std::function<Status(std::string_view name, bool is_dir)>& visit) {
  if (typeid(fs) != typeid(arrow::fs::LocalFileSystem)) {
    DC_ASSIGN_OR_RAISE(auto entries, ListDir(fs, dir));
    for (const auto& entry : entries) DC_RETURN_NOT_OK(visit(entry.name, entry.is_dir));
    return Status::OK();
  }
  DIR* handle = opendir(dir.c_str());
  if (handle == nullptr) {
    if (errno == ENOENT) return Status::OK();
    if (errno == ENOTDIR) {
      return MakeError(ErrorCode::kIOError, "cannot list '", dir, "': not a directory");
    }
    // Let the generic path classify and retry the error.
    DC_ASSIGN_OR_RAISE(auto entries, ListDir(fs, dir));
    for (const auto& entry : entries) DC_RETURN_NOT_OK(visit(entry.name, entry.is_dir));
    return Status::OK();
  }
  std::unique_ptr<DIR, int (*)(DIR*)> closer(handle, &closedir);
  errno = 0;
  while (const dirent* entry = readdir(handle)) {
    const std::string_view name(entry->d_name);
    if (IsHidden(name)) continue;  // also skips "." and ".."
    bool is_dir = entry->d_type == DT_DIR;
    if (entry->d_type == DT_UNKNOWN || entry->d_type == DT_LNK) {
      struct stat info {};
      const std::string path = JoinPath(dir, name);
      if (stat(path.c_str(), &info) != 0) continue;  // vanished or dangling
      is_dir = S_ISDIR(info.st_mode);
      if (!is_dir && !S_ISREG(info.st_mode)) continue;
    } else if (!is_dir && entry->d_type != DT_REG) {
      continue;
    }
    DC_RETURN_NOT_OK(visit(name, is_dir));
    errno = 0;
  }
  if (errno != 0) {
    return MakeError(ErrorCode::kIOError, "cannot list '", dir, "': ", std::strerror(errno));
  }
  return Status::OK();
}

Result<std::vector<DirEntry>> ListDirectory(arrow::fs::FileSystem& fs, const std::string& dir) {
  if (typeid(fs) != typeid(arrow::fs::LocalFileSystem)) return ListDir(fs, dir);
  std::vector<DirEntry> entries;
  DC_RETURN_NOT_OK(VisitDirectory(fs, dir, [&](std::string_view name, bool is_dir) {
    entries.push_back(DirEntry{std::string(name), is_dir, -1});
    return Status::OK();
  }));
  std::sort(entries.begin(), entries.end(), [](const DirEntry& a, const DirEntry& b) {
    return a.name != b.name ? a.name < b.name : (!a.is_dir && b.is_dir);
  });
  return entries;
}

Result<std::vector<DirEntry>> FileSystemLister::List(const std::string& dir) {
  return ListDirectory(fs_, dir);
}

Result<std::unique_ptr<PrefetchedTreeLister>> PrefetchedTreeLister::Fetch(arrow::fs::FileSystem& fs,
                                                                          const std::string& root) {
  std::unique_ptr<PrefetchedTreeLister> lister(new PrefetchedTreeLister(fs, root));
  arrow::fs::FileInfoVector infos;
  Status status = RunWithRetry(RetryPolicy(), [&]() -> Status {
    arrow::fs::FileSelector selector;
    selector.base_dir = root;
    selector.recursive = true;
    selector.allow_not_found = true;
    auto listed = fs.GetFileInfo(selector);
    if (!listed.ok()) {
      if (IsNotFoundFileSystemError(listed.status())) {
        infos.clear();
        return Status::OK();
      }
      return FileSystemError(listed.status(), "cannot list", root);
    }
    infos = std::move(*listed);
    return Status::OK();
  });
  DC_RETURN_NOT_OK(status);
  const std::string prefix = root.empty() || root.back() == '/' ? root : root + "/";
  // Directories implied by file keys (S3 may not report them) are added as we go.
  std::map<std::string, std::set<std::pair<std::string, bool>>> tree;
  std::map<std::string, int64_t> sizes;
  tree[root];
  for (const auto& info : infos) {
    const std::string& path = info.path();
    if (path.size() <= prefix.size() || path.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string relative = path.substr(prefix.size());
    if (relative.empty()) continue;
    // Split into components; skip anything under a hidden component.
    std::vector<std::string> parts;
    size_t begin = 0;
    bool hidden = false;
    while (begin <= relative.size()) {
      const size_t sep = relative.find('/', begin);
      std::string part =
          relative.substr(begin, sep == std::string::npos ? std::string::npos : sep - begin);
      if (part.empty() && sep == std::string::npos) break;  // trailing '/' of a marker
      if (IsHidden(part)) {
        hidden = true;
        break;
      }
      parts.push_back(std::move(part));
      if (sep == std::string::npos) break;
      begin = sep + 1;
    }
    if (hidden || parts.empty()) continue;
    const bool is_file = info.type() == arrow::fs::FileType::File;
    std::string dir = root;
    for (size_t i = 0; i < parts.size(); ++i) {
      const bool last = i + 1 == parts.size();
      const bool entry_is_dir = !last || !is_file;
      tree[dir].insert({parts[i], entry_is_dir});
      if (last && is_file) sizes[JoinPath(dir, parts[i])] = info.size();
      dir = JoinPath(dir, parts[i]);
      if (entry_is_dir) tree[dir];
    }
  }
  for (auto& [dir, names] : tree) {
    std::vector<DirEntry> entries;
    entries.reserve(names.size());
    for (const auto& [name, is_dir] : names) {
      const auto size = is_dir ? int64_t{-1} : sizes[JoinPath(dir, name)];
      entries.push_back(DirEntry{name, is_dir, size});
    }
    std::sort(entries.begin(), entries.end(), [](const DirEntry& a, const DirEntry& b) {
      return a.name != b.name ? a.name < b.name : (!a.is_dir && b.is_dir);
    });
    lister->children_.emplace(dir, std::move(entries));
  }
  return lister;
}

Result<std::vector<DirEntry>> PrefetchedTreeLister::List(const std::string& dir) {
  const std::string prefix = root_.empty() || root_.back() == '/' ? root_ : root_ + "/";
  const bool inside =
      dir == root_ || (dir.size() > prefix.size() && dir.compare(0, prefix.size(), prefix) == 0);
  if (!inside) return ListDirectory(fs_, dir);
  auto it = children_.find(dir);
  if (it == children_.end()) return std::vector<DirEntry>();
  return it->second;
}

}  // namespace deltacat::storage
