"""Deploying what `make build` put in dist/ to s3://deltacat-packages-{stage}/, and the
machine-readable lines that hand the result to other tools (the runner)."""

import dataclasses
import datetime
import glob
import hashlib
import os
import shlex
from typing import Dict, List, Optional

from deploytools import DeployError, naming, s3

#: The URL to install from: the wheel's when a wheel was deployed, else the tarball's.
PRESIGNED_URL_KEY = "DELTACAT_PRESIGNED_URL"
TARBALL_URL_KEY = "DELTACAT_TARBALL_URL"
TARBALL_SHA256_KEY = "DELTACAT_TARBALL_SHA256"
WHEEL_URL_KEY = "DELTACAT_WHEEL_URL"
WHEEL_REQUIREMENT_KEY = "DELTACAT_WHEEL_REQUIREMENT"


@dataclasses.dataclass
class Artifact:
    """One deployed file."""

    kind: str  # "tarball" or "wheel"
    local_path: str
    key: str
    sha256: str
    url: str = ""
    uploaded: bool = False
    requirement: str = ""  # for wheels: "<dist> @ <url>"


@dataclasses.dataclass
class DeployResult:
    bucket: str
    region: str
    expires_at: datetime.datetime
    artifacts: List[Artifact]

    @property
    def tarball(self) -> Optional[Artifact]:
        return next((a for a in self.artifacts if a.kind == "tarball"), None)

    @property
    def wheels(self) -> List[Artifact]:
        return [a for a in self.artifacts if a.kind == "wheel"]


def read_version(repo_root: str) -> str:
    with open(os.path.join(repo_root, "VERSION")) as f:
        return f.read().strip()


def find_artifacts(dist_dir: str, version: str) -> List[Artifact]:
    """The binary tarball(s) of `version` and every wheel in `dist_dir`, with their
    build-tagged object keys. Raises DeployError when there is nothing to deploy."""
    if not os.path.isdir(dist_dir):
        raise DeployError(f"{dist_dir} does not exist: run `make build` first")
    found = []
    for path in sorted(glob.glob(os.path.join(dist_dir, f"deltacat-cpp-{version}-*.tar.gz"))):
        key = naming.tagged_tarball_name(os.path.basename(path), s3.file_build_tag(path))
        found.append(Artifact("tarball", path, key, s3.sha256_of_file(path)))
    for path in sorted(glob.glob(os.path.join(dist_dir, "*.whl"))):
        key = naming.tagged_wheel_name(os.path.basename(path), s3.file_build_tag(path))
        found.append(Artifact("wheel", path, key, s3.sha256_of_file(path)))
    if not any(a.kind == "tarball" for a in found):
        raise DeployError(
            f"no deltacat-cpp-{version}-*.tar.gz in {dist_dir}: run `make build` first"
        )
    return found


def deploy(dist_dir: str, version: str, stage: str, region: str,
           expires_in: int = s3.MAX_PRESIGN_SECONDS, log=None) -> DeployResult:
    """Uploads the artifacts (each with a `.sha256` sidecar) unless already there, and
    presigns them."""
    artifacts = find_artifacts(dist_dir, version)
    bucket = naming.package_bucket(stage)
    client = s3.s3_client(region)
    if s3.ensure_bucket(client, bucket, region) and log:
        log.info(f"created bucket s3://{bucket} in {region}")
    for artifact in artifacts:
        artifact.uploaded = s3.put_if_absent(
            client, bucket, artifact.key, artifact.sha256, path=artifact.local_path,
            content_type="application/gzip" if artifact.kind == "tarball" else "application/zip",
        )
        sidecar = f"{artifact.sha256}  {artifact.key}\n".encode()
        s3.put_if_absent(
            client, bucket, artifact.key + ".sha256", hashlib.sha256(sidecar).hexdigest(),
            body=sidecar, content_type="text/plain",
        )
        if log:
            verb = "uploaded" if artifact.uploaded else "already deployed, unchanged:"
            log.info(f"{verb} {artifact.local_path} -> s3://{bucket}/{artifact.key}")
        artifact.url = s3.presign_get(client, bucket, artifact.key, expires_in)
        if artifact.kind == "wheel":
            dist = naming.parse_wheel_name(os.path.basename(artifact.local_path))["dist"]
            artifact.requirement = f"{dist} @ {artifact.url}"
    expires_at = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(
        seconds=expires_in
    )
    return DeployResult(bucket, region, expires_at.replace(microsecond=0), artifacts)


def machine_lines(result: DeployResult) -> List[str]:
    """The KEY=value lines other tools parse (see parse_machine_lines)."""
    lines = []
    primary = result.wheels[0] if result.wheels else result.tarball
    lines.append(f"{PRESIGNED_URL_KEY}={primary.url}")
    if result.tarball:
        lines.append(f"{TARBALL_URL_KEY}={result.tarball.url}")
        lines.append(f"{TARBALL_SHA256_KEY}={result.tarball.sha256}")
    for wheel in result.wheels:
        lines.append(f"{WHEEL_URL_KEY}={wheel.url}")
        lines.append(f"{WHEEL_REQUIREMENT_KEY}={wheel.requirement}")
    return lines


def report(result: DeployResult) -> str:
    """What `make deploy-s3` prints on stdout: where things went, how to install them, and
    the machine-readable lines last."""
    days = round((result.expires_at - datetime.datetime.now(datetime.timezone.utc)).total_seconds() / 86400)
    out = [f"Deployed to s3://{result.bucket}/ ({result.region}):"]
    for a in result.artifacts:
        state = "uploaded" if a.uploaded else "unchanged, already deployed"
        out.append(f"  s3://{result.bucket}/{a.key}  ({state}; sha256 {a.sha256})")
    out.append(
        f"The presigned URLs below are valid for {days} days, until "
        f"{result.expires_at.isoformat().replace('+00:00', 'Z')} (or until the credentials "
        "that signed them expire)."
    )
    out.append("")
    for wheel in result.wheels:
        out.append("to install run:")
        out.append(f"  pip install {shlex.quote(wheel.requirement)}")
        out.append("")
    if not result.wheels:
        out.append(
            "No wheel in dist/ yet (the deltacat_cpp Python bindings are not built), so there "
            "is nothing to pip install; the binary tarball is below."
        )
        out.append("")
    tarball = result.tarball
    if tarball:
        name = tarball.key
        out.append("to install the binary tarball run:")
        out.append(f"  curl -fsSL -o {shlex.quote(name)} {shlex.quote(tarball.url)}")
        out.append(f"  echo {shlex.quote(tarball.sha256 + '  ' + name)} | sha256sum -c -")
        out.append(f"  tar -xzf {shlex.quote(name)}")
        out.append("  deltacat-cpp-*/bin/deltacat   # prints its version")
        out.append("")
    out.extend(machine_lines(result))
    return "\n".join(out)


def parse_machine_lines(text: str) -> Dict[str, str]:
    """The DELTACAT_* lines of a deploy's output as a dict (the last value of a key wins).

    Raises DeployError if the DELTACAT_PRESIGNED_URL line is missing: a caller that asked for
    a fresh deploy must never silently fall back to an older package."""
    values = {}
    for line in text.splitlines():
        key, sep, value = line.strip().partition("=")
        if sep and key in (PRESIGNED_URL_KEY, TARBALL_URL_KEY, TARBALL_SHA256_KEY,
                           WHEEL_URL_KEY, WHEEL_REQUIREMENT_KEY):
            values[key] = value
    if PRESIGNED_URL_KEY not in values:
        raise DeployError(
            f"the deploy printed no {PRESIGNED_URL_KEY}= line, so the new package's URL is "
            "unknown; refusing to continue with an older package"
        )
    return values
