"""S3 operations of the deploy tools: region-correct idempotent bucket creation, upload
that never replaces different content, and presigning."""

import datetime
import hashlib
import os
from typing import Optional

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from deploytools import DeployError

DEFAULT_REGION = "us-east-1"
#: SigV4's maximum lifetime of a presigned URL: 7 days.
MAX_PRESIGN_SECONDS = 7 * 24 * 3600


def resolve_region(explicit: Optional[str] = None) -> str:
    """`explicit`, else the region boto3 finds (AWS_REGION/AWS_DEFAULT_REGION/config), else
    us-east-1."""
    return explicit or boto3.session.Session().region_name or DEFAULT_REGION


def s3_client(region: str):
    """An S3 client for `region` that signs with SigV4 (required for presigned URLs outside
    us-east-1 and for 7-day lifetimes). The endpoint follows AWS_ENDPOINT_URL(_S3)."""
    return boto3.client("s3", region_name=region, config=Config(signature_version="s3v4"))


def _error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _http_status(error: ClientError) -> int:
    return int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))


def ensure_bucket(client, bucket: str, region: str) -> bool:
    """Creates `bucket` in `region` unless it exists and is ours; True if it was created.

    Outside us-east-1 the request carries a LocationConstraint, as S3 requires. A bucket
    already owned by us (BucketAlreadyOwnedByYou) counts as success; a bucket owned by someone
    else, or one in another region, is a DeployError that says what to do.
    """
    try:
        client.head_bucket(Bucket=bucket)
        return False
    except ClientError as error:
        status = _http_status(error)
        if status == 403:
            raise DeployError(
                f"bucket {bucket!r} exists but these credentials cannot use it (it may belong "
                "to another AWS account: bucket names are global). Choose another stage with "
                "DELTACAT_STAGE."
            ) from error
        if status == 301:
            actual = (
                error.response.get("ResponseMetadata", {})
                .get("HTTPHeaders", {})
                .get("x-amz-bucket-region", "another region")
            )
            raise DeployError(
                f"bucket {bucket!r} is in {actual}, not {region}; pass --region {actual}"
            ) from error
        if status != 404 and _error_code(error) not in ("404", "NoSuchBucket", "NotFound"):
            raise
    request = {"Bucket": bucket}
    if region != DEFAULT_REGION:
        request["CreateBucketConfiguration"] = {"LocationConstraint": region}
    try:
        client.create_bucket(**request)
    except ClientError as error:
        code = _error_code(error)
        if code == "BucketAlreadyOwnedByYou":
            return False
        if code == "BucketAlreadyExists":
            raise DeployError(
                f"bucket {bucket!r} is taken by another AWS account (bucket names are "
                "global); choose another stage with DELTACAT_STAGE"
            ) from error
        raise
    return True


def sha256_of_file(path: str) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _existing_sha256(client, bucket: str, key: str) -> Optional[str]:
    """The sha256 metadata of an existing object, "" if it has none, None if it is absent."""
    try:
        head = client.head_object(Bucket=bucket, Key=key)
    except ClientError as error:
        if _http_status(error) == 404:
            return None
        raise
    return head.get("Metadata", {}).get("sha256", "")


def put_if_absent(client, bucket: str, key: str, sha256: str, *, path: str = None,
                  body: bytes = None, content_type: str = "application/octet-stream") -> bool:
    """Uploads a file (`path`) or bytes (`body`) to s3://bucket/key with its SHA-256 in the
    object metadata. Returns False without uploading when the object is already there with
    the same SHA-256 (a re-run), and raises DeployError when it is there with other content:
    a deployed key is never overwritten, so a URL handed out earlier keeps serving what it
    served."""
    existing = _existing_sha256(client, bucket, key)
    if existing == sha256:
        return False
    if existing is not None:
        raise DeployError(
            f"s3://{bucket}/{key} already exists with different content (sha256 "
            f"{existing or 'unknown'}, local {sha256}); refusing to overwrite it. Rebuild "
            "(`make rebuild`) to get a new build tag."
        )
    extra = {"Metadata": {"sha256": sha256}, "ContentType": content_type}
    if path is not None:
        client.upload_file(path, bucket, key, ExtraArgs=extra)
    else:
        client.put_object(Bucket=bucket, Key=key, Body=body, **extra)
    return True


def presign_get(client, bucket: str, key: str, expires_in: int = MAX_PRESIGN_SECONDS) -> str:
    """A presigned HTTPS GET URL for the object, valid for `expires_in` seconds."""
    if not 1 <= expires_in <= MAX_PRESIGN_SECONDS:
        raise DeployError(
            f"presigned URL lifetime must be 1..{MAX_PRESIGN_SECONDS} seconds, got {expires_in}"
        )
    return client.generate_presigned_url(
        "get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=expires_in
    )


def credentials_expire_before(deadline: datetime.datetime) -> Optional[datetime.datetime]:
    """When the current (temporary) credentials expire, if that is before `deadline`.

    A presigned URL stops working when the credentials that signed it expire, which for
    STS/SSO credentials can be hours, not 7 days.
    """
    credentials = boto3.session.Session().get_credentials()
    expiry = getattr(credentials, "_expiry_time", None)
    if isinstance(expiry, datetime.datetime) and expiry < deadline:
        return expiry
    return None


def file_build_tag(path: str) -> int:
    """The second-precision epoch at which the artifact was built (its modification time).

    Using the build time rather than the deploy time makes a re-deploy of an unchanged build
    reuse the same object key, so re-running `make deploy-s3` is idempotent."""
    return int(os.stat(path).st_mtime)
