"""`runner.py ray` against a local Ray cluster (ray start --head on 127.0.0.1, 2 CPUs)."""

import json
from pathlib import Path

from conftest import RUNNER, run_tool

HERE = Path(__file__).resolve().parent
JOB_TIMEOUT = "300"


def ray_env(aws_env):
    env = dict(aws_env)
    env.pop("RAY_ADDRESS", None)
    return env


def test_basic_logging_runs_with_its_worker_as_a_ray_task(ray_cluster, aws_env, tmp_path):
    log_dir = tmp_path / "logs"
    script_args = {"--var1": "Try that", "--var2": "DeltaCAT", "--DELTACAT_APP_LOG_DIR": str(log_dir),
                   "--DELTACAT_LOGGER_USE_SINGLE_HANDLER": "False"}
    result = run_tool([RUNNER, "ray", "examples/basic_logging/basic_logging.py",
                       "--address", ray_cluster, "--script-args", json.dumps(script_args),
                       "--timeout", JOB_TIMEOUT], ray_env(aws_env))
    output = result.stdout
    assert result.returncode == 0, output + result.stderr
    assert "Submitted Ray job" in output and "finished: SUCCEEDED" in output
    for line in ("Driver Variable 1: Try that", "Driver Variable 2: DeltaCAT",
                 "Worker Variable 1: Try that", "Worker Variable 2: DeltaCAT",
                 "Worker ran as a Ray task"):
        assert line in output, output

    # The driver and the Ray worker (another process) logged to the directory passed as a
    # script argument, under the runner's file names (worker-dc.app.*.out), with DeltaCAT's
    # record keys.
    records = [json.loads(line) for line in (log_dir / "worker-dc.app.info.out").read_text().splitlines()]
    by_message = {r["message"]: r for r in records}
    driver = by_message["Driver Variable 1: Try that"]
    worker = by_message["Worker Variable 1: Try that"]
    assert driver["processID"] != worker["processID"]
    assert worker["loggerName"] == "basic_logging.worker"
    debug = (log_dir / "worker-dc.app.debug.out").read_text()
    assert "Worker System Environment" in debug


def test_package_url_and_stage_reach_the_script_and_failures_are_reported(
        ray_cluster, aws_env, stage):
    script = HERE / "scripts" / "print_environment.py"
    url = "https://example.invalid/deltacat-cpp-0.1.0-1700000000-linux-x86_64.tar.gz"
    ok = run_tool([RUNNER, "ray", script, "--address", ray_cluster, "-u", url,
                   "-a", '{"--var1": "x y"}', "--timeout", JOB_TIMEOUT], ray_env(aws_env))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert f"ENV STAGE={stage}" in ok.stdout
    assert "ENV var1=x y" in ok.stdout
    assert f"ENV DELTACAT_PACKAGE_URL={url}" in ok.stdout
    assert "ENV DELTACAT_APP_LOG_LEVEL=DEBUG" in ok.stdout

    failed = run_tool([RUNNER, "ray", script, "--address", ray_cluster,
                       "-a", '{"exit_code": 3}', "--timeout", JOB_TIMEOUT], ray_env(aws_env))
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "finished: FAILED" in failed.stdout


def test_missing_script_is_an_error_without_a_cluster(aws_env):
    result = run_tool([RUNNER, "ray", "no/such/script.py", "--address", "http://127.0.0.1:9"],
                      aws_env)
    assert result.returncode == 2 and "does not exist" in result.stderr
