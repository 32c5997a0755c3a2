"""Likelihood-based metrics: the Parzen-window estimate (GAN papers) and the importance-weighted
bound (models with an encoder)."""
from __future__ import annotations

import math

import numpy as np
import torch

#: Goodfellow et al.'s Parzen bandwidth grid (parzen_ll.py): 10 values from 0.1 to 1.
PARZEN_SIGMAS = tuple(np.logspace(-1.0, 0.0, num=10))


def _flat64(x) -> torch.Tensor:
    x = torch.as_tensor(x)
    return x.reshape(x.shape[0], -1).to(torch.float64)


def parzen_log_likelihood(samples, points, sigma: float, chunk: int = 500) -> torch.Tensor:
    """Per-point log-density of ``points`` under a Gaussian Parzen window on ``samples``.

    log p(x) = logsumexp_i(-|x - s_i|^2 / (2 sigma^2)) - log M - (D / 2) log(2 pi sigma^2).
    """
    s, x = _flat64(samples), _flat64(points)
    m, d = s.shape
    s2 = (s * s).sum(1)
    out = []
    for i in range(0, x.shape[0], chunk):
        xc = x[i : i + chunk]
        d2 = ((xc * xc).sum(1)[:, None] + s2[None] - 2 * xc @ s.T).clamp_min_(0)
        out.append(torch.logsumexp(-d2 / (2 * sigma**2), 1))
    return torch.cat(out) - math.log(m) - 0.5 * d * math.log(2 * math.pi * sigma**2)


def parzen(samples, valid, test, sigmas=PARZEN_SIGMAS) -> dict:
    """The GAN paper's protocol: choose sigma on ``valid``, report mean and s.e. on ``test``.

    The bandwidth never sees the scored set. Returns ``parzen_ll`` (nats), ``parzen_se``
    (standard error over test points), ``parzen_sigma`` and the validation curve.
    """
    valid_ll = [parzen_log_likelihood(samples, valid, s).mean().item() for s in sigmas]
    sigma = float(sigmas[int(np.argmax(valid_ll))])
    ll = parzen_log_likelihood(samples, test, sigma)
    return {
        "parzen_ll": ll.mean().item(),
        "parzen_se": (ll.std(unbiased=True) / math.sqrt(ll.numel())).item(),
        "parzen_sigma": sigma,
        "parzen_valid_curve": {f"{s:.4g}": v for s, v in zip(sigmas, valid_ll)},
    }


def iwae_bound(log_weights: torch.Tensor) -> torch.Tensor:
    """The importance-weighted bound (Burda et al. 2016) per data point from log-weights of
    shape (k, N): log (1/k) sum_i w_i, with w_i = p(x, z_i) / q(z_i | x), z_i ~ q(z | x).
    k = 1 is the ELBO; the bound grows with k towards log p(x)."""
    k = log_weights.shape[0]
    return torch.logsumexp(log_weights.double(), 0) - math.log(k)


def importance_weighted_ll(log_weights_fn, x: torch.Tensor, k: int, batch_size: int = 100) -> dict:
    """Mean IWAE bound on the data ``x`` with ``k`` importance samples.

    ``log_weights_fn(x_batch, k)`` returns the (k, B) log-weights of a model with an encoder
    (e.g. ``model.log_importance_weights``). Returns ``iwae_ll`` (nats), ``iwae_se`` and ``iwae_k``.
    """
    bounds = torch.cat([iwae_bound(log_weights_fn(x[i : i + batch_size], k)) for i in range(0, len(x), batch_size)])
    return {
        "iwae_ll": bounds.mean().item(),
        "iwae_se": (bounds.std() / math.sqrt(len(bounds))).item() if len(bounds) > 1 else float("nan"),
        "iwae_k": k,
    }
