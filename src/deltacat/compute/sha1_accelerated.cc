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
/// (0: rounds 0-19, 1: 20-39, 2: 40-59, 3: 60-79), on each of kLanes independent messages.
/// `previous` holds ABCD before the last group (its A, rotated, is the next group's E).
template <int kFunction, int kFirst, int kLast, int kLanes>
DELTACAT_SHA_TARGET inline void RoundGroups(__m128i (&abcd)[kLanes], __m128i (&previous)[kLanes],
                                            const __m128i (&messages)[kLanes][20]) {
  for (int i = kFirst; i < kLast; ++i) {
    for (int lane = 0; lane < kLanes; ++lane) {
      const __m128i e = _mm_sha1nexte_epu32(previous[lane], messages[lane][i]);
      previous[lane] = abcd[lane];
      abcd[lane] = _mm_sha1rnds4_epu32(abcd[lane], e, kFunction);
    }
  }
}

/// Compresses one 64-byte block into each of kLanes states with the SHA extensions. Each
/// message's rounds wait on one another, so with two lanes the second message's rounds fill the
/// first one's latency: hash bucketing hashes two rows at a time this way.
template <int kLanes>
DELTACAT_SHA_TARGET inline void CompressBlockLanes(uint32_t* const (&states)[kLanes],
                                                   const uint8_t* const (&blocks)[kLanes]) {
  const __m128i byte_swap = _mm_set_epi64x(0x0001020304050607ULL, 0x08090a0b0c0d0e0fULL);
  __m128i abcd[kLanes], e0[kLanes], abcd_saved[kLanes], e_saved[kLanes], previous[kLanes];
  __m128i messages[kLanes][20];
  for (int lane = 0; lane < kLanes; ++lane) {
    abcd[lane] =
        _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(states[lane])), 0x1B);
    e0[lane] = _mm_set_epi32(static_cast<int>(states[lane][4]), 0, 0, 0);
    abcd_saved[lane] = abcd[lane];
    e_saved[lane] = e0[lane];
    // The message schedule, four words per group: W[t] = rol1(W[t-3]^W[t-8]^W[t-14]^W[t-16]).
    for (int i = 0; i < 4; ++i) {
      messages[lane][i] = _mm_shuffle_epi8(
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(blocks[lane] + 16 * i)), byte_swap);
    }
  }
  for (int i = 4; i < 20; ++i) {
    for (int lane = 0; lane < kLanes; ++lane) {
      messages[lane][i] = _mm_sha1msg2_epu32(
          _mm_xor_si128(_mm_sha1msg1_epu32(messages[lane][i - 4], messages[lane][i - 3]),
                        messages[lane][i - 2]),
          messages[lane][i - 1]);
    }
  }
  for (int lane = 0; lane < kLanes; ++lane) {
    previous[lane] = abcd[lane];
    abcd[lane] = _mm_sha1rnds4_epu32(abcd[lane], _mm_add_epi32(e0[lane], messages[lane][0]), 0);
  }
  RoundGroups<0, 1, 5>(abcd, previous, messages);
  RoundGroups<1, 5, 10>(abcd, previous, messages);
  RoundGroups<2, 10, 15>(abcd, previous, messages);
  RoundGroups<3, 15, 20>(abcd, previous, messages);
  for (int lane = 0; lane < kLanes; ++lane) {
    e0[lane] = _mm_sha1nexte_epu32(previous[lane], e_saved[lane]);
    abcd[lane] = _mm_add_epi32(abcd[lane], abcd_saved[lane]);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(states[lane]), _mm_shuffle_epi32(abcd[lane], 0x1B));
    states[lane][4] = static_cast<uint32_t>(_mm_extract_epi32(e0[lane], 3));
  }
}

/// Compresses `blocks` 64-byte blocks into `state` with the SHA extensions.
DELTACAT_SHA_TARGET void CompressBlocks(uint32_t state[5], const uint8_t* data, size_t blocks) {
  for (; blocks > 0; --blocks, data += 64) {
    uint32_t* const states[1] = {state};
    const uint8_t* const block[1] = {data};
    CompressBlockLanes<1>(states, block);
  }
}

constexpr uint32_t kInitialState[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};

/// Writes the last `tail_size` (64 or 128) bytes SHA-1 hashes for `data`: its bytes after the
/// last full block, 0x80, zeros, then the message length in bits (big-endian). Returns
/// tail_size.
size_t PadTail(std::string_view data, uint8_t (&tail)[128]) {
  const size_t full_blocks = data.size() / 64;
  const size_t remaining = data.size() - full_blocks * 64;
  std::memset(tail, 0, sizeof(tail));
  if (remaining > 0) std::memcpy(tail, data.data() + full_blocks * 64, remaining);
  tail[remaining] = 0x80;
  const size_t tail_size = remaining < 56 ? 64 : 128;
  const uint64_t bits = static_cast<uint64_t>(data.size()) * 8;
  for (int i = 0; i < 8; ++i) tail[tail_size - 1 - i] = static_cast<uint8_t>(bits >> (8 * i));
  return tail_size;
}

std::array<uint8_t, 20> DigestOf(const uint32_t (&state)[5]) {
  std::array<uint8_t, 20> digest{};
  for (int i = 0; i < 5; ++i) {
    digest[4 * i] = static_cast<uint8_t>(state[i] >> 24);
    digest[4 * i + 1] = static_cast<uint8_t>(state[i] >> 16);
    digest[4 * i + 2] = static_cast<uint8_t>(state[i] >> 8);
    digest[4 * i + 3] = static_cast<uint8_t>(state[i]);
  }
  return digest;
}

std::array<uint8_t, 20> Sha1WithShaNi(std::string_view data) {
  uint32_t state[5];
  std::memcpy(state, kInitialState, sizeof(state));
  const size_t full_blocks = data.size() / 64;
  if (full_blocks > 0) {
    CompressBlocks(state, reinterpret_cast<const uint8_t*>(data.data()), full_blocks);
  }
  uint8_t tail[128];
  const size_t tail_size = PadTail(data, tail);
  CompressBlocks(state, tail, tail_size / 64);
  return DigestOf(state);
}

/// Two messages of at most 55 bytes (one padded block each), compressed side by side.
DELTACAT_SHA_TARGET void Sha1PairWithShaNi(std::string_view a, std::string_view b,
                                           std::array<uint8_t, 20>* digest_a,
                                           std::array<uint8_t, 20>* digest_b) {
  uint32_t state_a[5], state_b[5];
  std::memcpy(state_a, kInitialState, sizeof(state_a));
  std::memcpy(state_b, kInitialState, sizeof(state_b));
  uint8_t tail_a[128], tail_b[128];
  PadTail(a, tail_a);
  PadTail(b, tail_b);
  uint32_t* const states[2] = {state_a, state_b};
  const uint8_t* const blocks[2] = {tail_a, tail_b};
  CompressBlockLanes<2>(states, blocks);
  *digest_a = DigestOf(state_a);
  *digest_b = DigestOf(state_b);
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

void Sha1DigestPairAccelerated(std::string_view a, std::string_view b,
                               std::array<uint8_t, 20>* digest_a,
                               std::array<uint8_t, 20>* digest_b) {
#ifdef DELTACAT_HAVE_SHA_NI
  constexpr size_t kOneBlock = 55;  // the longest message that pads into one block
  if (kUseShaNi && a.size() <= kOneBlock && b.size() <= kOneBlock) {
    Sha1PairWithShaNi(a, b, digest_a, digest_b);
    return;
  }
#endif
  *digest_a = Sha1DigestAccelerated(a);
  *digest_b = Sha1DigestAccelerated(b);
}

}  // namespace deltacat::compute
