"""Execute the book: every chapter notebook of ``_toc.yml`` with papermill, in place, several at
a time, timed; then the status page.

    python -m gdm.execute                 # every chapter, two at a time, one thread each
    python -m gdm.execute --jobs 1 notebooks/03_wgan.ipynb
    python -m gdm.execute --status-only   # rewrite book/status.md from results/execution.json
    python -m gdm.execute --from-scratch  # retrain every run, ignoring the store and the run cache
    python -m gdm.execute --scheduler tcp://head:8786   # on a running Dask scheduler's workers

The chapters run as jobs of a Dask cluster (``gdm.dispatch``): by default a local cluster of
``jobs`` worker processes with one thread each, each running one notebook at a time in its own
process with ``OMP_NUM_THREADS=threads`` (one thread per notebook, two notebooks on a 2-core
machine); ``--scheduler tcp://host:8786`` sends them to any Dask scheduler whose workers see this
checkout at the same path (dask-jobqueue's SLURM cluster, for example: the README shows it). Dask
starts each job once its prerequisites are done, longest first by the previous timing (or by the
seconds in the chapters' committed results files). A chapter that reads another chapter's results
declares it in its notebook's metadata, ``{"gdm": {"reads": ["gan", "gmmn"]}}`` (``"*"``: every
other chapter, as the comparison does), and starts only once those chapters have finished in this
execution; while it runs, ``gdm.results`` refuses to read an undeclared chapter (``GDM_READS``), so
that the order in which chapters happen to run cannot change what a chapter reads. The feature
network of the evaluation suite is trained once, as a job of its own, before the chapters that
need it, so that two chapters do not both train it, beside the chapters that do not.
Runs are read from the store of trained runs (``results/runs/``, ``gdm.store``) or reused from
the run cache under ``runs/``, as always: a timing means "from scratch" only when neither had
them, and the record says which it was, per run (``run_sources``: trained, store or cache).

Each notebook's wall and CPU seconds (its process and the kernel it started) go to
``results/execution.json``; ``book/status.md`` is written from that file. A failing notebook
stops the launch of new ones; those already running finish; the failure names the notebook and
its log (``build/execute/<notebook>.log``); finished runs and executed notebooks are kept.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import yaml

from . import paths

ROOT = Path(__file__).resolve().parent.parent
#: notebooks that do not use the feature network (no image metrics on MNIST-like data): executed
#: beside its training, so that no core waits for it
WITHOUT_FEATURES = ("notebooks/11_beta_vae.ipynb",)
BUDGET_MINUTES = 45  # the book's execution budget on the project's 2-core machine (issue 7)


def toc_notebooks(root: Path = ROOT) -> list[str]:
    """The notebooks of ``_toc.yml``, in the book's order, as paths relative to ``root``."""
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    files = [c["file"] for part in toc.get("parts", []) for c in part.get("chapters", [])]
    return [f"{f}.ipynb" for f in files if (root / f"{f}.ipynb").exists()]


def chapter_slug(notebook: str) -> str:
    """``notebooks/08_gmmn.ipynb`` -> ``gmmn``: the name of its results file."""
    return Path(notebook).stem.split("_", 1)[-1]


def declared_reads(notebook: str, root: Path = ROOT):
    """The chapters (slugs) whose results ``notebook`` reads, from its metadata ``gdm.reads``:
    a set, or ``"*"`` for every other chapter."""
    meta = json.loads((root / notebook).read_text()).get("metadata", {}).get("gdm", {})
    reads = meta.get("reads", [])
    if reads == "*":
        return "*"
    if not isinstance(reads, list) or not all(isinstance(r, str) for r in reads):
        raise ValueError(f"{notebook}: metadata gdm.reads must be a list of chapter slugs or \"*\", got {reads!r}")
    return set(reads)


def prerequisites(notebooks: list[str], root: Path = ROOT) -> dict[str, set[str]]:
    """For each notebook, the notebooks of this execution it must wait for (what it reads).
    A chapter read but not executed now is read from its committed results: those a finished
    execution wrote. A cycle is an error that names it."""
    by_slug = {chapter_slug(nb): nb for nb in notebooks}
    needs = {}
    for nb in notebooks:
        reads = declared_reads(nb, root)
        needs[nb] = ({other for other in notebooks if other != nb} if reads == "*"
                     else {by_slug[r] for r in reads if r in by_slug and by_slug[r] != nb})
    for nb in notebooks:  # every chain of prerequisites must end
        stack, seen = [(nb, [nb])], set()
        while stack:
            cur, path = stack.pop()
            for dep in needs[cur]:
                if dep == nb:
                    raise ValueError(f"the notebooks' declared reads form a cycle: {' -> '.join(path + [dep])}")
                if dep not in seen:
                    seen.add(dep)
                    stack.append((dep, path + [dep]))
    return needs


def _numbers(obj, path: str = "") -> dict[str, float]:
    """The numeric leaves of a results record's metrics, by their path (``fd``, ``toy.ring.modes_covered``...)."""
    if isinstance(obj, bool):
        return {}
    if isinstance(obj, (int, float)):
        return {path: float(obj)}
    if isinstance(obj, dict):
        return {k: v for key, val in obj.items() for k, v in _numbers(val, f"{path}.{key}" if path else str(key)).items()}
    if isinstance(obj, list):
        return {k: v for i, val in enumerate(obj) for k, v in _numbers(val, f"{path}[{i}]").items()}
    return {}


def compare_numbers(before: dict, after: dict) -> dict:
    """How far a chapter's retrained metrics are from the stored ones: the numbers compared, how
    many are identical, the largest relative difference and where it is."""
    a, b = _numbers(before), _numbers(after)
    common = sorted(set(a) & set(b))
    rel = {k: abs(a[k] - b[k]) / max(abs(a[k]), abs(b[k]), 1e-12) for k in common}
    worst = max(rel, key=rel.get) if rel else None
    return {"numbers": len(common), "identical": sum(a[k] == b[k] for k in common),
            "max_relative_difference": rel[worst] if worst else 0.0, "largest_at": worst,
            "only_before": len(set(a) - set(b)), "only_after": len(set(b) - set(a))}


def run_sources(notebooks: list[str], started_at: float, runs_dir: Path | None = None,
                use_store: bool = True) -> dict[str, dict]:
    """Per chapter (slug), the runs its results file lists, each with where this execution got it:
    ``store`` (read from the store of trained runs), ``trained`` (trained by this execution),
    ``cache`` (a finished run of the cache under GDM_HOME, trained before) or ``missing``; with
    the device, seconds and date of its training. ``started_at``: the execution's start (time.time());
    ``runs_dir``: the run cache the execution used (default ``gdm.paths.runs_dir()``)."""
    from . import results, store

    out = {}
    for nb in notebooks:
        slug = chapter_slug(nb)
        try:
            ids = results.read(slug).get("runs", [])
        except (FileNotFoundError, ValueError):
            continue
        chapter = {}
        for rid in ids:
            entry, cached = store.store_dir() / rid, (runs_dir or paths.runs_dir()) / rid / "done.json"
            if use_store and (entry / "record.json").exists():
                rec, source = json.loads((entry / "record.json").read_text()), "store"
            elif cached.exists():
                rec = json.loads(cached.read_text())
                source = "trained" if cached.stat().st_mtime >= started_at else "cache"
            else:
                chapter[rid] = {"source": "missing"}
                continue
            chapter[rid] = {"source": source, "device": rec.get("device"), "seconds": rec.get("seconds"),
                            "trained_at": rec.get("trained_at")}
        out[slug] = chapter
    return out


def cpu_model() -> str:
    """The CPU's model name (/proc/cpuinfo), else what platform says."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _commit(root: Path) -> str | None:
    """HEAD, and whether code differs from it. The notebooks, results and status page are what an
    execution rewrites, so their state before the run does not count as a change."""
    return paths.git_commit(root, lambda p: not (p.startswith(("results/", "book/status.md", "book/reproduction.md"))
                                                 or (p.startswith("notebooks/") and p.endswith(".ipynb"))))


def _env(threads: int, reads: str | None = None, extra: dict | None = None) -> dict:
    """What a notebook's process gets on top of its worker's environment: this process's ``GDM_*``
    settings, the thread count, no progress bars, the chapters it may read (``GDM_READS``), and
    ``extra``."""
    # gdm's own settings of this process (GDM_HOME, GDM_STORE...) travel with the job: a worker of
    # another machine's scheduler does not have them
    env = {k: v for k, v in os.environ.items() if k.startswith("GDM_") and k not in ("GDM_READS", "GDM_PROGRESS")}
    env.update({"OMP_NUM_THREADS": str(threads), "MKL_NUM_THREADS": str(threads), "OPENBLAS_NUM_THREADS": str(threads),
                "GDM_PROGRESS": "0"})
    if reads is not None:
        env["GDM_READS"] = reads
    env.update(extra or {})
    return env


def run_logged(name: str, cmd: list[str], root: str, env: dict, log: str) -> dict:
    """A job of the executor, run on a Dask worker: ``cmd`` in ``root`` with the worker's environment
    updated by ``env`` (``GDM_READS`` removed unless ``env`` sets it), its output in ``log``. Returns
    its wall and CPU seconds (the process and the children it waited for: the kernel, from
    ``wait4``); a non-zero exit fails the job with a message that names the log."""
    # the worker's environment, less what is not the job's: another job's GDM_READS, and the malloc
    # setting a Dask nanny gives its worker process
    full = {k: v for k, v in os.environ.items() if k not in ("GDM_READS", "MALLOC_TRIM_THRESHOLD_")}
    full.update(env)
    if cmd and cmd[0] == "python":  # the worker's interpreter: on another machine, its own environment's
        cmd = [sys.executable, *cmd[1:]]
    Path(log).parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with open(log, "w") as fh:
        proc = subprocess.Popen(cmd, cwd=root, env=full, stdout=fh, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code
    wall, cpu = time.perf_counter() - start, usage.ru_utime + usage.ru_stime
    if code != 0:
        from .dispatch import JobFailed

        raise JobFailed(f"{name} failed: see {log} (the last lines of its output; exit {code} after {wall / 60:.1f} min)")
    return {"wall": wall, "cpu": cpu}


def _papermill(notebook: str) -> list[str]:
    return ["python", "-m", "papermill", "--cwd", str(Path(notebook).parent), "-k", "python3",
            "--log-level", "WARNING", notebook, notebook]


def _feature_net_step() -> list[str]:
    return ["python", "-c", "from gdm.metrics import feature_net; feature_net('mnist5k')"]


def run(notebooks: list[str] | None = None, jobs: int = 2, threads: int = 1, root: Path = ROOT,
        prepare: bool = True, out=print, from_scratch: bool = False, scheduler: str | None = None) -> dict:
    """Execute ``notebooks`` (default: the toc's) and return the execution record. Only a run of
    the whole book writes ``results/execution.json`` and the status page; ``prepare`` trains the
    feature network first. The notebooks run as Dask jobs (``gdm.dispatch``): on a local cluster of
    ``jobs`` workers, or on the workers of the Dask scheduler at ``scheduler``, which must see this
    checkout at the same path.

    ``from_scratch``: ignore the store and the run cache: every run is trained again into a cache
    of this commit's own (``build/from-scratch/<commit>/runs``: an interrupted retraining resumes
    there), the notebooks are executed in place with the retrained runs, and the record reports
    per chapter how far the new numbers are from the results files that were there before (also
    written to ``build/from-scratch/<commit>/report.md``)."""
    notebooks = notebooks or toc_notebooks(root)
    unknown = [nb for nb in notebooks if not (root / nb).exists()]
    if unknown:
        raise FileNotFoundError(f"no such notebook: {', '.join(unknown)}; the book's notebooks: "
                                f"{', '.join(toc_notebooks(root))}")
    if jobs < 1 or threads < 1:
        raise ValueError(f"jobs and threads must be at least 1, got jobs={jobs}, threads={threads}")
    record_path = paths.results_dir() / "execution.json"
    previous = json.loads(record_path.read_text())["notebooks"] if record_path.exists() else {}
    extra_env, scratch_dir, before = {}, None, {}
    if from_scratch:
        from . import results

        scratch_dir = root / "build" / "from-scratch" / ((_commit(root) or "no-commit").split()[0])
        extra_env = {"GDM_STORE": "0", "GDM_RUNS": str(scratch_dir / "runs")}
        for nb in notebooks:
            try:
                before[chapter_slug(nb)] = results.read(chapter_slug(nb))["metrics"]
            except (FileNotFoundError, KeyError, ValueError):
                pass
    runs_dir = Path(extra_env["GDM_RUNS"]) if from_scratch else paths.runs_dir()
    runs_before = sorted(p.name for p in runs_dir.iterdir()) if runs_dir.exists() else []
    from . import store

    store_before = [] if from_scratch or not store.enabled() else [e.name for e in store.entries()]
    log_dir = root / "build" / "execute"
    log_dir.mkdir(parents=True, exist_ok=True)

    def expected(nb: str) -> float:  # the previous timing, else the seconds of the chapter's committed results
        if nb in previous:
            return previous[nb].get("cpu_seconds", 0)
        committed = root / "results" / (Path(nb).stem.split("_", 1)[-1] + ".json")
        try:
            return float(json.loads(committed.read_text()).get("seconds", 0))
        except (OSError, ValueError):
            return 0.0

    needs = prerequisites(notebooks, root)
    readers = [nb for nb in notebooks if declared_reads(nb, root) == "*"]  # the comparison: after every other
    ordered = sorted((nb for nb in notebooks if nb not in readers), key=lambda nb: -expected(nb))  # longest first
    feature = "feature network (mnist5k)"
    # (name, command, what must have finished first, the chapters it may read): the notebooks without
    # image metrics start beside the feature network, the others once it is trained, each chapter once
    # the chapters it reads are done; a free core takes the first job of the queue whose prerequisites are done
    needs_features = {feature} if prepare else set()

    def allowed(nb: str) -> str:
        reads = declared_reads(nb, root)
        return "*" if reads == "*" else ",".join(sorted(reads | {chapter_slug(nb)}))

    order = ([(feature, _feature_net_step(), set(), None)] if prepare else []) + \
        [(nb, _papermill(nb), needs[nb] | (set() if prepare and nb in WITHOUT_FEATURES else needs_features), allowed(nb))
         for nb in sorted(ordered, key=lambda nb: not (prepare and nb in WITHOUT_FEATURES))] + \
        [(nb, _papermill(nb), needs[nb], allowed(nb)) for nb in readers]
    # Dask runs each job once its prerequisites are done, the earliest of this order first (its priority)
    from . import dispatch

    graph = [dispatch.Job(name, run_logged, (name, cmd, str(root), _env(threads, reads, extra_env),
                                             str(log_dir / (Path(name).stem + ".log"))), deps, len(order) - i)
             for i, (name, cmd, deps, reads) in enumerate(order)]
    commit = _commit(root)  # the code that runs: taken before, not after
    timings, t0, started_at = {}, time.perf_counter(), time.time()
    where = scheduler or f"a local Dask cluster of {jobs} worker(s)"
    out(f"executing {len(notebooks)} notebooks on {where}, one at a time per worker, {threads} thread(s) each; "
        f"logs in {log_dir}")

    def report(o: dispatch.Outcome) -> None:
        if o.ok:
            wall, cpu = o.value["wall"], o.value["cpu"]
            timings[o.name] = {"wall_seconds": round(wall, 1), "cpu_seconds": round(cpu, 1), "ok": True,
                               "started_at_seconds": round(o.started, 1)}
            out(f"  {o.name}: ok, {wall / 60:.1f} min wall, {cpu / 60:.1f} min CPU")
        elif o.error != dispatch.SKIPPED:
            out(f"  {o.name}: {'FAILED: ' if not o.error.startswith('not run') else ''}{o.error}")

    with dispatch.client(jobs, scheduler) as dask_client:
        outcomes = dispatch.run_jobs(graph, dask_client, report)
    finished = {name for name, o in outcomes.items() if o.ok}
    failed = next((o for o in outcomes.values() if not o.ok and not o.error.startswith(("not run", "skipped"))), None)
    total = time.perf_counter() - t0
    record = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit,
        "machine": {"cpu": cpu_model(), "cores": os.cpu_count(), "platform": platform.platform(),
                    "python": platform.python_version(), "torch": __import__("torch").__version__},
        "jobs": jobs,
        "scheduler": scheduler or "LocalCluster",
        "threads_per_notebook": threads,
        "from_scratch": not runs_before and not store_before,
        "runs_reused_at_start": len(runs_before),
        "store_entries_at_start": len(store_before),
        "total_wall_seconds": round(total, 1),
        "budget_minutes": BUDGET_MINUTES,
        "notebooks": timings,
        "run_sources": run_sources([nb for nb in notebooks if nb in finished], started_at, runs_dir, use_store=not from_scratch),
    }
    if from_scratch:
        from . import results

        report = {}
        for nb in notebooks:
            slug = chapter_slug(nb)
            if nb in finished and slug in before:
                report[slug] = compare_numbers(before[slug], results.read(slug)["metrics"])
        record["from_scratch_report"] = report
        scratch_dir.mkdir(parents=True, exist_ok=True)
        (scratch_dir / "report.md").write_text(scratch_report_markdown(report))
        out(scratch_report_markdown(report))
    if failed is None:
        from .claims._report import write as write_report

        write_report(root)
    if failed is None and set(notebooks) == set(toc_notebooks(root)):
        record_path.parent.mkdir(parents=True, exist_ok=True)
        record_path.write_text(json.dumps(record, indent=1) + "\n")
        write_status(record, root)
        out(f"done in {total / 60:.1f} min; {record_path} and book/status.md written")
    elif failed is None:
        out(f"done in {total / 60:.1f} min; a part of the book: results/execution.json and the status page are "
            f"left as they were (they time the whole book)")
    else:
        raise RuntimeError(f"{failed.error}; finished runs and the notebooks executed so far are kept, and a new "
                           f"`make notebooks` reuses them")
    return record


def scratch_report_markdown(report: dict) -> str:
    """The from-scratch report: per chapter, how far the retrained numbers are from the stored ones."""
    lines = ["| chapter | numbers | identical | largest relative difference | at |", "|---|---|---|---|---|"]
    for slug, r in report.items():
        lines.append(f"| {slug} | {r['numbers']} | {r['identical']} | {r['max_relative_difference']:.3g} | "
                     f"{r['largest_at'] or ''} |")
    return "Retrained from scratch against the results that were there before:\n\n" + "\n".join(lines) + "\n"


def _chapter_title(root: Path, notebook: str) -> str:
    try:
        cells = json.loads((root / notebook).read_text())["cells"]
        for cell in cells:
            if cell["cell_type"] == "markdown":
                for line in "".join(cell["source"]).splitlines():
                    if line.startswith("# "):
                        return line[2:].strip()
    except (OSError, ValueError, KeyError):
        pass
    return Path(notebook).stem


def status_markdown(record: dict, root: Path = ROOT) -> str:
    """The status page from an execution record."""
    rows, cpu_sum = [], 0.0
    for nb in [n for n in record["notebooks"] if not n.endswith(".ipynb")] + toc_notebooks(root):
        t = record["notebooks"].get(nb)
        if t is None:
            rows.append(f"| {nb} | not executed by this run | | |")
            continue
        cpu_sum += t["cpu_seconds"]
        name = f"{{doc}}`{_chapter_title(root, nb)} <../{nb[:-len('.ipynb')]}>`" if nb.endswith(".ipynb") else nb
        rows.append(f"| {name} | {t['wall_seconds'] / 60:.1f} | {t['cpu_seconds'] / 60:.1f} | "
                    f"{'ok' if t['ok'] else 'failed'} |")
    run_rows = []
    for nb in toc_notebooks(root):
        chapter = record.get("run_sources", {}).get(chapter_slug(nb))
        if not chapter:
            continue
        count = {k: sum(r["source"] == k for r in chapter.values()) for k in ("trained", "store", "cache", "missing")}
        seconds = sum(r.get("seconds") or 0 for r in chapter.values())
        devices = sorted({str(r.get("device")) for r in chapter.values() if r.get("device")})
        dates = sorted(r["trained_at"] for r in chapter.values() if r.get("trained_at"))
        when = (dates[0] if dates[0][:10] == dates[-1][:10] else f"{dates[0][:10]} to {dates[-1][:10]}") if dates else ""
        run_rows.append(f"| {_chapter_title(root, nb)} | {len(chapter)} | {count['trained']} | {count['store']} | "
                        f"{count['cache']} | {seconds / 60:.1f} | {', '.join(devices)} | {when[:10]} |"
                        + (f" {count['missing']} missing |" if count["missing"] else ""))
    runs_table = ("" if not run_rows else
                  "\n**Where each chapter's trained runs came from** in this execution (`results/execution.json` "
                  "lists every run with its device, seconds and training date): *trained* by this execution, "
                  "read from the *store* of trained runs kept with the book (`results/runs/`), or from the run "
                  "*cache* under `GDM_HOME`, trained before.\n\n"
                  "| chapter | runs | trained | store | cache | training (min) | device | trained on |\n"
                  "|---|---|---|---|---|---|---|---|\n" + "\n".join(run_rows) + "\n")
    m, total = record["machine"], record["total_wall_seconds"] / 60
    verdict = ("within" if total < record["budget_minutes"] else "over") + f" the budget of {record['budget_minutes']} minutes"
    scratch = ("from scratch: the run cache was empty and the store of trained runs was not read, so every "
               "model was trained" if record["from_scratch"] else
               f"reusing {record['runs_reused_at_start']} runs found in the run cache and "
               f"{record.get('store_entries_at_start', 0)} entries of the store, so these are not from-scratch times")
    return f"""# Status: executing the book

This page is written by `python -m gdm.execute` (what `make notebooks` and `make book` run) from
`results/execution.json`; do not edit it by hand.

The committed notebooks were executed with their default parameters (the `cpu` profile) on
{record['date']}, at commit `{record['commit']}`, {scratch}. {record['jobs']} notebooks ran at a
time, each with {record['threads_per_notebook']} thread(s), on {m['cores']} cores ({m['cpu']},
{m['platform']}, Python {m['python']}, torch {m['torch']}).

**The whole book executed in {total:.1f} minutes of wall-clock time, {verdict}**
({cpu_sum / 60:.1f} minutes of CPU time in all).

| notebook | wall (min) | CPU (min) | |
|---|---|---|---|
{chr(10).join(rows)}
{runs_table}
Wall time is what a reader waits for with the same settings; CPU time (the notebook's process
and its kernel) is what one thread of a quiet machine would take for the notebook alone. On a
GPU, the `paper` profile of every chapter is a different matter: see {{doc}}`paper_scale`.
"""


def write_status(record: dict, root: Path = ROOT) -> Path:
    path = root / "book" / "status.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(status_markdown(record, root))
    return path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gdm.execute", description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", help="notebooks to execute (default: every notebook of _toc.yml)")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks executed at a time (default 2)")
    parser.add_argument("--threads", type=int, default=1, help="threads per notebook (default 1)")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="a running Dask scheduler (tcp://host:8786) whose workers see this checkout at the same "
                             "path; default: a local cluster of --jobs workers")
    parser.add_argument("--status-only", action="store_true", help="only rewrite book/status.md from results/execution.json")
    parser.add_argument("--from-scratch", action="store_true",
                        help="ignore the store and the run cache, retrain every run (resumable), re-execute, and "
                             "report per chapter how far the new numbers are from the old")
    args = parser.parse_args(argv)
    if args.status_only:
        record_path = paths.results_dir() / "execution.json"
        if not record_path.exists():
            parser.error(f"{record_path} does not exist: run `make notebooks` (python -m gdm.execute) first")
        print(write_status(json.loads(record_path.read_text())))
        return 0
    try:
        run(args.notebooks or None, jobs=args.jobs, threads=args.threads, from_scratch=args.from_scratch,
            scheduler=args.scheduler)
    except (RuntimeError, FileNotFoundError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
