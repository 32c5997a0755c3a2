"""gdm.metrics.tracking: does a loss track quality, across runs (final values), per seed."""
import itertools
import math
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from scipy.stats import spearmanr

from gdm.metrics import tracking


def test_critical_rho_is_the_exact_one_sided_five_percent_bar():
    # published one-sided 5 % critical values of Spearman's rho (e.g. Zar 1972, Table 1)
    assert [round(tracking.critical_rho(n), 3) for n in (5, 6, 7, 8)] == [0.9, 0.829, 0.714, 0.643]
    # and by its definition: the share of the n! rankings reaching the bar is at most 5 %, one step below more
    n = 7
    rhos = np.array([spearmanr(range(n), p).statistic for p in itertools.permutations(range(n))])
    bar = tracking.critical_rho(n)
    assert np.mean(rhos >= bar - 1e-9) <= 0.05
    assert np.mean(rhos >= np.max(rhos[rhos < bar - 1e-9]) - 1e-9) > 0.05
    with pytest.raises(ValueError, match="at least 3"):
        tracking.critical_rho(2)


def test_spearman_matches_scipy_and_refuses_where_undefined():
    x, y = [3.0, 1.0, 4.0, 1.5, 5.0], [2.0, 0.5, 3.0, 1.0, 10.0]
    assert tracking.spearman(x, y) == pytest.approx(spearmanr(x, y).statistic)
    assert tracking.spearman([1, 2], [2, 3]) is None  # too few
    assert tracking.spearman([1, 1, 1], [1, 2, 3]) is None  # constant
    assert tracking.spearman([1, 2, math.nan], [1, 2, 3]) is None


def test_window_mean_reads_the_last_updates():
    h = {"step": [10, 20, 30, 40], "critic": [4.0, 3.0, 2.0, 1.0], "events": []}
    assert tracking.window_mean(h, "critic", width=20) == pytest.approx(1.5)  # steps 30 and 40
    assert tracking.window_mean(h, "critic", until=20, width=10) == pytest.approx(3.0)
    assert tracking.last("critic", 20, transform=lambda v: -v)(SimpleNamespace(history=h)) == pytest.approx(-1.5)
    with pytest.raises(KeyError, match="logged: \\['critic'\\]"):
        tracking.window_mean(h, "d_loss")


class _Model:
    def __init__(self, level):
        self.level = level

    def sample(self, n, generator):
        return torch.full((n, 1), float(self.level))


def _fake_train(cfg):
    # a run whose final loss is cfg["loss"] and whose samples carry its quality cfg["q"]
    return SimpleNamespace(id=f"run-{cfg['seed']}-{cfg['q']}", model=_Model(cfg["q"]),
                           history={"step": [10], "critic": [cfg["loss"]], "events": []})


def test_across_runs_correlates_final_values_per_seed(monkeypatch):
    import gdm.metrics.features as features

    monkeypatch.setattr(features, "fd_to_data", lambda x, *a, **k: float(x.mean()) * 10)
    settings = {"a": {"q": 1, "loss": 0.1}, "b": {"q": 2, "loss": 0.3}, "c": {"q": 3, "loss": 0.2}, "d": {"q": 4, "loss": 0.9}}

    def config_of(over, seed):  # seed 1 reverses the loss's order: it tracks quality backwards there
        return {**over, "seed": seed, "loss": over["loss"] if seed == 0 else -over["loss"]}

    study = tracking.across_runs(config_of, settings, [0, 1], tracking.last("critic", 10), "mnist5k", n=5,
                                 train=_fake_train)
    m = study.metrics
    assert m["fd"] == [[10.0, 20.0, 30.0, 40.0]] * 2
    assert m["rho"] == [pytest.approx(0.8), pytest.approx(-0.8)]
    assert m["critical_rho"] == 1.0  # 4 runs: only a perfect ranking is below 5 % (1/24)
    assert m["rho_mean"] == pytest.approx(0.0)
    assert len(study.runs) == 8 and study.runs[0].id == "run-0-1"
    with pytest.raises(ValueError, match="at least 3 settings"):
        tracking.across_runs(config_of, dict(list(settings.items())[:2]), [0], tracking.last("critic"), "mnist5k",
                             train=_fake_train)


def test_chance_rho_is_the_value_just_below_the_bar():
    for n in (5, 6, 7):
        rhos = np.unique(np.round([spearmanr(range(n), p).statistic for p in itertools.permutations(range(n))], 9))
        below = rhos[rhos < tracking.critical_rho(n) - 1e-9].max()
        assert tracking.chance_rho(n) == pytest.approx(below)


def test_settings_are_written_as_text_and_scale_the_headline_config():
    assert tracking.setting("headline", ("lr",)) == {}
    assert tracking.setting("lr × 5", ("lr", "steps")) == {"lr": 5.0}
    assert tracking.setting("steps × 10, lr × 20", ("lr", "steps")) == {"steps": 10.0, "lr": 20.0}
    for bad in ("lr x 5", "width × 2", "lr × -1", "lr × fast", "lr × 2, lr × 3", "lr × 2,"):
        with pytest.raises(ValueError, match="'headline' or '<key> × <factor>'"):
            tracking.setting(bad, ("lr", "steps"))
    cfg = {"steps": 600, "lr": 5e-5, "g_hidden": [512, 512], "g_width": 16, "bn": True}
    assert tracking.scaled(cfg, {"steps": 1 / 6, "lr": 20.0, "g_hidden": 0.25, "g_width": 0.01}) == \
        {"steps": 100, "lr": pytest.approx(1e-3), "g_hidden": [128, 128], "g_width": 1}
    with pytest.raises(ValueError, match="cannot be scaled"):
        tracking.scaled(cfg, {"bn": 2.0})


def test_with_three_runs_no_rank_correlation_can_pass():
    assert tracking.critical_rho(3) == math.inf and tracking.chance_rho(3) == math.inf


def test_late_change_and_plateau():
    from gdm.metrics.tracking import late_change, plateau

    curve = [(500 * i, 1000.0 / i) for i in range(1, 13)]  # steps 500 .. 6000, FD falling as 1 / step
    # the last 30 % of 6,000 updates starts at 4,200: the nearest point is 4,000 (FD 125), the last 1000 / 12
    assert late_change(curve) == pytest.approx((1000 / 12) / 125 - 1)
    assert late_change([(10, 2.0), (20, 3.0)], tail=0.3) == pytest.approx(0.5)  # the only earlier point
    assert late_change([(10, 2.0)]) is None and late_change([]) is None
    assert late_change([(10, 0.0), (20, 0.0)]) == 0.0 and late_change([(10, 0.0), (20, 0.4)]) is None  # from zero
    assert plateau([-0.05, 0.02, 0.09]) == "levelled"
    assert plateau([-0.05, -0.3, 0.2]) == "falling" and plateau([0.05, 0.3]) == "rising"
    assert plateau([None, 0.01]) == "levelled" and plateau([None]) == "unknown"


def test_value_at_reads_the_nearest_tracked_step():
    curve = [[500, 0.4], [1000, 0.7], [1500, 0.8]]
    assert tracking.value_at(curve, 1000) == 0.7 and tracking.value_at(curve, 1300) == 0.8
    assert tracking.value_at(curve, 750) == 0.4  # equally near 500 and 1,000: the earlier
    assert tracking.value_at(curve, 10_000) == 0.8 and tracking.value_at([(9, 2.5)], 0) == 2.5


def test_along_one_run_reads_the_loss_before_each_tracked_point():
    class Run:
        history = {"step": list(range(0, 100, 10)), "critic": [float(v) for v in range(10, 0, -1)]}
    t = tracking.along(Run(), [[50, 8.0], [100, 4.0]], "critic", 20)
    assert t["step"] == [50, 100] and t["fd"] == [8.0, 4.0]
    assert t["loss"] == [tracking.window_mean(Run.history, "critic", 50, 20), tracking.window_mean(Run.history, "critic", 100, 20)]
    assert t["spearman"] is None  # two points: no rank correlation
    js = tracking.along(Run(), [[30, 1.0], [60, 2.0], [90, 3.0]], "critic", 10, transform=lambda v: -v)
    assert js["loss"] == [-tracking.window_mean(Run.history, "critic", u, 10) for u in (30, 60, 90)]
    assert js["spearman"] == pytest.approx(1.0)  # the critic falls with time, its negation rises with the FD


def test_robustness_reads_the_study_without_its_worst_run_and_without_cut_runs():
    m = {"settings": {"headline": {}, "steps × 0.5": {"steps": 0.5}, "lr × 0.1": {"lr": 0.1}, "lr × 3": {"lr": 3.0},
                      "lr × 10": {"lr": 10.0}},
         "loss": [[0.1, 0.2, 0.3, 0.4, 5.0], [0.1, 0.2, 0.4, 0.3, 5.0], [0.1, None, 0.3, 0.4, 5.0]],
         "fd": [[1.0, 2.0, 3.0, 4.0, 9.0], [1.0, 2.0, 3.0, 4.0, 9.0], [1.0, 2.0, 3.0, 4.0, 9.0]]}
    r = tracking.robustness(m)
    assert r["top"] == ["lr × 10", "lr × 10", None] and r["low"][:2] == ["headline", "headline"]
    assert r["own"] == ["headline", "lr × 0.1", "lr × 3", "lr × 10"]
    assert r["rho_without_top"][0] == pytest.approx(1.0) and r["rho_without_top"][1] == pytest.approx(0.8)
    assert r["rho_own"][1] == pytest.approx(spearmanr([0.1, 0.4, 0.3, 5.0], [1, 3, 4, 9]).statistic)
    assert r["chance_without_top"] == tracking.chance_rho(4) and r["chance_own"] == tracking.chance_rho(4)
    assert r["passed"] == {"rho_without_top": 1, "rho_own": 1}  # 4 points: only a perfect ranking clears chance


def test_above_from_is_the_update_after_the_last_one_not_above():
    from gdm.metrics.tracking import above_from

    h = {"step": [0, 1, 2, 3, 4], "fake": [1.0, 3.0, 2.0, 5.0, 6.0], "real": [2.0, 2.0, 2.0, 4.0, 4.0]}
    assert above_from(h, "fake", "real") == 4  # step 2 (update 3) is the last at or below: above from update 4 on
    assert above_from(h, "real", "fake") == 6  # below at the last step: never above to the end
    assert above_from({"step": [0, 1], "a": [2.0, 3.0], "b": [1.0, 1.0]}, "a", "b") == 1
