"""Disentanglement metrics: the β-VAE score, the FactorVAE score and the mutual information gap.

All three compare a learned code with known ground-truth factors of variation, so they need
a data source that can render observations for chosen factor values. The protocol:

*factor source*
    any object with

    - ``factor_sizes: list[int]``: the number of values of each of the K ground-truth factors
      (each at least 2; leave constant factors out, as dSprites' single colour is usually left out);
    - ``sample_factors(n: int, rng: np.random.Generator) -> np.ndarray``: ``n`` factor vectors,
      shape ``(n, K)``, integer values with ``0 <= v[:, k] < factor_sizes[k]``;
    - ``observe(factors: np.ndarray) -> torch.Tensor``: observations (one per row of
      ``factors``) rendered for those factor values, possibly stochastically.

*encode*
    a callable mapping a batch of observations (``torch.Tensor``) to latent codes
    (``np.ndarray`` or ``torch.Tensor``, shape ``(n, d)``). The metrics use the codes as given,
    e.g. a VAE's posterior means; they call it under ``torch.no_grad()``.

Every function draws all its randomness from the ``rng`` it is given, so the numbers are
reproducible given a seed, as long as ``observe`` and ``encode`` are deterministic (a
stochastic ``observe`` must be seeded by its owner). Observations are rendered and encoded in
chunks of at most :data:`CHUNK` rows, so image sources do not need the whole protocol's
observations in memory at once.

Each function returns a dict, like the rest of :mod:`gdm.metrics`.
"""
from __future__ import annotations

from typing import Callable, Protocol

import numpy as np
import torch

CHUNK = 4096  # rows rendered and encoded at a time


class FactorSource(Protocol):
    """A data source with known factors of variation (see the module docstring)."""

    factor_sizes: list[int]

    def sample_factors(self, n: int, rng: np.random.Generator) -> np.ndarray: ...

    def observe(self, factors: np.ndarray) -> torch.Tensor: ...


Encoder = Callable[[torch.Tensor], "np.ndarray | torch.Tensor"]


class FactorsAsObservations:
    """``source``'s factors, observed as themselves (float64 factor vectors, nothing rendered).

    With an encoder that keeps some columns, ``lambda f: f[:, [3, 4]]``, it is an *oracle code*:
    a perfectly disentangled code of those factors, the reference points that make the scores of
    a learned code readable (the ceiling of a code that holds only some of the factors)."""

    def __init__(self, source: FactorSource):
        self.source = source
        self.factor_sizes = list(source.factor_sizes)

    def sample_factors(self, n: int, rng: np.random.Generator) -> np.ndarray:
        return self.source.sample_factors(n, rng)

    def observe(self, factors: np.ndarray) -> torch.Tensor:
        return torch.as_tensor(np.asarray(factors), dtype=torch.float64)


def _factor_sizes(source: FactorSource) -> np.ndarray:
    sizes = np.asarray(source.factor_sizes, dtype=np.int64)
    if sizes.ndim != 1 or len(sizes) == 0 or (sizes < 2).any():
        raise ValueError(f"factor_sizes must list K >= 1 factors of at least 2 values, got {source.factor_sizes}")
    return sizes


def _codes(encode: Encoder, source: FactorSource, factors: np.ndarray) -> np.ndarray:
    """Codes of observations rendered for each row of ``factors``, as float64 of shape (n, d)."""
    out = []
    with torch.no_grad():
        for start in range(0, len(factors), CHUNK):
            z = encode(source.observe(factors[start:start + CHUNK]))
            z = z.detach().cpu().numpy() if isinstance(z, torch.Tensor) else np.asarray(z)
            out.append(z.astype(np.float64).reshape(len(z), -1))
    return np.concatenate(out)


def beta_vae_score(encode: Encoder, source: FactorSource, rng: np.random.Generator,
                   n_train: int = 5000, n_eval: int = 2000, batch_size: int = 64) -> dict:
    """The β-VAE disentanglement score (Higgins et al., 2017, *β-VAE: Learning basic visual
    concepts with a constrained variational framework*, Section 3).

    Each point of the classifier's data is made as follows: choose a factor ``k`` uniformly
    from the K factors; draw ``batch_size`` pairs of factor vectors, each pair sharing the
    value of factor ``k`` and drawing every other factor independently (all from
    ``source.sample_factors``); encode both observations of each pair; the input is
    ``z_diff = mean over the pairs of |z1 - z2|`` and the label is ``k``. When the code
    is disentangled, the coordinates that encode factor ``k`` are (close to) zero in ``z_diff``.

    A linear classifier (``sklearn.linear_model.LogisticRegression``: multinomial, L2 with
    the default ``C = 1``, lbfgs with ``max_iter = 10_000``, on the raw ``z_diff``) is fit on
    ``n_train`` points and scored on ``n_eval`` fresh points. Defaults: ``batch_size = 64``
    (L = 64 pairs, as in disentanglement_lib), 5000 training and 2000 evaluation points.

    Returns ``beta_vae`` (evaluation accuracy) and ``beta_vae_train`` (training accuracy);
    chance is 1 / K when the labels are balanced.
    """
    from sklearn.linear_model import LogisticRegression

    sizes = _factor_sizes(source)

    def points(n: int) -> tuple[np.ndarray, np.ndarray]:
        k = rng.integers(len(sizes), size=n)
        v1 = source.sample_factors(n * batch_size, rng)
        v2 = source.sample_factors(n * batch_size, rng)
        rows = np.arange(n * batch_size)
        shared = np.repeat(k, batch_size)
        v2[rows, shared] = v1[rows, shared]
        diff = np.abs(_codes(encode, source, v1) - _codes(encode, source, v2))
        return diff.reshape(n, batch_size, -1).mean(1), k

    x_train, y_train = points(n_train)
    x_eval, y_eval = points(n_eval)
    clf = LogisticRegression(max_iter=10_000).fit(x_train, y_train)
    return {"beta_vae": float(clf.score(x_eval, y_eval)), "beta_vae_train": float(clf.score(x_train, y_train))}


def factor_vae_score(encode: Encoder, source: FactorSource, rng: np.random.Generator,
                     n_var: int = 10000, n_train: int = 5000, n_eval: int = 2000,
                     batch_size: int = 64, prune: float = 0.05) -> dict:
    """The FactorVAE disentanglement score (Kim & Mnih, 2018, *Disentangling by factorising*,
    Section 4).

    1. Each latent's standard deviation is estimated on the codes of ``n_var`` random samples.
       Dimensions that have collapsed (code *standard deviation* below ``prune``, 0.05 by
       default, as disentanglement_lib's ``_prune_dims``: ``sqrt(variances) >= threshold``, with
       the variances taken with ``ddof=1`` as its ``_compute_variances``; a zero variance is always
       pruned, since it cannot normalise) are left out, as the paper leaves out collapsed dimensions.
    2. Each vote: choose a factor ``k`` uniformly; draw ``batch_size`` (64, as in disentanglement_lib)
       factor vectors with factor ``k`` fixed at one random value (that of the first vector
       drawn, so it follows ``source.sample_factors``) and the others varying; divide the
       codes by the standard deviations of step 1, so the vote is invariant to rescaling
       each dimension; the vote is (argmin over the kept dimensions of the empirical
       variance within the batch, ``k``).
    3. The classifier is the majority vote from dimension to factor, built on ``n_train`` votes
       (the optimal classifier, since input and output are discrete). A dimension with no
       training vote, and every vote when all dimensions are pruned, is given the most common
       training factor: with no information that is the majority vote, i.e. chance accuracy.
    4. The score is its accuracy on ``n_eval`` fresh votes (1 - the error rate by which the
       paper defines the metric).

    Returns ``factor_vae`` (evaluation accuracy), ``factor_vae_train`` (training accuracy)
    and ``factor_vae_active_dims`` (the indices of the dimensions kept in step 1).
    """
    sizes = _factor_sizes(source)
    codes = _codes(encode, source, source.sample_factors(n_var, rng))
    var = codes.var(0, ddof=1)
    active = np.flatnonzero((np.sqrt(var) >= prune) & (var > 0))
    std = np.sqrt(var[active])

    def votes(n: int) -> tuple[np.ndarray, np.ndarray]:
        k = rng.integers(len(sizes), size=n)
        v = source.sample_factors(n * batch_size, rng).reshape(n, batch_size, -1)
        v[np.arange(n), :, k] = v[np.arange(n), :1, k]
        if len(active) == 0:  # no dimension left: every vote carries the same (empty) input
            return np.zeros(n, dtype=np.int64), k
        z = _codes(encode, source, v.reshape(n * batch_size, -1))[:, active] / std
        return z.reshape(n, batch_size, -1).var(1).argmin(1), k

    dim_train, k_train = votes(n_train)
    dim_eval, k_eval = votes(n_eval)
    n_inputs = max(len(active), 1)
    counts = np.zeros((n_inputs, len(sizes)), dtype=np.int64)
    np.add.at(counts, (dim_train, k_train), 1)
    classifier = np.where(counts.any(1), counts.argmax(1), np.bincount(k_train, minlength=len(sizes)).argmax())
    return {
        "factor_vae": float((classifier[dim_eval] == k_eval).mean()),
        "factor_vae_train": float((classifier[dim_train] == k_train).mean()),
        "factor_vae_active_dims": active.tolist(),
    }


def mig(encode: Encoder, source: FactorSource, rng: np.random.Generator,
        n: int = 10000, bins: int = 20) -> dict:
    """The mutual information gap (Chen et al., 2018, *Isolating sources of disentanglement in
    variational autoencoders*, the β-TCVAE paper, which defines MIG):

        MIG = 1/K Σ_k (I(z_j(k); v_k) - max_{j ≠ j(k)} I(z_j; v_k)) / H(v_k),  j(k) = argmax_j I(z_j; v_k).

    Chen et al. estimate I(z_j; v_k) from the encoder's distribution over the whole data set;
    here, as in Locatello et al. (2019, *Challenging common assumptions in the unsupervised
    learning of disentangled representations*) and disentanglement_lib, it is estimated on the
    codes of ``n`` random samples (10,000): each code dimension is discretised into ``bins``
    (20) equal-width bins spanning its range (``np.histogram``'s edges), and the mutual
    information and the entropy H(v_k) = I(v_k; v_k) are computed with
    ``sklearn.metrics.mutual_info_score`` (nats; the ratio does not depend on the base).
    With a single code dimension the second largest information is 0.

    Returns ``mig``, ``mig_per_factor`` (the normalised gap of each factor) and ``mig_matrix``
    (K lists of d values: I(z_j; v_k) / H(v_k), which code dimension carries which factor).
    """
    from sklearn.metrics import mutual_info_score

    _factor_sizes(source)
    factors = source.sample_factors(n, rng)
    codes = _codes(encode, source, factors)
    binned = [np.digitize(z, np.histogram(z, bins)[1][:-1]) for z in codes.T]
    gaps, matrix = [], []
    for v in factors.T:
        mi = np.array([mutual_info_score(v, z) for z in binned])
        info = np.sort(mi)[::-1]
        second = info[1] if len(info) > 1 else 0.0
        h = mutual_info_score(v, v)
        gaps.append(float((info[0] - second) / h))
        matrix.append((mi / h).tolist())
    return {"mig": float(np.mean(gaps)), "mig_per_factor": gaps, "mig_matrix": matrix}


def mig_callback(every: int, source: FactorSource, n: int = 2000, seed: int = 0):
    """A training-loop callback (``load_or_train(cfg, callbacks=[...])``) that records, every
    ``every`` steps, ``{"mig": ..., "mig_per_factor": [...]}`` of the model's code, its posterior
    means ``model.encode(x)[0]`` (in eval mode), on ``n`` factor draws from
    ``numpy.random.default_rng(seed)``: the same draws at every step, and no torch randomness, so
    training is unchanged. The values land in ``history["events"]`` with their step."""

    def measure(step, model, logs):
        if (step + 1) % every == 0:
            with model.evaluating():
                m = mig(lambda x: model.encode(x)[0], source, np.random.default_rng(seed), n=n)
            return {"mig": m["mig"], "mig_per_factor": m["mig_per_factor"]}

    return measure
