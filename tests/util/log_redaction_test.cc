#include "deltacat/util/log_redaction.h"

#include <gtest/gtest.h>

#include <string>

namespace deltacat::util {
namespace {

TEST(LogRedaction, PythonEnvironmentDump) {
  const std::string text =
      "Worker System Environment: environ({'AWS_ACCESS_KEY_ID': 'AKIAEXAMPLE', "
      "'AWS_SECRET_ACCESS_KEY': 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', "
      "'AWS_SESSION_TOKEN': 'FwoGZXIvYXdzEXAMPLE+token==', 'HOME': '/root'})";
  const std::string redacted = RedactSecrets(text);
  EXPECT_EQ(redacted.find("wJalrXUtnFEMI"), std::string::npos) << redacted;
  EXPECT_EQ(redacted.find("FwoGZXIvYXdz"), std::string::npos) << redacted;
  EXPECT_NE(redacted.find("'AWS_SECRET_ACCESS_KEY': '***REDACTED***'"), std::string::npos)
      << redacted;
  EXPECT_NE(redacted.find("'AWS_ACCESS_KEY_ID': 'AKIAEXAMPLE'"), std::string::npos);
  EXPECT_NE(redacted.find("'HOME': '/root'"), std::string::npos);
}

TEST(LogRedaction, ShellStyleAssignments) {
  EXPECT_EQ(RedactSecrets("AWS_SECRET_ACCESS_KEY=abc/123+x AWS_REGION=us-west-2"),
            "AWS_SECRET_ACCESS_KEY=***REDACTED*** AWS_REGION=us-west-2");
}

TEST(LogRedaction, PresignedUrlSigV4) {
  const std::string url =
      "https://b.s3.amazonaws.com/k.tar.gz?X-Amz-Algorithm=AWS4-HMAC-SHA256"
      "&X-Amz-Credential=AKIAEXAMPLE%2F20240101%2Fus-east-1%2Fs3%2Faws4_request"
      "&X-Amz-Date=20240101T000000Z&X-Amz-Expires=604800&X-Amz-SignedHeaders=host"
      "&X-Amz-Security-Token=tok123secret&X-Amz-Signature=abcdef0123456789";
  const std::string redacted = RedactSecrets(url);
  EXPECT_EQ(redacted.find("abcdef0123456789"), std::string::npos) << redacted;
  EXPECT_EQ(redacted.find("tok123secret"), std::string::npos) << redacted;
  EXPECT_NE(redacted.find("X-Amz-Expires=604800"), std::string::npos) << redacted;
  EXPECT_NE(redacted.find("X-Amz-SignedHeaders=host"), std::string::npos) << redacted;
  EXPECT_NE(redacted.find("X-Amz-Signature=***REDACTED***"), std::string::npos) << redacted;
}

TEST(LogRedaction, PresignedUrlSigV2) {
  const std::string redacted =
      RedactSecrets("https://b.s3.amazonaws.com/k?AWSAccessKeyId=AKIA&Signature=xyz%3D&Expires=1");
  EXPECT_EQ(redacted,
            "https://b.s3.amazonaws.com/k?AWSAccessKeyId=AKIA&Signature=***REDACTED***"
            "&Expires=1");
}

TEST(LogRedaction, JsonAndEscapedJson) {
  EXPECT_EQ(RedactSecrets(R"({"SecretAccessKey": "abc", "Region": "eu-west-1"})"),
            R"({"SecretAccessKey": "***REDACTED***", "Region": "eu-west-1"})");
  const std::string escaped = RedactSecrets(R"({\"password\": \"hunter2\"})");
  EXPECT_EQ(escaped.find("hunter2"), std::string::npos) << escaped;
}

TEST(LogRedaction, AuthorizationHeader) {
  const std::string redacted = RedactSecrets(
      "Authorization: AWS4-HMAC-SHA256 Credential=AKIA/20240101/us-east-1/s3/aws4_request, "
      "SignedHeaders=host, Signature=0123abcd");
  EXPECT_EQ(redacted.find("0123abcd"), std::string::npos) << redacted;
  EXPECT_NE(redacted.find("SignedHeaders=host"), std::string::npos) << redacted;
}

TEST(LogRedaction, TextWithoutSecretsIsUnchanged) {
  const std::string text = "Driver Variable 1: Try that; s3://bucket/key?versionId=3";
  EXPECT_EQ(RedactSecrets(text), text);
  EXPECT_EQ(RedactSecrets(""), "");
}

TEST(LogRedaction, VeryLongValueDoesNotExhaustTheStack) {
  const std::string secret(4 << 20, 'x');
  const std::string redacted = RedactSecrets("token=" + secret + " tail");
  EXPECT_EQ(redacted, "token=***REDACTED*** tail");
}

TEST(LogRedaction, SecretFieldNames) {
  EXPECT_TRUE(IsSecretFieldName("AWS_SECRET_ACCESS_KEY"));
  EXPECT_TRUE(IsSecretFieldName("SessionToken"));
  EXPECT_TRUE(IsSecretFieldName("db_password"));
  EXPECT_TRUE(IsSecretFieldName("X-Amz-Signature"));
  EXPECT_FALSE(IsSecretFieldName("AWS_ACCESS_KEY_ID"));
  EXPECT_FALSE(IsSecretFieldName("var1"));
}

}  // namespace
}  // namespace deltacat::util
