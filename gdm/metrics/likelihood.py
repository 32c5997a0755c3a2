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
