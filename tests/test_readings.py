"""gdm.readings: every sentence of a chapter's prose that reads a result is recomputed from the
committed results file and compared with what the executed notebook shows; and the sentences
follow their record (a verdict or a number changed in a record changes them)."""
import copy
import json
from pathlib import Path

import pytest

from gdm import readings
from gdm.errors import UnknownNameError
from gdm.readings import began as readings_began, wgan as readings_wgan

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


def test_wgan_gp_sentences_follow_the_numbers_of_their_record():
    rec = record("wgan_gp")
    base = readings.texts("wgan_gp", rec)
    # its verdicts are read in the ledger's own sentences (claim_wgan_gp_*), not by the readings
    assert readings.texts("wgan_gp", _with_verdict(rec, "wgan_gp.digits_fd", "holds")) == base
    changed = copy.deepcopy(rec)
    m = changed["metrics"]
    # the gradient norms: each clipping's direction and the penalty's span, from the norms
    g = m["gradient_norms"]
    g["clipping c = 0.1"] = g["clipping c = 0.1"][::-1]  # shrinking towards the input
    g["clipping c = 0.001"] = [1e3 * 10.0 ** -i for i in range(12)]  # growing towards the input
    g["gradient penalty"] = [10.0 ** i for i in range(12)]
    # the headline: seed 1's runs apart from the others', one seed still falling, the cost of a run
    h = m["headline_seeds"]
    h["fd_curve"]["1"][-1][1] = 600.0
    h["fd_late_change"] = [-0.05, 0.02, -0.3]
    h["seconds"] = [600.0] * 3
    # the surfaces, the long grid's inner modes and a cell of the architecture study
    m["surfaces"]["swissroll"]["penalty"] = 0.9
    m["toy_long"]["grid"]["per_mode_inner"] = 3.0
    m["architectures"]["cells"]["wgan_gp"]["tanh"]["successes"] = 2
    m["architectures"]["counts"]["wgan_gp"] = [3, 2, 3]
    t = readings.texts("wgan_gp", changed)
    assert t["dir_01"] == "shrink towards the input: vanishing" != base["dir_01"]
    assert t["dir_small"] == "vanishing with c = 0.01, exploding with c = 0.001"
    assert t["span_gp"] == "11.0" and t["gp_span_read"] == ("The penalty does not keep the norms steadier here: they "
                                                            "change by 11.0 orders of magnitude across the depth")
    assert t["head_spread_read"].startswith("the draw does not explain") and t["head_track_end_txt"].split(", ")[1] == "600"
    assert t["head_plateau_read"].startswith("was still falling (by more than 10 % over the last 30 % of the updates "
                                             "on 1 of 3 seeds)")
    assert (t["img_ms_txt"], t["img_min_txt"], t["arch_img_hours_txt"]) == ("100", "10", "6")  # 600 s / 6,000 updates
    assert base["surf_gp_better"] == "only ring, grid" and t["surf_gp_better"] == "every toy"
    assert t["long_inner_verdict"] == "has learned the grid's extent and its border, not the modes inside it"
    assert t["long_inner_per_mode"] == "3.0" and "WGAN-GP: tanh (1 of 3)" in t["succ_fails"]
    assert "WGAN-GP 3, 2, 3" in t["succ_table"]


def test_gan_sentences_follow_the_verdicts_and_the_numbers_of_their_record():
    rec = record("gan")
    base = readings.texts("gan", rec)
    assert base["head_balance_read"] == "recall passes its bar while the classes are far from balanced"
    assert readings.texts("gan", _with_verdict(rec, "gan.digits_classes", "holds"))["head_balance_read"] == (
        "recall passes its bar and every class takes its share")
    changed = copy.deepcopy(rec)
    m = changed["metrics"]
    m["headline_seeds"]["fd"][0] = 500.0  # seed 0, whose samples are shown, now the best seed
    m["data_size"]["small_seeds"]["classes_covered"] = [1, 3, 1]
    m["toy_long"]["ring"]["per_seed"]["high_quality"][3] = 0.4  # the plainest collapse no longer converged
    for c in m["headline_seeds"]["d_gap_curve"].values():
        for q in c:
            q[1] += 1.0  # the headline's gap above the smaller set's at every update
    t = readings.texts("gan", changed)
    assert t["head_shown_read"] == "the seed with the lowest FD" and t["head_fd_txt"].startswith("500, ")
    assert t["small_collapse_read"] == "collapsed onto fewer classes (1, 3, 1)" and t["small_classes_txt"] == "1, 3, 1"
    assert t["ring_collapse_read"] == "Seed 4 shows collapse in part: 76% of its samples sit on 5 modes"
    assert (t["ring_converged_txt"], t["ring_collapsed_txt"]) == ("4", "3")
    assert t["gap_early_read"] == "did not rise faster than" and base["gap_early_read"] == "rose faster than"
    m["data_size"]["small_seeds"] = None  # the smaller-set runs not trained (small_train: 0)
    assert readings.texts("gan", changed)["small_best_txt"] == "-"


def test_infogan_sentences_follow_the_verdicts_and_the_numbers_of_their_record():
    rec = record("infogan")
    base = readings.texts("infogan", rec)
    assert base["c1_mean_read"] == "is above it, with two seeds below"
    assert base["discussion_info"].startswith("here the generator that does not maximise L_I")  # li_baseline fails
    t = readings.texts("infogan", _with_verdict(rec, "infogan.li_baseline", "holds"))
    assert t["discussion_info"].startswith("the generator that maximises L_I writes c1 into its images")
    t = readings.texts("infogan", _with_verdict(rec, "infogan.rotation_width", "holds"))
    assert t["discussion_cont"].startswith("split into a slant code and a width code on every seed")
    changed = copy.deepcopy(rec)
    m = changed["metrics"]
    m["info"]["c1_accuracy"] = [0.9] * rec["config"]["seeds"]
    for c in m["base"]["c1_curve"].values():
        for q in c:
            q[1] = 0.99  # the baseline's c1 readable from the start
    t = readings.texts("infogan", changed)
    assert t["c1_mean_read"] == "is above it, with no seeds below" and t["c1_acc_mean"] == "0.90"
    assert t["early_read"] == "At that update the information term has not made c1 more readable than the baseline's"
    assert t["early_c1_base"] == "0.99 / 0.99 / 0.99" and t["early_c1"] == base["early_c1"]


def test_wgan_sentences_follow_the_verdicts_and_the_numbers_of_their_record():
    rec = record("wgan")
    base = readings.texts("wgan", rec)
    assert base["discussion_tracking"].startswith("it is:") and base["clip_below"] == "below the GAN's"
    t = readings.texts("wgan", _with_verdict(rec, "wgan.tracks", "fails"))
    assert t["discussion_tracking"] == "it is not here: the final estimates did not rank the runs as their FD"
    assert readings.texts("wgan", _with_verdict(rec, "wgan.lines_direction", "inconclusive"))["discussion_lines"] == (
        "at every θ ≠ 0 of the grid on some seeds only (see the ledger)")
    changed = copy.deepcopy(rec)
    m = changed["metrics"]
    m["headline_seeds"]["fd"][0] = 345.6
    m["headline_seeds"]["fd_late_change"] = [0.01, -0.02, 0.05]  # every seed within 10 %: levelled off
    m["along_one_run"]["gan"]["spearman"] = -0.25
    for t_ in ("ring", "grid"):
        m["toy"]["wgan"][t_]["high_quality"] = 0.5
    m["weak_generators"]["toy"]["seconds"] = 600.0
    for q in m["weak_generators"]["toy"]["gan"]["curve"]:
        q["high_quality"][1] = 0.1  # seed 1's GAN never puts half its samples near a mode
    t = readings.texts("wgan", changed)
    assert t["head_fd"].startswith("346 / ") and t["head_plateau"].startswith("had levelled off on every seed")
    assert t["gan_along"].startswith("did not fall with the FD (ρ = -0.25 above)")
    assert t["toy_read"].startswith("above the uniform cloud's share on both toys") and t["weak_min"] == "10"
    assert t["weak_gan_first"].split(" / ")[1] == "never"


def test_wgan_line_slopes():
    lines = {"theta": [-1.0, -0.5, 0.0, 0.5, 1.0],
             "gradient": {"gan": [[-0.1, 0.2, 0.0, -0.3, 0.4]], "wgan": [[-2.0, -1.0, 0.0, 1.0, 3.0]]}}
    s = readings_wgan.line_slopes(lines)
    assert s["gan_towards"] == [0.5]  # the sign of θ at θ = -1 and 1, not at ±0.5
    assert s["clip_slope"] == [pytest.approx(1.75)] and s["gan_slope"] == [pytest.approx(0.25)]


def test_began_sentences_follow_the_verdicts_and_the_numbers_of_their_record():
    rec = record("began")
    base = readings.texts("began", rec)
    assert base["head_read"].endswith("but at this budget they are not as close to the data as blurred digits are.")
    t = readings.texts("began", _with_verdict(rec, "began.digits_fd", "holds"))
    assert t["head_read"].endswith("and at this budget they are as close to the data as blurred digits are.")
    t = readings.texts("began", _with_verdict(rec, "began.tracks", "fails"))
    assert t["discussion_tracking"].startswith("across runs it does not rank them")
    changed = copy.deepcopy(rec)
    m = changed["metrics"]
    for g, v in m["collapse"]["runs"].items():
        m["collapse"]["runs"][g] = [False] * len(v)  # no run collapsed
    for i, g in enumerate(m["gamma"]):
        m["gamma"][g]["fd"] = [100.0 + i] * rec["config"]["seeds"]  # the FD rises with γ
    m["tracking_checks"]["passed"] = {"rho_without_top": 3, "rho_own": 3}
    t = readings.texts("began", changed)
    assert t["collapse_read"] == "no run at its γ collapsed here" and t["collapsed_runs"] == "none"
    assert t["eq_collapse"] == "" and t["fd_trend"] == "rises as γ rises" and t["fd_by_gamma"] == "100, 101, 102, 103, 104"
    assert t["checks_read"].startswith("Both checks pass on every seed")
    assert t["discussion_tracking"].endswith(", and still does without each seed's run of highest M_global")


def test_began_sweep_gammas():
    assert readings_began.sweep_gammas({"gammas": [0.7, 0.3], "gamma": 1}) == [0.3, 0.7, 1.0]
    assert readings_began.sweep_gammas({"gammas": [0.3, 1.0], "gamma": 1}) == [0.3, 1.0]


def test_ebgan_sentences_follow_the_verdicts_and_the_numbers_of_their_record():
    rec = record("ebgan")
    base = readings.texts("ebgan", rec)
    for claim_id, name, starts in (("ebgan.noise_from_game", "discussion_noise", {
            "holds": "partly the game's doing", "fails": "what any auto-encoder", "inconclusive": "not decided"}),
            ("ebgan.equilibrium", "discussion_equilibrium", {
            "holds": "here the runs end near it", "fails": "here every run ends away", "inconclusive": "here the seeds"})):
        for verdict, start in starts.items():
            assert readings.texts("ebgan", _with_verdict(rec, claim_id, verdict))[name].startswith(start)
    changed = copy.deepcopy(rec)
    m = changed["metrics"]
    e, c = m["energies"], m["control"]
    e["noise_min_over_real_max"][1] = 0.8  # a noise image below a digit on seed 1
    c["noise"] = [2 * v for v in e["noise"]]  # the control's noise energy twice the EBGAN's
    e["real"] = [v / 4 for v in c["real"]]  # the EBGAN's digits below the control's
    e["train_real"][0] = 1.0
    m["arms"]["mean_pt"]["recall"] = [0.5, 0.6, 0.7]  # below the arm without the term: no effect over the floor
    m["toy_chance"]["ring"]["modes_covered"] = 0.0
    t = readings.texts("ebgan", changed)
    assert t["noise_overlap"] == "The separation itself is not complete: the two overlap on some seed"
    assert t["noise_min_over_real_max"].split(" / ")[1] == "0.8"
    assert t["c_noise_read"].startswith("not near the EBGAN's") and base["c_noise_read"] == "nearly the EBGAN's"
    assert t["real_factor"] == "0.25 times the control's" and t["real_worse"].endswith("better than the auto-encoder alone")
    assert t["train_below"] == "not below the held-out digits' medians above on every seed"
    assert t["mean_pt_recall"] == "0.50 / 0.60 / 0.70" and t["min_recall"] == "0.50"
    assert t["pt_vs_floor"].startswith("not larger than that floor") and t["pt_effect"].startswith("-")
    assert t["toy_counts_read"] == "The counts of covered modes are above the uniform cloud's on at least one toy"
    assert t["toy_ring_uniform"] == "0.0" != base["toy_ring_uniform"]
