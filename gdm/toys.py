"""One mode-coverage protocol on the ring and the grid for every model of the book.

The call (any model of :data:`SETTINGS`; variants by overrides)::

    from gdm import toys
    r = toys.coverage("wgan_gp")                        # ring and grid, 3 seeds, the shared budget
    r = toys.coverage("fgan", divergence="kl")          # f-GAN with another divergence
    r = toys.coverage("wae", regulariser="gan")         # WAE-GAN (default: WAE-MMD)
    r = toys.coverage("gan", steps=50, seeds=1)         # a smoke-sized run
    r.metrics  # {"ring": {...}, "grid": {...}}: the block to store as metrics["toy"][<model>]
    r.metrics["ring"]  # {"modes_covered", "modes_covered_std", "modes_total", "high_quality",
                       #  "high_quality_std", "seeds", "per_seed": {"modes_covered": [...], "high_quality": [...]}}
    r.samples["ring"]  # (samples, 2) tensor: seed 0's samples, in gdm.data.toy("ring")'s units
    r.all_samples["ring"]  # every seed's samples, in seed order
    r = toys.coverage("wgan_gp", steps=20_000, curve_every=1000)  # and each seed's curve: r.curves["ring"]
    r.runs, r.seconds  # the Run objects (runs cached by gdm.runs) and their summed training seconds
    gdm.plot.toy_coverage(r)  # real modes and seed 0's samples, one panel per toy

    # a chapter's section: every model's coverage and figure, the reference samplers, the prose's values
    s = toys.chapter({"wae_mmd": "wae", "wae_gan": ("wae", {"regulariser": "gan"})})
    s.glue()  # toy_ring_wae_mmd, toy_read_wae_gan, ... (ChapterToys.glue_values)
    s.metrics, s.runs, s.eval_seconds  # metrics["toy"], and what the results file counts

**The protocol.** Every model trains through ``make_config`` + ``gdm.runs.load_or_train`` (so runs
are cached by their config) on fresh mini-batches of the toy, for :data:`STEPS` updates of its
generator (for the auto-encoders: updates of encoder and decoder), batch :data:`BATCH`, with
MLPs of :data:`HIDDEN` hidden units wherever the model has MLP widths (generator, critic /
discriminator, encoder, decoder, latent adversary; the auto-encoder critics of EBGAN, BEGAN and
MMD-GAN keep their defaults' one hidden layer on each side of the code, :data:`AE_HIDDEN`), a 2-D
latent ``z ~ N(0, I)`` where the model has a generator latent, and seeds ``0 .. seeds - 1``. Each model
keeps its own losses and its paper's optimiser and learning rates (its ``defaults``), except where
chapter 04's toy runs used the WGAN-GP authors' toy code (GAN, LSGAN, WGAN, WGAN-GP) and where a
default makes no sense on 2-D data: :data:`SETTINGS` lists every departure from the defaults with
its reason.

*Data.* Both toys are trained on standardised (the modes' mean square is 1 per coordinate:
``gdm.data.standardised``, data sets ``ring_scaled`` and ``grid_scaled``), the WGAN-GP authors' toy
code's scaling (the ring times √2, the grid divided by 2√2), the same for every model; samples
are mapped back to ``gdm.data.toy(name)``'s units before scoring and plotting.

*Metric.* ``gdm.metrics.mode_coverage`` with VEEGAN's / PacGAN's protocol, as chapter 04: of
:data:`SAMPLES` samples, those within 3 standard deviations of their nearest mode are *high
quality*, a mode is *covered* when at least one high-quality sample has it as nearest mode;
``gdm.metrics.average_over_seeds`` gives mean and standard deviation (ddof 1) over the seeds.
For scale, real samples are high quality 98.9 % of the time (3σ in 2-D) and cover every mode, and a
uniform cloud on the square 1.25 × the modes' extent covers most modes of the grid with about 2 %
high quality (:func:`reference`): read ``modes_covered`` beside ``high_quality``.

*Budget.* :data:`STEPS` = 5,000 updates at batch 128, set by the convergence of the protocol's
reference model, the WGAN-GP authors' toy WGAN-GP, measured with :func:`convergence` to 8,000
updates (seed 0, ``results/toy_convergence.json``, ``benchmarks/toy_convergence.py``): on the ring
its share of samples within 3σ of a mode is 11 % after 1,000 updates, 55 % after 3,000, 72 % after
5,000 and 76 % after 8,000 (all 8 modes covered from 1,000 on); on the grid it covers 23-25 of the
25 modes throughout with 13 % at 5,000 and 17 % at 8,000 (a uniform cloud: 2 %). The authors' toy
code runs 100,000 updates with 512-unit nets: the protocol reads its models where the reference
has levelled off on the ring and is still climbing slowly on the grid, which a chapter says where
it reads the grid. Until 2026-12-03 the protocol ran 600 updates, 12 % of this, and read every model
unconverged. A run at the uniform cloud's level reads *inconclusive* about collapse (:func:`kind`
"chance"), never as coverage.

*Seeds as one.* :func:`coverage` trains a model's seeds together as one batched model
(``gdm.group``, :func:`seed_group`: every model of the protocol but BEGAN), each seed with its
own initial weights and mini-batches; on the protocol's nets this buys 1.3-1.9 × the member-updates
per core of lone runs for the GANs, 2-2.9 × for the auto-encoders and 1.0-1.4 × for the models
whose MMDs stay a loop over members (``benchmarks/group_speed.py``), so the protocol's runs of every model of the
book, 3 seeds on both toys at 5,000 updates, took 89 minutes of one thread on the project's 2-core
machine, shared with other jobs (their records' seconds, 2026-12-03): MMD-GAN's 38 of them, with
its five critic updates per generator update and per-member MMDs, WGAN-GP's 10.

*Samples* of a model are its ``sample(n)``: the generator's output for the GANs, the decoded mean
``G(z)`` of prior draws for the auto-encoders (VAE, β-VAE, AAE, WAE: no decoder noise added).
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

import numpy as np
import torch

from . import data, metrics
from .config import make_config
from .errors import UnknownNameError
from .runs import Run, load_or_train, trained_here

#: the toys of the protocol and the standardised data set each trains on
TOYS = {"ring": "ring_scaled", "grid": "grid_scaled"}
#: generator updates per run (the auto-encoders: encoder/decoder updates)
STEPS = 5000
#: mini-batch size
BATCH = 128
#: hidden widths of every MLP (3 layers of 128 units: chapter 04's toy nets)
HIDDEN = [128, 128, 128]
#: hidden widths on each side of the code of the auto-encoder critics (EBGAN, BEGAN, MMD-GAN): their
#: defaults' depth (one layer) at the shared width
AE_HIDDEN = HIDDEN[:1]
#: samples scored per run
SAMPLES = 2500
#: seeds averaged
SEEDS = 3

_GAN_NETS = dict(z_dim=2, z_prior="normal", g_hidden=HIDDEN, d_arch="mlp", d_hidden=HIDDEN, d_act="relu")

#: Per-model config overrides on top of the shared budget (dataset, steps, batch_size, seed).
#: Each model keeps its defaults for everything not listed.
SETTINGS: dict[str, dict] = {
    # chapter 04's toy GAN: ReLU MLP discriminator without dropout (the maxout/dropout net is for
    # MNIST), Adam 1e-4 with beta1 0.5 (the WGAN-GP authors' toy code) instead of the default 2e-4
    "gan": dict(_GAN_NETS, d_dropout=0.0, d_input_dropout=0.0, lr=1e-4, beta1=0.5),
    # f-GAN with the Jensen-Shannon divergence (its GAN-like member; kl, reverse_kl, ... by the
    # `divergence` override); nets as the GAN's; its defaults' optimiser (Adam 2e-4, beta1 0.5)
    "fgan": dict(_GAN_NETS, d_dropout=0.0, d_input_dropout=0.0, divergence="jensen_shannon"),
    # chapter 04's toy WGAN: RMSProp 5e-5, c = 0.01, n_critic 5 (defaults) without the critic
    # warm-up (the WGAN-GP authors' toy code has none)
    "wgan": dict(_GAN_NETS, critic_warmup=False),
    # chapter 04's toy WGAN-GP: the authors' toy code's lambda 0.1 and Adam 1e-4, beta1 0.5 (beta2 0.9)
    "wgan_gp": dict(_GAN_NETS, gp_weight=0.1, beta1=0.5),
    # chapter 04's toy LSGAN: as the toy GAN (Adam 1e-4, beta1 0.5, no dropout)
    "lsgan": dict(_GAN_NETS, d_dropout=0.0, d_input_dropout=0.0, lr=1e-4, beta1=0.5),
    # EBGAN: an MLP auto-encoder critic 2-128-code-128-2 (the default's one hidden layer on each side
    # of the code, as every auto-encoder critic here, at the shared width); code_dim 2 (the default
    # 64 is for 784 pixels: on 2-D data the code has the data's size); margin 10, pull-away 0.1,
    # Adam 1e-3, batch norm in G: the defaults
    "ebgan": dict(z_dim=2, z_prior="normal", g_hidden=HIDDEN, d_arch="mlp", d_hidden=AE_HIDDEN, code_dim=2),
    # BEGAN: the same MLP auto-encoder (ELU, no batch norm: the defaults), code_dim 2 and z_dim 2
    # (the defaults' h = N_z = 64 are for images); gamma 0.5, lambda_k 0.001, Adam 1e-4: the defaults
    "began": dict(z_dim=2, z_prior="normal", g_hidden=HIDDEN, d_arch="mlp", d_hidden=AE_HIDDEN, code_dim=2),
    # InfoGAN: on vector data its nets are MLPs of 3 hidden layers (g_hidden / d_hidden units, see
    # gdm.models.infogan); noise z_dim 2 (62 is the MNIST setting) plus the default codes (10
    # categories, 2 continuous); Q head of 128 units, lr_d 2e-4, lr_g 1e-3: the defaults
    "infogan": dict(z_dim=2, z_prior="normal", g_hidden=HIDDEN[0], d_hidden=HIDDEN[0]),
    # GMMN in data space: the default kernel variances 2..80 (widths 1.4..8.9) are for 784-dimensional
    # images, on the standardised toys the wider ones would exceed the data's extent; variances 1 and 4
    # (widths 1 and 2), as chapter 08's toys (the config takes integer variances, so no width can be
    # as narrow as the modes); Adam 1e-3: the default
    "gmmn": dict(z_dim=2, z_prior="normal", g_hidden=HIDDEN, kernel_variances=[1, 4]),
    # MMD-GAN with its MLP option: the shared generator, an auto-encoder critic as EBGAN's (code_dim
    # 10); no critic warm-up (it is WGAN's, which chapter 04's toy WGAN runs without, as the
    # WGAN-GP authors' toy code; with it the first 25 updates alone cost 2,500 critic updates);
    # RMSProp 5e-5, n_critic 5: the defaults. The kernel is sized to the features: with the paper's
    # clipping (0.01) a 2-128-10 encoder's features of the toys lie about 0.015 apart (median), where
    # every bandwidth of the paper's 1..16 (chosen for image features) sees one flat kernel, and the
    # runs stay at 0 % near a mode after 1,500 updates; clipping at 0.1 with bandwidths 0.05..0.8
    # (the paper's ratios, 16:1) reached 8 of 8 ring modes with 20 % near a mode (seed 0, 1,500 updates)
    "mmd_gan": dict(arch="mlp", z_dim=2, g_hidden=HIDDEN, d_hidden=AE_HIDDEN, critic_warmup=False,
                    clip=0.1, sigmas=[0.05, 0.1, 0.2, 0.4, 0.8]),
    # VAE: a Gaussian decoder (the Bernoulli one is for [0, 1] data) with its learned variance,
    # z_dim 2 (20 is the MNIST setting); tanh, Adagrad 0.02: the defaults
    "vae": dict(decoder="gaussian", z_dim=2, hidden=HIDDEN),
    # beta-VAE: as the VAE (Gaussian decoder, z_dim 2 instead of dSprites' 10) with its own beta 4,
    # ReLU encoder / tanh decoder and Adagrad 1e-2 (the defaults); both MLPs 128-unit
    "beta_vae": dict(decoder="gaussian", z_dim=2, hidden=HIDDEN, decoder_hidden=HIDDEN),
    # AAE basic with its Gaussian prior on a 2-D code (the defaults); encoder, decoder and code
    # discriminator 128-unit instead of 1000
    "aae": dict(hidden=HIDDEN, d_hidden=HIDDEN),
    # WAE-MMD (regulariser="gan": WAE-GAN); z_dim 2 (8 is the MNIST setting); encoder, decoder and
    # WAE-GAN's latent adversary 128-unit; lambda 10, cost scale 0.05, Adam 1e-3 / 5e-4: the defaults
    "wae": dict(z_dim=2, hidden=HIDDEN, d_hidden=HIDDEN),
}


#: Per-model, per-toy overrides on top of :data:`SETTINGS`: where a setting must follow the toy itself.
TOY_SETTINGS: dict[tuple[str, str], dict] = {
    # InfoGAN's categorical code c1 sized to the toy's modes (8 on the ring, 25 on the grid; the
    # default 10 is MNIST's classes): a code with fewer values than modes cannot give each mode its
    # own category, one with more must share modes between categories
    ("infogan", "ring"): {"n_categories": 8},
    ("infogan", "grid"): {"n_categories": 25},
}


@dataclass
class ToyCoverage:
    """The result of :func:`coverage`: ``metrics`` (JSON-safe, per toy), ``samples`` (seed 0's
    samples per toy, in ``gdm.data.toy`` units), the runs, their summed training seconds (as
    recorded when they trained, also for cached runs), the seconds spent sampling and scoring, and
    ``all_samples`` (per toy, the scored samples of every seed, in seed order)."""

    model: str
    overrides: dict
    metrics: dict
    samples: dict = field(repr=False)
    runs: list = field(repr=False)
    seconds: float = 0.0
    eval_seconds: float = 0.0
    all_samples: dict = field(repr=False, default_factory=dict)
    curves: dict = field(repr=False, default_factory=dict)

    @property
    def trained_seconds(self) -> float:
        """The training this call did (:func:`gdm.runs.trained_here`): 0 for runs read from the store or cache."""
        return trained_here(self.runs)


def config(model: str, toy: str, seed: int = 0, steps: int | None = None, **overrides) -> dict:
    """The run configuration of ``model`` on ``toy`` under the protocol (``overrides`` last)."""
    if model not in SETTINGS:
        raise UnknownNameError("model with a toy protocol", model, SETTINGS)
    if toy not in TOYS:
        raise UnknownNameError("toy of the coverage protocol", toy, TOYS)
    params = {**SETTINGS[model], **TOY_SETTINGS.get((model, toy), {}), "dataset": TOYS[toy],
              "steps": STEPS if steps is None else steps, "batch_size": BATCH, "seed": seed, **overrides}
    return make_config(model, **params)


def seed_group(model: str, seeds: int, **overrides) -> int:
    """How many seeds :func:`coverage` trains as one batched model (``gdm.group``): groups of
    :data:`SEEDS` (seeds 0-2, 3-5, ...) whatever the number of seeds asked for, so that a reading of
    5 seeds shares its first 3 runs with one of 3, where the model's toy configuration can train as
    a group and more than one seed is asked for; else 1 (each seed alone)."""
    from .group import groupable

    if seeds < 2 or "seed_group" in overrides:
        return overrides.get("seed_group", 1)
    return SEEDS if groupable(config(model, "ring", **overrides)) else 1


def scale(toy: str) -> float:
    """The factor that maps ``toy`` to the data set the protocol trains on (standardised)."""
    return float(data.toy(TOYS[toy]).means[0, 0] / data.toy(toy).means[0, 0])


def draw(model, toy: str, samples: int, seed: int):
    """``samples`` samples of a protocol ``model`` trained on ``toy``, drawn with a generator seeded
    ``seed``, mapped back to ``gdm.data.toy(toy)``'s units (what :func:`score` and the plots read)."""
    return model.sample(samples, torch.Generator().manual_seed(seed)).reshape(samples, -1).float() / scale(toy)


def score(samples, toy: str, n_std: float = 3.0) -> dict:
    """``gdm.metrics.mode_coverage`` of ``samples`` (in ``gdm.data.toy(toy)`` units), as chapter 04;
    ``n_std``: how many of a mode's standard deviations count as near it (the protocol's 3)."""
    dist = data.toy(toy)
    c = metrics.mode_coverage(samples, dist.means, dist.std, n_std=n_std)
    return {k: c[k] for k in ("modes_covered", "modes_total", "high_quality")}


def summarise(per_seed: list[dict]) -> dict:
    """The chapter-04 block (mean and std over seeds) plus the per-seed lists."""
    out = metrics.average_over_seeds(per_seed)
    out = {k: out[k] for k in ("modes_covered", "modes_covered_std", "modes_total", "high_quality",
                               "high_quality_std", "seeds")}
    out["per_seed"] = {k: [r[k] for r in per_seed] for k in ("modes_covered", "high_quality")}
    return out


def curve_callback(cfg: dict, toy: str, every: int, samples: int = SAMPLES):
    """A training callback for the protocol run ``cfg`` on ``toy`` (alone or a group of seeds): every
    ``every`` updates, :func:`score` of ``samples`` samples of each member, drawn as :func:`coverage`
    draws them (member seed ``s``: a generator seeded ``s``). The event is ``{"coverage": [score of
    each member, in the group's seed order], "seeds": [...]}``; a group's members share one history,
    so each member's run keeps every member's curve."""
    from . import group, models
    from .runs import group_seeds

    if every < 1:
        raise ValueError(f"every must be at least 1, got {every}")
    seeds = group_seeds(cfg) if cfg.get("seed_group", 1) > 1 else [cfg["seed"]]
    shape = data.shape_of(cfg["dataset"])

    def measure(step, m, logs):
        if (step + 1) % every:
            return None
        members = (group.unstack(m, [models.build({**cfg, "seed": s}, shape) for s in seeds])
                   if len(seeds) > 1 else [m])
        scores = []
        for s, member in zip(seeds, members):
            x = draw(member, toy, samples, s)
            scores.append(score(x, toy))
        return {"coverage": scores, "seeds": seeds}

    return measure


def curves(runs: list, seeds: int) -> list[dict]:
    """The per-seed convergence curve of protocol runs trained with :func:`curve_callback`, read
    from their histories: ``[{"step", "modes_covered": [per seed], "high_quality": [per seed]}]``
    for seeds ``0 .. seeds - 1`` (empty where the runs recorded none: trained without the callback)."""
    by_step: dict[int, dict[int, dict]] = {}
    for run in runs:
        for e in run.history.get("events", []):
            if "coverage" in e:
                for s, c in zip(e["seeds"], e["coverage"]):
                    by_step.setdefault(e["step"] + 1, {})[s] = c
    out = []
    for step in sorted(by_step):
        got = by_step[step]
        if all(s in got for s in range(seeds)):
            out.append({"step": step, **{k: [got[s][k] for s in range(seeds)] for k in ("modes_covered", "high_quality")}})
    return out


def coverage(model: str, toys=("ring", "grid"), seeds: int = SEEDS, steps: int | None = None,
             samples: int = SAMPLES, n_std: float = 3.0, curve_every: int = 0, **overrides) -> ToyCoverage:
    """Mode coverage of ``model`` on each of ``toys`` over ``seeds`` seeds, with the protocol's
    budget (``steps`` updates, default :data:`STEPS`) and settings (:data:`SETTINGS`, then
    ``overrides``: any config parameter of the model; a bad one raises ConfigError).

    Returns a :class:`ToyCoverage`; ``result.metrics[toy]`` has ``modes_covered``,
    ``modes_covered_std``, ``modes_total``, ``high_quality``, ``high_quality_std``, ``seeds`` (chapter
    04's keys, for ``metrics["toy"][<model>]``) and ``per_seed`` (``modes_covered`` and
    ``high_quality`` lists). Seed ``s`` trains run seed ``s`` and samples with a generator seeded ``s``;
    the seeds train together as one batched model (:func:`seed_group`; ``seed_group=1`` in
    ``overrides`` trains each alone, a run of another identity).
    ``n_std`` loosens (or tightens) "near a mode" for a second reading of the same runs: a call that
    differs only in ``n_std`` reuses the runs of the first. ``curve_every`` > 0: runs trained by
    this call record every seed's score every ``curve_every`` updates (:func:`curve_callback`,
    outside the runs' identity), read back as ``result.curves[toy]`` (:func:`curves`).
    """
    if model not in SETTINGS:
        raise UnknownNameError("model with a toy protocol", model, SETTINGS)
    for toy in toys:
        if toy not in TOYS:
            raise UnknownNameError("toy of the coverage protocol", toy, TOYS)
    if seeds < 1 or samples < 1:
        raise ValueError(f"seeds and samples must be at least 1, got {seeds} and {samples}")
    group = {"seed_group": seed_group(model, seeds, **overrides)}
    cfgs = {(toy, s): config(model, toy, s, steps, **{**group, **overrides}) for toy in toys for s in range(seeds)}  # errors first
    out, kept, every, runs, seconds, scoring = {}, {}, {}, [], 0.0, 0.0
    for toy in toys:
        per_seed, every[toy] = [], []
        for s in range(seeds):
            cbs = [curve_callback(cfgs[toy, s], toy, curve_every, samples)] if curve_every else ()
            run: Run = load_or_train(cfgs[toy, s], callbacks=cbs)
            runs.append(run)
            seconds += run.seconds
            t0 = time.perf_counter()
            x = draw(run.model, toy, samples, s)
            per_seed.append(score(x, toy, n_std))
            every[toy].append(x)
            scoring += time.perf_counter() - t0
            if s == 0:
                kept[toy] = x
        out[toy] = summarise(per_seed)
    json.dumps(out)  # JSON-safe by construction; fail here rather than in results.write
    per_toy = {toy: curves([r for r in runs if r.config["dataset"] == TOYS[toy]], seeds) for toy in toys}
    return ToyCoverage(model, dict(overrides), out, kept, runs, seconds, scoring, every, per_toy)


def reference(toys=("ring", "grid"), seeds: int = SEEDS, samples: int = SAMPLES, n_std: float = 3.0) -> dict:
    """What the protocol gives two samplers that need no training, per toy: ``real`` (samples of
    the mixture itself) and ``uniform`` (uniform on the square of half-side 1.25 × the largest mode
    coordinate, chapter 04's chance row). Same block and seeds as :func:`coverage`."""
    out = {}
    for toy in toys:
        if toy not in TOYS:
            raise UnknownNameError("toy of the coverage protocol", toy, TOYS)
        dist = data.toy(toy)
        b = 1.25 * float(abs(torch.as_tensor(dist.means)).max())
        real = [score(dist.sample(samples, torch.Generator().manual_seed(s)), toy, n_std) for s in range(seeds)]
        unif = [score((2 * torch.rand(samples, 2, generator=torch.Generator().manual_seed(s)) - 1) * b, toy, n_std)
                for s in range(seeds)]
        out[toy] = {"real": summarise(real), "uniform": {**summarise(unif), "box": b}}
    return out


def convergence(model: str, toy: str, steps: int, every: int, seed: int = 0, samples: int = SAMPLES,
                **overrides) -> list[dict]:
    """How a protocol run of ``model`` on ``toy`` converges: every ``every`` of ``steps`` updates,
    :func:`score` of ``samples`` samples (drawn with a generator seeded 0, in a fork of the RNG, so
    the run is the one :func:`coverage` would train with that many steps and ``seeds=1``: trained
    alone; with several seeds :func:`coverage` trains seed ``seed`` in a group, the same model,
    budget, initial weights and mini-batches with another draw of its noise). Returns
    ``[{"step", "modes_covered", "modes_total", "high_quality"}, ...]``: the curves that set
    :data:`STEPS` (``benchmarks/toy_convergence.py`` writes them to ``results/toy_convergence.json``).
    The run is trained in a temporary folder and not kept."""
    if every < 1 or steps < every:
        raise ValueError(f"every ({every}) must be at least 1 and at most steps ({steps})")
    curve = []

    def measure(step, m, logs):
        if (step + 1) % every == 0:
            x = draw(m, toy, samples, 0)
            curve.append({"step": step + 1, **score(x, toy)})

    import shutil
    import tempfile

    cfg = config(model, toy, seed, steps, **overrides)
    root = tempfile.mkdtemp(prefix="gdm-convergence-")  # always a whole, fresh run: a cached one replays no callbacks
    try:
        load_or_train(cfg, root=root, callbacks=[measure], use_store=False, progress=False)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return curve


def convergence_curves() -> dict:
    """The committed convergence curves (``results/toy_convergence.json``: "<model>/<toy>" ->
    ``{"curve": [...], "seconds": ...}``, written by ``benchmarks/toy_convergence.py``), from the
    results folder, else from the source checkout's; empty where neither has them (an installed gdm)."""
    from pathlib import Path

    from . import paths

    for folder in (paths.results_dir(), Path(__file__).resolve().parent.parent / "results"):
        path = folder / "toy_convergence.json"
        if path.exists():
            return json.loads(path.read_text())
    return {}


#: how :func:`reading` names each kind of run
KINDS = {"collapsed": "collapsed onto few modes", "off": "off the modes, so inconclusive about collapse",
         "chance": "no nearer the modes than the uniform cloud, so inconclusive about collapse",
         "near": "nearer the modes than the uniform cloud"}


def kind(covered: float, hq: float, uniform_hq: float, chance_ratio: float = 2.0) -> str:
    """A run's (or a mean's) coverage in one of :data:`KINDS`, beside the uniform cloud's share of
    high-quality samples ``uniform_hq``: at most 1.5 modes covered is *collapsed* when its share of
    high-quality samples is at least ``chance_ratio`` times the cloud's, else *off* the modes; more
    modes are *chance* below that ratio (a mode count any spread cloud reaches), else *near*."""
    concentrated = hq >= chance_ratio * uniform_hq
    if covered <= 1.5:
        return "collapsed" if concentrated else "off"
    return "near" if concentrated else "chance"


def seed_kinds(m: dict, uniform: dict, chance_ratio: float = 2.0) -> list[str]:
    """The :func:`kind` of each seed of a coverage block ``m`` (``m["per_seed"]``), beside the
    uniform cloud's block; of the mean where the block has no per-seed lists."""
    u_hq, per_seed = uniform["high_quality"], m.get("per_seed")
    if per_seed:
        return [kind(c, h, u_hq, chance_ratio) for c, h in zip(per_seed["modes_covered"], per_seed["high_quality"])]
    return [kind(m["modes_covered"], m["high_quality"], u_hq, chance_ratio)]


def reading(m: dict, uniform: dict, toy: str = "ring", chance_ratio: float = 2.0) -> str:
    """One toy's coverage block ``m`` (:func:`coverage`'s ``metrics[toy]``) in words, beside the
    uniform cloud's block ``uniform`` (:func:`reference`'s): "on the ring, " and the :func:`kind` of
    the mean with its numbers; where the seeds (``m["per_seed"]``) are of different kinds, each kind
    with its seeds' mode counts instead."""
    total, u_hq = m["modes_total"], uniform["high_quality"]
    kinds = seed_kinds(m, uniform, chance_ratio)
    if len(set(kinds)) > 1:
        covered = m["per_seed"]["modes_covered"]
        groups = {k: [c for c, kk in zip(covered, kinds) if kk == k] for k in KINDS if k in kinds}
        parts = [f"in {len(cs)} of {len(kinds)} seeds {KINDS[k]} ({' and '.join(f'{c:g}' for c in cs)} of {total:.0f} covered)"
                 if i == 0 else f"in {len(cs)} {KINDS[k]} ({' and '.join(f'{c:g}' for c in cs)})"
                 for i, (k, cs) in enumerate(groups.items())]
        return f"on the {toy}, " + ", ".join(parts)
    covered, hq = m["modes_covered"], m["high_quality"]
    k = kinds[0]
    detail = {"collapsed": f"{covered:.1f} of {total:.0f} covered, {hq:.1%} of the samples near them",
              "off": f"{covered:.1f} of {total:.0f} covered, {hq:.1%} of the samples near one",
              "chance": f"{hq:.1%} of the samples near one, the cloud {u_hq:.1%}: its {covered:.1f} of {total:.0f} covered are chance's",
              "near": f"{covered:.1f} of {total:.0f} covered, "
                      + (f"{hq / u_hq:.0f} times the cloud's share of samples near one" if u_hq > 0 else
                         f"{hq:.1%} of the samples near one, the cloud none")}[k]
    return f"on the {toy}, {KINDS[k]} ({detail})"


#: :data:`KINDS` in a table's few words
SHORT = {"collapsed": "collapsed", "off": "off the modes (inconclusive)", "chance": "chance (inconclusive)",
         "near": "near the modes"}


def short_reading(m: dict, uniform: dict, chance_ratio: float = 2.0) -> str:
    """:func:`reading` in a table's few words: the :data:`SHORT` kind of the seeds, or where they
    differ, each kind with its number of seeds ("2 off the modes, 1 near the modes")."""
    kinds = seed_kinds(m, uniform, chance_ratio)
    if len(set(kinds)) == 1:
        return SHORT[kinds[0]]
    return ", ".join(f"{kinds.count(k)} {SHORT[k]}" for k in KINDS if k in kinds)


@dataclass
class ChapterToys:
    """The ring-and-grid section of a chapter (:func:`chapter`): ``coverage`` (metrics key ->
    :class:`ToyCoverage`), the :func:`reference` samplers, the seeds, and the seconds spent sampling,
    scoring and plotting (training seconds are the runs')."""

    coverage: dict
    reference: dict
    seeds: int
    eval_seconds: float

    @property
    def metrics(self) -> dict:
        """The block to store as ``metrics["toy"]``: metrics key -> per-toy coverage."""
        return {key: c.metrics for key, c in self.coverage.items()}

    @property
    def runs(self) -> list:
        return [r for c in self.coverage.values() for r in c.runs]

    @property
    def seconds(self) -> float:
        """Training seconds of the runs (as recorded when they trained)."""
        return sum(c.seconds for c in self.coverage.values())

    @property
    def trained_seconds(self) -> float:
        """The training this call did (:func:`gdm.runs.trained_here`): 0 for runs read from the store or cache."""
        return sum(c.trained_seconds for c in self.coverage.values())

    def glue_values(self) -> dict[str, str]:
        """The section's numbers for the chapter's prose: ``coverage_seeds_txt``, ``toy_real_hq``
        (real samples' share near a mode), ``toy_uniform_txt`` (the uniform cloud's modes and
        share), and per metrics key ``k``: ``toy_ring_k`` / ``toy_grid_k`` (modes covered, mean ±
        std over seeds), ``toy_ringhq_k`` / ``toy_gridhq_k`` (share near a mode) and ``toy_read_k``
        (:func:`reading` of the ring, then the grid)."""
        return texts(self.metrics, self.reference, self.seeds)

    def table(self, names: dict | None = None) -> str:
        """A Markdown table: per metrics key (its row named by ``names``), then real samples and the
        uniform cloud, the modes covered and the share near a mode on each toy (means over seeds)."""
        from .results import markdown_table

        keys = [f"{t}_{k}" for t in ("ring", "grid") for k in ("modes_covered", "high_quality")]
        rows = {(names or {}).get(key, key): {f"{t}_{k}": c.metrics[t][k] for t in ("ring", "grid")
                                              for k in ("modes_covered", "high_quality")}
                for key, c in self.coverage.items()}
        for label, which in (("real samples", "real"), ("chance: uniform on the square", "uniform")):
            rows[label] = {f"{t}_{k}": self.reference[t][which][k] for t in ("ring", "grid")
                           for k in ("modes_covered", "high_quality")}
        total = {t: self.reference[t]["real"]["modes_total"] for t in ("ring", "grid")}
        heads = [f"{t}: {f'modes (of {total[t]:g})' if k == 'modes_covered' else 'near a mode'}"
                 for t in ("ring", "grid") for k in ("modes_covered", "high_quality")]
        return markdown_table(rows, dict(zip(keys, heads)))

    def figure(self, names: dict | None = None):
        """Seed 0's samples of every model on both toys in one figure (a column per model); returns it."""
        import matplotlib.pyplot as plt

        from .plot import toy_coverage

        fig, axes = plt.subplots(2, len(self.coverage), figsize=(3.25 * len(self.coverage), 6.6), squeeze=False)
        for j, (key, c) in enumerate(self.coverage.items()):
            toy_coverage(c, ax=axes[:, j], title=(names or {}).get(key, key))
        fig.tight_layout()
        return fig

    def glue(self) -> None:
        """``gdm.results.glue`` every value of :meth:`glue_values`."""
        from .results import glue

        for name, value in self.glue_values().items():
            glue(name, value)


def texts(metrics: dict, reference: dict, seeds: int) -> dict[str, str]:
    """:meth:`ChapterToys.glue_values` from the blocks a results file keeps, so that a chapter's
    readings recompute them from its record: ``metrics`` (metrics key -> per-toy coverage, the
    ``metrics["toy"]`` block), ``reference`` (per toy, the ``real`` and ``uniform`` blocks of
    :func:`reference`; their ``modes_covered``, ``modes_total`` and ``high_quality`` suffice)."""
    ref = reference
    out = {"coverage_seeds_txt": str(seeds),
           "toy_real_hq": f"{ref['ring']['real']['high_quality']:.0%}",
           "toy_uniform_txt": " and ".join(
               f"{ref[t]['uniform']['modes_covered']:.1f} of the {t}'s {ref[t]['uniform']['modes_total']:.0f} modes "
               f"with {ref[t]['uniform']['high_quality']:.1%} of its samples near one" for t in ("ring", "grid"))}
    for key, block in metrics.items():
        for toy in ("ring", "grid"):
            m = block[toy]
            out[f"toy_{toy}_{key}"] = f"{m['modes_covered']:.1f} ± {m['modes_covered_std']:.1f}"
            out[f"toy_{toy}hq_{key}"] = f"{m['high_quality']:.0%}"
        out[f"toy_read_{key}"] = "; ".join(reading(block[t], ref[t]["uniform"], t) for t in ("ring", "grid"))
    return out


def border_and_inner(samples, toy: str = "grid") -> dict:
    """Where the samples near a mode are, for a toy whose modes fill a square (the grid): per mode
    on the square's border and per mode inside it, the number of samples within 3 standard
    deviations of it (``gdm.metrics.mode_coverage``'s ``per_mode``), each the mean over the modes
    and over ``samples`` (one (n, 2) tensor per seed, in ``gdm.data.toy(toy)``'s units)."""
    dist = data.toy(toy)
    means = np.abs(np.asarray(dist.means))
    border = means.max(1) >= means.max() - 1e-9
    per_mode = np.array([metrics.mode_coverage(x, dist.means, dist.std)["per_mode"] for x in samples])
    return {"border": float(per_mode[:, border].mean()), "inner": float(per_mode[:, ~border].mean()),
            "n_border": int(border.sum()), "n_inner": int((~border).sum())}


def chapter(models: dict, steps: int = 0, seeds: int = SEEDS, show: bool = True, samples: int = SAMPLES) -> ChapterToys:
    """A chapter's ring-and-grid section: :func:`coverage` of each model of ``models`` (metrics key
    -> model name, or (model name, overrides)), its figure (``gdm.plot.toy_coverage``, shown when
    ``show``) and the :func:`reference` samplers. ``steps`` 0 (a notebook's default parameter)
    means the protocol's :data:`STEPS`; ``samples`` scored per run and per reference sampler. Then
    ``section.glue()`` for the prose, ``section.table(names)`` and ``section.figure(names)`` for all
    models at once, ``section.metrics``
    for ``metrics["toy"]``, ``section.runs`` and ``section.eval_seconds`` for the results file."""
    if not models:
        raise ValueError("chapter needs at least one model, e.g. {'gan': 'gan'}")
    specs = {key: (spec, {}) if isinstance(spec, str) else spec for key, spec in models.items()}
    covs, eval_seconds = {}, 0.0
    for key, (model, overrides) in specs.items():
        covs[key] = coverage(model, steps=steps or None, seeds=seeds, samples=samples, **overrides)
        t0 = time.perf_counter()
        if show:
            import matplotlib.pyplot as plt

            from .plot import toy_coverage

            toy_coverage(covs[key], title=key)
            plt.show()
        eval_seconds += covs[key].eval_seconds + time.perf_counter() - t0
    t0 = time.perf_counter()
    ref = reference(seeds=seeds, samples=samples)
    return ChapterToys(covs, ref, seeds, eval_seconds + time.perf_counter() - t0)


def geometry(toy: str) -> dict:
    """The protocol's standardised ``toy`` (``TOYS[toy]``, the units its models train in): the
    smallest distance between two of its modes (``spacing``) and a mode's standard deviation
    (``mode_std``), against which a kernel's width can be read (does it tell neighbouring modes apart?)."""
    mix = data.toy(TOYS[toy])
    d = np.sqrt(((mix.means[:, None] - mix.means[None]) ** 2).sum(-1))
    return {"spacing": float(d[~np.eye(len(d), dtype=bool)].min()), "mode_std": float(mix.std)}
