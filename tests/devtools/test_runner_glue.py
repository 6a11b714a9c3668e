"""`runner.py aws glue` against moto_server, and its update path against a Glue stub."""

import hashlib
import json

import pytest

from conftest import REPO_ROOT, RUNNER, aws_client, fetch, run_tool

SCRIPT = "examples/basic_logging/basic_logging.py"

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


def runner(*args, env):
    return run_tool([RUNNER, *args], env)


@pytest.fixture
def recorded(aws_env, glue_stub):
    """Glue requests go through a recorder to moto_server: moto creates the job and the run,
    the recorder keeps StartJobRun's arguments (moto 5.1 drops them)."""
    recorder = glue_stub(forward_to=aws_env["AWS_ENDPOINT_URL"])
    return recorder, dict(aws_env, AWS_ENDPOINT_URL_GLUE=recorder.endpoint)


def only_run_arguments(glue, recorder, job):
    runs = glue.get_job_runs(JobName=job)["JobRuns"]
    assert len(runs) == 1  # moto made the run
    [start] = recorder.calls("StartJobRun")
    assert start["JobName"] == job
    return start["Arguments"]


def test_help_prints_usage():
    for args in (["-h"], ["aws", "glue", "-h"], ["ray", "-h"]):
        result = run_tool([RUNNER, *args], None)
        assert result.returncode == 0, result.stderr
        assert "usage: runner.py" in result.stdout
    assert "--glue-iam-role" in run_tool([RUNNER, "aws", "glue", "-h"], None).stdout
    assert "--address" in run_tool([RUNNER, "ray", "-h"], None).stdout


def test_creates_buckets_script_job_and_run(recorded, stage):
    recorder, aws_env = recorded
    url = "https://example.invalid/deltacat-cpp-0.1.0-1700000000-linux-x86_64.tar.gz?X-Amz-Expires=604800"
    result = runner("aws", "glue", SCRIPT, "--glue-iam-role", "AWSGlueServiceRole",
                    "--deltacat-url", url,
                    "--script-args", '{"--var1": "Try that", "var2": "DeltaCAT", "--n": 3}',
                    env=aws_env)
    assert result.returncode == 0, result.stdout + result.stderr

    s3 = aws_client("s3", aws_env)
    buckets = {b["Name"] for b in s3.list_buckets()["Buckets"]}
    assert {f"deltacat-packages-{stage}", f"deltacat-glue-scripts-{stage}"} <= buckets
    script = s3.get_object(Bucket=f"deltacat-glue-scripts-{stage}", Key=SCRIPT)["Body"].read()
    assert script == (REPO_ROOT / SCRIPT).read_bytes()

    glue = aws_client("glue", aws_env)
    job = glue.get_job(JobName=f"deltacat-runner-{stage}")["Job"]
    assert job["Role"] == "AWSGlueServiceRole"
    assert job["GlueVersion"] == "4.0"
    assert job["WorkerType"] == "Z.2X"
    assert job["NumberOfWorkers"] == 25
    assert job["ExecutionProperty"] == {"MaxConcurrentRuns": 2}
    assert job["Command"] == {
        "Name": "glueray",
        "Runtime": "Ray2.4",
        "PythonVersion": "3.9",
        "ScriptLocation": f"s3://deltacat-glue-scripts-{stage}/{SCRIPT}",
    }
    arguments = only_run_arguments(glue, recorder, f"deltacat-runner-{stage}")
    assert arguments == {
        "--STAGE": stage,
        **LOGGING_ARGUMENTS,
        "--DELTACAT_PACKAGE_URL": url,
        "--var1": "Try that",
        "--var2": "DeltaCAT",
        "--n": "3",
    }
    assert glue.get_job_runs(JobName=f"deltacat-runner-{stage}")["JobRuns"][0]["Id"] in result.stdout
    assert "logs tail /aws-glue/ray/jobs/script-log" in result.stdout


def test_wheel_url_becomes_pip_install_and_script_args_may_override_log_settings(recorded, stage):
    recorder, aws_env = recorded
    url = "https://example.invalid/deltacat_cpp-0.1.0-1700000000-cp39-cp39-linux_aarch64.whl?X=1"
    result = runner("aws", "glue", SCRIPT, "-i", "Role", "-u", url, "-w", "3",
                    "-a", '{"--DELTACAT_APP_LOG_LEVEL": "INFO"}', env=aws_env)
    assert result.returncode == 0, result.stdout + result.stderr
    glue = aws_client("glue", aws_env)
    assert glue.get_job(JobName=f"deltacat-runner-{stage}")["Job"]["NumberOfWorkers"] == 3
    arguments = only_run_arguments(glue, recorder, f"deltacat-runner-{stage}")
    assert arguments["--pip-install"] == f"deltacat_cpp @ {url}"
    assert "--DELTACAT_PACKAGE_URL" not in arguments
    assert arguments["--DELTACAT_APP_LOG_LEVEL"] == "INFO"


def test_other_regions_get_a_location_constraint(aws_env, stage):
    result = runner("aws", "glue", SCRIPT, "-i", "Role", "--region", "us-west-2", env=aws_env)
    assert result.returncode == 0, result.stdout + result.stderr
    s3 = aws_client("s3", aws_env, region="us-west-2")
    for bucket in (f"deltacat-packages-{stage}", f"deltacat-glue-scripts-{stage}"):
        assert s3.get_bucket_location(Bucket=bucket)["LocationConstraint"] == "us-west-2"
    glue = aws_client("glue", aws_env, region="us-west-2")
    assert glue.get_job(JobName=f"deltacat-runner-{stage}")["Job"]["Role"] == "Role"
    assert "aws --region us-west-2 logs tail" in result.stdout


def test_missing_role_for_a_new_job_fails_before_creating_anything(aws_env, stage):
    result = runner("aws", "glue", SCRIPT, env=aws_env)
    assert result.returncode == 2
    assert "--glue-iam-role" in result.stderr and "nothing was created" in result.stderr
    buckets = {b["Name"] for b in aws_client("s3", aws_env).list_buckets()["Buckets"]}
    assert not any(stage in b for b in buckets)


def test_invalid_stage_and_reserved_or_bad_script_args_are_rejected(aws_env):
    bad_stage = runner("aws", "glue", SCRIPT, "-i", "Role", env=dict(aws_env, DELTACAT_STAGE="Dev_1"))
    assert bad_stage.returncode == 2 and "invalid S3 bucket name" in bad_stage.stderr
    for args, message in (
        ('{"--pip-install": "evil"}', "may not set"),
        ('{"--STAGE": "prod"}', "may not set"),
        ('["--var1"]', "JSON object"),
        ("{not json", "not valid JSON"),
        ('{"--bad name": "x"}', "environment variable name"),
    ):
        result = runner("aws", "glue", SCRIPT, "-i", "Role", "-a", args, env=aws_env)
        assert result.returncode == 2 and message in result.stderr, (args, result.stderr)


def test_deploy_local_deltacat_runs_with_the_fresh_package(recorded, stage):
    recorder, aws_env = recorded
    result = runner("aws", "glue", SCRIPT, "-i", "Role", "--deploy-local-deltacat", env=aws_env)
    assert result.returncode == 0, result.stdout + result.stderr
    glue = aws_client("glue", aws_env)
    arguments = only_run_arguments(glue, recorder, f"deltacat-runner-{stage}")
    # dist/ holds the deltacat_cpp wheel: Glue pip-installs it from its presigned URL.
    requirement = arguments["--pip-install"]
    assert requirement.startswith("deltacat_cpp @ ") or requirement.startswith("deltacat-cpp @ ")
    url = requirement.split(" @ ", 1)[1]
    assert f"/deltacat-packages-{stage}/deltacat_cpp-" in url
    assert fetch(url)[:2] == b"PK"  # a zip: the wheel


def existing_job(stage, command="glueray"):
    return {
        f"deltacat-runner-{stage}": {
            "Name": f"deltacat-runner-{stage}",
            "Role": "arn:aws:iam::123456789012:role/OldRole",
            "Command": {"Name": command, "Runtime": "Ray2.4", "PythonVersion": "3.9",
                        "ScriptLocation": "s3://old/script.py"},
            "DefaultArguments": {"--keep": "me"},
            "Timeout": 60,
            "Description": "kept",
            "GlueVersion": "4.0",
            "WorkerType": "Z.2X",
            "NumberOfWorkers": 25,
        }
    }


def run_with_args(started_on, url):
    return {"Id": f"jr_{started_on}", "StartedOn": started_on, "JobRunState": "SUCCEEDED",
            "Arguments": {"--pip-install": f"deltacat_cpp @ {url}.whl",
                          "--DELTACAT_PACKAGE_URL": f"{url}.tar.gz", "--STAGE": "old"}}


def test_update_path_keeps_job_fields_and_reuses_the_latest_runs_package(aws_env, stage, glue_stub):
    # Runs arrive in neither newest-first nor oldest-first order, over two pages.
    stub = glue_stub(existing_job(stage), [
        [run_with_args(1000.0, "https://old"), run_with_args(3000.0, "https://newest")],
        [run_with_args(2000.0, "https://middle"), {"Id": "jr_never_started", "Arguments": {}}],
    ])
    env = dict(aws_env, AWS_ENDPOINT_URL_GLUE=stub.endpoint)
    result = runner("aws", "glue", SCRIPT, "-a", '{"--var1": "x"}', env=env)
    assert result.returncode == 0, result.stdout + result.stderr

    [update] = stub.calls("UpdateJob")
    assert update["JobName"] == f"deltacat-runner-{stage}"
    job_update = update["JobUpdate"]
    assert job_update["Role"] == "arn:aws:iam::123456789012:role/OldRole"  # reused without -i
    assert job_update["DefaultArguments"] == {"--keep": "me"}  # not wiped by UpdateJob
    assert job_update["Timeout"] == 60 and job_update["Description"] == "kept"
    assert job_update["Command"]["ScriptLocation"] == f"s3://deltacat-glue-scripts-{stage}/{SCRIPT}"
    assert len(stub.calls("GetJobRuns")) == 2  # both pages read

    [start] = stub.calls("StartJobRun")
    assert start["Arguments"] == {
        "--STAGE": stage,
        **LOGGING_ARGUMENTS,
        "--pip-install": "deltacat_cpp @ https://newest.whl",
        "--DELTACAT_PACKAGE_URL": "https://newest.tar.gz",
        "--var1": "x",
    }
    assert stub.calls("CreateJob") == []


def test_update_path_with_a_new_role_and_url(aws_env, stage, glue_stub):
    stub = glue_stub(existing_job(stage), [[run_with_args(1000.0, "https://old")]])
    env = dict(aws_env, AWS_ENDPOINT_URL_GLUE=stub.endpoint)
    result = runner("aws", "glue", SCRIPT, "-i", "NewRole", "-u", "https://new/p.tar.gz", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert stub.calls("UpdateJob")[0]["JobUpdate"]["Role"] == "NewRole"
    arguments = stub.calls("StartJobRun")[0]["Arguments"]
    assert arguments["--DELTACAT_PACKAGE_URL"] == "https://new/p.tar.gz"
    assert "--pip-install" not in arguments  # the explicit URL replaces the old package


def test_update_refuses_a_job_that_is_not_a_ray_job(aws_env, stage, glue_stub):
    stub = glue_stub(existing_job(stage, command="glueetl"), [[]])
    env = dict(aws_env, AWS_ENDPOINT_URL_GLUE=stub.endpoint)
    result = runner("aws", "glue", SCRIPT, env=env)
    assert result.returncode == 2 and "not a Ray (glueray) job" in result.stderr
    assert stub.calls("UpdateJob") == [] and stub.calls("StartJobRun") == []
