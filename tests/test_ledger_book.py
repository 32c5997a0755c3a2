"""Every verdict of the book recomputed from the committed results, and the committed text checked
against it: a chapter cannot print a verdict its numbers do not give, nor keep a ledger whose rules
changed after its runs."""
import json
import re
from pathlib import Path

import pytest

from gdm import claims
from gdm.claims import _report

REPO = Path(__file__).resolve().parent.parent
CALIBRATION = json.loads((REPO / "results" / "calibration.json").read_text())
REQUIRED = ("id", "statement", "rule", "seeds", "value", "spread", "verdict", "paper", "paper_confirmed")


def notebook_of(slug: str) -> Path:
    for nb in sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        meta = json.loads(nb.read_text())
        record = re.search(r'results\.write\(\s*"([a-z_]+)"', "".join("".join(c["source"]) for c in meta["cells"]))
        if record and record.group(1) == slug:
            return nb
    raise AssertionError(f"no notebook writes results/{slug}.json")


def glued(nb: Path) -> dict:
    out = {}
    for cell in json.loads(nb.read_text())["cells"]:
        for o in cell.get("outputs", []):
            name = o.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                out[name] = o["data"].get("application/papermill.record/text/plain")
    return out


@pytest.mark.parametrize("slug", claims.chapters())
def test_every_verdict_recomputes_from_the_committed_results(slug):
    record = json.loads((REPO / "results" / f"{slug}.json").read_text())
    assert "claims" in record, f"chapter {slug} has a ledger but its results file carries none: execute it"
    declared = {c.id: c for c in claims.claims_of(slug)}
    assert [r["id"] for r in record["claims"]] == list(declared), "the ledger's claims and the results' differ"
    context = {"metrics": record["metrics"], "calibration": CALIBRATION}
    for r in record["claims"]:
        assert all(k in r for k in REQUIRED)
        again = claims.verdict(declared[r["id"]], context)
        assert again["rule"] == r["rule"] and again["requires"] == r["requires"], \
            f"{r['id']}: the rule changed after the run (re-execute the chapter with the rule fixed in advance)"
        assert again["verdict"] == r["verdict"] and again["text"] == r["text"], r["id"]
        assert r["seeds"] >= claims.MIN_SEEDS or r["verdict"] == "inconclusive" or not declared[r["id"]].reads_model


@pytest.mark.parametrize("slug", claims.chapters())
def test_the_committed_notebook_prints_what_the_ledger_decided(slug):
    record = json.loads((REPO / "results" / f"{slug}.json").read_text())
    nb = notebook_of(slug)
    values = glued(nb)
    prose = "".join("".join(c["source"]) for c in json.loads(nb.read_text())["cells"] if c["cell_type"] == "markdown")
    for r in record["claims"]:
        key = claims.glue_key(r["id"])
        assert values.get(key) == repr(r["text"]), f"{nb.name}: the sentence of {r['id']} is not the ledger's"
        assert values.get(f"{key}_verdict") == repr(r["verdict"]), f"{nb.name}: {r['id']}'s verdict"
        if f"{{glue:text}}`{key}_cap`" in prose:
            assert values.get(f"{key}_cap") == repr(r["text"][:1].upper() + r["text"][1:]), f"{nb.name}: {r['id']}"
        assert f"{{glue:text}}`{key}`" in prose or f"{{glue:text}}`{key}_cap`" in prose, \
            f"{nb.name}'s prose does not print the sentence of {r['id']}"
    cited = set(re.findall(r"\{glue:text\}`(claim_[a-z0-9_]+)`", prose))
    known = {claims.glue_key(r["id"]) + s for r in record["claims"] for s in ("", "_cap", "_verdict")}
    assert cited <= known, f"{nb.name} cites claims the ledger does not have: {sorted(cited - known)}"


def test_the_reproduction_page_is_current():
    assert (REPO / "book" / "reproduction.md").read_text() == _report.markdown(REPO), \
        "book/reproduction.md is stale: run `python -m gdm.claims report`"


def test_every_quoted_paper_number_is_flagged_unless_confirmed():
    from gdm.claims._papers import PAPER_NUMBERS

    page = (REPO / "book" / "reproduction.md").read_text()
    for slug, entries in PAPER_NUMBERS.items():
        assert (REPO / "results" / f"{slug}.json").exists(), slug
        for what, paper in entries:
            assert paper.source and paper.setting, (slug, what)
            assert (f"{paper.value} ⚠ unconfirmed" in page) != paper.confirmed, (slug, what)


def test_every_chapter_shows_its_paper_numbers_with_their_flags():
    # the flag is visible where the number is read, not only on the report page
    from gdm.claims._papers import PAPER_NUMBERS

    for slug in PAPER_NUMBERS:
        nb = notebook_of(slug)
        shown = "".join("".join(o.get("data", {}).get("text/markdown", ""))
                        for c in json.loads(nb.read_text())["cells"] for o in c.get("outputs", []))
        assert claims.paper_note(slug) in shown, f"{nb.name} does not display claims.paper_note({slug!r})"
        for what, paper in PAPER_NUMBERS[slug]:
            assert ("⚠ unconfirmed" in claims.paper_note(slug)) or paper.confirmed
