#!/usr/bin/env python3
"""Deploys the build in dist/ to s3://deltacat-packages-{stage}/ (`make deploy-s3`).

Uploads the binary tarball deltacat-cpp-<version>-<os>-<arch>.tar.gz, and every wheel in
dist/ when there is one, under names that carry a second-precision epoch build tag (PEP 491
position: right after the version), each with a .sha256 sidecar; creates the bucket when
missing; prints install instructions with presigned URLs valid for 7 days and the
machine-readable DELTACAT_PRESIGNED_URL=<url> line.

stage = $DELTACAT_STAGE, else $USER. AWS credentials, region and endpoint come from boto3's
standard configuration (AWS_PROFILE, AWS_DEFAULT_REGION, AWS_ENDPOINT_URL, ...).
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from deploytools import DeployError, deploy, naming, s3  # noqa: E402
from deploytools.log import tool_logger  # noqa: E402

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist-dir", default=os.path.join(REPO_ROOT, "dist"),
                        help="where `make build` put the artifacts (default: dist/)")
    parser.add_argument("--region", help="bucket region (default: boto3's, else us-east-1)")
    parser.add_argument("--expires-in", type=int, default=s3.MAX_PRESIGN_SECONDS,
                        help="presigned URL lifetime in seconds (default and maximum: 7 days)")
    args = parser.parse_args(argv)
    log = tool_logger("deploy-s3")
    try:
        stage = naming.resolve_stage()
        region = s3.resolve_region(args.region)
        version = deploy.read_version(REPO_ROOT)
        log.info(f"stage {stage}, region {region}, version {version}")
        result = deploy.deploy(args.dist_dir, version, stage, region, args.expires_in, log)
        expiry = s3.credentials_expire_before(result.expires_at)
        if expiry:
            log.warning(
                f"warning: your AWS credentials expire at {expiry.isoformat()}; the presigned "
                "URLs stop working then, before their 7 days are up"
            )
    except DeployError as error:
        print(f"deploy-s3: error: {error}", file=sys.stderr)
        return 2
    print(deploy.report(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
