#include "deltacat/compute/task_filesystem.h"

#include <map>
#include <mutex>
#include <utility>

#include "deltacat/util/uuid.h"

namespace deltacat::compute {
namespace {

struct Registry {
  std::mutex mutex;
  std::map<std::string, FileSystemLocation> by_key;
  std::map<std::string, FileSystemLocation> resolved_by_uri;
};

Registry& GetRegistry() {
  static Registry* registry = new Registry();  // never destroyed: tasks may outlive statics
  return *registry;
}

}  // namespace

ScopedTaskFileSystem::ScopedTaskFileSystem(FileSystemLocation location) {
  ref_.key = NewUuid4();
  ref_.uri = location.uri;
  Registry& registry = GetRegistry();
  std::lock_guard lock(registry.mutex);
  registry.by_key.emplace(ref_.key, std::move(location));
}

ScopedTaskFileSystem::~ScopedTaskFileSystem() {
  Registry& registry = GetRegistry();
  std::lock_guard lock(registry.mutex);
  registry.by_key.erase(ref_.key);
}

Result<FileSystemLocation> ResolveTaskFileSystem(const FileSystemRef& ref) {
  Registry& registry = GetRegistry();
  {
    std::lock_guard lock(registry.mutex);
    if (auto it = registry.by_key.find(ref.key); !ref.key.empty() && it != registry.by_key.end()) {
      return it->second;
    }
    if (auto it = registry.resolved_by_uri.find(ref.uri); it != registry.resolved_by_uri.end()) {
      return it->second;
    }
  }
  if (ref.uri.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "task names no catalog: the filesystem reference has neither a registered "
                     "key nor a URI");
  }
  DC_ASSIGN_OR_RAISE(FileSystemLocation location, ResolveUri(ref.uri));
  std::lock_guard lock(registry.mutex);
  return registry.resolved_by_uri.emplace(ref.uri, std::move(location)).first->second;
}

}  // namespace deltacat::compute
