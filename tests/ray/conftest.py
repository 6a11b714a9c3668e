"""A local Ray cluster for the tests of compact(executor="ray").

The session fixture starts a head node (`ray start --head --block` on 127.0.0.1, 2 CPUs) in
its own process group, waits (bounded) until it accepts a driver, connects this process to
it, and at the end disconnects and stops exactly that process group. Workers run this
interpreter (the one that started the node), so they import the same deltacat_cpp.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pytest

import deltacat_cpp

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT_SECONDS = 120
STOP_TIMEOUT_SECONDS = 60


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, deadline: float) -> None:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"ray start exited with {process.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.5)
    raise TimeoutError(f"the Ray head node did not open port {port} in time")


@pytest.fixture(scope="session")
def ray_cluster():
    """The address of a running local Ray cluster this process is connected to."""
    import ray

    # Ray's socket paths must stay short: a temp dir directly under /tmp.
    temp_dir = tempfile.mkdtemp(prefix="dcray-", dir="/tmp")
    port = _free_port()
    log = open(Path(temp_dir) / "ray-start.log", "w")
    command = [
        sys.executable, "-m", "ray.scripts.scripts", "start", "--head", "--block",
        "--node-ip-address", "127.0.0.1", "--port", str(port), "--num-cpus", "2",
        "--temp-dir", temp_dir, "--include-dashboard", "false", "--disable-usage-stats",
    ]  # fmt: skip
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0"}
    process = subprocess.Popen(
        command, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
    )
    address = f"127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        _wait_for_port(port, process, deadline)
        ray.init(address=address, log_to_driver=False, _node_ip_address="127.0.0.1")
        while not any(n["Alive"] and n["Resources"].get("CPU") for n in ray.nodes()):
            if time.monotonic() > deadline:
                raise TimeoutError("the Ray node did not register its CPUs in time")
            time.sleep(0.5)
        yield address
    finally:
        if ray.is_initialized():
            ray.shutdown()
        _stop(process)
        log.close()
        shutil.rmtree(temp_dir, ignore_errors=True)


def _stop(process: subprocess.Popen) -> None:
    """Stops the head node: SIGTERM to `ray start --block` (it stops the node's processes),
    then SIGKILL to whatever of its process group is left."""
    pgid = process.pid  # start_new_session: the group is led by ray start
    try:
        os.killpg(pgid, signal.SIGTERM)
        process.wait(timeout=STOP_TIMEOUT_SECONDS)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        pass
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass


@pytest.fixture
def dc(tmp_path, ray_cluster):
    """deltacat_cpp with a new local catalog (tmp_path/catalog) as the default catalog."""
    deltacat_cpp.init_local(tmp_path / "catalog", force=True)
    yield deltacat_cpp
    deltacat_cpp.clear_catalogs()


def sorted_rows(table: pa.Table, key: str = "id") -> list:
    """The rows as dicts sorted by `key` (None first)."""
    return sorted(table.to_pylist(), key=lambda row: (row[key] is not None, row[key]))
