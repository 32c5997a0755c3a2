"""Divergences: between 1-D densities by quadrature (the independent ground truth that chapters
compare their learned quantities with), and the f-divergence table of f-GAN."""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Callable

import numpy as np
import torch
import torch.nn.functional as F
from scipy import integrate
from scipy.special import xlogy

from .errors import UnknownNameError


def integrate_1d(fn, lo: float, hi: float, points=None, tol: float = 1e-4, grid: int | None = None) -> float:
    """∫_lo^hi fn(x) dx for a vectorised numpy ``fn``: adaptive quadrature, or with ``grid``
    the trapezoid rule on that many equally spaced points (one vectorised call: fast enough
    inside an optimiser, accurate for smooth integrands on a fine grid).

    An integrand computed in float32 (a trained network) cannot reach quad's default 1.5e-8;
    quad's round-off warning is passed on only when its error estimate exceeds ``tol``.
    """
    if grid is not None:
        x = np.linspace(lo, hi, grid)
        return float(np.trapezoid(fn(x), x))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", integrate.IntegrationWarning)
        value, abserr = integrate.quad(lambda x: float(fn(np.array([x]))[0]), lo, hi, points=points, limit=400)
    if abserr > tol:
        for w in caught:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return value


def kl_1d(p, q, lo: float, hi: float, points=None) -> float:
    """KL(p || q) = ∫ p log(p / q) for density functions ``p`` and ``q``."""
    return integrate_1d(lambda x: xlogy(p(x), p(x)) - xlogy(p(x), q(x)), lo, hi, points)


def jsd_1d(p, q, lo: float, hi: float, points=None) -> float:
    """JSD(p || q) = ½ KL(p || m) + ½ KL(q || m), m = (p + q) / 2, in nats (at most log 2)."""

    def integrand(x):
        px, qx = p(x), q(x)
        m = 0.5 * (px + qx)
        return 0.5 * (xlogy(px, px) - xlogy(px, m)) + 0.5 * (xlogy(qx, qx) - xlogy(qx, m))

    return integrate_1d(integrand, lo, hi, points)


def gan_value_1d(d, p, q, lo: float, hi: float, points=None) -> float:
    """V(D, G) = ∫ p log D + q log(1 - D) for a discriminator function ``d`` with values in (0, 1)."""
    # D rounds to exactly 0 or 1 in floating point where one density is negligible: clip so
    # that a negligible density times log 0 counts as negligible, not as -inf
    lo_d, hi_d = np.finfo(np.float64).tiny, np.nextafter(1.0, 0.0)

    def integrand(x):
        dx = np.clip(d(x), lo_d, hi_d)
        return xlogy(p(x), dx) + xlogy(q(x), 1.0 - dx)

    return integrate_1d(integrand, lo, hi, points)


# ----------------------------------------------------------------------------- f-divergences
# f-GAN (Nowozin, Cseke & Tomioka 2016): an f-divergence D_f(P || Q) = ∫ q f(p / q) for a
# convex generator f has the variational lower bound (the paper's Section 2.2)
#
#     D_f(P || Q) >= sup_T  E_P[T(x)] - E_Q[f*(T(x))],     tight at T*(x) = f'(p(x) / q(x)),
#
# where f* is the Fenchel conjugate of f. The critic's unbounded output V is mapped into dom f*
# by an output activation, T = g_f(V). Table 1 of the paper gives f and f*, Table 2 g_f and
# f'(1); the torch functions below are those formulas rewritten with softplus, logsigmoid,
# expm1 and log(1 - e^x) so that they stay finite wherever the mathematics is.
#
# Three points of the tables, kept as printed:
# - Jensen-Shannon: Table 1's generator f(u) = -(u + 1) log((1 + u) / 2) + u log u (and its f*,
#   g_f) gives D_f = 2 JSD, not the JSD that the table's D_f column writes with a factor 1/2.
# - GAN: f(1) = -log 4, not 0, so D_f = 2 JSD - log 4 (Goodfellow et al.'s C(G)) can be < 0.
# - Pearson χ²: f*(t) = t²/4 + t is the conjugate of (u - 1)² over all real u; over u >= 0 it is
#   -1 for t < -2. The table's form is never smaller, so the bound still holds (T* >= -2).

_LOG2 = math.log(2.0)
_INF = math.inf


@dataclass(frozen=True)
class FDivergence:
    """One row of f-GAN's Tables 1 and 2: generator f, conjugate f*, output activation g_f."""

    name: str  #: the key in ``F_DIVERGENCES``
    #: generator f(u), numpy, elementwise for u >= 0 (Table 1); f(1) = 0 except GAN's -log 4
    f: Callable[[np.ndarray], np.ndarray]
    f_prime: Callable[[np.ndarray], np.ndarray]  #: derivative f'(u), numpy; f'(inf) = lim f(u) / u
    conjugate: Callable[[torch.Tensor], torch.Tensor]  #: Fenchel conjugate f*(t), torch (Table 1)
    activation: Callable[[torch.Tensor], torch.Tensor]  #: output activation g_f(v), torch (Table 2)
    f_prime_1: float  #: f'(1): T(x) > f'(1) means "x looks real" (Table 2, last column)
    domain: tuple[float, float]  #: open interval, the effective domain dom f* (Table 1)
    activation_range: tuple[float, float]  #: open interval, the range of g_f; inside ``domain``
    #: f*(g_f(v)) in closed form, torch: equal to ``conjugate(activation(v))`` but finite for
    #: every v where that composition rounds to the boundary of dom f* (the losses use it)
    conjugate_of_activation: Callable[[torch.Tensor], torch.Tensor]


def _log1mexp(x: torch.Tensor) -> torch.Tensor:
    """log(1 - e^x) for x < 0, accurate for x near 0 and for x very negative (Mächler 2012)."""
    near0 = x > -_LOG2
    # each branch sees only the inputs it is accurate for, so that neither makes a NaN gradient
    return torch.where(near0, torch.log(-torch.expm1(torch.where(near0, x, -1.0))),
                       torch.log1p(-torch.exp(torch.where(near0, -1.0, x))))


def _np(fn):
    """Evaluate a numpy formula in float64 without divide-by-zero warnings at u = 0 or inf."""

    def wrapped(u):
        with np.errstate(divide="ignore", invalid="ignore"):
            return fn(np.asarray(u, dtype=np.float64))

    return wrapped


F_DIVERGENCES: dict[str, FDivergence] = {
    d.name: d
    for d in (
        FDivergence(  # D_f = ∫ p log(p / q)
            name="kl",
            f=_np(lambda u: xlogy(u, u)),
            f_prime=_np(lambda u: np.log(u) + 1.0),
            conjugate=lambda t: torch.exp(t - 1.0),
            activation=lambda v: v,
            f_prime_1=1.0,
            domain=(-_INF, _INF),
            activation_range=(-_INF, _INF),
            conjugate_of_activation=lambda v: torch.exp(v - 1.0),
        ),
        FDivergence(  # D_f = ∫ q log(q / p)
            name="reverse_kl",
            f=_np(lambda u: -np.log(u)),
            f_prime=_np(lambda u: -1.0 / u),
            conjugate=lambda t: -1.0 - torch.log(-t),
            activation=lambda v: -torch.exp(-v),
            f_prime_1=-1.0,
            domain=(-_INF, 0.0),
            activation_range=(-_INF, 0.0),
            conjugate_of_activation=lambda v: v - 1.0,  # -1 - log(e^-v)
        ),
        FDivergence(  # D_f = ∫ (p - q)^2 / q
            name="pearson",
            f=_np(lambda u: (u - 1.0) ** 2),
            f_prime=_np(lambda u: 2.0 * (u - 1.0)),
            conjugate=lambda t: 0.25 * t * t + t,
            activation=lambda v: v,
            f_prime_1=0.0,
            domain=(-_INF, _INF),
            activation_range=(-_INF, _INF),
            conjugate_of_activation=lambda v: 0.25 * v * v + v,
        ),
        FDivergence(  # D_f = ∫ (√p - √q)^2
            name="squared_hellinger",
            f=_np(lambda u: (np.sqrt(u) - 1.0) ** 2),
            f_prime=_np(lambda u: 1.0 - 1.0 / np.sqrt(u)),
            conjugate=lambda t: t / (1.0 - t),
            activation=lambda v: -torch.expm1(-v),  # 1 - e^-v
            f_prime_1=0.0,
            domain=(-_INF, 1.0),
            activation_range=(-_INF, 1.0),
            conjugate_of_activation=lambda v: torch.expm1(v),  # (1 - e^-v) / e^-v
        ),
        FDivergence(  # D_f = ∫ p log(2p / (p + q)) + q log(2q / (p + q)) = 2 JSD(P || Q)
            name="jensen_shannon",
            f=_np(lambda u: -xlogy(u + 1.0, u + 1.0) + (u + 1.0) * _LOG2 + xlogy(u, u)),
            f_prime=_np(lambda u: _LOG2 - np.log1p(1.0 / u)),  # log(2u / (1 + u))
            conjugate=lambda t: -_LOG2 - _log1mexp(t - _LOG2),  # -log(2 - e^t)
            activation=lambda v: _LOG2 - F.softplus(-v),  # log 2 - log(1 + e^-v)
            f_prime_1=0.0,
            domain=(-_INF, _LOG2),
            activation_range=(-_INF, _LOG2),
            conjugate_of_activation=lambda v: F.softplus(v) - _LOG2,  # -log(2 sigmoid(-v))
        ),
        FDivergence(  # D_f = ∫ p log(2p / (p + q)) + q log(2q / (p + q)) - log 4 = 2 JSD - log 4
            name="gan",
            f=_np(lambda u: xlogy(u, u) - xlogy(u + 1.0, u + 1.0)),
            f_prime=_np(lambda u: -np.log1p(1.0 / u)),  # log(u / (u + 1))
            conjugate=lambda t: -_log1mexp(t),  # -log(1 - e^t)
            activation=lambda v: F.logsigmoid(v),  # -log(1 + e^-v)
            f_prime_1=-_LOG2,
            domain=(-_INF, 0.0),
            activation_range=(-_INF, 0.0),
            conjugate_of_activation=lambda v: F.softplus(v),  # -log(1 - sigmoid(v))
        ),
    )
}


def f_divergence(name: str) -> FDivergence:
    """The f-divergence called ``name`` (one of ``F_DIVERGENCES``)."""
    try:
        return F_DIVERGENCES[name]
    except (KeyError, TypeError):
        raise UnknownNameError("f-divergence", name, F_DIVERGENCES) from None


def f_divergence_1d(div: FDivergence | str, p, q, lo: float, hi: float, points=None, grid: int | None = None) -> float:
    """D_f(P || Q) = ∫ q f(p / q) for density functions ``p`` and ``q``, by quadrature
    (``grid``: the trapezoid rule on that many points, see ``integrate_1d``).

    The conventions of the definition hold where a density is 0: 0 f(0 / 0) = 0 and
    0 f(p / 0) = p lim_{u->inf} f(u) / u = p f'(inf).
    """
    if isinstance(div, str):
        div = f_divergence(div)

    def integrand(x):
        px, qx = np.asarray(p(x), dtype=np.float64), np.asarray(q(x), dtype=np.float64)
        out = np.zeros(np.broadcast(px, qx).shape)
        both = qx > 0
        out[both] = qx[both] * div.f(px[both] / qx[both])
        only_p = ~both & (px > 0)
        out[only_p] = px[only_p] * div.f_prime(np.inf)
        return out

    return integrate_1d(integrand, lo, hi, points, grid=grid)


def parallel_lines(theta: float) -> dict:
    """WGAN's Example 1 in closed form: the distances between P_0 and P_θ, the laws of (0, Z)
    and (θ, Z) with Z ~ U[0, 1] (Arjovsky et al. 2017, Section 2).

    W(P_0, P_θ) = |θ|; for θ ≠ 0 the supports are disjoint, so JS = log 2, KL = +∞ (both
    directions) and the total variation δ = 1; all four are 0 at θ = 0. Only W is continuous
    in θ, and only W gives the generator a gradient towards θ = 0.
    """
    apart = theta != 0
    return {"wasserstein": abs(float(theta)), "jensen_shannon": math.log(2) if apart else 0.0,
            "kl": math.inf if apart else 0.0, "total_variation": 1.0 if apart else 0.0}
