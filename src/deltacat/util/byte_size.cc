#include "deltacat/util/byte_size.h"

#include <cctype>
#include <charconv>
#include <limits>
#include <string>

namespace deltacat {

Result<int64_t> ParseByteSize(std::string_view text) {
  const std::string shown(text);
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || value <= 0) {
    return MakeError(ErrorCode::kInvalidArgument, "invalid size '", shown,
                     "' (a positive byte count, e.g. 2GiB, 512MB, 1048576)");
  }
  std::string unit(end, text.data() + text.size());
  for (auto& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  int shift = 0;
  if (unit.empty() || unit == "b") {
    shift = 0;
  } else if (unit == "k" || unit == "kb" || unit == "kib") {
    shift = 10;
  } else if (unit == "m" || unit == "mb" || unit == "mib") {
    shift = 20;
  } else if (unit == "g" || unit == "gb" || unit == "gib") {
    shift = 30;
  } else if (unit == "t" || unit == "tb" || unit == "tib") {
    shift = 40;
  } else {
    return MakeError(ErrorCode::kInvalidArgument, "invalid size unit in '", shown,
                     "' (B, K, M, G or T, optionally followed by B or iB)");
  }
  if (value > (std::numeric_limits<int64_t>::max() >> shift)) {
    return MakeError(ErrorCode::kInvalidArgument, "size '", shown, "' is too large");
  }
  return value << shift;
}

}  // namespace deltacat
