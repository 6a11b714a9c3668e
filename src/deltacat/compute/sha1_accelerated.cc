#include "deltacat/compute/sha1_accelerated.h"

#include <algorithm>
#include <cstring>

#include "deltacat/util/sha1.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>
#define DELTACAT_HAVE_SHA_NI 1
#endif

namespace deltacat::compute {
namespace {

/// The longest message that pads into one 64-byte block.
constexpr size_t kOneBlockBytes = 55;

/// The words of a digest given as bytes.
Sha1Words WordsOf(const std::array<uint8_t, 20>& digest) {
  Sha1Words words{};
  for (size_t i = 0; i < words.size(); ++i) {
    words[i] = (uint32_t{digest[4 * i]} << 24) | (uint32_t{digest[4 * i + 1]} << 16) |
               (uint32_t{digest[4 * i + 2]} << 8) | uint32_t{digest[4 * i + 3]};
  }
  return words;
}

#ifdef DELTACAT_HAVE_SHA_NI

#define DELTACAT_SHA_TARGET __attribute__((target("sha,sse4.1,ssse3")))

/// Four rounds per message group for groups [kFirst, kLast), with round function kFunction
/// (0: rounds 0-19, 1: 20-39, 2: 40-59, 3: 60-79), on each of kLanes independent messages.
/// `previous` holds ABCD before the last group (its A, rotated, is the next group's E).
template <int kFunction, int kFirst, int kLast, int kLanes>
DELTACAT_SHA_TARGET inline void RoundGroups(__m128i (&abcd)[kLanes], __m128i (&previous)[kLanes],
                                            const __m128i (&messages)[kLanes][20]) {
#pragma GCC unroll 32
  for (int i = kFirst; i < kLast; ++i) {
#pragma GCC unroll 32
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
#pragma GCC unroll 32
  for (int lane = 0; lane < kLanes; ++lane) {
    abcd[lane] =
        _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(states[lane])), 0x1B);
    e0[lane] = _mm_set_epi32(static_cast<int>(states[lane][4]), 0, 0, 0);
    abcd_saved[lane] = abcd[lane];
    e_saved[lane] = e0[lane];
// The message schedule, four words per group: W[t] = rol1(W[t-3]^W[t-8]^W[t-14]^W[t-16]).
#pragma GCC unroll 32
    for (int i = 0; i < 4; ++i) {
      messages[lane][i] = _mm_shuffle_epi8(
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(blocks[lane] + 16 * i)), byte_swap);
    }
  }
#pragma GCC unroll 32
  for (int i = 4; i < 20; ++i) {
#pragma GCC unroll 32
    for (int lane = 0; lane < kLanes; ++lane) {
      messages[lane][i] = _mm_sha1msg2_epu32(
          _mm_xor_si128(_mm_sha1msg1_epu32(messages[lane][i - 4], messages[lane][i - 3]),
                        messages[lane][i - 2]),
          messages[lane][i - 1]);
    }
  }
#pragma GCC unroll 32
  for (int lane = 0; lane < kLanes; ++lane) {
    previous[lane] = abcd[lane];
    abcd[lane] = _mm_sha1rnds4_epu32(abcd[lane], _mm_add_epi32(e0[lane], messages[lane][0]), 0);
  }
  RoundGroups<0, 1, 5>(abcd, previous, messages);
  RoundGroups<1, 5, 10>(abcd, previous, messages);
  RoundGroups<2, 10, 15>(abcd, previous, messages);
  RoundGroups<3, 15, 20>(abcd, previous, messages);
#pragma GCC unroll 32
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

/// Pads a message of at most kOneBlockBytes into its single final block.
void PadOneBlock(std::string_view data, uint8_t (&block)[64]) {
  std::memset(block, 0, sizeof(block));
  // An empty view (a null key) may have no data pointer, which memcpy must not get.
  if (!data.empty()) std::memcpy(block, data.data(), data.size());
  block[data.size()] = 0x80;
  const uint64_t bits = static_cast<uint64_t>(data.size()) * 8;
  for (int i = 0; i < 8; ++i) block[63 - i] = static_cast<uint8_t>(bits >> (8 * i));
}

/// Four messages of at most kOneBlockBytes, compressed side by side.
DELTACAT_SHA_TARGET void Sha1FourOneBlockWithShaNi(const std::string_view* messages,
                                                   Sha1Words* out) {
  alignas(64) uint8_t blocks[4][64];
  uint32_t states[4][5];
  for (int lane = 0; lane < 4; ++lane) {
    PadOneBlock(messages[lane], blocks[lane]);
    std::memcpy(states[lane], kInitialState, sizeof(kInitialState));
  }
  uint32_t* const state_lanes[4] = {states[0], states[1], states[2], states[3]};
  const uint8_t* const block_lanes[4] = {blocks[0], blocks[1], blocks[2], blocks[3]};
  CompressBlockLanes<4>(state_lanes, block_lanes);
  for (int lane = 0; lane < 4; ++lane) std::memcpy(out[lane].data(), states[lane], 20);
}

/// Sixteen messages of at most kOneBlockBytes hashed in the sixteen 32-bit lanes of AVX-512
/// registers (multi-buffer SHA-1): the plain SHA-1 rounds, one message per lane. SHA-NI
/// compresses one block per instruction sequence but each round waits on the previous one;
/// sixteen lanes of ordinary vector arithmetic give more hashes per cycle.
/// Rotates every lane left by kBits. (The masked form: GCC 12 warns about the undefined
/// pass-through operand of _mm512_rol_epi32.)
template <int kBits>
__attribute__((target("avx512f"))) inline __m512i RotateLeft(__m512i x) {
  return _mm512_maskz_rol_epi32(static_cast<__mmask16>(0xFFFF), x, kBits);
}

/// The bytes of every lane in reverse order (big-endian words), without AVX512BW's byte
/// shuffle: swap the 16-bit halves, then the bytes within each half.
__attribute__((target("avx512f"))) inline __m512i ByteSwap(__m512i x) {
  const __m512i halves = RotateLeft<16>(x);
  return _mm512_ternarylogic_epi32(_mm512_set1_epi32(static_cast<int>(0xFF00FF00u)),
                                   _mm512_slli_epi32(halves, 8), _mm512_srli_epi32(halves, 8),
                                   0xCA);  // mask ? shifted left : shifted right
}

/// The SHA-1 of sixteen one-block messages laid out in `blocks` (16 x 64 bytes; see
/// Sha1PaddedBlockWords): the words that can hold message bytes or the 0x80 marker are gathered
/// across lanes (short keys leave the rest zero), and word 15 is the lane's bit length.
__attribute__((target("avx512f"))) void Sha1SixteenBlocksAvx512(const uint8_t* blocks,
                                                                const uint32_t* bit_lengths,
                                                                size_t longest, Sha1Words* out);

__attribute__((target("avx512f"))) void Sha1SixteenOneBlockAvx512(const std::string_view* messages,
                                                                  Sha1Words* out) {
  alignas(64) uint8_t blocks[16][64];
  alignas(64) uint32_t bit_lengths[16];
  size_t longest = 0;
  for (int lane = 0; lane < 16; ++lane) {
    // Only the words that can hold message bytes or the 0x80 marker are read below (the bit
    // length comes from bit_lengths), so the block needs no length field: one zeroing store,
    // the message, the marker.
    const std::string_view message = messages[lane];
    _mm512_store_si512(blocks[lane], _mm512_setzero_si512());
    // An empty view (a null key) may have no data pointer, which memcpy must not get.
    if (!message.empty()) std::memcpy(blocks[lane], message.data(), message.size());
    blocks[lane][message.size()] = 0x80;
    bit_lengths[lane] = static_cast<uint32_t>(message.size() * 8);
    longest = std::max(longest, message.size());
  }
  Sha1SixteenBlocksAvx512(&blocks[0][0], bit_lengths, longest, out);
}

__attribute__((target("avx512f"))) void Sha1SixteenBlocksAvx512(const uint8_t* blocks,
                                                                const uint32_t* bit_lengths,
                                                                size_t longest, Sha1Words* out) {
  const int data_words = static_cast<int>(longest / 4) + 1;
  const __m512i lane_offsets =
      _mm512_setr_epi32(0, 16, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240);
  __m512i w[16];
#pragma GCC unroll 16
  for (int j = 0; j < 14; ++j) {
    w[j] = j < data_words ? ByteSwap(_mm512_i32gather_epi32(
                                _mm512_add_epi32(lane_offsets, _mm512_set1_epi32(j)), blocks, 4))
                          : _mm512_setzero_si512();
  }
  w[14] = _mm512_setzero_si512();
  w[15] = _mm512_loadu_si512(bit_lengths);
  __m512i a = _mm512_set1_epi32(static_cast<int>(kInitialState[0]));
  __m512i b = _mm512_set1_epi32(static_cast<int>(kInitialState[1]));
  __m512i c = _mm512_set1_epi32(static_cast<int>(kInitialState[2]));
  __m512i d = _mm512_set1_epi32(static_cast<int>(kInitialState[3]));
  __m512i e = _mm512_set1_epi32(static_cast<int>(kInitialState[4]));
#pragma GCC unroll 80
  for (int t = 0; t < 80; ++t) {
    if (t >= 16) {  // W[t] = rol1(W[t-3] ^ W[t-8] ^ W[t-14] ^ W[t-16]), in a ring of 16
      const __m512i mixed =
          _mm512_ternarylogic_epi32(w[(t - 3) & 15], w[(t - 8) & 15], w[(t - 14) & 15], 0x96);
      w[t & 15] = RotateLeft<1>(_mm512_xor_si512(mixed, w[t & 15]));
    }
    __m512i f;
    uint32_t k;
    if (t < 20) {
      f = _mm512_ternarylogic_epi32(b, c, d, 0xCA);  // choose: (b & c) | (~b & d)
      k = 0x5A827999;
    } else if (t < 40) {
      f = _mm512_ternarylogic_epi32(b, c, d, 0x96);  // parity
      k = 0x6ED9EBA1;
    } else if (t < 60) {
      f = _mm512_ternarylogic_epi32(b, c, d, 0xE8);  // majority
      k = 0x8F1BBCDC;
    } else {
      f = _mm512_ternarylogic_epi32(b, c, d, 0x96);  // parity
      k = 0xCA62C1D6;
    }
    const __m512i temp = _mm512_add_epi32(
        _mm512_add_epi32(RotateLeft<5>(a), f),
        _mm512_add_epi32(_mm512_add_epi32(e, w[t & 15]), _mm512_set1_epi32(static_cast<int>(k))));
    e = d;
    d = c;
    c = RotateLeft<30>(b);
    b = a;
    a = temp;
  }
  alignas(64) uint32_t state[5][16];
  _mm512_store_si512(state[0],
                     _mm512_add_epi32(a, _mm512_set1_epi32(static_cast<int>(kInitialState[0]))));
  _mm512_store_si512(state[1],
                     _mm512_add_epi32(b, _mm512_set1_epi32(static_cast<int>(kInitialState[1]))));
  _mm512_store_si512(state[2],
                     _mm512_add_epi32(c, _mm512_set1_epi32(static_cast<int>(kInitialState[2]))));
  _mm512_store_si512(state[3],
                     _mm512_add_epi32(d, _mm512_set1_epi32(static_cast<int>(kInitialState[3]))));
  _mm512_store_si512(state[4],
                     _mm512_add_epi32(e, _mm512_set1_epi32(static_cast<int>(kInitialState[4]))));
  for (int lane = 0; lane < 16; ++lane) {
    for (int i = 0; i < 5; ++i) out[lane][i] = state[i][lane];
  }
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

/// Whether one-block messages are hashed sixteen at a time with AVX-512 (the CPU has it and the
/// OS saves its registers: __builtin_cpu_supports checks both).
const bool kUseAvx512 =
#ifdef DELTACAT_HAVE_SHA_NI
    __builtin_cpu_supports("avx512f") != 0;
#else
    false;
#endif

/// Hashes `count` (at most 16) one-block messages with the fastest means the CPU has.
void HashOneBlockGroup(const std::string_view* messages, size_t count, Sha1Words* out) {
#ifdef DELTACAT_HAVE_SHA_NI
  if (kUseAvx512 || kUseShaNi) {
    const size_t width = kUseAvx512 ? 16 : 4;
    std::string_view lanes[16];  // unused lanes hash "" and are dropped
    Sha1Words words[16];
    for (size_t begin = 0; begin < count; begin += width) {
      const size_t n = std::min(width, count - begin);
      std::copy(messages + begin, messages + begin + n, lanes);
      std::fill(lanes + n, lanes + width, std::string_view());
      if (kUseAvx512) {
        Sha1SixteenOneBlockAvx512(lanes, words);
      } else {
        Sha1FourOneBlockWithShaNi(lanes, words);
      }
      std::copy(words, words + n, out + begin);
    }
    return;
  }
#endif
  for (size_t i = 0; i < count; ++i) out[i] = WordsOf(Sha1Digest(messages[i]));
}

}  // namespace

bool Sha1IsHardwareAccelerated() { return kUseShaNi; }

bool Sha1HasPaddedBlockPath() {
#ifdef DELTACAT_HAVE_SHA_NI
  return kUseAvx512;
#else
  return false;
#endif
}

void Sha1PaddedBlockWords(const uint8_t* blocks, const uint32_t* bit_lengths, size_t count,
                          Sha1Words* out) {
#ifdef DELTACAT_HAVE_SHA_NI
  for (size_t begin = 0; begin < count; begin += 16) {
    const size_t n = std::min<size_t>(16, count - begin);
    size_t longest = 0;
    for (size_t lane = 0; lane < n; ++lane) {
      longest = std::max<size_t>(longest, bit_lengths[begin + lane] / 8);
    }
    if (n == 16) {
      Sha1SixteenBlocksAvx512(blocks + begin * 64, bit_lengths + begin, longest, out + begin);
      continue;
    }
    // The last lanes of a partial group hash the empty message; their digests are dropped.
    alignas(64) uint8_t tail[16][64] = {};
    alignas(64) uint32_t tail_bits[16] = {};
    Sha1Words words[16];
    std::memcpy(tail, blocks + begin * 64, n * 64);
    std::copy(bit_lengths + begin, bit_lengths + begin + n, tail_bits);
    for (size_t lane = n; lane < 16; ++lane) tail[lane][0] = 0x80;
    Sha1SixteenBlocksAvx512(&tail[0][0], tail_bits, longest, words);
    std::copy(words, words + n, out + begin);
  }
#else
  (void)blocks;
  (void)bit_lengths;
  (void)count;
  (void)out;
#endif
}

std::array<uint8_t, 20> Sha1DigestAccelerated(std::string_view data) {
#ifdef DELTACAT_HAVE_SHA_NI
  if (kUseShaNi) return Sha1WithShaNi(data);
#endif
  return Sha1Digest(data);
}

std::array<uint8_t, 20> Sha1WordsToBytes(const Sha1Words& words) {
  std::array<uint8_t, 20> digest{};
  for (size_t i = 0; i < words.size(); ++i) {
    digest[4 * i] = static_cast<uint8_t>(words[i] >> 24);
    digest[4 * i + 1] = static_cast<uint8_t>(words[i] >> 16);
    digest[4 * i + 2] = static_cast<uint8_t>(words[i] >> 8);
    digest[4 * i + 3] = static_cast<uint8_t>(words[i]);
  }
  return digest;
}

void Sha1DigestWordsAccelerated(std::span<const std::string_view> messages,
                                std::span<Sha1Words> out) {
  // One-block messages are gathered sixteen at a time; longer ones are hashed alone.
  std::string_view group[16];
  size_t group_index[16];
  Sha1Words words[16];
  size_t filled = 0;
  auto flush = [&]() {
    HashOneBlockGroup(group, filled, words);
    for (size_t lane = 0; lane < filled; ++lane) out[group_index[lane]] = words[lane];
    filled = 0;
  };
  for (size_t i = 0; i < messages.size(); ++i) {
    if (messages[i].size() > kOneBlockBytes) {
      out[i] = WordsOf(Sha1DigestAccelerated(messages[i]));
      continue;
    }
    group[filled] = messages[i];
    group_index[filled] = i;
    if (++filled == 16) flush();
  }
  if (filled > 0) flush();
}

}  // namespace deltacat::compute
