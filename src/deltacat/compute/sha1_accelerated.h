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

/// Whether Sha1PaddedBlockWords is available (the CPU has AVX-512).
bool Sha1HasPaddedBlockPath();

/// The SHA-1 of `count` messages of at most 55 bytes that the caller laid out in place, 64
/// bytes apart: each block holds the message, the 0x80 marker right after it, then zeros up
/// to byte 4 * (L / 4 + 1), L being the longest of the messages (later bytes, the length field
/// included, are not read); `bit_lengths[i]` is 8 times message i's length. Saves building
/// views and padding every lane. Only when Sha1HasPaddedBlockPath().
void Sha1PaddedBlockWords(const uint8_t* blocks, const uint32_t* bit_lengths, size_t count,
                          Sha1Words* out);

/// Whether Sha1DigestAccelerated uses the SHA extensions on this machine.
bool Sha1IsHardwareAccelerated();

}  // namespace deltacat::compute
