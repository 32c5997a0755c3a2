"""Runs: a run's identity is a hash of its whole configuration.

``load_or_train(cfg)`` reads the run from the store of trained runs kept with the book
(``gdm.store``: ``results/runs/<run id>/``, weights only, no pickle) when it is there; otherwise it
reuses a finished run of the cache under ``GDM_HOME``, resumes an unfinished one from its last
checkpoint, and trains a new one. A run directory of the cache holds ``config.json``,
``checkpoint.pt`` (the latest state), ``history.json`` and, once finished, ``done.json`` (the
training record: device, seconds, steps, threads, versions, commit, date).
Nothing is ever overwritten: a directory whose config differs from the requested one is an
error, not a cache hit.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import torch

from . import __version__, data, models, paths
from .config import identity, make_config
from .errors import GdmError
from .train import TRAIN_THREADS, pick_device, rng_devices, save_atomic, train


def run_id(cfg: dict) -> str:
    """``<model>-<first 12 hex digits of the SHA-256 of the canonical JSON of the config>``."""
    blob = json.dumps(identity(cfg), sort_keys=True, separators=(",", ":"))
    return f"{cfg['model']}-{hashlib.sha256(blob.encode()).hexdigest()[:12]}"


@dataclass
class Run:
    id: str
    dir: Path
    config: dict
    model: models.Model
    history: dict
    seconds: float
    reused: bool  # True when the run was finished before this call
    source: str = "trained"  # "store" (read from the store), "cache" (a finished run under GDM_HOME) or "trained"
    record: dict = field(default_factory=dict)  # how and where it was trained (done.json, or the store's record.json)

    def __repr__(self) -> str:
        state = {"store": "from the store", "cache": "reused"}.get(self.source, "trained")
        return f"Run({self.id}, {state}, {self.config['steps']} steps, {self.seconds:.1f} s)"


def _write_json(obj, path: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(obj, indent=1, sort_keys=True))
    tmp.replace(path)


def training_record(device, seconds: float, steps: int) -> dict:
    """Where and how a run was trained: what the store keeps beside its weights."""
    import platform
    from datetime import datetime, timezone

    return {"seconds": seconds, "steps": steps, "device": str(device), "version": __version__,
            "torch": torch.__version__, "machine": platform.machine(),
            "threads": TRAIN_THREADS if torch.device(device).type == "cpu" else torch.get_num_threads(),
            "commit": code_commit(), "trained_at": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}


def code_commit() -> str | None:
    """The commit of gdm's checkout, "(with uncommitted changes)" when its code differs, or None."""
    return paths.git_commit(Path(__file__).resolve().parent.parent, lambda p: p.startswith("gdm/"))


def load_or_train(cfg: dict, *, root=None, device=None, progress=None, callbacks=(), use_store: bool | None = None) -> Run:
    """The finished run of ``cfg``: from the store if it is there (``use_store``: default unless
    ``GDM_STORE=0``), reused if finished in the cache, resumed if interrupted, else trained."""
    from . import store

    cfg = make_config(**cfg)
    rid = run_id(cfg)
    device = pick_device(device)
    entry = store.find(cfg) if (use_store if use_store is not None else store.enabled()) else None
    if entry is not None:
        with torch.random.fork_rng(devices=rng_devices(device)):
            torch.manual_seed(cfg["seed"])
            model = models.build(cfg, data.shape_of(cfg["dataset"]))
        kept = store.load(entry, cfg, model)
        model.to(device)
        store.record_use(rid, model)
        return Run(rid, entry, cfg, model, kept.history, float(kept.record.get("seconds", 0.0)), True, "store",
                   kept.record)
    run_dir = Path(root) if root is not None else paths.runs_dir()
    run_dir = run_dir / rid
    run_dir.mkdir(parents=True, exist_ok=True)
    cfg_path, ckpt, done_path = run_dir / "config.json", run_dir / "checkpoint.pt", run_dir / "done.json"
    if cfg_path.exists():
        stored = json.loads(cfg_path.read_text())
        if identity(stored) != identity(cfg):
            raise GdmError(f"{run_dir} holds a run of another configuration; refusing to overwrite it. "
                           f"Move it away or set GDM_HOME to another folder.")
    else:
        _write_json(cfg, cfg_path)

    # everything below draws from torch's global RNG inside a fork of it: the caller's RNG is the
    # same after this call whether the run was reused, resumed or trained (a callback that reads a
    # finished run, e.g. the feature network, cannot reseed the training it is called from)
    with torch.random.fork_rng(devices=rng_devices(device)):
        torch.manual_seed(cfg["seed"])  # the initial weights are a function of the seed
        model = models.build(cfg, data.shape_of(cfg["dataset"]))
        if done_path.exists():
            state = torch.load(ckpt, map_location=device, weights_only=False)
            model.to(device)
            model.load_checkpoint_state(state["model"])
            done = json.loads(done_path.read_text())
            store.record_use(rid, model)
            return Run(rid, run_dir, cfg, model, state["history"], done["seconds"], True, "cache", done)

        batches = data.Batches(cfg["dataset"], cfg["batch_size"], cfg["seed"], labels=model.needs_labels,
                               counts=model.batches_at)
        if not ckpt.exists():  # a new run: data-dependent initialisation (resumed runs have it in the checkpoint)
            model.init_from_data(batches.data.x if batches.data is not None else batches(0))
        history = train(model, batches, cfg["steps"], checkpoint=ckpt, checkpoint_every=cfg["checkpoint_every"],
                        log_every=cfg["log_every"], callbacks=callbacks, progress=progress, device=device)
    _write_json(history, run_dir / "history.json")
    record = training_record(device, history["seconds"], cfg["steps"])
    _write_json(record, done_path)
    store.record_use(rid, model)
    return Run(rid, run_dir, cfg, model, history, history["seconds"], False, "trained", record)
