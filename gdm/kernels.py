"""Kernels and the maximum mean discrepancy, written once for GMMN, MMD-GAN and WAE-MMD.

MMD²(P, Q) = E k(x, x') - 2 E k(x, y) + E k(y, y'),  x, x' ~ P,  y, y' ~ Q
(Gretton et al. 2012). Every estimator here computes the matrices of pairwise squared distances
within and between the samples and evaluates the kernel on them: no Python loop over pairs.

Kernels take a matrix of squared distances (and, for ``linear``, the inner products):

- ``gaussian``: Σ_σ exp(-‖x - y‖² / (2σ²)) over a list of bandwidths σ, each a *standard
  deviation* (MMD-GAN's {1, 2, 4, 8, 16} on its features, as in the authors' ``mix_rbf_mmd2``).
  GMMN's authors write the same kernel as exp(-‖x - y‖² / (2s)): their numbers
  {2, 5, 10, 20, 40, 80} are *variances* s = σ²; :func:`std_from_variances` converts them;
- ``imq``: Σ_C C / (C + ‖x - y‖²), the inverse multiquadratic kernel of WAE-MMD, over scales C;
- ``linear``: ⟨x, y⟩, for which MMD² is exactly ‖E x - E y‖² (the first moment only).
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import torch

from .errors import UnknownNameError

KERNELS = ("gaussian", "imq", "linear")


def _flat(x: torch.Tensor) -> torch.Tensor:
    return x.reshape(x.shape[0], -1)


def squared_distances(x: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
    """‖x_i - y_j‖² for all pairs (clamped at 0 against round-off); ``y = x`` when omitted. Always
    in float32 or wider, also under a bfloat16 autocast: the expansion xx + yy - 2 x·y cancels, and
    in bfloat16 most distances between nearby points would come out 0."""
    with torch.autocast(x.device.type, enabled=False):
        x = _flat(x)
        x = x.float() if x.dtype in (torch.bfloat16, torch.float16) else x
        y = x if y is None else _flat(y)
        y = y.float() if y.dtype in (torch.bfloat16, torch.float16) else y
        xx, yy = x.pow(2).sum(1), y.pow(2).sum(1)
        return (xx[:, None] + yy[None, :] - 2 * x @ y.T).clamp_min(0)


def std_from_variances(variances: Sequence[float]) -> list[float]:
    """The bandwidths σ = √s of Gaussian kernels given by their variances s, for the kernels here,
    which take standard deviations: GMMN's code writes k = exp(-‖x - y‖² / (2s)) and lists s."""
    if not variances or min(variances) <= 0:
        raise ValueError(f"kernel variances must be positive, got {list(variances)}")
    return [float(v) ** 0.5 for v in variances]


def kernel_matrix(x: torch.Tensor, y: torch.Tensor, kernel: str = "gaussian", scales: Sequence[float] = (1.0,)) -> torch.Tensor:
    """The kernel matrix k(x_i, y_j) for the named kernel, summed over ``scales`` (Gaussian: the
    standard deviations σ of exp(-d² / (2σ²)); IMQ: the scales C of C / (C + d²))."""
    if kernel == "linear":
        return _flat(x) @ _flat(y).T
    d2 = squared_distances(x, y)
    if kernel == "gaussian":
        return sum(torch.exp(-d2 / (2.0 * s * s)) for s in scales)
    if kernel == "imq":
        return sum(c / (c + d2) for c in scales)
    raise UnknownNameError("kernel", kernel, KERNELS)


def mmd2(x: torch.Tensor, y: torch.Tensor, kernel: str = "gaussian", scales: Sequence[float] = (1.0,),
         unbiased: bool = False) -> torch.Tensor:
    """MMD² between the samples ``x`` (n, ...) and ``y`` (m, ...), differentiable in both.

    ``unbiased``: the U-statistic, which leaves out the diagonals of the within-sample terms;
    its mean is exactly MMD² and it can be negative. Otherwise the biased V-statistic (all
    pairs), always ≥ 0, which GMMN minimises.
    """
    n, m = x.shape[0], y.shape[0]
    # three blocks, not the stacked (n + m)² matrix: k(y, x) would repeat k(x, y), and the
    # backward pass then runs through only the blocks that depend on a sample needing gradients
    kxx, kyy, kxy = kernel_matrix(x, x, kernel, scales), kernel_matrix(y, y, kernel, scales), kernel_matrix(x, y, kernel, scales)
    if unbiased:
        if n < 2 or m < 2:
            raise ValueError("the unbiased MMD² needs at least two samples on each side")
        return ((kxx.sum() - kxx.diagonal().sum()) / (n * (n - 1)) + (kyy.sum() - kyy.diagonal().sum()) / (m * (m - 1))
                - 2 * kxy.mean())
    return kxx.mean() + kyy.mean() - 2 * kxy.mean()


def mmd(x: torch.Tensor, y: torch.Tensor, kernel: str = "gaussian", scales: Sequence[float] = (1.0,)) -> torch.Tensor:
    """√MMD² (biased), the GMMN paper's training loss; the small floor keeps its gradient finite at 0."""
    return mmd2(x, y, kernel, scales).clamp_min(1e-12).sqrt()


def null_z_score(x: torch.Tensor, y: torch.Tensor, reference: torch.Tensor, kernel: str = "gaussian",
                 scales: Sequence[float] = (1.0,), splits: int = 50, seed: int = 0) -> dict:
    """How clearly a kernel tells the samples ``y`` from the data ``x``: the unbiased MMD²(x, y)
    in units of its spread under the null hypothesis.

    The null distribution is estimated from data alone: ``splits`` random splits of the pooled
    data ``cat(x, reference)`` into two halves of ``len(x)`` and ``len(y)`` rows. Returns ``mmd2``
    (the statistic), ``null_mean``, ``null_sd``, ``z = (mmd2 - null_mean) / null_sd`` and
    ``p_value`` (the share of null splits at least as large, with the +1 correction). A kernel on
    learned features (MMD-GAN's) and a fixed kernel on pixels (GMMN's) compare on the same scale.
    Pass features, not images, for a kernel on features.
    """
    n, m = x.shape[0], y.shape[0]
    pool = torch.cat([x, reference])
    if len(pool) < n + m:
        raise ValueError(f"the null needs len(x) + len(reference) >= len(x) + len(y) = {n + m} data rows, got {len(pool)}")
    with torch.no_grad():
        stat = mmd2(x, y, kernel, scales, unbiased=True).item()
        g = torch.Generator().manual_seed(seed)
        null = []
        for _ in range(splits):
            idx = torch.randperm(len(pool), generator=g)
            null.append(mmd2(pool[idx[:n]], pool[idx[n:n + m]], kernel, scales, unbiased=True).item())
    null_t = torch.tensor(null, dtype=torch.float64)
    mean, sd = null_t.mean().item(), null_t.std().item()
    return {"mmd2": stat, "null_mean": mean, "null_sd": sd, "z": (stat - mean) / sd if sd > 0 else float("inf"),
            "p_value": (1 + int((null_t >= stat).sum())) / (splits + 1)}


def test_power(data: torch.Tensor, samples: torch.Tensor, n: int, kernel: str = "gaussian",
               scales: Sequence[float] = (1.0,), draws: int = 50, splits: int = 200, level: float = 0.05,
               seed: int = 0) -> dict:
    """How well a kernel's two-sample test tells ``samples`` from ``data`` with ``n`` of each, as a
    mini-batch of ``n`` sees them.

    The null distribution of the unbiased MMD² between two sets of ``n`` rows is estimated from
    ``splits`` disjoint pairs drawn from ``data`` alone (at least ``2 n`` rows); then ``draws`` times
    ``n`` data rows and ``n`` sample rows are drawn and their MMD² compared with it. Returns ``power``
    (the share of draws above the null's ``1 - level`` quantile: the test's rejection rate; about
    ``level`` when the two are the same distribution), ``z`` (the draws' mean statistic in units of
    the null's spread: ``(mean - null_mean) / null_sd``), ``null_mean``, ``null_sd``, ``threshold``.
    Pass features, not images, for a kernel on features."""
    if len(data) < 2 * n or len(samples) < n:
        raise ValueError(f"test_power needs at least {2 * n} data rows and {n} samples, got {len(data)} and {len(samples)}")
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        null = []
        for _ in range(splits):
            idx = torch.randperm(len(data), generator=g)[:2 * n]
            null.append(mmd2(data[idx[:n]], data[idx[n:]], kernel, scales, unbiased=True).item())
        stats = [mmd2(data[torch.randperm(len(data), generator=g)[:n]], samples[torch.randperm(len(samples), generator=g)[:n]],
                      kernel, scales, unbiased=True).item() for _ in range(draws)]
    null_t, stats_t = torch.tensor(null, dtype=torch.float64), torch.tensor(stats, dtype=torch.float64)
    threshold = torch.quantile(null_t, 1 - level).item()
    mean, sd = null_t.mean().item(), null_t.std().item()
    return {"power": float((stats_t > threshold).double().mean()), "z": (stats_t.mean().item() - mean) / sd if sd > 0 else float("inf"),
            "null_mean": mean, "null_sd": sd, "threshold": threshold}


def estimator_spread(x: torch.Tensor, y: torch.Tensor, sizes: Sequence[int], draws: int = 50,
                     kernel: str = "gaussian", scales: Sequence[float] = (1.0,), seed: int = 0) -> dict:
    """How noisy the MMD² of one mini-batch is, as the batch size ``M`` grows (GMMN's need for
    large batches). For each ``M`` in ``sizes``: the unbiased MMD² of ``draws`` independent pairs of
    ``M`` rows of ``x`` and ``M`` rows of ``y``, each drawn without replacement from its pool; their
    ``mean`` and standard deviation ``sd``. ``full``: the unbiased MMD² of the whole pools, the
    distance the mini-batches estimate; ``noise_to_signal``: ``sd / full`` per ``M`` (None when
    ``full`` is not positive). For P ≠ Q the sd falls like 1/√M; where P = Q, like 1/M: ``slope`` is
    the least-squares slope of log sd against log M (None for one size).
    Returns ``{"full": ..., "sizes": {M: {"mean", "sd", "noise_to_signal"}}, "slope": ...}``."""
    if draws < 2:
        raise ValueError(f"a spread needs at least two draws, got {draws}")
    if max(sizes) > min(len(x), len(y)):
        raise ValueError(f"a batch of {max(sizes)} rows needs pools at least that large, got {len(x)} and {len(y)}")
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        full = mmd2(x, y, kernel, scales, unbiased=True).item()
        out = {}
        for m in sizes:
            values = torch.tensor([mmd2(x[torch.randperm(len(x), generator=g)[:m]], y[torch.randperm(len(y), generator=g)[:m]],
                                        kernel, scales, unbiased=True).item() for _ in range(draws)], dtype=torch.float64)
            sd = values.std().item()
            out[int(m)] = {"mean": values.mean().item(), "sd": sd, "noise_to_signal": sd / full if full > 0 else None}
    logs = torch.tensor([[math.log(m), math.log(v["sd"])] for m, v in out.items()], dtype=torch.float64)
    slope = None
    if len(logs) > 1:
        dx = logs[:, 0] - logs[:, 0].mean()
        slope = float((dx * (logs[:, 1] - logs[:, 1].mean())).sum() / (dx * dx).sum())
    return {"full": full, "sizes": out, "slope": slope}


def gradient_error(generate, params, x: torch.Tensor, sizes: Sequence[int], draws: int = 30, kernel: str = "gaussian",
                   scales: Sequence[float] = (1.0,), reference: int | None = None, seed: int = 0) -> dict:
    """How far one mini-batch's gradient of GMMN's loss (√ of the biased MMD², as trained) lies from
    the gradient a large batch gives: the noise a training step follows, against the batch size.

    ``generate(n, generator)`` returns ``n`` samples that depend on ``params`` (differentiably), drawn
    with the ``torch.Generator``; ``x`` is the data pool. The reference gradient ``g_ref`` is the
    loss's on ``reference`` rows of ``x`` (default: all) and as many samples. For each ``M`` in
    ``sizes``, ``draws`` gradients ``g_M`` on ``M`` rows of ``x`` (without replacement) and ``M`` fresh
    samples: ``error_to_signal``, the mean of ‖g_M − g_ref‖² / ‖g_ref‖² (above 1: a step follows
    more error than signal), and ``cosine``, the mean cosine between ``g_M`` and ``g_ref``.
    Returns ``{"reference": n, "sizes": {M: {"error_to_signal", "cosine"}}}``."""
    params = [p for p in params if p.requires_grad]
    g = torch.Generator().manual_seed(seed)

    def grad(rows):
        loss = mmd(x[rows], generate(len(rows), g), kernel, scales)
        return torch.cat([t.reshape(-1) for t in torch.autograd.grad(loss, params)]).double()

    n = len(x) if reference is None else min(reference, len(x))
    if max(sizes) > len(x):
        raise ValueError(f"a batch of {max(sizes)} rows needs a data pool at least that large, got {len(x)}")
    ref = grad(torch.randperm(len(x), generator=g)[:n])
    signal = float(ref.pow(2).sum())
    out = {}
    for m in sizes:
        gs = [grad(torch.randperm(len(x), generator=g)[:m]) for _ in range(draws)]
        out[int(m)] = {"error_to_signal": sum(float((v - ref).pow(2).sum()) for v in gs) / draws / signal,
                       "cosine": sum(float(v @ ref) / float(v.norm() * ref.norm()) for v in gs) / draws}
    return {"reference": n, "sizes": out}
