#pragma once

#include <cstdint>
#include <string_view>

#include "deltacat/result.h"

namespace deltacat {

/// Parses a byte count written as digits with an optional unit: "1073741824", "2GiB", "512MB",
/// "100k" (K/M/G/T, with or without "B" or "iB", any case; all binary multiples). Anything else
/// (no digits, a sign, a fraction, an unknown unit, zero, a value over INT64_MAX bytes) is a
/// kInvalidArgument error naming `text`, never a silently truncated number: "256MiB" read as an
/// integer would be a budget of 256 bytes.
Result<int64_t> ParseByteSize(std::string_view text);

}  // namespace deltacat
