"""The store of trained runs (gdm.store): weights in safetensors, found before the cache, checked
against their config; bad entries give one clear error and nothing is overwritten."""
import json
import shutil

import pytest
import torch

from gdm import paths, results, store
from gdm.config import make_config
from gdm.runs import load_or_train, run_id

TINY = dict(dataset="ring", steps=12, batch_size=32, z_dim=2, z_prior="normal", g_hidden=[16], d_arch="mlp",
            d_hidden=[16], d_dropout=0.2, d_input_dropout=0.0, g_batchnorm=True, log_every=4)


def params(model):
    return {k: v.clone() for k, v in model.state_dict().items()}


@pytest.fixture
def stored():
    """A finished run, put in the store, its cache entry removed: what a clean clone has."""
    cfg = make_config("gan", **TINY)
    run = load_or_train(cfg)
    entry = store.save(run)
    shutil.rmtree(run.dir)
    return cfg, run, entry


def test_a_stored_run_is_read_from_the_store_exactly(stored):
    cfg, run, entry = stored
    assert entry == store.store_dir() / run.id == paths.results_dir() / "runs" / run.id
    assert sorted(p.name for p in entry.iterdir()) == sorted(store.FILES)
    again = load_or_train(cfg)
    assert again.source == "store" and again.reused and again.dir == entry
    assert not (paths.runs_dir() / run.id).exists(), "nothing is trained or written to the cache"
    a, b = params(run.model), params(again.model)
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)  # batch norm's buffers included
    assert again.history == json.loads(json.dumps(store.compact(run.history)))  # floats to 9 significant digits
    for key, values in run.history.items():
        if isinstance(values, list) and values and isinstance(values[0], float):
            assert again.history[key] == pytest.approx(values, rel=1e-8)
    assert store.compact({"a": [0.12345678912345, 3], "b": {"c": 2.0 / 3}}) == {"a": [0.123456789, 3], "b": {"c": 0.666666667}}
    rec = again.record
    assert rec["dtype"] == "float32" and rec["steps"] == 12 and rec["device"] == "cpu"
    assert {"seconds", "threads", "torch", "version", "trained_at", "commit"} <= set(rec)


def test_loading_an_entry_runs_no_pickle(stored, monkeypatch):
    cfg, run, entry = stored

    def no_pickle(*a, **kw):
        raise AssertionError("a store entry must not be read with torch.load")

    monkeypatch.setattr(torch, "load", no_pickle)
    assert load_or_train(cfg).source == "store"
    assert (entry / "weights.safetensors").read_bytes()[8:9] == b"{"  # a safetensors header, not a pickle


def test_half_precision_entries_load_as_float32(tmp_path):
    run = load_or_train(make_config("gan", **TINY))
    entry = store.save(run, root=tmp_path, dtype="float16")
    model = store._clone_model(run)
    kept = store.load(entry, run.config, model)
    assert kept.record["dtype"] == "float16"
    params = {k for k, _ in run.model.named_parameters()}
    for k, v in run.model.state_dict().items():
        got = model.state_dict()[k]
        assert got.dtype == v.dtype
        if k in params:
            assert torch.equal(got, v.half().float())
        else:
            assert torch.equal(got, v)  # buffers (batch norm's statistics, counters) stay exact


def test_the_store_comes_before_the_cache_and_gdm_store_0_ignores_it(stored, monkeypatch):
    cfg, run, entry = stored
    monkeypatch.setenv("GDM_STORE", "0")
    trained = load_or_train(cfg)
    assert trained.source == "trained" and (paths.runs_dir() / run.id / "done.json").exists()
    monkeypatch.delenv("GDM_STORE")
    assert load_or_train(cfg).source == "store"
    assert load_or_train(cfg, use_store=False).source == "cache"


@pytest.mark.parametrize("damage, message", [
    ("missing weights", "has no weights.safetensors"),
    ("truncated weights", "corrupt or truncated"),
    ("other config", "holds the config of another run"),
    ("missing history", "has no history.json"),
    ("foreign weights", "do not fit the model"),
])
def test_a_bad_entry_is_one_clear_error_and_nothing_is_overwritten(stored, damage, message):
    cfg, run, entry = stored
    weights = entry / "weights.safetensors"
    if damage == "missing weights":
        weights.unlink()
    elif damage == "truncated weights":
        weights.write_bytes(weights.read_bytes()[: weights.stat().st_size // 2])
    elif damage == "other config":
        (entry / "config.json").write_text(json.dumps({**cfg, "lr": 0.5}))
    elif damage == "missing history":
        (entry / "history.json").unlink()
    else:
        other = load_or_train(make_config("gan", **{**TINY, "g_hidden": [8]}), use_store=False)
        shutil.copy(store.save(other, root=entry.parent / "elsewhere") / "weights.safetensors", weights)
    before = {p.name: p.read_bytes() for p in entry.iterdir()}
    with pytest.raises(store.StoreError, match=message) as err:
        load_or_train(cfg)
    assert str(entry) in str(err.value) and "rm -r" in str(err.value)
    with pytest.raises(store.StoreError):
        store.save(run)  # an entry that does not hold the same intact run is not rewritten either
    assert {p.name: p.read_bytes() for p in entry.iterdir()} == before
    assert not (paths.runs_dir() / run.id).exists(), "nothing was retrained behind the error"


def test_saving_the_same_run_again_leaves_its_files_untouched(stored):
    cfg, run, entry = stored
    stamp = {p.name: p.stat().st_mtime_ns for p in entry.iterdir()}
    assert store.save(load_or_train(cfg)) == entry
    assert {p.name: p.stat().st_mtime_ns for p in entry.iterdir()} == stamp


def test_add_a_chapter_stores_the_runs_its_results_file_lists(capsys):
    runs = [load_or_train(make_config("gan", **{**TINY, "seed": s})) for s in (0, 1)]
    results.write("gan", chapter="01", config={}, metrics={}, paper={}, seconds=0, runs=[r.id for r in runs])
    assert store.main(["add", "gan"]) == 0
    assert [e.name for e in store.entries()] == sorted(r.id for r in runs)
    assert store.main(["verify"]) == 0 and "2 entries verified" in capsys.readouterr().out
    assert store.main(["list"]) == 0 and "2 entries" in capsys.readouterr().out
    results.write("wgan", chapter="03", config={}, metrics={}, paper={}, seconds=0, runs=["wgan-000000000000"])
    assert store.main(["add", "wgan"]) == 1
    assert "not finished" in capsys.readouterr().err
    assert store.main(["add", "vae"]) == 1 and "execute the chapter first" in capsys.readouterr().err
    assert run_id(runs[0].config) == runs[0].id


def test_add_the_book_takes_every_chapters_runs_and_the_feature_network(monkeypatch):
    from gdm.metrics import features

    run = load_or_train(make_config("gan", **TINY))
    results.write("gan", chapter="01", config={}, metrics={}, paper={}, seconds=0, runs=[run.id])
    (paths.results_dir() / "execution.json").write_text(json.dumps({"runs": {"gan": {run.id: {}}}}))  # not a chapter
    net = features.feature_net("mnist5k", steps=2)
    monkeypatch.setattr(features, "feature_net_config", lambda d, seed=0, steps=None: net.config)
    assert store.book_runs() == sorted([run.id, net.id])
    assert store.main(["add", "--book", "--dtype", "float16"]) == 0
    assert [e.name for e in store.entries()] == sorted([run.id, net.id])
    assert store.main(["add", run.id]) == 0  # by run id; already there: left as it is


def test_the_store_is_committed_and_the_cache_is_not():
    """results/runs/ is the store, kept with the book; runs/ and data/ at the top are caches."""
    import subprocess

    root = paths.Path(__file__).resolve().parent.parent
    ignored = lambda p: subprocess.run(["git", "-C", str(root), "check-ignore", "-q", p]).returncode == 0
    assert not ignored("results/runs/gan-000000000000/weights.safetensors")
    assert ignored("runs/gan-000000000000/checkpoint.pt") and ignored("data/MNIST/raw/x")


def test_an_entry_keeps_only_the_nets_evaluation_read(tmp_path, monkeypatch):
    """An execution recorded with GDM_RECORD_NETS says which nets were read; an entry made from it
    keeps those (and the model's buffers) and a net it left out is an error when used."""
    log = tmp_path / "nets.jsonl"
    cfg = make_config("gan", **TINY)
    load_or_train(cfg)  # trained, outside the recording
    monkeypatch.setenv("GDM_RECORD_NETS", str(log))
    run = load_or_train(cfg)
    samples = run.model.sample(5, torch.Generator().manual_seed(0))  # evaluation reads the generator only
    monkeypatch.delenv("GDM_RECORD_NETS")
    assert store.nets_used(log) == {run.id: {"generator"}}
    assert store.main(["add", run.id, "--nets-from", str(log)]) == 0
    entry = store.store_dir() / run.id
    rec = json.loads((entry / "record.json").read_text())
    assert rec["nets"] == ["generator"] and rec["all_nets"] == ["generator", "discriminator"]
    shutil.rmtree(paths.runs_dir() / run.id)
    again = load_or_train(cfg)
    assert again.source == "store"
    assert torch.equal(again.model.sample(5, torch.Generator().manual_seed(0)), samples)
    with pytest.raises(store.StoreError, match="'discriminator'.*was not among them"):
        again.model.d_logits(torch.zeros(3, 2))
    full = load_or_train(make_config("gan", **{**TINY, "seed": 3}))
    with pytest.raises(store.StoreError, match="no nets"):
        store.save(full, nets=["critic"])


STORE_CHAPTER = "13_wae"  # executed from the committed store by the next test: about a minute of evaluation


def test_a_chapter_executed_from_the_committed_store_gives_its_committed_numbers(tmp_path):
    """What a clean clone's `make book` does for every chapter: the chapter's runs (and the feature
    network) come from results/runs/, nothing is trained, and the results file comes out with the
    committed numbers, every one of them identical."""
    import os
    import subprocess
    import sys

    from gdm import execute

    root = paths.Path(__file__).resolve().parent.parent
    slug = STORE_CHAPTER.split("_", 1)[1]
    committed = json.loads((root / "results" / f"{slug}.json").read_text())
    missing = [r for r in committed["runs"] if not (root / "results" / "runs" / r / "weights.safetensors").exists()]
    assert not missing, f"the store lacks {len(missing)} runs of chapter {slug}, e.g. {missing[0]}"
    env = {**os.environ, "GDM_HOME": str(tmp_path / "home"), "GDM_RUNS": str(tmp_path / "empty-cache"),
           "GDM_STORE_DIR": str(root / "results" / "runs"), "GDM_PROGRESS": "0", "OMP_NUM_THREADS": "1"}
    env.pop("GDM_STORE", None)
    (tmp_path / "home" / "results").mkdir(parents=True)
    out = tmp_path / f"{STORE_CHAPTER}.ipynb"
    proc = subprocess.run([sys.executable, "-m", "papermill", "--cwd", str(root / "notebooks"), "-k", "python3",
                           "--log-level", "WARNING", str(root / "notebooks" / f"{STORE_CHAPTER}.ipynb"), str(out)],
                          env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert not (tmp_path / "empty-cache").exists() or not any((tmp_path / "empty-cache").iterdir()), "it trained"
    fresh = json.loads((tmp_path / "home" / "results" / f"{slug}.json").read_text())
    diff = execute.compare_numbers(committed["metrics"], fresh["metrics"])
    # bit-identical on the CPU that trained the store (AMD EPYC, AVX-512); another CPU's kernels sum in
    # another order (an Intel Xeon: 165 of 260 numbers identical, the rest within 2.7e-5 relative)
    assert diff["numbers"] > 50 and diff["max_relative_difference"] < 1e-4, diff
    assert fresh["runs"] == committed["runs"]


def test_the_committed_store_holds_every_run_the_book_uses_within_its_budget():
    """A clean clone's `make book` trains nothing: every run the committed results files list, and
    the feature network, is a store entry; the store stays within 200 MB."""
    import subprocess

    from gdm.metrics.features import feature_net_config

    root = paths.Path(__file__).resolve().parent.parent
    base = root / "results" / "runs"
    chapters = [json.loads(p.read_text()) for p in sorted((root / "results").glob("*.json"))]
    wanted = {r for rec in chapters if "chapter" in rec for r in rec.get("runs", [])} | {run_id(feature_net_config("mnist5k"))}
    have = {e.name for e in store.entries(base)}
    assert wanted <= have, f"{len(wanted - have)} runs the book uses are not in the store: python -m gdm.store add --book"
    assert store.size_bytes(base) <= 200e6
    tracked = subprocess.run(["git", "-C", str(root), "ls-files", "results/runs"], capture_output=True, text=True).stdout
    assert all(f"results/runs/{r}/weights.safetensors" in tracked for r in wanted), "store entries are committed"
    for e in store.entries(base):
        rec = json.loads((e / "record.json").read_text())
        assert {"device", "seconds", "steps", "dtype"} <= set(rec), e


def test_a_real_chapter_retrained_from_scratch_at_smoke_scale_gives_the_same_numbers(tmp_path):
    """Chapter 13 at its smoke parameters: executed once (its runs trained), its runs put in a
    store; then executed with the store ignored and an empty run cache, which trains every run
    again: the numbers of its results file are compared, and on the same CPU and thread count
    they are identical."""
    import os
    import subprocess
    import sys

    from gdm import execute

    root = paths.Path(__file__).resolve().parent.parent

    def execute_chapter(home, runs, store_dir, use_store):
        env = {**os.environ, "GDM_HOME": str(home), "GDM_RUNS": str(runs), "GDM_STORE_DIR": str(store_dir),
               "GDM_STORE": "1" if use_store else "0", "GDM_PROGRESS": "0", "OMP_NUM_THREADS": "1"}
        (home / "results").mkdir(parents=True, exist_ok=True)
        proc = subprocess.run([sys.executable, "-m", "papermill", "--cwd", str(root / "notebooks"), "-k", "python3",
                               "--log-level", "WARNING", "-f", str(root / "notebooks" / "params" / "smoke" / "wae.yaml"),
                               str(root / "notebooks" / "13_wae.ipynb"), str(home / "out.ipynb")],
                              env=env, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr[-3000:]
        return json.loads((home / "results" / "wae.json").read_text())

    first = execute_chapter(tmp_path / "a", tmp_path / "a-runs", tmp_path / "store", use_store=True)
    subprocess.run([sys.executable, "-m", "gdm.store", "add", "wae"], check=True, capture_output=True,
                   env={**os.environ, "GDM_HOME": str(tmp_path / "a"), "GDM_RUNS": str(tmp_path / "a-runs"),
                        "GDM_STORE_DIR": str(tmp_path / "store")})
    assert len(store.entries(tmp_path / "store")) == len(first["runs"]) > 3
    again = execute_chapter(tmp_path / "b", tmp_path / "b-runs", tmp_path / "store", use_store=False)
    retrained = {p.name for p in (tmp_path / "b-runs").iterdir()}
    assert set(first["runs"]) <= retrained, "every run of the chapter was trained again"
    diff = execute.compare_numbers(first["metrics"], again["metrics"])
    assert diff["numbers"] > 50 and diff["identical"] == diff["numbers"], diff


def test_a_run_whose_history_alone_was_read_is_stored_without_weights(tmp_path, monkeypatch):
    """A run loaded by an execution that read only its history (a tracked curve) is kept as its
    config, history and record: no net in the weights file, and every net a NotStored."""
    log = tmp_path / "nets.jsonl"
    cfg = make_config("gan", **TINY)
    load_or_train(cfg)
    monkeypatch.setenv("GDM_RECORD_NETS", str(log))
    run = load_or_train(cfg)
    history = run.history
    monkeypatch.delenv("GDM_RECORD_NETS")
    assert store.nets_used(log) == {run.id: set()}
    assert store.main(["add", run.id, "--nets-from", str(log)]) == 0
    entry = store.store_dir() / run.id
    assert json.loads((entry / "record.json").read_text())["nets"] == []
    shutil.rmtree(paths.runs_dir() / run.id)
    again = load_or_train(cfg)
    assert again.source == "store" and again.history["d_loss"] == pytest.approx(history["d_loss"], rel=1e-8)
    with pytest.raises(store.StoreError, match="was not among them"):
        again.model.sample(2)


def test_a_diverged_run_is_recorded_stored_and_never_trained_again(monkeypatch, capsys):
    """A configuration that diverges (a NaN) is a fact worth keeping: the cache records it, the store
    keeps it without weights, and reading it raises the divergence at once, without training."""
    from gdm import runs as runs_module
    from gdm.errors import TrainingDivergedError
    from gdm.runs import fresh

    cfg = make_config("gan", **{**TINY, "steps": 16, "checkpoint_every": 4})
    cls = type(fresh(cfg)[0])
    real_step = cls.train_step
    monkeypatch.setattr(cls, "train_step", lambda self, batch, step: {**real_step(self, batch, step), "d_loss": float("nan")}
                        if step == 9 else real_step(self, batch, step))
    with pytest.raises(TrainingDivergedError, match="step 9"):
        load_or_train(cfg)
    rid = run_id(cfg)
    info = json.loads((paths.runs_dir() / rid / runs_module.DIVERGED).read_text())
    assert info["step"] == 9 and info["record"]["steps"] == 16

    def no_training(*a, **k):
        raise AssertionError("a recorded divergence was trained again")

    monkeypatch.setattr(runs_module, "train", no_training)
    with pytest.raises(TrainingDivergedError, match=r"step 9.*not trained again"):
        load_or_train(cfg)
    entry = store.add_run(rid)
    shutil.rmtree(paths.runs_dir() / rid)
    rec = json.loads((entry / "record.json").read_text())
    assert rec["diverged"]["step"] == 9 and {"device", "seconds", "steps", "dtype"} <= set(rec)
    assert sorted(p.name for p in entry.iterdir()) == sorted(store.FILES)
    logged = json.loads((entry / "history.json").read_text())["step"]
    assert logged and max(logged) < 9  # its history up to its last good checkpoint
    with pytest.raises(TrainingDivergedError, match=r"step 9: .*results/runs/" + rid):
        load_or_train(cfg)
    assert not (paths.runs_dir() / rid).exists(), "nothing was trained"
    assert store.main(["verify"]) == 0
