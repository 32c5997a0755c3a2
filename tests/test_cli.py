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
    with pytest.raises(UnknownNameError, match="known profiles: cpu, paper, smoke"):
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
    assert cli.configs("gan", "paper")[0]["dataset"] == "mnist" and cli.configs("gan", "paper")[0]["steps"] == 50_000


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
                       (["evaluate", "nothing"], "`gdm runs` lists them")]:
        code, out, err = in_process(capsys, *args)
        assert code == 2, (args, err)
        assert err.startswith("gdm: error: ") and says in err and len(err.strip().splitlines()) == 1, (args, err)
    code, _, err = in_process(capsys, "train", "gan", "--profile", "laptop")
    assert code == 2 and "invalid choice: 'laptop'" in err
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


def test_an_unfinished_run_is_shown_with_its_progress_and_not_sampled(capsys):
    """A run interrupted after its checkpoint: ``show`` reads the history written so far; ``sample``
    refuses it (it would have to train) and says how to resume."""
    from gdm import paths

    cfg = make_config("gan", dataset="ring_scaled", z_dim=2, g_hidden=[8], d_arch="mlp", d_hidden=[8], steps=40,
                      batch_size=8, checkpoint_every=10, log_every=5)

    def stop(step, model, logs):
        if step == 23:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        load_or_train(cfg, callbacks=[stop])
    rid = run_id(cfg)
    assert (paths.runs_dir() / rid / "checkpoint.pt").exists()
    code, out, _ = in_process(capsys, "show", rid)
    assert code == 0 and "training or interrupted at step 20 of 40" in out and "history: 4 points" in out
    code, _, err = in_process(capsys, "sample", rid)
    assert code == 2 and "is not finished" in err and "resumes it" in err


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
