"""The book's executor (``gdm.execute``): runs notebooks in parallel with papermill, times them,
writes the execution record and the status page; a failure names the notebook and its log."""
import json

import nbformat
import pytest

from gdm import execute


def _book(root, cells_by_name, reads=None):
    """Notebooks ``name: (title, code)`` and their toc; ``reads``: name -> the metadata gdm.reads."""
    (root / "notebooks").mkdir(parents=True)
    chapters = []
    for name, (title, code) in cells_by_name.items():
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(f"# {title}\n\ntext"),
                                             nbformat.v4.new_code_cell(code)])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        if reads and name in reads:
            nb.metadata["gdm"] = {"reads": reads[name]}
        nbformat.write(nb, root / "notebooks" / f"{name}.ipynb")
        chapters.append(f"      - file: notebooks/{name}")
    (root / "_toc.yml").write_text("format: jb-book\nroot: book/intro\nparts:\n  - caption: Chapters\n    chapters:\n"
                                   + "\n".join(chapters) + "\n")


def _mark(tmp_path, name: str) -> str:
    """A cell's code that leaves the mark ``name`` when it runs."""
    return f"import pathlib; pathlib.Path({str(tmp_path / name)!r} + '.done').touch()\n"


def _wait_for(tmp_path, name: str, seconds: float = 60) -> str:
    """A cell's code that fails unless the mark ``name`` appears within ``seconds``."""
    return (f"import pathlib, time\nt0 = time.time()\n"
            f"while not pathlib.Path({str(tmp_path / name)!r} + '.done').exists() and time.time() - t0 < {seconds}:\n"
            f"    time.sleep(0.05)\n"
            f"assert pathlib.Path({str(tmp_path / name)!r} + '.done').exists(), 'no mark from {name}'\n")


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("GDM_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def test_the_whole_book_is_executed_timed_and_reported(tmp_path, home):
    root = tmp_path / "book"
    # the first chapter finishes only once the second has run: two at a time, or it fails
    _book(root, {"01_first": ("First chapter", _wait_for(tmp_path, "02") + "x = sum(range(10**6)); print(x)"),
                 "02_second": ("Second chapter", _mark(tmp_path, "02") + "print('two')")})
    assert execute.toc_notebooks(root) == ["notebooks/01_first.ipynb", "notebooks/02_second.ipynb"]
    lines = []
    record = execute.run(jobs=2, root=root, prepare=False, out=lines.append)
    out = nbformat.read(root / "notebooks" / "01_first.ipynb", as_version=4)
    assert out.cells[1].outputs[0]["text"].strip() == str(sum(range(10**6)))  # executed in place
    assert "papermill" in out.metadata
    saved = json.loads((home / "results" / "execution.json").read_text())
    assert saved == record and record["jobs"] == 2 and record["threads_per_notebook"] == 1
    assert record["from_scratch"] is True
    times = record["notebooks"]
    assert set(times) == {"notebooks/01_first.ipynb", "notebooks/02_second.ipynb"}
    assert all(t["ok"] and t["wall_seconds"] > 0 and t["cpu_seconds"] > 0 for t in times.values())
    status = (root / "book" / "status.md").read_text()
    assert "{doc}`First chapter <../notebooks/01_first>`" in status and "{doc}`Second chapter <../notebooks/02_second>`" in status
    assert "within the budget of 45 minutes" in status and "from scratch" in status
    assert status == execute.status_markdown(record, root)


def test_a_reader_waits_for_every_trainer_and_a_free_core_takes_the_next_job(tmp_path, home):
    # no clock: each trainer leaves a mark when it ends. The long one ends only once the third has
    # run (a free core took the next job while it ran; a stage-by-stage executor would leave it
    # waiting until its timeout, and it fails); the reader fails unless every trainer's mark is there
    root = tmp_path / "book"
    _book(root, {"01_long": ("Long", _wait_for(tmp_path, "03") + _mark(tmp_path, "01")),
                 "02_short": ("Short", _mark(tmp_path, "02")),
                 "03_short": ("Short too", _mark(tmp_path, "03")),
                 "14_comparison": ("Reader", "".join(_wait_for(tmp_path, n, seconds=0) for n in ("01", "02", "03")))},
          reads={"14_comparison": "*"})
    record = execute.run(jobs=2, root=root, prepare=False, out=lambda s: None)
    t = record["notebooks"]
    assert all(v["ok"] for v in t.values()) and len(t) == 4
    assert t["notebooks/14_comparison.ipynb"]["started_at_seconds"] >= t["notebooks/03_short.ipynb"]["started_at_seconds"]


def _writes(slug: str, value: str, after: str = "") -> str:
    """A cell that (after the mark ``after``, if given) writes the results file of ``slug``."""
    return ("from gdm import results\n"
            f"results.write({slug!r}, chapter={slug!r}, config={{}}, metrics={{'value': {value!r}}}, paper={{}}, seconds=0)\n")


def _copies(slug: str, source: str) -> str:
    """A cell that writes ``slug``'s results with the value it reads from ``source``'s."""
    return ("from gdm import results\n"
            f"v = results.read({source!r})['metrics']['value']\n"
            f"results.write({slug!r}, chapter={slug!r}, config={{}}, metrics={{'value': v}}, paper={{}}, seconds=0)\n")


@pytest.mark.parametrize("order", ["reader first", "writer first"])
def test_the_order_of_execution_cannot_change_what_a_chapter_reads(tmp_path, home, order):
    """Chapter 12 once printed "(chapter not run)" for chapter 08, which ran beside it. A declared
    read makes the reader wait for the writer whatever the order given and the free cores; the
    writer is slow (it waits for a third chapter) and a stale results file of it is on disk."""
    root = tmp_path / "book"
    _book(root, {"08_gmmn": ("Writer", _wait_for(tmp_path, "01") + _writes("gmmn", "fresh")),
                 "12_aae": ("Reader", _copies("aae", "gmmn")),
                 "01_gan": ("Other", _mark(tmp_path, "01"))},
          reads={"12_aae": ["gmmn"]})
    from gdm import results
    results.write("gmmn", chapter="stale", config={}, metrics={"value": "stale"}, paper={}, seconds=0)
    notebooks = ["notebooks/12_aae.ipynb", "notebooks/08_gmmn.ipynb", "notebooks/01_gan.ipynb"]
    execute.run(notebooks if order == "reader first" else notebooks[::-1], jobs=2, root=root, prepare=False,
                out=lambda s: None)
    assert results.read("aae")["metrics"]["value"] == "fresh"


def test_an_undeclared_read_fails_under_the_executor(tmp_path, home):
    root = tmp_path / "book"
    _book(root, {"01_gan": ("Writer", _writes("gan", "x")), "02_fgan": ("Reader", _copies("fgan", "gan"))})
    with pytest.raises(RuntimeError, match="02_fgan.ipynb failed"):
        execute.run(["notebooks/01_gan.ipynb", "notebooks/02_fgan.ipynb"], jobs=1, root=root, prepare=False,
                    out=lambda s: None)
    log = (root / "build" / "execute" / "02_fgan.log").read_text()
    assert "without declaring it" in log and "gdm.reads" in log


def test_prerequisites_follow_the_declared_reads_and_refuse_a_cycle(tmp_path):
    root = tmp_path / "book"
    _book(root, {"01_gan": ("A", "1"), "08_gmmn": ("B", "1"), "12_aae": ("C", "1"), "14_comparison": ("D", "1")},
          reads={"08_gmmn": ["gan"], "12_aae": ["gan", "gmmn", "wae"], "14_comparison": "*"})
    nbs = execute.toc_notebooks(root)
    needs = execute.prerequisites(nbs, root)
    assert needs["notebooks/01_gan.ipynb"] == set()
    assert needs["notebooks/12_aae.ipynb"] == {"notebooks/01_gan.ipynb", "notebooks/08_gmmn.ipynb"}  # wae: not executed now
    assert needs["notebooks/14_comparison.ipynb"] == set(nbs) - {"notebooks/14_comparison.ipynb"}
    cyclic = tmp_path / "cyclic"
    _book(cyclic, {"01_gan": ("A", "1"), "08_gmmn": ("B", "1")}, reads={"01_gan": ["gmmn"], "08_gmmn": ["gan"]})
    with pytest.raises(ValueError, match="cycle"):
        execute.prerequisites(execute.toc_notebooks(cyclic), cyclic)


def test_a_failing_notebook_is_named_and_nothing_is_recorded(tmp_path, home):
    root = tmp_path / "book"
    _book(root, {"01_ok": ("Fine", "print(1)"), "02_bad": ("Broken", "raise ValueError('boom')")})
    with pytest.raises(RuntimeError, match=r"02_bad.ipynb failed: see .*02_bad.log"):
        execute.run(jobs=1, root=root, prepare=False, out=lambda s: None)
    assert "boom" in (root / "build" / "execute" / "02_bad.log").read_text()
    assert not (home / "results" / "execution.json").exists() and not (root / "book" / "status.md").exists()


def test_a_part_of_the_book_leaves_the_record_alone(tmp_path, home):
    root = tmp_path / "book"
    _book(root, {"01_a": ("A", "print(1)"), "02_b": ("B", "print(2)")})
    execute.run(["notebooks/02_b.ipynb"], jobs=1, root=root, prepare=False, out=lambda s: None)
    assert not (home / "results" / "execution.json").exists()


def test_bad_arguments_say_what_exists(tmp_path, home):
    root = tmp_path / "book"
    _book(root, {"01_a": ("A", "print(1)")})
    with pytest.raises(FileNotFoundError, match="the book's notebooks: notebooks/01_a.ipynb"):
        execute.run(["notebooks/99_nope.ipynb"], root=root, prepare=False)
    with pytest.raises(ValueError, match="jobs and threads"):
        execute.run(jobs=0, root=root, prepare=False)


def _trains(slug: str) -> str:
    """A cell that trains a tiny run and writes the chapter's results file listing it."""
    return ("from gdm import results\nfrom gdm.config import make_config\nfrom gdm.runs import load_or_train\n"
            "run = load_or_train(make_config('gan', dataset='ring', steps=3, batch_size=8, z_dim=2, g_hidden=[4], "
            "d_arch='mlp', d_hidden=[4]))\n"
            f"results.write({slug!r}, chapter={slug!r}, config={{}}, metrics={{}}, paper={{}}, seconds=0, runs=[run.id])\n")


def test_the_record_and_the_status_page_say_where_each_run_came_from(tmp_path, home):
    from gdm import store
    from gdm.config import make_config
    from gdm.runs import load_or_train

    root = tmp_path / "book"
    _book(root, {"01_gan": ("GAN", _trains("gan"))})
    first = execute.run(jobs=1, root=root, prepare=False, out=lambda s: None)
    (rid, info), = first["run_sources"]["gan"].items()
    assert info["source"] == "trained" and info["device"] == "cpu" and info["trained_at"]
    status = (root / "book" / "status.md").read_text()
    assert "| GAN | 1 | 1 | 0 | 0 |" in status
    assert execute.run(jobs=1, root=root, prepare=False, out=lambda s: None)["run_sources"]["gan"][rid]["source"] == "cache"
    cfg = make_config("gan", dataset="ring", steps=3, batch_size=8, z_dim=2, g_hidden=[4], d_arch="mlp", d_hidden=[4])
    store.save(load_or_train(cfg))
    third = execute.run(jobs=1, root=root, prepare=False, out=lambda s: None)
    assert third["run_sources"]["gan"][rid]["source"] == "store"
    assert "| GAN | 1 | 0 | 1 | 0 |" in (root / "book" / "status.md").read_text()


def test_from_scratch_ignores_the_store_retrains_and_reports_the_differences(tmp_path, home):
    """A chapter trained once and stored; --from-scratch trains its run again in a cache of its
    own (the store and the usual cache untouched), re-executes it, and reports how far the numbers
    are from the stored ones: identical here (the same run on the same CPU with the same threads)."""
    from gdm import paths, results, store
    from gdm.runs import load_or_train

    root = tmp_path / "book"
    cell = _trains("gan").replace("metrics={}", "metrics={'d_loss': run.history['d_loss'][-1], 'steps': 3}")
    _book(root, {"01_gan": ("GAN", cell)})
    execute.run(jobs=1, root=root, prepare=False, out=lambda s: None)
    rid = results.read("gan")["runs"][0]
    cfg = json.loads((paths.runs_dir() / rid / "config.json").read_text())
    entry = store.save(load_or_train(cfg))
    stamp = (entry / "weights.safetensors").stat().st_mtime_ns
    lines = []
    record = execute.run(jobs=1, root=root, prepare=False, out=lines.append, from_scratch=True)
    scratch = root / "build" / "from-scratch"
    (commit_dir,) = scratch.iterdir()
    assert (commit_dir / "runs" / rid / "done.json").exists(), "retrained in the from-scratch cache"
    assert record["run_sources"]["gan"][rid]["source"] == "trained" and record["from_scratch"]
    assert record["from_scratch_report"]["gan"]["numbers"] == 2
    assert record["from_scratch_report"]["gan"]["identical"] == 2
    assert record["from_scratch_report"]["gan"]["max_relative_difference"] == 0.0
    assert "| gan | 2 | 2 | 0 |" in (commit_dir / "report.md").read_text() and any("Retrained" in l for l in lines)
    assert (entry / "weights.safetensors").stat().st_mtime_ns == stamp, "the store is not rewritten"


def test_compare_numbers_finds_the_largest_difference():
    d = execute.compare_numbers({"fd": 10.0, "toy": {"ring": [1, 2]}, "name": "x", "ok": True},
                                {"fd": 11.0, "toy": {"ring": [1, 2]}, "extra": 3})
    assert d["numbers"] == 3 and d["identical"] == 2 and d["largest_at"] == "fd"
    assert d["max_relative_difference"] == pytest.approx(1 / 11) and d["only_after"] == 1


# ----------------------------------------------------------------------------- the jobs on Dask (gdm.dispatch)
def _append(path: str, name: str, wait_for: str | None = None) -> str:
    """A job: append ``name`` to the file ``path`` (after the line ``wait_for`` is there, if given)."""
    import time
    from pathlib import Path

    t0 = time.time()
    while wait_for and wait_for not in Path(path).read_text().split() and time.time() - t0 < 30:
        time.sleep(0.02)
    with open(path, "a") as fh:
        fh.write(name + "\n")
    return name


def _boom(path: str) -> None:
    _append(path, "boom")
    raise RuntimeError("boom: see its log")


def test_dask_runs_each_job_after_its_prerequisites(tmp_path):
    from gdm import dispatch

    log = tmp_path / "order.txt"
    log.write_text("")
    jobs = [dispatch.Job("c", _append, (str(log), "c"), {"a", "b"}),
            dispatch.Job("b", _append, (str(log), "b"), {"a"}),
            dispatch.Job("a", _append, (str(log), "a")),
            dispatch.Job("free", _append, (str(log), "free"))]
    seen = []
    with dispatch.client(2) as client:
        outcomes = dispatch.run_jobs(jobs, client, seen.append)
    order = log.read_text().split()
    assert order.index("a") < order.index("b") < order.index("c") and sorted(order) == ["a", "b", "c", "free"]
    assert all(o.ok for o in outcomes.values()) and outcomes["c"].value == "c" and len(seen) == 4
    assert outcomes["c"].started >= outcomes["b"].started >= outcomes["a"].started


def test_a_failing_job_is_named_its_dependents_do_not_run_and_nothing_new_starts(tmp_path):
    """One worker: the failing job runs first (highest priority); the job that waits for it is not
    run, and a job that was queued behind it does not start; each outcome says why."""
    from gdm import dispatch

    log = tmp_path / "order.txt"
    log.write_text("")
    jobs = [dispatch.Job("bad", _boom, (str(log),), priority=10),
            dispatch.Job("after_bad", _append, (str(log), "after_bad"), {"bad"}),
            dispatch.Job("queued", _append, (str(log), "queued"), priority=1)]
    with dispatch.client(1) as client:
        outcomes = dispatch.run_jobs(jobs, client)
    assert log.read_text().split() == ["boom"]
    assert not outcomes["bad"].ok and "boom: see its log" in outcomes["bad"].error
    assert outcomes["after_bad"].error == "not run: bad failed"
    assert outcomes["queued"].error == dispatch.SKIPPED
    with pytest.raises(ValueError, match="not submitted"):
        dispatch.run_jobs([dispatch.Job("x", _append, (str(log), "x"), {"y"})], None)


def test_the_book_runs_on_any_dask_scheduler(tmp_path, home, monkeypatch):
    """``scheduler=``: the executor sends its jobs to a scheduler that was already running (here a
    LocalCluster started by the test, as dask-jobqueue's SLURMCluster would be on a cluster), whose
    workers know nothing of this process's settings: the jobs carry its GDM_* variables."""
    from distributed import LocalCluster

    root = tmp_path / "book"
    _book(root, {"01_a": ("A", _writes("a", "x")), "02_b": ("B", _copies("b", "a"))}, reads={"02_b": ["a"]})
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        monkeypatch.setenv("GDM_HOME", str(tmp_path / "later-home"))  # after the workers started
        lines = []
        record = execute.run(jobs=2, root=root, prepare=False, out=lines.append, scheduler=cluster.scheduler_address)
    assert record["scheduler"] == cluster.scheduler_address and all(t["ok"] for t in record["notebooks"].values())
    from gdm import results

    assert results.read("b")["metrics"]["value"] == "x" and cluster.scheduler_address in lines[0]
    assert (tmp_path / "later-home" / "results" / "b.json").exists() and not (home / "results" / "b.json").exists()
