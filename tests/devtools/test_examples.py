"""examples/basic_logging and examples/hello_world, C++ and Python, run locally (the Ray
path of basic_logging.py is covered by test_runner_ray.py)."""

import json
import os
import subprocess
import sys

import pytest

from conftest import BUILD_DIR, REPO_ROOT

VERSION = (REPO_ROOT / "VERSION").read_text().strip()


def example_env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DELTACAT_", "RAY_")) and k not in ("var1", "var2", "STAGE")}
    env.update(DELTACAT_APP_LOG_DIR=str(tmp_path / "app"),
               DELTACAT_SYS_LOG_DIR=str(tmp_path / "sys"),
               AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI-not-a-real-key",
               DELTACAT_CONSOLE_LOG_LEVEL="OFF")
    env.update(extra)
    return env


def binary(name):
    path = BUILD_DIR / "bin" / name
    assert path.exists(), f"{path} is missing: run `make build` first"
    return str(path)


def run(command, env):
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300,
                          cwd=REPO_ROOT)


def records(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


BASIC_LOGGING = {
    "cpp": lambda: [binary("basic_logging")],
    "python": lambda: [sys.executable, str(REPO_ROOT / "examples/basic_logging/basic_logging.py")],
}


@pytest.mark.parametrize("flavour", sorted(BASIC_LOGGING))
def test_basic_logging_logs_arguments_from_driver_and_worker(flavour, tmp_path):
    result = run(BASIC_LOGGING[flavour]() + ["--var1", "Try that", "--STAGE", "dev"],
                 example_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Writing INFO log line from Driver" in result.stdout

    info = records(tmp_path / "app" / "application.info.log")
    messages = [r["message"] for r in info]
    # --var2 was not given: skipped, so the default applies (no crash).
    assert messages == ["Driver Variable 1: Try that", "Driver Variable 2: default2",
                        "Worker Variable 1: Try that", "Worker Variable 2: default2"]
    assert all(r["level"] == "INFO" for r in info)
    assert info[0]["threadID"] != info[2]["threadID"]  # the worker is another thread
    for key in ("timestamp", "loggerName", "processID", "threadName", "filename", "lineno"):
        assert key in info[0]

    debug = records(tmp_path / "app" / "application.debug.log")
    environment = [r["message"] for r in debug if r["level"] == "DEBUG"]
    assert len(environment) == 1 and "Worker System Environment" in environment[0]
    assert "STAGE" in environment[0] and "dev" in environment[0]
    assert "wJalrXUtnFEMI" not in (tmp_path / "app" / "application.debug.log").read_text()


@pytest.mark.parametrize("flavour", sorted(BASIC_LOGGING))
def test_basic_logging_takes_variables_from_the_environment_and_single_handler(flavour, tmp_path):
    env = example_env(tmp_path, var1="from env", DELTACAT_LOGGER_USE_SINGLE_HANDLER="true")
    result = run(BASIC_LOGGING[flavour](), env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (tmp_path / "app" / "application.info.log").exists()
    messages = [r["message"] for r in records(tmp_path / "app" / "application.debug.log")]
    assert "Driver Variable 1: from env" in messages
    assert "Worker Variable 2: default2" in messages


def test_cpp_basic_logging_context_and_level(tmp_path):
    env = example_env(tmp_path, DELTACAT_APP_LOG_LEVEL="WARNING",
                      DELTACAT_LOGGER_CONTEXT='{"cluster": "c1"}')
    result = run([binary("basic_logging"), "--var1=x"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    # At WARNING nothing of this INFO/DEBUG example reaches the files.
    assert (tmp_path / "app" / "application.info.log").read_text() == ""
    env = example_env(tmp_path, DELTACAT_LOGGER_CONTEXT='{"cluster": "c1"}')
    result = run([binary("basic_logging"), "--var1=x", "--STAGE=beta"], env)
    assert result.returncode == 0
    first = records(tmp_path / "app" / "application.info.log")[0]
    assert first["additional_context"] == {"cluster": "c1", "stage": "beta"}


def test_cpp_basic_logging_rejects_unknown_arguments_and_bad_levels(tmp_path):
    bad_flag = run([binary("basic_logging"), "--nope"], example_env(tmp_path))
    assert bad_flag.returncode == 2 and "--nope" in bad_flag.stderr
    bad_level = run([binary("basic_logging")], example_env(tmp_path, DELTACAT_APP_LOG_LEVEL="LOUD"))
    assert bad_level.returncode == 2 and "DELTACAT_APP_LOG_LEVEL" in bad_level.stderr


HELLO_WORLD = {
    "cpp": lambda: [binary("hello_world")],
    "python": lambda: [sys.executable, str(REPO_ROOT / "examples/hello_world/hello_world.py")],
}


@pytest.mark.parametrize("flavour", sorted(HELLO_WORLD))
def test_hello_world_prints_versions_from_driver_and_worker(flavour, tmp_path):
    root = tmp_path / "catalog"
    for attempt in range(2):  # a rerun replaces the table instead of adding rows
        result = run(HELLO_WORLD[flavour](), example_env(tmp_path, DELTACAT_ROOT=str(root)))
        assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    driver, worker = lines.index("Hello, Driver!"), lines.index("Hello, Worker!")
    assert driver < worker
    if flavour == "cpp":
        assert f"DeltaCAT C++ Version: deltacat-cpp {VERSION} (arrow 16.0.0)" in lines
        assert lines.count("Arrow C++ Version: 16.0.0") == 2
    else:
        assert lines.count("pyarrow Version: 16.0.0") == 2
    table = result.stdout[result.stdout.index("Table hello_world in"):]
    assert str(root) in table
    assert table.count('"delta"') == 1 and table.count('"cat"') == 1, table
    assert root.is_dir()
