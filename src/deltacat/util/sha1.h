#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace deltacat {

/// The 20-byte SHA-1 digest of `data` (FIPS 180-4). Used for DeltaCAT's name-resolution
/// directories, not for security.
std::array<uint8_t, 20> Sha1Digest(std::string_view data);

/// The SHA-1 digest of `data` as 40 lowercase hex characters, like Python's
/// `hashlib.sha1(data).hexdigest()`.
std::string Sha1Hex(std::string_view data);

}  // namespace deltacat
