"""Member-updates per second of the toy protocol's runs: each seed alone against seeds trained as
one batched model (``gdm.group``), on one thread, for the protocol's nets and batch.

    python benchmarks/group_speed.py                   # the protocol's groupable models, groups of 1, 5, 10
    python benchmarks/group_speed.py wgan_gp gan --steps 100 --groups 1 5
    python benchmarks/group_speed.py --json results/group_speed.json

A member-update is one generator update of one seed (for the auto-encoders, one encoder/decoder
update). The ratio to ``S = 1`` is what grouping buys per core.
"""
from __future__ import annotations

import argparse
import json
import platform
import sys
import time

import torch

from gdm import group, toys
from gdm.runs import fresh
from gdm.train import TRAIN_THREADS, train


def rate(name: str, members: int, steps: int) -> float:
    """Member-updates per second of ``members`` seeds of ``name`` on the ring (1: a lone run)."""
    cfgs = [toys.config(name, "ring", s, steps) for s in range(members)]
    built = [fresh(c) for c in cfgs]
    if members == 1:
        model, batches = built[0]
    else:
        model, batches = group.stack([m for m, _ in built]), group.Batches([b for _, b in built], toys.BATCH)
    train(model, batches, 3, progress=False, device="cpu")  # warm-up
    t0 = time.perf_counter()
    train(model, batches, steps, progress=False, device="cpu")  # no checkpoint: from step 0, `steps` updates
    return members * steps / (time.perf_counter() - t0)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("models", nargs="*", default=[m for m in toys.SETTINGS if group.groupable(toys.config(m, "ring"))])
    ap.add_argument("--steps", type=int, default=60)
    ap.add_argument("--groups", type=int, nargs="+", default=[1, 5, 10])
    ap.add_argument("--json", help="write the table to this file")
    args = ap.parse_args(argv)
    torch.set_num_threads(TRAIN_THREADS)
    out = {"machine": platform.processor() or platform.machine(), "threads": TRAIN_THREADS, "torch": torch.__version__,
           "steps": args.steps, "batch": toys.BATCH, "hidden": toys.HIDDEN, "rates": {}}
    print(f"member-updates/s on {TRAIN_THREADS} thread(s), batch {toys.BATCH}, MLPs {toys.HIDDEN}")
    for name in args.models:
        rates = {s: rate(name, s, args.steps) for s in args.groups}
        out["rates"][name] = {str(s): round(r, 1) for s, r in rates.items()}
        base = rates.get(1)
        cells = "  ".join(f"S={s}: {r:7.1f}" + (f" ({r / base:.2f}x)" if base else "") for s, r in rates.items())
        print(f"{name:10s} {cells}", flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
