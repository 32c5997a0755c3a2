"""Kernels and MMD² against direct references: double sums, scikit-learn's RBF kernel, moments."""
import numpy as np
import pytest
import torch
from sklearn.metrics.pairwise import rbf_kernel

from gdm import kernels
from gdm.errors import UnknownNameError

GMMN_SIGMAS = (2.0, 5.0, 10.0, 20.0, 40.0, 80.0)


def direct_mmd2(x, y, k, unbiased=False):
    """The definition as a double loop over pairs."""
    n, m = len(x), len(y)
    sxx = sum(k(x[i], x[j]) for i in range(n) for j in range(n) if not (unbiased and i == j))
    syy = sum(k(y[i], y[j]) for i in range(m) for j in range(m) if not (unbiased and i == j))
    sxy = sum(k(x[i], y[j]) for i in range(n) for j in range(m))
    nx, ny = (n * (n - 1), m * (m - 1)) if unbiased else (n * n, m * m)
    return sxx / nx + syy / ny - 2 * sxy / (n * m)


@pytest.mark.parametrize("unbiased", [False, True])
@pytest.mark.parametrize("kernel,scales", [("gaussian", (0.5, 2.0)), ("imq", (1.0, 4.0)), ("linear", ())])
def test_mmd2_agrees_with_the_double_sum(kernel, scales, unbiased):
    g = torch.Generator().manual_seed(0)
    x, y = torch.randn(7, 3, generator=g, dtype=torch.float64), torch.randn(5, 3, generator=g, dtype=torch.float64) + 0.5
    if kernel == "gaussian":
        k = lambda a, b: sum(np.exp(-float(((a - b) ** 2).sum()) / (2 * s * s)) for s in scales)
    elif kernel == "imq":
        k = lambda a, b: sum(c / (c + float(((a - b) ** 2).sum())) for c in scales)
    else:
        k = lambda a, b: float((a * b).sum())
    got = kernels.mmd2(x, y, kernel, scales, unbiased=unbiased).item()
    assert got == pytest.approx(direct_mmd2(x.numpy(), y.numpy(), k, unbiased), rel=1e-10, abs=1e-12)


def test_gaussian_kernel_is_sklearns_rbf_summed_over_bandwidths():
    g = torch.Generator().manual_seed(1)
    x, y = torch.rand(20, 784, generator=g, dtype=torch.float64), torch.rand(15, 784, generator=g, dtype=torch.float64)
    ref = sum(rbf_kernel(x.numpy(), y.numpy(), gamma=1 / (2 * s * s)) for s in GMMN_SIGMAS)
    assert np.allclose(kernels.kernel_matrix(x, y, "gaussian", GMMN_SIGMAS).numpy(), ref, rtol=1e-10)
    # images (N, 1, 28, 28) are compared as flat vectors
    assert torch.allclose(kernels.kernel_matrix(x.view(20, 1, 28, 28), y, "gaussian", GMMN_SIGMAS),
                          kernels.kernel_matrix(x, y, "gaussian", GMMN_SIGMAS))


def test_mmd2_of_a_sample_with_itself_is_zero_and_grows_with_a_shift():
    x = torch.randn(300, 2, generator=torch.Generator().manual_seed(2), dtype=torch.float64)
    assert kernels.mmd2(x, x, "gaussian", (1.0,)).item() == pytest.approx(0.0, abs=1e-12)
    values = [kernels.mmd2(x, x + shift, "gaussian", (1.0,)).item() for shift in (0.1, 0.5, 1.0, 2.0)]
    assert all(a < b for a, b in zip(values, values[1:]))
    assert kernels.mmd(x, x + 1.0, "gaussian", (1.0,)).item() == pytest.approx(values[2] ** 0.5)


def test_unbiased_mmd2_has_mean_zero_under_the_null():
    g = torch.Generator().manual_seed(3)
    draws = torch.stack([kernels.mmd2(torch.randn(50, 2, generator=g), torch.randn(50, 2, generator=g),
                                      "gaussian", (1.0,), unbiased=True) for _ in range(400)])
    assert abs(draws.mean().item()) < 3 * draws.std().item() / 400 ** 0.5
    assert (draws < 0).any()  # a U-statistic, not a squared norm
    biased = kernels.mmd2(torch.randn(50, 2, generator=g), torch.randn(50, 2, generator=g), "gaussian", (1.0,))
    assert biased.item() > 0


def test_linear_kernel_matches_the_first_moment_and_squares_the_second():
    """The seminar's slide: f(x) = x matches means, f(x) = x² second moments; the Gaussian
    kernel tells apart distributions that agree in both."""
    g = torch.Generator().manual_seed(4)
    x, y = torch.randn(500, 3, generator=g, dtype=torch.float64), 2 * torch.rand(400, 3, generator=g, dtype=torch.float64)
    assert kernels.mmd2(x, y, "linear").item() == pytest.approx(((x.mean(0) - y.mean(0)) ** 2).sum().item(), rel=1e-10)
    assert kernels.mmd2(x ** 2, y ** 2, "linear").item() == pytest.approx(
        ((x.pow(2).mean(0) - y.pow(2).mean(0)) ** 2).sum().item(), rel=1e-10)
    # N(0, 1) against a symmetric two-point law ±1: equal first and second moments
    a = torch.randn(2000, 1, generator=g, dtype=torch.float64)
    b = torch.randint(0, 2, (2000, 1), generator=g).double() * 2 - 1
    a, b = (a - a.mean()) / a.std(), (b - b.mean()) / b.std()
    assert kernels.mmd2(a, b, "linear").item() < 1e-20
    assert kernels.mmd2(a ** 2, b ** 2, "linear").item() < 1e-5
    assert kernels.mmd2(a, b, "gaussian", (1.0,)).item() > 100 * kernels.mmd2(a, b, "linear").item() + 1e-3


def test_mmd_is_differentiable_and_names_are_checked():
    x = torch.randn(10, 2, requires_grad=True)
    kernels.mmd(x, torch.randn(12, 2) + 1, "gaussian", (1.0, 2.0)).backward()
    assert torch.isfinite(x.grad).all() and x.grad.abs().sum() > 0
    with pytest.raises(UnknownNameError, match="gaussian"):
        kernels.mmd2(x, x, "rbf")


def test_null_z_score_is_small_under_the_null_and_large_for_a_shift():
    g = torch.Generator().manual_seed(0)
    x, y, ref = (torch.randn(200, 3, generator=g) for _ in range(3))
    same = kernels.null_z_score(x, y, ref, "gaussian", [1.0], splits=100)
    assert abs(same["z"]) < 3 and same["p_value"] > 0.01
    shifted = kernels.null_z_score(x, y + 0.5, ref, "gaussian", [1.0], splits=100)
    assert shifted["z"] > 10 and shifted["p_value"] == pytest.approx(1 / 101)
    # the statistic is the unbiased MMD² itself
    assert shifted["mmd2"] == pytest.approx(kernels.mmd2(x, y + 0.5, "gaussian", [1.0], unbiased=True).item())
    # over many null draws the z-scores are centred with unit spread
    zs = []
    for s in range(30):
        gs = torch.Generator().manual_seed(100 + s)
        a, b, r = (torch.randn(60, 2, generator=gs) for _ in range(3))
        zs.append(kernels.null_z_score(a, b, r, "gaussian", [1.0], splits=40, seed=s)["z"])
    zs = torch.tensor(zs)
    assert abs(zs.mean().item()) < 0.6 and 0.5 < zs.std().item() < 1.6
    with pytest.raises(ValueError, match="null needs"):
        kernels.null_z_score(x, y[:150], ref[:10], splits=2)


def test_power_is_the_level_under_the_null_and_the_z_tests_for_a_mean_shift():
    from scipy.stats import norm
    g = torch.Generator().manual_seed(0)
    data = torch.randn(4000, 1, generator=g)
    same = kernels.test_power(data, torch.randn(4000, 1, generator=g), 50, "linear", draws=400, splits=1000)
    assert abs(same["power"] - 0.05) < 0.04 and abs(same["z"]) < 0.5
    # the linear kernel's unbiased MMD² is (mean difference)² minus its expectation under the null, so its test
    # is the two-sided z-test of the means: power Φ(δ√(n/2) − z) + Φ(−δ√(n/2) − z), z the normal's 97.5 % point
    n, delta = 50, 0.4
    shifted = kernels.test_power(data, torch.randn(4000, 1, generator=g) + delta, n, "linear", draws=400, splits=1000, seed=1)
    q, d = norm.ppf(0.975), delta * (n / 2) ** 0.5
    assert shifted["power"] == pytest.approx(norm.cdf(d - q) + norm.cdf(-d - q), abs=0.08)
    far = kernels.test_power(data, data[:200] + 3.0, n, "gaussian", [1.0], draws=50, splits=200)
    assert far["power"] == 1.0 and far["z"] > 10
    with pytest.raises(ValueError, match="at least 100 data rows"):
        kernels.test_power(data[:99], data, 50)


def test_estimator_spread_is_unbiased_and_falls_as_theory_says():
    # linear kernel in 1-D, x ~ N(0, 1), y ~ N(2, 1): MMD² = δ² = 4, and the unbiased estimate on M
    # pairs has variance 8 δ² / M + O(1 / M²) (its linear term 2 δ (x̄ − ȳ) − ... dominates)
    g = torch.Generator().manual_seed(3)
    x, y = torch.randn(8000, 1, generator=g), torch.randn(8000, 1, generator=g) + 2.0
    r = kernels.estimator_spread(x, y, [100, 400], draws=1000, kernel="linear", seed=1)
    assert abs(r["full"] - 4.0) < 0.1
    for m, v in r["sizes"].items():
        assert abs(v["mean"] - r["full"]) < 4 * v["sd"] / 1000 ** 0.5  # unbiased
        assert v["sd"] == pytest.approx((8 * 4.0 / m) ** 0.5, rel=0.06)
        assert v["noise_to_signal"] == pytest.approx(v["sd"] / r["full"])
    # under the null the linear term vanishes and the sd falls like 1 / M: 4 times from 100 to 400
    same = kernels.estimator_spread(x, torch.randn(8000, 1, generator=g), [100, 400], draws=1000, kernel="linear")
    assert 3.5 < same["sizes"][100]["sd"] / same["sizes"][400]["sd"] < 4.6
    assert r["slope"] == pytest.approx(-0.5, abs=0.06) and same["slope"] == pytest.approx(-1.0, abs=0.1)
    assert r["slope"] == pytest.approx(np.polyfit(np.log([100, 400]), np.log([r["sizes"][m]["sd"] for m in (100, 400)]), 1)[0])
    with pytest.raises(ValueError, match="pools"):
        kernels.estimator_spread(x[:50], y, [64])


def test_gradient_error_is_zero_without_noise_and_falls_with_the_batch():
    theta = torch.zeros(1, 2, requires_grad=True)
    # no randomness anywhere: every mini-batch's gradient is the reference's, exactly
    x = torch.ones(500, 2)
    r = kernels.gradient_error(lambda n, g: theta.expand(n, 2) * 1.0, [theta], x, [8, 64], draws=3, scales=[1.0])
    assert r["reference"] == 500
    for v in r["sizes"].values():
        assert v["error_to_signal"] == pytest.approx(0.0, abs=1e-9) and v["cosine"] == pytest.approx(1.0)
    # data N(0, I), samples theta + N(0, I) with theta = (0.2, 0.2): the error falls as the batch grows,
    # and a batch as large as the reference, drawn afresh, still differs from it
    theta = torch.full((1, 2), 0.2, requires_grad=True)
    x = torch.randn(4000, 2, generator=torch.Generator().manual_seed(0))
    gen = lambda n, g: theta + torch.randn(n, 2, generator=g)
    r = kernels.gradient_error(gen, [theta], x, [16, 256, 2000], draws=20, scales=[1.0, 2.0], reference=2000)
    e = [r["sizes"][m]["error_to_signal"] for m in (16, 256, 2000)]
    assert e[0] > e[1] > e[2] > 0 and e[0] > 1 > e[2]
    assert -1 <= r["sizes"][16]["cosine"] < r["sizes"][2000]["cosine"] <= 1
    with pytest.raises(ValueError, match="pool"):
        kernels.gradient_error(gen, [theta], x[:10], [64])
