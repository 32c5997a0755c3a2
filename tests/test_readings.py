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
    assert base["surf_gp_better"] == "on the ring (on the grid the two are within 2 points, a tie on one seed)"
    assert t["surf_gp_better"] == ("on the ring and the Swiss roll (on the grid the two are within 2 points, a tie on "
                                   "one seed)")
    assert t["long_inner_verdict"] == "concentrates its samples at the border's modes, not at the modes inside it"
    assert t["long_inner_per_mode"] == "3.0" and "WGAN-GP: tanh (1 of 3)" in t["succ_fails"]
    assert "WGAN-GP 3, 2, 3" in t["succ_table"]


def test_gan_sentences_follow_the_verdicts_and_the_numbers_of_their_record():
    rec = record("gan")
    base = readings.texts("gan", rec)
    assert base["head_balance_read"] == ("recall passes its bar while a class is all but missing (under 1 % of the "
                                         "samples) on every seed")
    assert readings.texts("gan", _with_verdict(rec, "gan.digits_classes", "holds"))["head_balance_read"] == (
        "recall passes its bar and every class appears (none under 1 % of the samples)")
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
    assert base["discussion_tracking"].startswith("it is,") and base["clip_below"] == "below the GAN's"
    t = readings.texts("wgan", _with_verdict(rec, "wgan.tracks", "fails"))
    assert t["discussion_tracking"] == ("it is not here, since the final estimates did not rank the runs as their FD "
                                        "does on any seed")
    assert readings.texts("wgan", _with_verdict(rec, "wgan.lines_direction", "inconclusive"))["discussion_lines"] == (
        "here at every θ ≠ 0 of the grid on some seeds only (see the ledger)")
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
    assert t["gan_along"].startswith("did not move with the FD (ρ = -0.25 above)")
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
    t = readings.texts("began", _with_verdict(changed, "began.stable", "holds"))
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
            "holds": "it is, in part", "fails": "it is not, since any auto-encoder", "inconclusive": "the seeds do not"}),
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


def test_gan_hand_written_readings_follow_their_record():
    rec = record("gan")
    base = readings.texts("gan", rec)
    assert base["gap_cost_read"] == (
        "So the gap is not what limits this generator, and the same gap on all three headline seeds, whose FDs differ "
        "by nearly a factor of two, cannot rank them either: the memorising is measured, its cost is not")
    assert base["limits_read"].endswith("the gap does not rank the headline seeds, and the samples are no nearer the "
                                        "training digits than new digits are")
    assert (base["value_read"], base["value_sits"], base["copy_read"], base["nobn_gap_read"]) == (
        "is just below the optimum, as it must be", "just below", "Nor does the generator copy what D has learned by heart",
        "which barely separates training from held-out digits")
    assert base["small_end_read"].endswith("compares a collapsed run with a working one")
    changed = copy.deepcopy(rec)
    m, p = changed["metrics"], changed["config"]
    t1 = m["theorem_1"]
    t1["value_trained_d"] = t1["value_at_d_star"] - 0.05  # the trained D well below the optimum
    od = m["optimal_d"]
    od["value_minibatch"] = [v - 0.01 for v in od["value_star"]]  # every mini-batch estimate below it
    m["nobn_seeds"]["d_gap"] = [0.1] * 3  # the paper's generator's D above the ledger's bar for memorising
    m["data_size"]["d_gap"]["full"] = [0.3, 0.1, 0.2]  # the gap orders the seeds as their FDs
    m["headline_seeds"]["fd"] = [1000.0, 900.0, 950.0]
    m["nearer_training"]["share"][1] = 0.65  # seed 1 nearer its training digits than the test digits are
    small = m["data_size"]["small_seeds"]
    small["classes_covered"] = [10, 10, 10]  # the smaller-set runs keep every class ...
    m["data_size"]["d_gap"]["small"] = [max(v for _, v in c) for c in small["d_gap_curve"].values()]  # ... the gap at its peak
    m["data_size"]["fd_final"]["small"] = [min(v for _, v in c) for c in small["fd_curve"].values()]  # ... the FD at its best
    p.update(eval_samples=10_000, parzen_samples=10_000, ring_samples=5_000, ring_every=500, small_train=500,
             d_hidden=[100, 100])
    m["parzen_test_images"] = 10_000
    t = readings.texts("gan", changed)
    assert t["value_read"] == "is 0.050 below the optimum, as it must be" and t["value_sits"] == "0.050 below"
    assert t["minibatch_read"] == "The mini-batch estimate is noisy; here it lands below the optimum on every seed"
    assert t["nobn_gap_read"].endswith("by more than the ledger's bar for memorising (0.05) on every seed")
    assert t["gap_cost_read"] == (
        "So this generator does not tell whether the gap limits it, and the gap on the three headline seeds (0.30, "
        "0.10, 0.20), whose FDs differ by only 11%, orders them as their FDs (the larger the gap, the higher the FD), "
        "though over three seeds only: the memorising is measured; its cost is suggested, not shown")
    assert t["copy_read"] == "The generator of seed 1 may copy what D has learned by heart"
    assert t["copy_noise_txt"] == "with 10,000 and 10,000 images sampling noise is about 1.4 points either way"
    assert t["limits_read"] == (
        "The memorising is measured; that it is what holds the samples back is not shown, though the gap orders the "
        "headline seeds as their FDs (over three seeds) and the samples of seed 1 are nearer the training digits than "
        "new digits are")
    assert (t["small_fell_read"], t["small_rise_read"], t["small_collapse_read"]) == (
        "ended at", "stayed near it as their generators", "kept every class")
    assert t["small_end_read"] == "at the last update, where the ledger reads it, with every class kept"
    assert (t["eval_n_txt"], t["ring_samples_txt"], t["ring_every_txt"], t["small_ratio_txt"], t["d_units_txt"]) == (
        "10,000", "5,000", "500", "eight", "2 × 500")
    t = readings.texts("gan", _with_verdict(rec, "gan.d_overfits", "fails"))
    assert t["limits_read"].startswith("The ledger does not establish the memorising") and t["gap_cost_read"].endswith(
        "the ledger does not establish the memorising, and no cost of it shows")


def test_infogan_hand_written_readings_follow_their_record():
    rec = record("infogan")
    base = readings.texts("infogan", rec)
    assert base["discussion_cont"].endswith("the slant went to the same code, c3, on every seed, while the width had a "
                                            "code of its own on only 2 of 5 seeds")
    assert "(within half a nat on every seed), though it gets there later:" in base["discussion_info"]
    assert base["seeds_drawn"] == "seeds 0 to 4 drawn solid, dashed, dotted, dash-dot and long dash-dot"
    changed = copy.deepcopy(rec)
    m, p = changed["metrics"], changed["config"]
    for s in m["info"]["split"]:
        s["specificity"][1] = -0.1  # no seed's width code moves the width more than the other code does
    m["paired"]["base_l_i"][1] = m["paired"]["info_l_i"][1] - 0.7  # seed 1's baseline more than half a nat below
    m["base"]["l_i_early"] = m["info"]["l_i_early"][:3]  # the baseline's L_I as high as InfoGAN's early on
    m["toy_chance"]["ring"]["high_quality"] = 0.4  # a uniform cloud as near the ring's modes as InfoGAN
    for b in m["base"]["codes"]:
        for st in b["styles"]:
            st["slant"] = st["width"] = 0.01  # the baseline's codes move neither proxy
    assert base["fig1_read"] == "the pattern of the paper's Figure 1 shows here too"
    assert base["r_alone_read"] == "could not have decided the claim"
    t = readings.texts("infogan", changed)
    assert t["fig1_read"] == "the pattern of the paper's Figure 1 does not show here"
    assert t["r_alone_read"].startswith("would have told the two models apart here")
    assert t["discussion_cont"].endswith("while the width never had a code of its own")
    assert "(within half a nat on 2 of 3 seeds), and gets there as early:" in t["discussion_info"]
    assert t["toy_read_infogan"] != base["toy_read_infogan"] and "40.0%" in t["toy_uniform_txt"]
    for s in m["info"]["split"]:
        s["specificity"][1] = 0.6
    assert readings.texts("infogan", changed)["discussion_cont"].endswith("while the width had a code of its own on "
                                                                          "every seed")
    # the numbers fixed by the parameters (and the training split's size)
    p.update(seeds=3, eval_samples=10_000, g_width=64, d_width=64, seed=2, coverage_seeds=5)
    m["train_images"] = 50_000
    t = readings.texts("infogan", changed)
    assert (t["seeds_drawn"], t["eval_n"], t["width_txt"], t["seed_txt"], t["train_n"], t["coverage_seeds_txt"]) == (
        "seeds 0 to 2 drawn solid, dashed and dotted", "10,000", "the full width", "2", "50,000", "5")


def test_wgan_readings_of_the_weak_generators_and_the_study_designs_follow_their_record():
    rec = record("wgan")
    base = readings.texts("wgan", rec)
    assert (base["weak_gan_temper"], base["weak_gan_reached"], base["weak_gan_count"]) == (
        "temper the GAN's verdict, since the ledger's rule reads the last evaluation only", "reached the modes late",
        "still changing near the end")
    assert base["weak_gan_unfinished"] == "part of what reads as collapse may be a run that has not finished spreading"
    assert base["weak_wgan_spread"] == (
        "it puts 50 to 108 times the uniform cloud's share of its samples near a mode, so the modes it covers are modes "
        "it puts samples on, not a cloud's chance hits, though on some seed most of its samples lie away from them")
    assert base["weak_longer"] == "four times longer" and base["trajectory_read"].endswith(
        "so four of the eight points per seed are one trajectory, the along-one-run reading the test across runs meant "
        "to avoid.")
    assert base["tracking_note"] == ('"steps × 10" is the headline run above; "headline" is the 600-update base run, '
                                     "the chapter's earlier headline")
    assert base["gan_js_same"].startswith("the same number") and base["sign_read"].startswith("the sign alone does not")
    assert base["compare_convergence"] == "not at convergence"
    # the GAN collapsed for good: on the modes from the first evaluation, its count the same ever after
    t = readings.texts("wgan", _with_verdict(rec, "wgan.weak_gan_collapses", "fails"))
    assert t["weak_gan_unfinished"] == "the last evaluation may not be where these runs settle"
    changed = copy.deepcopy(rec)
    m, p = changed["metrics"], changed["config"]
    for q in m["weak_generators"]["toy"]["gan"]["curve"]:
        q["high_quality"], q["modes_covered"] = [0.9] * 3, [3, 4, 5]
    w = m["weak_generators"]["toy"]["wgan"]["per_seed"]
    w["modes_covered"], w["high_quality"] = [8, 8, 8], [0.95, 0.92, 0.99]
    m["lines"]["per_seed"]["gan_js_min_off_zero"][1] = 0.5  # the discriminator reads the distance on seed 1
    theta = m["lines"]["theta"]
    m["lines"]["gradient"]["gan"][0][0] = -0.1 if theta[0] > 0 else 0.1  # seed 0's GAN gradient away from the data
    for block in ("headline_seeds", "lr20_seeds", "gan_seeds"):
        m[block]["fd_late_change"] = [0.01, -0.02, 0.03]
    t = readings.texts("wgan", changed)
    assert (t["weak_gan_temper"], t["weak_gan_reached"], t["weak_gan_count"], t["weak_gan_unfinished"]) == (
        "support the GAN's verdict, though the ledger's rule reads the last evaluation only", "reached the modes within the first half of the updates", "unchanged near the end",
        "the last evaluation reads runs that had settled")
    assert t["weak_wgan_spread"].endswith("not a cloud's chance hits, nearly all of its samples near one")
    assert t["gan_js_same"].startswith("not the same number") and t["sign_read"].startswith("the sign tells the two apart")
    assert t["compare_convergence"] == "with every run's FD levelled off by the end"
    # the numbers fixed by the parameters: budgets, seeds, and the tracking study's settings
    p.update(weak_toy_steps=5000, head_seeds=1, weak_seeds=1, lr_factor=5.0, tracking_steps=1000,
             tracking_settings=["headline", "lr × 5", "lr × 20"])
    for block in m["tracking"].values():  # the runs of those three settings only
        keep = [list(block["settings"]).index(s) for s in p["tracking_settings"]]
        block["settings"] = {s: block["settings"][s] for s in p["tracking_settings"]}
        block["fd"] = [[row[j] for j in keep] for row in block["fd"]]
    t = readings.texts("wgan", changed)
    assert (t["weak_longer"], t["head_seeds_word"], t["weak_seeds_each"], t["lr_factor_text"], t["head_seed_list"]) == (
        "as long", "one training seed", "one seed each", "5", "0")
    assert t["tracking_note"] == '"headline" is the 1,000-update base run'
    assert t["trajectory_read"] == ("Every setting is a run of its own: no two of the three points per seed are one "
                                    "trajectory.")
    p.update(weak_toy_steps=20000, toy_steps=2500)
    assert readings.texts("wgan", changed)["weak_longer"] == "eight times longer"


def test_began_readings_of_the_controller_the_design_and_the_toys_follow_their_record():
    rec = record("began")
    base = readings.texts("began", rec)
    assert base["gammas_intro"] == "five values of γ (the paper's 0.3, 0.5 and 0.7, and 0.9 and 1)"
    assert (base["paper_gammas_n"], base["tracking_n_word"], base["n_samples"], base["seed_list"]) == (
        "three", "seven", "1,000", "0, 1, 2")
    assert base["eq_preview"] == "the next section shows that it holds it just as well for a generator that draws one digit"
    assert (base["k_higher"], base["m_change"], base["top_run"]) == ("the higher", "changes by only", "the run that failed most")
    assert base["trajectory_read"].startswith("A flaw of the design, seen after the runs: a run cut to half or a quarter "
                                              "of the steps is the headline run itself read earlier (the same seed gives "
                                              "it the same nets, noise and batches; their FDs equal the headline's "
                                              "tracked FD at those steps), so three of the seven points")
    assert base["toy_k_read"].startswith("barely moves within the budget (it ends between")
    changed = copy.deepcopy(rec)
    m, p = changed["metrics"], changed["config"]
    k = m["equilibrium"]["k_final"]
    k["0.5"], k["0.7"] = k["0.7"], k["0.5"]  # the final k_t not rising at every γ
    m["gamma"]["0.3"]["class_share"] = [0.5, 0.5] + [0.0] * 8  # the lowest γ's shown run draws two digits
    for a in m["along"].values():
        a["loss"][-1] = a["loss"][-1] / 2  # M_global still falling after the first third
    m["tracking"]["fd"][0][-1] = 500.0  # seed 0's run of highest M_global (lr × 10) no longer its worst by FD
    m["tracking"]["fd"][1][1] += 100.0  # seed 1's run cut to half the steps no longer the headline's tracked FD
    m["toy_k_final"]["ring"][0] = 0.3
    m["toy_chance"]["ring"]["modes_covered"] = 3.0
    t = readings.texts("began", changed)
    assert t["k_higher"] == "(here not at every γ) the higher" and t["m_change"] == "changes by"
    assert t["eq_preview"].endswith("for a generator that draws few digits")
    assert t["top_run"] == "the run of highest final M_global (on some seed not the run of highest FD)"
    assert "; their FDs differ from the headline's tracked FD at those steps, by up to" in t["trajectory_read"]
    assert t["toy_k_read"] == ("moves within the budget (it ends between 0.036 and 0.300 over the toys and seeds), unlike "
                               "the digits' in the departures")
    assert t["toy_uniform_txt"].startswith("3.0 of the ring's 8 modes")
    m["gamma"]["0.3"]["ratio"][0] = 0.3 * 1.05  # a collapsed run 5 % from its γ: held less closely than the others
    t = readings.texts("began", changed)
    assert t["eq_preview"] == "the next section shows that it holds it less closely for a generator that collapsed"
    assert t["eq_collapse"].startswith("The controller held the equilibrium less closely in the collapsed runs (largest "
                                       "relative distance 5.00%)")
    # the counts fixed by the parameters
    p.update(gammas=[0.3, 0.5, 0.7], gamma=0.5, paper_gammas=[0.3, 0.5], eval_samples=5000, seeds=2)
    t = readings.texts("began", changed)
    assert t["gammas_intro"] == "three values of γ (the paper's 0.3 and 0.5, and 0.7)"
    assert (t["paper_gammas_n"], t["n_samples"], t["seed_list"]) == ("two", "5,000", "0, 1")
    # the tracking study's settings: no run cut short, or one run longer than the headline
    p2, m2 = copy.deepcopy(rec["config"]), copy.deepcopy(rec["metrics"])
    p2["tracking_settings"] = ["headline", "lr × 3", "lr × 10"]
    m2["tracking"]["settings"] = {"headline": {}, "lr × 3": {"lr": 3.0}, "lr × 10": {"lr": 10.0}}
    assert readings_began._trajectory(p2, m2) == ("Every setting is a run of its own: no two of the three points per "
                                                  "seed are one trajectory.")
    p2["tracking_settings"] = ["headline", "steps × 2", "lr × 10"]
    m2["tracking"]["settings"] = {"headline": {}, "steps × 2": {"steps": 2.0}, "lr × 10": {"lr": 10.0}}
    assert readings_began._trajectory(p2, m2).startswith(
        "A flaw of the design, seen after the runs: the runs with the steps scaled (steps × 2) are the headline run itself "
        "read at other times (the same seed gives it the same nets, noise and batches; the headline's FD was not tracked "
        "at all those steps), so two of the three points")


def test_the_counts_the_prose_writes_in_words():
    assert [readings.number(n) for n in (0, 1, 7, 12, 13, 1000)] == ["no", "one", "seven", "twelve", "13", "1,000"]


def test_ebgan_hand_written_readings_follow_their_record():
    rec = record("ebgan")
    base = readings.texts("ebgan", rec)
    assert (base["seed_order"], base["collapse_read"]) == ("seeds 0 / 1 / 2", "No arm collapsed")
    assert base["chance_read"] == '"higher on every one of three seeds" happens by chance one time in eight'
    assert (base["fake_margin_read"], base["real_falling_read"]) == ("held near the margin by the hinge", "keeps falling")
    assert base["gap_trend_read"].startswith("The gap does not close") and base["eq_heading"] == "Not at equilibrium"
    assert base["noise_lead"].startswith("Whether the high energy") and base["ratio_bar_read"].endswith("the same amount")
    five = copy.deepcopy(rec)
    five["config"]["seeds"] = 5
    t = readings.texts("ebgan", five)
    assert t["seed_order"] == "seeds 0 / 1 / 2 / 3 / 4"
    assert t["chance_read"] == '"higher on every one of five seeds" happens by chance one time in 32'
    changed = copy.deepcopy(rec)
    m = changed["metrics"]
    m["arms"]["sum_off"]["classes_covered"][2] = 7  # a run short of the digits' classes
    e = m["energies"]
    e["noise_ratio"][0] = 0.9  # noise below the digits on seed 0
    m["control"]["noise"] = [2 * v for v in e["noise"]]  # the control's noise far from the EBGAN's
    margin, d = m["arms"]["mean_pt"]["margin"], e["during"]
    d["fake"] = [[3.0 * margin, 2.5 * margin, 2.0 * margin, 1.5 * margin] for _ in d["fake"]]  # far above the margin
    d["real"] = [c[::-1] for c in d["real"]]  # the real batches' energy rising: the gap narrows
    t = readings.texts("ebgan", changed)
    assert t["collapse_read"] == "Not every run covers the digits"
    assert t["design_read"].endswith("fall short of every class or of recall 0.3 (the summed energy without it on seed 2)")
    assert t["noise_lead"].startswith("Images far from the digits do not get a higher energy")
    assert t["ratio_bar_read"].endswith("and here it does not")
    assert t["fake_margin_read"] == "not held near the margin (between 1.50 m and 3.00 m over the run)"
    assert t["real_falling_read"] == "does not keep falling on every seed"
    assert t["gap_trend_read"] == "The gap closes as training goes on: the runs move towards equal energies"
    assert t["discussion_equilibrium"] == "here every run ends away from it, though the gap narrows as training goes on"
    d["fake"][0] = [3.0 * margin, 1.5 * margin, 3.0 * margin, 1.5 * margin]  # seed 0's gap up and down
    t = readings.texts("ebgan", changed)
    assert t["gap_trend_read"] == "The gap neither widens nor closes on every seed as training goes on"
    assert t["discussion_equilibrium"] == "here every run ends away from it"
    t = readings.texts("ebgan", _with_verdict(changed, "ebgan.equilibrium", "holds"))
    assert t["eq_heading"] == "Near equilibrium" and t["discussion_equilibrium"].startswith("here the runs end near it")


def test_wgan_gp_hand_written_readings_follow_their_record():
    rec = record("wgan_gp")
    base = readings.texts("wgan_gp", rec)
    assert base["clip_shape_read"].startswith("The clipped critics (top) are mostly a function of the distance to the "
                                              "data's centre: a line in that distance explains 0.80–0.85")
    assert base["gp_shape_read"].startswith("The penalised critics (bottom) follow the data more closely than the "
                                            "clipped ones on every toy")
    assert base["paper_shape_read"].endswith("ours show that only in part")  # the penalised grid and roll critics
    assert base["surf_support_read"].endswith("nor a claim that the penalised critic estimates")  # follow the centre
    assert base["gp_lipschitz_read"].startswith("the penalised critic is not 1-Lipschitz")
    assert base["fan_read"].startswith("The paper's Figure 1b shows the same fan") and base["tuning_read"].startswith(
        "moves the network from exploding to vanishing gradients with little room between")
    assert (base["toy_seeds_word"], base["arch_img_design_txt"], base["chance_grid_read"]) == (
        "three", "four methods × three architectures × three seeds", "most of the grid's modes")
    assert base["track_vs_block"].endswith("by the draw of the samples alone")
    changed = copy.deepcopy(rec)
    m, p = changed["metrics"], changed["config"]
    s = m["surfaces"]
    s["swissroll"]["clipping_centre"] = 0.5  # a clipped critic not a function of the distance to the centre
    s["grid"]["penalty_data"] = s["grid"]["clipping_data"] - 0.1  # a penalised critic that follows the data less
    for t in s:
        s[t]["penalty_lipschitz"] = 0.9
    g = m["gradient_norms"]
    g["clipping c = 0.1"] = g["clipping c = 0.1"][::-1]  # vanishing at every c
    g["clipping c = 0.01"] = [1e-3, 1.0] * 6  # not on a line
    g["gradient penalty"] = [10.0 ** i for i in range(12)]
    p.update(toy_seeds=5, toy_samples=500, architectures=["baseline", "tanh"])
    m["toy_chance"]["grid"]["modes_covered"] = 4.3
    m["n_samples"] = 10_000
    t = readings.texts("wgan_gp", changed)
    assert t["clip_shape_read"].startswith("The clipped critics (top) are not all a simple function")
    assert t["gp_shape_read"].startswith("The penalised critics (bottom) do not follow the data more closely")
    assert t["paper_shape_read"].endswith("ours show that only in part")
    assert t["clip_part_read"].startswith("of which the clipped critic captures")
    assert t["disc_clip_read"].startswith("a function that here is not") and t["disc_gp_read"].startswith("though")
    assert t["gp_lipschitz_read"] == ("the penalised critic is 1-Lipschitz here (its largest gradient norm is 0.9, 0.9, "
                                      "0.9), so its bound is a true bound")
    assert t["surf_support_read"].startswith("does not support the paper's picture")
    assert t["fan_read"].startswith("The paper's Figure 1b shows a fan of straight lines on a log scale for clipping, "
                                    "from exploding to vanishing as c falls, and a flat line for the penalty; ours differs: "
                                    "clipping's lines are not straight (R² of a line through log10 of the norms 0.")
    assert t["fan_read"].endswith("at worst); clipping's gradients are vanishing at every c; the penalty's norms change by "
                                  "11.0 orders of magnitude")
    assert t["tuning_read"].endswith("not in our critic, whose gradients are vanishing at every c we tried")
    assert t["early_read"] == "at the first layer numerically zero (c = 0.001)"
    assert (t["toy_seeds_word"], t["arch_img_design_txt"], t["toy_samples_txt"], t["chance_grid_read"]) == (
        "five", "four methods × two architectures × five seeds", "500", "4.3 of the grid's 25 modes")
    assert "(the block's: 10,000 against 4,000)" in t["track_vs_block"]
    g["clipping c = 0.1"] = [10.0 ** (6 - i) for i in range(12)]  # exploding by eleven orders of magnitude
    s["ring"]["penalty_lipschitz"] = 5.0
    for t_ in s:
        s[t_]["penalty"] = s[t_]["clipping"] + 0.1  # the penalty's bound the larger on every toy
    t = readings.texts("wgan_gp", changed)
    assert t["early_read"] == "at the first layer astronomically large (c = 0.1) or numerically zero (c = 0.001)" and t["tuning_read"].startswith(
        "moves the network from exploding to vanishing gradients with little")
    assert t["gp_lipschitz_read"].startswith("the penalised critic's largest gradient norm is 5.0, 0.9, 0.9: where")
    assert t["surf_support_read"].endswith("and the penalised critic's larger bound on every toy says it estimates")


def test_gan_plateau_coverage_and_gap_sentences_follow_their_record():
    rec = record("gan")
    base = readings.texts("gan", rec)
    # the tracked FD: what it did, over how many seeds, the window named once; untracked: a whole sentence
    assert base["head_late_read"].count("over the last 30 % of the updates") == 1
    assert "on 2 of 3 seeds" in base["head_late_read"] and base["head_plateau_read"].startswith("Over the last 30 %")
    changed = copy.deepcopy(rec)
    hs = changed["metrics"]["headline_seeds"]
    hs["fd_late_change"] = [0.2, 0.05, 0.3]
    t = readings.texts("gan", changed)
    assert "rose by more than 10 % on 2 of 3 seeds" in t["head_late_read"] and "budget would" not in t["head_late_read"]
    hs["fd_late_change"] = [-0.2, -0.3, -0.4]
    assert "still falling by more than 10 % on every seed" in readings.texts("gan", changed)["head_plateau_read"]
    hs["fd_late_change"] = [None, None, None]
    t = readings.texts("gan", changed)
    assert (t["head_late_read"], t["head_plateau_read"]) == ("The FD was not tracked", "Its FD was not tracked")
    assert base["head_missing_txt"].startswith("class 0 (") and " %)" in base["head_missing_txt"]
    # coverage, read as coverage, counted
    hs["classes_covered"] = [10, 9, 10]
    t = readings.texts("gan", _with_verdict(changed, "gan.digits_classes", "inconclusive"))
    assert t["head_balance_read"].endswith("a class is all but missing (under 1 % of the samples) on 1 of 3 seeds")
    # the ring: a seed falling by more than 10 % is no plateau either
    ring = copy.deepcopy(rec)
    ring["metrics"]["toy_long"]["ring"]["late_change"] = [0.0, -0.3, 0.05, 0.0, 0.0]
    assert readings.texts("gan", ring)["ring_plateau_read"] == (
        "was still falling on seed 1: their counts are this budget's, not a plateau's")
    ring["metrics"]["toy_long"]["ring"]["late_change"] = [0.0, 0.0, 0.05, 0.0, -0.05]
    assert readings.texts("gan", ring)["ring_plateau_read"].startswith("had levelled off on every seed")
    # gaps the same on every seed do not rank the seeds, even in the FDs' order
    same = copy.deepcopy(rec)
    same["metrics"]["data_size"]["d_gap"]["full"] = [0.150, 0.152, 0.151]
    same["metrics"]["headline_seeds"]["fd"] = [700.0, 900.0, 800.0]
    t = readings.texts("gan", same)
    assert "the same gap on all three headline seeds" in t["gap_cost_read"] and "orders them" not in t["gap_cost_read"]
    assert "cannot rank them" in t["gap_cost_read"]
    t = readings.texts("gan", _with_verdict(same, "gan.d_overfits", "inconclusive"))
    assert t["gap_cost_read"].endswith(": the ledger does not establish the memorising, and no cost of it shows")


def test_infogan_counts_bar_and_target_read_as_their_rule():
    rec = record("infogan")
    base = readings.texts("infogan", rec)
    assert base["fd_read"] == "every InfoGAN seed is below it"
    assert base["c1_rising"] == "on no seed" and base["recall_cost"] == "lower than the baseline's on every paired seed"
    assert "target for the mean" not in base["discussion_c1"]
    assert base["discussion_c1"].endswith("(the mean over seeds, 0.88, is above 0.85, but the rule asks it of every seed, "
                                          "not of the mean)")
    assert readings.texts("infogan", _with_verdict(rec, "infogan.c1_classifies", "holds"))["discussion_c1"].endswith(
        "(the mean over seeds, 0.88)")
    changed = copy.deepcopy(rec)
    m = changed["metrics"]
    m["info"]["fd"] = [400.0, 100.0, 500.0, 90.0, 80.0]
    m["info"]["recall"] = [0.9, 0.1, 0.9, 0.5, 0.5]
    t = readings.texts("infogan", changed)
    assert t["fd_read"] == "3 of the 5 InfoGAN seeds are below it"
    assert t["recall_cost"] == "lower than the baseline's on 1 of 3 paired seeds"
    m["info"]["fd"] = [400.0] * 5
    m["info"]["recall"] = [0.9] * 5
    t = readings.texts("infogan", changed)
    assert t["fd_read"] == "no InfoGAN seed is below it" and t["recall_cost"] == "lower than the baseline's on no paired seed"
    assert readings.texts("infogan", _with_verdict(rec, "infogan.rotation_width", "inconclusive"))[
        "discussion_cont"].startswith("split into a slant code and a width code on 1 of 5 seeds;")


def test_wgan_readings_name_each_toy_each_check_and_the_seeds_they_read():
    rec = record("wgan")
    base = readings.texts("wgan", rec)
    assert base["toy_read"] == (
        "34 times the uniform cloud's on the ring, where the samples concentrate on modes, but only 1.5 times it on the "
        "grid (2.9% against 2.0%): read its grid mode count as that of a spread cloud, not of a model of the modes")
    assert base["head_plateau"].startswith("was still falling at the end on every seed:")  # -24 %, -18 %, -21 %
    assert base["checks_read"].endswith(
        "For the GAN the check among the runs of their own passes on 1 of 3 seeds and the check without the run of "
        "highest loss reading on 1 of 3 seeds: its ranking leans on them.")
    assert base["discussion_tracking"] == ("it is, since the final estimate ranks the runs as their FD does, beyond "
                                           "chance, on every seed")
    assert readings.texts("wgan", _with_verdict(rec, "wgan.tracks", "inconclusive"))["discussion_tracking"] == (
        "the seeds do not decide it (see the ledger)")
    assert readings.texts("wgan", _with_verdict(rec, "wgan.lines_direction", "fails"))["discussion_lines"] == (
        "here, though not at every θ ≠ 0 of the grid (see the ledger)")
    assert (base["lines_seeds_text"], base["head_seeds_text"], base["tracking_seeds_text"], base["weak_seeds_text"],
            base["toy_seeds_text"]) == ("3 seeds",) * 5
    changed = copy.deepcopy(rec)
    m, p = changed["metrics"], changed["config"]
    m["headline_seeds"]["fd_late_change"] = [-0.24, 0.02, -0.21]
    m["toy"]["wgan"]["ring"]["high_quality"] = 0.006  # the ring no better than the cloud either
    js = m["along_one_run"]["gan"]["loss"]
    js[-1] = js[0] + 1.0  # the GAN's JS rose along the run, with ρ > 0: it moved with the FD
    for q in m["weak_generators"]["toy"]["gan"]["curve"]:  # on the modes early, counts settled ...
        q["high_quality"], q["modes_covered"] = [0.9] * 3, [3, 4, 5]
    last = m["weak_generators"]["toy"]["gan"]["curve"][-1]
    last["high_quality"] = [0.6, 0.9, 0.9]  # ... but seed 0's share swinging by 30 points over the second half
    theta = m["lines"]["theta"]
    for g in m["lines"]["gradient"]["gan"]:
        g[0] = -0.1 if theta[0] > 0 else 0.1  # every seed's GAN gradient away from the data at one θ of ten
    p.update(lines_seeds=1, head_seeds=1, tracking_seeds=[0], weak_seeds=1, toy_seeds=1)
    t = readings.texts("wgan", changed)
    assert t["head_plateau"].startswith("was still falling at the end on seeds 0 and 2:")
    assert t["toy_read"].startswith("not clearly above the uniform cloud's share on either toy")
    assert t["gan_along"].startswith("rose with the FD too (ρ = 0.97 above), unlike")
    assert t["weak_gan_temper"].startswith("temper") and t["weak_gan_count"] == "unchanged near the end"
    assert t["gan_towards"] == "at 90% of the θ ≠ 0 on every seed"
    assert (t["lines_seeds_text"], t["head_seeds_text"], t["tracking_seeds_text"], t["weak_seeds_text"],
            t["toy_seeds_text"]) == ("1 seed",) * 5
    assert readings_wgan._spread([0.01, 0.008], 0.005, "ring").startswith(
        "it puts at most 2 times the uniform cloud's share of its samples near a mode, so its modes covered are those a "
        "spread cloud over the ring covers")


def test_began_readings_print_rho_to_two_decimals_and_read_sharpness_collapse_and_the_checks():
    rec = record("began")
    base = readings.texts("began", rec)
    assert (base["rho_precision"], base["chance_rho"], base["critical_rho"]) == ("-1.00 / -1.00 / -0.82", "0.80", "0.90")
    assert base["sharp_trend"].startswith("It rises with γ: here the samples are sharper at high γ, the opposite")
    assert (base["easiest"], base["hardest"]) == ("1 and 9", "2 and 8")  # each from its extreme
    assert base["checks_read"].startswith("The check without each seed's run of highest M_global passes on 1 of 3 seeds "
                                          "and the check among the runs of their own on 1 of 3 seeds:")
    assert base["discussion_tracking"].startswith("across runs it ranks them beyond chance, as the FD does, on every seed")
    assert readings.texts("began", _with_verdict(rec, "began.tracks", "inconclusive"))["discussion_tracking"] == (
        "across runs the seeds do not decide whether it ranks them as the FD does (the ledger)")
    assert readings.texts("began", _with_verdict(rec, "began.stable", "inconclusive"))["collapse_read"] == (
        "whether runs at its γ collapse is not decided by the seeds (some did at γ = 0.3 and 0.5)")
    assert (base["n_seeds"], base["coverage_seeds_txt"]) == ("3 seeds", "3 seeds")
    changed = copy.deepcopy(rec)
    m, p = changed["metrics"], changed["config"]
    for i, g in enumerate(m["gamma"]):
        m["gamma"][g]["sharpness"] = [0.2 - 0.01 * i] * rec["config"]["seeds"]
    for a in m["along"].values():  # the FD moves by less than a third after the first third: M_global levelled all the same
        a["fd"][-1] = a["fd"][next(i for i, u in enumerate(a["step"]) if u >= p["steps"] // 3)] * 0.9
    p.update(seeds=1, toy_seeds=1)
    t = readings.texts("began", changed)
    assert t["sharp_trend"] == "It falls as γ rises: the samples are sharper at low γ, as the paper says."
    assert t["along_read"] == "Read along one run, M_global has levelled off after it; the FD moves less than a third."
    assert (t["n_seeds"], t["coverage_seeds_txt"]) == ("1 seed", "1 seed")


def test_counts_of_seeds_read_every_no_or_k_of_n():
    assert [readings.of_count(k, n) for k, n in ((3, 3), (0, 3), (2, 3), (1, 1))] == [
        "every seed", "no seed", "2 of 3 seeds", "its one seed"]
    assert [readings.counted(n, "seed") for n in (1, 3)] == ["1 seed", "3 seeds"]


def test_wgan_gp_critics_follow_the_data_only_where_the_distance_to_the_data_beats_the_centre():
    rec = record("wgan_gp")
    base = readings.texts("wgan_gp", rec)
    # the committed record: the penalised grid and roll critics fit the distance to the centre better (0.95, 0.88)
    assert "only on the ring (on the ring 0.93 against 0.87; on the grid 0.82 against 0.95" in base["gp_shape_read"]
    assert base["disc_gp_read"].endswith("than the distance to the data's centre only on the ring")
    assert base["disc_clip_read"] == ("a function mostly of the distance to the data's centre, which explains 0.80–0.85 "
                                      "of its variance against 0.63–0.74 for the distance to the data")
    assert base["dir_small"] == "both vanishing"
    assert base["early_read"] == ("at the first layer 1,815 times the last layer's (c = 0.1) or numerically zero "
                                  "(c = 0.01 and c = 0.001)")
    assert "on every seed): it had not levelled off (a curve that has not levelled need not keep falling)" in \
        base["head_plateau_read"] and "longer budget" not in base["head_plateau_read"]
    assert base["budget_read"].startswith("the budget at which WGAN-GP's share")  # 5,000 updates = the level
    assert base["long_inner_verdict"] == "concentrates its samples at the inner modes about as much as at the border"
    changed = copy.deepcopy(rec)
    m = changed["metrics"]
    s = m["surfaces"]
    for t in s:
        s[t]["penalty_centre"] = s[t]["penalty_data"] - 0.05  # the distance to the data the better fit on every toy
        s[t]["penalty"] = s[t]["clipping"] - 0.05  # the clipped bound the larger, beyond a tie, on every toy
    m["toy_long"]["grid"]["per_mode_inner"] = 30.0  # inner modes well above chance, well below the border's 87
    m["headline_seeds"]["fd_late_change"] = [0.2, 0.05, 0.0]  # rising on one seed
    m["toy_protocol"]["steps"] = 6000  # past the level
    t = readings.texts("wgan_gp", changed)
    assert t["gp_shape_read"].startswith("The penalised critics (bottom) follow the data: the distance to the nearest")
    assert t["disc_gp_read"] == "and the critic follows the data"
    assert t["paper_shape_read"].startswith("The paper shows the same pictures")
    assert t["surf_gp_better"] == "on no toy"
    assert t["long_inner_verdict"] == "concentrates its samples at the inner modes, less than at the border"
    assert t["head_plateau_read"] == "rose over the last 30 % of the updates on 1 of 3 seeds: it had not levelled off"
    assert t["budget_read"].startswith("past the 5,000 updates at which")
    for t_ in s:
        s[t_]["penalty_centre"] = 0.99  # the centre the better fit everywhere
    m["toy_long"]["grid"]["per_mode_inner"] = m["toy_long"]["grid"]["per_mode_border"] = 1.0  # chance's level
    t = readings.texts("wgan_gp", changed)
    assert "but on no toy more closely than the distance to the data's centre" in t["gp_shape_read"]
    assert t["long_inner_verdict"].startswith("puts no more than twice the uniform cloud's samples")
    m["toy_long"]["grid"]["curve"] = [{"step": q["step"], "high_quality": [0.1 * (i + 1)] * 3}
                                      for i, q in enumerate(m["toy_long"]["grid"]["curve"])]  # rising to the end
    assert readings.texts("wgan_gp", changed)["grid_plateau_read"].startswith("it was still rising: it had not levelled")


def test_ebgan_floor_margins_class_counts_and_seed_nouns():
    rec = record("ebgan")
    base = readings.texts("ebgan", rec)
    assert base["pt_vs_floor"] == "larger than that floor on every seed, by 0.007 / 0.040 / 0.013"
    assert (base["min_classes"], base["n_seeds"], base["n_training_seeds"], base["toy_seeds_text"]) == (
        "all 10", "3 seeds", "3 training seeds", "3 seeds")
    high = next(c for c in rec["claims"] if c["id"] == "ebgan.noise_high")
    assert high["verdict"] == "fails"
    from gdm import claims
    claim = next(c for c in claims.claims_of("ebgan") if c.id == "ebgan.noise_high")
    assert claims.render(claim.texts["fails"], high).endswith("(0.327 against 10 × 0.0382 = 0.382)")
    one = copy.deepcopy(rec)
    one["config"].update(seeds=1, toy_seeds=1)
    one["metrics"]["arms"]["sum_off"]["classes_covered"][0] = 8
    t = readings.texts("ebgan", one)
    assert (t["n_seeds"], t["n_training_seeds"], t["toy_seeds_text"], t["min_classes"]) == (
        "1 seed", "1 training seed", "1 seed", "at least 8 of the 10")


def test_gmmn_sentences_follow_the_verdicts_and_the_numbers_of_their_record():
    rec = record("gmmn")
    base = readings.texts("gmmn", rec)
    starts = {("holds", "holds"): "The two readings are consistent", ("fails", "holds"): "So the noise is there",
              ("holds", "fails"): "The small batch ends worse", ("fails", "fails"): "The gradient's noise does not swamp",
              ("inconclusive", "holds"): "With the batch comparison inconclusive",
              ("inconclusive", "inconclusive"): "With the batch comparison and the noise inconclusive"}
    for (big, noise), start in starts.items():
        r = _with_verdict(_with_verdict(rec, "gmmn.large_batches", big), "gmmn.batch_noise", noise)
        t = readings.texts("gmmn", r)
        assert t["mechanism_read"].startswith(start) and t["discussion_batch"] == t["mechanism_read"]
    for fd, parzen, start in (("holds", "holds", "Here the auto-encoder helps in both"), ("fails", "holds", "Here it raises"),
                              ("holds", "fails", "Here it helps in FD"), ("fails", "fails", "Here it helps in neither")):
        r = _with_verdict(_with_verdict(rec, "gmmn.ae_boosts_fd", fd), "gmmn.ae_boosts_parzen", parzen)
        assert readings.texts("gmmn", r)["discussion_codes"].startswith(start)
    all_hold = rec
    for i in ("gmmn.moments_mean", "gmmn.moments_second", "gmmn.moments_all"):
        all_hold = _with_verdict(all_hold, i, "holds")
    assert readings.texts("gmmn", all_hold)["discussion_moments"].startswith("The 1-D fits follow the slides on every seed")
    none = _with_verdict(_with_verdict(_with_verdict(rec, "gmmn.moments_mean", "fails"), "gmmn.moments_second", "fails"),
                         "gmmn.moments_all", "fails")
    assert readings.texts("gmmn", none)["discussion_moments"] == "Of the slides' three statements the fits bear out 0 on every seed."
    both = _with_verdict(_with_verdict(rec, "gmmn.data_parzen", "holds"), "gmmn.ae_parzen", "holds")
    assert readings.texts("gmmn", both)["discussion_paper"].count("met on every seed") == 2
    changed = copy.deepcopy(rec)
    m = changed["metrics"]
    n = len(m["gmmn_seeds"]["fd"])
    m["moments"]["linear"]["m2"] = [4.0] * n  # no spike at the mean
    m["moments"]["gaussian"]["between"] = [m["moments"]["data"]["between"]] * n  # bimodal on every seed
    m["gmmn_seeds"]["fd_late_change"] = [0.01] * n  # levelled
    m["parzen_real_ll"] = -1e9  # every model above the real digits
    big = {f"b{b}": [1000.0 - 100 * i] * n for i, b in enumerate(sorted([*rec["config"]["batch_sizes"], rec["config"]["batch_size"]]))}
    for k, v in big.items():
        m["batch"][k]["fd"] = v  # falling with the batch size on every seed
    m["toy_geometry"]["kernel_std"] = [0.5, 2.0]  # the narrower kernel below both toys' spacing
    t = readings.texts("gmmn", changed)
    assert t["m2_linear_read"].startswith("its spread is whatever") and base["m2_linear_read"] != t["m2_linear_read"]
    assert t["bimodal_read"].endswith("on every seed")
    assert t["gmmn_plateau"].startswith("had levelled off") and "some seeds score above the real" in t["ll_real_read"]
    assert t["batch_read"].endswith("on every seed.") and "the narrower kernel tells neighbouring modes apart on both toys" in t["toy_resolve"]


def test_mmd_gan_sentences_follow_the_verdicts_and_the_numbers_of_their_record():
    rec = record("mmd_gan")
    starts = {("holds", "holds"): "MMD-GAN is ahead of GMMN at batch 64 both", ("holds", "fails"): "Per generator update MMD-GAN",
              ("holds", "inconclusive"): "Per generator update MMD-GAN", ("fails", "fails"): "Not even per generator update",
              ("inconclusive", "holds"): "Per generator update the comparison is undecided"}
    for (upd, comp), start in starts.items():
        r = _with_verdict(_with_verdict(rec, "mmd_gan.beats_gmmn_updates", upd), "mmd_gan.beats_gmmn_compute", comp)
        assert readings.texts("mmd_gan", r)["discussion_compute"].startswith(start)
    kernel = {v: readings.texts("mmd_gan", _with_verdict(rec, "mmd_gan.learned_kernel_sees", v))["discussion_kernel"]
              for v in ("holds", "fails", "inconclusive")}
    assert len(set(kernel.values())) == 3
    changed = copy.deepcopy(rec)
    m = changed["metrics"]
    n = len(m["mmd_seeds"]["fd"])
    m["two_sample"]["gmmn"]["pixel_power"] = [0.1] * n  # the fixed kernel blind at the batch on every seed
    m["two_sample"]["gmmn"]["learned_power"] = [0.1] * n  # and the learned one
    m["two_sample"]["mmd_gan"]["pixel_power"] = [0.9] * n  # while the fixed kernel sees MMD-GAN's samples
    t = readings.texts("mmd_gan", changed)
    assert "Neither kernel tells GMMN's samples" in t["power_read"] and "GMMN has nearly matched the one kernel" in t["power_read"]
    m["two_sample"]["gmmn"]["learned_power"] = [0.9] * n  # the learned one sees it
    m["two_sample"]["mmd_gan"]["pixel_z"] = [z + 1 for z in m["two_sample"]["gmmn"]["pixel_z"]]  # MMD-GAN's the farther
    m["mmd_seeds"]["fd_late_change"] = [0.01] * n
    m["chapter08"]["large_batches"] = "holds"
    m["equal_time"]["mmd_gan"] = [x + 1e4 for x in m["equal_time"]["gmmn"]]  # behind on the clock
    m["equal_passes"]["mmd_gan"] = [x - 1 for x in m["equal_passes"]["gmmn"]]  # ahead by the count
    t = readings.texts("mmd_gan", changed)
    assert "the learned one catches it." in t["power_read"]
    assert "the closer to the held-out digits on no seed" in t["mmd_view_read"]
    assert t["mmd_plateau"].startswith("had levelled off") and "that requirement held" in t["discussion_batch"]
    assert t["compute_read"].count("the verdict at equal compute depends on how compute is measured") == 1
    m["two_sample"]["gmmn"]["pixel_power"] = [0.9] * n
    m["chapter08"] = None
    t = readings.texts("mmd_gan", changed)
    assert "most mini-batches of 64 on every seed" in t["power_read"] and t["discussion_batch"].startswith("Chapter 08")


def test_vae_sentences_follow_the_verdicts_and_the_numbers_of_their_record():
    rec = record("vae")
    kl = {}
    for init in ("holds", "fails", "inconclusive"):
        for trained in ("holds", "fails", "inconclusive"):
            r = _with_verdict(_with_verdict(rec, "vae.analytic_kl_init", init), "vae.analytic_kl_trained", trained)
            kl[init, trained] = readings.texts("vae", r)["discussion_kl"]
    assert len(set(kl.values())) == 9 and kl["holds", "fails"].startswith("The closed-form KL lowers the spread of the bound's estimate at")
    both = _with_verdict(_with_verdict(rec, "vae.superfluous", "holds"), "vae.active_units", "holds")
    assert readings.texts("vae", both)["discussion_regular"].startswith("The paper's \"superfluous latent variables did not "
                                                                        "result in overfitting\" is borne out, and most")
    changed = copy.deepcopy(rec)
    m = changed["metrics"]
    n = len(m["head_seeds"]["stop_step"])
    for toy in m["collapse"]:
        m["collapse"][toy]["active"] = [0] * n  # every toy encoder collapsed
        m["toy"]["vae"][toy]["per_seed"]["modes_covered"] = [1] * n  # and every seed misses modes
    m["decoders"]["gaussian"]["kl"] = [x + 1000 for x in m["decoders"]["bernoulli"]["kl"]]
    t = readings.texts("vae", changed)
    assert t["collapse_read"].count("every seed misses modes with fewer active units than the toy's two dimensions") == 2
    assert "makes information in the code cheap" in t["gauss_read"]
    m["decoders"]["gaussian"]["kl"] = [x - 1 for x in m["decoders"]["bernoulli"]["kl"]]
    assert "larger on no seed" in readings.texts("vae", changed)["gauss_read"]
    sizes = sorted(k for k in m["sweep"] if k.startswith("z"))
    for i, k in enumerate(sorted(sizes, key=lambda k: int(k[1:]))):
        m["sweep"][k]["gap"] = [10.0 - i] * n  # shrinking with the latent size
    assert "the train − test gap shrinks as N_z grows" in readings.texts("vae", changed)["sweep_read"]
