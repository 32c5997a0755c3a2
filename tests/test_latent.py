"""gdm.latent: reparameterisation, the analytic KL, log-densities, against closed forms, Monte
Carlo, torch.distributions and scipy.stats."""
import math

import numpy as np
import pytest
import scipy.stats
import torch
from torch.distributions import Bernoulli, Independent, Normal, kl_divergence

from gdm import latent


def test_reparameterize_has_the_moments_of_q_and_is_differentiable():
    mu = torch.tensor([1.0, -2.0, 0.0], requires_grad=True)
    logvar = torch.tensor([0.0, math.log(4.0), math.log(0.01)], requires_grad=True)
    g = torch.Generator().manual_seed(0)
    z = latent.reparameterize(mu.expand(200_000, 3), logvar.expand(200_000, 3), g)
    assert torch.allclose(z.mean(0), mu.detach(), atol=0.02)
    assert torch.allclose(z.var(0), logvar.detach().exp(), rtol=0.02)
    z.sum().backward()  # dz/dmu = 1, dz/dlogvar = eps exp(logvar/2) / 2
    assert torch.allclose(mu.grad, torch.full((3,), 200_000.0))
    # the same generator state gives the same z
    a = latent.reparameterize(mu, logvar, torch.Generator().manual_seed(3))
    b = latent.reparameterize(mu, logvar, torch.Generator().manual_seed(3))
    assert torch.equal(a, b)


def test_gaussian_kl_is_the_closed_form_and_torch_distributions():
    g = torch.Generator().manual_seed(1)
    mu, logvar = torch.randn(6, 4, generator=g), torch.randn(6, 4, generator=g)
    got = latent.gaussian_kl(mu, logvar)
    assert got.shape == (6,)
    q = Independent(Normal(mu, (0.5 * logvar).exp()), 1)
    p = Independent(Normal(torch.zeros(4), torch.ones(4)), 1)
    assert torch.allclose(got, kl_divergence(q, p), atol=1e-5)
    # written out: 1/2 sum(mu^2 + s^2 - 1 - log s^2)
    i = 2
    by_hand = 0.5 * sum(mu[i, j] ** 2 + math.exp(logvar[i, j]) - 1 - logvar[i, j] for j in range(4))
    assert got[i].item() == pytest.approx(float(by_hand), rel=1e-6)
    assert torch.all(latent.gaussian_kl(torch.zeros(3, 5), torch.zeros(3, 5)) == 0)


def test_gaussian_kl_against_a_monte_carlo_estimate():
    """KL(q || p) = E_q[log q(z) - log p(z)], estimated with 400,000 reparameterised samples."""
    mu = torch.tensor([[0.5, -1.0, 2.0]], dtype=torch.float64)
    logvar = torch.tensor([[math.log(0.3), 0.4, -1.0]], dtype=torch.float64)
    g = torch.Generator().manual_seed(2)
    z = latent.reparameterize(mu.expand(400_000, 3), logvar.expand(400_000, 3), g)
    mc = (latent.log_normal(z, mu, logvar) - latent.log_standard_normal(z))
    se = mc.std().item() / math.sqrt(len(mc))
    assert abs(mc.mean().item() - latent.gaussian_kl(mu, logvar).item()) < 4 * se


def test_kl_between_two_diagonal_gaussians():
    g = torch.Generator().manual_seed(4)
    mq, lq, mp, lp = (torch.randn(5, 3, generator=g) for _ in range(4))
    ref = kl_divergence(Independent(Normal(mq, (0.5 * lq).exp()), 1), Independent(Normal(mp, (0.5 * lp).exp()), 1))
    assert torch.allclose(latent.gaussian_kl_between(mq, lq, mp, lp), ref, atol=1e-5)
    assert torch.allclose(latent.gaussian_kl_between(mq, lq, torch.zeros(3), torch.zeros(3)), latent.gaussian_kl(mq, lq))


def test_log_densities_against_scipy():
    rng = np.random.default_rng(0)
    x, mu, logvar = rng.normal(size=(4, 7)), rng.normal(size=(4, 7)), rng.normal(size=(4, 7))
    ref = scipy.stats.norm.logpdf(x, mu, np.exp(0.5 * logvar)).sum(1)
    got = latent.log_normal(*(torch.tensor(a) for a in (x, mu, logvar)))
    assert np.allclose(got.numpy(), ref, rtol=1e-12)
    assert np.allclose(latent.log_standard_normal(torch.tensor(x)).numpy(), scipy.stats.norm.logpdf(x).sum(1), rtol=1e-12)
    # broadcasting: (k, B, D) samples against (B, D) parameters
    z = torch.tensor(rng.normal(size=(3, 4, 7)))
    got = latent.log_normal(z, torch.tensor(mu), torch.tensor(logvar))
    assert got.shape == (3, 4)
    assert np.allclose(got[2].numpy(), scipy.stats.norm.logpdf(z[2].numpy(), mu, np.exp(0.5 * logvar)).sum(1))
    # event_dims=3 sums an image's (C, H, W)
    img = torch.tensor(rng.normal(size=(2, 1, 3, 3)))
    assert np.allclose(latent.log_standard_normal(img, event_dims=3).numpy(),
                       scipy.stats.norm.logpdf(img.numpy()).reshape(2, -1).sum(1))


def test_bernoulli_log_likelihood():
    rng = np.random.default_rng(1)
    logits = torch.tensor(rng.normal(scale=3, size=(5, 6)))
    x = torch.tensor((rng.random((5, 6)) < 0.5).astype(float))
    p = torch.sigmoid(logits).numpy()
    ref = scipy.stats.bernoulli.logpmf(x.numpy(), p).sum(1)
    assert np.allclose(latent.bernoulli_log_likelihood(logits, x).numpy(), ref, rtol=1e-10)
    assert torch.allclose(latent.bernoulli_log_likelihood(logits, x), Independent(Bernoulli(logits=logits), 1).log_prob(x))
    # grey levels: x log p + (1 - x) log(1 - p), the negative cross-entropy
    grey = torch.tensor(rng.random((5, 6)))
    by_hand = (grey.numpy() * np.log(p) + (1 - grey.numpy()) * np.log1p(-p)).sum(1)
    assert np.allclose(latent.bernoulli_log_likelihood(logits, grey).numpy(), by_hand, rtol=1e-10)
    # large logits stay finite
    assert torch.isfinite(latent.bernoulli_log_likelihood(torch.tensor([[200.0, -200.0]]), torch.tensor([[0.0, 1.0]]))).all()


def test_binarize_draws_pixels_with_their_grey_level():
    x = torch.full((200_000,), 0.3)
    b = latent.binarize(x, torch.Generator().manual_seed(0))
    assert set(b.unique().tolist()) == {0.0, 1.0} and b.mean().item() == pytest.approx(0.3, abs=0.005)
    assert torch.equal(latent.binarize(torch.tensor([0.0, 1.0])), torch.tensor([0.0, 1.0]))
