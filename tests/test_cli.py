"""The ``gdm`` command: every verb run as a user runs it, its errors one line without a
traceback, its profiles the chapters' headline configs, its sweeps run on Dask."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from gdm import cli
from gdm.config import make_config
from gdm.errors import ConfigError, GdmError, UnknownNameError
from gdm.runs import load_or_train, run_id

ROOT = Path(__file__).resolve().parent.parent
CHAPTER_MODELS = ["gan", "fgan", "wgan", "wgan_gp", "ebgan", "began", "infogan", "gmmn", "mmd_gan", "vae", "beta_vae",
                  "aae", "wae"]
RING = ["-p", "dataset=ring_scaled", "-p", "z_dim=2", "-p", "g_hidden=16,16", "-p", "d_arch=mlp", "-p", "d_hidden=16",
        "-p", "steps=20", "-p", "batch_size=16"]


def gdm(*args, check=True, env=None):
    """``python -m gdm ARGS`` in a process of its own, as a shell would run it."""
    import os

    proc = subprocess.run([sys.executable, "-m", "gdm", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, **(env or {})}, timeout=600)
    if check:
        assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


# ----------------------------------------------------------------------------- parsing
def test_values_commas_and_lists():
    assert cli.parse_values("lr", "1e-4,2e-4", 0.0002) == [1e-4, 2e-4]
    assert cli.parse_values("steps", "300", 1000) == [300]
    assert cli.parse_values("g_batchnorm", "false", True) == [False]
    assert cli.parse_values("dataset", "ring", "mnist5k") == ["ring"]
    assert cli.parse_values("g_hidden", "64,64", [512]) == [[64, 64]]
    assert cli.parse_values("g_hidden", "[64,64],[128]", [512]) == [[64, 64], [128]]
    assert cli.parse_seeds("0-4") == [0, 1, 2, 3, 4] and cli.parse_seeds("3") == [3] and cli.parse_seeds("0,2,2,5") == [0, 2, 5]
    for bad in ("a-b", "", "-1"):
        with pytest.raises(GdmError, match="seeds"):
            cli.parse_seeds(bad)


def test_a_sweep_is_seeds_times_settings_each_checked():
    cfgs = cli.configs("gan", "smoke", ["lr=1e-4,2e-4", "g_hidden=[8],[16,16]"], "0-2")
    assert len(cfgs) == 12 and len({run_id(c) for c in cfgs}) == 12
    assert {c["seed"] for c in cfgs} == {0, 1, 2} and {c["lr"] for c in cfgs} == {1e-4, 2e-4}
    with pytest.raises(ConfigError, match="parameter 'lr' must be float"):
        cli.configs("gan", "smoke", ["lr=fast"])
    with pytest.raises(ConfigError, match="unknown parameter 'widht'"):
        cli.configs("gan", "smoke", ["widht=3"])
    with pytest.raises(UnknownNameError, match="known models: aae"):
        cli.configs("gann")
    with pytest.raises(UnknownNameError, match="known profiles: cpu, defaults, paper, smoke"):
        cli.configs("gan", "laptop")
    with pytest.raises(GdmError, match="no 'paper' profile"):
        cli.configs("lsgan", "paper")


@pytest.mark.parametrize("model", CHAPTER_MODELS)
def test_the_cpu_profile_is_the_chapters_headline_run(model):
    """``gdm train MODEL`` trains the run the chapter reports (its results file lists it), and its
    smoke and paper profiles are valid configs."""
    listed = json.loads((ROOT / "results" / f"{model}.json").read_text())["runs"]
    assert run_id(cli.configs(model)[0]) in listed, "gdm.profiles.HEADLINES no longer follows the chapter"
    for profile in ("smoke", "paper"):
        (cfg,) = cli.configs(model, profile)
        assert cfg["model"] == model


def test_the_paper_and_defaults_profiles():
    (paper,) = cli.configs("gan", "paper")
    assert paper["dataset"] == "mnist" and paper["steps"] == 50_000 and paper["optimizer"] == "sgd"
    (defaults,) = cli.configs("wgan_gp", "defaults")
    assert defaults == make_config("wgan_gp")


# ----------------------------------------------------------------------------- the verbs, in processes of their own
@pytest.fixture
def book_store(monkeypatch):
    """The committed store of trained runs, read (never written) by the processes and this one."""
    monkeypatch.setenv("GDM_STORE_DIR", str(ROOT / "results" / "runs"))


@pytest.mark.slow
def test_train_then_show_sample_evaluate_and_list(tmp_path, book_store):
    out = gdm("train", "gan", "--profile", "smoke", *RING, "--tensorboard", str(tmp_path / "tb"))
    rid = out.stdout.strip()
    assert rid.startswith("gan-") and "trained, 20 steps" in out.stderr
    again = gdm("train", "gan", "--profile", "smoke", *RING)
    assert again.stdout.strip() == rid and "already trained" in again.stderr
    assert any((tmp_path / "tb" / rid).iterdir()), "TensorBoard events written"

    show = gdm("show", rid[:10])
    assert f"{rid}  (cache:" in show.stdout and "status: finished" in show.stdout
    assert "* dataset = 'ring_scaled'" in show.stdout and "d_loss" in show.stdout and "history: 2 points" in show.stdout
    data = json.loads(gdm("show", rid, "--json").stdout)
    assert data["history"]["g_loss"]["points"] == 2 and data["record"]["steps"] == 20

    png = tmp_path / "ring.png"
    assert gdm("sample", rid, "--n", "200", "-o", str(png)).stdout.strip() == str(png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    ev = json.loads(gdm("evaluate", rid, "--json", "--n", "500").stdout)
    from gdm import data as gdata, metrics

    run = load_or_train(data["config"])  # the same numbers computed here
    x = run.model.sample(500, torch.Generator().manual_seed(0)).double()
    ring = gdata.toy("ring_scaled")
    assert ev["modes_covered"] == metrics.mode_coverage(x, ring.means, ring.std)["modes_covered"]
    assert ev["high_quality"] == pytest.approx(metrics.mode_coverage(x, ring.means, ring.std)["high_quality"])
    assert ev["modes_total"] == 8

    listed = json.loads(gdm("runs", "--json", "--model", "gan").stdout)
    mine = [r for r in listed if r["id"] == rid]
    assert mine and mine[0]["source"] == "cache" and mine[0]["status"] == "finished"
    assert len(listed) > 1, "the store's gan runs are listed beside the cache's"
    assert f"{rid}" in gdm("runs").stdout


@pytest.mark.slow
def test_the_standard_block_of_an_image_run_from_the_store(book_store):
    """``gdm evaluate`` on the chapter-01 run kept in the store gives ``gdm.metrics.evaluate``'s numbers."""
    from gdm import metrics

    (cfg,) = cli.configs("gan")
    ev = json.loads(gdm("evaluate", run_id(cfg), "--json", "--n", "200").stdout)
    want = metrics.evaluate(load_or_train(cfg).model, "mnist5k", seed=0, n=200)
    assert ev["fd"] == pytest.approx(want["fd"], rel=1e-6) and ev["recall"] == pytest.approx(want["recall"])
    assert ev["n_samples"] == 200 and "fd_real" in ev


def in_process(capsys, *args):
    """``gdm ARGS`` through ``gdm.cli.main`` in this process: (exit status, stdout, stderr)."""
    try:
        code = cli.main(list(args))
    except SystemExit as stop:  # argparse: --help, usage errors
        code = stop.code
    out = capsys.readouterr()
    return code, out.out, out.err


def test_bad_input_is_one_line_without_a_traceback(capsys):
    for args, says in [(["train", "ganx"], "unknown model 'ganx'; known models: aae"),
                       (["train", "gan", "-p", "lr=abc"], "parameter 'lr' must be float"),
                       (["train", "gan", "-p", "nope=1"], "unknown parameter 'nope' for model 'gan'"),
                       (["train", "gan", "-p", "steps"], "write -p name=value"),
                       (["train", "gan", "-p", "dataset=cifar"], "unknown data set 'cifar'; known data sets:"),
                       (["train", "gan", "--seeds", "x"], "give seeds as"),
                       (["show", "gan-000000000000"], "no run 'gan-000000000000' in the store"),
                       (["sample", "nothing"], "`gdm runs` lists them"),
                       (["evaluate", "nothing"], "`gdm runs` lists them"),
                       (["sample", "nothing", "-o", "grid.xyz"], "must end in one of .avif"),
                       (["train", "gan", "--seeds", "0-1", "--scheduler", "tcp://127.0.0.1:1"],
                        "no Dask scheduler answers at tcp://127.0.0.1:1")]:
        code, out, err = in_process(capsys, *args)
        assert code == 2, (args, err)
        assert err.startswith("gdm: error: ") and says in err and len(err.strip().splitlines()) == 1, (args, err)
    code, _, err = in_process(capsys, "train", "gan", "--profile", "laptop")
    assert code == 2 and "invalid choice: 'laptop'" in err
    for args in (["train", "gan", "--jobs", "0"], ["sample", "x", "--n", "-3"], ["evaluate", "x", "--n", "0"]):
        code, _, err = in_process(capsys, *args)
        assert code == 2 and "must be at least 1" in err, args
    proc = gdm("train", "gan", "-p", "lr=abc", check=False)  # the same from a shell: no traceback
    assert proc.returncode == 2 and proc.stderr.strip().splitlines() == [
        "gdm: error: parameter 'lr' must be float (like 0.0002), got str 'abc'"]


def test_help_everywhere(capsys):
    code, out, _ = in_process(capsys, "--help")
    assert code == 0 and "train" in out and "evaluate" in out
    for verb in ("train", "sample", "evaluate", "runs", "show"):
        code, out, _ = in_process(capsys, verb, "--help")
        assert code == 0 and out.startswith(f"usage: gdm {verb}"), verb
    assert "--scheduler" in in_process(capsys, "train", "--help")[1]
    console = Path(sys.executable).with_name("gdm")
    if console.exists():  # the console script of pyproject.toml (make setup installs it)
        assert subprocess.run([str(console), "--help"], capture_output=True, text=True).returncode == 0


def interrupted_at_step_23(cfg):
    """Train ``cfg`` and kill it at step 23 (its checkpoint of step 20 stays on disk)."""
    def stop(step, model, logs):
        if step == 23:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        load_or_train(cfg, callbacks=[stop])


def test_an_unfinished_run_is_shown_resumed_by_its_id_and_not_sampled(capsys):
    """A run interrupted after its checkpoint: ``show`` reads the history written so far; ``sample``
    refuses it (it would have to train) and says how to resume."""
    from gdm import paths

    cfg = make_config("gan", dataset="ring_scaled", z_dim=2, g_hidden=[8], d_arch="mlp", d_hidden=[8], steps=40,
                      batch_size=8, checkpoint_every=10, log_every=5)
    interrupted_at_step_23(cfg)
    rid = run_id(cfg)
    assert (paths.runs_dir() / rid / "checkpoint.pt").exists()
    code, out, _ = in_process(capsys, "show", rid)
    assert code == 0 and "training or interrupted at step 20 of 40" in out and "history: 4 points" in out
    code, _, err = in_process(capsys, "sample", rid)
    assert code == 2 and "is not finished" in err and f"`gdm train {rid}` resumes it" in err
    code, out, err = in_process(capsys, "train", rid[:12], "-q")  # resumed by (the start of) its id
    assert code == 0 and out.strip() == rid and "trained, 40 steps" in err
    alone = load_or_train(cfg, root=paths.home() / "alone")
    assert alone.history["d_loss"] == load_or_train(cfg).history["d_loss"]


def test_reading_a_run_never_trains_it(capsys, book_store, monkeypatch):
    """With the store switched off (``GDM_STORE=0``), ``load_or_train`` would train a stored run
    again; ``gdm sample`` reads the entry it names instead."""
    monkeypatch.setenv("GDM_STORE", "0")
    (cfg,) = cli.configs("gan")
    code, out, _ = in_process(capsys, "sample", run_id(cfg), "--n", "4", "-o", str(paths_home() / "g.png"))
    assert code == 0 and (paths_home() / "g.png").exists()
    assert not (paths_home() / "runs").exists(), "nothing was trained"


def paths_home():
    from gdm import paths

    return paths.home()


@pytest.mark.slow
def test_a_failing_job_of_a_sweep_is_named_with_its_log_and_the_others_finish(tmp_path):
    """One of two runs cannot be trained (its directory holds another config): the sweep exits 1,
    names the job and its log, and prints only the id of the run that finished."""
    from gdm import paths

    cfgs = cli.configs("gan", "smoke", [a for a in RING if a != "-p"], "0-1")
    blocked = paths.runs_dir() / run_id(cfgs[1])
    blocked.mkdir(parents=True)
    (blocked / "config.json").write_text(json.dumps({**cfgs[1], "lr": 0.5}))
    proc = gdm("train", "gan", "--profile", "smoke", *RING, "--seeds", "0-1", "--jobs", "1", check=False)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.split() == [run_id(cfgs[0])]
    log = paths.runs_dir() / "logs" / f"{run_id(cfgs[1])}.log"
    assert f"see {log}" in proc.stderr and "1 of 2 jobs failed" in proc.stderr
    assert "refusing to overwrite" in log.read_text()


@pytest.mark.slow
def test_seeds_trained_as_one_group_are_one_job_on_any_scheduler(tmp_path, monkeypatch):
    """``seed_group`` 2: the two seeds are one Dask job (one log, the group's); the sweep goes to a
    scheduler started beforehand with another GDM_HOME, and the runs land in the command's."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        home = tmp_path / "client-home"  # set after the workers started: only the job can carry it
        args = ["train", "gan", "--profile", "smoke", *RING, "-p", "d_dropout=0", "-p", "d_input_dropout=0",
                "-p", "seed_group=2", "--seeds", "0-1", "--scheduler", cluster.scheduler_address,
                "--tensorboard", str(tmp_path / "tb")]
        proc = gdm(*args, env={"GDM_HOME": str(home)})
    assert "2 runs in 1 jobs on tcp://" in proc.stderr
    ids = proc.stdout.split()
    assert len(ids) == 2 and all((home / "runs" / rid / "done.json").exists() for rid in ids)
    (log,) = (home / "runs" / "logs").iterdir()
    assert "-group-" in log.name and [p.name for p in (tmp_path / "tb").iterdir()] == [log.stem]


@pytest.mark.slow
def test_a_sweep_runs_on_a_local_dask_cluster_and_equals_lone_runs(tmp_path):
    """Two seeds × two learning rates as four Dask jobs: each run is the one ``load_or_train``
    trains alone in this process (the same id, the same history to the last bit)."""
    proc = gdm("train", "gan", "--profile", "smoke", *RING, "-p", "lr=1e-4,2e-4", "--seeds", "0-1", "--jobs", "2")
    ids = proc.stdout.split()
    assert len(ids) == 4 and len(set(ids)) == 4 and "4 runs in 4 jobs on a local Dask cluster" in proc.stderr
    cfgs = cli.configs("gan", "smoke", [a for a in RING if a != "-p"] + ["lr=1e-4,2e-4"], "0-1")
    assert [run_id(c) for c in cfgs] == ids
    from gdm import paths

    for c in cfgs:
        swept = json.loads((paths.runs_dir() / run_id(c) / "history.json").read_text())
        alone = load_or_train(c, root=tmp_path / "alone")
        assert alone.history["d_loss"] == swept["d_loss"] and alone.history["g_loss"] == swept["g_loss"]


def test_a_group_of_seeds_still_training_is_listed_and_shown_but_not_read(capsys):
    """A group of seeds trained as one (interrupted here) has no run of its own until it ends:
    ``gdm runs`` lists it by its group id, ``gdm show`` reads its history so far, ``gdm sample``
    says what it is."""
    from gdm import paths
    from gdm.runs import group_id

    cfg = make_config("gan", dataset="ring_scaled", z_dim=2, g_hidden=[8], d_arch="mlp", d_hidden=[8], d_dropout=0.0,
                      d_input_dropout=0.0, steps=40, batch_size=8, checkpoint_every=10, log_every=5, seed_group=2)
    interrupted_at_step_23(cfg)
    gid = group_id(cfg)
    assert (paths.runs_dir() / gid / "checkpoint.pt").exists()
    code, out, _ = in_process(capsys, "runs")
    assert code == 0 and gid in out and "training or interrupted at step 20 of 40" in out
    code, out, _ = in_process(capsys, "show", gid)
    assert code == 0 and "the seeds 0, 1 trained as one group" in out and "history: 4 points" in out
    code, _, err = in_process(capsys, "sample", gid)
    assert code == 2 and "is a group of seeds (0, 1) trained as one" in err
