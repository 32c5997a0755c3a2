"""The reproduction report (``book/reproduction.md``): every claim of the book with its verdict,
and the paper's numbers against ours, from the committed results files."""
from __future__ import annotations

import importlib
import json
from pathlib import Path

from . import VERDICTS, chapters, table

HEADER = """# Reproduction report

This page is written by `python -m gdm.claims report` (which `python -m gdm.execute` runs after
executing chapters) from the results files `results/<chapter>.json`; do not edit it by hand.
A claim's verdict is computed from the chapter's measurements by the rule its ledger
(`gdm/claims/<chapter>.py`) fixed before the runs: **holds** when every training seed satisfies
the rule and the mean margin exceeds its spread over seeds, **fails** when every seed violates it
by more than the spread, *inconclusive* otherwise, or when fewer than 3 training seeds were read,
or when the models did not reach the regime the claim is about (e.g. samples no closer to digits
than heavily blurred ones). `tests/test_ledger_book.py` recomputes every verdict from the
results files and checks each chapter's text against it. The metrics a rule may read as quality
are those that rank every degraded reference below real digits (see {doc}`metrics`).
"""


def _results(root: Path) -> dict[str, dict]:
    out = {}
    for p in sorted((root / "results").glob("*.json")):
        record = json.loads(p.read_text())
        if p.stem in ("calibration", "execution", "benchmarks") or not isinstance(record, dict) or "chapter" not in record:
            continue  # not a chapter's results (the calibration, the executor's timings, the toys' convergence curves)
        out[p.stem] = record
    return out


def _paper_value(p: dict) -> str:
    return f"{p['value']}" + ("" if p["confirmed"] else " ⚠ unconfirmed")


def markdown(root: Path) -> str:
    files = _results(root)
    ledgers = set(chapters())
    records = []
    for slug, rec in sorted(files.items(), key=lambda kv: kv[1]["chapter"]):  # the book's order ("01 GAN", ...)
        for c in rec.get("claims", []):
            records.append({**c, "chapter": rec["chapter"]})
    counts = {v: sum(r["verdict"] == v for r in records) for v in VERDICTS}
    lines = [HEADER, "## Every claim in the ledger", ""]
    if records:
        lines.append(f"**{len(records)} claims: {counts['holds']} hold, {counts['fails']} fail, "
                     f"{counts['inconclusive']} inconclusive.**")
        lines += ["", table(records, chapter=True), ""]
    else:
        lines += ["No chapter's results carry a ledger yet.", ""]
    pending = sorted(rec["chapter"] for slug, rec in files.items() if slug not in ledgers and "claims" not in rec)
    if pending:
        lines += ["## Chapters whose claims are not yet in the ledger", "",
                  "These chapters read their results in prose only; their claims are not yet decided by rules "
                  "fixed before the runs, over seeds. Read their verdicts with that in mind.", "",
                  ", ".join(pending) + ".", ""]
    partial = []
    for slug in sorted(ledgers & set(files), key=lambda k: files[k]["chapter"]):
        rest = getattr(importlib.import_module(f"gdm.claims.{slug}"), "NOT_YET", "")
        if rest and slug in files:
            partial.append(f"- {files[slug]['chapter']}: {rest}")
    if partial:
        lines += ["## Chapters partly in the ledger", "",
                  "Their other claims are read in prose only, as above.", "", *partial, ""]
    lines += ["## The paper's numbers against ours", "",
              "Each number with what it is. ⚠ marks a paper's number not (yet) confirmed from the paper's text.", "",
              "| chapter | claim | the paper | what the paper's number is | source | ours (mean ± spread over seeds) | what ours is |",
              "|---|---|---|---|---|---|---|"]
    for r in records:
        p = r.get("paper")
        if not p:
            continue
        a, rule = r["a"], r.get("rule") or {}
        ours = (f"{sum(a) / len(a):.3g} ({_operand(rule.get('a'))}) against {sum(r['b']) / len(r['b']):.3g} "
                f"({_operand(rule.get('b'))})" if r.get("b") else f"{sum(a) / len(a):.3g}")
        cells = [r["chapter"], f"`{r['id']}`", _paper_value(p), p.get("setting", ""), p["source"],
                 f"{ours} ({r['rule_text']})", f"{r['measurement']}; {r['seeds']} training seeds"]
        lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |")
    from ._papers import PAPER_NUMBERS

    lines += ["", "## Every paper number the book quotes", "",
              "Including those of chapters not yet in the ledger; ⚠: not confirmed from the paper's text.", "",
              "| chapter | what | the paper | what the paper's number is | source |", "|---|---|---|---|---|"]
    for slug, entries in PAPER_NUMBERS.items():
        chapter = files.get(slug, {}).get("chapter", slug)
        for what, p in entries:
            cells = [chapter, what, _paper_value(p.as_dict()), p.setting, p.source]
            lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def _operand(path) -> str:
    """What a rule's operand measures, for a reader: ``per_seed.wae_mmd.fd`` -> ``wae_mmd``."""
    parts = str(path or "").split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "per_seed" else ".".join(parts[-2:])


def write(root: Path) -> Path:
    path = root / "book" / "reproduction.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(markdown(root))
    return path
