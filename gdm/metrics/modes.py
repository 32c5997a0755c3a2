"""Mode coverage on toy mixtures, the optimal-discriminator check, and clustering accuracy."""
from __future__ import annotations

import numpy as np
import torch


def mode_coverage(samples, means, std: float, n_std: float = 3.0, min_count: int = 1) -> dict:
    """Mode coverage on a Gaussian mixture (VEEGAN / PacGAN protocol).

    A sample is *high quality* when it lies within ``n_std`` standard deviations of its
    nearest mode; a mode is *covered* when at least ``min_count`` high-quality samples have it
    as their nearest mode. Returns ``modes_covered``, ``modes_total``, ``high_quality`` (the
    share of high-quality samples) and ``per_mode`` counts.
    """
    x = torch.as_tensor(samples, dtype=torch.float64)
    mu = torch.as_tensor(means, dtype=torch.float64)
    dist = torch.cdist(x, mu)
    nearest = dist.argmin(1)
    good = dist.gather(1, nearest[:, None])[:, 0] <= n_std * std
    counts = torch.bincount(nearest[good], minlength=mu.shape[0])
    return {
        "modes_covered": int((counts >= min_count).sum()),
        "modes_total": int(mu.shape[0]),
        "high_quality": float(good.double().mean()),
        "per_mode": counts.tolist(),
    }


def optimal_d_error(d_values, p_data, p_g) -> dict:
    """How far a discriminator's values are from Proposition 1's D* = p_data / (p_data + p_g)."""
    from ..losses import optimal_discriminator

    err = np.abs(np.asarray(d_values, dtype=np.float64) - optimal_discriminator(p_data, p_g))
    return {"max_error": float(err.max()), "mean_error": float(err.mean())}
