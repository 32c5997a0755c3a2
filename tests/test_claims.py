"""The claims ledger's engine: verdicts from rules over seeds (gdm.claims)."""
import math

import pytest

from gdm import claims
from gdm.claims import Claim, LedgerError, Paper, Rule

TEXTS = {"holds": "holds {a_mean:.1f}", "fails": "fails {value:.1f} ± {spread:.1f}", "inconclusive": "open: {reason}"}


def claim(rule, seeds=3, **kw):
    return Claim(id="t.x", statement="s", source="src", measurement="m", rule=rule, seeds=seeds, texts=TEXTS, **kw)


def decide(c, metrics, calibration=None):
    return claims.verdict(c, {"metrics": metrics, "calibration": calibration or {}})


def test_a_rule_that_holds_on_every_seed_beyond_its_spread_holds():
    r = decide(claim(Rule("a", ">", "b")), {"a": [5.0, 6.0, 7.0], "b": [1.0, 1.5, 2.0]})
    assert r["verdict"] == "holds"
    assert r["per_seed"] == [4.0, 4.5, 5.0]
    assert r["value"] == pytest.approx(4.5) and r["spread"] == pytest.approx(0.5)
    assert r["text"] == "holds 6.0"


def test_a_rule_that_should_fail_fails():
    r = decide(claim(Rule("a", ">", "b")), {"a": [1.0, 1.1, 0.9], "b": [3.0, 3.2, 2.9]})
    assert r["verdict"] == "fails"
    assert r["text"] == "fails -2.0 ± 0.1"


def test_seeds_that_disagree_read_inconclusive():
    r = decide(claim(Rule("a", "<", "b")), {"a": [1.0, 5.0, 1.0], "b": [2.0, 2.0, 2.0]})
    assert r["verdict"] == "inconclusive" and r["reason"] == "the seeds disagree"


def test_a_difference_smaller_than_its_spread_reads_inconclusive():
    # every seed has a > b, but the paired differences 0.1, 0.2, 3.0 have a spread (1.6) above their mean (1.1)
    r = decide(claim(Rule("a", ">", "b")), {"a": [1.1, 1.2, 4.0], "b": [1.0, 1.0, 1.0]})
    assert r["value"] == pytest.approx(1.1) and r["spread"] > r["value"]
    assert r["verdict"] == "inconclusive" and "smaller than its spread" in r["reason"]


def test_fewer_than_three_seeds_cannot_decide_a_claim_on_a_trained_model():
    r = decide(claim(Rule("a", ">", by=0.0), seeds=1), {"a": 5.0})
    assert r["verdict"] == "inconclusive" and "at least 3" in r["reason"]
    # a closed-form check reads no trained model: one value decides it
    r = decide(claim(Rule("a", ">", by=0.0), seeds=1, reads_model=False), {"a": 5.0})
    assert r["verdict"] == "holds"


def test_outside_its_regime_a_claim_is_inconclusive():
    regime = (Rule("fd", "<", by="@calibration.noise_fd", text="better than noise"),)
    m = {"a": [5.0, 6.0, 7.0], "b": [1.0, 1.0, 1.0], "fd": [900.0, 950.0, 990.0]}
    assert decide(claim(Rule("a", ">", "b"), requires=regime), m, {"noise_fd": 1000.0})["verdict"] == "holds"
    r = decide(claim(Rule("a", ">", "b"), requires=regime), m, {"noise_fd": 960.0})
    assert r["verdict"] == "inconclusive" and "better than noise" in r["reason"]
    assert [x["verdict"] for x in r["regime"]] == ["inconclusive"]


def test_a_value_that_could_not_be_measured_leaves_the_claim_inconclusive():
    c = Claim(id="t.x", statement="s", source="", measurement="", rule=Rule("a", ">", "b"), seeds=3,
              texts={**TEXTS, "inconclusive": "open: {a_mean:.2f} vs {b_mean:.2f} ({reason})"})
    r = decide(c, {"a": [5.0, None, 7.0], "b": [1.0, 1.0, 1.0]})
    assert r["verdict"] == "inconclusive" and "seed(s) 1" in r["reason"]
    assert r["per_seed"] == [4.0, None, 6.0] and r["value"] == pytest.approx(5.0)
    r = decide(c, {"a": [None] * 3, "b": [1.0] * 3})
    assert r["value"] is None and r["text"].startswith("open: n/a vs 1.00")
    # a regime that cannot be read for the same reason does not hide it: the missing value is the reason
    regime = (Rule("a", ">", by=0.0, text="in the regime"),)
    r = decide(claim(Rule("a", ">", "b"), requires=regime), {"a": [None, None, 7.0], "b": [1.0] * 3})
    assert r["verdict"] == "inconclusive" and "no value on seed(s) 0, 1" in r["reason"]


def test_factor_and_threshold_enter_the_margin():
    # a < 1.1 b + 2: margins (1.1*10 + 2 - 12.5) = 0.5 per seed
    r = decide(claim(Rule("a", "<", "b", by=2.0, factor=1.1)), {"a": [12.5] * 3, "b": [10.0] * 3})
    assert r["per_seed"] == pytest.approx([-0.5] * 3)  # a - 1.1 b - 2, unsigned
    assert r["verdict"] == "holds"  # equal margins: spread 0 < mean
    # a single number on one side is a constant for every seed
    r = decide(claim(Rule("a", ">", "b")), {"a": [3.0, 4.0, 5.0], "b": 1.0})
    assert r["per_seed"] == [2.0, 3.0, 4.0]


def test_fewer_seeds_than_the_ledger_declares_decide_nothing_and_unpaired_seeds_are_an_error():
    r = decide(claim(Rule("a", ">", "b"), seeds=5), {"a": [5.0, 6.0, 7.0], "b": [0.0, 0.0, 0.0]})
    assert r["verdict"] == "inconclusive" and "at least 5" in r["reason"]
    with pytest.raises(LedgerError, match="pairs them by seed"):
        decide(claim(Rule("a", ">", "b")), {"a": [1.0, 2.0, 3.0], "b": [0.0, 0.0]})


def test_bad_measurements_are_named():
    with pytest.raises(LedgerError, match="'per_seed.vae.fd', which is not in the chapter's metrics"):
        decide(claim(Rule("per_seed.vae.fd", ">", by=0.0)), {"per_seed": {}})
    with pytest.raises(LedgerError, match="results/calibration.json"):
        decide(claim(Rule("a", ">", by="@calibration.nope")), {"a": [1.0] * 3})
    with pytest.raises(LedgerError, match="finite number"):
        decide(claim(Rule("a", ">", by=0.0)), {"a": [1.0, math.nan, 2.0]})
    with pytest.raises(LedgerError, match="finite number"):
        decide(claim(Rule("a", ">", by=0.0)), {"a": [1.0, "2", 2.0]})


def test_a_claim_needs_a_sentence_for_every_verdict_and_a_valid_rule():
    with pytest.raises(LedgerError, match="no text for the verdict"):
        Claim(id="t.x", statement="s", source="", measurement="", rule=Rule("a", ">"), seeds=3, texts={"holds": "x"})
    with pytest.raises(LedgerError, match="op"):
        Rule("a", ">=")


def test_the_table_flags_unconfirmed_paper_numbers():
    c = claim(Rule("a", ">", by=0.0), paper=Paper("225 ± 2", "Goodfellow et al. 2014, Table 1", confirmed=False))
    rec = decide(c, {"a": [1.0, 2.0, 3.0]})
    assert rec["paper_confirmed"] is False
    assert "225 ± 2 (unconfirmed)" in claims.table([rec])


@pytest.mark.parametrize("slug", claims.chapters())
def test_every_declared_claim_has_a_unique_id_and_texts_that_format(slug):
    declared = claims.claims_of(slug)
    ids = [c.id for c in declared]
    assert len(ids) == len(set(ids)) and all(i.startswith(slug + ".") for i in ids)
    for c in declared:
        assert c.seeds >= claims.MIN_SEEDS or not c.reads_model, f"{c.id} reads a model with {c.seeds} seed(s)"
        record = {"a": [1.0, 2.0, 3.0], "b": [0.5, 0.5, 0.5], "by": 1.0, "value": 1.0, "spread": 0.5, "seeds": 3,
                  "per_seed": [0.5, 1.5, 2.5], "rule": c.rule.as_dict(), "reason": "r"}
        for v in claims.VERDICTS:
            claims.render(c.texts[v], record)
            claims.render(c.texts[v], {**record, "a": [None] * 3, "value": None, "spread": None})


def test_unknown_chapter_ledger_is_named():
    with pytest.raises(KeyError, match="chapter with a claims ledger"):
        claims.claims_of("nope")


def test_a_ledger_that_reads_no_calibration_decides_without_one(tmp_path, monkeypatch):
    monkeypatch.setenv("GDM_HOME", str(tmp_path))  # no results/calibration.json there
    m = {"tracking": {"rho": [0.9, 0.95, 0.8], "chance_rho": 0.69}}
    every = claims.claims_of
    # a ledger whose one claim reads only the chapter's metrics (every chapter's ledger reads the bar by now)
    monkeypatch.setattr(claims, "claims_of", lambda slug: [c for c in every(slug) if c.id == "began.tracks"])
    ledger = claims.decide("began", m)
    assert ledger["began.tracks"]["verdict"] == "holds" and len(ledger.records) == 1
    monkeypatch.setattr(claims, "claims_of", every)
    with pytest.raises(claims.LedgerError, match="calibration.json is missing"):
        claims.decide("wae", {})  # its regime reads the calibration


def test_paper_note_flags_what_is_not_confirmed():
    from gdm.claims._papers import PAPER_NUMBERS

    assert claims.paper_note("fgan") == ""  # quotes none
    note = claims.paper_note("aae")
    assert note.count("⚠ unconfirmed") == len(PAPER_NUMBERS["aae"]) and "1.90 ± 0.10 %" in note
    assert "✓ confirmed" in claims.paper_note("gan") and "⚠" not in claims.paper_note("gan").split("\n", 1)[1]


def test_a_threshold_that_could_not_be_computed_leaves_the_claim_inconclusive(monkeypatch):
    m = {"tracking": {"rho": [1.0, 1.0, 1.0], "chance_rho": None}}
    every = claims.claims_of
    monkeypatch.setattr(claims, "claims_of", lambda slug: [c for c in every(slug) if c.id == "began.tracks"])
    r = claims.decide("began", m)["began.tracks"]
    assert r["verdict"] == "inconclusive" and "could not be read" in r["reason"]
