#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace deltacat::compute {

/// SHA-1 of `data`, identical to deltacat::Sha1Digest, using the x86 SHA extensions (SHA-NI)
/// when the CPU has them and util's portable implementation otherwise. Hash bucketing computes
/// one SHA-1 per row (Python DeltaCAT's bucket formula), so this is its hot spot.
std::array<uint8_t, 20> Sha1DigestAccelerated(std::string_view data);

/// The SHA-1 of `a` and of `b`, as two Sha1DigestAccelerated calls would give them. With the
/// SHA extensions, two short messages (one block each, e.g. stringified integer keys) are
/// hashed side by side, which takes little more time than one.
void Sha1DigestPairAccelerated(std::string_view a, std::string_view b,
                               std::array<uint8_t, 20>* digest_a,
                               std::array<uint8_t, 20>* digest_b);

/// Whether Sha1DigestAccelerated uses the SHA extensions on this machine.
bool Sha1IsHardwareAccelerated();

}  // namespace deltacat::compute
