#pragma once

// Starting this test binary again as a child process in a given role. The child runs its role
// from a static initializer, before gtest's main, when its role variable is set: a fresh
// process (posix_spawn + exec), never a fork of a parent that runs Arrow threads.

#include <spawn.h>
#include <sys/types.h>

#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

extern char** environ;

namespace deltacat::reliability {

/// Spawns /proc/self/exe with the current environment plus `extra` ("NAME=value" entries).
/// Returns the pid, or -1.
inline pid_t SpawnSelf(const std::vector<std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) env.emplace_back(*e);
  env.insert(env.end(), extra.begin(), extra.end());
  std::vector<char*> envp;
  for (auto& entry : env) envp.push_back(entry.data());
  envp.push_back(nullptr);
  std::string self = "/proc/self/exe";
  char* argv[] = {self.data(), nullptr};
  pid_t pid = -1;
  if (posix_spawn(&pid, "/proc/self/exe", nullptr, nullptr, argv, envp.data()) != 0) return -1;
  return pid;
}

/// An integer environment variable, or `fallback` when unset or empty.
inline int64_t EnvInt(const char* name, int64_t fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::atoll(value) : fallback;
}

}  // namespace deltacat::reliability
