"""Known answers for the disentanglement metrics on a synthetic factor source.

The source's observation *is* its factor vector (plus optional Gaussian noise), so the ideal
code is the identity and every other code is a known function of the factors.
"""
import numpy as np
import pytest
import torch

from gdm.metrics import beta_vae_score, factor_vae_score, mig

SIZES = [3, 6, 10, 8]
K = len(SIZES)
METRICS = {"beta_vae": beta_vae_score, "factor_vae": factor_vae_score, "mig": mig}


class Toy:
    """Independent uniform factors; ``observe`` returns them as floats, plus noise of std ``noise``."""

    factor_sizes = SIZES

    def __init__(self, noise: float = 0.0, seed: int = 0):
        self.noise = noise
        self.gen = torch.Generator().manual_seed(seed)

    def sample_factors(self, n, rng):
        return np.stack([rng.integers(s, size=n) for s in self.factor_sizes], 1)

    def observe(self, factors):
        x = torch.as_tensor(factors, dtype=torch.float64)
        return x + self.noise * torch.randn(x.shape, generator=self.gen, dtype=torch.float64)


def identity(x):
    return x


def scaled(x):
    return x * torch.tensor([1.0, 10.0, 0.1, 3.0], dtype=x.dtype)


def rotated(x):
    """Factors 0 and 1, standardised, rotated by 45 degrees into dims 0 and 1; 2 and 3 kept."""
    sizes = torch.tensor(SIZES, dtype=x.dtype)
    z = (x - (sizes - 1) / 2) / torch.sqrt((sizes**2 - 1) / 12)
    a, b = z[:, 0], z[:, 1]
    return torch.stack([(a + b) / 2**0.5, (a - b) / 2**0.5, z[:, 2], z[:, 3]], 1)


def noise_code(seed=123):
    gen = np.random.default_rng(seed)
    return lambda x: gen.normal(size=(len(x), 4))


@pytest.mark.parametrize("encode", [identity, scaled])
@pytest.mark.parametrize("noise", [0.0, 0.1])
def test_true_factors_score_near_one(encode, noise):
    # beta-VAE: for label k, z_diff[k] = 0 exactly, while every other coordinate is a mean of 64
    # |v1 - v2| over a factor of s values, about (s^2 - 1) / (3 s) >= 0.89 (times the scale):
    # linearly separable with a wide margin, so accuracy 1 (noise 0.1 only blurs z_diff a little).
    # FactorVAE: the fixed factor's normalised variance is 0 (noise^2 / var(v_k) with noise),
    # the others are about 1, and ties need 64 equal draws (probability <= 3^-63): accuracy 1.
    # MIG: 20 equal-width bins over a range of s - 1 <= 9 (+ noise) put each factor value in
    # its own bins, so I(z_k; v_k) = H(v_k), while the other dims are independent of v_k and
    # their plug-in MI is only bias, about 19 (s - 1) / (2 n) <= 0.01 nats: MIG about 0.99.
    # None of this depends on a per-dimension scale.
    bvae = beta_vae_score(encode, Toy(noise), np.random.default_rng(0), n_train=2000, n_eval=1000)
    fvae = factor_vae_score(encode, Toy(noise), np.random.default_rng(0))
    m = mig(encode, Toy(noise), np.random.default_rng(0))
    assert bvae["beta_vae"] >= 0.99 and bvae["beta_vae_train"] >= 0.99
    assert fvae["factor_vae"] >= 0.99 and fvae["factor_vae_train"] >= 0.99
    assert fvae["factor_vae_active_dims"] == [0, 1, 2, 3]
    assert m["mig"] >= 0.95 and min(m["mig_per_factor"]) >= 0.95


def test_noise_codes_score_at_chance():
    # Codes independent of the factors: the labels (uniform over K = 4 factors) are independent
    # of the classifiers' inputs, so evaluation accuracy is Binomial(2000, ~1/4) / 2000,
    # standard deviation about 0.01: 1/4 + 0.06 is six deviations. MIG: every MI is plug-in
    # bias, at most 19 * 9 / (2 * 10000) ~ 0.009 nats, over H(v_k) >= log 3: far below 0.05.
    bvae = beta_vae_score(noise_code(), Toy(), np.random.default_rng(0))
    fvae = factor_vae_score(noise_code(), Toy(), np.random.default_rng(0))
    m = mig(noise_code(), Toy(), np.random.default_rng(0))
    assert bvae["beta_vae"] <= 1 / K + 0.06
    assert fvae["factor_vae"] <= 1 / K + 0.06
    assert m["mig"] <= 0.05


def test_rotation_mixing_two_factors_lowers_mig():
    # After standardising, each of (a + b)/sqrt(2) and (a - b)/sqrt(2) carries the same
    # information about a (and about b), since b and -b have the same distribution: the gap of
    # factors 0 and 1 is zero up to estimation noise, and MIG drops from ~1 to ~(0 + 0 + 1 + 1) / 4.
    aligned = mig(identity, Toy(), np.random.default_rng(0))
    mixed = mig(rotated, Toy(), np.random.default_rng(0))
    assert max(mixed["mig_per_factor"][:2]) <= 0.05
    assert min(mixed["mig_per_factor"][2:]) >= 0.95
    assert mixed["mig"] <= 0.55 and mixed["mig"] <= aligned["mig"] - 0.4


def test_single_dimension_code_mig():
    # d = 1: the second largest MI is 0, so factor 2's gap is I(z; v_2) / H(v_2) = 1 and the
    # other factors' gaps are their (bias-only) MI with z.
    m = mig(lambda x: x[:, 2:3], Toy(), np.random.default_rng(0))
    assert m["mig_per_factor"][2] >= 0.99
    assert max(m["mig_per_factor"][i] for i in (0, 1, 3)) <= 0.02
    assert m["mig"] == pytest.approx(np.mean(m["mig_per_factor"]))


@pytest.mark.parametrize("extra", ["constant", "tiny"])
def test_factor_vae_prunes_collapsed_dimension(extra):
    # A dimension collapsed to the prior: constant (its normalised variance would be 0 / 0 = nan,
    # which argmin would pick on every vote) or with variance 1e-6 < 0.05. Both must be pruned,
    # and the remaining dims are the true factors, so the score stays 1.
    gen = torch.Generator().manual_seed(5)

    def encode(x):
        col = torch.zeros(len(x), 1, dtype=x.dtype)
        if extra == "tiny":
            col = 1e-3 * torch.randn(len(x), 1, generator=gen, dtype=x.dtype)
        return torch.cat([x[:, :2], col, x[:, 2:]], 1)

    fvae = factor_vae_score(encode, Toy(), np.random.default_rng(0))
    assert fvae["factor_vae_active_dims"] == [0, 1, 3, 4]
    assert fvae["factor_vae"] >= 0.99


def test_factor_vae_prunes_by_standard_deviation_as_disentanglement_lib():
    """disentanglement_lib's _prune_dims keeps a dimension when sqrt(variance) >= 0.05: a factor
    coded with standard deviation 0.1 (variance 0.01) is kept, and the score sees all four factors
    (a variance threshold of 0.05 pruned it, and the votes for that factor were lost)."""
    sizes = torch.tensor(SIZES, dtype=torch.float64)
    factor_std = torch.sqrt((sizes**2 - 1) / 12)  # the std of a uniform factor on {0, ..., s - 1}
    small = torch.ones(len(SIZES), dtype=torch.float64)
    small[2] = 0.1 / factor_std[2]  # factor 2 coded with standard deviation 0.1

    fvae = factor_vae_score(lambda x: x * small, Toy(), np.random.default_rng(0))
    assert fvae["factor_vae_active_dims"] == [0, 1, 2, 3]
    assert fvae["factor_vae"] >= 0.99
    tiny = small.clone()
    tiny[2] = 0.04 / factor_std[2]  # below 0.05: pruned
    assert factor_vae_score(lambda x: x * tiny, Toy(), np.random.default_rng(0))["factor_vae_active_dims"] == [0, 1, 3]


def test_factor_vae_all_pruned_is_majority_class():
    # Nothing survives pruning: every vote has the same (empty) input, so the majority-vote
    # classifier always predicts the most common training factor; its training accuracy is that
    # factor's share (>= 1/K by pigeonhole) and its evaluation accuracy is about 1/K.
    fvae = factor_vae_score(lambda x: 1e-3 * x, Toy(), np.random.default_rng(0), n_train=1000, n_eval=1000)
    assert fvae["factor_vae_active_dims"] == []
    assert 1 / K <= fvae["factor_vae_train"] <= 1 / K + 0.06
    assert abs(fvae["factor_vae"] - 1 / K) <= 0.06


@pytest.mark.parametrize("name", METRICS)
def test_deterministic_given_rng(name):
    # Rotated code on a noisy source: scores strictly between chance and 1, so a change shows.
    def score(seed):
        return METRICS[name](rotated, Toy(noise=0.3), np.random.default_rng(seed))

    first = score(0)
    assert first == score(0)
    assert first != score(1)


def test_rejects_constant_factor():
    class OneColour(Toy):
        factor_sizes = [1, 3]

    with pytest.raises(ValueError, match="factor_sizes"):
        mig(identity, OneColour(), np.random.default_rng(0))


def test_oracle_codes_of_all_and_of_some_factors():
    from gdm.metrics import FactorsAsObservations

    class Rendered(Toy):  # a source whose observations are not its factors
        def observe(self, factors):
            return torch.zeros(len(factors), 5)

    oracle = FactorsAsObservations(Rendered())
    f = oracle.sample_factors(7, np.random.default_rng(0))
    assert oracle.factor_sizes == SIZES and torch.equal(oracle.observe(f), torch.as_tensor(f, dtype=torch.float64))
    full = mig(identity, oracle, np.random.default_rng(0))
    two = mig(lambda x: x[:, [2, 3]], oracle, np.random.default_rng(0))
    assert full["mig"] >= 0.95
    # a code of factors 2 and 3 only: their gaps near 1, the other two factors' gaps 0
    per = two["mig_per_factor"]
    assert min(per[2], per[3]) >= 0.95 and max(per[0], per[1]) < 0.02
