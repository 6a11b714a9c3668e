"""Stages, bucket and job names, and build-tagged artifact names."""

import ipaddress
import os
import re
from typing import Mapping, Optional

from deploytools import DeployError

STAGE_VARIABLE = "DELTACAT_STAGE"
PACKAGE_BUCKET_PREFIX = "deltacat-packages-"
SCRIPT_BUCKET_PREFIX = "deltacat-glue-scripts-"
JOB_NAME_PREFIX = "deltacat-runner-"

_BUCKET_CHARS = re.compile(r"^[a-z0-9.-]+$")


def bucket_name_problem(name: str) -> Optional[str]:
    """Why `name` is not a valid S3 general-purpose bucket name, or None if it is."""
    if not 3 <= len(name) <= 63:
        return f"it is {len(name)} characters long (allowed: 3 to 63)"
    if not _BUCKET_CHARS.match(name):
        bad = sorted(set(c for c in name if not re.match(r"[a-z0-9.-]", c)))
        return (
            f"it contains {''.join(bad)!r} "
            "(allowed: lowercase letters, digits, hyphens and dots)"
        )
    if not (name[0].isalnum() and name[-1].isalnum()):
        return "it must begin and end with a letter or digit"
    if ".." in name:
        return "it contains two adjacent dots"
    if ".-" in name or "-." in name:
        return "a dot is next to a hyphen"
    try:
        ipaddress.IPv4Address(name)
        return "it is formatted as an IP address"
    except ValueError:
        pass
    for prefix in ("xn--", "sthree-", "amzn-s3-demo-"):
        if name.startswith(prefix):
            return f"it starts with the reserved prefix {prefix!r}"
    for suffix in ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"):
        if name.endswith(suffix):
            return f"it ends with the reserved suffix {suffix!r}"
    return None


def resolve_stage(environ: Mapping[str, str] = os.environ) -> str:
    """The deploy stage: $DELTACAT_STAGE, else $USER.

    Raises DeployError when neither is set, or when the stage would make an invalid bucket
    name (e.g. an uppercase or underscored $USER).
    """
    source = STAGE_VARIABLE
    stage = environ.get(STAGE_VARIABLE)
    if not stage:
        source = "USER"
        stage = environ.get("USER")
    if not stage:
        raise DeployError(
            f"no deploy stage: set {STAGE_VARIABLE} (e.g. `export {STAGE_VARIABLE}=dev`); "
            "$USER is not set either"
        )
    for prefix in (PACKAGE_BUCKET_PREFIX, SCRIPT_BUCKET_PREFIX):
        problem = bucket_name_problem(prefix + stage)
        if problem:
            raise DeployError(
                f"stage {stage!r} (from ${source}) makes the invalid S3 bucket name "
                f"{prefix + stage!r}: {problem}. Set {STAGE_VARIABLE} to lowercase letters, "
                "digits and hyphens, e.g. `export DELTACAT_STAGE=dev`."
            )
    return stage


def package_bucket(stage: str) -> str:
    """The bucket that holds deployed packages for `stage`."""
    return PACKAGE_BUCKET_PREFIX + stage


def script_bucket(stage: str) -> str:
    """The bucket that holds runner scripts for `stage`."""
    return SCRIPT_BUCKET_PREFIX + stage


def job_name(stage: str) -> str:
    """The Glue job the runner creates for `stage`."""
    return JOB_NAME_PREFIX + stage


_TARBALL = re.compile(r"^(?P<dist>.+?)-(?P<version>\d[^-]*)-(?P<platform>.+)\.tar\.gz$")


def tagged_tarball_name(file_name: str, build_tag: int) -> str:
    """`deltacat-cpp-0.1.0-linux-x86_64.tar.gz` -> `deltacat-cpp-0.1.0-<tag>-linux-x86_64.tar.gz`.

    The build tag goes right after the version, where PEP 427/491 put a wheel's build tag.
    """
    match = _TARBALL.match(file_name)
    if not match:
        raise DeployError(
            f"{file_name!r} is not named <name>-<version>-<platform>.tar.gz; cannot tag it"
        )
    return f"{match['dist']}-{match['version']}-{build_tag}-{match['platform']}.tar.gz"


def parse_wheel_name(file_name: str) -> dict:
    """The fields of a wheel file name (PEP 427): dist, version, build (or None), python,
    abi, platform."""
    if not file_name.endswith(".whl"):
        raise DeployError(f"{file_name!r} is not a wheel")
    parts = file_name[: -len(".whl")].split("-")
    if len(parts) == 5:
        dist, version, python, abi, platform = parts
        build = None
    elif len(parts) == 6:
        dist, version, build, python, abi, platform = parts
    else:
        raise DeployError(
            f"{file_name!r} is not named "
            "<dist>-<version>[-<build>]-<python>-<abi>-<platform>.whl (PEP 427)"
        )
    return dict(dist=dist, version=version, build=build, python=python, abi=abi, platform=platform)


def tagged_wheel_name(file_name: str, build_tag: int) -> str:
    """The wheel's name with `build_tag` as its PEP 491 build tag (replacing any)."""
    w = parse_wheel_name(file_name)
    return f"{w['dist']}-{w['version']}-{build_tag}-{w['python']}-{w['abi']}-{w['platform']}.whl"
