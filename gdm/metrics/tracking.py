"""Does a training loss track sample quality? Decided across runs, not along one.

Along one run almost everything falls with time: the FD of the samples, the critic's estimate, a
learning rate under decay. Two monotone curves have a rank correlation near 1 whatever their link,
so "the loss tracks quality along training" cannot fail. The test here compares *final* values of
runs of different final quality (other budgets, learning rates, widths, and runs that fail): if a
user reads a run's last loss as its quality, the ranking of runs by loss must be their ranking by
FD. One Spearman rank correlation per training seed (each seed trains every setting), so the
ledger can read it over seeds::

    from gdm.metrics import tracking
    study = tracking.across_runs(config_of, {"short": {"steps": 150}, "lr/5": {"lr": 1e-5}, ...},
                                 seeds=[0, 1, 2], loss_of=tracking.last("critic", 50), dataset="mnist5k")
    study.metrics   # {"settings", "seeds", "loss": [[per setting] per seed], "fd": ..., "rho": [per seed]}
    study.runs      # the Run objects (trained or read from the store), seed-major

``config_of(overrides, seed)`` builds a run's configuration (a chapter's own config function);
``loss_of(run)`` reads the quantity that should track quality from its history (:func:`last`: the
mean of a logged value over the last updates, with an optional transform). Quality is
``gdm.metrics.fd_to_data`` of ``n`` samples, the FD that the chapters track during training.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import torch


#: a tracked value "has levelled off" when it moved by less than this share over the last part of a run
PLATEAU_TOL = 0.1
#: the last part of a run that :func:`late_change` reads
PLATEAU_TAIL = 0.3


def late_change(curve, tail: float = PLATEAU_TAIL) -> float | None:
    """The relative change of a value tracked during training over the last ``tail`` of the updates:
    ``curve`` is ``[(step, value), ...]`` in step order; the last value over the value recorded
    nearest ``(1 - tail)`` × the last step, minus 1. None with fewer than two points, or from a value
    of 0 to another (0 when it stayed at 0)."""
    curve = [tuple(p) for p in curve]
    if len(curve) < 2:
        return None
    end = curve[-1][0]
    i = min(range(len(curve) - 1), key=lambda j: abs(curve[j][0] - (1 - tail) * end))
    base, last = curve[i][1], curve[-1][1]
    if base == 0:  # no relative change from zero: none when it stayed there, else undefined
        return 0.0 if last == 0 else None
    return last / base - 1


def plateau(changes, tol: float = PLATEAU_TOL) -> str:
    """How runs ended, from their :func:`late_change` values: ``"levelled"`` when every change is
    within ±``tol``, else ``"falling"`` when some run fell by more than ``tol``, else ``"rising"``;
    ``"unknown"`` when no run was tracked (None values are left out)."""
    known = [c for c in changes if c is not None]
    if not known:
        return "unknown"
    if all(abs(c) < tol for c in known):
        return "levelled"
    return "falling" if any(c < -tol for c in known) else "rising"


def value_at(curve, step: float):
    """The value of a tracked ``curve`` (``[(step, value), ...]``) at the step nearest ``step`` (the
    earlier one of two equally near)."""
    return min(curve, key=lambda p: abs(p[0] - step))[1]


def noise_floor(values: dict, a: str, b: str) -> tuple[list, float]:
    """What training noise alone moves a measurement by, per seed: the larger of |values[a][s] −
    values[b][s]| (``a`` and ``b``: two trainings of one game, e.g. chapter 02's JS and GAN, which
    differ only by rounding) and the spread over seeds within a setting (the root mean square over
    the settings of ``values``, {setting: [value per seed, None where missing]}, of the standard
    deviation of their seeds); returns (the floor per seed, None where a or b is missing; that spread)."""
    sds = [float(np.std([v for v in vs if v is not None], ddof=1)) for vs in values.values()
           if sum(v is not None for v in vs) > 1]
    within = math.sqrt(sum(x * x for x in sds) / len(sds)) if sds else 0.0
    floor = [None if x is None or y is None else max(abs(x - y), within) for x, y in zip(values[a], values[b])]
    return floor, within


def window_mean(history: dict, key: str, until: int | None = None, width: int = 50) -> float:
    """Mean of the logged values of ``key`` over the ``width`` updates ending at ``until`` (the
    run's last logged step when None). Raises KeyError naming the logged keys when ``key`` is not."""
    if key not in history:
        raise KeyError(f"{key!r} is not in the run's history (logged: {sorted(k for k in history if k not in ('step', 'events', 'seconds'))})")
    steps = np.asarray(history["step"])
    until = int(steps[-1]) if until is None else until
    sel = (steps > until - width) & (steps <= until)
    if not sel.any():
        raise ValueError(f"no logged value of {key!r} in the {width} updates ending at {until}")
    return float(np.mean(np.asarray(history[key], dtype=float)[sel]))


def above_from(history: dict, upper: str, lower: str) -> int:
    """The update (counted from 1) from which on the logged ``upper`` stays above the logged
    ``lower`` to the end of the run (e.g. EBGAN's ``energy_fake`` above its ``energy_real``): the
    update after the last logged step at which it was not above; 1 when it never was below."""
    below = [s for s, lo, up in zip(history["step"], history[lower], history[upper]) if up <= lo]
    return below[-1] + 2 if below else 1


def last(key: str, width: int = 50, transform: Callable[[float], float] | None = None) -> Callable:
    """A ``loss_of`` for :func:`across_runs`: ``transform`` of the mean of ``key`` over the run's
    last ``width`` updates (the identity when None)."""

    def read(run) -> float:
        v = window_mean(run.history, key, None, width)
        return transform(v) if transform else v

    return read


def along(run, curve, key: str, width: int, transform: Callable[[float], float] | None = None) -> dict:
    """The paper's reading along one run: at each update of ``curve`` (``[[update, FD], ...]``, e.g. a
    tracked FD), ``transform`` of the mean of the logged ``key`` over the ``width`` updates before it,
    and Spearman's ρ between the two series. Two series that both trend with time rank alike whatever
    links them: this is an illustration, :func:`across_runs` is the test."""
    at = [int(c[0]) for c in curve]
    fd = [float(c[1]) for c in curve]
    loss = [window_mean(run.history, key, u, width) for u in at]
    loss = [transform(v) for v in loss] if transform else loss
    return {"step": at, "fd": fd, "loss": loss, "spearman": spearman(loss, fd)}


def spearman(x, y) -> float | None:
    """Spearman's rank correlation of ``x`` and ``y``; None where it is undefined (a constant series,
    fewer than 3 points, or a value that is not finite)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if len(x) < 3 or not (np.isfinite(x).all() and np.isfinite(y).all()) or np.ptp(x) == 0 or np.ptp(y) == 0:
        return None
    from scipy.stats import spearmanr

    r = float(spearmanr(x, y).statistic)
    return r if math.isfinite(r) else None


def critical_rho(n: int, alpha: float = 0.05) -> float:
    """The smallest Spearman ρ of ``n`` untied points whose one-sided p-value under independence is
    at most ``alpha`` (exact, by enumerating the permutations for n ≤ 8; the normal approximation
    ρ·√(n−1) above): the bar a rank agreement must clear to be more than chance."""
    if n < 3:
        raise ValueError(f"a rank correlation needs at least 3 runs, got {n}")
    if n <= 8:
        from itertools import permutations

        ranks = np.arange(n)
        d = np.array([np.sum((ranks - np.array(p)) ** 2) for p in permutations(range(n))])
        rho = np.round(1 - 6 * d / (n * (n * n - 1)), 12)
        values = np.unique(rho)[::-1]  # descending
        share = np.array([np.mean(rho >= v) for v in values])  # P(rho >= v) under independence
        ok = values[share <= alpha]
        return float(ok[-1]) if len(ok) else math.inf  # n = 3: no ranking is that rare, no ρ can pass
    from scipy.stats import norm

    return float(norm.ppf(1 - alpha) / math.sqrt(n - 1))


def chance_rho(n: int, alpha: float = 0.05) -> float:
    """The largest Spearman ρ of ``n`` untied points that independence reaches with probability above
    ``alpha`` (one-sided): a ρ *above* it is significant at ``alpha`` (the value just below
    :func:`critical_rho` among those n points can take; for n > 8, :func:`critical_rho` itself). The
    ledger's bar for a "tracks" rule written with ">". Both bars assume untied values (scipy's ρ
    gives ties their average rank)."""
    crit = critical_rho(n, alpha)
    if n > 8 or not math.isfinite(crit):
        return crit  # the normal approximation has no lattice (n > 8); nothing passes (n = 3)
    from itertools import permutations

    ranks = np.arange(n)  # the attainable values of rho, below the bar: the largest of them
    attainable = {round(1 - 6 * float(np.sum((ranks - np.array(p)) ** 2)) / (n * (n * n - 1)), 12)
                  for p in permutations(range(n))}
    return float(max(v for v in attainable if v < crit - 1e-12))


def setting(text: str, keys) -> dict:
    """A run setting written as text: ``"headline"`` (no change) or ``"<key> × <factor>"`` (one of
    ``keys`` of the headline run's config scaled by ``factor``, e.g. ``"lr × 5"``), or several such
    joined by commas (``"steps × 10, lr × 20"``); the overrides for :func:`scaled`. A notebook's
    parameters stay flat literals (a list of these strings)."""
    if text == "headline":
        return {}
    out = {}
    for part in text.split(","):
        key, _, factor = (t.strip() for t in part.partition("×"))
        try:
            f = float(factor)
        except ValueError:
            f = None
        if key not in keys or f is None or not f > 0 or key in out:
            raise ValueError(f"tracking setting {text!r}: write 'headline' or '<key> × <factor>' (several joined by "
                             f"commas, each key once) with key one of {sorted(keys)} and a positive factor, e.g. "
                             f"'{sorted(keys)[0]} × 0.5'")
        out[key] = f
    return out


def scaled(cfg: dict, factors: dict) -> dict:
    """The overrides that scale ``cfg``'s values by ``factors`` (key -> factor): an integer is
    rounded (at least 1), a list scaled element-wise, a float multiplied."""
    out = {}
    for key, f in factors.items():
        v = cfg[key]
        if isinstance(v, bool) or not isinstance(v, (int, float, list)):
            raise ValueError(f"{key!r} = {v!r} cannot be scaled: only numbers and lists of numbers")
        scale = lambda x: max(1, round(x * f)) if isinstance(x, int) else x * f
        out[key] = [scale(x) for x in v] if isinstance(v, list) else scale(v)
    return out


@dataclass
class Tracking:
    """The result of :func:`across_runs`: ``metrics`` (JSON-safe) and the runs, seed-major."""

    metrics: dict
    runs: list = field(repr=False)

    def rho(self) -> list:
        return self.metrics["rho"]


def across_runs(config_of: Callable[[dict, int], dict], settings: dict[str, dict], seeds, loss_of: Callable,
                dataset: str, n: int = 1000, sample_seed: int = 0, feature_steps: int | None = None,
                train: Callable | None = None, fd_of: Callable | None = None) -> Tracking:
    """Train (or read from the store) every setting of ``settings`` (name -> config overrides) for
    every seed of ``seeds``, and per seed: the final value of ``loss_of(run)`` and the FD
    (``fd_to_data``) of ``n`` samples of each run (drawn with a generator seeded
    ``sample_seed + seed``), and Spearman's ρ between the two across the settings.

    ``metrics``: ``settings`` (name -> overrides), ``seeds``, ``loss`` and ``fd`` (per seed, a list in
    the settings' order), ``rho`` (per seed; None where undefined), ``critical_rho`` (the one-sided 5 %
    bar for that many runs) and ``chance_rho`` (the largest ρ chance reaches more often) and ``rho_mean``/``rho_spread``. ``train`` defaults to
    ``gdm.runs.load_or_train``. ``fd_of(run)``, if given, reads each run's FD instead of sampling
    it (e.g. the block :func:`gdm.headline.recorded` finds in its history): the runs' nets are then
    not loaded, so the store need not keep them."""
    from ..runs import load_or_train
    from .features import fd_to_data

    if len(settings) < 3:
        raise ValueError(f"tracking across runs needs at least 3 settings of different quality, got {len(settings)}")
    seeds = list(seeds)
    if not seeds:
        raise ValueError("tracking across runs needs at least one seed")
    train = train or load_or_train
    cfgs = {(s, name): config_of(dict(over), s) for s in seeds for name, over in settings.items()}  # errors first
    runs, loss, fd, rho = [], [], [], []
    for s in seeds:
        row_l, row_f = [], []
        for name in settings:
            run = train(cfgs[s, name])
            runs.append(run)
            value = float(loss_of(run))
            if fd_of is not None:
                q = float(fd_of(run))
            else:
                x = run.model.sample(n, torch.Generator().manual_seed(sample_seed + s))
                q = fd_to_data(x, dataset, seed=sample_seed, feature_steps=feature_steps)
            row_l.append(value if math.isfinite(value) else None)
            row_f.append(q if math.isfinite(q) else None)
        loss.append(row_l)
        fd.append(row_f)
        complete = all(v is not None for v in row_l + row_f)  # a run without a value leaves the seed unread:
        rho.append(spearman(row_l, row_f) if complete else None)  # the bar is for every setting's run
    known = [r for r in rho if r is not None]
    metrics = {"settings": {k: dict(v) for k, v in settings.items()}, "seeds": seeds, "loss": loss, "fd": fd,
               "rho": rho, "critical_rho": critical_rho(len(settings)), "chance_rho": chance_rho(len(settings)),
               "rho_mean": float(np.mean(known)) if known else None,
               "rho_spread": float(np.std(known, ddof=1)) if len(known) > 1 else None}
    return Tracking(metrics, runs)


def robustness(metrics: dict) -> dict:
    """Exploratory readings of a tracking study (:func:`across_runs`' ``metrics``) beside its rule,
    per seed: ``top`` and ``low``, the settings of highest and lowest final loss reading;
    ``rho_without_top``, ρ without the run of highest reading (does the ranking rest on one failed
    run?); ``rho_own``, ρ among the settings that do not change ``steps`` (a run cut short is the
    headline run read earlier, the same seed's trajectory, not a run of its own), with the chance
    values for those counts (None where there are fewer than 3 points) and ``passed``, how many
    seeds each clears its chance value on."""
    names = list(metrics["settings"])
    own = [j for j, t in enumerate(names) if "steps" not in metrics["settings"][t]]
    out = {"top": [], "low": [], "rho_without_top": [], "rho_own": [], "own": [names[j] for j in own]}
    for loss, fd in zip(metrics["loss"], metrics["fd"]):
        if any(v is None for v in loss + fd):
            for k in ("top", "low", "rho_without_top", "rho_own"):
                out[k].append(None)
            continue
        top = int(np.argmax(loss))
        out["top"].append(names[top])
        out["low"].append(names[int(np.argmin(loss))])
        out["rho_without_top"].append(spearman([v for j, v in enumerate(loss) if j != top],
                                               [v for j, v in enumerate(fd) if j != top]))
        out["rho_own"].append(spearman([loss[j] for j in own], [fd[j] for j in own]))
    chance = lambda n: chance_rho(n) if n >= 3 else None
    out["chance_without_top"], out["chance_own"] = chance(len(names) - 1), chance(len(own))
    out["passed"] = {k: sum(r is not None and c is not None and r > c for r in out[k])
                     for k, c in (("rho_without_top", out["chance_without_top"]), ("rho_own", out["chance_own"]))}
    return out
