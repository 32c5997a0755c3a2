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

from .divergences import FDivergence, f_divergence
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


# ----------------------------------------------------------------------------- f-GAN
# f-GAN (Nowozin, Cseke & Tomioka 2016, Section 3): the critic V_ω and the generator Q_θ play
#
#     F(θ, ω) = E_{x~P}[g_f(V_ω(x))] - E_{x~Q_θ}[f*(g_f(V_ω(x)))],
#
# the critic maximising F (a lower bound on D_f(P || Q_θ)), the generator minimising it.
# ``div`` is an ``FDivergence`` or its name in ``gdm.divergences.F_DIVERGENCES``.

FGAN_G_LOSSES = ("minimax", "alternative")


def _fdiv(div: FDivergence | str) -> FDivergence:
    """``div`` itself, or the f-divergence it names."""
    return f_divergence(div) if isinstance(div, str) else div


def fgan_value(v_real: torch.Tensor, v_fake: torch.Tensor, div: FDivergence | str) -> torch.Tensor:
    """F estimated on a batch: mean g_f(V(x_real)) - mean f*(g_f(V(x_fake))), V the critic's logits.

    For ``div="gan"`` this is exactly ``gan_value`` on the same logits.
    """
    d = _fdiv(div)
    return d.activation(v_real).mean() - d.conjugate_of_activation(v_fake).mean()


def fgan_d_loss(v_real: torch.Tensor, v_fake: torch.Tensor, div: FDivergence | str) -> torch.Tensor:
    """The critic minimises -F (it maximises the variational lower bound)."""
    return -fgan_value(v_real, v_fake, div)


def fgan_g_loss(v_fake: torch.Tensor, div: FDivergence | str, kind: str = "minimax") -> torch.Tensor:
    """The generator's loss on the critic's logits ``v_fake = V(G(z))``.

    ``minimax``: minimise F; only its second term depends on θ, so the loss is
    -E[f*(g_f(V(G(z))))]. ``alternative`` (the paper's Section 3.2): maximise E[g_f(V(G(z)))],
    i.e. minimise -E[g_f(V(G(z)))]; for ``div="gan"`` these are ``gan_g_loss``'s ``minimax``
    and ``nonsaturating``.
    """
    d = _fdiv(div)
    if kind == "minimax":
        return -d.conjugate_of_activation(v_fake).mean()
    if kind == "alternative":
        return -d.activation(v_fake).mean()
    raise UnknownNameError("f-GAN generator loss", kind, FGAN_G_LOSSES)
