"""DeltaCAT's hello_world example: the driver and one worker print the library and dependency
versions; the worker writes the table {"hello": ["delta", "cat"]} to a local catalog
($DELTACAT_ROOT, else ./.deltacat) and the driver reads it back and prints it. A smoke test
that a deployed package runs on the cluster end to end.

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
        import deltacat_cpp

        versions["DeltaCAT C++"] = deltacat_cpp.__version__
    except ImportError:
        versions["DeltaCAT C++"] = "not installed (run `make build`)"
    for module in ("pyarrow", "ray"):
        try:
            versions[module] = __import__(module).__version__
        except ImportError:
            versions[module] = "not installed"
    return versions


def print_package_version_info() -> None:
    for name, version in package_versions().items():
        print(f"{name} Version: {version}", flush=True)


def catalog_root() -> str:
    # Resolved on the driver, so a Ray worker on this machine writes where the driver reads.
    return os.path.abspath(os.environ.get("DELTACAT_ROOT") or ".deltacat")


def hello_worker(root: str) -> int:
    print("Hello, Worker!", flush=True)
    print_package_version_info()
    import pyarrow as pa
    import deltacat_cpp as dc

    dc.init_local(root)
    # REPLACE keeps reruns from piling up rows.
    mode = dc.TableWriteMode.REPLACE if dc.table_exists("hello_world") else dc.TableWriteMode.CREATE
    dc.write(pa.table({"hello": ["delta", "cat"]}), "hello_world", mode=mode)
    return os.getpid()


def read_hello_world_table(root: str) -> None:
    import deltacat_cpp as dc

    dc.init_local(root, force=True)
    print(f"Table hello_world in {root}:", flush=True)
    print(dc.read("hello_world"), flush=True)


def ray_is_up() -> bool:
    try:
        import ray
    except ImportError:
        return False
    return ray.is_initialized() or bool(os.environ.get("RAY_ADDRESS"))


def run() -> None:
    print("Hello, Driver!", flush=True)
    print_package_version_info()
    root = catalog_root()
    if ray_is_up():
        import ray

        if not ray.is_initialized():
            ray.init(address=os.environ.get("RAY_ADDRESS", "auto"))
        pid = ray.get(ray.remote(hello_worker).remote(root))
        print(f"The worker ran as a Ray task in process {pid}", flush=True)
    else:
        failure = []

        def worker() -> None:
            try:
                hello_worker(root)
            except BaseException as error:  # surfaced on the driver below
                failure.append(error)

        thread = threading.Thread(target=worker, name="hello-worker")
        thread.start()
        thread.join()
        if failure:
            raise failure[0]
    read_hello_world_table(root)


if __name__ == "__main__":
    run()
