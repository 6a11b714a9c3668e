#!/usr/bin/env bash
# Runs clang-tidy (checks in .clang-tidy) over the library and CLI sources, in parallel,
# using the build's compile_commands.json. Exits non-zero on any finding.
set -euo pipefail
build_dir=${1:-build}
if [ ! -f "$build_dir/compile_commands.json" ]; then
  echo "error: $build_dir/compile_commands.json missing; run \`make build\` first" >&2
  exit 2
fi
mapfile -t sources < <(git ls-files --cached --others --exclude-standard 'src/*.cc')
[ ${#sources[@]} -gt 0 ] || exit 0
printf '%s\n' "${sources[@]}" |
  # GCC-only warning flags in the compile commands (e.g. -Wno-dangling-pointer) are not errors.
  xargs -P "$(nproc)" -n 4 clang-tidy -p "$build_dir" --quiet \
    --extra-arg=-Wno-unknown-warning-option 2>/dev/null |
  { grep -E "(warning|error):" && exit 1 || exit 0; }
