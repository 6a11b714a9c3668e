# Imported targets for Arrow C++ taken from the pinned pyarrow wheel in the project's venv.
#
# The wheel ships headers and versioned shared libraries (libarrow.so.1600, ...) but no CMake
# package files, so we define the targets ourselves:
#   Arrow::arrow  Arrow::parquet  Arrow::acero  Arrow::dataset
# Headers are attached as SYSTEM includes so -Werror applies to our code only.
#
# Input:  DELTACAT_PYTHON  - the venv interpreter that has pyarrow installed.
# Output: DELTACAT_PYARROW_VERSION, DELTACAT_PYARROW_LIBDIR, the targets above.

if(NOT DELTACAT_PYTHON)
  message(FATAL_ERROR "DELTACAT_PYTHON is not set: configure through `make build`, or pass "
                      "-DDELTACAT_PYTHON=<venv>/bin/python")
endif()

# The pin lives in build-requirements.txt; read it so there is exactly one place to change.
file(STRINGS "${PROJECT_SOURCE_DIR}/build-requirements.txt" _pin_line REGEX "^pyarrow==")
string(REGEX REPLACE "^pyarrow==([0-9.]+).*$" "\\1" DELTACAT_PYARROW_PIN "${_pin_line}")
if(NOT DELTACAT_PYARROW_PIN)
  message(FATAL_ERROR "build-requirements.txt has no exact `pyarrow==X.Y.Z` pin")
endif()

execute_process(
  COMMAND "${DELTACAT_PYTHON}" -c
          "import pyarrow as pa; print(pa.__version__); print(pa.get_include()); print(pa.get_library_dirs()[0])"
  OUTPUT_VARIABLE _pa_out
  ERROR_VARIABLE _pa_err
  RESULT_VARIABLE _pa_rc
  OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT _pa_rc EQUAL 0)
  message(FATAL_ERROR "Cannot import pyarrow with ${DELTACAT_PYTHON}: ${_pa_err}\n"
                      "Run `make venv` to install pyarrow==${DELTACAT_PYARROW_PIN}.")
endif()
string(REPLACE "\n" ";" _pa_lines "${_pa_out}")
list(GET _pa_lines 0 DELTACAT_PYARROW_VERSION)
list(GET _pa_lines 1 _pa_include)
list(GET _pa_lines 2 DELTACAT_PYARROW_LIBDIR)

if(NOT DELTACAT_PYARROW_VERSION STREQUAL DELTACAT_PYARROW_PIN)
  message(FATAL_ERROR "pyarrow ${DELTACAT_PYARROW_VERSION} found in ${DELTACAT_PYTHON}, but the "
                      "project is pinned to pyarrow==${DELTACAT_PYARROW_PIN} (build-requirements.txt). "
                      "Run `make clean-venv venv`.")
endif()

# libarrow.so.1600 for 16.0.0: the SO version is major*100 + minor.
string(REGEX MATCH "^([0-9]+)\\.([0-9]+)" _ "${DELTACAT_PYARROW_VERSION}")
math(EXPR DELTACAT_ARROW_SOVERSION "${CMAKE_MATCH_1} * 100 + ${CMAKE_MATCH_2}")

function(_deltacat_import_arrow_lib target libname)
  set(_path "${DELTACAT_PYARROW_LIBDIR}/lib${libname}.so.${DELTACAT_ARROW_SOVERSION}")
  if(NOT EXISTS "${_path}")
    message(FATAL_ERROR "pyarrow wheel lacks ${_path}")
  endif()
  add_library(${target} SHARED IMPORTED GLOBAL)
  set_target_properties(${target} PROPERTIES
    IMPORTED_LOCATION "${_path}"
    IMPORTED_SONAME "lib${libname}.so.${DELTACAT_ARROW_SOVERSION}"
    INTERFACE_INCLUDE_DIRECTORIES "${_pa_include}"
    INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "${_pa_include}")
  foreach(_dep IN LISTS ARGN)
    set_property(TARGET ${target} APPEND PROPERTY INTERFACE_LINK_LIBRARIES ${_dep})
  endforeach()
endfunction()

_deltacat_import_arrow_lib(Arrow::arrow arrow)
_deltacat_import_arrow_lib(Arrow::parquet parquet Arrow::arrow)
_deltacat_import_arrow_lib(Arrow::acero arrow_acero Arrow::arrow)
_deltacat_import_arrow_lib(Arrow::dataset arrow_dataset Arrow::acero Arrow::parquet)

set(DELTACAT_ARROW_LIBRARIES
    "${DELTACAT_PYARROW_LIBDIR}/libarrow.so.${DELTACAT_ARROW_SOVERSION}"
    "${DELTACAT_PYARROW_LIBDIR}/libparquet.so.${DELTACAT_ARROW_SOVERSION}"
    "${DELTACAT_PYARROW_LIBDIR}/libarrow_acero.so.${DELTACAT_ARROW_SOVERSION}"
    "${DELTACAT_PYARROW_LIBDIR}/libarrow_dataset.so.${DELTACAT_ARROW_SOVERSION}")

message(STATUS "Arrow C++ ${DELTACAT_PYARROW_VERSION} from pyarrow at ${DELTACAT_PYARROW_LIBDIR}")
