"""Mode coverage on toy mixtures, the optimal-discriminator check, and clustering accuracy."""
from __future__ import annotations

import numpy as np
import torch


def mode_coverage(samples, means, std: float, n_std: float = 3.0, min_count: int = 1) -> dict:
    """Mode coverage on a Gaussian mixture (VEEGAN / PacGAN protocol).

    A sample is *high quality* when it lies within ``n_std`` standard deviations of its
    nearest mode; a mode is *covered* when at least ``min_count`` high-quality samples have it
    as their nearest mode. Returns ``modes_covered``, ``modes_total``, ``high_quality`` (the
    share of high-quality samples) and ``per_mode`` counts.
    """
    x = torch.as_tensor(samples, dtype=torch.float64)
    mu = torch.as_tensor(means, dtype=torch.float64)
    dist = torch.cdist(x, mu)
    nearest = dist.argmin(1)
    good = dist.gather(1, nearest[:, None])[:, 0] <= n_std * std
    counts = torch.bincount(nearest[good], minlength=mu.shape[0])
    return {
        "modes_covered": int((counts >= min_count).sum()),
        "modes_total": int(mu.shape[0]),
        "high_quality": float(good.double().mean()),
        "per_mode": counts.tolist(),
    }


def optimal_d_error(d_values, p_data, p_g) -> dict:
    """How far a discriminator's values are from Proposition 1's D* = p_data / (p_data + p_g)."""
    from ..losses import optimal_discriminator

    err = np.abs(np.asarray(d_values, dtype=np.float64) - optimal_discriminator(p_data, p_g))
    return {"max_error": float(err.max()), "mean_error": float(err.mean())}


def confusion_counts(clusters, labels, n_clusters: int, n_classes: int) -> np.ndarray:
    """Counts of (cluster, label) pairs: an ``n_clusters`` × ``n_classes`` integer matrix."""
    confusion = np.zeros((n_clusters, n_classes), dtype=np.int64)
    np.add.at(confusion, (np.asarray(clusters, dtype=np.int64), np.asarray(labels, dtype=np.int64)), 1)
    return confusion


def clustering_accuracy(clusters, labels, n_clusters: int, n_classes: int | None = None) -> dict:
    """Unsupervised classification accuracy of a clustering against true labels.

    ``n_clusters`` is the number of clusters the model has (InfoGAN's 10 categories, the AAE's
    16), which the assignments alone cannot tell: a model that uses only some of its clusters
    would otherwise be scored as if it had fewer. ``n_classes``: the number of classes (default:
    the largest label + 1). With at most as many clusters as classes, clusters are matched to
    classes one-to-one by the Hungarian algorithm (InfoGAN's protocol). With more clusters than
    classes (the AAE's 16 clusters), each cluster is assigned the class most of its points have
    (majority vote, which reads every label; the AAE paper's own protocol labels each cluster by
    its most confident validation example: :func:`prototype_clustering_error`); an empty cluster
    maps to no class. Returns ``accuracy``, ``error`` and ``mapping`` (cluster -> class).
    """
    from scipy.optimize import linear_sum_assignment

    c = np.asarray(clusters, dtype=np.int64)
    y = np.asarray(labels, dtype=np.int64)
    n_c = int(n_clusters)
    n_y = int(y.max()) + 1 if n_classes is None else int(n_classes)
    if c.size and (c.min() < 0 or c.max() >= n_c):
        raise ValueError(f"cluster indices must lie in [0, {n_c}) for n_clusters = {n_c}, got {c.min()} … {c.max()}")
    if y.size and (y.min() < 0 or y.max() >= n_y):
        raise ValueError(f"labels must lie in [0, {n_y}) for n_classes = {n_y}, got {y.min()} … {y.max()}")
    confusion = confusion_counts(c, y, n_c, n_y)
    if n_c <= n_y:
        rows, cols = linear_sum_assignment(-confusion)
        mapping = dict(zip(rows.tolist(), cols.tolist()))
    else:
        mapping = {i: int(confusion[i].argmax()) for i in range(n_c) if confusion[i].any()}
    correct = sum(confusion[i, j] for i, j in mapping.items())
    accuracy = correct / len(y)
    return {"accuracy": float(accuracy), "error": float(1 - accuracy), "mapping": mapping}


def prototype_clustering_error(probs_valid, labels_valid, clusters_test, labels_test) -> dict:
    """The AAE paper's clustering protocol (Makhzani et al. 2015, Section 6): each cluster i takes
    the label of the validation example x_n that maximises q(y = i | x_n) (its prototype), then
    the error of these labels on the test points. ``probs_valid``: (N_valid, K) probabilities.
    Uses K validation labels. Returns ``error``, ``accuracy`` and ``mapping`` (cluster -> class)."""
    p = np.asarray(probs_valid, dtype=np.float64)
    yv = np.asarray(labels_valid, dtype=np.int64)
    mapping = {i: int(yv[int(p[:, i].argmax())]) for i in range(p.shape[1])}
    c = np.asarray(clusters_test, dtype=np.int64)
    pred = np.array([mapping[int(k)] for k in c])
    accuracy = float((pred == np.asarray(labels_test, dtype=np.int64)).mean())
    return {"accuracy": accuracy, "error": 1 - accuracy, "mapping": mapping}


def average_over_seeds(runs: list[dict]) -> dict:
    """Mean and standard deviation of every numeric entry of per-seed result dicts."""
    out = {}
    for key in runs[0]:
        values = [r[key] for r in runs]
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            out[key] = float(np.mean(values))
            out[f"{key}_std"] = float(np.std(values, ddof=1)) if len(values) > 1 else 0.0
    out["seeds"] = len(runs)
    return out


def wasserstein1_exact(a, b) -> float:
    """The exact Wasserstein-1 distance between two empirical distributions of ``n`` points each,
    ``(n, d)``: the mean Euclidean cost of the optimal one-to-one assignment (for equal-size
    samples with uniform weights an optimal transport plan is a permutation). O(n³): for n up to a
    few thousand."""
    from scipy.optimize import linear_sum_assignment

    a, b = torch.as_tensor(a, dtype=torch.float64), torch.as_tensor(b, dtype=torch.float64)
    if a.shape != b.shape or a.ndim != 2:
        raise ValueError(f"two samples of equal shape (n, d) expected, got {tuple(a.shape)} and {tuple(b.shape)}")
    cost = torch.cdist(a, b).numpy()
    rows, cols = linear_sum_assignment(cost)
    return float(cost[rows, cols].mean())


def lipschitz_bound(critic, real: torch.Tensor, fake: torch.Tensor, points: torch.Tensor | None = None) -> float:
    """A critic's lower bound on W1(real, fake): the gap of its means, E f(real) - E f(fake),
    divided by the largest gradient norm of f over ``points`` and the two samples (its Lipschitz
    constant there). Kantorovich-Rubinstein: any 1-Lipschitz f gives a gap at most W1, so the
    ratio to the exact W1 (``wasserstein1_exact``) says how much of the distance the critic
    found; it is a true bound where the maximum found is f's constant."""
    lipschitz = lipschitz_constant(critic, torch.cat([real, fake] if points is None else [points, real, fake]))
    with torch.no_grad():
        gap = (critic(real).mean() - critic(fake).mean()).item()
    return gap / lipschitz


def lipschitz_constant(critic, points: torch.Tensor) -> float:
    """The largest norm of the critic's gradient over ``points``: its Lipschitz constant there."""
    x = points.detach().requires_grad_(True)
    (g,) = torch.autograd.grad(critic(x).sum(), x)
    return g.flatten(1).norm(dim=1).max().item()
