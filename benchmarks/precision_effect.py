"""bfloat16 against float32 on a chapter's numbers and verdicts: does ``precision = "bfloat16"``
change what a chapter concludes?

    python benchmarks/precision_effect.py wae                  # execute chapter 13 with bfloat16, compare
    python benchmarks/precision_effect.py wae --results DIR    # compare an execution already made

The chapter is executed with papermill and ``-p precision bfloat16`` in a home of its own
(``build/precision/<slug>/``: a copy of ``results/`` with the store, so every float32 run and the
feature network are read, not trained, and only the chapter's bfloat16 runs are trained), then its
results file is set beside the committed one (float32): each claim's verdict, and each number the
ledger reads per seed, by how much it moved against the spread of its seeds. The json goes to
``results/precision_effect.json``. A chapter may take bfloat16 as its default only where no verdict
changes (issue "Speed"); the training seconds of both are there too, measured on the machines that
trained them (see their records), so they are not a benchmark: ``make benchmark`` is.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _leaves(obj, path=""):
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _leaves(v, f"{path}.{k}" if path else k)
    elif isinstance(obj, list) and obj and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in obj):
        yield path, obj


def compare(f32: dict, b16: dict) -> dict:
    """Verdicts and per-seed numbers of two results files of one chapter."""
    verdicts = {c["id"]: {"float32": c["verdict"]} for c in f32.get("claims", [])}
    for c in b16.get("claims", []):
        verdicts.setdefault(c["id"], {})["bfloat16"] = c["verdict"]
    a = dict(_leaves(f32["metrics"].get("per_seed", {})))
    b = dict(_leaves(b16["metrics"].get("per_seed", {})))
    numbers = {}
    for k in sorted(set(a) & set(b)):
        if len(a[k]) != len(b[k]) or len(a[k]) < 2:
            continue
        sd = statistics.stdev(a[k])
        shift = statistics.fmean(b[k]) - statistics.fmean(a[k])
        numbers[k] = {"float32": a[k], "bfloat16": b[k], "mean_shift": shift, "seed_sd_float32": sd,
                      "shift_over_sd": shift / sd if sd > 0 else None}
    ratios = [abs(v["shift_over_sd"]) for v in numbers.values() if v["shift_over_sd"] is not None]
    return {
        "chapter": f32.get("chapter"),
        "verdicts": verdicts,
        "verdicts_changed": sorted(k for k, v in verdicts.items() if v.get("float32") != v.get("bfloat16")),
        "numbers": numbers,
        "numbers_compared": len(numbers),
        "numbers_moved_beyond_their_seed_sd": sum(r > 1 for r in ratios),
        "largest_shift_over_sd": max(ratios) if ratios else None,
        "training_seconds": {"float32": f32.get("seconds"), "bfloat16": b16.get("seconds")},
    }


def execute(slug: str, home: Path) -> Path:
    """Execute chapter ``slug`` with bfloat16 in ``home`` (a copy of the results and the store)."""
    notebook = next((ROOT / "notebooks").glob(f"[0-9][0-9]_{slug}.ipynb"))
    if home.exists():
        shutil.rmtree(home / "results", ignore_errors=True)
    (home / "notebooks").mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "results", home / "results")
    out = home / "notebooks" / notebook.name
    env = {**os.environ, "GDM_HOME": str(home), "OMP_NUM_THREADS": "1", "GDM_PROGRESS": "0"}
    env.pop("GDM_READS", None)
    subprocess.run([sys.executable, "-m", "papermill", "--cwd", str(ROOT / "notebooks"), "-k", "python3",
                    "--log-level", "WARNING", str(notebook), str(out), "-p", "precision", "bfloat16"],
                   check=True, env=env)
    return home / "results"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("slug", help="a chapter whose notebook has a `precision` parameter (wae)")
    parser.add_argument("--results", type=Path, help="the results folder of a bfloat16 execution made already")
    parser.add_argument("--json", type=Path, default=ROOT / "results" / "precision_effect.json")
    args = parser.parse_args(argv)
    results = args.results or execute(args.slug, ROOT / "build" / "precision" / args.slug)
    b16 = json.loads((results / f"{args.slug}.json").read_text())
    if b16["config"].get("precision") != "bfloat16":
        parser.error(f"{results / (args.slug + '.json')} is not a bfloat16 execution (its config's precision is "
                     f"{b16['config'].get('precision')!r})")
    f32 = json.loads((ROOT / "results" / f"{args.slug}.json").read_text())
    if f32["config"].get("precision", "float32") != "float32":
        parser.error("the committed results file is not a float32 execution")
    report = compare(f32, b16)
    store = json.loads(args.json.read_text()) if args.json.exists() else {}
    store[args.slug] = report
    args.json.write_text(json.dumps(store, indent=1) + "\n")
    print(f"{args.slug}: {len(report['verdicts'])} verdicts, changed: {report['verdicts_changed'] or 'none'}; "
          f"{report['numbers_moved_beyond_their_seed_sd']} of {report['numbers_compared']} per-seed numbers moved by "
          f"more than their seeds' standard deviation (largest {report['largest_shift_over_sd']:.2f} sd)")
    for k, v in report["verdicts"].items():
        print(f"  {k:24s} float32 {v.get('float32', '-'):13s} bfloat16 {v.get('bfloat16', '-')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
