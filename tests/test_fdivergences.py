"""f-GAN's f-divergences (Nowozin, Cseke & Tomioka 2016, Tables 1 and 2) against their definitions."""
import math

import numpy as np
import pytest
import torch

from gdm import data, losses
from gdm.divergences import F_DIVERGENCES, f_divergence, f_divergence_1d, integrate_1d, jsd_1d, parallel_lines
from gdm.errors import UnknownNameError

NAMES = ["kl", "reverse_kl", "pearson", "squared_hellinger", "jensen_shannon", "gan"]

# P = N(0, 1), Q = N(1, 1.5^2): Q is wider, so every divergence here is finite
MU1, S1, MU2, S2 = 0.0, 1.0, 1.0, 1.5
LO, HI = -15.0, 17.0
_P, _Q = data.gaussian(MU1, S1), data.gaussian(MU2, S2)


def p(x):
    return _P.pdf(np.reshape(x, (-1, 1)))


def q(x):
    return _Q.pdf(np.reshape(x, (-1, 1)))


def conj(div, t):
    """f*(t) for a numpy ``t``, through the torch conjugate in float64."""
    return div.conjugate(torch.as_tensor(np.asarray(t, dtype=np.float64))).numpy()


def test_the_six_divergences_of_the_paper():
    assert sorted(F_DIVERGENCES) == sorted(NAMES)
    for name in NAMES:
        div = f_divergence(name)
        # f(1) = 0 makes D_f(P || P) = 0; Table 1's GAN generator is not so normalised
        f1 = -math.log(4) if name == "gan" else 0.0
        assert div.name == name and div.f(np.array([1.0]))[0] == pytest.approx(f1, abs=1e-15)
        # Table 2 picks g_f so that its range is exactly dom f*
        assert div.activation_range == div.domain
    assert f_divergence("gan").f_prime_1 == pytest.approx(-math.log(2))
    assert f_divergence("jensen_shannon").domain == (-math.inf, pytest.approx(math.log(2)))


@pytest.mark.parametrize("name", NAMES)
def test_fenchel_young_equality(name):
    """f*(f'(u)) = u f'(u) - f(u): f'(u) attains the supremum defining f*(t) at t = f'(u)."""
    div = f_divergence(name)
    u = np.logspace(-3, 3, 121)
    t = div.f_prime(u)
    low, high = div.domain
    assert np.all((t > low) & (t < high))
    np.testing.assert_allclose(conj(div, t), u * t - div.f(u), rtol=1e-10, atol=1e-6)


@pytest.mark.parametrize("name", NAMES)
def test_activation_maps_into_the_domain_of_the_conjugate(name):
    div = f_divergence(name)
    v = torch.linspace(-30, 30, 601, dtype=torch.float64)
    t = div.activation(v)
    low, high = div.activation_range
    assert torch.isfinite(t).all() and (t > low).all() and (t < high).all()
    assert (t.diff() > 0).all()  # g_f is increasing: a larger V means "more real"
    if math.isfinite(high):  # ... and approaches the end of dom f*
        assert div.activation(torch.tensor(40.0, dtype=torch.float64)).item() == pytest.approx(high, abs=1e-12)
    composed = div.conjugate(t)
    assert torch.isfinite(composed).all()
    # the closed form the losses use is the same function, and finite in float32 as well; for
    # large v the composition itself loses digits (1 - t cancels for Hellinger: ~5e-4 at v = 30)
    fused, mid = div.conjugate_of_activation(v), v.abs() <= 10
    torch.testing.assert_close(fused[mid], composed[mid], rtol=1e-9, atol=1e-10)
    torch.testing.assert_close(fused, composed, rtol=1e-3, atol=1e-9)
    assert torch.isfinite(div.conjugate_of_activation(v.float())).all()


@pytest.mark.parametrize("name", NAMES)
def test_f_prime_at_1(name):
    div, h = f_divergence(name), 1e-5
    numeric = (div.f(np.array([1 + h]))[0] - div.f(np.array([1 - h]))[0]) / (2 * h)
    assert div.f_prime_1 == pytest.approx(numeric, abs=1e-8)
    assert div.f_prime(np.array([1.0]))[0] == pytest.approx(div.f_prime_1, abs=1e-15)


def variational_bound(div, t_fn):
    """E_P[T] - E_Q[f*(T)] by quadrature, for T given as a function of x."""
    return integrate_1d(lambda x: p(x) * t_fn(x) - q(x) * conj(div, t_fn(x)), LO, HI)


@pytest.mark.parametrize("name", NAMES)
def test_variational_bound_is_tight_at_t_star(name):
    """Section 2.2 of the paper: the bound equals D_f at T* = f'(p / q), and is lower elsewhere."""
    div = f_divergence(name)
    d_f = f_divergence_1d(div, p, q, LO, HI)
    assert d_f > div.f(np.array([1.0]))[0] + 0.01  # D_f(P || Q) > D_f(Q || Q) = f(1)
    t_star = lambda x: div.f_prime(p(x) / q(x))
    assert variational_bound(div, t_star) == pytest.approx(d_f, rel=1e-7, abs=1e-9)
    # both stay inside dom f*, whose upper ends are open
    for other in (lambda x: t_star(x) - 0.1, lambda x: 0.9 * t_star(x)):
        assert variational_bound(div, other) < d_f - 1e-4


def gaussian_kl(m1, s1, m2, s2):
    return math.log(s2 / s1) + (s1**2 + (m1 - m2) ** 2) / (2 * s2**2) - 0.5


def test_closed_forms():
    kl = f_divergence_1d("kl", p, q, LO, HI)
    assert kl == pytest.approx(gaussian_kl(MU1, S1, MU2, S2), abs=1e-9)
    rkl = f_divergence_1d("reverse_kl", p, q, LO, HI)
    assert rkl == pytest.approx(gaussian_kl(MU2, S2, MU1, S1), abs=1e-9)
    assert kl != pytest.approx(rkl, abs=1e-2)  # asymmetric
    # Table 1's Jensen-Shannon generator gives twice the JSD; the GAN one 2 JSD - log 4
    jsd = jsd_1d(p, q, LO, HI)
    assert f_divergence_1d("jensen_shannon", p, q, LO, HI) == pytest.approx(2 * jsd, abs=1e-9)
    assert f_divergence_1d("gan", p, q, LO, HI) == pytest.approx(2 * jsd - math.log(4), abs=1e-9)
    hellinger = integrate_1d(lambda x: (np.sqrt(p(x)) - np.sqrt(q(x))) ** 2, LO, HI)
    bhattacharyya = math.sqrt(2 * S1 * S2 / (S1**2 + S2**2)) * math.exp(-((MU1 - MU2) ** 2) / (4 * (S1**2 + S2**2)))
    assert hellinger == pytest.approx(2 * (1 - bhattacharyya), abs=1e-9)
    assert f_divergence_1d("squared_hellinger", p, q, LO, HI) == pytest.approx(hellinger, abs=1e-9)
    pearson = integrate_1d(lambda x: (p(x) - q(x)) ** 2 / q(x), LO, HI)
    assert f_divergence_1d("pearson", p, q, LO, HI) == pytest.approx(pearson, abs=1e-9)
    for name in NAMES:  # D_f(P || P) = f(1): 0, but -log 4 for the GAN generator
        expected = -math.log(4) if name == "gan" else 0.0
        assert f_divergence_1d(name, p, p, LO, HI) == pytest.approx(expected, abs=1e-10)


def test_disjoint_supports_use_the_limits_of_the_definition():
    """0 f(0/0) = 0 and q f(p/q) -> p f'(inf) where q = 0: the bounded divergences reach their maxima."""
    a = lambda x: ((x > 0) & (x < 1)).astype(float)
    b = lambda x: ((x > 2) & (x < 3)).astype(float)
    args = (a, b, -1.0, 4.0, [0, 1, 2, 3])
    assert f_divergence_1d("squared_hellinger", *args) == pytest.approx(2.0, abs=1e-9)
    assert f_divergence_1d("jensen_shannon", *args) == pytest.approx(2 * math.log(2), abs=1e-9)
    assert f_divergence_1d("gan", *args) == pytest.approx(0.0, abs=1e-9)


def test_fgan_value_for_gan_is_the_gan_value():
    real, fake = 4 * torch.randn(200), 4 * torch.randn(200)
    assert losses.fgan_value(real, fake, "gan").item() == pytest.approx(losses.gan_value(real, fake).item(), rel=1e-6)
    assert losses.fgan_d_loss(real, fake, f_divergence("gan")).item() == pytest.approx(
        losses.gan_d_loss(real, fake).item(), rel=1e-6)
    assert losses.fgan_g_loss(fake, "gan").item() == pytest.approx(losses.gan_g_loss(fake, "minimax").item(), rel=1e-6)
    assert losses.fgan_g_loss(fake, "gan", kind="alternative").item() == pytest.approx(
        losses.gan_g_loss(fake, "nonsaturating").item(), rel=1e-6)


@pytest.mark.parametrize("name", NAMES)
def test_fgan_losses_follow_the_value(name):
    div = f_divergence(name)
    real, fake = torch.randn(64, dtype=torch.float64), torch.randn(64, dtype=torch.float64, requires_grad=True)
    value = losses.fgan_value(real, fake, name)
    expected = div.activation(real).mean() - div.conjugate(div.activation(fake)).mean()
    assert value.item() == pytest.approx(expected.item(), rel=1e-12)
    assert losses.fgan_d_loss(real, fake, name).item() == pytest.approx(-value.item(), rel=1e-12)
    # the generator minimises F: its minimax loss has F's gradient in the fake logits
    (g_value,) = torch.autograd.grad(value, fake)
    (g_loss,) = torch.autograd.grad(losses.fgan_g_loss(fake, name), fake)
    torch.testing.assert_close(g_loss, g_value)
    alternative = losses.fgan_g_loss(fake, name, kind="alternative")
    assert alternative.item() == pytest.approx(-div.activation(fake).mean().item(), rel=1e-12)


def test_unknown_names():
    with pytest.raises(UnknownNameError, match="known f-divergences: gan, jensen_shannon, kl, pearson"):
        f_divergence("total_variation")
    with pytest.raises(KeyError, match="reverse_kl, squared_hellinger"):
        losses.fgan_value(torch.zeros(3), torch.zeros(3), "wasserstein")
    with pytest.raises(UnknownNameError, match="alternative, minimax"):
        losses.fgan_g_loss(torch.zeros(3), "kl", kind="nonsaturating")


def test_grid_integration_agrees_with_quadrature():
    from gdm import data
    from gdm.divergences import F_DIVERGENCES, f_divergence_1d

    p = lambda x: data.toy("mixture1d").pdf(x.reshape(-1, 1))
    q = lambda x: data.gaussian(0.3, 1.7).pdf(x.reshape(-1, 1))
    for name in F_DIVERGENCES:
        exact = f_divergence_1d(name, p, q, -15, 15, points=[-2, 2, 0.3])
        assert f_divergence_1d(name, p, q, -15, 15, grid=20001) == pytest.approx(exact, rel=1e-6, abs=1e-9)


def test_parallel_lines_distances_against_samples_and_quadrature():
    """W = |θ| against scipy's 1-D Wasserstein distance of the x-coordinates (the y-marginals
    are equal, and the optimal plan moves every point horizontally); JS = log 2 for disjoint
    supports, as jsd_1d gives for two disjoint uniform densities."""
    import math

    import numpy as np
    import torch
    from scipy.stats import wasserstein_distance

    from gdm import data

    for theta in (-0.7, 0.3, 1.5):
        d = parallel_lines(theta)
        p0 = data.toy("lines").sample(2000, torch.Generator().manual_seed(0)).numpy()
        pt = data.ParallelLines(theta).sample(2000, torch.Generator().manual_seed(1)).numpy()
        assert abs(pt[:, 0] - theta).max() < 1e-6 and 0 <= pt[:, 1].min() and pt[:, 1].max() <= 1
        w = wasserstein_distance(p0[:, 0], pt[:, 0]) + wasserstein_distance(p0[:, 1], pt[:, 1])
        assert d["wasserstein"] == pytest.approx(w, abs=0.05)
        assert d["jensen_shannon"] == pytest.approx(math.log(2)) and d["kl"] == math.inf and d["total_variation"] == 1
    box = lambda lo: (lambda x: ((x >= lo) & (x <= lo + 1)).astype(float))
    assert jsd_1d(box(0.0), box(2.0), -1, 4, points=[0.0, 1.0, 2.0, 3.0]) == pytest.approx(math.log(2), abs=1e-3)
    assert parallel_lines(0.0) == {"wasserstein": 0.0, "jensen_shannon": 0.0, "kl": 0.0, "total_variation": 0.0}
