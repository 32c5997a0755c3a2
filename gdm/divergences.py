"""Divergences between 1-D densities by quadrature: the independent ground truth that
chapters compare their learned quantities with."""
from __future__ import annotations

import warnings

import numpy as np
from scipy import integrate
from scipy.special import xlogy


def integrate_1d(fn, lo: float, hi: float, points=None, tol: float = 1e-4) -> float:
    """∫_lo^hi fn(x) dx for a vectorised numpy ``fn`` (adaptive quadrature).

    An integrand computed in float32 (a trained network) cannot reach quad's default 1.5e-8;
    quad's round-off warning is passed on only when its error estimate exceeds ``tol``.
    """
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
