import math

import numpy as np
import pytest
import torch
from scipy.special import logsumexp
from sklearn.neighbors import KernelDensity

from gdm import data, metrics


def test_parzen_matches_scikit_learn_and_a_direct_sum():
    rng = np.random.default_rng(0)
    samples, points = rng.normal(size=(300, 5)), rng.normal(size=(40, 5)) + 0.3
    for sigma in (0.2, 0.7, 1.5):
        ours = metrics.parzen_log_likelihood(samples, points, sigma, chunk=7).numpy()
        d2 = ((points[:, None] - samples[None]) ** 2).sum(-1)
        direct = logsumexp(-d2 / (2 * sigma**2), 1) - np.log(300) - 2.5 * np.log(2 * np.pi * sigma**2)
        assert np.allclose(ours, direct, rtol=0, atol=1e-9)
        ref = KernelDensity(kernel="gaussian", bandwidth=sigma).fit(samples).score_samples(points)
        # scikit-learn's tree loses precision far in the tails (log-density below about -30)
        ok = ref > -25
        assert ok.sum() >= 30 and np.allclose(ours[ok], ref[ok], rtol=0, atol=1e-6)


def test_parzen_chooses_sigma_on_validation_only():
    rng = np.random.default_rng(1)
    samples = rng.normal(scale=0.5, size=(2000, 2))
    valid = rng.normal(scale=0.5, size=(500, 2))
    test = rng.normal(scale=5.0, size=(200, 2))  # a very different scored set
    res = metrics.parzen(samples, valid, test, sigmas=(0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2))
    assert res["parzen_sigma"] <= 0.2  # what the validation set wants, not what the test set would
    best_on_test = max((0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2),
                       key=lambda s: metrics.parzen_log_likelihood(samples, test, s).mean().item())
    assert best_on_test > res["parzen_sigma"]
    ll = metrics.parzen_log_likelihood(samples, test, res["parzen_sigma"])
    assert res["parzen_se"] == pytest.approx(ll.std().item() / math.sqrt(200))


def test_mode_coverage_of_the_true_mixture_and_of_a_collapsed_one():
    ring = data.toy("ring")
    x = ring.sample(2500, torch.Generator().manual_seed(0))
    res = metrics.mode_coverage(x, ring.means, ring.std)
    assert res["modes_covered"] == 8 and res["modes_total"] == 8
    assert res["high_quality"] == pytest.approx(1 - math.exp(-4.5), abs=0.01)  # P(chi2_2 <= 9)
    one = torch.as_tensor(ring.means[3]).float() + 0.01 * torch.randn(500, 2)
    res = metrics.mode_coverage(one, ring.means, ring.std)
    assert res["modes_covered"] == 1 and res["per_mode"][3] == sum(res["per_mode"])
    off = torch.zeros(100, 2)  # the centre of the ring: no mode is near
    assert metrics.mode_coverage(off, ring.means, ring.std)["modes_covered"] == 0


def test_optimal_d_error():
    p, q = np.array([0.1, 0.5, 0.0]), np.array([0.3, 0.5, 0.2])
    assert metrics.optimal_d_error([0.25, 0.5, 0.0], p, q)["max_error"] == pytest.approx(0.0)
    assert metrics.optimal_d_error([0.25, 0.6, 0.0], p, q)["max_error"] == pytest.approx(0.1)
