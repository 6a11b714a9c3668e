"""`make deploy-s3` and dev/deploy/deploy_s3.py against moto_server."""

import hashlib
import io
import os
import platform
import re
import shutil
import subprocess
import sys
import zipfile

import pytest

from conftest import (
    DEPLOY_S3, REPO_ROOT, assert_loopback, aws_client, fetch, run_make_deploy_s3, run_tool,
)
from deploytools import deploy as deploy_output

VERSION = (REPO_ROOT / "VERSION").read_text().strip()
TARBALL = REPO_ROOT / "dist" / f"deltacat-cpp-{VERSION}-linux-{platform.machine()}.tar.gz"


def built_wheel():
    """The deltacat_cpp wheel `make build` put into dist/."""
    wheels = sorted((REPO_ROOT / "dist").glob(f"deltacat_cpp-{VERSION}-*.whl"))
    assert len(wheels) == 1, f"expected one deltacat_cpp wheel in dist/, found {wheels}"
    return wheels[0]


def machine_lines(stdout: str) -> dict:
    return deploy_output.parse_machine_lines(stdout)


def object_keys(s3, bucket: str) -> dict:
    listing = s3.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {o["Key"]: (o["ETag"], o["LastModified"]) for o in listing}


def test_make_deploy_s3_uploads_the_tarball_under_its_build_tag(aws_env, stage):
    result = run_make_deploy_s3(aws_env)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = machine_lines(result.stdout)

    tag = int(os.stat(TARBALL).st_mtime)
    key = f"deltacat-cpp-{VERSION}-{tag}-linux-{platform.machine()}.tar.gz"
    assert re.fullmatch(r"deltacat-cpp-[0-9.]+-\d{10}-linux-\w+\.tar\.gz", key)
    wheel = built_wheel()
    # PEP 491: the build tag goes between the version and the Python tag.
    name, version, rest = wheel.name.split("-", 2)
    wheel_key = f"{name}-{version}-{int(os.stat(wheel).st_mtime)}-{rest}"
    s3 = aws_client("s3", aws_env)
    bucket = f"deltacat-packages-{stage}"
    assert set(object_keys(s3, bucket)) == {key, key + ".sha256", wheel_key,
                                            wheel_key + ".sha256"}

    local = TARBALL.read_bytes()
    sha = hashlib.sha256(local).hexdigest()
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == local
    assert s3.get_object(Bucket=bucket, Key=key + ".sha256")["Body"].read() == (
        f"{sha}  {key}\n".encode()
    )
    # The URLs serve identical bytes, for 7 days, and are what the install lines use.
    url = lines["DELTACAT_TARBALL_URL"]
    assert_loopback(url)
    assert f"/{bucket}/{key}?" in url
    assert "X-Amz-Expires=604800" in url
    assert fetch(url) == local
    assert lines["DELTACAT_TARBALL_SHA256"] == sha
    assert f"curl -fsSL -o {key} '{url}'" in result.stdout
    # With a wheel in dist/, the presigned URL handed on is the wheel's: pip installs it.
    wheel_url = lines["DELTACAT_WHEEL_URL"]
    assert lines["DELTACAT_PRESIGNED_URL"] == wheel_url
    assert f"/{bucket}/{wheel_key}?" in wheel_url
    assert fetch(wheel_url) == wheel.read_bytes()


def test_rerun_is_idempotent(aws_env, stage):
    first = run_make_deploy_s3(aws_env)
    assert first.returncode == 0, first.stdout + first.stderr
    s3 = aws_client("s3", aws_env)
    bucket = f"deltacat-packages-{stage}"
    before = object_keys(s3, bucket)

    second = run_make_deploy_s3(aws_env)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "unchanged, already deployed" in second.stdout
    assert object_keys(s3, bucket) == before  # same keys, not re-uploaded
    lines = machine_lines(second.stdout)
    assert fetch(lines["DELTACAT_TARBALL_URL"]) == TARBALL.read_bytes()
    assert fetch(lines["DELTACAT_PRESIGNED_URL"]) == built_wheel().read_bytes()


def copy_dist_with_tarball(tmp_path, mtime: int):
    dist = tmp_path / "dist"
    dist.mkdir()
    copy = dist / TARBALL.name
    shutil.copyfile(TARBALL, copy)
    os.utime(copy, (mtime, mtime))
    return dist, copy


def test_region_other_than_us_east_1_gets_a_location_constraint(aws_env, stage, tmp_path):
    dist, _ = copy_dist_with_tarball(tmp_path, 1700000000)
    env = dict(aws_env, AWS_DEFAULT_REGION="us-west-2")
    for _ in range(2):  # the re-run finds the bucket it made
        result = run_tool([DEPLOY_S3, "--dist-dir", dist], env)
        assert result.returncode == 0, result.stdout + result.stderr
    s3 = aws_client("s3", aws_env, region="us-west-2")
    location = s3.get_bucket_location(Bucket=f"deltacat-packages-{stage}")
    assert location["LocationConstraint"] == "us-west-2"
    url = machine_lines(result.stdout)["DELTACAT_PRESIGNED_URL"]
    assert "us-west-2" in url and f"-1700000000-linux-" in url


def make_wheel(path, dist_name="deltacat_cpp", version=VERSION):
    """A minimal valid pure-Python wheel, standing in for the Python bindings' wheel."""
    info = f"{dist_name}-{version}.dist-info"
    files = {
        "deltacat_cpp_placeholder.py": "VALUE = 42\n",
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {dist_name}\nVersion: {version}\n",
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\n"
                          "Tag: py3-none-any\n",
    }
    record = "".join(f"{name},,\n" for name in files) + f"{info}/RECORD,,\n"
    with zipfile.ZipFile(path, "w") as wheel:
        for name, text in files.items():
            wheel.writestr(name, text)
        wheel.writestr(f"{info}/RECORD", record)


def test_wheels_in_dist_are_deployed_and_pip_installable(aws_env, stage, tmp_path):
    dist, _ = copy_dist_with_tarball(tmp_path, 1700000001)
    wheel = dist / f"deltacat_cpp-{VERSION}-py3-none-any.whl"
    make_wheel(wheel)
    os.utime(wheel, (1700000002, 1700000002))
    result = run_tool([DEPLOY_S3, "--dist-dir", dist], aws_env)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = machine_lines(result.stdout)

    key = f"deltacat_cpp-{VERSION}-1700000002-py3-none-any.whl"
    url = lines["DELTACAT_WHEEL_URL"]
    assert f"/deltacat-packages-{stage}/{key}?" in url
    assert lines["DELTACAT_PRESIGNED_URL"] == url  # the wheel is what pip installs
    assert lines["DELTACAT_WHEEL_REQUIREMENT"] == f"deltacat_cpp @ {url}"
    assert "to install run:" in result.stdout
    assert f"pip install 'deltacat_cpp @ {url}'" in result.stdout
    assert fetch(url) == wheel.read_bytes()

    # The printed command works: pip installs the wheel from the presigned URL.
    target = tmp_path / "site"
    pip = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-index", "--no-deps", "--quiet",
         "--disable-pip-version-check", "--target", str(target), lines["DELTACAT_WHEEL_REQUIREMENT"]],
        capture_output=True, text=True, timeout=300,
    )
    assert pip.returncode == 0, pip.stdout + pip.stderr
    assert (target / "deltacat_cpp_placeholder.py").read_text() == "VALUE = 42\n"


def test_existing_key_with_other_content_is_never_overwritten(aws_env, stage, tmp_path):
    dist, tarball = copy_dist_with_tarball(tmp_path, 1700000003)
    key = f"deltacat-cpp-{VERSION}-1700000003-linux-{platform.machine()}.tar.gz"
    s3 = aws_client("s3", aws_env)
    bucket = f"deltacat-packages-{stage}"
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key=key, Body=b"other bytes", Metadata={"sha256": "0" * 64})
    result = run_tool([DEPLOY_S3, "--dist-dir", dist], aws_env)
    assert result.returncode == 2
    assert "refusing to overwrite" in result.stderr
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == b"other bytes"


@pytest.mark.parametrize("bad_stage", ["Bad_Stage", "UPPER", "a" * 50])
def test_invalid_stage_is_rejected_before_anything_is_created(aws_env, bad_stage, tmp_path):
    dist, _ = copy_dist_with_tarball(tmp_path, 1700000004)
    result = run_tool([DEPLOY_S3, "--dist-dir", dist], dict(aws_env, DELTACAT_STAGE=bad_stage))
    assert result.returncode == 2
    assert "invalid S3 bucket name" in result.stderr and bad_stage in result.stderr
    buckets = [b["Name"] for b in aws_client("s3", aws_env).list_buckets()["Buckets"]]
    assert not any(bad_stage.lower() in b for b in buckets)


def test_empty_dist_is_a_clear_error(aws_env, tmp_path):
    (tmp_path / "dist").mkdir()
    result = run_tool([DEPLOY_S3, "--dist-dir", tmp_path / "dist"], aws_env)
    assert result.returncode == 2
    assert "run `make build` first" in result.stderr


def test_machine_lines_are_required_from_a_deploy():
    with pytest.raises(Exception, match="DELTACAT_PRESIGNED_URL"):
        deploy_output.parse_machine_lines("build output\nno url here\n")
    assert deploy_output.parse_machine_lines("x\nDELTACAT_PRESIGNED_URL=http://h/k?a=1&b=2\n") == {
        "DELTACAT_PRESIGNED_URL": "http://h/k?a=1&b=2"
    }
