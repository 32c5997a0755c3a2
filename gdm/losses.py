"""Losses, one place each, written on logits for numerical stability.

The GAN value function (Goodfellow et al. 2014, eq. 1):

    V(D, G) = E_x[log D(x)] + E_z[log(1 - D(G(z)))],   D = sigmoid(logit).

With ``log sigmoid(l) = -softplus(-l)`` and ``log(1 - sigmoid(l)) = -softplus(l)``.
"""
from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F

from .errors import UnknownNameError

G_LOSSES = ("nonsaturating", "minimax")


def gan_value(real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
    """The value V(D, G) estimated on a batch: E[log D(x)] + E[log(1 - D(G(z)))]."""
    return -F.softplus(-real_logits).mean() - F.softplus(fake_logits).mean()


def gan_d_loss(real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
    """The discriminator minimises -V: binary cross-entropy with real = 1, fake = 0."""
    return -gan_value(real_logits, fake_logits)


def gan_g_loss(fake_logits: torch.Tensor, kind: str = "nonsaturating") -> torch.Tensor:
    """The generator's loss.

    ``minimax``: minimise E[log(1 - D(G(z)))], the paper's value function; its gradient
    vanishes where D rejects the samples (D(G(z)) -> 0). ``nonsaturating``: minimise
    -E[log D(G(z))], the paper's practical alternative with the same fixed point and strong
    gradients early in training.
    """
    if kind == "minimax":
        return -F.softplus(fake_logits).mean()
    if kind == "nonsaturating":
        return F.softplus(-fake_logits).mean()
    raise UnknownNameError("generator loss", kind, G_LOSSES)


def optimal_discriminator(p_data, p_g):
    """Proposition 1: D*(x) = p_data(x) / (p_data(x) + p_g(x)), for density values."""
    p_data, p_g = np.asarray(p_data, dtype=np.float64), np.asarray(p_g, dtype=np.float64)
    return p_data / (p_data + p_g)


def gan_value_at_optimum(jsd: float) -> float:
    """Theorem 1: C(G) = max_D V(D, G) = -log 4 + 2 JSD(p_data || p_g)."""
    return -math.log(4.0) + 2.0 * jsd
