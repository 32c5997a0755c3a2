"""Figures. Each function returns a matplotlib Figure (the notebook shows it)."""
from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import torch

#: line styles of seeds in order (solid, dashed, dotted, dash-dotted, long dash-dot), cycled
SEED_STYLES = ("-", "--", ":", "-.", (0, (8, 2, 1, 2)))


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
    if real is not None:  # the data below, the generated samples above them: a sample on a mode stays visible
        r = np.asarray(real)
        ax.scatter(r[:, 0], r[:, 1], s=4, c="tab:orange", alpha=0.5, label="data", zorder=1)
    ax.scatter(s[:, 0], s[:, 1], s=2, c="tab:blue", alpha=0.5, label="generated", zorder=2)
    if means is not None:  # the modes on top of both
        m = np.asarray(means)
        ax.scatter(m[:, 0], m[:, 1], marker="+", c="k", s=30, lw=0.8, label="modes", zorder=3)
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


def densities_1d(pdf, samples: dict, lo: float = -5.0, hi: float = 5.0, ymax: float = 1.0, title: str | None = None):
    """One panel per entry of ``samples`` (``{title: 1-D array}``): the density ``pdf`` (a function of
    an (n, 1) array, e.g. ``GaussianMixture.pdf``) shaded, the samples' histogram over it; the density
    axis cut at ``ymax`` (a spike is cut off, not rescaled)."""
    grid = np.linspace(lo, hi, 400)
    fig, axes = plt.subplots(1, len(samples), figsize=(4 * len(samples), 3), squeeze=False)
    for ax, (name, v) in zip(axes[0], samples.items()):
        ax.fill_between(grid, pdf(grid[:, None]), color="0.85", label="data")
        ax.hist(np.asarray(v).reshape(-1), bins=120, range=(lo, hi), density=True, histtype="step", color="tab:blue",
                label="samples")
        ax.set_title(name, fontsize=10)
        ax.set_ylim(0, ymax)
    axes[0, 0].legend(frameon=False, fontsize=8)
    if title:
        fig.suptitle(title)
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
                xlabel: str = "generator updates", bar: tuple | None = None):
    """Values tracked while runs trained: ``curves`` is ``{label: {seed: [[update, value], ...]}}``;
    one colour per label, one line per seed, the seeds in order drawn solid, dashed, dotted, dash-dotted
    (a single label: one colour per seed, labelled by seed). ``bar``: (value, label), a reference level
    (e.g. the FD of blurred digits)."""
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(6, 3.4))
    single = len(curves) == 1
    for j, (label, per_seed) in enumerate(curves.items()):
        for i, (s, c) in enumerate(per_seed.items()):
            if not c:
                continue
            kw = (dict(color=f"C{i}", marker="o", ms=3, label=f"seed {s}") if single
                  else dict(color=f"C{j}", ls=SEED_STYLES[i % len(SEED_STYLES)], label=label if i == 0 else None))
            ax.plot(*zip(*c), lw=1, **kw)
    return _finish_curves(ax, xlabel, ylabel, title, log, bar)


def seed_bands(curves: dict, ax=None, ylabel: str | None = None, title: str | None = None, log: bool = False,
               xlabel: str = "generator updates", bar: tuple | None = None):
    """Values tracked while runs trained, one colour per label: the mean over the seeds as a line and
    the seeds' range as a band (``curves``: ``{label: {seed: [[update, value], ...]}}``, as for
    :func:`seed_curves`; where many labels make one line per seed unreadable). Updates that not every
    seed tracked are left out."""
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(6, 3.4))
    for j, (label, per_seed) in enumerate(curves.items()):
        tracked = [dict(map(tuple, c)) for c in per_seed.values() if c]
        if not tracked:
            continue
        steps = sorted(set.intersection(*(set(t) for t in tracked)))
        values = np.array([[t[u] for u in steps] for t in tracked])
        ax.plot(steps, values.mean(0), color=f"C{j}", lw=1.5, label=f"{label} (mean of {len(tracked)})")
        ax.fill_between(steps, values.min(0), values.max(0), color=f"C{j}", alpha=0.15, lw=0)
    return _finish_curves(ax, xlabel, ylabel, title, log, bar)


def _finish_curves(ax, xlabel, ylabel, title, log, bar):
    """The axes of :func:`seed_curves` and :func:`seed_bands`: labels, scale, legend, and ``bar`` = (value,
    label), a reference level drawn as a dotted grey line labelled at its right end."""
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    if log:
        ax.set_yscale("log")
    if bar is not None:
        ax.axhline(bar[0], color="grey", lw=0.8, ls=":")
        ax.text(ax.get_xlim()[1], bar[0], f" {bar[1]}", va="center", fontsize=7, color="grey")
    ax.legend(frameon=False, fontsize=8)
    ax.figure.tight_layout()
    return ax.figure


def parallel_lines(lines: list, title: str | None = None):
    """Chapter 03's Example 1 (:func:`gdm.critics.parallel_lines`, one result per seed): the closed
    forms, the learned estimates (the clipped critic's rescaled to its value at the largest θ), the
    generator's gradient through each critic (log scale) and, for the first seed, the trained critics
    as functions of x at the θ nearest ½. One line per seed."""
    from .divergences import parallel_lines as closed

    th = lines[0].thetas
    truth = {k: np.array([closed(t)[k] for t in th]) for k in ("wasserstein", "jensen_shannon", "total_variation")}
    colours = {"wgan_gp": "tab:blue", "wgan": "tab:orange", "gan": "tab:green"}
    names = {"wgan_gp": "WGAN-GP critic", "wgan": "WGAN critic, clipped", "gan": "GAN"}
    fig, axes = plt.subplots(2, 2, figsize=(11, 7.5))
    ax = axes[0, 0]
    ax.plot(th, truth["wasserstein"], label="W = |θ|")
    ax.plot(th, truth["jensen_shannon"], "o", ms=3, label="JS (log 2 off 0)")
    ax.plot(th, truth["total_variation"], "s", ms=3, label="TV (1 off 0)")
    ax.annotate("KL = +∞ for θ ≠ 0", (0.02, 0.92), xycoords="axes fraction", fontsize=9)
    ax.set(xlabel="θ", ylabel="divergence", title="closed forms", ylim=(-0.05, 1.2))
    ax.legend(frameon=False, fontsize=8, loc="lower left")
    top = int(np.argmax(th))  # the largest θ
    ax = axes[0, 1]
    ax.plot(th, truth["wasserstein"], "k--", lw=1, label="truth |θ|")
    for i, r in enumerate(lines):
        first = i == 0
        ax.plot(th, r.estimate["wgan_gp"], color=colours["wgan_gp"], lw=1, label="WGAN-GP critic (as is)" if first else None)
        ax.plot(th, r.estimate["wgan"] / r.estimate["wgan"][top], color=colours["wgan"], lw=1,
                label=f"WGAN critic, clipped (÷ its value at θ = {th[top]:g})" if first else None)
        ax.plot(th, r.estimate["gan"], color=colours["gan"], lw=1, label="GAN: estimated JS" if first else None)
    ax.axhline(np.log(2), color="grey", lw=0.6)
    ax.set(xlabel="θ", ylabel="estimate", title="learned estimates (one line per seed)")
    ax.legend(frameon=False, fontsize=8)
    ax = axes[1, 0]
    for i, r in enumerate(lines):
        for kind in ("wgan_gp", "wgan", "gan"):
            g = np.abs(r.gradient[kind]) / (abs(r.estimate["wgan"][top]) if kind == "wgan" else 1.0)
            ax.plot(th, g, color=colours[kind], lw=1, label=(names[kind] + (" (same rescaling)" if kind == "wgan" else
                                                                            "")) if i == 0 else None)
    ax.set(xlabel="θ", ylabel="|∂ loss / ∂θ|", yscale="log", title="the generator's gradient")
    ax.legend(frameon=False, fontsize=8)
    ax = axes[1, 1]
    for kind in ("wgan_gp", "wgan", "gan"):
        t, xs, vals = lines[0].curve[kind]
        if kind == "gan":
            ax.plot(xs, 1 / (1 + np.exp(-vals)), color=colours[kind], label="GAN: D(x, ½)")
        else:
            ax.plot(xs, (vals - vals.mean()) / (np.ptp(vals) or 1), color=colours[kind], label=f"{names[kind]} (standardised)")
    ax.axvline(0, color="k", lw=0.8)
    ax.axvline(lines[0].curve["gan"][0], color="tab:red", lw=0.8)
    ax.set(xlabel="x (y = ½)", ylabel="critic", title=f"trained critics at θ = {lines[0].curve['gan'][0]:.2f} (seed {lines[0].seed})")
    ax.legend(frameon=False, fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def tracking_across(block: dict, labels: dict, names: list, ax_titles: dict | None = None, xscale: str = "linear"):
    """A tracking study across runs (``gdm.metrics.tracking.across_runs``' metrics per model in
    ``block``): per model, each run's final loss reading against its FD, colour by setting
    (``names``), marker by seed; ``labels``: model -> the loss reading's name; ``xscale``: "log"
    spreads readings that a few failed runs would squash into a corner."""
    fig, axes = plt.subplots(1, len(block), figsize=(6 * len(block), 4), squeeze=False)
    for ax, (name, m) in zip(axes[0], block.items()):
        for i, s in enumerate(m["seeds"]):
            for j, setting in enumerate(names):
                if m["loss"][i][j] is not None and m["fd"][i][j] is not None:
                    ax.scatter(m["loss"][i][j], m["fd"][i][j], color=plt.cm.tab10(j), marker="osD^v"[i % 5],
                               label=setting if i == 0 else None, s=28)
        rhos = ", ".join("n/a" if r is None else f"{r:.2f}" for r in m["rho"])
        ax.set(xlabel=f"final {labels[name]}", ylabel="FD of the samples", yscale="log", xscale=xscale,
               title=f"{name.upper()} across runs: ρ per seed {rhos}")
    axes[0][-1].legend(frameon=False, fontsize=7, loc="best")
    fig.tight_layout()
    return fig


def along_run(along: dict, labels: dict, title: str = "{name}, along one run: ρ(loss, FD) = {rho}", upper: bool = True,
              xlabel: str = "generator update", log: bool = False):
    """The loss reading and the FD along one run per model (``gdm.metrics.tracking.along``'s dicts,
    model -> dict), twin axes; ``labels``: model -> the loss reading's name; ``upper``: the names
    upper-cased in the titles (model slugs); ``log``: the loss reading on a log axis too, as the FD."""
    fig, axes = plt.subplots(1, len(along), figsize=(5.5 * len(along), 3.4), squeeze=False)
    for ax, (name, t) in zip(axes[0], along.items()):
        ax.plot(t["step"], t["loss"], "o-", ms=3, color="tab:blue")
        rho = "n/a" if t["spearman"] is None else f"{t['spearman']:.2f}"
        ax.set(xlabel=xlabel, ylabel=labels[name], title=title.format(name=name.upper() if upper else name, rho=rho),
               yscale="log" if log else "linear")
        ax.yaxis.label.set_color("tab:blue")
        ax2 = ax.twinx()
        ax2.plot(t["step"], t["fd"], "s-", ms=3, color="tab:red")
        ax2.set(ylabel="FD", yscale="log")
        ax2.yaxis.label.set_color("tab:red")
    fig.tight_layout()
    return fig


def toy_runs(results: dict, toy: str, reference: float | None = None, bar: float = 0.5, n: int | None = None):
    """Protocol runs on a toy (``gdm.toys.coverage`` results trained with ``curve_every``, label ->
    result), one row per label: every seed's share of samples within 3σ of a mode over the updates
    (``bar``: a dashed line; ``reference``: the uniform cloud's share, dotted), then each seed's
    samples (``n`` of them; all when None) with its modes covered and share in the title."""
    from . import data

    mix = data.toy(toy)
    seeds = max(r.metrics[toy]["seeds"] for r in results.values())
    fig, axes = plt.subplots(len(results), seeds + 1, figsize=(3.1 * (seeds + 1), 3.1 * len(results)), squeeze=False)
    lim = {"ring": 1.6, "grid": 5}.get(toy)
    for row, (label, r) in zip(axes, results.items()):
        curve, per_seed = r.curves[toy], r.metrics[toy]["per_seed"]
        for s in range(r.metrics[toy]["seeds"]):
            row[0].plot([q["step"] for q in curve], [q["high_quality"][s] for q in curve], "o-", ms=2, label=f"seed {s}")
            x = r.all_samples[toy][s]
            scatter2d(x if n is None else x[:n], None, mix.means, ax=row[s + 1], lim=lim)
            row[s + 1].set_title(f"{label} seed {s}: {per_seed['modes_covered'][s]}/{len(mix.means)} modes, "
                                 f"{per_seed['high_quality'][s]:.0%} near", fontsize=9)
        row[0].axhline(bar, color="k", ls="--", lw=0.6)
        if reference is not None:
            row[0].axhline(reference, color="grey", ls=":", lw=0.8, label="uniform cloud")
        row[0].set(xlabel="generator updates", ylabel="share within 3σ of a mode", title=label)
        row[0].legend(frameon=False, fontsize=7)
    fig.tight_layout()
    return fig


def sweep(xs, series: dict, xlabel: str, seeds=None, axes=None, title: str | None = None):
    """Metrics against a swept setting, one panel per metric and one line per training seed:
    ``series`` is ``{metric: [[value at each of xs] per seed]}`` (None: not measured); the seeds
    drawn solid, dashed, dotted, dash-dotted, in one colour per panel."""
    if axes is None:
        fig, axes = plt.subplots(1, len(series), figsize=(4.2 * len(series), 3.2), squeeze=False)
        axes = axes[0]
    axes = list(axes)
    if len(axes) != len(series):
        raise ValueError(f"{len(series)} metrics need as many axes, got {len(axes)}")
    for j, (ax, (metric, rows)) in enumerate(zip(axes, series.items())):
        for i, row in enumerate(rows):
            if len(row) != len(xs):
                raise ValueError(f"{metric}: {len(row)} values against {len(xs)} settings")
            pts = [(x, v) for x, v in zip(xs, row) if v is not None]
            label = f"seed {seeds[i] if seeds is not None else i}"
            if pts:
                ax.plot(*zip(*pts), color=f"C{j}", ls=SEED_STYLES[i % len(SEED_STYLES)], marker="o", ms=3, lw=1, label=label)
        ax.set(xlabel=xlabel, ylabel=metric, title=title or metric)
        ax.legend(frameon=False, fontsize=8)
    axes[0].figure.tight_layout()
    return axes[0].figure


def began_controller(history: dict, gamma: float, title: str = ""):
    """BEGAN's controller along one run (``history`` logged by ``gdm.models.began``): the
    reconstruction losses of real and generated mini-batches; their ratio against γ; k_t; and
    M_global."""
    fig, axes = plt.subplots(1, 4, figsize=(16, 3.3))
    step = history["step"]
    axes[0].plot(step, history["loss_real"], lw=1, label="L(x), real")
    axes[0].plot(step, history["loss_fake"], lw=1, alpha=0.8, label="L(G(z)), generated")
    axes[0].set(ylabel="L1 loss per pixel", title=f"the two losses{title}")
    axes[1].plot(step, np.array(history["loss_fake"]) / np.array(history["loss_real"]), lw=1, label="L(G(z)) / L(x)")
    axes[1].axhline(gamma, color="k", ls="--", lw=1, label=f"γ = {gamma:g}")
    axes[1].set(ylabel="ratio (10-step means)", title="the equilibrium")
    axes[2].plot(step, history["k"], lw=1.2, color="tab:green")
    axes[2].set(ylabel="k_t", title="the controller's weight k_t", ylim=(0, None))
    axes[3].plot(step, history["m_global"], lw=1, color="tab:red")
    axes[3].set(ylabel="M_global", title="M_global")
    for ax in axes:
        ax.set_xlabel("training step")
    for ax in axes[:2]:
        ax.legend(frameon=False, fontsize=8)
    fig.tight_layout()
    return fig


def confusion(counts, mapping: dict, ax=None, title: str | None = None):
    """A clustering against the labels: ``counts`` (clusters × labels), its rows ordered by the label
    ``mapping`` matched to each cluster (cluster -> label; keys may be strings, as read back from
    JSON) and labelled "c=k → d", each cell's count printed; the matched cells lie on the diagonal."""
    counts = np.asarray(counts)
    mapping = {int(k): int(v) for k, v in mapping.items()}
    order = sorted(range(len(counts)), key=lambda k: mapping.get(k, len(counts) + k))
    m = counts[order]
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(4.2, 3.8))
    ax.imshow(m, cmap="Blues")
    ax.set_yticks(range(len(order)), [f"c={k} → {mapping[k]}" if k in mapping else f"c={k}" for k in order], fontsize=7)
    ax.set_xticks(range(m.shape[1]))
    ax.set_xlabel("true label", fontsize=8)
    ax.tick_params(axis="x", labelsize=7)
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            if m[i, j]:
                ax.text(j, i, m[i, j], ha="center", va="center", fontsize=5.5, color="w" if m[i, j] > m.max() / 2 else "k")
    if title:
        ax.set_title(title, fontsize=9)
    return fig


def code_traversals(model, order, seed: int = 0, values=(-2.0, 2.0), n: int = 9):
    """InfoGAN's codes varied, as in the paper's Figure 2: left, one row per category of c1 (in
    ``order``) and one column per draw of z, the continuous codes at 0; then for each continuous
    code one row per category with one fixed z, the code from ``values[0]`` to ``values[1]`` over
    ``n`` columns and the other codes at 0. Draws are seeded by ``seed``."""
    gen = torch.Generator().manual_seed(seed)
    k, m = len(order), model.cfg["n_continuous"]
    order = torch.as_tensor(list(order))
    z_cols = model.latent(10, gen)["z"].cpu()
    grids = [(model.generate(z_cols.repeat(k, 1), order.repeat_interleave(10), torch.zeros(10 * k, m)), 10,
              "c1 (one category per row)")]
    z_rows = model.latent(k, gen)["z"].cpu().repeat_interleave(n, 0)
    steps = torch.linspace(*values, n)
    for j in range(m):
        c_cont = torch.zeros(n * k, m)
        c_cont[:, j] = steps.repeat(k)
        grids.append((model.generate(z_rows, order.repeat_interleave(n), c_cont), n,
                      f"c{j + 2} from {values[0]:g} to {values[1]:g}"))
    fig, axes = plt.subplots(1, len(grids), figsize=(5 * len(grids), 0.56 * k),
                             gridspec_kw={"width_ratios": [g[1] for g in grids]})
    for ax, (images, nrow, title) in zip(np.atleast_1d(axes), grids):
        image_grid(images, nrow=nrow, title=title, ax=ax)
    fig.tight_layout()
    return fig


def gaussian_fits(pdf, direct: dict, fits: dict, names: dict, x=None):
    """The 1-D fits of chapter 02, one panel per divergence: the data's density ``pdf`` (a function of a
    1-D array), the direct minimiser (``direct``: {divergence: {"mu", "sigma"}}) and every seed's fit
    (``fits``: {divergence: {seed: {"mu", "sigma"}}}), one line style per seed."""
    from .data import gaussian

    x = np.linspace(-5, 5, 500) if x is None else x
    normal = lambda mu, sigma: gaussian(mu, sigma).pdf(x[:, None])
    fig, axes = plt.subplots(2, 3, figsize=(11, 5.2), sharex=True, sharey=True)
    for ax, name in zip(axes.flat, fits):
        ax.fill_between(x, pdf(x), color="0.85", label="P (mixture)")
        ax.plot(x, normal(direct[name]["mu"], direct[name]["sigma"]), color="tab:red", lw=2.5, alpha=0.5,
                label="direct minimiser")
        for i, (s, f) in enumerate(fits[name].items()):
            ax.plot(x, normal(f["mu"], f["sigma"]), color="tab:blue", lw=1, ls=SEED_STYLES[i % len(SEED_STYLES)],
                    label=f"f-GAN, seed {s}")
        ax.set_title(names[name])
    axes.flat[0].legend(frameon=False, fontsize=7)
    fig.suptitle("The Gaussian each divergence prefers: the direct minimiser and the f-GAN fit of every seed")
    fig.tight_layout()
    return fig


def gaussian_plane(references: dict, groups: dict, title: str | None = None):
    """Gaussians (mu, sigma) of a mixture symmetric about 0 as points of the (|μ|, σ) plane:
    ``references``: label -> (mu, sigma) drawn as large open markers; ``groups``: label -> (points, style),
    points a list of (mu, sigma) or None (a run that diverged: not drawn), style the keyword arguments
    of ``ax.plot`` (marker, colour, size, alpha, ...)."""
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    marks = iter([dict(marker="*", ms=11, color="tab:red"), dict(marker="s", ms=10, color="tab:purple", mfc="none"),
                  dict(marker="^", ms=10, color="tab:purple", mfc="none"), dict(marker="v", ms=10, color="tab:brown", mfc="none")])
    for label, g in references.items():
        ax.plot(abs(g[0]), g[1], ls="", label=label, zorder=1, **next(marks))
    for label, (points, style) in groups.items():
        pts = [g for g in points if g is not None]
        if pts:
            ax.plot([abs(g[0]) for g in pts], [g[1] for g in pts], ls="", label=label, **style)
    ax.set(xlabel="|μ|", ylabel="σ", title=title)
    if ax.lines:
        ax.legend(frameon=False, fontsize=7, loc="center left", bbox_to_anchor=(1.0, 0.5))
    fig.tight_layout()
    return fig


def critic_surfaces(surfaces: dict, title: str | None = "Critics trained against real data + noise: weight clipping (top) "
                                                         "and gradient penalty (bottom)"):
    """Critics trained against a fixed generator (``gdm.critics.fixed_generator``'s surfaces, keyed
    (toy, kind)): a row per kind and a column per toy, in the keys' order; each critic's level sets
    over the real data (orange), titled with its share of W1."""
    toys = list(dict.fromkeys(t for t, _ in surfaces))
    kinds = list(dict.fromkeys(k for _, k in surfaces))
    fig, axes = plt.subplots(len(kinds), len(toys), figsize=(11 / 3 * len(toys), 3.6 * len(kinds)), squeeze=False)
    for (t, k), s in surfaces.items():
        ax = axes[kinds.index(k), toys.index(t)]
        ax.contour(s.xx, s.yy, s.values, levels=14, cmap="viridis", linewidths=1)
        ax.scatter(s.real[:400, 0], s.real[:400, 1], s=3, c="tab:orange")
        ax.set_aspect("equal")
        ax.set_title(f"{t}, {k}: {100 * s.share:.0f}% of W1", fontsize=10)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def layer_norms(norms: dict, floor: float = 1e-30, title: str | None = None, ax=None):
    """Gradient norms per layer (``norms``: label -> one norm per hidden layer, layer 1 nearest the
    input, ``gdm.critics.deep_gradient_norms``) as log10, one line per label; a norm that underflowed
    to exactly 0 is drawn at ``floor``."""
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(6.5, 3.8))
    for label, g in norms.items():
        ax.plot(range(1, len(g) + 1), np.log10(np.maximum(g, floor)), marker="o", ms=4, label=label)
    ax.set(xlabel="critic layer (1: nearest the input)", ylabel="log10 ‖∂L/∂h‖", title=title)
    ax.legend(frameon=False, fontsize=8)
    fig.tight_layout()
    return fig


def share_curves(curves: dict, ax=None, chance: float | None = None, budget: int | None = None, bar: float | None = None,
                 title: str | None = None):
    """Shares of samples within 3σ of a mode over the updates, one line per label in the colours C0,
    C1, ... in ``curves``' order (label -> [[update, share], ...]; an empty curve is not drawn and keeps
    its colour), beside the uniform cloud's share ``chance`` (dotted, in the legend), a budget's update
    ``budget`` (a vertical line) and a level ``bar`` (dashed)."""
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(4.6, 3.8))
    for j, (label, c) in enumerate(curves.items()):
        if c:
            ax.plot(*zip(*c), "o-", ms=3, color=f"C{j}", label=label)
    if chance is not None:
        ax.axhline(chance, color="grey", ls=":", lw=0.8, label="uniform cloud")
    if budget is not None:
        ax.axvline(budget, color="k", lw=0.6)
    ax.set(xlabel="generator updates", ylabel="share within 3σ of a mode", title=title)
    ax.legend(frameon=False, fontsize=8)
    if bar is not None:
        ax.axhline(bar, color="k", ls="--", lw=0.6)
    return fig


def exact_posterior(study: dict, figsize=(13, 4.6)):
    """Chapter 10's exact model (:func:`gdm.inference.roads`): left, the exact posterior's contours with
    the Metropolis-Hastings draws and both variational fits (2σ ellipses); right, the estimates of
    log p(x) against the number of samples (importance sampling from three proposals, the harmonic
    mean of the chain) beside the exact value and the mean-field ELBO."""
    from .inference import harmonic_mean_log_px

    model, x, chain, exact = study["model"], study["x"], study["chain"], study["exact_ll"]
    xo = torch.tensor([x], dtype=torch.float64)
    fig, axes = plt.subplots(1, 2, figsize=figsize, gridspec_kw={"width_ratios": [1, 1.15]})
    ax = axes[0]
    u = torch.linspace(-2.5, 3.5, 200, dtype=torch.float64)
    Z1, Z2 = torch.meshgrid(u, u, indexing="ij")
    ax.contour(Z1, Z2, model.log_posterior(xo, torch.stack([Z1, Z2], -1)).exp(), levels=6, colors="0.3", linewidths=0.8)
    ax.scatter(*chain[::20].T, s=2, color="tab:green", alpha=0.4, label="Metropolis-Hastings draws")
    th = torch.linspace(0, 2 * math.pi, 200, dtype=torch.float64)
    for fam, col, lab in [("diagonal", "tab:red", "mean-field q"), ("full", "tab:blue", "full-covariance q")]:
        fit = study["fits"][fam]
        ax.plot(*(fit["mean"] + 2 * torch.stack([th.cos(), th.sin()], 1) @ torch.linalg.cholesky(fit["cov"]).T).T,
                color=col, lw=1.8, label=lab + " (2σ)")
    ax.plot([], [], color="0.3", lw=0.8, label="exact posterior")
    ax.set_xlabel("$z_1$"), ax.set_ylabel("$z_2$"), ax.set_aspect("equal")
    ax.legend(frameon=False, fontsize=8, loc="upper right"), ax.set_title(f"p(z | x = {x})")
    ax = axes[1]
    n = len(study["is"]["prior"]["log_weights"])
    ks = np.unique(np.logspace(0, math.log10(n), 12).astype(int))
    for key, label in (("prior", "prior"), ("diagonal", "mean-field q"), ("full", "full-covariance q")):
        lw = study["is"][key]["log_weights"]
        ax.plot(ks, [(torch.logsumexp(lw[:k], 0) - math.log(k)).item() for k in ks], "o-", ms=3, label=f"IS, {label} proposal")
    ll_chain = model.log_likelihood(xo, chain)
    hm_ks = ks[ks <= len(chain)]
    ax.plot(hm_ks, [harmonic_mean_log_px(ll_chain[:k]) for k in hm_ks], "o-", ms=3, color="tab:purple",
            label="harmonic mean, MH draws")
    ax.axhline(exact, color="k", lw=1, label="exact log p(x)")
    ax.axhline(study["table"]["VI, mean field (ELBO)"]["log_px"], color="tab:red", ls="--", lw=1, label="ELBO of mean-field q")
    ax.set_xscale("log"), ax.set_xlabel("samples k"), ax.set_ylabel("estimate of log p(x)"), ax.set_ylim(exact - 2.0, exact + 2.0)
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0))
    ax.set_title("log p(x): estimates against the number of samples")
    fig.tight_layout()
    return fig
