# The `deltacat` target as an imported library: the libdeltacat.so that a development build
# (`make build`) already compiled from this same source tree. The wheel build uses it so that the
# library is compiled once; python/CMakeLists.txt bundles it with the wheel's RUNPATH.
if(NOT EXISTS "${DELTACAT_PREBUILT_LIBRARY}")
  message(FATAL_ERROR "DELTACAT_PREBUILT_LIBRARY: no such file: ${DELTACAT_PREBUILT_LIBRARY}")
endif()
get_filename_component(DELTACAT_PREBUILT_LIBRARY "${DELTACAT_PREBUILT_LIBRARY}" REALPATH)

# The same generated header the library was compiled with (version.h depends only on VERSION).
configure_file("${PROJECT_SOURCE_DIR}/cmake/version.h.in"
               "${PROJECT_BINARY_DIR}/generated/deltacat/version.h" @ONLY)

add_library(deltacat SHARED IMPORTED GLOBAL)
set_target_properties(deltacat PROPERTIES
  IMPORTED_LOCATION "${DELTACAT_PREBUILT_LIBRARY}"
  IMPORTED_SONAME "libdeltacat.so.${PROJECT_VERSION_MAJOR}"
  INTERFACE_INCLUDE_DIRECTORIES "${PROJECT_SOURCE_DIR}/include;${PROJECT_BINARY_DIR}/generated"
  INTERFACE_LINK_LIBRARIES "Arrow::arrow;Arrow::parquet;Arrow::acero;Arrow::dataset")
