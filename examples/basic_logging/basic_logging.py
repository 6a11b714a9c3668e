"""DeltaCAT's basic_logging example: script arguments become environment variables, and a
driver and a worker log them through the application logger.

    python examples/basic_logging/basic_logging.py --var1 "Try that" --var2 DeltaCAT --STAGE dev

--var1, --var2 and --STAGE are copied into os.environ (flags not given are skipped), which is
also how remote runners deliver them: `runner.py ... --script-args '{"--var1": "x"}'` sets
var1=x. The worker is a Ray task when a Ray cluster is reachable (RAY_ADDRESS is set, as in a
Ray job, or Ray is already initialized), else a thread.

Logs are JSON lines in $DELTACAT_APP_LOG_DIR (default /tmp/deltacat/var/output/logs/), per
DeltaCAT's logging variables. The script is self-contained so it can be uploaded on its own.
TODO(python-bindings): log through deltacat_cpp's logger (rotation, shared with C++) once the
Python bindings exist; this local JSON-lines logger follows the same variables and keys.
"""

import argparse
import datetime
import json
import logging
import os
import sys
import threading

ARGUMENTS = ("var1", "var2", "STAGE")
DEFAULT_LOG_DIR = "/tmp/deltacat/var/output/logs/"
#: The variables a worker needs to log like the driver.
FORWARDED_VARIABLES = (
    "STAGE",
    "var1",
    "var2",
    "DELTACAT_APP_LOG_LEVEL",
    "DELTACAT_SYS_LOG_LEVEL",
    "DELTACAT_APP_LOG_DIR",
    "DELTACAT_SYS_LOG_DIR",
    "DELTACAT_APP_INFO_LOG_BASE_FILE_NAME",
    "DELTACAT_SYS_INFO_LOG_BASE_FILE_NAME",
    "DELTACAT_APP_DEBUG_LOG_BASE_FILE_NAME",
    "DELTACAT_SYS_DEBUG_LOG_BASE_FILE_NAME",
    "DELTACAT_LOGGER_USE_SINGLE_HANDLER",
    "DELTACAT_LOGGER_CONTEXT",
)
SECRET_WORDS = ("SECRET", "TOKEN", "PASSWORD", "PASSWD", "SIGNATURE", "CREDENTIAL")


def store_cli_args_in_os_environ(argv=None) -> None:
    """Copies the given --var1/--var2/--STAGE into os.environ; missing ones are skipped.
    Unknown arguments are ignored (a runner may pass more than this script knows)."""
    parser = argparse.ArgumentParser(description="Log script arguments from driver and worker.")
    parser.add_argument("--var1", help="First argument to log.")
    parser.add_argument("--var2", help="Second argument to log.")
    parser.add_argument("--STAGE", help="Runtime environment stage (e.g. dev, alpha, prod).")
    args, _unknown = parser.parse_known_args(argv)
    for name, value in vars(args).items():
        if value is not None:
            os.environ[name] = value


def redacted_environment() -> dict:
    return {
        key: "***REDACTED***" if any(word in key.upper() for word in SECRET_WORDS) else value
        for key, value in os.environ.items()
    }


class JsonLinesFormatter(logging.Formatter):
    """One JSON object per record with DeltaCAT's record keys."""

    def format(self, record: logging.LogRecord) -> str:
        timestamp = datetime.datetime.fromtimestamp(record.created, datetime.timezone.utc)
        out = {
            "level": record.levelname,
            "message": record.getMessage(),
            "loggerName": record.name,
            "processName": record.processName,
            "processID": record.process,
            "threadName": record.threadName,
            "threadID": record.thread,
            "timestamp": timestamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{timestamp.microsecond // 1000:03d}Z",
            "filename": record.filename,
            "lineno": record.lineno,
        }
        context = os.environ.get("DELTACAT_LOGGER_CONTEXT")
        if context:
            try:
                out["additional_context"] = dict(json.loads(context))
            except (ValueError, TypeError):
                pass  # ignored, as DeltaCAT does
        return json.dumps(out, default=str)


def _env_true(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def configure_application_logger(name: str) -> logging.Logger:
    """DeltaCAT's rules: at DEBUG the debug file gets everything and the info file INFO and
    above (only the debug file with DELTACAT_LOGGER_USE_SINGLE_HANDLER); otherwise the info
    file gets records from the level up. Files are appended with one write per record, so the
    driver and workers on one node can share them. Configuring twice adds nothing."""
    logger = logging.getLogger(name)
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    directory = os.environ.get("DELTACAT_APP_LOG_DIR") or DEFAULT_LOG_DIR
    os.makedirs(directory, exist_ok=True)
    level = logging.getLevelName((os.environ.get("DELTACAT_APP_LOG_LEVEL") or "DEBUG").upper())
    if not isinstance(level, int):
        level = logging.DEBUG
    info = os.environ.get("DELTACAT_APP_INFO_LOG_BASE_FILE_NAME") or "application.info.log"
    debug = os.environ.get("DELTACAT_APP_DEBUG_LOG_BASE_FILE_NAME") or "application.debug.log"
    wanted = []
    if level <= logging.DEBUG:
        wanted.append((os.path.join(directory, debug), logging.DEBUG))
        if not _env_true("DELTACAT_LOGGER_USE_SINGLE_HANDLER"):
            wanted.append((os.path.join(directory, info), logging.INFO))
    else:
        wanted.append((os.path.join(directory, info), level))
    attached = {getattr(h, "baseFilename", None) for h in logger.handlers}
    for path, handler_level in wanted:
        if os.path.abspath(path) in attached:
            continue
        handler = logging.FileHandler(path)
        handler.setLevel(handler_level)
        handler.setFormatter(JsonLinesFormatter())
        logger.addHandler(handler)
    return logger


def _log(logger: logging.Logger, level: int, who: str, line: str, shown: str = None) -> None:
    directory = os.environ.get("DELTACAT_APP_LOG_DIR") or DEFAULT_LOG_DIR
    print(f"Writing {logging.getLevelName(level)} log line from {who} to {directory}: "
          f"'{shown or line}'", flush=True)
    logger.log(level, line, stacklevel=2)


def logging_worker(var1: str, var2: str) -> str:
    # Loggers are configured inside the worker: a Ray worker process inherits no handlers.
    logger = configure_application_logger("basic_logging.worker")
    _log(logger, logging.DEBUG, "Worker", f"Worker System Environment: {redacted_environment()}",
         "Worker System Environment: ... (secrets redacted)")
    _log(logger, logging.INFO, "Worker", f"Worker Variable 1: {var1}")
    _log(logger, logging.INFO, "Worker", f"Worker Variable 2: {var2}")
    return f"pid {os.getpid()}"


def ray_is_up() -> bool:
    """Whether to run the worker as a Ray task: Ray is installed and a cluster is reachable
    (RAY_ADDRESS is set, as in a Ray job or on a Glue for Ray driver) or Ray is initialized."""
    try:
        import ray
    except ImportError:
        return False
    return ray.is_initialized() or bool(os.environ.get("RAY_ADDRESS"))


def run_worker(var1: str, var2: str) -> str:
    if ray_is_up():
        import ray

        if not ray.is_initialized():
            address = os.environ.get("RAY_ADDRESS", "auto")
            if "RAY_JOB_CONFIG_JSON_ENV_VAR" in os.environ:
                # A Ray job: the job's runtime env (set by the runner) already reaches workers.
                ray.init(address=address)
            else:
                env_vars = {k: os.environ[k] for k in FORWARDED_VARIABLES if k in os.environ}
                ray.init(address=address, runtime_env={"env_vars": env_vars})
        print("Starting worker (Ray task)...", flush=True)
        return "Ray task " + ray.get(ray.remote(logging_worker).remote(var1, var2))
    print("Starting worker (thread)...", flush=True)
    result = []
    thread = threading.Thread(target=lambda: result.append(logging_worker(var1, var2)),
                              name="basic-logging-worker")
    thread.start()
    thread.join()
    return "thread in " + result[0]


def run(var1: str = "default1", var2: str = "default2", **_environment) -> None:
    driver = configure_application_logger("basic_logging")
    _log(driver, logging.INFO, "Driver", f"Driver Variable 1: {var1}")
    _log(driver, logging.INFO, "Driver", f"Driver Variable 2: {var2}")
    where = run_worker(var1, var2)
    print(f"Worker ran as a {where}", flush=True)
    sys_dir = os.environ.get("DELTACAT_SYS_LOG_DIR") or DEFAULT_LOG_DIR
    print("The driver is shutting down. Additional DeltaCAT system logs have been written to "
          f"{sys_dir}", flush=True)


if __name__ == "__main__":
    store_cli_args_in_os_environ()
    run(**os.environ)
