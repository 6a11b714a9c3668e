#!/usr/bin/env bash
# Installs the Debian packages the build needs, only when one is missing (idempotent).
# Arrow C++ is not here: it comes from the pinned pyarrow wheel in venv/.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libmsgpack-cxx-dev libxxhash-dev libcli11-dev libspdlog-dev libfmt-dev
  nlohmann-json3-dev libgtest-dev libgmock-dev libbenchmark-dev
  clang-format clang-tidy python3-venv
  clang-14 libclang-rt-14-dev  # make fuzz: libFuzzer is a clang runtime
)

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "Installing missing Debian packages: ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo_cmd=(sudo)
  else
    echo "error: missing packages (${missing[*]}) and not root; install them or run as root" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
