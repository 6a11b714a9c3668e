#include "deltacat/compute/sha1_accelerated.h"

#include <cstring>

#include "deltacat/util/sha1.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>
#define DELTACAT_HAVE_SHA_NI 1
#endif

namespace deltacat::compute {
namespace {

#ifdef DELTACAT_HAVE_SHA_NI

#define DELTACAT_SHA_TARGET __attribute__((target("sha,sse4.1,ssse3")))

/// Four rounds per message group for groups [kFirst, kLast), with round function kFunction
/// (0: rounds 0-19, 1: 20-39, 2: 40-59, 3: 60-79). `previous` holds ABCD before the last group
/// (its A, rotated, is the next group's E).
template <int kFunction, int kFirst, int kLast>
DELTACAT_SHA_TARGET inline void RoundGroups(__m128i& abcd, __m128i& previous,
                                            const __m128i* messages) {
  for (int i = kFirst; i < kLast; ++i) {
    const __m128i e = _mm_sha1nexte_epu32(previous, messages[i]);
    previous = abcd;
    abcd = _mm_sha1rnds4_epu32(abcd, e, kFunction);
  }
}

/// Compresses `blocks` 64-byte blocks into `state` with the SHA extensions.
DELTACAT_SHA_TARGET void CompressBlocks(uint32_t state[5], const uint8_t* data, size_t blocks) {
  const __m128i byte_swap = _mm_set_epi64x(0x0001020304050607ULL, 0x08090a0b0c0d0e0fULL);
  __m128i abcd = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(state)), 0x1B);
  __m128i e0 = _mm_set_epi32(static_cast<int>(state[4]), 0, 0, 0);
  for (; blocks > 0; --blocks, data += 64) {
    const __m128i abcd_saved = abcd;
    const __m128i e_saved = e0;
    // The message schedule, four words per group: W[t] = rol1(W[t-3]^W[t-8]^W[t-14]^W[t-16]).
    __m128i messages[20];
    for (int i = 0; i < 4; ++i) {
      messages[i] = _mm_shuffle_epi8(
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + 16 * i)), byte_swap);
    }
    for (int i = 4; i < 20; ++i) {
      messages[i] = _mm_sha1msg2_epu32(
          _mm_xor_si128(_mm_sha1msg1_epu32(messages[i - 4], messages[i - 3]), messages[i - 2]),
          messages[i - 1]);
    }
    __m128i previous = abcd;
    abcd = _mm_sha1rnds4_epu32(abcd, _mm_add_epi32(e0, messages[0]), 0);
    RoundGroups<0, 1, 5>(abcd, previous, messages);
    RoundGroups<1, 5, 10>(abcd, previous, messages);
    RoundGroups<2, 10, 15>(abcd, previous, messages);
    RoundGroups<3, 15, 20>(abcd, previous, messages);
    e0 = _mm_sha1nexte_epu32(previous, e_saved);
    abcd = _mm_add_epi32(abcd, abcd_saved);
  }
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state), _mm_shuffle_epi32(abcd, 0x1B));
  state[4] = static_cast<uint32_t>(_mm_extract_epi32(e0, 3));
}

std::array<uint8_t, 20> Sha1WithShaNi(std::string_view data) {
  uint32_t state[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
  const auto* bytes = reinterpret_cast<const uint8_t*>(data.data());
  const size_t full_blocks = data.size() / 64;
  if (full_blocks > 0) CompressBlocks(state, bytes, full_blocks);
  // The tail: remaining bytes, 0x80, zeros, then the message length in bits (big-endian).
  uint8_t tail[128] = {};
  const size_t remaining = data.size() - full_blocks * 64;
  if (remaining > 0) std::memcpy(tail, bytes + full_blocks * 64, remaining);
  tail[remaining] = 0x80;
  const size_t tail_size = remaining < 56 ? 64 : 128;
  const uint64_t bits = static_cast<uint64_t>(data.size()) * 8;
  for (int i = 0; i < 8; ++i) tail[tail_size - 1 - i] = static_cast<uint8_t>(bits >> (8 * i));
  CompressBlocks(state, tail, tail_size / 64);
  std::array<uint8_t, 20> digest{};
  for (int i = 0; i < 5; ++i) {
    digest[4 * i] = static_cast<uint8_t>(state[i] >> 24);
    digest[4 * i + 1] = static_cast<uint8_t>(state[i] >> 16);
    digest[4 * i + 2] = static_cast<uint8_t>(state[i] >> 8);
    digest[4 * i + 3] = static_cast<uint8_t>(state[i]);
  }
  return digest;
}

bool CpuHasShaNi() {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (__get_cpuid(1, &eax, &ebx, &ecx, &edx) == 0) return false;
  const bool ssse3 = (ecx & (1u << 9)) != 0;
  const bool sse41 = (ecx & (1u << 19)) != 0;
  if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) == 0) return false;
  const bool sha = (ebx & (1u << 29)) != 0;
  return ssse3 && sse41 && sha;
}

#endif  // DELTACAT_HAVE_SHA_NI

const bool kUseShaNi =
#ifdef DELTACAT_HAVE_SHA_NI
    CpuHasShaNi();
#else
    false;
#endif

}  // namespace

bool Sha1IsHardwareAccelerated() { return kUseShaNi; }

std::array<uint8_t, 20> Sha1DigestAccelerated(std::string_view data) {
#ifdef DELTACAT_HAVE_SHA_NI
  if (kUseShaNi) return Sha1WithShaNi(data);
#endif
  return Sha1Digest(data);
}

}  // namespace deltacat::compute
