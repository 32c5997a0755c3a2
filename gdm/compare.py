"""The closing comparison: every chapter's results file read into common tables.

Nothing here trains. The inputs are the records of ``gdm.results.collect()`` (one per chapter)
and the samples kept by ``results.write(samples=...)``. What the comparison chapter needs and the
chapters do not hold themselves is a little knowledge about the models, kept in ``MODELS``: the
family of each, whether it has a recognition model (an encoder giving codes of real data), and
what it says about the density of the data.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .metrics import sharpness
from .toys import short_reading


@dataclass(frozen=True)
class ModelFacts:
    name: str  # as the book names it
    family: str  # adversarial | moment matching | auto-encoder
    encoder: str  # the recognition model, "" when there is none
    density: str  # what the model gives of p(x)


ADVERSARIAL, MOMENTS, AUTOENCODER = "adversarial", "moment matching", "auto-encoder"

#: by registry key (= chapter slug); lsgan is chapter 04's baseline
MODELS = {
    "gan": ModelFacts("GAN", ADVERSARIAL, "", "implicit: samples only"),
    "fgan": ModelFacts("f-GAN", ADVERSARIAL, "", "implicit: samples only (the critic bounds a divergence)"),
    "wgan": ModelFacts("WGAN", ADVERSARIAL, "", "implicit: samples only (the critic estimates W1)"),
    "wgan_gp": ModelFacts("WGAN-GP", ADVERSARIAL, "", "implicit: samples only (the critic estimates W1)"),
    "lsgan": ModelFacts("LSGAN", ADVERSARIAL, "", "implicit: samples only"),
    "ebgan": ModelFacts("EBGAN", ADVERSARIAL, "the discriminator's encoder (not an inference model)",
                        "implicit: samples only (an energy, not normalised)"),
    "began": ModelFacts("BEGAN", ADVERSARIAL, "the discriminator's encoder (not an inference model)",
                        "implicit: samples only"),
    "infogan": ModelFacts("InfoGAN", ADVERSARIAL, "Q(c | x): the codes c only, not z", "implicit: samples only"),
    "gmmn": ModelFacts("GMMN", MOMENTS, "", "implicit: samples only"),
    "mmd_gan": ModelFacts("MMD-GAN", MOMENTS, "the critic's encoder (not an inference model)", "implicit: samples only"),
    "vae": ModelFacts("VAE", AUTOENCODER, "q(z | x), Gaussian", "explicit: a lower bound (ELBO) and importance-weighted estimates"),
    "beta_vae": ModelFacts("β-VAE", AUTOENCODER, "q(z | x), Gaussian", "explicit: a lower bound for β = 1 only"),
    "aae": ModelFacts("AAE", AUTOENCODER, "q(z | x), deterministic", "implicit: samples only (no bound; the paper uses Parzen)"),
    "wae": ModelFacts("WAE", AUTOENCODER, "q(z | x), deterministic", "implicit: samples only (no bound)"),
}

#: names of the variants that chapters measure under keys of their own (``metrics.toy.<key>``)
VARIANTS = {"wae_mmd": "WAE-MMD", "wae_gan": "WAE-GAN", "fgan_kl": "f-GAN (KL)", "fgan_reverse_kl": "f-GAN (reverse KL)",
            "fgan_jensen_shannon": "f-GAN (JS)"}


def facts_of(key: str) -> ModelFacts | None:
    """The facts of a registry key or of a variant key ``<registry key>_<variant>`` (named by
    :data:`VARIANTS`, else ``"<model> (<variant>)"``)."""
    if key in MODELS:
        return MODELS[key]
    for base in sorted(MODELS, key=len, reverse=True):
        if key.startswith(base + "_"):
            b = MODELS[base]
            return ModelFacts(VARIANTS.get(key, f"{b.name} ({key[len(base) + 1:]})"), b.family, b.encoder, b.density)
    return None


#: the standard block's columns, as the comparison shows them
STANDARD = {"fd": "FD ↓", "kid": "KD ↓", "precision": "precision ↑", "recall": "recall ↑",
            "classes_covered": "classes", "sharpness": "sharpness"}


def lookup(record: dict, dotted: str):
    """``record``'s value at ``"a.b.c"`` (None where any part is missing). Keys that contain dots
    themselves (``gamma.0.5``: the key ``"0.5"``) are matched whole, the longest first."""
    value, parts = record, dotted.split(".")
    while parts:
        if not isinstance(value, dict):
            return None
        for n in range(len(parts), 0, -1):
            key = ".".join(parts[:n])
            if key in value:
                value, parts = value[key], parts[n:]
                break
        else:
            return None
    return value


def in_book_order(records: dict[str, dict]) -> dict[str, dict]:
    """``records`` sorted by their chapter (``"01 GAN"`` before ``"10 VAE"``)."""
    return dict(sorted(records.items(), key=lambda kv: str(kv[1].get("chapter", kv[0]))))


def _budget(record: dict) -> str:
    cfg = record.get("config", {})
    steps, batch = cfg.get("steps"), cfg.get("batch_size")
    parts = []
    if steps and batch:
        parts.append(f"{steps:,} × {batch}")
    if record.get("seconds"):
        parts.append(f"{record['seconds'] / 60:.1f} min")
    return ", ".join(parts)


def standard_rows(records: dict[str, dict], samples: dict | None = None) -> dict[str, dict]:
    """One row per chapter whose results carry the standard block (image samples of the same
    data set), in the book's order: the headline model's FD, KD, precision, recall, classes
    covered, sharpness (from the block, else measured on the kept samples), its family and its
    training budget. A final row holds the real-data floor."""
    rows, floor = {}, None
    for slug, rec in records.items():
        m = rec.get("metrics", {})
        if not isinstance(m.get("fd"), (int, float)):
            continue
        row = {k: m.get(k) for k in STANDARD}
        if row["sharpness"] is None and samples and samples.get(slug) is not None:
            row["sharpness"] = sharpness(samples[slug])["sharpness"]
        facts = MODELS.get(slug)
        row.update(chapter=rec.get("chapter", slug), slug=slug, family=facts.family if facts else "",
                   headline=m.get("headline_model") or m.get("headline") or (facts.name if facts else slug),
                   budget=_budget(rec), data=m.get("feature_space", ""))
        rows[facts.name if facts else slug] = row
        candidate = {"fd": m.get("fd_real"), "kid": m.get("kid_real"), "precision": m.get("precision_real"),
                     "recall": m.get("recall_real"), "classes_covered": m.get("classes_covered_real"),
                     "sharpness": m.get("sharpness_real")}
        known = sum(v is not None for v in candidate.values())
        if known and (floor is None or known > sum(floor[k] is not None for k in candidate)):  # the fullest floor
            floor = {**candidate, "family": "", "headline": "held-out real digits", "budget": "", "chapter": "", "slug": ""}
    if floor is not None:
        rows["real data"] = floor
    return rows


def toy_rows(records: dict[str, dict], reference: dict | None = None) -> dict[str, dict]:
    """Mode coverage on the ring and the grid for every model any chapter measured it for
    (``metrics.toy.<model>.<ring|grid>``), first come first served in the book's order. With
    ``reference`` (``gdm.toys.reference()``), each toy's ``<toy>_reading`` too: the seeds' kinds
    beside the uniform cloud (``gdm.toys.short_reading``)."""
    rows = {}
    for slug, rec in records.items():
        toy = lookup(rec, "metrics.toy")
        if not isinstance(toy, dict):
            continue
        for model, block in toy.items():
            if not isinstance(block, dict) or not any(k in block for k in ("ring", "grid")):
                continue
            facts = facts_of(model)
            name = facts.name if facts else model
            if name in rows:
                continue
            row = {"chapter": rec.get("chapter", slug), "family": facts.family if facts else ""}
            for toy_name in ("ring", "grid"):
                b = block.get(toy_name) or {}
                for key in ("modes_covered", "modes_covered_std", "modes_total", "high_quality", "high_quality_std", "seeds"):
                    row[f"{toy_name}_{key}"] = b.get(key)
                if reference is not None:
                    row[f"{toy_name}_reading"] = (short_reading(b, reference[toy_name]["uniform"])
                                                  if "modes_covered" in b and "high_quality" in b else None)
            rows[name] = row
    return rows


def family_means(rows: dict[str, dict], key: str) -> dict[str, float]:
    """The mean of ``key`` over the rows of each family (rows without a finite value left out)."""
    out = {}
    for fam in (ADVERSARIAL, MOMENTS, AUTOENCODER):
        vals = [r[key] for r in rows.values() if r.get("family") == fam and isinstance(r.get(key), (int, float))
                and math.isfinite(r[key])]
        if vals:
            out[fam] = sum(vals) / len(vals)
    return out


def _value(rec: dict, spec):
    """A literal (str), or ``{"paths": [...], "fmt": "...", "scale": x, "each": "..."}``: the values
    at the dotted paths, formatted; None when any is missing. ``each``: a value that is a list (e.g.
    one number per seed) is written as its elements, each formatted so, joined by ", "."""
    if spec is None or isinstance(spec, str):
        return spec
    vals = [lookup(rec, p) for p in spec["paths"]]
    if any(v is None for v in vals):
        return None
    vals = [v * spec.get("scale", 1) if isinstance(v, (int, float)) and not isinstance(v, bool) else v for v in vals]
    if "each" in spec:
        vals = [", ".join(spec["each"].format(x) for x in v) if isinstance(v, list) else v for v in vals]
    return spec.get("fmt", " / ".join(["{}"] * len(vals))).format(*vals)


def paper_rows(records: dict[str, dict], spec: list[dict]) -> list[dict]:
    """"Paper vs ours": for each entry of ``spec`` (``slug``, ``quantity``, ``paper``, ``ours``,
    ``data``, ``why``), the two values read from the chapter's record (``ours`` and ``paper`` as in
    ``_value``); entries whose chapter has no results file are left out, and a value that the
    record lacks shows as "not measured"."""
    out = []
    for s in spec:
        rec = records.get(s["slug"])
        if rec is None:
            continue
        ours, paper = _value(rec, s.get("ours")), _value(rec, s.get("paper"))
        out.append({"chapter": rec.get("chapter", s["slug"]), "quantity": s["quantity"],
                    "paper": "not given" if paper is None else paper, "ours": "not measured" if ours is None else ours,
                    "data": s.get("data", ""), "why": s.get("why", "")})
    return out


def learned_nothing(rows: dict[str, dict], min_precision: float = 0.05) -> list[str]:
    """The models whose samples are almost never digits (precision below ``min_precision``) or fall
    into one class: rows of ``standard_rows`` (the real-data row left out)."""
    return [k for k, r in rows.items() if k != "real data"
            and ((r.get("precision") or 0) < min_precision or (r.get("classes_covered") or 0) <= 1)]


def family_table(rows: dict[str, dict], toys: dict[str, dict]) -> dict[str, dict]:
    """The seminar's claims by family: from ``standard_rows`` (``rows``) the means of classes
    covered, recall, precision and sharpness and the count of models that learned nothing; from
    ``toy_rows`` (``toys``) the mean share of modes covered and the mean spread over seeds (as a
    share of the modes) per toy. A last row holds the real data's values."""
    models = {k: r for k, r in rows.items() if k != "real data"}
    nothing = learned_nothing(models)
    table: dict[str, dict] = {}
    for key, label in (("classes_covered", "classes covered (of 10)"), ("recall", "recall"),
                       ("precision", "precision"), ("sharpness", "sharpness")):
        for fam, v in family_means(models, key).items():
            table.setdefault(fam, {})[label] = v
    for toy, total in (("ring", 8), ("grid", 25)):
        share = {n: {**r, "share": (r.get(f"{toy}_modes_covered") or 0) / total,
                     "spread": (r.get(f"{toy}_modes_covered_std") or 0) / total} for n, r in toys.items()}
        for fam, v in family_means(share, "share").items():
            table.setdefault(fam, {})[f"{toy}: share of modes covered"] = v
        for fam, v in family_means(share, "spread").items():
            table.setdefault(fam, {})[f"{toy}: spread over seeds"] = v
    for fam in table:
        table[fam]["learned nothing"] = sum(1 for k in nothing if models[k]["family"] == fam)
        table[fam]["models"] = sum(1 for r in models.values() if r["family"] == fam)
    real = rows.get("real data", {})
    table["real data"] = {"classes covered (of 10)": real.get("classes_covered"), "recall": real.get("recall"),
                          "precision": real.get("precision"), "sharpness": real.get("sharpness")}
    return table
