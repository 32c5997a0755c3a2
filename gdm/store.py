"""The store of trained runs: ``results/runs/<run id>/``, kept with the book.

Training is expensive and happens once; executing the book reads what was trained. A store entry
holds what evaluation needs and nothing that can run code when it is loaded:

- ``config.json``: the run's whole configuration (the entry's name is the hash of its identity);
- ``history.json``: its training history (floats to 9 significant digits, :func:`compact`);
- ``record.json``: where and how it was trained (device, seconds, steps, threads, torch and gdm
  versions, the commit, the date) and the dtype its weights are kept in;
- ``weights.safetensors``: the nets' parameters and buffers (no optimizer state), in float32 or,
  where that leaves a chapter's numbers unchanged, float16. safetensors holds tensors only, so an
  entry someone else contributed is data: loading it cannot execute code (a pickled checkpoint,
  ``torch.load(weights_only=False)``, could).

A run that diverged (a NaN) when it trained is kept too, as a fact about its configuration: its
config, its history up to its last good checkpoint, a record that says where it diverged, and no
weights; reading it raises the divergence at once (``gdm.errors.TrainingDivergedError``) instead of
training the configuration again.

``gdm.runs.load_or_train`` looks here before the run cache under ``GDM_HOME``. An entry that does
not match its name, whose files are missing, or whose weights are truncated or do not fit the
model is an error that names the entry and says how to retrain it; nothing is overwritten.

    python -m gdm.store add gmmn wgan      # store the runs the chapters' results files list
    python -m gdm.store add --book         # every run the book uses, the feature network included
    python -m gdm.store list               # the entries, their size, device and date
    python -m gdm.store verify             # load every entry against its config
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import torch

from . import paths
from .config import identity
from .errors import GdmError, TrainingDivergedError

FILES = ("config.json", "history.json", "record.json", "weights.safetensors")
DTYPES = {"float32": torch.float32, "float16": torch.float16}


class StoreError(GdmError):
    """A store entry that cannot be used as it is; the message names it and says what to do."""


def store_dir() -> Path:
    """``<GDM_HOME>/results/runs``: in a checkout, ``results/runs/`` beside the results files
    (``GDM_STORE_DIR`` overrides it)."""
    env = os.environ.get("GDM_STORE_DIR")
    return Path(env).expanduser().resolve() if env else paths.results_dir() / "runs"


# ----------------------------------------------------------------------------- the nets evaluation reads
def top_level(name: str) -> str:
    """``discriminator.net.0.weight`` -> ``discriminator``: the model's net that a state key belongs to
    ('' for the model's own buffers, e.g. BEGAN's k_t, which are always kept)."""
    return name.split(".", 1)[0] if "." in name else ""


def record_use(run_id: str, model: torch.nn.Module) -> None:
    """With ``GDM_RECORD_NETS=<file>``, append to that file (JSON lines) each of the model's nets
    whose forward pass runs, once per net and process: an execution of the book so recorded says
    which nets its evaluation reads, and ``add --nets-from <file>`` keeps only those."""
    path = os.environ.get("GDM_RECORD_NETS")
    if not path:
        return
    with open(path, "a") as f:  # the run was read: a run whose nets never run keeps none (its history is read)
        f.write(json.dumps({"run": run_id, "net": None}) + "\n")
    seen: set[str] = set()

    def hook(name):
        def note(module, args):
            if name not in seen:
                seen.add(name)
                with open(path, "a") as f:
                    f.write(json.dumps({"run": run_id, "net": name}) + "\n")
        return note

    for top, child in model.named_children():
        for module in child.modules():
            module.register_forward_pre_hook(hook(top))


def nets_used(path) -> dict[str, set[str]]:
    """The nets each run's evaluation read, from a ``GDM_RECORD_NETS`` file (an empty set: the run was
    loaded and only its history read)."""
    used: dict[str, set[str]] = {}
    for line in Path(path).read_text().splitlines():
        if line.strip():
            item = json.loads(line)
            nets = used.setdefault(item["run"], set())
            if item["net"] is not None:
                nets.add(item["net"])
    return used


class NotStored(torch.nn.Module):
    """Stands in for a net the store did not keep (evaluation did not read it when the entry was
    made); using it is an error that says how to get the whole run."""

    def __init__(self, name: str, entry: Path):
        super().__init__()
        self.net_name, self.entry = name, str(entry)

    def forward(self, *args, **kwargs):
        raise StoreError(f"the store keeps only the nets evaluation read, and {self.net_name!r} of {self.entry} "
                         f"was not among them: retrain the run (GDM_STORE=0) to use it")


def _retrain_hint(entry: Path) -> str:
    return (f"remove the entry (rm -r {entry}) and run the chapter again, which retrains it; or set "
            f"GDM_STORE=0 to ignore the store for this execution")


@dataclass
class Entry:
    dir: Path
    config: dict
    history: dict
    record: dict


def _read_json(entry: Path, name: str) -> dict:
    try:
        return json.loads((entry / name).read_text())
    except FileNotFoundError:
        raise StoreError(f"store entry {entry} has no {name}: it is incomplete; {_retrain_hint(entry)}") from None
    except (OSError, ValueError) as err:
        raise StoreError(f"store entry {entry}: {name} is not readable JSON ({err}); {_retrain_hint(entry)}") from None


def enabled() -> bool:
    """The store is read unless ``GDM_STORE=0`` (training from scratch ignores it)."""
    return os.environ.get("GDM_STORE", "1") != "0"


def find(cfg: dict, root=None) -> Path | None:
    """The entry directory of ``cfg``'s run, or None when the store does not have it."""
    from .runs import run_id

    if not enabled():
        return None
    entry = Path(root) if root is not None else store_dir()
    entry = entry / run_id(cfg)
    return entry if entry.exists() else None


def load(entry: Path, cfg: dict, model: torch.nn.Module) -> Entry:
    """Check the entry against ``cfg`` and load its weights into ``model`` (cast to the model's
    dtypes); a StoreError, naming the entry, for anything that does not fit."""
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    from .runs import run_id

    stored = _read_json(entry, "config.json")
    if run_id(stored) != entry.name or identity(stored) != identity(cfg):
        raise StoreError(f"store entry {entry} holds the config of another run (its hash is {run_id(stored)}): "
                         f"the entry was renamed or edited; {_retrain_hint(entry)}")
    history, record = _read_json(entry, "history.json"), _read_json(entry, "record.json")
    if record.get("diverged"):  # the configuration diverged when it trained: the store keeps that fact
        from .runs import recorded_divergence

        raise recorded_divergence(record["diverged"], entry)
    weights = entry / "weights.safetensors"
    if not weights.exists():
        raise StoreError(f"store entry {entry} has no weights.safetensors; {_retrain_hint(entry)}")
    try:
        tensors = load_file(str(weights))
    except (SafetensorError, OSError, ValueError) as err:
        raise StoreError(f"store entry {entry}: weights.safetensors is corrupt or truncated ({err}); "
                         f"{_retrain_hint(entry)}") from None
    kept = record.get("nets")  # None: every net
    if kept is not None:
        for name, _ in list(model.named_children()):
            if name not in kept:
                setattr(model, name, NotStored(name, entry))
    own = model.state_dict()
    missing, extra = sorted(set(own) - set(tensors)), sorted(set(tensors) - set(own))
    wrong = [k for k in own if k in tensors and tensors[k].shape != own[k].shape]
    if missing or extra or wrong:
        raise StoreError(f"store entry {entry}: its weights do not fit the model its config builds (missing "
                         f"{missing[:3]}, unexpected {extra[:3]}, other shapes {wrong[:3]}); {_retrain_hint(entry)}")
    model.load_state_dict({k: tensors[k].to(own[k].dtype) for k in own})
    return Entry(entry, stored, history, record)


def _state(model: torch.nn.Module, dtype: str, nets=None) -> dict[str, torch.Tensor]:
    """The nets' state for the store: parameters in ``dtype``, buffers (batch norm's statistics,
    counters, kept data such as the AAE's labelled digits) as they are; only the nets in ``nets``
    (None: all) and the model's own buffers; contiguous CPU copies, as safetensors requires."""
    params = {k for k, _ in model.named_parameters()}
    out = {}
    for k, v in model.state_dict().items():
        if nets is not None and top_level(k) and top_level(k) not in nets:
            continue
        v = v.detach().cpu()
        if k in params and v.is_floating_point():
            v = v.to(DTYPES[dtype])
        out[k] = v.contiguous().clone()
    return out


def save(run, root=None, dtype: str = "float32", record: dict | None = None, nets=None) -> Path:
    """Write ``run`` (a finished :class:`gdm.runs.Run`) as a store entry and return its directory.

    An entry already there is left as it is when it holds the same run (so a weight file is
    rewritten only when its run changes); an entry of another configuration under the same name
    is an error. ``record``: the training record to keep (default: the run's own). ``nets``: the
    names of the model's nets to keep (None: all; the others load as :class:`NotStored`)."""
    from safetensors.torch import save_file

    from .runs import run_id

    if dtype not in DTYPES:
        raise StoreError(f"unknown store dtype {dtype!r}; known: {', '.join(DTYPES)}")
    base = Path(root) if root is not None else store_dir()
    entry = base / run.id
    if entry.exists():
        load(entry, run.config, _clone_model(run))  # the same run, intact: keep it untouched
        return entry
    if run_id(run.config) != run.id:
        raise StoreError(f"run {run.id} does not match its config's hash {run_id(run.config)}")
    base.mkdir(parents=True, exist_ok=True)
    tmp = base / f".{run.id}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    all_nets = [name for name, _ in run.model.named_children()]
    if nets is not None:
        unknown = sorted(set(nets) - set(all_nets))
        if unknown:
            raise StoreError(f"run {run.id} has no nets {unknown}; its nets: {all_nets}")
        nets = [n for n in all_nets if n in set(nets)]
    save_file(_state(run.model, dtype, nets), str(tmp / "weights.safetensors"))
    (tmp / "config.json").write_text(json.dumps(run.config, indent=1, sort_keys=True) + "\n")
    (tmp / "history.json").write_text(json.dumps(compact(run.history), sort_keys=True, separators=(",", ":")) + "\n")
    rec = {**(record or run.record or {"seconds": run.seconds, "steps": run.config["steps"]}), "dtype": dtype,
           "nets": nets, "all_nets": all_nets}
    (tmp / "record.json").write_text(json.dumps(rec, indent=1, sort_keys=True) + "\n")
    os.replace(tmp, entry)
    return entry


def compact(obj):
    """``obj`` (a history) with every float to 9 significant digits, float32's round-trip
    precision: the logged losses are float32 arithmetic, so the digits dropped are the means'
    rounding noise, and a 5,000-step history takes half the bytes."""
    if isinstance(obj, float):
        return float(f"{obj:.9g}")
    if isinstance(obj, dict):
        return {k: compact(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [compact(v) for v in obj]
    return obj


def _clone_model(run):
    from . import data, models

    with torch.random.fork_rng(devices=[]):
        return models.build(run.config, data.shape_of(run.config["dataset"]))


def entries(root=None) -> list[Path]:
    base = Path(root) if root is not None else store_dir()
    return sorted(p for p in base.iterdir() if p.is_dir() and not p.name.startswith(".")) if base.exists() else []


def size_bytes(root=None) -> int:
    return sum(f.stat().st_size for e in entries(root) for f in e.iterdir() if f.is_file())


def save_diverged(rid: str, root=None, dtype: str = "float32") -> Path:
    """Store the run ``rid`` of the run cache that diverged when it trained (its ``diverged.json``):
    its config, its history up to its last good checkpoint and a record that says where it diverged,
    with no weights, so that executing the chapter again raises the divergence at once instead of
    training the configuration again."""
    from safetensors.torch import save_file

    from .runs import DIVERGED, run_id
    from .train import new_history

    cached = paths.runs_dir() / rid
    cfg = json.loads((cached / "config.json").read_text())
    info = json.loads((cached / DIVERGED).read_text())
    if run_id(cfg) != rid:
        raise StoreError(f"run {rid} does not match its config's hash {run_id(cfg)}")
    base = Path(root) if root is not None else store_dir()
    entry = base / rid
    if entry.exists():
        if not _read_json(entry, "record.json").get("diverged"):
            raise StoreError(f"store entry {entry} holds a finished run of {rid}, which diverged in the cache: "
                             f"{_retrain_hint(entry)}")
        return entry
    ckpt = cached / "checkpoint.pt"
    history = torch.load(ckpt, map_location="cpu", weights_only=False)["history"] if ckpt.exists() else new_history()
    base.mkdir(parents=True, exist_ok=True)
    tmp = base / f".{rid}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    save_file({}, str(tmp / "weights.safetensors"))  # no nets: there is no trained model to keep
    (tmp / "config.json").write_text(json.dumps(cfg, indent=1, sort_keys=True) + "\n")
    (tmp / "history.json").write_text(json.dumps(compact(history), sort_keys=True, separators=(",", ":")) + "\n")
    rec = {**info["record"], "dtype": dtype, "nets": [], "all_nets": [],
           "diverged": {"step": info.get("step"), "message": info["message"]}}
    (tmp / "record.json").write_text(json.dumps(rec, indent=1, sort_keys=True) + "\n")
    os.replace(tmp, entry)
    return entry


def add_run(rid: str, root=None, dtype: str = "float32", nets=None) -> Path:
    """Store the finished run ``rid`` of the run cache under ``GDM_HOME`` (``nets``: those to keep);
    a run that diverged is stored as such (:func:`save_diverged`)."""
    from .runs import DIVERGED, load_or_train

    cached = paths.runs_dir() / rid
    if not (cached / "done.json").exists() and (cached / DIVERGED).exists():
        return save_diverged(rid, root, dtype)
    if not (cached / "done.json").exists():
        raise StoreError(f"run {rid} is not finished under {paths.runs_dir()}: execute the chapter that uses it "
                         f"(it trains its runs), then add it again")
    run = load_or_train(json.loads((cached / "config.json").read_text()), use_store=False)  # the cache's run
    record = dict(run.record)
    if "trained_at" not in record:  # runs trained before gdm recorded the date: when their training ended
        from datetime import datetime, timezone

        ended = datetime.fromtimestamp((cached / "done.json").stat().st_mtime, timezone.utc)
        record["trained_at"] = ended.strftime("%Y-%m-%d %H:%M UTC") + " (the cache file's time)"
    return save(run, root, dtype, record=record, nets=nets)


def chapter_runs(slug: str) -> list[str]:
    """The runs a chapter used, as its results file lists them."""
    from . import results

    try:
        return list(results.read(slug)["runs"])
    except FileNotFoundError:
        raise StoreError(f"no results file for chapter {slug!r}: execute the chapter first") from None


def book_runs() -> list[str]:
    """Every run the book uses: those its chapters' results files list, and the feature networks."""
    from . import results
    from .metrics.features import feature_net_config
    from .runs import run_id

    chapters = [rec for rec in results.collect().values() if "chapter" in rec]  # not execution.json's record
    ids = {rid for rec in chapters for rid in rec.get("runs", [])}
    ids.add(run_id(feature_net_config("mnist5k")))
    return sorted(ids)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gdm.store", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="store the runs that the chapters' results files list, or named runs")
    add.add_argument("names", nargs="*", help="chapter slugs (gan, gmmn, ...) or run ids (gan-1a2b3c4d5e6f)")
    add.add_argument("--book", action="store_true", help="every run the book uses, the feature network included")
    add.add_argument("--dtype", default="float32", choices=sorted(DTYPES))
    add.add_argument("--nets-from", help="a GDM_RECORD_NETS file of an execution: keep only the nets it read "
                                        "(runs it did not load keep every net)")
    sub.add_parser("list", help="the entries, with size, device and training date")
    sub.add_parser("verify", help="load every entry against its config")
    args = parser.parse_args(argv)
    try:
        if args.command == "add":
            if not args.names and not args.book:
                parser.error("name chapters or runs to add, or pass --book")
            names = book_runs() if args.book else args.names
            used = nets_used(args.nets_from) if args.nets_from else {}
            for name in names:
                ids = [name] if re.fullmatch(r"[a-z0-9_]+-[0-9a-f]{12}", name) else chapter_runs(name)
                for rid in ids:
                    print(f"  {rid}: {add_run(rid, dtype=args.dtype, nets=used.get(rid) if used else None)}")
            print(f"{len(entries())} entries, {size_bytes() / 1e6:.1f} MB in {store_dir()}")
        elif args.command == "list":
            for e in entries():
                rec = json.loads((e / "record.json").read_text()) if (e / "record.json").exists() else {}
                mb = sum(f.stat().st_size for f in e.iterdir()) / 1e6
                print(f"{e.name}  {mb:.2f} MB  {'diverged' if rec.get('diverged') else rec.get('dtype', '?')}  "
                      f"{rec.get('device', '?')}  "
                      f"{rec.get('seconds', '?')} s  {rec.get('trained_at', '?')}")
            print(f"{len(entries())} entries, {size_bytes() / 1e6:.1f} MB in {store_dir()}")
        else:
            for e in entries():
                cfg = json.loads((e / "config.json").read_text())
                from . import data, models

                try:
                    load(e, cfg, models.build(cfg, data.shape_of(cfg["dataset"])))
                except TrainingDivergedError:  # checked up to its record: a diverged run has no weights
                    pass
            print(f"{len(entries())} entries verified in {store_dir()}")
    except GdmError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
