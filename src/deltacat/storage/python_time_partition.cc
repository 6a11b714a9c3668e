#include "deltacat/storage/python_time_partition.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace deltacat::storage {

namespace internal {

namespace {

// 128-bit arithmetic for exact comparisons (a GCC/Clang extension; -Wpedantic needs the marker).
__extension__ typedef unsigned __int128 Uint128;

// |candidate * den - num| in units of 2^-shift, exactly. `candidate` is a positive finite
// double whose binary exponent is at least -shift.
Uint128 ScaledError(double candidate, int64_t num, int64_t den, int shift) {
  int exponent = 0;
  const double fraction = std::frexp(candidate, &exponent);  // candidate = fraction * 2^exp
  const auto mantissa = static_cast<uint64_t>(std::ldexp(fraction, 53));
  exponent -= 53;  // candidate = mantissa * 2^exponent
  Uint128 lhs = static_cast<Uint128>(mantissa) * static_cast<uint64_t>(den);
  lhs <<= (exponent + shift);
  const Uint128 rhs = static_cast<Uint128>(static_cast<uint64_t>(num)) << shift;
  return lhs > rhs ? lhs - rhs : rhs - lhs;
}

int MinimumExponent(double value) {
  int exponent = 0;
  std::frexp(value, &exponent);
  return exponent - 53;
}

bool HasEvenMantissa(double value) {
  int exponent = 0;
  const double fraction = std::frexp(value, &exponent);
  return (static_cast<uint64_t>(std::ldexp(fraction, 53)) & 1U) == 0;
}

// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
void CivilFromDays(int64_t days, int64_t& year, unsigned& month, unsigned& day) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  year = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  day = doy - (153 * mp + 2) / 5 + 1;
  month = mp < 10 ? mp + 3 : mp - 9;
  if (month <= 2) ++year;
}

std::string Pad(int64_t value, int width) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%0*lld", width, static_cast<long long>(value));
  return buffer;
}

}  // namespace

double RoundHalfEven(double x) {
  double rounded = std::round(x);
  if (std::fabs(x - rounded) == 0.5) rounded = 2.0 * std::round(x / 2.0);
  return rounded;
}

double CorrectlyRoundedQuotient(int64_t num, int64_t den) {
  // The 64-bit-mantissa long double quotient is within one ulp of the answer; pick the exact
  // nearest of it and its neighbours with integer arithmetic.
  const auto approx = static_cast<double>(static_cast<long double>(num) / den);
  if (num == 0) return 0.0;
  const double candidates[3] = {std::nextafter(approx, 0.0), approx,
                                std::nextafter(approx, HUGE_VAL)};
  int shift = 0;
  for (double c : candidates) shift = std::max(shift, -MinimumExponent(c));
  double best = candidates[0];
  Uint128 best_error = ScaledError(best, num, den, shift);
  for (int i = 1; i < 3; ++i) {
    const Uint128 error = ScaledError(candidates[i], num, den, shift);
    if (error < best_error || (error == best_error && HasEvenMantissa(candidates[i]))) {
      best = candidates[i];
      best_error = error;
    }
  }
  return best;
}

MinutePartition MinutePartitionOfSeconds(int64_t seconds) {
  int64_t days = seconds / 86400;
  int64_t rem = seconds % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  int64_t year = 0;
  unsigned month = 0;
  unsigned day = 0;
  CivilFromDays(days, year, month, day);
  return {Pad(year, 4), Pad(month, 2), Pad(day, 2), Pad(rem / 3600, 2), Pad((rem % 3600) / 60, 2)};
}

}  // namespace internal

Result<MinutePartition> PythonMinutePartition(int64_t epoch) {
  if (epoch < 0) {
    return MakeError(ErrorCode::kInvalidArgument, "epoch timestamp must be non-negative, got ",
                     epoch);
  }
  const size_t digits = std::to_string(epoch).size();
  if (digits < 10) {
    return MakeError(ErrorCode::kInvalidArgument, "epoch timestamp ", epoch,
                     " is too short (fewer than 10 digits)");
  }
  if (digits < 13) return internal::MinutePartitionOfSeconds(epoch);
  const int64_t denominator = digits >= 19 ? 1'000'000'000 : 1'000;
  const double timestamp = internal::CorrectlyRoundedQuotient(epoch, denominator);
  // CPython's _PyTime_DoubleToDenominator(d, 1e6, ROUND_HALF_EVEN) as used by fromtimestamp.
  double int_part = 0;
  const double frac_part = std::modf(timestamp, &int_part);
  const double micros = internal::RoundHalfEven(frac_part * 1e6);
  if (micros >= 1e6) int_part += 1.0;
  return internal::MinutePartitionOfSeconds(static_cast<int64_t>(int_part));
}

MinutePartition NaiveMinutePartition(int64_t epoch_ns) {
  int64_t seconds = epoch_ns / 1'000'000'000;
  if (epoch_ns < 0 && epoch_ns % 1'000'000'000 != 0) --seconds;
  return internal::MinutePartitionOfSeconds(seconds);
}

bool InMinuteBoundaryGuard(int64_t epoch_ns) {
  int64_t into_minute = epoch_ns % kNanosPerMinute;
  if (into_minute < 0) into_minute += kNanosPerMinute;
  return into_minute >= kNanosPerMinute - kMinuteBoundaryGuardNanos;
}

int64_t AvoidMinuteBoundaryGuard(int64_t epoch_ns) {
  if (!InMinuteBoundaryGuard(epoch_ns)) return epoch_ns;
  int64_t into_minute = epoch_ns % kNanosPerMinute;
  if (into_minute < 0) into_minute += kNanosPerMinute;
  return epoch_ns - into_minute + kNanosPerMinute;
}

}  // namespace deltacat::storage
