"""gdm.readings: every sentence of a chapter's prose that reads a result is recomputed from the
committed results file and compared with what the executed notebook shows; and the sentences
follow their record (a verdict or a number changed in a record changes them)."""
import copy
import json
from pathlib import Path

import pytest

from gdm import readings
from gdm.errors import UnknownNameError

from test_ledger_book import glued, notebook_of

REPO = Path(__file__).resolve().parent.parent


def record(slug):
    return json.loads((REPO / "results" / f"{slug}.json").read_text())


@pytest.mark.parametrize("slug", readings.chapters())
def test_every_reading_the_notebook_shows_recomputes_from_its_results_file(slug):
    nb = notebook_of(slug)
    shown = glued(nb)
    prose = "".join("".join(c["source"]) for c in json.loads(nb.read_text())["cells"] if c["cell_type"] == "markdown")
    for name, text in readings.texts(slug, record(slug)).items():
        assert shown.get(name) == repr(text), f"{nb.name}: {name} is not what results/{slug}.json gives: re-execute it"
        assert f"{{glue:text}}`{name}`" in prose, f"{nb.name}'s prose does not print the reading {name}"


def test_an_unknown_chapter_is_named_with_the_known_ones():
    with pytest.raises(UnknownNameError, match="fgan"):
        readings.texts("no_such_chapter", {})


def test_the_prose_helpers():
    assert readings.upper("reverse KL and KL") == "Reverse KL and KL"
    assert [readings.and_list(x) for x in ([], ["a"], ["a", "b"], ["a", "b", "c"])] == ["", "a", "a and b", "a, b and c"]


def _with_verdict(rec, claim_id, verdict, reason="the seeds disagree"):
    rec = copy.deepcopy(rec)
    for c in rec["claims"]:
        if c["id"] == claim_id:
            c["verdict"], c["reason"] = verdict, reason
    return rec


def test_fgan_sentences_follow_the_verdicts_and_the_numbers_of_their_record():
    rec = record("fgan")
    base = readings.texts("fgan", rec)
    for verdict in ("holds", "fails", "inconclusive"):
        t = readings.texts("fgan", _with_verdict(rec, "fgan.fit_direct", verdict))["discussion_fit"]
        assert (t == base["discussion_fit"]) == (verdict == next(c for c in rec["claims"]
                                                                 if c["id"] == "fgan.fit_direct")["verdict"])
    assert readings.texts("fgan", _with_verdict(rec, "fgan.alt_reverse", "holds"))["alt_read"].startswith(
        "The fit settles where the reverse KL is stationary")
    # no diverged critic run: the inconclusive sentence gives the ledger's reason instead
    calm = _with_verdict(rec, "fgan.alt_critic", "inconclusive", reason="the seeds disagree")
    calm["metrics"]["alt"]["diverged_at"] = {}
    assert "not decided (the seeds disagree)" in readings.texts("fgan", calm)["alt_read"]
    # a diverged MNIST run is named, and a number of the record is the number of the sentence
    changed = copy.deepcopy(rec)
    changed["metrics"]["mnist_seeds"]["diverged"] = {"kl": ["seed 2 (NaN)"]}
    changed["metrics"]["fit_seeds"]["worst"][0] = 0.4321
    t = readings.texts("fgan", changed)
    assert t["diverged_text"] == "Diverged (NaN, no samples): KL seed 2 (NaN). " and "0.432" in t["distances"]
    # every seed's fit within the tolerance at half the budget, or not
    settled = copy.deepcopy(rec)
    for a in settled["metrics"]["alt"]["settled"]:
        settled["metrics"]["alt"]["settled"][a] = [0.01] * rec["config"]["seeds"]
    t = readings.texts("fgan", settled)
    assert t["k1_settled_read"].startswith("within the ledger's tolerance") and t["unsettled"] == ""
    settled["metrics"]["alt"]["settled"]["k1"][0] = 0.2
    t = readings.texts("fgan", settled)
    assert t["k1_settled_read"].startswith("beyond the ledger's tolerance") and "on seed 0 (0.200)" in t["unsettled"]
    # the 2-D mixture: quality paid for covering, and the failure following the divergence, or not
    flat = copy.deepcopy(rec)
    flat["metrics"]["modes2d"]["kl"]["high_quality"] = [0.995] * rec["config"]["seeds"]
    flat["metrics"]["modes2d"]["kl"]["modes_covered"] = [1] * rec["config"]["seeds"]
    t = readings.texts("fgan", flat)
    assert t["price_read"].startswith("Covering is not paid") and "does not follow the divergence" in t["failure_read"]
