"""Chapter 04's architecture study: the same objectives trained on several architectures, over
seeds, each run judged by a success criterion fixed before the runs (Gulrajani et al. 2017,
Section 5.2 and Figure 2: DCGAN, LSGAN, WGAN with clipping and WGAN-GP on six architectures).

The call::

    from gdm import architectures as arch
    s = arch.toy_study(["baseline", "batchnorm", "tanh"], toy="ring", seeds=3)   # gdm.toys' protocol runs
    s = arch.image_study(["baseline", "no_norm"], dataset="mnist5k", seeds=3, steps=2000)
    s.cells[("tanh", "wgan_gp")]   # {"per_seed": [{..., "success": bool}, ...], "successes": 3, ...}
    s.counts["wgan_gp"]            # per seed, how many architectures the method trains
    s.metrics()                    # the results file's block (JSON-safe)

*On a toy* each cell is the shared mode-coverage protocol's run (``gdm.toys.config``: its nets,
budget, optimisers, standardised data, seeds trained as one group) with the architecture's
changes; the baseline is the protocol's own run. A run succeeds when it covers at least ``modes``
of the modes real samples cover and puts at least ``hq`` of real samples' share of its samples
within ``n_std`` standard deviations of a mode. *On images* a run succeeds when its FD falls to
``fd_share`` of its untrained generator's and its samples show ``classes`` digit classes.
A run that diverges fails (``status: "diverged"``).
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

import torch

from . import data, metrics, models, toys
from .config import make_config
from .errors import ConfigError, TrainingDivergedError
from .runs import load_or_train

METHODS = ("gan", "lsgan", "wgan", "wgan_gp")
#: display names of the four methods (the paper's "DCGAN" column is the standard GAN objective, which
#: on the toys' MLPs has no convolution: "GAN")
NAMES = {"gan": "GAN", "lsgan": "LSGAN", "wgan": "WGAN (clipping)", "wgan_gp": "WGAN-GP"}

#: toy architectures: changes to the protocol's 3 × 128 ReLU MLPs
TOY = {"baseline": {}, "batchnorm": dict(g_batchnorm=True, d_batchnorm=True),
       "tanh": dict(g_act="tanh", d_act="tanh"),
       "deep": dict(g_hidden=[toys.HIDDEN[0]] * 8, d_hidden=[toys.HIDDEN[0]] * 8),
       "g_small": dict(g_hidden=toys.HIDDEN[:1])}
#: image architectures: the paper's rows that gdm's DCGAN-style nets can express
IMAGE = {"baseline": dict(g_arch="dcgan", d_arch="dcgan", g_batchnorm=True, d_batchnorm=True),
         "g_constant": dict(g_arch="dcgan", d_arch="dcgan", g_constant_width=True, d_batchnorm=True),
         "g_mlp": dict(g_arch="mlp", g_hidden=[512, 512, 512, 512], d_arch="dcgan", d_batchnorm=True),
         "no_norm": dict(g_arch="dcgan", d_arch="dcgan"),
         "tanh": dict(g_arch="dcgan", d_arch="dcgan", g_batchnorm=True, d_batchnorm=True, g_act="tanh", d_act="tanh")}
#: per method on images: gdm's defaults but no dropout (DCGAN's discriminator has none); LSGAN with
#: its paper's RMSProp 1e-4; WGAN without the critic warm-up (as on the toys)
IMAGE_METHODS = {"gan": dict(d_dropout=0.0, d_input_dropout=0.0),
                 "lsgan": dict(d_dropout=0.0, d_input_dropout=0.0, optimizer="rmsprop", lr=1e-4),
                 "wgan": dict(critic_warmup=False),
                 "wgan_gp": dict()}


def _no_critic_norm(method: str, kw: dict) -> dict:
    """The penalty is per sample: WGAN-GP's critic takes no batch norm (the paper's choice)."""
    return {**kw, "d_batchnorm": False} if method == "wgan_gp" else kw


def image_config(method: str, arch: str, dataset: str, steps: int, batch_size: int, seed: int, z_dim: int,
                 g_width: int, d_width: int) -> dict:
    """The run of ``method`` on image architecture ``arch`` (a normal prior of ``z_dim``)."""
    if arch not in IMAGE:
        raise ConfigError(f"unknown image architecture {arch!r}; known: {', '.join(IMAGE)}")
    kw = _no_critic_norm(method, {**IMAGE[arch], **IMAGE_METHODS[method]})
    return make_config(method, dataset=dataset, steps=steps, batch_size=batch_size, seed=seed, z_dim=z_dim,
                       z_prior="normal", g_width=g_width, d_width=d_width, **kw)


def toy_config(method: str, arch: str, toy: str, seed: int, steps: int | None = None, seeds: int = toys.SEEDS) -> dict:
    """The protocol's run of ``method`` on ``toy`` with toy architecture ``arch`` (its seeds grouped as the protocol's)."""
    if arch not in TOY:
        raise ConfigError(f"unknown toy architecture {arch!r}; known: {', '.join(TOY)}")
    kw = _no_critic_norm(method, dict(TOY[arch]))
    return toys.config(method, toy, seed, steps, **kw, seed_group=toys.seed_group(method, seeds, **kw))


@dataclass
class Study:
    """Per (architecture, method): ``cells[a, m]`` with ``per_seed`` (a dict per seed, ``success``
    among its keys), ``successes`` (seeds that succeed) and ``status``; ``samples[a, m]``: seed 0's
    samples; ``counts[m]``: per seed, how many architectures succeed; the runs; the criterion in words."""

    architectures: list
    data: str
    seeds: int
    criterion: str
    cells: dict
    samples: dict = field(repr=False)
    runs: list = field(repr=False)
    eval_seconds: float = 0.0
    reference: dict = field(default_factory=dict)  # toys: real samples' and the uniform cloud's scores

    @property
    def counts(self) -> dict:
        return {m: [sum(self.cells[a, m]["per_seed"][s]["success"] for a in self.architectures)
                    for s in range(self.seeds)] for m in METHODS}

    def best_other(self, method: str = "wgan_gp") -> list:
        """Per seed, the most architectures any other method trains."""
        c = self.counts
        return [max(c[m][s] for m in METHODS if m != method) for s in range(self.seeds)]

    @property
    def on_toy(self) -> bool:
        return self.data in toys.TOYS

    def table(self, names: dict | None = None) -> str:
        """A Markdown table, a row per cell "architecture / method" (methods named by ``names``): each
        seed's reading (toys: modes covered and share near a mode; images: FD, the untrained
        generator's FD, classes; a diverged run: its status) and the seeds that succeed."""
        from .results import markdown_table

        show = ((lambda p: f"{p['modes_covered']}/{p['modes_total']}, {p['near_mode']:.0%}") if self.on_toy else
                (lambda p: f"FD {p['fd']:.0f} ({p['fd_untrained']:.0f}), {p['classes_covered']} classes"))
        rows = {f"{a} / {(names or {}).get(m, m)}": {
            "per_seed": "; ".join(show(p) if "status" not in p else p["status"] for p in c["per_seed"]),
            "successes": f"{c['successes']} of {self.seeds}"} for (a, m), c in self.cells.items()}
        return markdown_table(rows, {"per_seed": "per seed: " + ("modes, near a mode" if self.on_toy else
                                                                 "FD (untrained), classes"),
                                     "successes": "seeds that succeed"})

    def figure(self, names: dict | None = None):
        """Seed 0's samples of every cell, a row per architecture and a column per method (methods
        named by ``names``), each titled with the seeds that succeed; returns the figure."""
        import matplotlib.pyplot as plt

        from . import plot

        fig, axes = plt.subplots(len(self.architectures), len(METHODS), squeeze=False,
                                 figsize=(3.1 * len(METHODS), (3.0 if self.on_toy else 1.75) * len(self.architectures)))
        for i, a in enumerate(self.architectures):
            for j, m in enumerate(METHODS):
                ax = axes[i, j]
                if (a, m) not in self.samples:
                    ax.axis("off")
                elif self.on_toy:
                    plot.scatter2d(self.samples[a, m], None, data.toy(self.data).means, ax=ax,
                                   lim=6.0 if self.data == "grid" else 1.6)
                else:
                    plot.image_grid(self.samples[a, m][:16], nrow=8, ax=ax)
                ax.set_title(f"{a} / {(names or {}).get(m, m)}: {self.cells[a, m]['successes']} of {self.seeds} seeds "
                             "succeed", fontsize=8)
        fig.suptitle("Seed 0's samples per architecture and method", fontsize=10)
        fig.tight_layout()
        return fig

    def metrics(self) -> dict:
        out = {"data": self.data, "seeds": self.seeds, "criterion": self.criterion, "n_architectures": len(self.architectures),
               "cells": {m: {a: self.cells[a, m] for a in self.architectures} for m in METHODS},
               "counts": self.counts, "best_other_than_wgan_gp": self.best_other(), "reference": self.reference}
        json.dumps(out)
        return out


def _cells(architectures, seeds: int, train_and_score) -> tuple[dict, dict, list, float]:
    """Every (architecture, method) cell over ``seeds`` seeds: ``train_and_score(a, m, s)`` returns
    (the run, the seed's record with its ``success``, its samples, the seconds it spent sampling and
    scoring); a run that diverges fails. Returns
    the cells, seed 0's samples per cell, the runs and the seconds spent sampling and scoring."""
    cells, kept, runs, scoring = {}, {}, [], 0.0
    for a in architectures:
        for m in METHODS:
            per_seed, status = [], "trained"
            for s in range(seeds):
                try:
                    run, record, x, seconds = train_and_score(a, m, s)
                except TrainingDivergedError:
                    per_seed.append({"status": "diverged", "success": False})
                    status = "diverged"
                    continue
                scoring += seconds
                runs.append(run)
                per_seed.append(record)
                if s == 0:
                    kept[a, m] = x
            cells[a, m] = {"per_seed": per_seed, "successes": sum(p["success"] for p in per_seed), "status": status}
    return cells, kept, runs, scoring


def toy_study(architectures, toy: str = "ring", seeds: int = toys.SEEDS, steps: int | None = None,
              samples: int = toys.SAMPLES, modes: float = 0.9, hq: float = 0.25, n_std: float = 10.0) -> Study:
    """Every method of :data:`METHODS` on each toy architecture, ``seeds`` seeds, the protocol's budget."""
    unknown = [a for a in architectures if a not in TOY]
    if unknown:
        raise ConfigError(f"unknown toy architectures {unknown}; known: {', '.join(TOY)}")
    dist = data.toy(toy)
    score = lambda x: metrics.mode_coverage(x, dist.means, dist.std, n_std=n_std)
    keys = ("modes_covered", "modes_total", "high_quality")
    ref = {k: {key: v[key] for key in keys}  # real samples and the uniform cloud, seed 0, under the same "near"
           for k, v in toys.reference((toy,), seeds=1, samples=samples, n_std=n_std)[toy].items()}
    real = ref["real"]
    criterion = (f"modes covered >= {modes:g} x real samples' ({real['modes_covered']:g}) and share near a mode >= "
                 f"{hq:g} x real samples' ({real['high_quality']:.3f}); near: within {n_std:g} standard deviations; "
                 f"{samples} samples")

    def train_and_score(a, m, s):
        run = load_or_train(toy_config(m, a, toy, s, steps, seeds))
        t0 = time.perf_counter()
        x = toys.draw(run.model, toy, samples, s)
        c = score(x)
        return run, {"modes_covered": c["modes_covered"], "modes_total": c["modes_total"], "near_mode": c["high_quality"],
                     "seconds": run.seconds, "success": bool(c["modes_covered"] >= modes * real["modes_covered"]
                                                             and c["high_quality"] >= hq * real["high_quality"])}, \
            x[:1000], time.perf_counter() - t0

    cells, kept, runs, scoring = _cells(architectures, seeds, train_and_score)
    return Study(list(architectures), toy, seeds, criterion, cells, kept, runs, scoring, ref)


def image_study(architectures, dataset: str, seeds: int, steps: int, batch_size: int, z_dim: int, g_width: int,
                d_width: int, fd_share: float = 0.75, classes: int = 3, samples: int = 1000,
                feature_steps: int | None = None) -> Study:
    """Every method of :data:`METHODS` on each image architecture, ``seeds`` seeds of ``steps`` updates."""
    unknown = [a for a in architectures if a not in IMAGE]
    if unknown:
        raise ConfigError(f"unknown image architectures {unknown}; known: {', '.join(IMAGE)}")
    net = metrics.feature_net(dataset, 0, None, feature_steps).model
    ref = net.features(data.load(dataset, "train").x[:10_000])

    def score(x):
        f = net.features(x)
        return {"fd": metrics.frechet_distance(ref, f), **metrics.precision_recall(ref[: len(x)], f),
                "classes_covered": metrics.classifier_scores(net.probabilities(x))["classes_covered"]}

    criterion = f"fd <= {fd_share:g} x the untrained generator's FD and classes_covered >= {classes}; {samples} samples"

    def train_and_score(a, m, s):
        cfg = image_config(m, a, dataset, steps, batch_size, s, z_dim, g_width, d_width)
        t0 = time.perf_counter()
        torch.manual_seed(s)  # the run's initial weights (load_or_train seeds the same way)
        fd0 = score(models.build(cfg, data.shape_of(dataset)).sample(samples, torch.Generator().manual_seed(s)))["fd"]
        untrained = time.perf_counter() - t0
        run = load_or_train(cfg)
        t0 = time.perf_counter()
        x = run.model.sample(samples, torch.Generator().manual_seed(s))
        r = score(x)
        return run, {**r, "fd_untrained": fd0, "seconds": run.seconds,
                     "success": bool(r["fd"] <= fd_share * fd0 and r["classes_covered"] >= classes)}, \
            x[:32], untrained + time.perf_counter() - t0

    cells, kept, runs, scoring = _cells(architectures, seeds, train_and_score)
    return Study(list(architectures), dataset, seeds, criterion, cells, kept, runs, scoring)
