"""Jobs with prerequisites, run on a Dask cluster: the book's executor and the command line's sweeps.

gdm does not schedule work itself. A job is a function call with the names of the jobs it must
wait for; :func:`run_jobs` submits every job to a Dask ``distributed`` client at once, each with
the futures of its prerequisites as arguments (so Dask starts it only once they are done) and a
priority (the executor's "longest first"). Dask decides where and when each runs:

- by default a ``LocalCluster`` of ``workers`` processes with one thread each: one job per
  core, as the book's executor has always run (:func:`client`);
- with ``scheduler="tcp://host:8786"`` any running Dask scheduler: its workers must see the same
  checkout at the same path (a shared file system), since a job reads and writes there;
- on a SLURM cluster, dask-jobqueue's ``SLURMCluster`` gives such a scheduler (the README shows
  how).

A job that fails (raises) fails the jobs that wait for it; it also sets a flag that every job
not yet started reads first, so that no new job starts after a failure, while the jobs already
running finish (their results are kept). :func:`run_jobs` reports each job as it ends and returns
every outcome.
"""
from __future__ import annotations

import contextlib
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable

#: what a job that did not start, because another failed first, returns
SKIPPED = "skipped: an earlier job failed"


@dataclass
class Job:
    """``fn(*args)`` once every job named in ``needs`` has finished; a higher ``priority`` starts first."""
    name: str
    fn: Callable
    args: tuple = ()
    needs: set = field(default_factory=set)
    priority: float = 0.0


@dataclass
class Outcome:
    name: str
    ok: bool
    value: Any = None  # what the job returned
    error: str | None = None  # why it failed ("skipped: ..." for a job that never started)
    started: float | None = None  # seconds after the first submission (wall clock of the worker's host)
    seconds: float | None = None


class JobFailed(RuntimeError):
    """What a job raises to fail with a message of its own (no traceback is kept)."""


@contextlib.contextmanager
def client(workers: int = 2, scheduler: str | None = None):
    """A Dask client: of the scheduler at ``scheduler`` when given, else of a new ``LocalCluster`` of
    ``workers`` processes with one thread each (closed on exit)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as err:  # pragma: no cover - distributed is a pinned dependency
        raise RuntimeError("gdm runs jobs on Dask: pip install 'distributed' (make setup installs it)") from err
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    if scheduler:
        try:
            c = Client(scheduler, timeout=10)
        except (OSError, TimeoutError) as err:
            from .errors import GdmError

            raise GdmError(f"no Dask scheduler answers at {scheduler} ({err}): start one (dask scheduler, or "
                           f"dask-jobqueue's cluster) and give its address") from None
        with c:
            yield c
        return
    import logging

    # a failed job is reported by run_jobs with its own message: Dask's log lines would repeat it as noise
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.CRITICAL) as cluster, Client(cluster) as c:
        yield c


def _call(stop_name: str, t0: float, fn: Callable, args: tuple, *_prerequisites):
    """Run on a worker: ``fn(*args)``, unless the stop flag is set; the prerequisites' results are
    only there so that Dask waits for them."""
    from distributed import Event

    if Event(stop_name).is_set():
        return {"skipped": True}
    start = time.time()
    try:
        value = fn(*args)
    except BaseException:
        Event(stop_name).set()
        raise
    return {"value": value, "started": start - t0, "seconds": time.time() - start}


def run_jobs(jobs: list[Job], dask_client, report: Callable[[Outcome], None] = lambda o: None) -> dict[str, Outcome]:
    """Submit ``jobs`` to ``dask_client`` with their prerequisites and priorities; call ``report``
    with each outcome as it ends; return every outcome by name. A job's exception fails it (with
    its message) and stops jobs not yet started; a job whose prerequisite failed is not run."""
    from distributed import Event, as_completed

    names = [j.name for j in jobs]
    if len(set(names)) != len(names):
        raise ValueError(f"job names must be unique: {names}")
    unknown = {n for j in jobs for n in j.needs} - set(names)
    if unknown:
        raise ValueError(f"jobs wait for jobs that are not submitted: {sorted(unknown)}")
    stop = f"gdm-stop-{uuid.uuid4().hex}"
    Event(stop, client=dask_client).clear()
    t0 = time.time()
    futures: dict[str, Any] = {}
    pending = list(jobs)
    while pending:  # submit in an order where a job's prerequisites have futures already
        ready = [j for j in pending if j.needs <= set(futures)]
        if not ready:
            raise ValueError(f"the jobs' prerequisites form a cycle among {[j.name for j in pending]}")
        for j in ready:
            futures[j.name] = dask_client.submit(_call, stop, t0, j.fn, j.args, *[futures[n] for n in sorted(j.needs)],
                                                 key=f"{j.name}-{uuid.uuid4().hex[:8]}", priority=j.priority,
                                                 pure=False)
            pending.remove(j)
    by_key = {f.key: name for name, f in futures.items()}
    by_name = {j.name: j for j in jobs}
    outcomes: dict[str, Outcome] = {}
    for fut in as_completed(list(futures.values())):
        name = by_key[fut.key]
        if fut.status == "finished":
            res = fut.result()
            out = (Outcome(name, False, error=SKIPPED) if res.get("skipped") else
                   Outcome(name, True, res["value"], started=res["started"], seconds=res["seconds"]))
        else:
            # a job whose prerequisite failed errs with the prerequisite's exception without running
            broken = sorted(n for n in by_name[name].needs if futures[n].status == "error")
            err = fut.exception()
            out = Outcome(name, False, error=(f"not run: {', '.join(broken)} failed" if broken
                                              else str(err) or type(err).__name__))
        outcomes[name] = out
        report(out)
    return {n: outcomes[n] for n in names}

