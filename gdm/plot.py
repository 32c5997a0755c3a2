"""Figures. Each function returns a matplotlib Figure (the notebook shows it)."""
from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import torch


def image_grid(images, nrow: int = 10, title: str | None = None, scale: float = 0.6, ax=None):
    """A grid of (N, 1, H, W) images in [0, 1], ``nrow`` images per row."""
    x = torch.as_tensor(images).detach().cpu()
    n = x.shape[0]
    nrows = math.ceil(n / nrow)
    h, w = x.shape[-2:]
    canvas = np.ones((nrows * (h + 2), nrow * (w + 2)))
    for i in range(n):
        r, c = divmod(i, nrow)
        canvas[r * (h + 2) + 1 : r * (h + 2) + 1 + h, c * (w + 2) + 1 : c * (w + 2) + 1 + w] = x[i, 0].numpy()
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(scale * nrow, scale * nrows))
    ax.imshow(canvas, cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
    ax.axis("off")
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def loss_curves(history: dict, keys=None, title: str | None = None, ax=None):
    """Logged losses against training steps."""
    keys = keys or [k for k in history if k not in ("step", "events", "seconds")]
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(6, 3.2))
    for k in keys:
        ax.plot(history["step"], history[k], label=k, lw=1.2)
    ax.set_xlabel("training step")
    ax.legend(frameon=False)
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def scatter2d(samples, real=None, means=None, title: str | None = None, ax=None, lim=None):
    """Generated 2-D samples (blue), real ones (orange) and the mixture's modes (black crosses)."""
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(4, 4))
    s = np.asarray(samples)
    ax.scatter(s[:, 0], s[:, 1], s=2, c="tab:blue", alpha=0.5, label="generated")
    if real is not None:
        r = np.asarray(real)
        ax.scatter(r[:, 0], r[:, 1], s=4, c="tab:orange", label="data")
    if means is not None:
        m = np.asarray(means)
        ax.scatter(m[:, 0], m[:, 1], marker="+", c="k", s=30, lw=0.8, label="modes")
    if lim is not None:
        ax.set_xlim(-lim, lim)
        ax.set_ylim(-lim, lim)
    ax.set_aspect("equal")
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def curves1d(x, curves: dict, title: str | None = None, ax=None, ylabel: str | None = None):
    """Several functions of one variable on a shared axis: ``curves = {label: values}``."""
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(6, 3.2))
    for label, y in curves.items():
        style = "--" if label.startswith("_") else "-"
        ax.plot(x, y, style, label=label.lstrip("_"), lw=1.5)
    ax.legend(frameon=False)
    if ylabel:
        ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def sample_rows(named_images: dict, n: int = 8, scale: float = 0.55, title: str | None = None):
    """One row of ``n`` images per entry of ``named_images`` ({label: (N, 1, H, W) in [0, 1]}),
    labelled on the left: samples of several models side by side."""
    labels = list(named_images)
    fig, axes = plt.subplots(len(labels), 1, figsize=(scale * n + 1.6, scale * len(labels) + 0.3), squeeze=False)
    for ax, label in zip(axes[:, 0], labels):
        x = torch.as_tensor(named_images[label]).detach().cpu()[:n]
        image_grid(x, nrow=n, ax=ax)
        ax.text(-0.01, 0.5, label, transform=ax.transAxes, ha="right", va="center", fontsize=9)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def toy_coverage(result, ax=None, n: int = 1000, title: str | None = None):
    """The samples of seed 0 (blue) over the real modes (black crosses) of each toy of a
    ``gdm.toys.coverage`` result, one panel per toy, titled with the modes covered and the share
    of high-quality samples (mean over seeds). ``ax``: one axis per toy (or one axis for one toy)."""
    from . import data

    toys = list(result.samples)
    if ax is None:
        fig, axes = plt.subplots(1, len(toys), figsize=(3.3 * len(toys), 3.4), squeeze=False)
        axes = list(axes[0])
    else:
        axes = list(np.atleast_1d(ax))
        fig = axes[0].figure
    if len(axes) != len(toys):
        raise ValueError(f"toy_coverage needs one axis per toy ({', '.join(toys)}), got {len(axes)}")
    for a, toy in zip(axes, toys):
        dist, m = data.toy(toy), result.metrics[toy]
        lim = 1.25 * float(np.abs(dist.means).max()) + 0.35 * float(np.abs(dist.means).max())
        scatter2d(result.samples[toy][:n], None, dist.means, ax=a, lim=lim)
        label = title or getattr(result, "model", "")
        a.set_title(f"{label} {toy}: {m['modes_covered']:.1f}/{m['modes_total']:.0f} modes, "
                    f"{100 * m['high_quality']:.0f}% HQ", fontsize=8)
    fig.tight_layout()
    return fig


def optimal_d(results, title: str | None = "Discriminators trained against a fixed generator approach $D^*$", ax=None):
    """Proposition 1's figure: p_data, the fixed p_g, D* and each trained discriminator (one line
    per :class:`gdm.critics.OptimalD` of ``results``), the grid outside the support shaded."""
    o = results[0]
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(7, 3.4))
    ax.fill_between(o.grid, 0, 1, where=~o.support, color="0.93", label="mixture density < 0.01")
    ax.plot(o.grid, o.p_data, color="k", lw=1, label=r"$p_\mathrm{data}$")
    ax.plot(o.grid, o.p_g, color="tab:green", lw=1, label=r"$p_g$ (fixed)")
    ax.plot(o.grid, o.d_star, "--", color="tab:red", lw=2, label=r"$D^*$")
    for i, d in enumerate(results):
        ax.plot(d.grid, d.d_learned, color="tab:blue", lw=1, alpha=0.7, label="trained $D$, one per seed" if i == 0 else None)
    ax.set_xlabel("$x$")
    ax.set_ylabel("density, or $D(x)$")
    ax.set_ylim(0, 1.02)
    ax.legend(frameon=False, fontsize=8, loc="upper right", ncol=2)
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def seed_curves(curves: dict, ax=None, ylabel: str | None = None, title: str | None = None, log: bool = False,
                xlabel: str = "generator updates"):
    """Values tracked while runs trained: ``curves`` is ``{label: {seed: [[update, value], ...]}}``;
    one colour per label, one line per seed (a single label: one colour per seed, labelled by seed)."""
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(6, 3.4))
    single = len(curves) == 1
    for j, (label, per_seed) in enumerate(curves.items()):
        for i, (s, c) in enumerate(per_seed.items()):
            if not c:
                continue
            kw = (dict(color=f"C{i}", marker="o", ms=3, label=f"seed {s}") if single
                  else dict(color=f"C{j}", label=label if i == 0 else None))
            ax.plot(*zip(*c), lw=1, **kw)
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    if log:
        ax.set_yscale("log")
    ax.legend(frameon=False, fontsize=8)
    fig.tight_layout()
    return fig
