#pragma once

#include <cstdint>
#include <string_view>

#include "deltacat/result.h"

namespace deltacat::cli {

/// Parses a point in time given on the command line: epoch nanoseconds ("1732430000000000000")
/// or ISO-8601 ("2026-11-24", "2026-11-24T06:59:11", "2026-11-24T06:59:11.123456789Z",
/// "2026-11-24 06:59:11+01:00"); no zone means UTC. Returns ns since the Unix epoch.
Result<int64_t> ParseTimeArgument(std::string_view text);

}  // namespace deltacat::cli
