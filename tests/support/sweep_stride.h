#pragma once

#include <cstdlib>
#include <string>

namespace deltacat::testing {

/// How sparsely the exhaustive sweeps (a crash at every filesystem operation, hundreds of
/// random merge streams) step through their cases: 1, every case, in normal builds; 4 under
/// AddressSanitizer, where each case runs several times slower and repeating the same code
/// path finds no new memory error. DELTACAT_SWEEP_STRIDE overrides it (1 = every case).
inline int SweepStride() {
  if (const char* value = std::getenv("DELTACAT_SWEEP_STRIDE"); value != nullptr && *value) {
    const int stride = std::atoi(value);
    return stride >= 1 ? stride : 1;
  }
#if defined(__SANITIZE_ADDRESS__)
  return 4;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  return 4;
#else
  return 1;
#endif
#else
  return 1;
#endif
}

}  // namespace deltacat::testing
