# Dependencies from Debian packages (installed by dev/setup/install-system-deps.sh).
find_package(Threads REQUIRED)
find_package(spdlog CONFIG REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
find_package(nlohmann_json CONFIG REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(XXHASH REQUIRED IMPORTED_TARGET libxxhash)

# msgpack-cxx is header-only. Its CMake package drags in Boost; we use it without Boost.
find_path(MSGPACK_INCLUDE_DIR msgpack.hpp REQUIRED)
add_library(msgpack_cxx INTERFACE IMPORTED GLOBAL)
set_target_properties(msgpack_cxx PROPERTIES
  INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "${MSGPACK_INCLUDE_DIR}"
  INTERFACE_COMPILE_DEFINITIONS "MSGPACK_NO_BOOST;MSGPACK_DEFAULT_API_VERSION=3")

if(DELTACAT_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(DELTACAT_BUILD_BENCHMARKS)
  find_package(benchmark CONFIG REQUIRED)
endif()
