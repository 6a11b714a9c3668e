#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace deltacat::compute {

/// SHA-1 of `data`, identical to deltacat::Sha1Digest, using the x86 SHA extensions (SHA-NI)
/// when the CPU has them and util's portable implementation otherwise. Hash bucketing computes
/// one SHA-1 per row (Python DeltaCAT's bucket formula), so this is its hot spot.
std::array<uint8_t, 20> Sha1DigestAccelerated(std::string_view data);

/// A SHA-1 digest as its five 32-bit words: the digest is their big-endian bytes. Callers that
/// do arithmetic on the digest (the hash-bucket formula) skip the byte order conversion.
using Sha1Words = std::array<uint32_t, 5>;

/// The digest bytes of `words`.
std::array<uint8_t, 20> Sha1WordsToBytes(const Sha1Words& words);

/// The SHA-1 of every message, as Sha1DigestAccelerated would give it, into `out` (the same
/// length as `messages`). With the SHA extensions, messages that fit one block (at most 55
/// bytes, e.g. stringified integer keys) are hashed four side by side: one message's rounds
/// wait on one another, and the other lanes fill that latency.
void Sha1DigestWordsAccelerated(std::span<const std::string_view> messages,
                                std::span<Sha1Words> out);

/// Whether Sha1DigestAccelerated uses the SHA extensions on this machine.
bool Sha1IsHardwareAccelerated();

}  // namespace deltacat::compute
