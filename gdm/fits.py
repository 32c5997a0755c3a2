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

from dataclasses import dataclass, field

import numpy as np
import torch

from . import data, divergences, metrics
from .errors import TrainingDivergedError

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


def table(direct: dict, fits: dict, names: dict) -> str:
    """A Markdown table of the 1-D fits: per divergence (``names``: key -> name in prose) the direct
    minimiser (``direct``: {divergence: :func:`direct_minimiser`}) and every seed's f-GAN fit
    (``fits``: {divergence: {seed: :func:`score`}}), its distance, modes covered and the critic's gap."""
    from .results import markdown_table, seed_text

    def row(n):
        per = {k: [r[k] for r in fits[n].values()] for k in ("mu", "sigma", "distance", "modes", "critic", "d")}
        return {"direct": f"{abs(direct[n]['mu']):.3f}, {direct[n]['sigma']:.3f}",
                "mu": seed_text(np.abs(per["mu"]), ".3f"), "sigma": seed_text(per["sigma"], ".3f"),
                "distance": seed_text(per["distance"], ".3f"), "modes": seed_text(per["modes"], "d"),
                "d": f"{direct[n]['d']:.4f}", "gap": seed_text(np.subtract(per["critic"], per["d"]), "+.4f")}

    return markdown_table({names[n]: row(n) for n in fits}, {
        "direct": "|μ*|, σ* (direct)", "mu": "|μ̂| (f-GAN, per seed)", "sigma": "σ̂ (per seed)", "distance": "distance",
        "modes": "modes covered", "d": "D_f(P‖Q*)", "gap": "F − D_f(P‖Q̂)"})


@dataclass
class Arms:
    """The settings (arms) of one f-GAN game fitted on several seeds: :func:`arms`."""
    settings: dict  # arm -> {"k": critic updates per generator update, "lr": learning rate}
    steps: int
    fits: dict  # arm -> seed -> (mu, sigma), None where the run diverged
    half: dict  # the same at steps // 2: has the fit settled?
    gap: dict  # arm -> seed -> :func:`critic_gap` at the full budget (None where it diverged)
    diverged_at: dict = field(default_factory=dict)  # arm -> seed -> the update at which the run diverged
    longer: dict = field(default_factory=dict)  # seed -> (mu, sigma): the first arm at ``long_steps``
    long_steps: int = 0
    runs: list = field(default_factory=list, repr=False)
    diverged_ids: list = field(default_factory=list)

    def per_seed(self, which: dict, arm: str) -> list:
        return list(which[arm].values())

    def block(self, mixture, minimiser, minima: dict) -> dict:
        """The results' record: per arm its settings and fits (at the full and at half the budget), the first arm's distance from ``minimiser``
        (mu, sigma), every arm's reverse-KL excess over ``minima`` (:func:`reverse_kl_excess`) and
        critic gap, ``settled`` (the distance between the fit at half and at the full budget), and the
        first arm trained longer."""
        first = next(iter(self.settings))
        excess = lambda g: reverse_kl_excess(g, mixture, minima)
        fit = lambda a: self.per_seed(self.fits, a)
        return {
            **{a: {**kw, "mu": [g and g[0] for g in fit(a)], "sigma": [g and g[1] for g in fit(a)],
                   "mu_half": [g and g[0] for g in self.per_seed(self.half, a)],
                   "sigma_half": [g and g[1] for g in self.per_seed(self.half, a)]} for a, kw in self.settings.items()},
            f"{first}_from_kl": [distance(g, minimiser) for g in fit(first)],
            **{f"{a}_rkl_excess": [excess(g) for g in fit(a)] for a in self.settings},
            **{f"{a}_gap": self.per_seed(self.gap, a) for a in self.settings},
            "settled": {a: [None if g is None or h is None else distance(g, h)
                            for g, h in zip(fit(a), self.per_seed(self.half, a))] for a in self.settings},
            "rkl_minima": {k: list(v) for k, v in minima.items()},
            "diverged_at": self.diverged_at,
            f"{first}_longer": {"steps": self.long_steps, "mu": [g[0] for g in self.longer.values()],
                                "sigma": [g[1] for g in self.longer.values()],
                                "rkl_excess": [excess(g) for g in self.longer.values()],
                                "from_kl": [distance(g, minimiser) for g in self.longer.values()]},
        }


def arms(config, settings: dict, seeds, steps: int, mixture, div: str = "kl", long_steps: int = 0) -> Arms:
    """Read, reuse or train every arm (``settings``: arm -> {"k", "lr"}) on every seed, at ``steps``
    updates and at ``steps // 2`` (the same trajectory's first half); ``config(seed, steps=, k=, lr=)``
    gives a run's config. A run that diverges is kept as a fact: no fit (None), the update at which it
    diverged, its run id. The first arm is also trained to ``long_steps`` when that is set."""
    from .runs import load_or_train, run_id

    out = Arms(settings, steps, *({a: {} for a in settings} for _ in range(3)), long_steps=long_steps)
    for a, kw in settings.items():
        for s in seeds:
            for store, n in ((out.fits, steps), (out.half, steps // 2)):
                cfg = config(s, steps=n, **kw)
                try:
                    run = load_or_train(cfg)
                except TrainingDivergedError as e:  # no generator to read: the arm's value is missing on this seed
                    store[a][s] = None
                    out.diverged_ids.append(run_id(cfg))
                    if n == steps:
                        out.diverged_at.setdefault(a, {})[s] = getattr(e, "step", None)
                    continue
                out.runs.append(run)
                store[a][s] = gaussian_of(run)
                if n == steps:
                    out.gap[a][s] = critic_gap(run, div, mixture, seed=s)
            out.gap[a].setdefault(s, None)
    if long_steps:
        first = settings[next(iter(settings))]
        for s in seeds:
            run = load_or_train(config(s, steps=long_steps, **first))
            out.runs.append(run)
            out.longer[s] = gaussian_of(run)
    return out


def mixture2d(run, mixture, seed: int, n: int = 5000) -> tuple[torch.Tensor, dict]:
    """``n`` samples of a 2-D f-GAN fit (an affine generator x = A z + b), drawn with a generator seeded
    ``seed``, and their reading: ``modes_covered`` and ``high_quality`` (:func:`gdm.metrics.mode_coverage`),
    ``min_share`` (the share of samples near the least-visited mode) and ``spread`` (the geometric mean of
    the generator's axes, det(A Aᵀ)^¼)."""
    x = run.model.sample(n, torch.Generator().manual_seed(seed))
    cover = metrics.mode_coverage(x, mixture.means, mixture.std)
    A = run.model.generator.weight.detach().double()
    return x, {"modes_covered": cover["modes_covered"], "high_quality": cover["high_quality"],
               "min_share": min(cover["per_mode"]) / len(x), "spread": float(torch.linalg.det(A @ A.T).sqrt() ** 0.5)}


def moments_1d(samples, reference, between: float = 1.0) -> dict:
    """What a kernel can make a 1-D generator match (chapter 08), ``samples`` against ``reference``
    draws (arrays or tensors of shape (n,) or (n, 1)): ``mean``, ``m2`` (E x²), ``between`` (the share
    with |x| < ``between``: between the modes of a mixture symmetric about 0) and ``w1``, the
    Wasserstein-1 distance to the reference (``scipy.stats.wasserstein_distance``)."""
    from scipy.stats import wasserstein_distance

    v, ref = (np.asarray(a, dtype=np.float64).reshape(-1) for a in (samples, reference))
    return {"mean": float(v.mean()), "m2": float((v * v).mean()), "between": float((np.abs(v) < between).mean()),
            "w1": float(wasserstein_distance(v, ref))}


def per_seed(records: list[dict]) -> dict:
    """``[{key: value} per seed]`` -> ``{key: [value per seed]}`` (the keys of the first record)."""
    return {k: [r[k] for r in records] for k in records[0]}
