"""How the toy protocol's runs converge: the curves that set ``gdm.toys.STEPS``.

For each model of ``gdm.toys.SETTINGS`` (seed 0, the protocol's settings), on the ring and on the
grid: modes covered and the share of samples within 3σ of a mode every EVERY updates up to STEPS
(``gdm.toys.convergence``), with the seconds each run took. Written to
``results/toy_convergence.json``, {"<model>/<toy>": {"curve": [...], "seconds": ...}}; a model
already in the file is skipped, so an interrupted run resumes where it stopped.

Run: ``python benchmarks/toy_convergence.py [STEPS EVERY [model,model,...]]`` (one thread; about 40
CPU-minutes for every model at 8,000 updates, MMD-GAN and WGAN-GP the slowest).
``python benchmarks/toy_convergence.py --protocol STEPS model,model,...`` adds the protocol's own
reading (``gdm.toys.coverage``: its seeds, at STEPS updates) under "protocol/<STEPS>/<model>".
"""
from __future__ import annotations

import json
import sys
import time

import torch

from gdm import paths, toys


def main(steps: int = 8000, every: int = 1000, models=None) -> None:
    torch.set_num_threads(1)
    path = paths.results_dir() / "toy_convergence.json"
    out = json.loads(path.read_text()) if path.exists() else {}
    for model in models or list(toys.SETTINGS):
        for toy in toys.TOYS:
            key = f"{model}/{toy}"
            if key in out and out[key]["curve"] and out[key]["curve"][-1]["step"] >= steps:
                continue
            t0 = time.perf_counter()
            curve = toys.convergence(model, toy, steps, every)
            out[key] = {"curve": curve, "seconds": time.perf_counter() - t0}
            print(key, f"{out[key]['seconds']:.0f} s", [(c["step"], c["modes_covered"], round(c["high_quality"], 3)) for c in curve],
                  flush=True)
            path.write_text(json.dumps(out, indent=1) + "\n")


def protocol(steps: int, models) -> None:
    path = paths.results_dir() / "toy_convergence.json"
    out = json.loads(path.read_text()) if path.exists() else {}
    for model in models:
        r = toys.coverage(model, steps=steps)
        out[f"protocol/{steps}/{model}"] = {**r.metrics, "seconds": r.seconds}
        print(model, {t: (m["modes_covered"], round(m["high_quality"], 3)) for t, m in r.metrics.items()}, flush=True)
        path.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    args = sys.argv[1:]
    if args and args[0] == "--protocol":
        protocol(int(args[1]), args[2].split(","))
        sys.exit()
    main(int(args[0]) if args else 8000, int(args[1]) if len(args) > 1 else 1000,
         args[2].split(",") if len(args) > 2 else None)
