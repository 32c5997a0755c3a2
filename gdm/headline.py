"""A chapter's headline image model over training seeds, its quality tracked while it trains.

    from gdm import headline
    h = headline.seeds({s: make_config("gan", ..., seed=s) for s in range(3)}, "mnist5k", every=500, gap=True)
    h.per_seed("fd", "recall")   # {"fd": [seed 0, seed 1, ...], "recall": [...]}: the standard block per seed
    h.curves["fd"][0]            # seed 0's FD tracked every 500 updates: [[update, FD], ...]
    h.last("d_gap")              # per seed, the last tracked D(train) − D(held-out)
    h.late("fd"), h.plateau("fd")  # the change over the last 30 % of the updates, and its reading
    h.samples[0], h.blocks[0], h.runs[0]

Each seed's run is read from the store, reused from the cache or trained; when it trains, the
callbacks record every ``every`` updates the FD of 1,000 samples to the training images
(``metrics.fd_callback``, the standard block's FD on the seed's own draw of samples) and, with
``gap``, the discriminator's mean output on its training images and on held-out ones
(``metrics.d_gap_callback``), and after the last update the standard block of the seed's draw
(:func:`final_block`). ``evaluate=False`` reads that block and the curves from the history alone
(a run the store keeps without its nets).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import torch

from . import metrics
from .errors import GdmError, TrainingDivergedError
from .metrics import tracking
from .runs import Run, load_or_train, trained_here


def tracked(run: Run, key: str) -> list[list]:
    """A value a callback recorded while ``run`` trained: ``[[update, value], ...]`` (updates from 1)."""
    return [[e["step"] + 1, e[key]] for e in run.history.get("events", []) if key in e]


@dataclass
class Headline:
    runs: dict[int, Run]
    samples: dict = field(repr=False)
    blocks: dict = field(repr=False)
    curves: dict = field(repr=False)  # key -> seed -> [[update, value], ...]

    def per_seed(self, *keys) -> dict:
        """The standard block's ``keys``, each a list in seed order."""
        return {k: [self.blocks[s][k] for s in self.runs] for k in keys}

    def text(self, key: str, fmt: str) -> str:
        """The standard block's ``key`` per seed as text, "a / b / c" in seed order (``fmt``: a format spec)."""
        from .results import seed_text

        return seed_text(self.per_seed(key)[key], fmt)

    def last(self, key: str) -> list:
        """Per seed, the last tracked value of ``key`` (None where it was not tracked)."""
        return [c[-1][1] if c else None for c in self.curves[key].values()]

    def late(self, key: str = "fd") -> list:
        """Per seed, :func:`gdm.metrics.tracking.late_change` of the tracked ``key``."""
        return [tracking.late_change(c) for c in self.curves[key].values()]

    def plateau(self, key: str = "fd") -> str:
        return tracking.plateau(self.late(key))

    @property
    def seconds(self) -> float:
        return sum(r.seconds for r in self.runs.values())

    @property
    def trained_seconds(self) -> float:
        """The training this call did (:func:`gdm.runs.trained_here`): 0 for runs read from the store or cache."""
        return trained_here(self.runs.values())


def final_block(steps: int, dataset: str, n: int, sample_seed: int, eval_seed: int = 0,
                feature_steps: int | None = None):
    """A callback that records, after the last of ``steps`` updates, the standard block
    (``metrics.evaluate``) of ``n`` samples drawn with a generator seeded ``sample_seed``: the run's
    numbers kept in its history, so a run whose nets the store does not keep is still read."""

    def measure(step, model, logs):
        if step + 1 == steps:
            x = model.sample(n, torch.Generator().manual_seed(sample_seed))
            return {"standard": metrics.evaluate(x, dataset, seed=eval_seed, n=n, feature_steps=feature_steps)}

    return measure


def train(cfg: dict, dataset: str, every: int, n: int = 1000, feature_steps: int | None = None, gap: bool = False,
          eval_seed: int = 0, extra=()) -> Run:
    """Read, reuse or train one run of :func:`seeds` (its seed is ``cfg["seed"]``), with the same
    callbacks, so that a run shared by a headline and another study (e.g. the tracking across
    runs, :func:`gdm.metrics.tracking.across_runs` with ``train=``) records the same history
    whichever of them trains it first. ``extra``: more callbacks, after the headline's (e.g. a
    chapter's own measurement, :func:`gdm.metrics.codes.codes_callback`)."""
    s = cfg["seed"]
    cbs = [metrics.fd_callback(every, dataset, n=n, seed=eval_seed, feature_steps=feature_steps, sample_seed=s)]
    if gap:
        cbs.append(metrics.d_gap_callback(every, dataset, train_size=cfg.get("train_size", 0)))
    cbs.append(final_block(cfg["steps"], dataset, n, s, eval_seed, feature_steps))
    return load_or_train(cfg, callbacks=[*cbs, *extra])


def recorded(run: Run) -> dict:
    """The standard block :func:`final_block` recorded in ``run``'s history when it finished training."""
    block = next((e["standard"] for e in run.history.get("events", []) if "standard" in e), None)
    if block is None:
        raise GdmError(f"run {run.id} was trained without its final standard block in its history "
                       f"(headline.final_block): read it with evaluate=True, which needs its nets")
    return block


def seeds(configs: dict[int, dict], dataset: str, every: int, n: int = 1000, feature_steps: int | None = None,
          gap: bool = False, evaluate: bool = True, samples: int | None = None, eval_seed: int = 0,
          extra=(), diverged: dict | None = None) -> Headline:
    """Train or read each seed's run of ``configs`` (seed -> config) and score it: with ``evaluate``,
    ``samples`` draws (default ``n``; seeded by the seed) and the standard block of the first ``n``
    (``metrics.evaluate``, in the feature space of ``eval_seed``'s feature network, as the tracked FD);
    the tracked curves ``fd`` and, with ``gap``, ``d_train``, ``d_heldout``
    and ``d_gap`` (their difference). ``extra``: a function seed -> more callbacks (:func:`train`).
    ``diverged``: a dict that collects, seed -> error, the runs that diverge (a NaN; their seeds are
    left out of the headline); without it a divergence is raised."""
    runs, drawn, blocks = {}, {}, {}
    for s, cfg in configs.items():
        try:
            runs[s] = train(cfg, dataset, every, n, feature_steps, gap, eval_seed, extra(s) if extra else ())
        except TrainingDivergedError as err:
            if diverged is None:
                raise
            diverged[s] = err
            continue
        if evaluate:
            drawn[s] = runs[s].model.sample(samples or n, torch.Generator().manual_seed(s))
            blocks[s] = metrics.evaluate(drawn[s][:n], dataset, seed=eval_seed, n=n, feature_steps=feature_steps)
        else:  # the block recorded when the run finished training
            blocks[s] = recorded(runs[s])
    keys = ["fd"] + (["d_train", "d_heldout"] if gap else [])
    curves = {k: {s: tracked(r, k) for s, r in runs.items()} for k in keys}
    if gap:
        curves["d_gap"] = {s: [[u, a - b] for (u, a), (_, b) in zip(curves["d_train"][s], curves["d_heldout"][s])]
                           for s in runs}
    return Headline(runs, drawn, blocks, curves)


#: the columns of :func:`table`: key -> (header, format)
TABLE = {"fd": ("FD ↓ (per seed)", ".0f"), "precision": ("precision ↑", ".2f"), "recall": ("recall ↑", ".2f"),
         "classes_covered": ("classes ↑", "d")}


def table(heads: dict, real: dict | None = None) -> str:
    """A Markdown table of several headline models (name -> :class:`Headline`), each column the
    per-seed values "a / b / c" of :data:`TABLE`'s keys; ``real``: a standard block whose ``*_real``
    values give a last row, held-out real digits."""
    from .results import markdown_table

    rows = {name: {k: h.text(k, f) for k, (_, f) in TABLE.items()} for name, h in heads.items()}
    if real is not None:
        rows["held-out real digits"] = {k: format(real[f"{k}_real"], f) for k, (_, f) in TABLE.items()}
    return markdown_table(rows, {k: head for k, (head, _) in TABLE.items()})
