"""Runs DeltaCAT C++ compute tasks as Ray tasks: ``compact(..., executor="ray")``.

The native library plans a compaction round on the driver and hands each batch of task specs
(first the hash-bucket tasks, then the merge tasks) to a :class:`RayTaskRunner`. The runner
submits one Ray task per spec; each task calls the native :func:`deltacat_cpp._native.execute`
on a worker and returns the result bytes. The driver then commits the round, once.

Lifetimes of what a round produces:

- Task specs and results are small bytes (file paths, row counts): they pass through Ray as
  plain task arguments and return values, and the runner drops every ObjectRef as soon as its
  batch is done. No ObjectRef is ever nested in another object or pickled out of band, so
  Ray's reference counting frees them (the object-store leak DeltaCAT's compactor works around,
  devtools.md §9, cannot happen).
- The bulk intermediates (the hash-bucket step's spill files) live on the catalog's filesystem
  under ``compute/compactor/scratch/<transaction id>``. The driver's native code deletes that
  directory when the round ends, committed or failed; ``run_janitor()`` deletes what a crashed
  driver left behind.

Failures: a task whose worker dies, or that raises a :class:`RetryableError`, is retried up to
``max_retries`` times. Any other failure fails the batch: the runner cancels the batch's other
tasks and waits for them to stop (so none writes after the driver has cleaned up), and
``compact`` raises the task's exception with nothing committed.
"""

from __future__ import annotations

import hashlib
import os
from typing import Any, Dict, List, Optional, Sequence, Tuple

__all__ = ["RayTaskRunner", "execute_task"]

#: Environment variables that make tasks crash their worker, for tests of retries and of failed
#: jobs: the task kind to crash, a directory that counts attempts, and how many attempts of each
#: task crash (default 1; a number above max_retries fails the job).
CRASH_KIND_ENV = "DELTACAT_CPP_TEST_CRASH_KIND"
CRASH_DIR_ENV = "DELTACAT_CPP_TEST_CRASH_DIR"
CRASH_ATTEMPTS_ENV = "DELTACAT_CPP_TEST_CRASH_ATTEMPTS"

# Seconds to wait for the cancelled tasks of a failed batch to stop.
_CANCEL_WAIT_SECONDS = 60.0


def _crash_if_asked(kind: str, spec: bytes) -> None:
    """Kills this worker process when the test environment variables ask for it."""
    if os.environ.get(CRASH_KIND_ENV) != kind:
        return
    directory = os.environ.get(CRASH_DIR_ENV)
    if not directory:
        return
    attempts = int(os.environ.get(CRASH_ATTEMPTS_ENV, "1"))
    task_id = hashlib.sha1(spec).hexdigest()[:16]
    for attempt in range(attempts):
        try:
            fd = os.open(os.path.join(directory, f"{task_id}.{attempt}"), os.O_CREAT | os.O_EXCL)
        except FileExistsError:
            continue
        os.close(fd)
        os._exit(1)  # a dead worker, as after a node failure or the OOM killer


def execute_task(kind: str, spec: bytes) -> bytes:
    """Runs one task spec in this process (the body of every Ray task)."""
    _crash_if_asked(kind, spec)
    # Importing the package checks pyarrow and registers the exception classes.
    from . import _native

    return _native.execute(spec)


def _import_ray() -> Any:
    try:
        import ray
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise ImportError(
            "executor='ray' needs the ray package (pip install 'ray[default]==2.46.0')"
        ) from error
    return ray


class RayTaskRunner:
    """Runs batches of native task specs as Ray tasks (see the module docstring).

    ``address``: the Ray cluster to connect to when Ray is not initialized yet (None: Ray's
    default: ``RAY_ADDRESS``, else a running local cluster, else a new local instance).
    ``max_retries``: retries of a task whose worker died or that raised a RetryableError.
    ``num_cpus``: CPUs each task reserves. ``runtime_env``: Ray runtime environment of the
    tasks. ``init_kwargs``: more ``ray.init`` arguments.
    """

    name = "ray"

    def __init__(
        self,
        address: Optional[str] = None,
        *,
        max_retries: int = 3,
        num_cpus: float = 1,
        runtime_env: Optional[Dict[str, Any]] = None,
        init_kwargs: Optional[Dict[str, Any]] = None,
    ) -> None:
        if address is not None and not isinstance(address, str):
            raise TypeError(f"ray_address must be a str, got {type(address).__name__}")
        if isinstance(max_retries, bool) or not isinstance(max_retries, int):
            raise TypeError(f"max_retries must be an int, got {type(max_retries).__name__}")
        if max_retries < 0:
            raise ValueError(f"max_retries must be >= 0, got {max_retries}")
        if not isinstance(num_cpus, (int, float)) or isinstance(num_cpus, bool) or num_cpus <= 0:
            raise ValueError(f"num_cpus must be a positive number, got {num_cpus!r}")
        self.address = address
        self.max_retries = max_retries
        self.num_cpus = num_cpus
        self.runtime_env = runtime_env
        self.init_kwargs = dict(init_kwargs or {})
        self._remote: Any = None

    def _ray(self) -> Any:
        ray = _import_ray()
        if not ray.is_initialized():
            kwargs = {"log_to_driver": False, **self.init_kwargs}
            ray.init(address=self.address, **kwargs)
        if self._remote is None:
            from ._errors import RetryableError

            # Decorator form: it returns a RemoteFunction, whose .options() each call can
            # extend (the .options() of an .options() result does not exist).
            self._remote = ray.remote(
                max_retries=self.max_retries, retry_exceptions=[RetryableError]
            )(execute_task)
        return ray

    def parallelism(self) -> int:
        """The cluster's CPUs divided by the CPUs per task: how many tasks run at once."""
        ray = self._ray()
        cpus = float(ray.cluster_resources().get("CPU", 1))
        return max(1, int(cpus // self.num_cpus))

    def _memory_cap(self, ray: Any) -> int:
        """The most memory one node can give a task (0: the cluster reports none)."""
        return int(
            max(
                (n["Resources"].get("memory", 0) for n in ray.nodes() if n.get("Alive")),
                default=0,
            )
        )

    def __call__(self, tasks: Sequence[Tuple[str, bytes, int]]) -> List[bytes]:
        """Runs every (kind, spec, memory_bytes) task; returns the results in input order."""
        ray = self._ray()
        cap = self._memory_cap(ray)
        refs = []
        for kind, spec, memory_bytes in tasks:
            options: Dict[str, Any] = {"num_cpus": self.num_cpus, "name": f"deltacat_cpp.{kind}"}
            # The plan's estimate, never more than a node has (the task would never schedule).
            memory = min(int(memory_bytes), cap) if cap else 0
            if memory > 0:
                options["memory"] = memory
            if self.runtime_env is not None:
                options["runtime_env"] = self.runtime_env
            refs.append(self._remote.options(**options).remote(kind, spec))
        position = {ref: i for i, ref in enumerate(refs)}
        results: List[Optional[bytes]] = [None] * len(refs)
        pending = list(refs)
        try:
            while pending:
                done, pending = ray.wait(pending, num_returns=1)
                for ref in done:
                    results[position[ref]] = ray.get(ref)
        except BaseException:
            self._cancel(ray, pending)
            raise
        finally:
            # Drop every reference now, so Ray frees the results.
            del refs, pending, position
        return results  # type: ignore[return-value]  # every slot is filled

    @staticmethod
    def _cancel(ray: Any, pending: List[Any]) -> None:
        """Cancels the unfinished tasks of a failed batch and waits until they stopped."""
        for ref in pending:
            try:
                ray.cancel(ref, force=True)
            except Exception:  # noqa: BLE001 - already finished or gone: nothing to stop
                pass
        if pending:
            ray.wait(pending, num_returns=len(pending), timeout=_CANCEL_WAIT_SECONDS)
