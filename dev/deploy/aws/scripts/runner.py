#!/usr/bin/env python3
"""Run a Python script remotely with your workspace's DeltaCAT C++ build.

  runner.py aws glue SCRIPT [-i ROLE] [-r REGION] [-d | -u URL] [-a JSON] [-w N] [-n NAME]
  runner.py ray SCRIPT --address ADDR [-d | -u URL] [-a JSON] [-r REGION] [--timeout S]

`aws glue` (AWS Glue for Ray): creates s3://deltacat-packages-{stage} and
s3://deltacat-glue-scripts-{stage} when missing, uploads SCRIPT, creates or updates the Glue
job deltacat-runner-{stage}, and starts it with the package freshly deployed by
--deploy-local-deltacat (`make deploy-s3`), else the package the job's latest run used.

`ray`: submits SCRIPT to a Ray cluster through the Ray Jobs API (ADDR is the dashboard,
e.g. http://127.0.0.1:8265) with the package and the script arguments, and streams its logs
until it ends; the exit status is 0 only if the job succeeded.

Either way, --script-args '{"--var1": "x"}' reaches the script as the environment variable
var1=x (Glue for Ray's convention: job arguments become environment variables), together with
STAGE and DeltaCAT's logging variables. stage = $DELTACAT_STAGE, else $USER. AWS
configuration (credentials, endpoint) comes from boto3's standard variables and files.
"""

import argparse
import asyncio
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from typing import Dict, Optional

DEPLOY_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REPO_ROOT = os.path.dirname(os.path.dirname(DEPLOY_DIR))
sys.path.insert(0, DEPLOY_DIR)

from deploytools import DeployError, naming  # noqa: E402
from deploytools import deploy as deploy_output  # noqa: E402
from deploytools.log import redact, tool_logger  # noqa: E402

log = tool_logger("runner")

DEFAULT_REGION = "us-east-1"
DEFAULT_GLUE_WORKERS = 25

#: Arguments every run gets. Their defaults put DeltaCAT's logs where Glue for Ray ships Ray's
#: logs to CloudWatch (and where a Ray node keeps them), one file per level.
LOGGING_ARGUMENTS = {
    "--DELTACAT_APP_LOG_LEVEL": "DEBUG",
    "--DELTACAT_SYS_LOG_LEVEL": "DEBUG",
    "--DELTACAT_APP_LOG_DIR": "/tmp/ray/session_latest/logs/",
    "--DELTACAT_SYS_LOG_DIR": "/tmp/ray/session_latest/logs/",
    "--DELTACAT_APP_INFO_LOG_BASE_FILE_NAME": "worker-dc.app.info.out",
    "--DELTACAT_SYS_INFO_LOG_BASE_FILE_NAME": "worker-dc.sys.info.out",
    "--DELTACAT_APP_DEBUG_LOG_BASE_FILE_NAME": "worker-dc.app.debug.out",
    "--DELTACAT_SYS_DEBUG_LOG_BASE_FILE_NAME": "worker-dc.sys.debug.out",
    "--DELTACAT_LOGGER_USE_SINGLE_HANDLER": "True",
}

#: Arguments that select the package; chosen by the runner, never by --script-args.
PIP_INSTALL = "--pip-install"
PACKAGE_URL = "--DELTACAT_PACKAGE_URL"
PACKAGE_SHA256 = "--DELTACAT_PACKAGE_SHA256"
PACKAGE_ARGUMENTS = (PIP_INSTALL, PACKAGE_URL, PACKAGE_SHA256)
RESERVED_ARGUMENTS = PACKAGE_ARGUMENTS + ("--STAGE",)

#: Job fields UpdateJob would reset when left out; carried over from the existing job.
PRESERVED_JOB_FIELDS = (
    "Description", "LogUri", "DefaultArguments", "NonOverridableArguments", "Connections",
    "MaxRetries", "Timeout", "NotificationProperty", "SecurityConfiguration",
)

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


# --- Arguments --------------------------------------------------------------------------------
def parse_script_args(text: Optional[str]) -> Dict[str, str]:
    """--script-args JSON -> {"--name": "value"}. Names may be given with or without the
    leading "--" and must be usable as environment variable names; values must be scalars."""
    if not text:
        return {}
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise DeployError(f"--script-args is not valid JSON ({error}): {text}") from error
    if not isinstance(raw, dict):
        raise DeployError(f"--script-args must be a JSON object, got: {text}")
    args = {}
    for key, value in raw.items():
        name = key[2:] if key.startswith("--") else key
        if f"--{name}" in RESERVED_ARGUMENTS:
            raise DeployError(
                f"--script-args may not set {key!r}: the runner sets it (use "
                "--deploy-local-deltacat or --deltacat-url to choose the package, "
                "DELTACAT_STAGE to choose the stage)"
            )
        if not _ENV_NAME.match(name):
            raise DeployError(
                f"--script-args key {key!r} cannot become an environment variable name"
            )
        if isinstance(value, (dict, list)) or value is None:
            raise DeployError(f"--script-args value of {key!r} must be a string or number")
        args[f"--{name}"] = value if isinstance(value, str) else json.dumps(value)
    return args


def base_arguments(stage: str) -> Dict[str, str]:
    """STAGE and DeltaCAT's logging settings, as job arguments."""
    return {"--STAGE": stage, **LOGGING_ARGUMENTS}


def as_environment(arguments: Dict[str, str]) -> Dict[str, str]:
    """Job arguments as the environment variables the script sees ("--x" -> "x")."""
    return {key[2:]: value for key, value in arguments.items() if key != PIP_INSTALL}


def script_key(script: str) -> str:
    """The script's object key: its path relative to the working directory, or its file name
    when it lies outside it."""
    relative = os.path.relpath(os.path.abspath(script))
    return os.path.basename(script) if relative.startswith("..") else relative


# --- Packages ---------------------------------------------------------------------------------
def deploy_local_build(stage: str, region: str) -> Dict[str, str]:
    """Runs `make deploy-s3` for `stage` in `region` (streaming its output) and returns its
    DELTACAT_* lines. Fails loudly if the build fails or no URL comes back."""
    command = ["make", "-C", REPO_ROOT, "--no-print-directory", "deploy-s3"]
    if sys.prefix != sys.base_prefix:  # run in a venv: let make use the same one
        command.append(f"VENV={sys.prefix}")
    env = dict(os.environ, DELTACAT_STAGE=stage, AWS_DEFAULT_REGION=region)
    log.info(f"deploying the workspace build: {' '.join(command)}")
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    output = []
    for line in process.stdout:
        output.append(line)
        sys.stderr.write(redact(line))
    if process.wait() != 0:
        raise DeployError(f"`make deploy-s3` failed with exit status {process.returncode}")
    return deploy_output.parse_machine_lines("".join(output))


def wheel_requirement(url: str) -> str:
    """`<dist> @ <url>` for a wheel URL (the distribution name taken from its file name)."""
    file_name = os.path.basename(urllib.parse.urlparse(url).path)
    return f"{naming.parse_wheel_name(file_name)['dist']} @ {url}"


def package_arguments(deployed: Optional[Dict[str, str]], url: Optional[str]) -> Dict[str, str]:
    """The package-selecting arguments for a fresh deploy or an explicit URL; {} for neither.

    A wheel is installed by Glue's --pip-install (or Ray's pip runtime env). The binary
    tarball, which pip cannot install, travels as DELTACAT_PACKAGE_URL (+ _SHA256) for the
    script to fetch."""
    args = {}
    if deployed is not None:
        if deploy_output.WHEEL_REQUIREMENT_KEY in deployed:
            args[PIP_INSTALL] = deployed[deploy_output.WHEEL_REQUIREMENT_KEY]
        if deploy_output.TARBALL_URL_KEY in deployed:
            args[PACKAGE_URL] = deployed[deploy_output.TARBALL_URL_KEY]
            args[PACKAGE_SHA256] = deployed[deploy_output.TARBALL_SHA256_KEY]
    elif url:
        if urllib.parse.urlparse(url).path.endswith(".whl"):
            args[PIP_INSTALL] = wheel_requirement(url)
        else:
            args[PACKAGE_URL] = url
    return args


def resolve_package(args, stage: str, region: str) -> Optional[Dict[str, str]]:
    """Deploys when asked; returns the new package arguments, or None to keep the last ones."""
    if args.deploy_local_deltacat:
        chosen = package_arguments(deploy_local_build(stage, region), None)
        if PIP_INSTALL not in chosen:
            log.info("no wheel was deployed (no Python bindings yet): the run gets the binary "
                     "tarball as DELTACAT_PACKAGE_URL and no --pip-install")
        return chosen
    if args.deltacat_url:
        return package_arguments(None, args.deltacat_url)
    return None


# --- AWS Glue ---------------------------------------------------------------------------------
def glue_job_definition(role: str, script_location: str, workers: int) -> dict:
    return {
        "Role": role,
        "GlueVersion": "4.0",
        "ExecutionProperty": {"MaxConcurrentRuns": 2},
        "WorkerType": "Z.2X",
        "NumberOfWorkers": workers,
        "Command": {
            "Name": "glueray",
            "Runtime": "Ray2.4",
            "PythonVersion": "3.9",
            "ScriptLocation": script_location,
        },
    }


def get_glue_job(glue, name: str) -> Optional[dict]:
    from botocore.exceptions import ClientError

    try:
        return glue.get_job(JobName=name)["Job"]
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "EntityNotFoundException":
            return None
        raise


def latest_run_arguments(glue, name: str) -> Dict[str, str]:
    """The arguments of the job's most recently started run ({} if it never ran), chosen by
    StartedOn over all pages: the API's order is not a documented contract (moto lists
    oldest first)."""
    runs = []
    for page in glue.get_paginator("get_job_runs").paginate(JobName=name):
        runs.extend(page.get("JobRuns", []))
    started = [run for run in runs if run.get("StartedOn") is not None]
    if not started:
        return {}
    return dict(max(started, key=lambda run: run["StartedOn"]).get("Arguments", {}))


def run_glue(args) -> int:
    import boto3

    from deploytools import s3

    stage = naming.resolve_stage()
    region = args.region
    job = args.glue_job_name or naming.job_name(stage)
    script_args = parse_script_args(args.script_args)
    if not os.path.isfile(args.script):
        raise DeployError(f"script {args.script!r} does not exist")
    glue = boto3.client("glue", region_name=region)
    existing = get_glue_job(glue, job)
    if existing is None and not args.glue_iam_role:
        raise DeployError(
            f"Glue job {job!r} does not exist yet in {region}: pass --glue-iam-role ROLE to "
            "create it (nothing was created)"
        )
    if existing is not None and existing.get("Command", {}).get("Name") != "glueray":
        raise DeployError(
            f"Glue job {job!r} exists but is a {existing.get('Command', {}).get('Name')!r} "
            "job, not a Ray (glueray) job; choose another --glue-job-name"
        )
    last_arguments = latest_run_arguments(glue, job) if existing is not None else {}

    client = s3.s3_client(region)
    s3.ensure_bucket(client, naming.package_bucket(stage), region)
    package = resolve_package(args, stage, region)

    bucket = naming.script_bucket(stage)
    if s3.ensure_bucket(client, bucket, region):
        log.info(f"created bucket s3://{bucket} in {region}")
    key = script_key(args.script)
    client.upload_file(args.script, bucket, key)
    location = f"s3://{bucket}/{key}"
    log.info(f"uploaded {args.script} -> {location}")

    role = args.glue_iam_role or existing["Role"]
    definition = glue_job_definition(role, location, args.glue_max_workers)
    if existing is None:
        glue.create_job(Name=job, **definition)
        log.info(f"created Glue job {job}")
    else:
        update = {f: existing[f] for f in PRESERVED_JOB_FIELDS if f in existing}
        update.update(definition)
        glue.update_job(JobName=job, JobUpdate=update)
        log.info(f"updated Glue job {job}")

    if package is None:
        package = {k: v for k, v in last_arguments.items() if k in PACKAGE_ARGUMENTS}
        if package:
            log.info("using the package of the job's latest run")
        else:
            log.info("no package given and none used before: the job runs without DeltaCAT "
                     "C++ (use --deploy-local-deltacat)")
    arguments = {**base_arguments(stage), **package}
    overridden = sorted(k for k in script_args if k in arguments)
    if overridden:
        log.info(f"--script-args override: {', '.join(overridden)}")
    arguments.update(script_args)
    run_id = glue.start_job_run(JobName=job, Arguments=arguments)["JobRunId"]
    print(f"Started Glue job {job} run {run_id} in {region}")
    print("Follow the driver and worker logs with:")
    quoted_region = shlex.quote(region)
    print(f"  aws --region {quoted_region} logs tail /aws-glue/ray/jobs/script-log --follow")
    print(f"  aws --region {quoted_region} logs tail /aws-glue/ray/jobs/ray-worker-out-logs "
          "--follow")
    return 0


# --- Ray Jobs ---------------------------------------------------------------------------------
def ray_runtime_env(script: str, working_dir: str, arguments: Dict[str, str]) -> dict:
    """The Ray runtime env: a working dir holding only the script (so nothing else of the
    caller's directory is uploaded), the arguments as environment variables, and pip for a
    wheel."""
    shutil.copy2(script, os.path.join(working_dir, os.path.basename(script)))
    env = {"working_dir": working_dir, "env_vars": as_environment(arguments)}
    if PIP_INSTALL in arguments:
        env["pip"] = [arguments[PIP_INSTALL]]
    return env


async def _stream_logs(client, job_id: str) -> None:
    async for lines in client.tail_job_logs(job_id):
        sys.stdout.write(lines)
        sys.stdout.flush()


def run_ray(args) -> int:
    try:
        from ray.job_submission import JobStatus, JobSubmissionClient
    except ImportError as error:
        raise DeployError(
            f"the ray target needs Ray's job client: pip install 'ray[default]==2.46.0' "
            f"({error})"
        ) from error
    script_args = parse_script_args(args.script_args)
    if not os.path.isfile(args.script):
        raise DeployError(f"script {args.script!r} does not exist")
    stage = naming.resolve_stage()
    from deploytools import s3

    region = s3.resolve_region(args.region)
    package = resolve_package(args, stage, region) or {}
    arguments = {**base_arguments(stage), **package, **script_args}

    client = JobSubmissionClient(args.address)
    with tempfile.TemporaryDirectory(prefix="deltacat-runner-") as working_dir:
        runtime_env = ray_runtime_env(args.script, working_dir, arguments)
        entrypoint = f"python {shlex.quote(os.path.basename(args.script))}"
        job_id = client.submit_job(entrypoint=entrypoint, runtime_env=runtime_env,
                                   metadata={"deltacat_stage": stage})
    print(f"Submitted Ray job {job_id} to {args.address}", flush=True)
    if args.no_wait:
        return 0
    try:
        asyncio.run(asyncio.wait_for(_stream_logs(client, job_id), timeout=args.timeout))
    except asyncio.TimeoutError:
        client.stop_job(job_id)
        print(f"Ray job {job_id} did not finish within {args.timeout} s; stopped it",
              file=sys.stderr)
        return 3
    # The log stream ends when the job does; the status may trail it briefly.
    deadline = time.monotonic() + 30
    status = client.get_job_status(job_id)
    while not status.is_terminal() and time.monotonic() < deadline:
        time.sleep(0.5)
        status = client.get_job_status(job_id)
    print(f"Ray job {job_id} finished: {status}", flush=True)
    return 0 if status == JobStatus.SUCCEEDED else 1


# --- Command line -----------------------------------------------------------------------------
def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("script", help="the Python script to run")
    parser.add_argument(
        "-a", "--script-args",
        help='JSON object of script arguments, e.g. \'{"--var1": "x"}\'; each reaches the '
             "script as an environment variable (var1=x)")
    package = parser.add_mutually_exclusive_group()
    package.add_argument(
        "-d", "--deploy-local-deltacat", action="store_true",
        help="build and deploy this workspace (`make deploy-s3`) and run with it; its "
             "presigned URL is valid for 7 days")
    package.add_argument(
        "-u", "--deltacat-url",
        help="run with the package at this URL (a wheel, or the binary tarball)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="runner.py", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    targets = parser.add_subparsers(dest="target", required=True, metavar="{aws,ray}")

    aws = targets.add_parser("aws", help="run on AWS", description="Run on AWS.")
    services = aws.add_subparsers(dest="service", required=True, metavar="{glue}")
    glue = services.add_parser(
        "glue", help="run with AWS Glue for Ray",
        description="Run SCRIPT as the Glue for Ray job deltacat-runner-{stage}.")
    _add_common(glue)
    glue.add_argument("-r", "--region", default=DEFAULT_REGION,
                      help=f"AWS region of the buckets and the job (default {DEFAULT_REGION})")
    glue.add_argument("-i", "--glue-iam-role",
                      help="IAM role for the job; required when the job does not exist yet")
    glue.add_argument("-w", "--glue-max-workers", type=int, default=DEFAULT_GLUE_WORKERS,
                      help=f"number of Glue workers (default {DEFAULT_GLUE_WORKERS})")
    glue.add_argument("-n", "--glue-job-name", help="job name (default deltacat-runner-{stage})")
    glue.set_defaults(handler=run_glue)

    ray = targets.add_parser(
        "ray", help="run on a Ray cluster through the Ray Jobs API",
        description="Submit SCRIPT to a Ray cluster and stream its logs.")
    _add_common(ray)
    ray.add_argument("--address", required=True,
                     help="the cluster's dashboard address, e.g. http://127.0.0.1:8265")
    ray.add_argument("-r", "--region",
                     help="AWS region of the package bucket for -d (default: boto3's, else "
                          "us-east-1)")
    ray.add_argument("--timeout", type=float, default=None,
                     help="stop the job and exit 3 if it runs longer than this many seconds")
    ray.add_argument("--no-wait", action="store_true",
                     help="print the job id and return without streaming logs")
    ray.set_defaults(handler=run_ray)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except DeployError as error:
        print(f"runner: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
