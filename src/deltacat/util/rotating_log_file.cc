#include "deltacat/util/rotating_log_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace deltacat::util {
namespace {

Status ErrnoError(std::string_view what, const std::string& path, int err) {
  return MakeError(ErrorCode::kIOError, what, " '", path, "': ", std::strerror(err));
}

// flock, retried when a signal interrupts the wait.
int LockFile(int fd, int operation) {
  int rc;
  do {
    rc = ::flock(fd, operation);
  } while (rc != 0 && errno == EINTR);
  return rc;
}

// Holds a flock for a scope.
class FileLockGuard {
 public:
  FileLockGuard(int fd, int operation) : fd_(fd), locked_(LockFile(fd, operation) == 0) {}
  ~FileLockGuard() {
    if (locked_) (void)LockFile(fd_, LOCK_UN);
  }
  FileLockGuard(const FileLockGuard&) = delete;
  FileLockGuard& operator=(const FileLockGuard&) = delete;
  bool locked() const { return locked_; }

 private:
  int fd_;
  bool locked_;
};

}  // namespace

std::string LogGenerationPath(const std::string& path, int generation) {
  return generation == 0 ? path : path + "." + std::to_string(generation);
}

Result<std::shared_ptr<RotatingLogFile>> RotatingLogFile::Open(std::string path,
                                                               RotationPolicy policy) {
  if (path.empty()) return Status(ErrorCode::kInvalidArgument, "empty log file path");
  if (policy.backup_count < 0) {
    return MakeError(ErrorCode::kInvalidArgument, "negative log backup count ", policy.backup_count,
                     " for '", path, "'");
  }
  std::shared_ptr<RotatingLogFile> file(new RotatingLogFile(std::move(path), policy));
  DC_RETURN_NOT_OK(file->OpenFiles());
  return file;
}

RotatingLogFile::~RotatingLogFile() { CloseFiles(); }

Status RotatingLogFile::OpenFiles() {
  CloseFiles();
  const std::string lock_path = path_ + ".lock";
  lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd_ < 0) return ErrnoError("cannot open log lock file", lock_path, errno);
  fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    const int err = errno;
    CloseFiles();
    return ErrnoError("cannot open log file", path_, err);
  }
  struct stat st {};
  if (::fstat(fd_, &st) != 0) {
    const int err = errno;
    CloseFiles();
    return ErrnoError("cannot stat log file", path_, err);
  }
  device_ = st.st_dev;
  inode_ = st.st_ino;
  owner_pid_ = ::getpid();
  return Status::OK();
}

void RotatingLogFile::CloseFiles() {
  if (fd_ >= 0) ::close(fd_);
  if (lock_fd_ >= 0) ::close(lock_fd_);
  fd_ = -1;
  lock_fd_ = -1;
}

Status RotatingLogFile::ReopenIfRotatedAway() {
  struct stat st {};
  if (::stat(path_.c_str(), &st) == 0 && st.st_dev == device_ && st.st_ino == inode_) {
    return Status::OK();
  }
  // Another process renamed the file to path.1 (or deleted it): follow the name. The lock
  // descriptor stays, since the caller holds a lock on it.
  int fd = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoError("cannot reopen log file", path_, errno);
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    return ErrnoError("cannot stat log file", path_, err);
  }
  ::close(fd_);
  fd_ = fd;
  device_ = st.st_dev;
  inode_ = st.st_ino;
  return Status::OK();
}

Status RotatingLogFile::Append(std::string_view record) {
  std::lock_guard<std::mutex> guard(mutex_);
  if (fd_ < 0 || owner_pid_ != ::getpid()) DC_RETURN_NOT_OK(OpenFiles());
  bool full = false;
  {
    FileLockGuard lock(lock_fd_, LOCK_SH);
    if (!lock.locked()) return ErrnoError("cannot lock log file", path_, errno);
    DC_RETURN_NOT_OK(ReopenIfRotatedAway());
    const char* data = record.data();
    std::size_t left = record.size();
    // One write per record keeps records whole; the loop only continues after a partial
    // write (disk full, signal), which a regular file otherwise never returns.
    while (left > 0) {
      const ssize_t written = ::write(fd_, data, left);
      if (written < 0) {
        if (errno == EINTR) continue;
        return ErrnoError("cannot write log file", path_, errno);
      }
      data += written;
      left -= static_cast<std::size_t>(written);
    }
    if (policy_.max_bytes > 0) {
      struct stat st {};
      full = ::fstat(fd_, &st) == 0 && static_cast<std::uint64_t>(st.st_size) >= policy_.max_bytes;
    }
  }
  return full ? RotateIfFull() : Status::OK();
}

Status RotatingLogFile::RotateIfFull() {
  FileLockGuard lock(lock_fd_, LOCK_EX);
  if (!lock.locked()) return ErrnoError("cannot lock log file", path_, errno);
  struct stat st {};
  const bool still_ours_and_full = ::stat(path_.c_str(), &st) == 0 && st.st_dev == device_ &&
                                   st.st_ino == inode_ &&
                                   static_cast<std::uint64_t>(st.st_size) >= policy_.max_bytes;
  if (still_ours_and_full) {
    const int keep = policy_.backup_count;
    if (keep == 0) {
      if (::unlink(path_.c_str()) != 0 && errno != ENOENT) {
        return ErrnoError("cannot remove full log file", path_, errno);
      }
    } else {
      // Shift only the generations that exist, so a large backup count costs nothing extra.
      int highest = 0;
      struct stat generation_stat {};
      while (highest < keep &&
             ::stat(LogGenerationPath(path_, highest + 1).c_str(), &generation_stat) == 0) {
        ++highest;
      }
      if (highest == keep) {
        const std::string oldest = LogGenerationPath(path_, keep);
        if (::unlink(oldest.c_str()) != 0 && errno != ENOENT) {
          return ErrnoError("cannot remove oldest log generation", oldest, errno);
        }
        --highest;
      }
      for (int generation = highest; generation >= 0; --generation) {
        const std::string from = LogGenerationPath(path_, generation);
        const std::string to = LogGenerationPath(path_, generation + 1);
        if (::rename(from.c_str(), to.c_str()) != 0 && errno != ENOENT) {
          return ErrnoError("cannot rotate log generation", from, errno);
        }
      }
    }
  }
  // Whether we rotated or another process did first, start writing the new file.
  return ReopenIfRotatedAway();
}

}  // namespace deltacat::util
