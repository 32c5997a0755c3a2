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
import time
from dataclasses import dataclass, field
from pathlib import Path

import torch

from . import __version__, data, models, paths
from .config import identity, make_config
from .errors import GdmError, TrainingDivergedError
from .train import TRAIN_THREADS, LiveHistory, pick_device, rng_devices, save_atomic, train


#: the history written as training goes, in a run's (or a group's) directory of the cache
LIVE_HISTORY = "history.jsonl"
#: a run directory's record that its configuration diverged (a NaN) when it trained: not trained again
DIVERGED = "diverged.json"


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


def trained_here(runs) -> float:
    """The training seconds spent by this process on ``runs``: the recorded seconds of those it
    trained (``source == "trained"``), none for those read from the store or the run cache. A cell's
    evaluation time is its elapsed time less this (less their recorded seconds would count the
    training of a stored run against the cell that only read it)."""
    return sum(r.seconds for r in runs if r.source == "trained")


def chapter_seconds(runs, t_start: float) -> float:
    """A chapter's cost: the recorded training seconds of every distinct run in ``runs`` (as if each
    were trained once), plus the time since ``t_start`` (``time.perf_counter()``) less the training
    this process did (:func:`trained_here`): its evaluation, figures and tables."""
    unique = {r.id: r for r in runs}.values()
    return sum(r.seconds for r in unique) + time.perf_counter() - t_start - trained_here(unique)


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


def _built(cfg: dict, device) -> models.Model:
    """``cfg``'s model as a new run starts it (its initial weights drawn under ``manual_seed(seed)``),
    inside a fork of the RNG: reading a run leaves the caller's RNG as it was."""
    with torch.random.fork_rng(devices=rng_devices(device)):
        torch.manual_seed(cfg["seed"])
        return models.build(cfg, data.shape_of(cfg["dataset"]))


def _read_store(entry: Path, cfg: dict, device) -> Run:
    from . import store

    model = _built(cfg, device)
    kept = store.load(entry, cfg, model)
    model.to(device)
    store.record_use(entry.name, model)
    return Run(entry.name, entry, cfg, model, kept.history, float(kept.record.get("seconds", 0.0)), True, "store",
               kept.record)


def _read_cache(run_dir: Path, cfg: dict, device) -> Run:
    from . import store

    model = _built(cfg, device)
    state = torch.load(run_dir / "checkpoint.pt", map_location=device, weights_only=False)
    model.to(device)
    model.load_checkpoint_state(state["model"])
    done = json.loads((run_dir / "done.json").read_text())
    store.record_use(run_dir.name, model)
    return Run(run_dir.name, run_dir, cfg, model, state["history"], done["seconds"], True, "cache", done)


def load_or_train(cfg: dict, *, root=None, device=None, progress=None, callbacks=(), use_store: bool | None = None,
                  on_log=()) -> Run:
    """The finished run of ``cfg``: from the store if it is there (``use_store``: default unless
    ``GDM_STORE=0``), reused if finished in the cache, resumed if interrupted, else trained. A
    config with ``seed_group`` G > 1 that has to be trained trains its whole group of G seeds at once
    (:func:`train_group`; ``callbacks`` then see the group). While it trains, its history is
    written as it grows to ``history.jsonl`` in its run directory (its group's, for a group), and
    ``on_log`` hooks (``fn(step, means)``, e.g. :class:`gdm.train.TensorBoard`) see each logged mean."""
    from . import store

    cfg = make_config(**cfg)
    rid = run_id(cfg)
    device = pick_device(device)
    entry = store.find(cfg) if (use_store if use_store is not None else store.enabled()) else None
    if entry is not None:
        return _read_store(entry, cfg, device)
    run_root = Path(root) if root is not None else paths.runs_dir()
    run_dir = run_root / rid
    if cfg["seed_group"] > 1 and not (run_dir / "done.json").exists():
        train_group(cfg, root=run_root, device=device, progress=progress, callbacks=callbacks, on_log=on_log)
        run = load_or_train(cfg, root=run_root, device=device, use_store=False)
        run.reused, run.source = False, "trained"
        return run
    run_dir.mkdir(parents=True, exist_ok=True)
    cfg_path, ckpt, done_path = run_dir / "config.json", run_dir / "checkpoint.pt", run_dir / "done.json"
    if cfg_path.exists():
        stored = json.loads(cfg_path.read_text())
        if identity(stored) != identity(cfg):
            raise GdmError(f"{run_dir} holds a run of another configuration; refusing to overwrite it. "
                           f"Move it away or set GDM_HOME to another folder.")
    else:
        _write_json(cfg, cfg_path)

    if done_path.exists():
        return _read_cache(run_dir, cfg, device)
    if (run_dir / DIVERGED).exists():
        raise recorded_divergence(json.loads((run_dir / DIVERGED).read_text()), run_dir / DIVERGED)
    started = time.perf_counter()
    # everything below draws from torch's global RNG inside a fork of it: the caller's RNG is the
    # same after this call whether the run was reused, resumed or trained (a callback that reads a
    # finished run, e.g. the feature network, cannot reseed the training it is called from)
    with torch.random.fork_rng(devices=rng_devices(device)):
        torch.manual_seed(cfg["seed"])  # the initial weights are a function of the seed
        model = models.build(cfg, data.shape_of(cfg["dataset"]))
        batches = data.Batches(cfg["dataset"], cfg["batch_size"], cfg["seed"], labels=model.needs_labels,
                               counts=model.batches_at, train_size=cfg["train_size"])
        if not ckpt.exists():  # a new run: data-dependent initialisation (resumed runs have it in the checkpoint)
            model.init_from_data(batches.data.x if batches.data is not None else batches(0))
        try:
            history = train(model, batches, cfg["steps"], checkpoint=ckpt, checkpoint_every=cfg["checkpoint_every"],
                            log_every=cfg["log_every"], callbacks=callbacks, progress=progress, device=device,
                            live=run_dir / LIVE_HISTORY, on_log=on_log)
        except TrainingDivergedError as err:  # a fact about the configuration: kept, so it is not trained again
            _write_json({"step": getattr(err, "step", None), "message": str(err),
                         "record": training_record(device, time.perf_counter() - started, cfg["steps"])},
                        run_dir / DIVERGED)
            raise
    _write_json(history, run_dir / "history.json")
    record = training_record(device, history["seconds"], cfg["steps"])
    _write_json(record, done_path)
    store.record_use(rid, model)
    return Run(rid, run_dir, cfg, model, history, history["seconds"], False, "trained", record)


def recorded_divergence(info: dict, where) -> TrainingDivergedError:
    """The error of a run that diverged when it trained, read from its record (``where``: the cache's
    ``diverged.json`` or a store entry): raised at once, without training the configuration again."""
    first = info["message"].split("; ")[0]
    err = TrainingDivergedError(f"{first} (recorded in {where}): this configuration diverged when it was trained and "
                                f"is not trained again; change a hyper-parameter (a lower lr, another seed) to start "
                                f"a new run, or remove the record to retry it")
    err.step = info.get("step")
    return err


def fresh(cfg: dict, init: bool = True):
    """A new run's model (its initial weights drawn under ``torch.manual_seed(cfg["seed"])`` from the
    caller's global RNG) and its ``gdm.data.Batches``; ``init``: with the data-dependent initialisation."""
    torch.manual_seed(cfg["seed"])
    model = models.build(cfg, data.shape_of(cfg["dataset"]))
    batches = data.Batches(cfg["dataset"], cfg["batch_size"], cfg["seed"], labels=model.needs_labels,
                           counts=model.batches_at, train_size=cfg["train_size"])
    if init:
        model.init_from_data(batches.data.x if batches.data is not None else batches(0))
    return model, batches


def group_seeds(cfg: dict) -> list[int]:
    """The seeds trained together with ``cfg``'s (``seed_group`` G): G·floor(seed / G) and the G - 1 after."""
    g = cfg["seed_group"]
    first = cfg["seed"] // g * g
    return list(range(first, first + g))


def train_group(cfg: dict, *, root=None, device=None, progress=None, callbacks=(), on_log=()) -> list[Path]:
    """Train the group of ``cfg`` (:func:`group_seeds`) as one batched model (``gdm.group``) and
    write each member as a finished run of the cache (``config.json``, ``checkpoint.pt`` with its
    own nets and optimiser states, ``history.json``, ``done.json``); members already finished are
    left as they are. The group resumes from its own checkpoint (``<root>/<model>-group-<hash>/``).
    Each member's history is the group's: every logged loss is the mean over the members; its
    record's ``seconds`` is its share of the group's, and ``group`` names the seeds and the total."""
    from . import group

    cfg = make_config(**cfg)
    seeds = group_seeds(cfg)
    cfgs = [{**cfg, "seed": s} for s in seeds]
    root = Path(root) if root is not None else paths.runs_dir()
    gdir = root / group_id(cfg)
    gdir.mkdir(parents=True, exist_ok=True)
    _write_json({**cfg, "seeds": seeds}, gdir / "group.json")  # what the group trains, for `gdm runs`
    ckpt = gdir / "checkpoint.pt"
    device = pick_device(device)
    shape = data.shape_of(cfg["dataset"])
    with torch.random.fork_rng(devices=rng_devices(device)):
        lone, streams = zip(*[fresh(c, init=not ckpt.exists()) for c in cfgs])  # as the members' lone runs
        grouped = group.stack(list(lone))
        torch.manual_seed(seeds[0])  # the group's noise: one stream for all members
        history = train(grouped, group.Batches(list(streams), cfg["batch_size"]), cfg["steps"], checkpoint=ckpt,
                        checkpoint_every=cfg["checkpoint_every"], log_every=cfg["log_every"], callbacks=callbacks,
                        progress=progress, device=device, live=gdir / LIVE_HISTORY, on_log=on_log)
        members = group.unstack(grouped, [models.build(c, shape) for c in cfgs])
    total = history["seconds"]
    history = {**history, "seconds": total / len(seeds), "group": {"seeds": seeds, "seconds": total}}
    dirs = []
    for c, m in zip(cfgs, members):
        run_dir = root / run_id(c)
        dirs.append(run_dir)
        if (run_dir / "done.json").exists():
            continue
        run_dir.mkdir(parents=True, exist_ok=True)
        if (run_dir / "config.json").exists() and identity(json.loads((run_dir / "config.json").read_text())) != identity(c):
            raise GdmError(f"{run_dir} holds a run of another configuration; refusing to overwrite it.")
        _write_json(c, run_dir / "config.json")
        save_atomic({"step": c["steps"], "model": m.checkpoint_state(), "rng": {"torch": torch.get_rng_state()},
                     "history": history, "sums": {}, "seconds": history["seconds"]}, run_dir / "checkpoint.pt")
        _write_json(history, run_dir / "history.json")
        record = {**training_record(device, history["seconds"], c["steps"]), "group": history["group"]}
        _write_json(record, run_dir / "done.json")
    return dirs


# ----------------------------------------------------------------------------- finding runs by id
@dataclass
class Where:
    """A run found by its id: in the store or the run cache, finished or not."""
    id: str
    dir: Path
    config: dict
    source: str  # "store", "cache" (a run directory) or "group" (a group of seeds training together)
    finished: bool
    step: int  # the last logged step (``config["steps"]`` when finished)

    @property
    def status(self) -> str:
        if self.finished:
            return "stored" if self.source == "store" else "finished"
        return f"training or interrupted at step {self.step:,} of {self.config['steps']:,}"


def _where(d: Path, source: str) -> Where | None:
    cfg_file = d / ("group.json" if source == "group" else "config.json")
    try:
        cfg = json.loads(cfg_file.read_text())
    except (OSError, ValueError):
        return None
    finished = source == "store" or (d / "done.json").exists()
    step = cfg.get("steps", 0) if finished else (LiveHistory.read(d / LIVE_HISTORY)["step"] or [0])[-1]
    if source == "group":  # a group has no record of its own: its members are written when it ends
        finished = step >= cfg.get("steps", 0)
    return Where(d.name, d, cfg, source, finished, step)


def listing() -> list[Where]:
    """Every run of the store and of the run cache (the store's first where both have it), and the
    groups of seeds of the cache still training, sorted by id."""
    from . import store

    found: dict[str, Where] = {}
    for d in store.entries():
        w = _where(d, "store")
        if w is not None:
            found[w.id] = w
    cache = paths.runs_dir()
    for d in sorted(cache.iterdir()) if cache.exists() else []:
        if d.is_dir() and d.name not in found:
            w = _where(d, "group" if "-group-" in d.name else "cache")
            if w is not None and not (w.source == "group" and w.finished):
                found[w.id] = w
    return [found[k] for k in sorted(found)]


def locate(name: str) -> Where:
    """The run (or group of seeds training together) whose id is ``name``, or the one whose id starts
    with it; an error naming the candidates when none or several match."""
    runs = listing()
    exact = [w for w in runs if w.id == name]
    match = exact or [w for w in runs if w.id.startswith(name)]
    if len(match) == 1:
        return match[0]
    if not match:
        raise GdmError(f"no run {name!r} in the store ({_store_dir_text()}) or the run cache ({paths.runs_dir()}): "
                       f"`gdm runs` lists them, `gdm train MODEL` trains one")
    raise GdmError(f"{len(match)} runs start with {name!r} ({', '.join(w.id for w in match[:5])}"
                   f"{', ...' if len(match) > 5 else ''}): give more of the id")


def _store_dir_text() -> str:
    from . import store

    return str(store.store_dir())


def read(where: Where, device=None) -> Run:
    """The finished run ``where`` found, read from its directory: never trains. An unfinished run,
    a group still training, or an entry whose config no longer gives its id is an error that says
    what to do."""
    if where.source == "group":
        raise GdmError(f"{where.id} is a group of seeds ({', '.join(map(str, where.config.get('seeds', [])))}) trained as "
                       f"one ({where.status}); its members are written as runs when it ends")
    if not where.finished:
        raise GdmError(f"run {where.id} is not finished ({where.status}): `gdm train {where.id}` resumes it")
    cfg = make_config(**where.config)
    if run_id(cfg) != where.id:
        raise GdmError(f"{where.dir} holds a config whose id is now {run_id(cfg)}, not {where.id}: gdm's parameters "
                       f"changed since it was trained; train it again with `gdm train {cfg['model']}` and its parameters")
    device = pick_device(device)
    return _read_store(where.dir, cfg, device) if where.source == "store" else _read_cache(where.dir, cfg, device)


def group_id(cfg: dict) -> str:
    """The directory name, in the run cache, of the group of seeds ``cfg`` trains with (``seed_group`` > 1)."""
    seeds = group_seeds(cfg)
    blob = json.dumps({**identity(cfg), "seed": seeds}, sort_keys=True, separators=(",", ":"))
    return f"{cfg['model']}-group-{hashlib.sha256(blob.encode()).hexdigest()[:12]}"


def update_seconds(configs: dict[str, dict], updates: int = 20, start: int = 0, rounds: int = 3) -> dict[str, float]:
    """Seconds per update of each configuration's model, timed side by side in this process: a fresh
    model of each (:func:`fresh`) makes ``updates`` updates from step ``start`` (e.g. past a warm-up),
    the models taking turns for ``rounds`` rounds, on the CPU with the training's threads (``TRAIN_THREADS``);
    returns name -> the median over the rounds. Timings taken in turns share the machine's state, so
    their ratio is steadier than that of two runs' recorded seconds on a shared machine."""
    import statistics

    from .train import training_threads

    if updates < 1 or rounds < 1:
        raise ValueError(f"updates and rounds must be at least 1, got {updates} and {rounds}")
    built = {name: fresh(cfg) for name, cfg in configs.items()}  # on the CPU, as built
    times = {name: [] for name in configs}
    with training_threads(torch.device("cpu")):
        for r in range(rounds):
            for name, (model, batches) in built.items():
                steps = range(start + r * updates, start + (r + 1) * updates)
                t = time.perf_counter()
                for s in steps:
                    model.train_step(batches(s, model.batches_at(s)), s)
                times[name].append((time.perf_counter() - t) / updates)
    return {name: statistics.median(v) for name, v in times.items()}
