"""How long MMD² takes at the GMMN paper's scale: 1,000 × 1,000 samples of 784 dimensions
(MNIST images), the Gaussian kernel summed over the paper's six bandwidths {2, 5, 10, 20, 40, 80},
biased and unbiased, forward and forward + backward (the generator's training step).

Run: `make benchmark` (or python benchmarks/mmd_speed.py).
"""
from __future__ import annotations

import time

import torch

from gdm import kernels

SIGMAS = (2.0, 5.0, 10.0, 20.0, 40.0, 80.0)


def timed(fn, repeat: int = 5) -> tuple[float, float]:
    """(wall, process CPU) seconds per call. On a busy machine the wall time grows; the CPU time
    of a single-threaded run does not, so it is the number to compare across runs."""
    fn()  # warm-up
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(repeat):
        fn()
    return (time.perf_counter() - t0) / repeat, (time.process_time() - c0) / repeat


def show(label: str, times: tuple[float, float]) -> None:
    print(f"  {label:<28} {1000 * times[0]:7.1f} ms wall, {1000 * times[1]:7.1f} ms CPU")


def main():
    g = torch.Generator().manual_seed(0)
    x, y = torch.rand(1000, 784, generator=g), torch.rand(1000, 784, generator=g)
    print(f"MMD² of 1000 x 1000 samples in 784 dimensions, 6 bandwidths, {torch.get_num_threads()} threads:")
    for unbiased in (False, True):
        show(f"{'unbiased' if unbiased else 'biased'} forward:", timed(lambda: kernels.mmd2(x, y, "gaussian", SIGMAS, unbiased=unbiased)))

    def step():
        y.requires_grad_(True)
        kernels.mmd(x, y, "gaussian", SIGMAS).backward()
        y.grad = None

    show("biased forward + backward:", timed(step))


if __name__ == "__main__":
    main()
