"""Sample quality and diversity in the feature space of a classifier trained on the data set.

The feature network is a small CNN (``gdm.models.Classifier``) trained once per data set and
seed, cached like any run. Its 128-d feature layer replaces the Inception network of FID/KID:
the distances here are **FD** and **KD** in that space, not FID and KID, and are comparable
only within one data set and one feature network. Every number comes with its real-data
reference (held-out real images against the same reference set, the same number of images),
so that a reader knows the floor.

- Fréchet distance and kernel distance: torchmetrics' ``FrechetInceptionDistance`` and
  ``KernelInceptionDistance`` with the custom feature network (fed precomputed features).
- Improved precision and recall (Kynkäänniemi et al. 2019), k = 3; density and coverage
  (Naeem et al. 2020), k = 3.
- Classifier scores: an Inception-score analogue exp(E_x KL(p(y|x) || p(y))), and the number
  of classes that receive at least ``min_share`` of the samples (a mode-collapse signal).
- Sharpness (``.blur``): the variance of the Laplacian, the WAE paper's measure of blur,
  on the pixels (no feature network).
"""
from __future__ import annotations

import warnings

import torch
from torch import nn

from .. import data
from .blur import sharpness

#: training steps of the feature network per data set (batch 128): about 48 epochs of
#: mnist5k's 4,000 digits, 8 epochs of MNIST's 50,000, 15 of Fashion-MNIST's
FEATURE_NET_STEPS = {"mnist5k": 1500, "mnist": 3000, "fashion-mnist": 6000}
NEAREST_K = 3


class _Precomputed(nn.Module):
    """Identity 'feature extractor': torchmetrics' FD/KD fed with features computed once."""

    def __init__(self, num_features: int):
        super().__init__()
        self.num_features = num_features

    def forward(self, x):
        return x


def feature_net_config(dataset: str, seed: int = 0, steps: int | None = None) -> dict:
    """The run configuration of ``dataset``'s feature network (what ``feature_net`` trains or reads)."""
    from ..config import make_config

    if dataset not in FEATURE_NET_STEPS:
        from ..errors import UnknownNameError

        raise UnknownNameError("image data set with a feature network", dataset, FEATURE_NET_STEPS)
    return make_config("classifier", dataset=dataset, steps=steps or FEATURE_NET_STEPS[dataset], batch_size=128,
                       seed=seed, log_every=50, checkpoint_every=500)


def feature_net(dataset: str, seed: int = 0, progress=None, steps: int | None = None):
    """The trained feature network of ``dataset`` (trained on first use, then reused).

    ``steps`` overrides the training length (for smoke tests: the numbers then mean little)."""
    from ..runs import load_or_train

    run = load_or_train(feature_net_config(dataset, seed, steps), progress=progress)
    run.model.eval()
    return run


#: what ``evaluate`` and ``fd_to_data`` compute from real data alone (reference features, the
#: held-out floor), kept per process: the same feature network, data set and sizes give the same
#: tensors, so a chapter that scores six models pays for the real side once. The key holds the
#: feature network's run directory and the time its run finished, so a retrained net is not mixed up.
_REAL_SIDE: dict[tuple, object] = {}


def _real_side(run, *key, compute):
    done = run.dir / "done.json"
    full = (str(run.dir), done.stat().st_mtime_ns if done.exists() else None, *key)
    if full not in _REAL_SIDE:
        _REAL_SIDE[full] = compute()
    return _REAL_SIDE[full]


def classifier_accuracy(net, images: data.ImageData) -> float:
    return (net.probabilities(images.x).argmax(1) == images.y).double().mean().item()


def frechet_distance(feat_a: torch.Tensor, feat_b: torch.Tensor) -> float:
    """Fréchet distance between Gaussians fitted to two feature sets (torchmetrics)."""
    from torchmetrics.image.fid import FrechetInceptionDistance

    fd = FrechetInceptionDistance(feature=_Precomputed(feat_a.shape[1]))
    fd.update(feat_a.double(), real=True)
    fd.update(feat_b.double(), real=False)
    return float(fd.compute())


def kernel_distance(feat_a: torch.Tensor, feat_b: torch.Tensor, subsets: int = 100, subset_size: int = 1000,
                    seed: int = 0) -> tuple[float, float]:
    """Kernel distance (the unbiased MMD² with KID's cubic polynomial kernel), mean and std over
    random subsets (torchmetrics), deterministic given ``seed``."""
    from torchmetrics.image.kid import KernelInceptionDistance

    size = min(subset_size, len(feat_a), len(feat_b))
    with warnings.catch_warnings():  # it warns that it keeps all features: that is the point here
        warnings.filterwarnings("ignore", message=".*will save all extracted features.*")
        kd = KernelInceptionDistance(feature=_Precomputed(feat_a.shape[1]), subsets=subsets, subset_size=size)
    kd.update(feat_a.double(), real=True)
    kd.update(feat_b.double(), real=False)
    state = torch.get_rng_state()
    torch.manual_seed(seed)
    try:
        mean, std = kd.compute()
    finally:
        torch.set_rng_state(state)
    return float(mean), float(std)


def _kth_nn_radius(x: torch.Tensor, k: int, chunk: int = 2048) -> torch.Tensor:
    """Distance of each point of ``x`` to its k-th nearest neighbour in ``x`` (itself excluded)."""
    out = []
    for i in range(0, len(x), chunk):
        d = torch.cdist(x[i : i + chunk], x)
        out.append(d.kthvalue(k + 1, dim=1).values)  # the 0 to itself is the first
    return torch.cat(out)


def _inside_counts(points: torch.Tensor, centres: torch.Tensor, radii: torch.Tensor, chunk: int = 2048):
    """For each point, how many balls B(centre_i, radius_i) contain it."""
    out = []
    for i in range(0, len(points), chunk):
        d = torch.cdist(points[i : i + chunk], centres)
        out.append((d <= radii[None] * (1 + 1e-9)).sum(1))  # tolerance: cdist is not bit-symmetric
    return torch.cat(out)


def precision_recall(real: torch.Tensor, fake: torch.Tensor, k: int = NEAREST_K) -> dict:
    """Improved precision and recall (Kynkäänniemi et al. 2019) and density and coverage
    (Naeem et al. 2020), from k-nearest-neighbour balls in feature space.

    precision: share of fake points inside the real manifold (the union of real k-NN balls);
    recall: share of real points inside the fake manifold; density: mean number of real balls
    containing a fake point, divided by k; coverage: share of real balls containing a fake point.
    """
    real, fake = real.double(), fake.double()
    r_real, r_fake = _kth_nn_radius(real, k), _kth_nn_radius(fake, k)
    fake_in_real = _inside_counts(fake, real, r_real)
    real_in_fake = _inside_counts(real, fake, r_fake)
    covered = torch.zeros(len(real), dtype=torch.bool)
    for i in range(0, len(real), 2048):  # a real ball is covered when its nearest fake point is inside
        covered[i : i + 2048] = torch.cdist(real[i : i + 2048], fake).min(1).values <= r_real[i : i + 2048] * (1 + 1e-9)
    return {
        "precision": (fake_in_real > 0).double().mean().item(),
        "recall": (real_in_fake > 0).double().mean().item(),
        "density": (fake_in_real.double().mean() / k).item(),
        "coverage": covered.double().mean().item(),
    }


def classifier_scores(probs: torch.Tensor, min_share: float = 0.01) -> dict:
    """From class probabilities p(y|x) of samples: the Inception-score analogue
    exp(E_x KL(p(y|x) || p(y))) (10 at best for 10 balanced, confident classes, 1 at worst),
    the classes covered (predicted for at least ``min_share`` of the samples) and the histogram."""
    probs = probs.double().clamp_min(1e-12)
    marginal = probs.mean(0)
    kl = (probs * (probs.log() - marginal.log())).sum(1)
    counts = torch.bincount(probs.argmax(1), minlength=probs.shape[1])
    return {
        "classifier_score": kl.mean().exp().item(),
        "classes_covered": int((counts >= min_share * len(probs)).sum()),
        "class_histogram": counts.tolist(),
    }


#: a sample is *confidently classified* when the feature network gives its top class at least this probability
CONFIDENT = 0.9
#: fewest recognised samples whose sharpness is read
MIN_RECOGNISED = 10


def recognition(samples: torch.Tensor, dataset: str, seed: int = 0, threshold: float = CONFIDENT, k: int = 5,
                feature_steps: int | None = None) -> dict:
    """Which ``samples`` are *recognised*: the feature network gives their top class probability at
    least ``threshold`` **and** their features lie inside the real digits' manifold (the union of the
    k-NN balls of as many training digits as samples, k = 5). Confidence alone does not do: the
    classifier puts uniform noise into one class with probability above 0.9 (``results/calibration.json``).

    Returns ``confident_share``, ``recognised_share`` and ``recognised_sharpness``, the sharpness
    (``.blur``) of the recognised samples only (None when fewer than ``MIN_RECOGNISED`` are): the book
    reads sharpness only there, since noise is sharper than digits."""
    net = feature_net(dataset, seed, None, feature_steps).model
    ref = _real_side(feature_net(dataset, seed, None, feature_steps), "recognition", dataset, len(samples),
                     compute=lambda: net.features(data.load(dataset, "train").x[: len(samples)]).double())
    sure = net.probabilities(samples).max(1).values >= threshold
    inside = _inside_counts(net.features(samples).double(), ref, _kth_nn_radius(ref, k)) > 0
    keep = sure & inside
    return {"confident_share": sure.double().mean().item(), "recognised_share": keep.double().mean().item(),
            "recognised_sharpness": sharpness(samples[keep])["sharpness"] if int(keep.sum()) >= MIN_RECOGNISED else None}


def fd_to_data(samples: torch.Tensor, dataset: str, seed: int = 0, reference: int = 4000,
               feature_steps: int | None = None) -> float:
    """The Fréchet distance of ``samples`` to the first ``reference`` training images, in the
    feature network's space: a cheap FD for tracking quality *during* training (callbacks).
    Not comparable with ``evaluate``'s ``fd`` unless the sample and reference sizes match."""
    run = feature_net(dataset, seed, None, feature_steps)
    ref = _real_side(run, "fd_to_data", dataset, reference,
                     compute=lambda: run.model.features(data.load(dataset, "train").x[:reference]))
    return frechet_distance(ref, run.model.features(samples))


def fd_callback(every: int, dataset: str, n: int = 1000, seed: int = 0, reference: int = 4000,
                feature_steps: int | None = None, sample_seed: int | None = None):
    """A training-loop callback (``load_or_train(cfg, callbacks=[...])``) that records, every
    ``every`` steps, ``{"fd": ...}``: the ``fd_to_data`` of ``n`` samples drawn with a generator
    seeded by ``sample_seed`` (default: ``seed``), in the space of the feature network of ``seed``.
    The values land in ``history["events"]`` with their step."""
    draw_seed = seed if sample_seed is None else sample_seed

    def measure(step, model, logs):
        if (step + 1) % every == 0:
            samples = model.sample(n, torch.Generator().manual_seed(draw_seed))
            return {"fd": fd_to_data(samples, dataset, seed=seed, reference=reference, feature_steps=feature_steps)}

    return measure


def d_gap_callback(every: int, dataset: str, n: int = 500, train_size: int = 0):
    """A training-loop callback that records, every ``every`` steps, whether the discriminator tells
    the digits it trains on from digits it never saw: ``{"d_train": ..., "d_heldout": ...}``, the mean
    of ``D(x)`` (eval mode: no dropout) over the first ``n`` images of the training split (among the
    first ``train_size``, the run's own: 0 for the whole split) and over the first ``n`` of the
    validation split. A discriminator that generalises scores both alike; one that memorises its
    training digits scores them higher, and the generator then chases the training set's points."""
    train_x = data.load(dataset, "train").x
    train_x = train_x[: min(n, train_size or len(train_x))]
    held_x = data.load(dataset, "valid").x[:n]

    def measure(step, model, logs):
        if (step + 1) % every == 0:
            return {"d_train": float(model.d_prob(train_x).mean()), "d_heldout": float(model.d_prob(held_x).mean())}

    return measure


def nearer_training(samples, dataset: str, n: int = 500) -> dict:
    """Does a generator copy its training images? Each sample's nearest neighbour (Euclidean, in
    pixels) among ``n`` training images (the first ``n``, which every run of the split trained on)
    and ``n`` validation images, which no run saw: ``share``, the share of samples whose nearest
    neighbour is a training image. A model of the distribution gives about one half, as real
    images that neither set holds do (``share_real``: the test split's); a generator that copies
    its training images gives more."""
    train = data.load(dataset, "train").x[:n].flatten(1)
    held = data.load(dataset, "valid").x[:n].flatten(1)
    if len(train) < n or len(held) < n:
        raise ValueError(f"{dataset} has fewer than {n} training or validation images")

    def share(x):
        x = x.flatten(1)
        d_train = torch.cdist(x, train, compute_mode="donot_use_mm_for_euclid_dist").min(1).values
        d_held = torch.cdist(x, held, compute_mode="donot_use_mm_for_euclid_dist").min(1).values
        return float((d_train < d_held).float().mean())

    return {"share": share(samples), "share_real": share(data.load(dataset, "test").x)}


def evaluate(samples, dataset: str, seed: int = 0, n: int | None = None, progress=None,
             feature_steps: int | None = None) -> dict:
    """The standard block of numbers for image samples of ``dataset``.

    ``samples`` is a tensor of images, or a trained model: then 10,000 samples (or ``n``) are
    drawn from it with a generator seeded by ``seed``.

    Reference set: the training split (at most 10,000 images). Generated samples and held-out
    real images (validation then test split) are compared with it in equal numbers,
    ``n_samples = min(n, len(samples), len(held-out))``: the real-vs-real row is the floor a
    perfect model would reach with that many samples. Every number, the classifier's scores and
    the classes covered included, uses those ``n_samples`` of each side (the rest of a larger
    sample, e.g. the 10,000 of a Parzen window, is not scored again here).
    """
    if not isinstance(samples, torch.Tensor):
        samples = samples.sample(n or 10_000, torch.Generator().manual_seed(seed))
    run = feature_net(dataset, seed, progress, feature_steps)
    net = run.model
    held = [data.load(dataset, "valid"), data.load(dataset, "test")]
    held_x = torch.cat([h.x for h in held])
    m = min(len(samples), len(held_x), n if n is not None else len(samples))

    def real_side():  # everything that does not depend on the samples
        ref = net.features(data.load(dataset, "train").x[:10_000])
        real = net.features(held_x[:m])
        scores_real = classifier_scores(net.probabilities(held_x[:m]))
        return {
            "ref": ref,
            "fd_real": frechet_distance(ref, real),
            "kid_real": kernel_distance(ref, real, seed=seed)[0],
            **{f"{k}_real": v for k, v in precision_recall(ref[: max(m, 1)], real).items()},
            "classifier_score_real": scores_real["classifier_score"],
            "classes_covered_real": scores_real["classes_covered"],
            "classifier_accuracy": classifier_accuracy(net, held[1]),
            "sharpness_real": sharpness(held_x[:m])["sharpness"],
        }

    real = _real_side(run, "evaluate", dataset, seed, m, compute=real_side)
    ref = real["ref"]
    fake = net.features(samples[:m])
    kid, kid_std = kernel_distance(ref, fake, seed=seed)
    pr = precision_recall(ref[: max(m, 1)], fake)
    scores = classifier_scores(net.probabilities(samples[:m]))
    return {
        "fd": frechet_distance(ref, fake),
        "fd_real": real["fd_real"],
        "kid": kid,
        "kid_std": kid_std,
        "kid_real": real["kid_real"],
        **pr,
        **{f"{k}_real": real[f"{k}_real"] for k in pr},
        **scores,
        "classifier_score_real": real["classifier_score_real"],
        "classes_covered_real": real["classes_covered_real"],
        "classifier_accuracy": real["classifier_accuracy"],
        "sharpness": sharpness(samples[:m])["sharpness"],
        "sharpness_real": real["sharpness_real"],
        "n_samples": m,
        "n_reference": len(ref),
        "feature_space": f"gdm classifier ({net.num_features}-d), {dataset}",
    }
