#pragma once

#include <string>
#include <string_view>

namespace deltacat {

/// A new random (version 4, RFC 4122) UUID in its canonical lowercase form, e.g.
/// "2dfcb27d-4c1a-4b6e-9f3e-0a1b2c3d4e5f" — the same shape as Python's `str(uuid.uuid4())`.
/// Thread-safe; each thread draws from its own generator seeded from std::random_device.
std::string NewUuid4();

/// True when `text` is a UUID in canonical textual form: 36 characters, 8-4-4-4-12 hex digits
/// separated by '-'. Any version/variant and either letter case are accepted (Python accepts
/// them too), so IDs written by other tools still parse.
bool IsUuid(std::string_view text);

}  // namespace deltacat
