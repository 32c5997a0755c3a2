"""gdm.fits (chapter 02's Gaussian fits) against closed forms, and gdm.metrics.tracking.noise_floor."""
import math

import numpy as np
import pytest
import torch

from gdm import data, fits
from gdm.metrics import tracking


def kl_gauss(m1, s1, m2, s2):  # KL(N(m1, s1²) || N(m2, s2²)), closed form
    return math.log(s2 / s1) + (s1 ** 2 + (m1 - m2) ** 2) / (2 * s2 ** 2) - 0.5


def test_divergence_to_a_gaussian_is_the_closed_form_kl_both_ways():
    p = data.gaussian(0.5, 0.8)
    assert fits.divergence_to("kl", p, -1.0, 1.5) == pytest.approx(kl_gauss(0.5, 0.8, -1.0, 1.5), rel=1e-6)
    assert fits.divergence_to("reverse_kl", p, -1.0, 1.5) == pytest.approx(kl_gauss(-1.0, 1.5, 0.5, 0.8), rel=1e-6)


def test_the_direct_minimiser_of_a_gaussian_is_that_gaussian_and_of_the_mixture_the_known_one():
    best = fits.direct_minimiser("kl", data.gaussian(0.7, 1.3))
    assert (best["mu"], best["sigma"], best["d"]) == pytest.approx((0.7, 1.3, 0.0), abs=2e-3)
    # KL's minimiser over Gaussians matches the moments: mean 0, variance 0.5² + 2² for mixture1d
    kl = fits.direct_minimiser("kl", data.toy("mixture1d"))
    assert (kl["mu"], kl["sigma"]) == pytest.approx((0.0, math.sqrt(0.25 + 4.0)), abs=2e-3)
    assert len(kl["local_minima"]) == 1


def test_distance_ignores_the_mirror_image_and_the_reverse_kl_excess_is_zero_at_its_minima():
    assert fits.distance((-2.0, 0.5), (2.0, 0.6)) == pytest.approx(0.1)
    assert fits.distance((0.3, 2.0), (0.0, 2.0)) == pytest.approx(0.3)
    mixture = data.toy("mixture1d")
    minima = fits.reverse_kl_minima(mixture, fits.direct_minimiser("reverse_kl", mixture))
    assert minima["on a mode"] == pytest.approx((2.0, 0.5), abs=2e-3)
    assert minima["on μ = 0"][1] == pytest.approx(1.736, abs=2e-3)
    for g in minima.values():
        assert fits.reverse_kl_excess(g, mixture, minima) == pytest.approx(0.0, abs=1e-12)
    assert fits.reverse_kl_excess((0.0, 2.0), mixture, minima) > 0.01
    assert fits.reverse_kl_excess(None, mixture, minima) is None


def test_summary_reads_each_seed_over_the_divergences():
    rec = lambda mu, sigma, d, critic, se, modes, dist: dict(mu=mu, sigma=sigma, d=d, critic=critic, se=se, modes=modes,
                                                             distance=dist)
    f = {"kl": {0: rec(0, 2, 1.0, 0.9, 0.1, 2, 0.01), 1: rec(0, 2, 1.0, 1.05, 0.01, 2, 0.02)},
         "pearson": {0: rec(0, 2, 2.0, 1.96, 0.02, 2, 0.04), 1: rec(0, 2, 2.0, 2.0, 0.02, 1, 0.0)},
         "reverse_kl": {0: rec(2, .5, .7, .7, .01, 1, 0.0), 1: rec(2, .5, .7, .69, .01, 1, 0.0)},
         "jensen_shannon": {0: rec(0.1, 2, .4, .4, .01, 2, 0.0), 1: rec(0.1, 2, .4, .4, .01, 2, 0.0)},
         "gan": {0: rec(0.1, 2.004, -1, -1, .01, 2, 0.0), 1: rec(0.097, 2, -1, -1, .01, 2, 0.0)}}
    s = fits.summary(f, [0, 1])
    assert s["worst"] == [0.04, 0.02]
    assert s["bound_gap"] == pytest.approx([0.1, 0.05])
    assert s["bound_z"] == pytest.approx([0.0, 5.0])
    assert s["cover_pattern"] == [1, 0]  # seed 1: Pearson covers one mode
    assert s["js_gan"] == pytest.approx([0.004, 0.003])
    assert s["per_divergence"]["kl"]["critic"] == [0.9, 1.05]


def test_the_noise_floor_is_the_larger_of_the_pair_difference_and_the_seeds_spread():
    values = {"a": [10.0, 14.0, 12.0], "b": [11.0, 4.0, None], "c": [0.0, 2.0, 4.0]}
    floor, within = tracking.noise_floor(values, "a", "b")
    sds = [np.std([10, 14, 12], ddof=1), np.std([11, 4], ddof=1), 2.0]
    assert within == pytest.approx(math.sqrt(np.mean(np.square(sds))))
    assert floor[:2] == pytest.approx([max(1.0, within), max(10.0, within)])
    assert floor[2] is None


def test_a_trained_fit_is_scored_from_its_generator_and_critic():
    from gdm.config import make_config
    from gdm.runs import load_or_train

    mixture = data.toy("mixture1d")
    cfg = make_config("fgan", divergence="kl", dataset="mixture1d", steps=30, batch_size=128, seed=0, z_dim=1,
                      z_prior="normal", g_arch="affine", g_init_mean=-1.0, g_init_std=1.0, d_arch="mlp",
                      d_hidden=[8], d_dropout=0.0, d_input_dropout=0.0, lr=0.002, g_loss="minimax")
    run = load_or_train(cfg)
    direct = {"mu": 0.0, "sigma": math.sqrt(4.25)}
    rec = fits.score(run, "kl", mixture, direct, seed=0, n=2000, n_cover=500)
    mu, sigma = fits.gaussian_of(run)
    assert (rec["mu"], rec["sigma"]) == (mu, sigma) and rec["distance"] == fits.distance((mu, sigma), (0.0, direct["sigma"]))
    assert rec["d"] == pytest.approx(fits.divergence_to("kl", mixture, mu, sigma)) and rec["modes"] in (0, 1, 2)
    assert fits.critic_gap(run, "kl", mixture, seed=0, n=2000) == pytest.approx(abs(rec["critic"] - rec["d"]) / rec["d"])


def _config(s, steps, k=1, lr=0.002, g_loss="alternative"):
    from gdm.config import make_config

    return make_config("fgan", divergence="kl", dataset="mixture1d", steps=steps, batch_size=128, seed=s, z_dim=1,
                       z_prior="normal", g_arch="affine", g_init_mean=-1.0, g_init_std=1.0, d_arch="mlp",
                       d_hidden=[8], d_dropout=0.0, d_input_dropout=0.0, lr=lr, g_loss=g_loss, k=k)


def test_the_arms_of_a_game_are_read_at_the_full_and_half_budget_and_a_diverged_run_is_kept_as_missing(monkeypatch):
    from gdm import runs
    from gdm.errors import TrainingDivergedError

    real = runs.load_or_train

    def fake(cfg, **kw):  # the arm with two critic updates "diverges" on seed 1 at its full budget
        if cfg["k"] == 2 and cfg["seed"] == 1 and cfg["steps"] == 20:
            err = TrainingDivergedError("NaN in the losses")
            err.step = 17
            raise err
        return real(cfg, **kw)

    monkeypatch.setattr(runs, "load_or_train", fake)
    mixture = data.toy("mixture1d")
    settings = {"one": {"k": 1, "lr": 0.002}, "two": {"k": 2, "lr": 0.001}}
    out = fits.arms(lambda s, **kw: _config(s, **kw), settings, [0, 1], 20, mixture, long_steps=30)
    assert out.fits["two"][1] is None and out.diverged_at == {"two": {1: 17}} and out.gap["two"][1] is None
    assert out.diverged_ids == [runs.run_id(_config(1, 20, k=2, lr=0.001))]
    for a, kw in settings.items():  # every other value is the run's own, read again here
        for s in (0, 1):
            for steps, store in ((20, out.fits), (10, out.half)):
                if store[a][s] is not None:
                    assert store[a][s] == fits.gaussian_of(real(_config(s, steps, **kw)))
    assert out.longer[0] == fits.gaussian_of(real(_config(0, 30)))
    minimiser, minima = (0.0, 2.06), {"on a mode": (2.0, 0.5), "on μ = 0": (0.0, 1.74)}
    block = out.block(mixture, minimiser, minima)
    assert block["two"]["mu"][1] is None and block["two"]["sigma_half"][1] == out.half["two"][1][1]
    assert block["settled"]["one"] == [fits.distance(out.fits["one"][s], out.half["one"][s]) for s in (0, 1)]
    assert block["settled"]["two"][1] is None and block["two_rkl_excess"][1] is None
    assert block["one_from_kl"] == [fits.distance(out.fits["one"][s], minimiser) for s in (0, 1)]
    assert block["one_longer"]["rkl_excess"] == [fits.reverse_kl_excess(out.longer[s], mixture, minima) for s in (0, 1)]


def test_a_2d_affine_fit_reads_its_modes_and_its_spread_from_its_weights():
    from gdm.config import make_config
    from gdm.runs import load_or_train

    mixture = data.toy("mixture2d")
    run = load_or_train(make_config("fgan", divergence="kl", dataset="mixture2d", steps=5, batch_size=64, seed=0, z_dim=2,
                                    z_prior="normal", g_arch="affine", g_init_mean=-1.0, g_init_std=1.0, d_arch="mlp",
                                    d_hidden=[8], d_dropout=0.0, d_input_dropout=0.0, lr=0.002))
    with torch.no_grad():
        run.model.generator.weight.copy_(torch.tensor([[2.0, 0.0], [0.0, 0.5]]))
    x, rec = fits.mixture2d(run, mixture, seed=0, n=4000)
    assert rec["spread"] == pytest.approx(1.0)  # det(A Aᵀ)^¼ = (2 · 0.5)^½
    cover = __import__("gdm").metrics.mode_coverage(x, mixture.means, mixture.std)
    assert rec["modes_covered"] == cover["modes_covered"] and rec["min_share"] == min(cover["per_mode"]) / 4000
    assert x.std(0).tolist() == pytest.approx([2.0, 0.5], rel=0.05)


def test_moments_1d_of_a_sample_against_closed_forms_and_scipy():
    from scipy.stats import wasserstein_distance

    v = np.array([-2.0, -0.5, 0.5, 2.0])
    m = fits.moments_1d(v, v[:, None])
    assert m == {"mean": 0.0, "m2": (4 + 0.25 + 0.25 + 4) / 4, "between": 0.5, "w1": 0.0}
    ref = np.random.default_rng(0).normal(size=1000)
    assert fits.moments_1d(v, ref)["w1"] == pytest.approx(wasserstein_distance(v, ref))
    assert fits.per_seed([{"a": 1, "b": 2}, {"a": 3, "b": 4}]) == {"a": [1, 3], "b": [2, 4]}
