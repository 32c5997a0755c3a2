"""The claims ledger: each chapter's claims as data, decided by rules fixed before the run.

A chapter declares its claims in ``gdm/claims/<slug>.py`` (``CLAIMS = [Claim(...), ...]``): the
paper's or seminar's statement, quoted, with where it is said; what is measured; the
:class:`Rule` that decides it, with its threshold; how many training seeds it reads; the paper's
number with its source and whether it was confirmed from the paper's text; and one sentence per
verdict, the prose the chapter prints. The notebook measures, then calls :func:`decide`, which
reads the measured values from the chapter's results (``metrics``, by dotted path) and computes
each verdict, never typed:

- the rule gives, per training seed, a **margin**: positive when the seed satisfies it;
- **holds**: every seed's margin is positive and their mean exceeds their spread (the sample
  standard deviation over seeds); **fails**: every margin is negative and the mean's size exceeds
  the spread; otherwise **inconclusive** (the seeds disagree, or the difference is smaller than its
  spread);
- a claim that reads a trained model is **inconclusive** with fewer seeds than it declares (at
  least ``MIN_SEEDS``: a paper-scale run with one seed decides nothing), and
  when a condition of its regime (``requires``: e.g. samples at least as good as blurred digits, a
  toy run nearer the modes than the uniform cloud) does not hold.

The records go into the results file (``claims``); ``tests/test_claims_ledger.py`` recomputes every
verdict from the committed results and checks the committed notebooks' text against it, and
``python -m gdm.claims report`` writes the reproduction page (``book/reproduction.md``).
"""
from __future__ import annotations

import importlib
import json
import math
import pkgutil
import re
import statistics
import string
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import GdmError, UnknownNameError

VERDICTS = ("holds", "fails", "inconclusive")
#: training seeds a claim that reads a trained model needs before it can hold or fail
MIN_SEEDS = 3
OPS = {">": 1.0, "<": -1.0}
#: a path starting with this prefix is read from results/calibration.json, not from the chapter's metrics
CALIBRATION = "@calibration."


class LedgerError(GdmError):
    """A claim or its measurement is malformed (a missing value, seeds that disagree with the ledger)."""


@dataclass(frozen=True)
class Paper:
    """A number the paper reports. ``confirmed``: checked against the paper's text (or the authors'
    code, ``source`` says which); an unconfirmed number is flagged wherever it is shown."""

    value: object
    source: str
    confirmed: bool
    setting: str = ""  # what the number is: data, split, sample counts, feature space, budget, seeds

    def as_dict(self) -> dict:
        return {"value": self.value, "source": self.source, "confirmed": self.confirmed, "setting": self.setting}


@dataclass(frozen=True)
class Rule:
    """Per seed s, ``a[s] op factor * b[s] + by`` (``b`` None: ``a[s] op by``); ``op`` is ">" or "<".

    ``a`` and ``b`` are dotted paths into the chapter's metrics whose values are per-seed lists
    (paired by seed: the same seeds in the same order), or single numbers (one seed, or a constant
    such as a reference's value); ``by`` is a number or a path to one (``@calibration.recognisable_fd``).
    The margin of a seed is ``(a - factor * b - by)`` times +1 for ">" and -1 for "<"."""

    a: str
    op: str
    b: str | None = None
    by: float | str = 0.0
    factor: float = 1.0
    text: str = ""  # the rule in words, for the ledger's table

    def __post_init__(self):
        if self.op not in OPS:
            raise LedgerError(f"a rule's op is '>' or '<', not {self.op!r}")

    def as_dict(self) -> dict:
        return {"a": self.a, "op": self.op, "b": self.b, "by": self.by, "factor": self.factor, "text": self.describe()}

    def describe(self) -> str:
        if self.text:
            return self.text
        rhs = "" if self.b is None else (self.b if self.factor == 1 else f"{self.factor:g} × {self.b}")
        by = self.by if isinstance(self.by, str) else (f"{self.by:g}" if self.by or self.b is None else "")
        rhs = " + ".join(x for x in (rhs, by) if x)
        return f"{self.a} {self.op} {rhs}"

    def margins(self, context: dict) -> tuple[list[float], dict]:
        a = _per_seed(resolve(self.a, context), self.a)
        b = _per_seed(resolve(self.b, context), self.b) if self.b is not None else None
        by = resolve(self.by, context) if isinstance(self.by, str) else self.by
        if by is None:  # a threshold that could not be computed (e.g. no rank correlation can pass): nothing is read
            return [None] * len(a), {"a": a, "b": b, "by": None}
        by = float(by)
        if b is not None and len(b) != len(a) and len(b) != 1 and len(a) != 1:
            raise LedgerError(f"{self.a} has {len(a)} seeds and {self.b} {len(b)}: a comparison pairs them by seed")
        n = max(len(a), len(b) if b is not None else 1)
        a = a * n if len(a) == 1 else a
        b = (b * n if len(b) == 1 else b) if b is not None else [0.0] * n
        sign = OPS[self.op]
        margins = [None if x is None or y is None else sign * (x - self.factor * y - by) for x, y in zip(a, b)]
        return margins, {"a": a, "b": b if self.b is not None else None, "by": by}


def not_blobs(path: str) -> Rule:
    """The regime of a claim on recall or classes: samples that are neither noise nor blobs (a noise
    image is "recalled" and classified too), an FD at ``path`` below that of real digits blurred 5 × 5."""
    return Rule(path, "<", by="@calibration.references.blur5.fd",
                text="FD below that of real digits blurred 5 × 5 (not noise, not blobs)")


def bar_texts(what: str, bar: str) -> dict:
    """The three sentences of a claim that every seed's ``what`` passes ``bar`` (a threshold rule),
    for ``Claim(texts=...)``; ``bar`` may use the fields, e.g. ``"blurred digits' {by:.0f}"``."""
    return {
        "holds": f"every seed's {what} passes the bar ({{a_mean:.3g}} ± {{a_spread:.2g}} against {bar})",
        "fails": f"no seed's {what} passes the bar ({{a_mean:.3g}} ± {{a_spread:.2g}} against {bar}): at "
                 "this budget the claim fails",
        "inconclusive": f"the {what} passes the bar on {{held}} of {{seeds}} seeds ({{a_mean:.3g}} ± {{a_spread:.2g}} "
                        f"against {bar}): inconclusive ({{reason}})",
    }


@dataclass(frozen=True)
class Claim:
    """One claim of a chapter. ``texts``: the sentence the chapter prints, one per verdict, a
    ``str.format`` template with the fields of :func:`fields` (``{a_mean}``, ``{b_mean}``, ``{value}``,
    ``{spread}``, ``{seeds}``, ``{held}``, ``{by}``, ``{reason}``, and the rule's ``{factor}`` with
    ``{b_factored}``, the factor times ``b_mean``)."""

    id: str
    statement: str
    source: str
    measurement: str
    rule: Rule
    seeds: int
    texts: dict
    requires: tuple = ()  # (Rule, ...): the regime the claim is about
    reads_model: bool = True
    paper: Paper | None = None

    def __post_init__(self):
        missing = [v for v in VERDICTS if v not in self.texts]
        if missing:
            raise LedgerError(f"claim {self.id!r} has no text for the verdict(s) {missing}: every verdict needs its sentence")
        if not self.id.replace("_", "").replace(".", "").isalnum():
            raise LedgerError(f"claim id {self.id!r}: letters, digits, '_' and '.' only")


def resolve(path, context: dict):
    """The value at dotted ``path`` in ``context["metrics"]`` (or in ``context["calibration"]`` for a
    path starting with ``@calibration.``); a number is itself."""
    if not isinstance(path, str):
        return path
    root, rest = (context.get("calibration"), path[len(CALIBRATION):]) if path.startswith(CALIBRATION) \
        else (context.get("metrics"), path)
    node = root
    for part in rest.split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            where = "results/calibration.json" if path.startswith(CALIBRATION) else "the chapter's metrics"
            raise LedgerError(f"the ledger reads {path!r}, which is not in {where} (no {part!r}): "
                              "the notebook must record that measurement before it decides its claims")
    return node


def _per_seed(value, path) -> list[float | None]:
    """Per-seed values; None where the measurement refuses to read (e.g. the sharpness of recognised
    samples when none is recognised): a claim that meets one is inconclusive, never decided."""
    values = value if isinstance(value, list) else [value]
    if not values or any(v is not None and (not isinstance(v, (int, float)) or isinstance(v, bool) or not math.isfinite(v))
                         for v in values):
        raise LedgerError(f"{path!r} must be a finite number (or None where it cannot be measured) or a list of them "
                          f"per seed, not {value!r}")
    return [None if v is None else float(v) for v in values]


def _holds(margins: list) -> tuple[str, float | None, float | None]:
    if any(m is None for m in margins):
        known = [m for m in margins if m is not None]
        return ("inconclusive", statistics.fmean(known) if known else None,
                statistics.stdev(known) if len(known) > 1 else None)
    mean = statistics.fmean(margins)
    spread = statistics.stdev(margins) if len(margins) > 1 else 0.0
    if all(m > 0 for m in margins) and mean > spread:
        return "holds", mean, spread
    if all(m < 0 for m in margins) and -mean > spread:
        return "fails", mean, spread
    return "inconclusive", mean, spread


def verdict(claim: Claim, context: dict) -> dict:
    """Decide ``claim`` on ``context`` (``{"metrics": ..., "calibration": ...}``): the record."""
    margins, values = claim.rule.margins(context)
    n = len(margins)
    decided, mean, spread = _holds(margins)
    sign = OPS[claim.rule.op]
    diffs = [None if m is None else sign * m for m in margins]  # a - factor * b - by, unsigned by the rule's direction
    reason = {"holds": "every seed satisfies the rule and the mean margin exceeds its spread",
              "fails": "every seed violates the rule and the mean margin exceeds its spread"}.get(decided, "")
    known = [m for m in margins if m is not None]
    if None in margins:
        missing = [i for i, m in enumerate(margins) if m is None]
        reason = f"no value on seed(s) {', '.join(map(str, missing))}: the measurement could not be read there"
    elif decided == "inconclusive":
        reason = ("the seeds disagree" if any(m > 0 for m in known) and any(m < 0 for m in known)
                  else "the difference is smaller than its spread over seeds")
    regime = []
    for cond in claim.requires:
        cm, _ = cond.margins(context)
        v = _holds(cm)[0]
        regime.append({"rule": cond.describe(), "verdict": v, "margins": cm})
    if claim.reads_model and n < max(MIN_SEEDS, claim.seeds):
        decided, reason = "inconclusive", f"{n} training seed(s): the ledger asks at least {max(MIN_SEEDS, claim.seeds)}"
    elif None not in margins and any(r["verdict"] != "holds" for r in regime):  # a missing value says so first
        bad = next(r for r in regime if r["verdict"] != "holds")
        decided, reason = "inconclusive", f"not in the regime the claim is about: {bad['rule']} does not hold"
    a, b = values["a"], values["b"]
    record = {
        "id": claim.id, "statement": claim.statement, "source": claim.source, "measurement": claim.measurement,
        "rule": claim.rule.as_dict(), "rule_text": claim.rule.describe(),
        "requires": [c.as_dict() for c in claim.requires], "regime": regime,
        "seeds": n, "per_seed": diffs, "value": sign * mean if mean is not None else None, "spread": spread,
        "a": a, "b": b, "by": values["by"], "verdict": decided, "reason": reason,
        "paper": claim.paper.as_dict() if claim.paper else None,
        "paper_confirmed": claim.paper.confirmed if claim.paper else None,
    }
    record["text"] = render(claim.texts[decided], record)
    return record


class _Formatter(string.Formatter):
    def format_field(self, value, spec):  # a value that could not be measured prints as "n/a"
        if isinstance(value, float) and math.isnan(value):
            return "n/a"
        if isinstance(value, float) and re.fullmatch(r"\.\d+g", spec):  # no "1.09e+03": see results.significant
            from ..results import significant

            return significant(value, int(spec[1:-1]))
        return super().format_field(value, spec)


def render(template: str, record: dict) -> str:
    """A claim's sentence for ``record``: ``template`` filled with :func:`fields`."""
    return _Formatter().format(template, **fields(record))


def fields(record: dict) -> dict:
    """The fields a claim's texts may use, from its record."""
    nan = float("nan")
    known = lambda xs: [x for x in xs if x is not None] if xs else []
    mean = lambda xs: statistics.fmean(known(xs)) if known(xs) else nan
    sd = lambda xs: statistics.stdev(known(xs)) if len(known(xs)) > 1 else (0.0 if known(xs) else nan)
    a, b = record["a"], record["b"]
    value, spread = record["value"], record["spread"]
    factor = record["rule"].get("factor", 1.0)
    return {"a_mean": mean(a), "a_spread": sd(a), "b_mean": mean(b), "b_spread": sd(b),
            "factor": factor, "b_factored": factor * mean(b),  # the rule's side b times its factor
            "value": nan if value is None else value, "spread": nan if spread is None else spread,
            "seeds": record["seeds"], "held": sum(1 for d in record["per_seed"]
                                                  if d is not None and (d > 0) == (record["rule"]["op"] == ">")),
            "by": nan if record["by"] is None else record["by"], "reason": record["reason"]}


# ----------------------------------------------------------------------------- ledgers
def chapters() -> list[str]:
    """The slugs with a ledger (a module ``gdm.claims.<slug>``)."""
    return sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if not m.name.startswith("_"))


def claims_of(slug: str) -> list[Claim]:
    """The declared claims of chapter ``slug``."""
    if slug not in chapters():
        raise UnknownNameError("chapter with a claims ledger", slug, chapters())
    return list(importlib.import_module(f"{__name__}.{slug}").CLAIMS)


def load_calibration(directory=None) -> dict:
    from .. import paths

    path = (Path(directory) if directory is not None else paths.results_dir()) / "calibration.json"
    if not path.exists():
        raise LedgerError(f"{path} is missing: run `python -m gdm.metrics.calibration` (about 3 minutes) first")
    return json.loads(path.read_text())


@dataclass
class Ledger:
    slug: str
    records: list = field(default_factory=list)

    def __getitem__(self, claim_id: str) -> dict:
        for r in self.records:
            if r["id"] == claim_id:
                return r
        raise UnknownNameError("claim", claim_id, [r["id"] for r in self.records])

    def counts(self) -> dict:
        return {v: sum(r["verdict"] == v for r in self.records) for v in VERDICTS}

    def table(self) -> str:
        return table(self.records)

    def glue(self) -> None:
        """Glue each claim's sentence (``claim_<id>``, dots as '_'), the same with its first letter
        capitalised for the start of a sentence (``claim_<id>_cap``) and its verdict
        (``claim_<id>_verdict``); the chapter shows the table itself (``display(Markdown(ledger.table()))``)."""
        from ..results import glue

        for r in self.records:
            key = glue_key(r["id"])
            glue(key, r["text"])
            glue(f"{key}_cap", r["text"][:1].upper() + r["text"][1:])
            glue(f"{key}_verdict", r["verdict"])


def glue_key(claim_id: str) -> str:
    return "claim_" + claim_id.replace(".", "_")


def decide(slug: str, metrics: dict, calibration: dict | None = None) -> Ledger:
    """Every declared claim of chapter ``slug`` decided on ``metrics`` (what the chapter measured,
    as it will be written to its results file) and the book's calibration."""
    from ..results import _clean

    declared = claims_of(slug)
    if calibration is None and any(_reads_calibration(c) for c in declared):
        calibration = load_calibration()
    context = {"metrics": _clean(metrics), "calibration": calibration}
    return Ledger(slug, [verdict(c, context) for c in declared])


def _reads_calibration(claim: Claim) -> bool:
    """Whether a claim's rule or regime reads ``results/calibration.json``."""
    return any(isinstance(p, str) and p.startswith(CALIBRATION)
               for rule in (claim.rule, *claim.requires) for p in (rule.a, rule.b, rule.by))


VERDICT_MARK = {"holds": "holds", "fails": "**fails**", "inconclusive": "*inconclusive*"}


def _num(x) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "–"
    return f"{x:.3g}" if abs(x) < 1e3 else f"{x:.0f}"


def _against(r: dict) -> str:
    """What a claim's measured values are compared with: the other side per seed (times the rule's
    factor, plus its offset), or the threshold."""
    rule, by = r["rule"], r["by"]
    if r["b"] is None:
        return _num(by)
    side = ", ".join(_num(x) for x in r["b"])
    factor = rule.get("factor", 1.0)
    side = side if factor == 1 else f"{factor:g} × ({side})"
    return side if not by else f"{side} {'+' if by > 0 else '−'} {_num(abs(by))}"


def table(records: list[dict], chapter: bool = False) -> str:
    """The ledger as a Markdown table: per claim the measured values per seed (the rule's left
    side), what they are compared with, and the verdict (the margins are in the records)."""
    head = ("| chapter " if chapter else "") + "| claim | rule | seeds | measured, per seed | against | verdict | paper |"
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in records:
        per = ", ".join(_num(x) for x in r["a"])
        paper = "–"
        if r.get("paper"):
            p = r["paper"]
            paper = f"{p['value']}" + ("" if p["confirmed"] else " (unconfirmed)")
        cells = ([r.get("chapter", "")] if chapter else []) + [
            f"`{r['id']}`: {r['statement']}", r["rule_text"], str(r["seeds"]),
            per, _against(r), VERDICT_MARK[r["verdict"]], paper]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def paper_note(slug: str) -> str:
    """The papers' numbers chapter ``slug`` quotes (``gdm/claims/_papers.py``), as Markdown for the
    chapter to display beside its Discussion: each with what it is, its source, and a visible ⚠
    where it is not confirmed from the paper's text. Empty for a chapter that quotes none."""
    from ._papers import PAPER_NUMBERS

    entries = PAPER_NUMBERS.get(slug, [])
    if not entries:
        return ""
    lines = ["**The paper's numbers quoted in this chapter** (⚠: not confirmed from the paper's text; "
             "the book's reproduction report lists every one):", ""]
    for what, p in entries:
        mark = "✓ confirmed" if p.confirmed else "⚠ unconfirmed"
        lines.append(f"- {what}: **{p.value}** ({p.setting}). {mark}: {p.source}.")
    return "\n".join(lines) + "\n"
