"""Fixtures for the developer-tool tests: moto_server, a Glue stub and a Ray cluster, all on
127.0.0.1, started and stopped by the tests with bounded waits.

Run with the project's venv: `venv/bin/python -m pytest tests/devtools` (part of
`make test-integration`). The tests find the venv from the interpreter running them.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.prefix) / "bin"
BUILD_DIR = Path(os.environ.get("DELTACAT_BUILD_DIR", REPO_ROOT / "build"))
DEPLOY_DIR = REPO_ROOT / "dev" / "deploy"
RUNNER = DEPLOY_DIR / "aws" / "scripts" / "runner.py"
DEPLOY_S3 = DEPLOY_DIR / "deploy_s3.py"
DEFAULT_TEST_TIMEOUT = 600

sys.path.insert(0, str(DEPLOY_DIR))


def pytest_collection_modifyitems(items):
    for item in items:
        if item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(DEFAULT_TEST_TIMEOUT))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout: float, what: str, process=None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what}: the process exited with status {process.returncode}")
        try:
            if predicate():
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise TimeoutError(f"{what} not ready within {timeout} s")


def port_open(port: int) -> bool:
    with socket.create_connection(("127.0.0.1", port), timeout=1):
        return True


def stop_process(process: subprocess.Popen, grace: float = 15) -> None:
    """Stops a process this test session started, by its pid."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=grace)


# --- moto_server --------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def moto_endpoint(tmp_path_factory):
    port = free_port()
    log = open(tmp_path_factory.mktemp("moto") / "moto_server.log", "w")
    process = subprocess.Popen(
        [str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        wait_until(lambda: port_open(port), 60, "moto_server", process)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_process(process)
        log.close()


def assert_loopback(url: str) -> None:
    """Guard: tests must never reach a real AWS endpoint."""
    host = urllib.parse.urlparse(url).hostname
    assert host == "127.0.0.1", f"test endpoint {url} is not on loopback"


@pytest.fixture
def stage():
    """A fresh stage per test, so tests sharing one moto_server never see each other's
    buckets or jobs."""
    return "t" + uuid.uuid4().hex[:12]


@pytest.fixture
def aws_env(moto_endpoint, stage):
    """Environment for tool subprocesses: dummy credentials, moto as every AWS endpoint, no
    developer configuration files, one attempt per call."""
    assert_loopback(moto_endpoint)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "DELTACAT_"))}
    env.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_ENDPOINT_URL=moto_endpoint,
        AWS_MAX_ATTEMPTS="1",
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        DELTACAT_STAGE=stage,
        PATH=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    )
    return env


def aws_client(service: str, env: dict, region: str = "us-east-1", endpoint: str = None):
    """A boto3 client for checking what the tools did, configured like they were."""
    import boto3
    from botocore.config import Config

    url = endpoint or env["AWS_ENDPOINT_URL"]
    assert_loopback(url)
    # moto reports a whole-object checksum for multipart uploads that botocore would compare
    # with the composite one; the tests compare the bytes themselves.
    config = Config(response_checksum_validation="when_required")
    return boto3.client(
        service, region_name=region, endpoint_url=url, config=config,
        aws_access_key_id="testing", aws_secret_access_key="testing",
    )


def run_tool(args, env, cwd=REPO_ROOT, timeout=600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *map(str, args)], env=env, cwd=cwd, capture_output=True, text=True,
        timeout=timeout,
    )


def run_make_deploy_s3(env, timeout=900) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "-C", str(REPO_ROOT), "--no-print-directory", "deploy-s3", f"VENV={sys.prefix}"],
        env=env, capture_output=True, text=True, timeout=timeout,
    )


def fetch(url: str) -> bytes:
    assert_loopback(url)
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


# --- A loopback Glue endpoint that records requests ---------------------------------------
class GlueStub:
    """Speaks the AWS Glue JSON 1.1 protocol on 127.0.0.1 and records every request.

    With `forward_to` (moto_server's URL) it relays each request to moto and its answer back:
    the tests then see exactly what the runner sent, which moto 5.1 does not keep (its job
    runs ignore StartJobRun's Arguments). Without it, it answers GetJob, UpdateJob (which moto
    lacks), GetJobRuns (paginated) and StartJobRun from preloaded state."""

    def __init__(self, jobs: dict = None, run_pages: list = None, forward_to: str = None):
        self.jobs = jobs or {}
        self.run_pages = run_pages or [[]]  # list of pages of runs
        self.forward_to = forward_to
        self.requests = []  # (operation, body)
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length)
                operation = self.headers.get("X-Amz-Target", "").split(".")[-1]
                stub.requests.append((operation, json.loads(raw or b"{}")))
                if stub.forward_to:
                    status, content_type, data = stub.forward(self.path, self.headers, raw)
                else:
                    status, payload = stub.handle(operation, json.loads(raw or b"{}"))
                    content_type, data = "application/x-amz-json-1.1", json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def forward(self, path: str, headers, raw: bytes):
        assert_loopback(self.forward_to)
        request = urllib.request.Request(
            self.forward_to + path, data=raw, method="POST",
            headers={k: v for k, v in headers.items() if k.lower() not in ("host", "content-length")},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Content-Type", ""), error.read()

    def handle(self, operation: str, body: dict):
        if operation == "GetJob":
            job = self.jobs.get(body["JobName"])
            if job is None:
                return 400, {"__type": "EntityNotFoundException", "Message": "no such job"}
            return 200, {"Job": job}
        if operation == "UpdateJob":
            self.jobs[body["JobName"]].update(body["JobUpdate"])
            return 200, {"JobName": body["JobName"]}
        if operation == "GetJobRuns":
            page = int(body.get("NextToken", "0"))
            out = {"JobRuns": self.run_pages[page] if page < len(self.run_pages) else []}
            if page + 1 < len(self.run_pages):
                out["NextToken"] = str(page + 1)
            return 200, out
        if operation == "StartJobRun":
            return 200, {"JobRunId": "jr_stub_1"}
        return 400, {"__type": "InvalidInputException", "Message": f"stub lacks {operation}"}

    def calls(self, operation: str) -> list:
        return [body for op, body in self.requests if op == operation]

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


@pytest.fixture
def glue_stub():
    stubs = []

    def make(jobs: dict = None, run_pages: list = None, forward_to: str = None) -> GlueStub:
        stub = GlueStub(jobs, run_pages, forward_to)
        stubs.append(stub)
        return stub

    yield make
    for stub in stubs:
        stub.close()


# --- A local Ray cluster ----------------------------------------------------------------------
def _children_by_parent() -> dict:
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append((int(entry), fields[19]))  # ppid, start
    return children


def _descendants(pid: int) -> list:
    """(pid, start time) of every descendant of `pid`, for killing exactly those later."""
    children = _children_by_parent()
    found, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child[0])
    return found


def _kill_if_same(pid: int, start_time: str) -> None:
    try:
        with open(f"/proc/{pid}/stat") as f:
            if f.read().rsplit(")", 1)[1].split()[19] != start_time:
                return  # the pid was reused by an unrelated process
        os.kill(pid, signal.SIGKILL)
    except (OSError, IndexError):
        pass


def _start_ray_head():
    """One attempt at `ray start --head --block` with its own temp dir and free ports.
    Returns (process, dashboard address, temp dir, log file) once the Jobs API answers."""
    temp_dir = tempfile.mkdtemp(prefix="dcray")  # short: Ray's socket paths are length-limited
    ports = {name: free_port() for name in (
        "port", "dashboard-port", "ray-client-server-port", "node-manager-port",
        "object-manager-port", "dashboard-agent-listen-port", "dashboard-agent-grpc-port",
        "metrics-export-port", "runtime-env-agent-port")}
    worker_base = free_port()
    command = [
        str(VENV_BIN / "ray"), "start", "--head", "--block", "--node-ip-address=127.0.0.1",
        # No --include-dashboard=true: with it, a dashboard slower than Ray's fixed 20 s start
        # window (a loaded 2-core machine) aborts `ray start`; without it Ray carries on and
        # the dashboard (which serves the Jobs API) comes up when it can, which we wait for.
        "--num-cpus=2", "--num-gpus=0", "--dashboard-host=127.0.0.1",
        f"--temp-dir={temp_dir}", "--disable-usage-stats", "--object-store-memory=100000000",
        f"--min-worker-port={worker_base}", f"--max-worker-port={worker_base + 40}",
        *[f"--{name}={port}" for name, port in ports.items()],
    ]
    env = dict(os.environ, RAY_USAGE_STATS_ENABLED="0",
               PATH=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    for key in ("RAY_ADDRESS", "DELTACAT_STAGE"):
        env.pop(key, None)
    log_path = Path(temp_dir) / "ray-start.log"
    log = open(log_path, "w")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env,
                               start_new_session=True)
    address = f"http://127.0.0.1:{ports['dashboard-port']}"

    def jobs_api_ready() -> bool:
        with urllib.request.urlopen(f"{address}/api/jobs/", timeout=5) as response:
            return response.status == 200

    try:
        wait_until(jobs_api_ready, 180, "Ray cluster (Jobs API)", process)
    except Exception:
        _stop_ray_head(process, temp_dir, log)
        log_tail = log_path.read_text()[-3000:] if log_path.exists() else ""
        raise RuntimeError(f"ray start failed:\n{log_tail}")
    return process, address, temp_dir, log


def _stop_ray_head(process, temp_dir, log) -> None:
    descendants = _descendants(process.pid)
    stop_process(process, grace=30)
    for pid, start_time in descendants:
        _kill_if_same(pid, start_time)
    log.close()
    subprocess.run(["rm", "-rf", temp_dir], check=False)


@pytest.fixture(scope="session")
def ray_cluster():
    """A local Ray cluster on 127.0.0.1 with 2 CPUs; yields the dashboard (Jobs API) address.

    A failed start is retried (3 attempts, each bounded). Stopped by SIGTERM to the
    `ray start --block` process (which shuts down what it started), then SIGKILL to any of its
    descendants still alive; never `ray stop`, which would stop every Ray on the machine."""
    errors = []
    for _ in range(3):
        try:
            process, address, temp_dir, log = _start_ray_head()
            break
        except RuntimeError as error:
            errors.append(str(error))
    else:
        raise RuntimeError("\n\n".join(errors))
    try:
        yield address
    finally:
        _stop_ray_head(process, temp_dir, log)
