#pragma once

#include <string>
#include <string_view>

namespace deltacat::util {

/// Text that replaces a redacted secret.
inline constexpr std::string_view kRedacted = "***REDACTED***";

/// Whether a field name denotes a secret: it contains "secret", "token", "password", "passwd",
/// "signature", "credential", "authorization" or "private_key" (case-insensitive), e.g.
/// AWS_SECRET_ACCESS_KEY, SessionToken, X-Amz-Signature.
bool IsSecretFieldName(std::string_view name);

/// Replaces the value of every `name=value`, `name: value`, `"name": "value"` or
/// `'name': 'value'` pair whose name is a secret field name (see IsSecretFieldName) with
/// kRedacted. This covers environment dumps (AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN),
/// presigned URLs (X-Amz-Signature, X-Amz-Security-Token, X-Amz-Credential, SigV2 Signature)
/// and HTTP Authorization headers. A bare secret with no name in front cannot be recognised
/// and is left alone. Text without any of the key words is returned unchanged cheaply.
std::string RedactSecrets(std::string_view text);

}  // namespace deltacat::util
