"""The store of trained runs: ``results/runs/<run id>/``, kept with the book.

Training is expensive and happens once; executing the book reads what was trained. A store entry
holds what evaluation needs and nothing that can run code when it is loaded:

- ``config.json``: the run's whole configuration (the entry's name is the hash of its identity);
- ``history.json``: its training history;
- ``record.json``: where and how it was trained (device, seconds, steps, threads, torch and gdm
  versions, the commit, the date) and the dtype its weights are kept in;
- ``weights.safetensors``: the nets' parameters and buffers (no optimizer state), in float32 or,
  where that leaves a chapter's numbers unchanged, float16. safetensors holds tensors only, so an
  entry someone else contributed is data: loading it cannot execute code (a pickled checkpoint,
  ``torch.load(weights_only=False)``, could).

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
from .errors import GdmError

FILES = ("config.json", "history.json", "record.json", "weights.safetensors")
DTYPES = {"float32": torch.float32, "float16": torch.float16}


class StoreError(GdmError):
    """A store entry that cannot be used as it is; the message names it and says what to do."""


def store_dir() -> Path:
    """``<GDM_HOME>/results/runs``: in a checkout, ``results/runs/`` beside the results files."""
    return paths.results_dir() / "runs"


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
    weights = entry / "weights.safetensors"
    if not weights.exists():
        raise StoreError(f"store entry {entry} has no weights.safetensors; {_retrain_hint(entry)}")
    try:
        tensors = load_file(str(weights))
    except (SafetensorError, OSError, ValueError) as err:
        raise StoreError(f"store entry {entry}: weights.safetensors is corrupt or truncated ({err}); "
                         f"{_retrain_hint(entry)}") from None
    own = model.state_dict()
    missing, extra = sorted(set(own) - set(tensors)), sorted(set(tensors) - set(own))
    wrong = [k for k in own if k in tensors and tensors[k].shape != own[k].shape]
    if missing or extra or wrong:
        raise StoreError(f"store entry {entry}: its weights do not fit the model its config builds (missing "
                         f"{missing[:3]}, unexpected {extra[:3]}, other shapes {wrong[:3]}); {_retrain_hint(entry)}")
    model.load_state_dict({k: tensors[k].to(own[k].dtype) for k in own})
    return Entry(entry, stored, history, record)


def _state(model: torch.nn.Module, dtype: str) -> dict[str, torch.Tensor]:
    """The nets' state for the store: floating tensors in ``dtype``, others (counters, indices) as
    they are; contiguous CPU copies, as safetensors requires."""
    out = {}
    for k, v in model.state_dict().items():
        v = v.detach().cpu()
        if v.is_floating_point():
            v = v.to(DTYPES[dtype])
        out[k] = v.contiguous().clone()
    return out


def save(run, root=None, dtype: str = "float32", record: dict | None = None) -> Path:
    """Write ``run`` (a finished :class:`gdm.runs.Run`) as a store entry and return its directory.

    An entry already there is left as it is when it holds the same run (so a weight file is
    rewritten only when its run changes); an entry of another configuration under the same name
    is an error. ``record``: the training record to keep (default: the run's own)."""
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
    save_file(_state(run.model, dtype), str(tmp / "weights.safetensors"))
    (tmp / "config.json").write_text(json.dumps(run.config, indent=1, sort_keys=True) + "\n")
    (tmp / "history.json").write_text(json.dumps(run.history, sort_keys=True) + "\n")
    rec = {**(record or run.record or {"seconds": run.seconds, "steps": run.config["steps"]}), "dtype": dtype}
    (tmp / "record.json").write_text(json.dumps(rec, indent=1, sort_keys=True) + "\n")
    os.replace(tmp, entry)
    return entry


def _clone_model(run):
    from . import data, models

    with torch.random.fork_rng(devices=[]):
        return models.build(run.config, data.shape_of(run.config["dataset"]))


def entries(root=None) -> list[Path]:
    base = Path(root) if root is not None else store_dir()
    return sorted(p for p in base.iterdir() if p.is_dir() and not p.name.startswith(".")) if base.exists() else []


def size_bytes(root=None) -> int:
    return sum(f.stat().st_size for e in entries(root) for f in e.iterdir() if f.is_file())


def add_run(rid: str, root=None, dtype: str = "float32") -> Path:
    """Store the finished run ``rid`` of the run cache under ``GDM_HOME``."""
    from .runs import load_or_train

    cached = paths.runs_dir() / rid
    if not (cached / "done.json").exists():
        raise StoreError(f"run {rid} is not finished under {paths.runs_dir()}: execute the chapter that uses it "
                         f"(it trains its runs), then add it again")
    run = load_or_train(json.loads((cached / "config.json").read_text()), use_store=False)  # the cache's run
    return save(run, root, dtype)


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


def add_chapter(slug: str, root=None, dtype: str = "float32", out=print) -> list[Path]:
    """Store every run that ``results/<slug>.json`` lists, from the run cache under ``GDM_HOME``
    (each must be finished there: executing the chapter trains it)."""
    done = []
    for rid in chapter_runs(slug):
        done.append(add_run(rid, root, dtype))
        out(f"  {rid}: {done[-1]}")
    return done


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gdm.store", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="store the runs that the chapters' results files list, or named runs")
    add.add_argument("names", nargs="*", help="chapter slugs (gan, gmmn, ...) or run ids (gan-1a2b3c4d5e6f)")
    add.add_argument("--book", action="store_true", help="every run the book uses, the feature network included")
    add.add_argument("--dtype", default="float32", choices=sorted(DTYPES))
    sub.add_parser("list", help="the entries, with size, device and training date")
    sub.add_parser("verify", help="load every entry against its config")
    args = parser.parse_args(argv)
    try:
        if args.command == "add":
            if not args.names and not args.book:
                parser.error("name chapters or runs to add, or pass --book")
            names = book_runs() if args.book else args.names
            for name in names:
                if re.fullmatch(r"[a-z0-9_]+-[0-9a-f]{12}", name):
                    print(f"  {name}: {add_run(name, dtype=args.dtype)}")
                else:
                    print(f"{name}:")
                    add_chapter(name, dtype=args.dtype)
            print(f"{len(entries())} entries, {size_bytes() / 1e6:.1f} MB in {store_dir()}")
        elif args.command == "list":
            for e in entries():
                rec = json.loads((e / "record.json").read_text()) if (e / "record.json").exists() else {}
                mb = sum(f.stat().st_size for f in e.iterdir()) / 1e6
                print(f"{e.name}  {mb:.2f} MB  {rec.get('dtype', '?')}  {rec.get('device', '?')}  "
                      f"{rec.get('seconds', '?')} s  {rec.get('trained_at', '?')}")
            print(f"{len(entries())} entries, {size_bytes() / 1e6:.1f} MB in {store_dir()}")
        else:
            for e in entries():
                cfg = json.loads((e / "config.json").read_text())
                from . import data, models

                load(e, cfg, models.build(cfg, data.shape_of(cfg["dataset"])))
            print(f"{len(entries())} entries verified in {store_dir()}")
    except GdmError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
