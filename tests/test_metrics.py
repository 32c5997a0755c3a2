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


class LinearGaussian:
    """p(z) = N(0, 1), p(x|z) = N(a z, s^2): log p(x) = log N(x; 0, a^2 + s^2) in closed form.
    The encoder q(z|x) = N(m x, v) is deliberately not the posterior (unless told so)."""

    def __init__(self, a=1.5, s=0.5, m=0.3, v=0.4, exact=False):
        self.a, self.s = a, s
        if exact:  # the true posterior: N(a x / (a^2 + s^2), s^2 / (a^2 + s^2))
            m, v = a / (a**2 + s**2), s**2 / (a**2 + s**2)
        self.m, self.v = m, v

    def log_importance_weights(self, x, k):
        n = torch.distributions.Normal
        q = n(self.m * x, math.sqrt(self.v))
        z = q.sample((k,))
        return n(0.0, 1.0).log_prob(z) + n(self.a * z, self.s).log_prob(x) - q.log_prob(z)

    def log_marginal(self, x):
        return torch.distributions.Normal(0.0, math.sqrt(self.a**2 + self.s**2)).log_prob(x)

    def elbo(self, x):  # E_q[log p(z) + log p(x|z) - log q(z|x)] in closed form
        mu, v, a, s = self.m * x, self.v, self.a, self.s
        e_logpz = -0.5 * math.log(2 * math.pi) - 0.5 * (mu**2 + v)
        e_logpx = -0.5 * math.log(2 * math.pi * s**2) - ((x - a * mu) ** 2 + a**2 * v) / (2 * s**2)
        entropy = 0.5 * math.log(2 * math.pi * math.e * v)
        return e_logpz + e_logpx + entropy


def test_iwae_k1_is_the_elbo_and_grows_towards_log_px():
    torch.manual_seed(0)
    model = LinearGaussian()
    x = torch.linspace(-2, 2, 50)
    k1 = metrics.importance_weighted_ll(model.log_importance_weights, x.repeat(400), 1)
    assert k1["iwae_ll"] == pytest.approx(model.elbo(x).mean().item(), abs=0.03)
    bounds = [metrics.importance_weighted_ll(model.log_importance_weights, x.repeat(40), k)["iwae_ll"]
              for k in (1, 10, 100, 2000)]
    assert bounds[0] < bounds[1] < bounds[2] <= bounds[3] + 1e-3
    assert bounds[3] == pytest.approx(model.log_marginal(x).mean().item(), abs=0.01)
    assert bounds[0] < model.log_marginal(x).mean().item()
    exact = LinearGaussian(exact=True)  # q = posterior: every weight is p(x), for any k
    res = metrics.importance_weighted_ll(exact.log_importance_weights, x, 1)
    assert res["iwae_ll"] == pytest.approx(exact.log_marginal(x).mean().item(), abs=1e-5)


def test_clustering_accuracy_hungarian_and_majority():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 10, 1000)
    perm = rng.permutation(10)
    assert metrics.clustering_accuracy(perm[y], y, n_clusters=10)["accuracy"] == 1.0
    noisy = perm[y].copy()
    noisy[:100] = (noisy[:100] + 1) % 10  # 10% of the points moved to another cluster
    assert metrics.clustering_accuracy(noisy, y, n_clusters=10)["accuracy"] == pytest.approx(0.9, abs=0.01)
    rand = metrics.clustering_accuracy(rng.integers(0, 10, 1000), y, n_clusters=10)["accuracy"]
    assert 0.08 < rand < 0.2  # chance, slightly above 1/10 from the best matching
    split = np.where(rng.random(1000) < 0.5, y, y + 10)  # 20 clusters, each pure
    res = metrics.clustering_accuracy(split, y, n_clusters=20)
    assert res["accuracy"] == 1.0 and res["mapping"][13] == 3


def test_clustering_accuracy_takes_the_number_of_clusters_not_the_largest_index():
    """An AAE with 16 clusters that uses only clusters 0-9 is scored by majority vote over its 16
    clusters (it guessed K = 10 from the indices and switched to a one-to-one matching). Two
    clusters holding one digit each are both right by majority vote; a matching credits one."""
    y = np.repeat(np.arange(10), 10)
    c = y.copy()
    c[y == 0] = np.where(np.arange(10) < 5, 0, 9)[: (y == 0).sum()]  # digit 0 split over clusters 0 and 9 ...
    c[y == 9] = 8  # ... and digits 8 and 9 share cluster 8
    by_vote = metrics.clustering_accuracy(c, y, n_clusters=16)
    assert by_vote["accuracy"] == pytest.approx(0.9)  # only the 9s, merged into the 8s' cluster, are wrong
    assert set(by_vote["mapping"]) == set(range(10))  # empty clusters map to nothing
    assert metrics.clustering_accuracy(c, y, n_clusters=10)["accuracy"] == pytest.approx(0.85)  # one-to-one
    with pytest.raises(ValueError, match="n_clusters = 8"):
        metrics.clustering_accuracy(c, y, n_clusters=8)


def test_average_over_seeds():
    avg = metrics.average_over_seeds([{"modes_covered": 8, "high_quality": 0.5, "per_mode": [1]},
                                      {"modes_covered": 6, "high_quality": 0.7, "per_mode": [2]}])
    assert avg["modes_covered"] == 7 and avg["modes_covered_std"] == pytest.approx(math.sqrt(2))
    assert avg["high_quality"] == pytest.approx(0.6) and avg["seeds"] == 2 and "per_mode" not in avg


def test_wasserstein1_exact_matches_scipy_in_1d_and_a_translation():
    from scipy.stats import wasserstein_distance

    g = torch.Generator().manual_seed(0)
    a, b = torch.randn(300, 1, generator=g), 2 * torch.rand(300, 1, generator=g)
    assert metrics.wasserstein1_exact(a, b) == pytest.approx(wasserstein_distance(a[:, 0], b[:, 0]), rel=1e-9)
    x = torch.randn(200, 2, generator=g)
    shift = torch.tensor([3.0, 4.0])
    assert metrics.wasserstein1_exact(x, x + shift) == pytest.approx(5.0, rel=1e-9)  # the translation is optimal
    with pytest.raises(ValueError, match="equal shape"):
        metrics.wasserstein1_exact(x, x[:10])


def test_lipschitz_bound_of_the_optimal_linear_critic_is_w1_of_a_translation():
    g = torch.Generator().manual_seed(3)
    real = torch.randn(300, 2, generator=g, dtype=torch.float64)
    shift = torch.tensor([3.0, -4.0], dtype=torch.float64)
    fake = real + shift
    w = torch.nn.Linear(2, 1, bias=True).double()
    with torch.no_grad():  # f(x) = -x . shift / |shift| + 7: 1-Lipschitz, gap |shift| = W1 (5)
        w.weight.copy_(-shift[None] / shift.norm())
        w.bias.fill_(7.0)
    assert metrics.lipschitz_bound(w, real, fake) == pytest.approx(5.0, rel=1e-9)
    assert metrics.lipschitz_bound(w, real, fake) == pytest.approx(metrics.wasserstein1_exact(real, fake), rel=1e-6)
    with torch.no_grad():  # scaling f does not change the bound; a critic at an angle finds less
        w.weight.mul_(10.0)
    assert metrics.lipschitz_bound(w, real, fake) == pytest.approx(5.0, rel=1e-9)
    with torch.no_grad():
        w.weight.copy_(torch.tensor([[0.0, 1.0]], dtype=torch.float64))
    assert metrics.lipschitz_bound(w, real, fake, points=torch.zeros(4, 2, dtype=torch.float64)) == pytest.approx(4.0)
