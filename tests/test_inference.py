"""gdm.inference: the linear-Gaussian model's closed forms, and Monte Carlo and variational
estimates checked against them."""
import math

import numpy as np
import pytest
import scipy.stats
import torch

from gdm import inference
from gdm.errors import UnknownNameError

# x = z1 + z2 + noise: observing x couples z1 and z2 ("explaining away")
MODEL = inference.LinearGaussian([[1.0, 1.0]], [0.5], 0.3)
X = torch.tensor([1.7], dtype=torch.float64)


def test_closed_forms_against_scipy_and_bayes_rule():
    W, b, s = MODEL.W.numpy(), MODEL.b.numpy(), MODEL.sigma
    assert MODEL.log_marginal(X).item() == pytest.approx(
        scipy.stats.multivariate_normal(b, W @ W.T + s**2 * np.eye(1)).logpdf(X.numpy()), rel=1e-12)
    z = torch.tensor([[0.3, -0.8], [1.0, 2.0]], dtype=torch.float64)
    ref = scipy.stats.norm.logpdf(X.item(), (z.numpy() @ W.T)[:, 0] + b[0], s) + scipy.stats.norm.logpdf(z.numpy()).sum(1)
    assert np.allclose(MODEL.log_joint(X, z).numpy(), ref, rtol=1e-12)
    # Bayes: log p(z | x) = log p(x, z) - log p(x), at any z
    assert torch.allclose(MODEL.log_posterior(X, z), MODEL.log_joint(X, z) - MODEL.log_marginal(X), atol=1e-12)
    mean, cov = MODEL.posterior(X)
    assert cov[0, 1] / cov[0, 0] < -0.9  # strongly anti-correlated


def test_log_px_equals_elbo_plus_kl_for_any_gaussian_q():
    g = torch.Generator().manual_seed(0)
    exact = MODEL.log_marginal(X).item()
    qs = [MODEL.posterior(X), MODEL.mean_field(X), (torch.zeros(2, dtype=torch.float64), torch.eye(2, dtype=torch.float64))]
    for _ in range(5):
        A = torch.randn(2, 2, generator=g, dtype=torch.float64)
        qs.append((torch.randn(2, generator=g, dtype=torch.float64), A @ A.T + 0.1 * torch.eye(2, dtype=torch.float64)))
    for mean, cov in qs:
        elbo, kl = MODEL.elbo(X, mean, cov).item(), MODEL.kl_to_posterior(X, mean, cov).item()
        assert elbo + kl == pytest.approx(exact, abs=1e-12) and kl >= -1e-12
    assert MODEL.kl_to_posterior(X, *MODEL.posterior(X)).item() == pytest.approx(0.0, abs=1e-12)
    # the closed-form ELBO against a Monte Carlo estimate with q's own samples
    mean, cov = qs[-1]
    q = torch.distributions.MultivariateNormal(mean, cov)
    z = q.sample((400_000,))
    mc = MODEL.log_joint(X, z) - q.log_prob(z)
    assert abs(mc.mean().item() - MODEL.elbo(X, mean, cov).item()) < 4 * mc.std().item() / math.sqrt(len(mc))


def test_mean_field_optimum_has_the_posterior_mean_and_too_small_variances():
    mean, cov = MODEL.posterior(X)
    mf_mean, mf_cov = MODEL.mean_field(X)
    assert torch.allclose(mf_mean, mean) and torch.all(torch.diag(mf_cov) < torch.diag(cov))
    # it is the best diagonal q: perturbing it lowers the ELBO
    best = MODEL.elbo(X, mf_mean, mf_cov).item()
    for d in [torch.tensor([0.05, 0.0]), torch.tensor([0.0, -0.05])]:
        assert MODEL.elbo(X, mf_mean + d.double(), mf_cov).item() < best
        assert MODEL.elbo(X, mf_mean, mf_cov * torch.diag(1 + d.double() * 4).abs()).item() < best


@pytest.mark.parametrize("family", ["diagonal", "full"])
def test_stochastic_vi_finds_the_closed_form_optimum(family):
    fit = inference.fit_gaussian_vi(lambda z: MODEL.log_joint(X, z), 2, steps=1500, lr=0.03, samples=32, family=family,
                                    generator=torch.Generator().manual_seed(1))
    mean, cov = MODEL.mean_field(X) if family == "diagonal" else MODEL.posterior(X)
    assert torch.allclose(fit["mean"], mean, atol=0.05)
    assert torch.allclose(fit["cov"], cov, atol=0.01, rtol=0.1)
    gap = MODEL.kl_to_posterior(X, fit["mean"], fit["cov"]).item()
    assert (gap > 0.3) if family == "diagonal" else (gap < 0.02)
    with pytest.raises(UnknownNameError, match="diagonal"):
        inference.fit_gaussian_vi(lambda z: MODEL.log_joint(X, z), 2, family="flow")


def test_importance_sampling_from_the_prior_and_from_the_posterior():
    g = torch.Generator().manual_seed(2)
    exact = MODEL.log_marginal(X).item()
    z = torch.randn(200_000, 2, generator=g, dtype=torch.float64)
    prior_logq = -0.5 * (2 * math.log(2 * math.pi) + (z * z).sum(1))
    est = inference.importance_sampling(lambda zz: MODEL.log_joint(X, zz), z, prior_logq)
    assert est["log_px"] == pytest.approx(exact, abs=0.02)
    assert torch.allclose(est["mean"], MODEL.posterior(X)[0], atol=0.02)
    assert 0 < est["ess"] < 200_000 / 3  # the prior is a poor proposal
    # the posterior as proposal: every weight equals p(x), the estimate is exact with one sample
    post = torch.distributions.MultivariateNormal(*MODEL.posterior(X))
    z = post.sample((10,))
    est = inference.importance_sampling(lambda zz: MODEL.log_joint(X, zz), z, post.log_prob(z))
    assert est["log_px"] == pytest.approx(exact, abs=1e-10) and est["ess"] == pytest.approx(10.0)


def test_metropolis_hastings_samples_the_posterior():
    # a 1-D Gaussian target N(1, 0.5²), known only up to a constant: the chain mixes fast
    out = inference.metropolis_hastings(lambda z: -2.0 * ((z - 1.0) ** 2).sum(-1) + 7.0, torch.zeros(1), 40_000, 1.0,
                                        torch.Generator().manual_seed(5))
    chain = out["chain"][1000:, 0]
    assert chain.mean().item() == pytest.approx(1.0, abs=0.02) and chain.var().item() == pytest.approx(0.25, rel=0.05)
    # the explaining-away posterior: a narrow ridge, slow mixing along it, looser tolerances
    mean, cov = MODEL.posterior(X)
    out = inference.metropolis_hastings(lambda z: MODEL.log_joint(X, z), torch.zeros(2), 40_000, 0.3,
                                        torch.Generator().manual_seed(3))
    chain = out["chain"][2000:]
    assert 0.2 < out["acceptance"] < 0.9
    assert torch.allclose(chain.mean(0), mean, atol=0.12)
    assert torch.allclose(torch.cov(chain.T), cov, atol=0.05)
    # deterministic given the generator
    again = inference.metropolis_hastings(lambda z: MODEL.log_joint(X, z), torch.zeros(2), 40_000, 0.3,
                                          torch.Generator().manual_seed(3))
    assert torch.equal(again["chain"], out["chain"])


def harmonic_estimates(model, n=2000, repeats=20):
    post = torch.distributions.MultivariateNormal(*model.posterior(X))
    ests = []
    for seed in range(repeats):
        torch.manual_seed(seed)
        ests.append(inference.harmonic_mean_log_px(model.log_likelihood(X, post.sample((n,)))))
    return np.array(ests)


def test_harmonic_mean_with_exact_posterior_draws():
    """With a weak likelihood (posterior close to the prior) the estimate is close to log p(x);
    with an informative one it is biased upwards (the rare draws of small likelihood that dominate
    1 / p(x) are missing from a finite sample), even with exact posterior draws."""
    weak = inference.LinearGaussian([[1.0, 1.0]], [0.5], 3.0)
    ests = harmonic_estimates(weak)
    assert abs(np.median(ests) - weak.log_marginal(X).item()) < 0.02
    ests = harmonic_estimates(MODEL)
    exact = MODEL.log_marginal(X).item()
    assert np.median(ests) > exact + 0.5 and (ests > exact).mean() >= 0.9
    same = torch.full((5,), -1.5, dtype=torch.float64)
    assert inference.harmonic_mean_log_px(same) == pytest.approx(-1.5)


def test_roads_compares_every_estimate_with_the_exact_values():
    LinearGaussian, roads = inference.LinearGaussian, inference.roads
    lg = LinearGaussian([[1.0, 1.0]], [0.5], 0.3)
    study = roads(lg, 1.7, is_samples=20000, mh_steps=4000, vi_steps=800, seed=0)
    x = torch.tensor([1.7], dtype=torch.float64)
    mean, cov = lg.posterior(x)
    exact = study["table"]["exact"]
    assert exact["log_px"] == pytest.approx(lg.log_marginal(x).item()) == study["exact_ll"]
    assert exact["mean_z1"] == pytest.approx(mean[0].item()) and exact["var_z1"] == pytest.approx(cov[0, 0].item())
    assert max(v["residual"] for v in study["identity"].values()) < 1e-9  # log p(x) = ELBO + KL for every q
    assert study["identity"]["exact posterior"]["kl"] == pytest.approx(0, abs=1e-9)
    # the full-covariance q is the best proposal and lands near log p(x); the mean-field ELBO stays below it
    assert study["is"]["full"]["ess"] > max(study["is"]["prior"]["ess"], study["is"]["diagonal"]["ess"])
    assert study["table"]["IS, full-covariance q proposal (k = 20,000)"]["log_px"] == pytest.approx(study["exact_ll"], abs=0.01)
    assert study["table"]["VI, mean field (ELBO)"]["log_px"] < study["exact_ll"] - 0.1
    assert len(study["chain"]) == 3600 and 0 < study["acceptance"] < 1  # a tenth discarded as burn-in
    # one seed, one answer
    again = roads(lg, 1.7, is_samples=20000, mh_steps=4000, vi_steps=800, seed=0)
    assert again["table"] == study["table"]
