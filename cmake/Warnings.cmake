# Warnings are errors on our own code. Third-party headers come in as SYSTEM includes.
add_library(deltacat_warnings INTERFACE)
target_compile_options(deltacat_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Werror -Wno-unused-parameter -Wno-missing-field-initializers
  # GCC 12 reports false dangling pointers (GCC bug 107138) and false "may be used
  # uninitialized" members of std::shared_ptr inside temporaries (GCC bug 105562) at -O2.
  # (clang builds the sanitizer tree and knows neither flag.)
  $<$<CXX_COMPILER_ID:GNU>:-Wno-dangling-pointer -Wno-maybe-uninitialized>)
