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
