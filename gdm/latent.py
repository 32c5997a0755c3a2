"""Latent-variable pieces shared by the auto-encoder models (VAE, β-VAE, AAE, WAE).

The reparameterisation trick (Kingma & Welling 2014, section 2.4): a sample of
``q(z | x) = N(mu, diag(exp(logvar)))`` written as a differentiable function of (mu, logvar)
and independent noise,

    z = mu + exp(logvar / 2) * eps,   eps ~ N(0, I);

the analytic KL divergence of that Gaussian from the standard normal prior (the paper's
Appendix B),

    KL(N(mu, s²) || N(0, I)) = 1/2 Σ_j (mu_j² + s_j² - 1 - log s_j²);

and the log-densities every likelihood and importance weight is made of. Densities sum over the
last ``event_dims`` dimensions (1 by default: tensors of shape ``(..., D)``) and broadcast over
the leading ones, so ``(k, B, D)`` importance samples against ``(B, D)`` parameters work.
"""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F

LOG_2PI = math.log(2 * math.pi)


def _sum_last(t: torch.Tensor, event_dims: int) -> torch.Tensor:
    return t.sum(dim=tuple(range(-event_dims, 0))) if event_dims else t


def reparameterize(mu: torch.Tensor, logvar: torch.Tensor, generator: torch.Generator | None = None) -> torch.Tensor:
    """``mu + exp(logvar / 2) * eps`` with ``eps ~ N(0, I)`` of ``mu``'s shape (drawn on the CPU
    from ``generator`` when given, so results do not depend on the device)."""
    if generator is None:
        eps = torch.randn_like(mu)
    else:
        eps = torch.randn(mu.shape, generator=generator, dtype=mu.dtype).to(mu.device)
    return mu + torch.exp(0.5 * logvar) * eps


def gaussian_kl(mu: torch.Tensor, logvar: torch.Tensor, event_dims: int = 1) -> torch.Tensor:
    """KL(N(mu, diag(exp(logvar))) || N(0, I)) per sample, summed over the latent dimensions."""
    return 0.5 * _sum_last(mu * mu + logvar.exp() - 1.0 - logvar, event_dims)


def gaussian_kl_between(mu_q, logvar_q, mu_p, logvar_p, event_dims: int = 1) -> torch.Tensor:
    """KL(N(mu_q, diag(s_q²)) || N(mu_p, diag(s_p²))), both diagonal, summed over dimensions:
    1/2 Σ (log s_p²/s_q² + (s_q² + (mu_q - mu_p)²) / s_p² - 1)."""
    return 0.5 * _sum_last(logvar_p - logvar_q + (logvar_q.exp() + (mu_q - mu_p) ** 2) / logvar_p.exp() - 1.0,
                           event_dims)


def log_normal(x: torch.Tensor, mu: torch.Tensor, logvar: torch.Tensor, event_dims: int = 1) -> torch.Tensor:
    """log N(x; mu, diag(exp(logvar))), summed over the last ``event_dims`` dimensions."""
    return -0.5 * _sum_last(LOG_2PI + logvar + (x - mu) ** 2 * torch.exp(-logvar), event_dims)


def log_standard_normal(z: torch.Tensor, event_dims: int = 1) -> torch.Tensor:
    """log N(z; 0, I), summed over the last ``event_dims`` dimensions."""
    return -0.5 * _sum_last(LOG_2PI + z * z, event_dims)


def bernoulli_log_likelihood(logits: torch.Tensor, x: torch.Tensor, event_dims: int = 1) -> torch.Tensor:
    """log Bernoulli(x; sigmoid(logits)) = x log p + (1 - x) log(1 - p), summed over the last
    ``event_dims`` dimensions, on logits for stability. ``x`` in [0, 1]: for grey levels it is
    the negative cross-entropy (not a normalised likelihood: binarise to compare with papers)."""
    return -_sum_last(F.binary_cross_entropy_with_logits(logits, x.expand_as(logits), reduction="none"), event_dims)


def binarize(x: torch.Tensor, generator: torch.Generator | None = None) -> torch.Tensor:
    """A stochastic binarisation: each pixel is 1 with probability its grey level (Salakhutdinov
    & Murray 2008; the binarised MNIST of the VAE/IWAE likelihood tables)."""
    u = torch.rand(x.shape, generator=generator, dtype=x.dtype).to(x.device) if generator is not None else torch.rand_like(x)
    return (u < x).to(x.dtype)
