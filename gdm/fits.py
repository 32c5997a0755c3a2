"""One Gaussian fitted to a 1-D mixture, by quadrature and by f-GAN training: chapter 02's measurements.

    from gdm import data, fits
    mixture = data.toy("mixture1d")
    direct = fits.direct_minimiser("kl", mixture)        # {"mu", "sigma", "d", "local_minima"}
    run = load_or_train(...)                               # an f-GAN with an affine generator
    rec = fits.score(run, "kl", mixture, direct, seed=0)   # (mu, sigma), D_f there, the critic's F, modes covered
    fits.summary({"kl": {0: rec, ...}, ...}, seeds=[0, 1, 2])

The mixture is symmetric about 0 (``mixture1d``: two components at ±2), so a Gaussian and its mirror
image fit equally well: the **distance** between two Gaussians (mu, sigma) is the larger of their
differences in |mu| and in sigma. A mode is **covered** by the book's one definition
(:func:`gdm.metrics.mode_coverage`): a sample within 3 of its standard deviations has it as nearest mode.
"""
from __future__ import annotations

import numpy as np
import torch

from . import data, divergences, metrics

#: the quadrature of :func:`divergence_to`: the trapezoid rule on this many points of [LO, HI]
LO, HI, GRID = -15.0, 15.0, 20001
#: the starting points (mu, sigma) of :func:`direct_minimiser`'s searches, besides the generator's own
STARTS = ((0.0, 2.0), (2.0, 0.5))


def divergence_to(div: str, mixture, mu: float, sigma: float) -> float:
    """D_f(P || N(mu, sigma²)) by quadrature, P the ``mixture`` (a :class:`gdm.data.GaussianMixture`)."""
    q = data.gaussian(mu, sigma)
    return divergences.f_divergence_1d(div, lambda x: mixture.pdf(x.reshape(-1, 1)),
                                       lambda x: q.pdf(x.reshape(-1, 1)), LO, HI, grid=GRID)


def distance(a, b) -> float:
    """Between two Gaussians ``(mu, sigma)`` of a mixture symmetric about 0: the larger of the
    differences in |mu| and in sigma."""
    return max(abs(abs(a[0]) - abs(b[0])), abs(a[1] - b[1]))


def direct_minimiser(div: str, mixture, init=(-1.0, 1.0), starts=STARTS) -> dict:
    """The Gaussian that minimises D_f(P || Q) directly: Nelder–Mead over (mu, log sigma) from ``init``
    and ``starts``, the lowest kept (``mu``, ``sigma``, ``d``); ``local_minima``: the distinct minima
    found, by (|mu|, sigma) to one decimal, a point where a step of 0.1 in mu or log sigma lowers the
    divergence being a saddle and left out (a start on mu = 0 stays on that line)."""
    from scipy.optimize import minimize

    f = lambda th: divergence_to(div, mixture, th[0], float(np.exp(th[1])))
    found = [minimize(f, x0=[m0, np.log(s0)], method="Nelder-Mead", options={"xatol": 1e-4, "fatol": 1e-9})
             for m0, s0 in (tuple(init), *starts)]
    best = min(found, key=lambda r: r.fun)
    distinct = {}
    for r in sorted(found, key=lambda r: r.fun):
        m, ls = r.x
        if min(f([m + dm, ls + dl]) for dm, dl in ((.1, 0), (-.1, 0), (0, .1), (0, -.1))) < r.fun:
            continue
        distinct.setdefault((round(abs(m), 1), round(float(np.exp(ls)), 1)), float(r.fun))
    return {"mu": float(best.x[0]), "sigma": float(np.exp(best.x[1])), "d": float(best.fun),
            "local_minima": [{"abs_mu": k[0], "sigma": k[1], "d": v} for k, v in distinct.items()]}


def gaussian_of(run) -> tuple[float, float]:
    """(mu, sigma) of a trained affine generator x = mu + sigma z."""
    g = run.model.generator
    return g.bias.item(), abs(g.weight.item())


def _draws(run, mixture, seed: int, n: int):
    """``n`` samples of the data and of the run's generator, drawn with one generator seeded ``seed``."""
    gen = torch.Generator().manual_seed(seed)
    return mixture.sample(n, gen), run.model.sample(n, gen)


def score(run, div: str, mixture, direct: dict, seed: int, n: int = 100_000, n_cover: int = 5000) -> dict:
    """A trained f-GAN fit against the direct minimiser: its (``mu``, ``sigma``), ``d`` = D_f there by
    quadrature, the critic's value ``critic`` (Monte Carlo on ``n`` samples of each, drawn with a
    generator seeded ``seed``) with its standard error ``se``, the ``modes`` its first ``n_cover``
    samples cover, and its ``distance`` from the minimiser."""
    mu, sigma = gaussian_of(run)
    real, fake = _draws(run, mixture, seed, n)
    return {"mu": mu, "sigma": sigma, "d": divergence_to(div, mixture, mu, sigma),
            "critic": run.model.critic_bound(real, fake), "se": run.model.critic_bound_se(real, fake),
            "modes": metrics.mode_coverage(fake[:n_cover], mixture.means, mixture.std)["modes_covered"],
            "distance": distance((mu, sigma), (direct["mu"], direct["sigma"]))}


def summary(fits: dict, seeds, covering=("kl", "pearson"), seeking="reverse_kl", one_game=("jensen_shannon", "gan")) -> dict:
    """Per seed, over the divergences of ``fits`` ({divergence: {seed: :func:`score`}}): the ``worst``
    distance from a minimiser, the largest ``bound_gap`` |F − D_f| and ``bound_z`` (F − D_f) / s.e.,
    ``cover_pattern`` (1 when every ``covering`` divergence covers both modes and ``seeking`` exactly
    one, else 0), ``js_gan`` (the larger difference in mu or sigma between the two runs of
    ``one_game``); ``per_divergence``: every score as a per-seed list."""
    names = list(fits)
    return {
        "worst": [max(fits[n][s]["distance"] for n in names) for s in seeds],
        "bound_gap": [max(abs(fits[n][s]["critic"] - fits[n][s]["d"]) for n in names) for s in seeds],
        "bound_z": [max((fits[n][s]["critic"] - fits[n][s]["d"]) / fits[n][s]["se"] for n in names) for s in seeds],
        "cover_pattern": [int(all(fits[n][s]["modes"] == 2 for n in covering) and fits[seeking][s]["modes"] == 1)
                          for s in seeds],
        "js_gan": [max(abs(fits[one_game[0]][s][k] - fits[one_game[1]][s][k]) for k in ("mu", "sigma")) for s in seeds],
        "per_divergence": {n: {k: [fits[n][s][k] for s in seeds] for k in next(iter(fits[n].values()))} for n in names},
    }


def reverse_kl_minima(mixture, on_mode: dict) -> dict:
    """The reverse KL's two local minima on a two-mode mixture symmetric about 0: ``on a mode`` (the
    direct minimiser ``on_mode``, its |mu|) and ``on μ = 0`` (the best sigma there, by quadrature)."""
    from scipy.optimize import minimize_scalar

    axis = minimize_scalar(lambda ls: divergence_to("reverse_kl", mixture, 0.0, float(np.exp(ls))), bounds=(-2, 2),
                           method="bounded")
    return {"on a mode": (abs(on_mode["mu"]), on_mode["sigma"]), "on μ = 0": (0.0, float(np.exp(axis.x)))}


def reverse_kl_excess(g, mixture, minima: dict) -> float | None:
    """KL(Q || P) at the Gaussian ``g`` = (mu, sigma) less its value at the nearer (:func:`distance`)
    of ``minima``; None for no Gaussian (a run that diverged)."""
    if g is None:
        return None
    m = min(minima.values(), key=lambda q: distance(g, q))
    return divergence_to("reverse_kl", mixture, *g) - divergence_to("reverse_kl", mixture, *m)


def critic_gap(run, div: str, mixture, seed: int, n: int = 100_000) -> float:
    """The relative gap |F − D_f(P || Q)| / D_f(P || Q) of a trained critic's value F (Monte Carlo on
    ``n`` samples of each): how far the critic is from its optimum, where the bound is tight."""
    real, fake = _draws(run, mixture, seed, n)
    d = divergence_to(div, mixture, *gaussian_of(run))
    return abs(run.model.critic_bound(real, fake) - d) / d
