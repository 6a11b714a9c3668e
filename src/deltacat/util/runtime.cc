#include "deltacat/runtime.h"

#include <arrow/config.h>
#include <arrow/filesystem/s3fs.h>
#if ARROW_VERSION_MAJOR >= 21
#include <arrow/compute/initialize.h>
#endif

#include "deltacat/version.h"

namespace deltacat {

Status InitializeRuntime() {
#if ARROW_VERSION_MAJOR >= 21
  // From Arrow 21 the compute kernels live in libarrow_compute and must be registered.
  DC_RETURN_NOT_OK(arrow::compute::Initialize());
#endif
  return Status::OK();
}

Status FinalizeRuntime() {
  // S3 must be finalized before static destructors run, or the AWS SDK may crash at exit.
  if (arrow::fs::IsS3Initialized() && !arrow::fs::IsS3Finalized()) {
    DC_RETURN_NOT_OK(arrow::fs::FinalizeS3());
  }
  return Status::OK();
}

RuntimeScope::RuntimeScope() : status_(InitializeRuntime()) {}

RuntimeScope::~RuntimeScope() { (void)FinalizeRuntime(); }

std::string VersionString() {
  return std::string("deltacat-cpp ") + DELTACAT_CPP_VERSION + " (arrow " +
         arrow::GetBuildInfo().version_string + ")";
}

}  // namespace deltacat
