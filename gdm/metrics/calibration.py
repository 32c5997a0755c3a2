"""Calibration: the standard block on references whose answer is known, and the rules that say
which of its numbers may be read as *quality*.

A metric is trusted as a measure of quality only where it ranks every degraded reference below
real digits. The references are built from the held-out digits (validation and test splits, the
images of the standard block's floor), so that every row is scored against the same training
digits with the same number of images as its own real-digit floor:

==================  =========================================================================
reference           what it is
==================  =========================================================================
``real``            the held-out digits themselves (the floor)
``uniform_noise``   pixels drawn uniformly in [0, 1]
``constant``        one flat image at the training digits' mean grey level, repeated
``blur3``           the held-out digits blurred with a 3 × 3 box filter (zero padding)
``blur5``           the same with a 5 × 5 box filter
``one_digit``       the first held-out digit, repeated
``class_removed``   the held-out digits without one class, for each class in turn (scored
                    against a floor with as many images)
==================  =========================================================================

``QUALITY`` names the metrics the ledger may read alone as quality (FD and KD lower is better;
recall and coverage higher). ``check`` turns a calibration into one record per (metric,
reference) and ``trusted`` into one boolean per metric; the tests require every ``QUALITY``
metric to be trusted. Measured on ``mnist5k``, precision and density are not (they score blurred
digits and one digit repeated as high as real digits, or higher), nor is the sharpness of all
samples (noise is sharper than digits), nor the classifier's confidence (it puts noise into one
class with probability above 0.9): sharpness is read only among *recognised* samples
(``gdm.metrics.recognition``). The book's bar for *recognisable* samples is the FD of ``blur3``.
"""
from __future__ import annotations

from pathlib import Path

import torch
import torch.nn.functional as F

from .. import data

#: metric -> +1 if higher is better, -1 if lower is better (the direction a quality reading takes)
DIRECTION = {"fd": -1, "kid": -1, "precision": 1, "recall": 1, "density": 1, "coverage": 1,
             "precision_k5": 1, "recall_k5": 1, "density_k5": 1, "coverage_k5": 1,
             "classifier_score": 1, "classes_covered": 1, "sharpness": 1, "confident_share": 1,
             "recognised_share": 1, "recognised_sharpness": 1}
#: metrics the ledger may read alone as quality (each must rank every degraded reference below real)
QUALITY = ("fd", "kid", "recall", "coverage")
#: references that are degraded digits (every one must score worse than ``real`` on a quality metric)
DEGRADED = ("uniform_noise", "constant", "blur3", "blur5", "one_digit", "class_removed")
#: the reference whose FD is the book's bar for recognisable samples
RECOGNISABLE = "blur3"
#: per metric, the references it is calibrated on when not all of ``DEGRADED`` (a measure of blur
#: is not one of diversity: a real digit repeated is as sharp as real digits); a None value (the
#: metric refuses to read, e.g. no sample recognised) counts as ranked below real
REFERENCES = {"recognised_sharpness": ("uniform_noise", "constant", "blur3", "blur5"),
              "sharpness": ("uniform_noise", "constant", "blur3", "blur5")}


def box_blur(x: torch.Tensor, size: int) -> torch.Tensor:
    """Each image's mean over a ``size`` × ``size`` window (zero padding, stride 1)."""
    w = torch.full((1, 1, size, size), 1.0 / size**2, dtype=x.dtype)
    return F.conv2d(x, w, padding=size // 2)


def references(dataset: str, seed: int = 0) -> dict[str, torch.Tensor | dict[int, torch.Tensor]]:
    """The reference image sets of the calibration (``class_removed``: one set per class)."""
    held = [data.load(dataset, "valid"), data.load(dataset, "test")]
    x = torch.cat([h.x for h in held])
    y = torch.cat([h.y for h in held])
    g = torch.Generator().manual_seed(seed)
    grey = data.load(dataset, "train").x.mean().item()
    return {
        "real": x,
        "uniform_noise": torch.rand(x.shape, generator=g),
        "constant": torch.full_like(x, grey),
        "blur3": box_blur(x, 3),
        "blur5": box_blur(x, 5),
        "one_digit": x[:1].expand_as(x).clone(),
        "class_removed": {int(c): x[y != c] for c in y.unique()},
    }


def score(images: torch.Tensor, dataset: str, seed: int = 0, feature_steps: int | None = None) -> dict:
    """The standard block of ``images`` (``gdm.metrics.evaluate``), plus precision, recall, density and
    coverage with k = 5 (Naeem et al.'s recommendation) and the confidently recognised share."""
    from .features import evaluate, feature_net, precision_recall, recognition

    block = evaluate(images, dataset, seed=seed, feature_steps=feature_steps)
    net = feature_net(dataset, seed, None, feature_steps).model
    m = block["n_samples"]
    ref = net.features(data.load(dataset, "train").x[:10_000])
    held = torch.cat([data.load(dataset, s).x for s in ("valid", "test")])
    k5 = precision_recall(ref[:m], net.features(images[:m]), k=5)
    k5_real = precision_recall(ref[:m], net.features(held[:m]), k=5)
    conf, conf_real = recognition(images[:m], dataset, seed, feature_steps=feature_steps), recognition(held[:m], dataset, seed, feature_steps=feature_steps)
    out = {k: block[k] for k in ("fd", "fd_real", "kid", "kid_real", "precision", "recall", "density", "coverage",
                                 "precision_real", "recall_real", "density_real", "coverage_real",
                                 "classifier_score", "classifier_score_real", "classes_covered",
                                 "classes_covered_real", "sharpness", "sharpness_real", "n_samples")}
    out.update({f"{k}_k5": v for k, v in k5.items()})
    out.update({f"{k}_k5_real": v for k, v in k5_real.items()})
    out.update(conf)
    out.update({f"{k}_real": v for k, v in conf_real.items()})
    return out


def calibrate(dataset: str = "mnist5k", seed: int = 0, feature_steps: int | None = None,
              class_removed: bool = True) -> dict:
    """Score every reference; ``class_removed`` is the list of its per-class rows (``class_removed=False``
    leaves those ten out: the light calibration ``for_features`` makes for another feature network)."""
    from .features import feature_net

    refs = references(dataset, seed)
    if not class_removed:
        refs.pop("class_removed")
    rows = {}
    for name, images in refs.items():
        if isinstance(images, dict):
            rows[name] = [{"removed_class": c, **score(x, dataset, seed, feature_steps)} for c, x in images.items()]
        else:
            rows[name] = score(images, dataset, seed, feature_steps)
    return {"dataset": dataset, "seed": seed, "feature_net": feature_net(dataset, seed, None, feature_steps).id,
            "references": rows}


def for_features(dataset: str, seed: int = 0, feature_steps: int | None = None) -> dict:
    """The calibration made with the feature network a chapter's metrics use: the committed
    ``results/calibration.json`` when it is that network's, else one computed here without the ten
    class-removed rows (about a minute at mnist5k's size; e.g. for smoke runs, full MNIST or
    Fashion-MNIST) and kept as ``results/calibration-<feature net run>.json``."""
    import json

    from .. import paths
    from .features import feature_net

    net_id = feature_net(dataset, seed, None, feature_steps).id
    checkout = Path(__file__).resolve().parents[2] / "results"
    for path in (paths.results_dir() / "calibration.json", checkout / "calibration.json",
                 paths.results_dir() / f"calibration-{net_id}.json"):
        if path.exists():
            record = json.loads(path.read_text())
            if record.get("feature_net") == net_id:
                return record
    cal = calibrate(dataset, seed, feature_steps, class_removed=False)
    record = {**cal, "trusted": trusted(cal), "recognisable_fd": recognisable_bar(cal)}
    path = paths.results_dir() / f"calibration-{net_id}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    from ..results import _clean

    path.write_text(json.dumps(_clean(record), indent=1) + "\n")
    return record


def _worse(metric: str, value, real) -> bool:
    if value is None and metric in REFERENCES:
        return True
    if value is None or real is None:
        return False
    return (value - real) * DIRECTION[metric] < 0


def check(calibration: dict, metrics=None) -> list[dict]:
    """One record per (metric, degraded reference): is the reference scored strictly worse than real
    digits (its own floor, at its number of images)? ``class_removed`` holds only if every class does."""
    refs = calibration["references"]
    out = []
    for metric in metrics or DIRECTION:
        for name in REFERENCES.get(metric, DEGRADED):
            if name not in refs:  # a light calibration (for_features) has no class-removed rows
                continue
            rows = refs[name] if isinstance(refs[name], list) else [refs[name]]
            values = [r.get(metric) for r in rows]
            reals = [r.get(f"{metric}_real") for r in rows]
            holds = all(_worse(metric, v, r) for v, r in zip(values, reals))
            out.append({"metric": metric, "reference": name, "holds": holds,
                        "value": values[0] if len(values) == 1 else values,
                        "real": reals[0] if len(reals) == 1 else reals})
    return out


def trusted(calibration: dict) -> dict[str, bool]:
    """Per metric: does it rank every degraded reference below real digits?"""
    verdict: dict[str, bool] = {}
    for rec in check(calibration):
        verdict[rec["metric"]] = verdict.get(rec["metric"], True) and rec["holds"]
    return verdict


def recognisable_bar(calibration: dict) -> float:
    """The FD below which samples count as recognisable: that of the blurred (3 × 3) held-out digits."""
    return calibration["references"][RECOGNISABLE]["fd"]


def table(calibration: dict) -> str:
    """The calibration as a Markdown table (one row per reference; ``class_removed``: the mean over
    the classes removed, with the worst class's value where a rule reads it)."""
    cols = {"fd": "FD ↓", "kid": "KD ↓", "precision": "precision", "recall": "recall ↑", "density": "density",
            "coverage": "coverage ↑", "precision_k5": "precision k=5", "coverage_k5": "coverage k=5",
            "classes_covered": "classes", "sharpness": "sharpness", "recognised_share": "recognised",
            "recognised_sharpness": "sharpness of recognised"}
    names = {"real": "real digits (held out)", "uniform_noise": "uniform noise", "constant": "constant image",
             "blur3": "real digits, 3 × 3 box blur", "blur5": "real digits, 5 × 5 box blur",
             "one_digit": "one real digit repeated", "class_removed": "real digits, one class removed (mean of 10)"}

    def fmt(v):
        if v is None:
            return "–"
        if isinstance(v, int):
            return str(v)
        return f"{v:.3g}" if abs(v) < 1000 else f"{v:.0f}"

    lines = ["| reference | " + " | ".join(cols.values()) + " |", "|---|" + "---|" * len(cols)]
    for key, label in names.items():
        row = calibration["references"][key]
        if isinstance(row, list):
            row = {k: (None if any(r.get(k) is None for r in row) else
                       sum(r[k] for r in row) / len(row)) for k in cols}
        lines.append(f"| {label} | " + " | ".join(fmt(row.get(k)) for k in cols) + " |")
    return "\n".join(lines)


def rules_table(calibration: dict) -> str:
    """Per metric: trusted or not, and the references it ranks at or above real digits."""
    trust = trusted(calibration)
    failing: dict[str, list[str]] = {}
    for rec in check(calibration):
        if not rec["holds"]:
            failing.setdefault(rec["metric"], []).append(rec["reference"])
    lines = ["| metric | ranks every degraded reference below real digits | where it does not |", "|---|---|---|"]
    for metric, ok in trust.items():
        lines.append(f"| `{metric}` | {'yes' if ok else 'no'} | {', '.join(failing.get(metric, [])) or '–'} |")
    return "\n".join(lines)


def write(calibration: dict, path=None, table_path=None):
    """``results/calibration.json`` and the page's tables, ``book/_generated/calibration.md``."""
    import json

    from .. import paths
    from ..results import _clean

    path = path or paths.results_dir() / "calibration.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {**calibration, "quality": list(QUALITY), "trusted": trusted(calibration),
              "recognisable_fd": recognisable_bar(calibration), "rules": check(calibration)}
    path.write_text(json.dumps(_clean(record), indent=1) + "\n")
    table_path = table_path or paths.home() / "book" / "_generated" / "calibration.md"
    table_path.parent.mkdir(parents=True, exist_ok=True)
    table_path.write_text(page(record))
    return path


def page(record: dict) -> str:
    """The generated part of the page "How the book measures": the calibration's two tables."""
    return (f"<!-- generated by python -m gdm.metrics.calibration from results/calibration.json: do not edit -->\n\n"
            f"{table(record)}\n\n{rules_table(record)}\n")


if __name__ == "__main__":  # python -m gdm.metrics.calibration [dataset]
    import sys

    torch.set_num_threads(1)
    cal = calibrate(sys.argv[1] if len(sys.argv) > 1 else "mnist5k")
    print(f"wrote {write(cal)}")
