"""DeltaCAT's hello_world example: the driver and one worker print the library and dependency
versions, a smoke test that a deployed package runs on the cluster.

    python examples/hello_world/hello_world.py

The worker is a Ray task when a Ray cluster is reachable (RAY_ADDRESS is set, as in a Ray job,
or Ray is already initialized), else a thread; the driver waits for it either way.
"""

import os
import platform
import threading


def package_versions() -> dict:
    versions = {"Python": platform.python_version()}
    try:
        import deltacat_cpp  # TODO(python-bindings): not built yet

        versions["DeltaCAT C++"] = getattr(deltacat_cpp, "__version__", "unknown")
    except ImportError:
        versions["DeltaCAT C++"] = "not installed (Python bindings not built yet)"
    for module in ("pyarrow", "ray"):
        try:
            versions[module] = __import__(module).__version__
        except ImportError:
            versions[module] = "not installed"
    return versions


def print_package_version_info() -> None:
    for name, version in package_versions().items():
        print(f"{name} Version: {version}", flush=True)


def hello_worker() -> int:
    print("Hello, Worker!", flush=True)
    print_package_version_info()
    return os.getpid()


def write_and_read_hello_world_table() -> None:
    # TODO(catalog): as DeltaCAT's hello_world does, have the worker write the two-row table
    # {"hello": ["delta", "cat"]} to table "hello_world" of a local catalog (.deltacat/ in the
    # working directory), then read it back here and print it. Needs the catalog and the
    # Python bindings, which do not exist yet.
    print("TODO(catalog): table write/read-back skipped (no catalog yet)", flush=True)


def ray_is_up() -> bool:
    try:
        import ray
    except ImportError:
        return False
    return ray.is_initialized() or bool(os.environ.get("RAY_ADDRESS"))


def run() -> None:
    print("Hello, Driver!", flush=True)
    print_package_version_info()
    if ray_is_up():
        import ray

        if not ray.is_initialized():
            ray.init(address=os.environ.get("RAY_ADDRESS", "auto"))
        pid = ray.get(ray.remote(hello_worker).remote())
        print(f"The worker ran as a Ray task in process {pid}", flush=True)
    else:
        thread = threading.Thread(target=hello_worker, name="hello-worker")
        thread.start()
        thread.join()
    write_and_read_hello_world_table()


if __name__ == "__main__":
    run()
