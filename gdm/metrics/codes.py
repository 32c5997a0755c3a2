"""What a generator's latent codes carry (InfoGAN's c1, c2, c3), measured.

- :func:`c1_accuracy`: Q's most likely category on held-out real images, matched one-to-one to the
  labels (Hungarian: the paper's protocol), with the confusion of categories and labels;
- :func:`code_r2`: the share of each continuous code's variance that Q's mean explains on fresh
  samples (1: Q reads the code back exactly; 0: no better than the code's mean);
- :func:`code_styles`: how each continuous code moves the style proxies of
  :mod:`gdm.metrics.styles` (slant, width, ink);
- :func:`codes_callback`: a training-loop callback that tracks c1's accuracy and, after the last
  update, records all of the above in the run's history, so that a run the store keeps without
  its nets is still read.

The model is anything with InfoGAN's interface (``q_codes``, ``latent``, ``generate``,
``info_bound``, ``cfg["n_categories"]`` and ``cfg["n_continuous"]``).
"""
from __future__ import annotations

import numpy as np
import torch

from .modes import clustering_accuracy, confusion_counts
from .styles import code_style_correlation


def held_out(dataset: str) -> tuple[torch.Tensor, torch.Tensor]:
    """The images and labels no run trains on: the validation and test splits of ``dataset``."""
    from .. import data

    parts = [data.load(dataset, "valid"), data.load(dataset, "test")]
    return torch.cat([p.x for p in parts]), torch.cat([p.y for p in parts])


def c1_accuracy(model, x: torch.Tensor, y: torch.Tensor) -> dict:
    """Q's argmax category on ``x`` matched to the labels ``y``: ``accuracy``, ``error``, ``mapping``
    (category -> label) and ``confusion`` (categories × labels counts, a nested list)."""
    logits, _, _ = model.q_codes(x)
    pred = logits.argmax(1).numpy()
    k, n_y = model.cfg["n_categories"], int(y.max()) + 1
    out = clustering_accuracy(pred, y.numpy(), n_clusters=k, n_classes=n_y)
    return {**out, "confusion": confusion_counts(pred, y.numpy(), k, n_y).tolist()}


def lost_digits(c1: dict) -> dict[int, dict]:
    """From a :func:`c1_accuracy` record (its ``confusion`` and ``mapping``, keys possibly strings as
    read back from JSON): the labels whose matched category holds less than half of them, each with
    ``share``, the share its matched category holds, and ``to``, the label matched to the category
    holding most of the rest (None: a category matched to no label)."""
    conf = np.asarray(c1["confusion"])
    to_label = {int(k): int(v) for k, v in c1["mapping"].items()}
    of_label = {v: k for k, v in to_label.items()}
    out = {}
    for d in range(conf.shape[1]):
        own = of_label.get(d)
        held = conf[own, d] if own is not None else 0
        if held < 0.5 * conf[:, d].sum():
            rest = conf[:, d].copy()
            if own is not None:
                rest[own] = -1
            out[d] = {"share": float(held / conf[:, d].sum()), "to": to_label.get(int(rest.argmax()))}
    return out


def code_r2(model, n: int, seed: int) -> list[float]:
    """Per continuous code, 1 − E[(Q's mean − c)²] / Var(c) on ``n`` fresh samples drawn with ``seed``."""
    lat = model.latent(n, torch.Generator().manual_seed(seed))
    c_cont = lat["c_cont"].cpu()
    _, mean, _ = model.q_codes(model.generate(lat["z"].cpu(), lat["c_index"].cpu(), c_cont))
    return (1 - (mean - c_cont).pow(2).mean(0) / c_cont.var(0)).tolist()


def code_styles(model, n_sequences: int, seed: int, values=None) -> list[dict]:
    """Per continuous code, :func:`~gdm.metrics.styles.code_style_correlation`: for ``n_sequences``
    draws of (z, c1) (seeded by ``seed``) the code set to each of ``values`` (default: nine values
    in [−1, 1], the prior's range), the other continuous codes at 0."""
    values = np.linspace(-1, 1, 9) if values is None else values
    m = model.cfg["n_continuous"]

    def sample_rest(n):
        lat = model.latent(n, torch.Generator().manual_seed(seed))
        return {"z": lat["z"].cpu(), "c_index": lat["c_index"].cpu()}

    out = []
    for j in range(m):
        def generate(rest, v, j=j):
            c_cont = torch.zeros(len(rest["z"]), m)
            c_cont[:, j] = v
            return model.generate(rest["z"], rest["c_index"], c_cont)
        out.append(code_style_correlation(generate, values, n_sequences, sample_rest))
    return out


def style_split(styles: list[dict], proxies=("slant", "width")) -> dict:
    """How cleanly two continuous codes split into a code of each of two proxies (InfoGAN's rotation
    and width, the paper's Figure 2): with ``styles`` per code (:func:`code_styles`), for each way of
    giving one proxy to each code, the smaller of the two specificities, |r(own code, proxy)| minus
    |r(other code, proxy)|; ``split`` is the larger over the two assignments (1: each code moves its
    proxy monotonically in every draw and the other code leaves it alone; 0 or less: no split), and
    ``assignment`` says which code got which proxy."""
    if len(styles) != 2:
        raise ValueError(f"a split of two proxies needs two continuous codes, got {len(styles)}")
    p, q = proxies
    best = None
    for own in ((0, 1), (1, 0)):  # own[k]: the code given proxy k
        spec = [abs(styles[own[0]][p]) - abs(styles[own[1]][p]), abs(styles[own[1]][q]) - abs(styles[own[0]][q])]
        score = min(spec)
        if best is None or score > best["split"]:
            best = {"split": float(score), "specificity": [float(x) for x in spec],
                    "assignment": {p: f"c{own[0] + 2}", q: f"c{own[1] + 2}"}}
    return best


def transformed(x: torch.Tensor, rotation: float = 0.0, widen: float = 0.0) -> torch.Tensor:
    """Images ``x`` (N, 1, H, W) rotated by ``rotation`` degrees (anticlockwise) and stretched
    horizontally by the factor exp(``widen``) about their centre (bilinear resampling)."""
    a = np.deg2rad(rotation)
    # affine_grid maps output coordinates to input ones: the inverse of rotate-then-stretch
    inv = torch.tensor([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]], dtype=torch.float32).T \
        @ torch.diag(torch.tensor([np.exp(-widen), 1.0], dtype=torch.float32))
    theta = torch.cat([inv, torch.zeros(2, 1)], 1).expand(len(x), 2, 3)
    grid = torch.nn.functional.affine_grid(theta, list(x.shape), align_corners=False)
    return torch.nn.functional.grid_sample(x, grid, align_corners=False).clamp(0, 1)


def reference_split(x: torch.Tensor, degrees: float = 20.0, widen: float = 0.25, values=None) -> dict:
    """What the proxies allow: two known "codes" applied to real digits ``x``, one rotating them by
    up to ±``degrees`` and one stretching them horizontally by up to exp(±``widen``), each at the
    values of :func:`code_styles` (default nine in [−1, 1]), scored as a generator's codes are
    (:func:`~gdm.metrics.styles.code_style_correlation`, :func:`style_split`). Slant and width are
    coupled (stretching a slanted digit changes its slant; rotating it changes its width), so even
    these perfectly separate transformations score a split below 1: the ceiling a generator's codes
    are read against."""
    values = np.linspace(-1, 1, 9) if values is None else values
    rest = lambda n: {"x": x[:n]}
    styles = [code_style_correlation(lambda r, v: transformed(r["x"], rotation=degrees * v), values, len(x), rest),
              code_style_correlation(lambda r, v: transformed(r["x"], widen=widen * v), values, len(x), rest)]
    return {**style_split(styles), "styles": styles, "degrees": degrees, "widen": widen}


def kmeans_accuracy(x: torch.Tensor, y: torch.Tensor, k: int = 10, seed: int = 0) -> float:
    """An unsupervised reference for :func:`c1_accuracy`: k-means with ``k`` clusters (10 restarts)
    on the pixels of ``x``, its clusters matched to the labels ``y`` in the same way."""
    from sklearn.cluster import KMeans

    clusters = KMeans(k, n_init=10, random_state=seed).fit_predict(x.flatten(1).numpy())
    return clustering_accuracy(clusters, y.numpy(), n_clusters=k)["accuracy"]


def style_row(styles: list[dict], split: dict, r2=None) -> dict:
    """One row of a chapter's table of continuous codes: per code its r with slant / width / ink,
    the split and its assignment (:func:`style_split`), and the codes' R² (:func:`code_r2`) if given."""
    row = {f"c{j + 2}": " / ".join(f"{st[k]:+.2f}" for k in ("slant", "width", "ink")) for j, st in enumerate(styles)}
    row.update(split=split["split"], who=f"slant {split['assignment']['slant']}, width {split['assignment']['width']}",
               r2="–" if r2 is None else " / ".join(f"{v:.2f}" for v in r2))
    return row


def measure(model, x: torch.Tensor, y: torch.Tensor, n: int, n_sequences: int, seed: int) -> dict:
    """Everything of this module on one model: ``c1`` (:func:`c1_accuracy`), ``bound`` (the model's
    ``info_bound`` on ``n`` samples: L_I of c1 and of the continuous codes, Q's accuracy on its own
    samples), ``r2`` (:func:`code_r2`) and ``styles`` (:func:`code_styles`)."""
    out = {"c1": c1_accuracy(model, x, y), "bound": model.info_bound(n, torch.Generator().manual_seed(seed))}
    if model.cfg["n_continuous"]:
        out["r2"] = code_r2(model, n, seed + 2)
        out["styles"] = code_styles(model, n_sequences, seed + 1)
    return out


def codes_callback(every: int, steps: int, dataset: str, n: int = 1000, n_sequences: int = 200, seed: int = 0):
    """A training-loop callback: every ``every`` updates ``{"c1_accuracy": ...}`` on the held-out
    digits of ``dataset`` (:func:`held_out`), and after the last of ``steps`` updates ``{"codes":
    measure(...)}`` with ``n`` samples and ``n_sequences`` style sequences, seeded by ``seed``."""
    x, y = held_out(dataset)

    def callback(step, model, logs):
        done = step + 1
        event = {}
        if done % every == 0 or done == steps:
            event["c1_accuracy"] = c1_accuracy(model, x, y)["accuracy"]
        if done == steps:
            event["codes"] = measure(model, x, y, n, n_sequences, seed)
        return event or None

    return callback


def recorded(run) -> dict:
    """The block :func:`codes_callback` recorded in ``run``'s history after its last update."""
    from ..errors import GdmError

    block = next((e["codes"] for e in run.history.get("events", []) if "codes" in e), None)
    if block is None:
        raise GdmError(f"run {run.id} was trained without gdm.metrics.codes.codes_callback: its codes were not "
                       "recorded; measure them with gdm.metrics.codes.measure, which needs its nets")
    return block
