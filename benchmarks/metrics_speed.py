"""How long the standard block of metrics takes, and how good the feature networks are.

The standard block (``gdm.metrics.evaluate``) for 10,000 samples of 28x28 images, the feature
network already cached. Full MNIST needs a download; where it is not on disk, Fashion-MNIST
(same image size, 10,000 held-out images, Debian's files) stands in, so that the timing is for
10,000 samples either way. The "samples" are real test images (the numbers are then the
real-data floor), which does not change the cost.

Run: `make benchmark` (or python benchmarks/metrics_speed.py).
"""
from __future__ import annotations

import time

import torch

from gdm import data
from gdm.errors import DataUnavailableError
from gdm.metrics import evaluate, feature_net
from gdm.metrics.features import classifier_accuracy


def main():
    for name in ("mnist5k", "fashion-mnist", "mnist"):
        try:
            t0 = time.perf_counter()
            run = feature_net(name)
            acc = classifier_accuracy(run.model, data.load(name, "test"))
        except DataUnavailableError as e:
            print(f"{name:14s} feature network: not available here ({str(e).split(';')[0]})")
            continue
        print(f"{name:14s} feature network: test accuracy {100 * acc:.2f}%, trained in {run.seconds:.0f} s "
              f"({'reused' if run.reused else 'trained now'}; {time.perf_counter() - t0:.0f} s this call)")
    for name in ("mnist", "fashion-mnist"):
        try:
            samples = data.load(name, "test").x[:10_000]
            feature_net(name)
        except DataUnavailableError:
            continue
        evaluate(samples[:500], name)  # warm-up
        t0 = time.perf_counter()
        block = evaluate(samples, name, n=10_000)
        seconds = time.perf_counter() - t0
        print(f"standard block, {block['n_samples']:,} samples of {name}, {torch.get_num_threads()} threads: "
              f"{seconds:.1f} s (fd {block['fd']:.2f}, fd_real {block['fd_real']:.2f}, "
              f"precision {block['precision']:.3f}, recall {block['recall']:.3f})")
        break


if __name__ == "__main__":
    main()
