"""Wasserstein auto-encoder: the objective against the paper's Algorithms 1 and 2 written out on small
tensors, the IMQ kernel's scales, the deterministic encoder, which nets each phase updates,
determinism, resume, configuration errors."""
import math

import pytest
import torch

from gdm import data, models
from gdm.config import make_config
from gdm.errors import ConfigError, UnknownNameError
from gdm.models.wae import IMQ_MULTIPLES
from gdm.train import train

IMG = (1, 28, 28)
SMALL = dict(hidden=[16], d_hidden=[8, 8], batch_size=12, z_dim=3)
X = data.load("mnist5k", "train").x[:12]


def flat(module):
    return torch.cat([p.detach().flatten().clone() for p in module.parameters()])


def build(**kw):
    cfg = make_config("wae", **{**SMALL, **kw})
    torch.manual_seed(cfg["seed"])
    return models.build(cfg, IMG)


def imq_mmd_double_sum(zq, zp, cs):
    """Algorithm 2's penalty with explicit loops: 1/(n(n-1)) Σ_{l≠j} [k(z_l, z_j) + k(z̃_l, z̃_j)]
    - 2/n² Σ_{l,j} k(z_l, z̃_j), k(a, b) = Σ_C C / (C + ‖a - b‖²)."""
    n = len(zq)
    k = lambda a, b: sum(c / (c + float(((a - b) ** 2).sum())) for c in cs)
    within = sum(k(zp[l], zp[j]) + k(zq[l], zq[j]) for l in range(n) for j in range(n) if l != j)
    cross = sum(k(zp[l], zq[j]) for l in range(n) for j in range(n))
    return within / (n * (n - 1)) - 2 * cross / n**2


# ----------------------------------------------------------------------------- the kernel and the MMD penalty
@pytest.mark.parametrize("scales,prior_std", [("multi", 1.0), ("single", 1.0), ("multi", math.sqrt(2.0))])
def test_imq_scales_are_2_dz_sigma2_times_the_multiples(scales, prior_std):
    m = build(kernel_scales=scales, prior_std=prior_std)
    base = 2 * 3 * prior_std**2  # 2 d_z σ_z²
    want = [base * s for s in IMQ_MULTIPLES] if scales == "multi" else [base]
    assert m.imq_scales() == pytest.approx(want)
    if scales == "multi":
        assert IMQ_MULTIPLES == (0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0)


@pytest.mark.parametrize("scales", ["multi", "single"])
def test_mmd_penalty_is_algorithm_2s_double_sum(scales):
    m = build(kernel_scales=scales)
    g = torch.Generator().manual_seed(1)
    zq, zp = torch.randn(7, 3, generator=g, dtype=torch.float64) + 0.5, torch.randn(7, 3, generator=g, dtype=torch.float64)
    assert m.mmd_penalty(zq, zp).item() == pytest.approx(imq_mmd_double_sum(zq, zp, m.imq_scales()), rel=1e-10)


def test_unbiased_mmd_averages_to_zero_when_codes_follow_the_prior():
    """The U-statistic's mean is MMD² = 0 for Q_Z = P_Z (a biased V-statistic would stay > 0)."""
    m = build()
    g = torch.Generator().manual_seed(0)
    vals = torch.tensor([m.mmd_penalty(torch.randn(20, 3, generator=g), torch.randn(20, 3, generator=g)).item()
                         for _ in range(400)])
    assert abs(vals.mean().item()) < 3 * vals.std().item() / 20 and (vals < 0).any()
    shifted = torch.tensor([m.mmd_penalty(torch.randn(20, 3, generator=g) + 1.0, torch.randn(20, 3, generator=g)).item()
                            for _ in range(50)])
    assert shifted.mean() > vals.mean() + 10 * vals.std() / 20


# ----------------------------------------------------------------------------- the objectives written out
def test_wae_mmd_objective_is_cost_plus_lambda_mmd():
    lam, scale = 7.0, 0.3
    m = build(lam=lam, cost_scale=scale)
    g = torch.Generator().manual_seed(2)
    zq, zp = torch.randn(12, 3, generator=g), torch.randn(12, 3, generator=g)
    loss, t = m.objective(X, zq, zp)
    recon = torch.sigmoid(m.decoder(zq)).reshape(12, *IMG)  # G(z̃): the decoder's sigmoid output
    cost = scale * ((X - recon) ** 2).sum((1, 2, 3)).mean()
    want = cost.item() + lam * imq_mmd_double_sum(zq.double(), zp.double(), m.imq_scales())
    assert loss.item() == pytest.approx(want, rel=1e-5)
    assert t["cost"].item() == pytest.approx(cost.item(), rel=1e-6)
    # λ weighs the penalty exactly; λ = 0 is a plain auto-encoder with the cost c
    m0 = build(lam=0.0, cost_scale=scale)
    assert m0.objective(X, zq, zp)[0].item() == pytest.approx(cost.item(), rel=1e-6)


def test_wae_gan_losses_are_algorithm_1():
    lam = 3.0
    m = build(regulariser="gan", lam=lam, cost_scale=1.0)
    g = torch.Generator().manual_seed(3)
    zq, zp = torch.randn(12, 3, generator=g), torch.randn(12, 3, generator=g)
    d = lambda z: torch.sigmoid(m.adversary(z))
    # the adversary ascends λ/n Σ [log D(z_i) + log(1 - D(z̃_i))]: it minimises the negative
    want_d = -lam * (torch.log(d(zp)).mean() + torch.log(1 - d(zq)).mean())
    assert m.adversary_loss(zq, zp).item() == pytest.approx(want_d.item(), rel=1e-5)
    # the encoder and the decoder descend 1/n Σ [c(x_i, G(z̃_i)) - λ log D(z̃_i)]
    recon = torch.sigmoid(m.decoder(zq)).reshape(12, *IMG)
    want_ae = ((X - recon) ** 2).sum((1, 2, 3)).mean() - lam * torch.log(d(zq)).mean()
    assert m.objective(X, zq, zp)[0].item() == pytest.approx(want_ae.item(), rel=1e-5)


# ----------------------------------------------------------------------------- encoder, decoder, sampling
def test_encoder_is_deterministic_and_gaussian_is_not():
    m = build()
    assert m.encoder[-1].out_features == 3  # z itself, no variance head
    z1, z2 = m.codes(X), m.codes(X)
    assert torch.equal(z1, z2) and m.encode(X)[1] is None
    assert torch.equal(m.encode_codes(X), z1.detach())
    gm = build(encoder="gaussian")
    assert gm.encoder[-1].out_features == 6
    mu, logvar = gm.encode(X)
    a, b = gm.codes(X), gm.codes(X)
    assert not torch.equal(a, b)
    assert torch.allclose(gm.reconstruct(X), gm.decode_mean(mu).detach())  # reconstructions decode the mean


def test_same_nets_as_the_vae():
    """The WAE's decoder and hidden layers are the VAE's (the chapter compares at equal nets)."""
    w = build(hidden=[32, 16])
    v = models.build(make_config("vae", z_dim=3, hidden=[32, 16], act="relu", decoder="bernoulli"), IMG)
    shapes = lambda net: [tuple(p.shape) for p in net.parameters()]
    assert shapes(w.decoder) == shapes(v.decoder)
    assert shapes(w.encoder)[:-2] == shapes(v.encoder)[:-2]  # all but the output layer (z vs (mu, logvar))


def test_samples_are_decoded_prior_draws_with_sigma_z():
    m = build(prior_std=2.0)
    s = m.sample(5, torch.Generator().manual_seed(4))
    z = torch.randn(5, 3, generator=torch.Generator().manual_seed(4)) * 2.0
    assert torch.allclose(s, m.decode_mean(z).detach()) and s.shape == (5, *IMG)
    assert 0 <= s.min() and s.max() <= 1
    with pytest.raises(TypeError, match="not a likelihood"):
        m.elbo(X)


def test_latent_mmd_reads_the_aggregate_posterior():
    m = build()
    g = torch.Generator().manual_seed(5)
    assert abs(m.latent_mmd(torch.randn(400, 3, generator=g), g)) < 0.02
    assert m.latent_mmd(torch.randn(400, 3, generator=g) * 0.2, g) > 0.2


# ----------------------------------------------------------------------------- which nets each phase updates
def test_each_phase_updates_only_its_nets():
    m = build(regulariser="gan")
    nets_ = {"encoder": m.encoder, "decoder": m.decoder, "adversary": m.adversary}
    zp = m.prior(12)
    for phase, expected in (("adversary", {"adversary"}), ("autoencoder", {"encoder", "decoder"})):
        before = {k: flat(n) for k, n in nets_.items()}
        zq = m.codes(X)
        m.adversary_phase(zq, zp) if phase == "adversary" else m.autoencoder_phase(X, zq, zp)
        assert {k for k, n in nets_.items() if not torch.equal(before[k], flat(n))} == expected, phase
    assert set(m.optimizers) == {"ae", "d"} and m.optimizers["d"].param_groups[0]["lr"] == m.cfg["lr_d"]
    mmd = build()
    assert mmd.adversary is None and set(mmd.optimizers) == {"ae"}


def test_train_step_follows_algorithm_1s_order():
    m = build(regulariser="gan")
    order = []
    for name in ("adversary_phase", "autoencoder_phase"):
        f = getattr(m, name)
        setattr(m, name, lambda *a, _f=f, _n=name: (order.append(_n), _f(*a))[1])
    logs = m.train_step(X, 0)
    assert order == ["adversary_phase", "autoencoder_phase"]
    assert set(logs) == {"d_loss", "d_real", "d_fake", "loss", "recon", "penalty"}
    assert set(build().train_step(X, 0)) == {"loss", "recon", "penalty"}


def test_recon_log_is_the_plain_squared_error():
    m = build(cost_scale=0.05)
    zp, zq = m.prior(12), m.codes(X)
    with torch.no_grad():
        want = ((X - m.decode_mean(zq)) ** 2).sum((1, 2, 3)).mean().item()
    assert m.autoencoder_phase(X, zq, zp)["recon"] == pytest.approx(want, rel=1e-5)


def test_training_lowers_the_objective_and_the_mmd():
    m = build(hidden=[64], z_dim=2)
    g = torch.Generator().manual_seed(0)
    x = data.load("mnist5k", "train").x[:500]
    before_mmd, before_cost = m.latent_mmd(m.encode_codes(x), g), m.cost(x, m.encode_codes(x)).mean().item()
    train(m, data.Batches("mnist5k", 100, 0), 150, log_every=50, progress=False)
    assert m.cost(x, m.encode_codes(x)).mean().item() < before_cost
    assert m.latent_mmd(m.encode_codes(x), torch.Generator().manual_seed(0)) < before_mmd


# ----------------------------------------------------------------------------- determinism, resume
@pytest.mark.parametrize("regulariser", ["mmd", "gan"])
def test_training_is_deterministic(regulariser):
    def run(seed):
        m = build(regulariser=regulariser, seed=seed)
        h = train(m, data.Batches("mnist5k", 12, seed), 5, log_every=1, progress=False)
        return flat(m), h["loss"]

    (pa, ha), (pb, hb) = run(0), run(0)
    assert torch.equal(pa, pb) and ha == hb
    assert not torch.equal(pa, run(1)[0])


@pytest.mark.parametrize("params", [dict(regulariser="gan"), dict(regulariser="mmd", encoder="gaussian")])
def test_resume_equals_uninterrupted(params, tmp_path, train_in_stops):
    cfg = make_config("wae", **{**SMALL, **params, "steps": 10})
    run = lambda ckpt, stops: flat(train_in_stops(cfg, IMG, "mnist5k", ckpt, stops))

    assert torch.equal(run(tmp_path / "a.pt", [10]), run(tmp_path / "b.pt", [4, 10]))


# ----------------------------------------------------------------------------- config
def test_config_errors():
    with pytest.raises(UnknownNameError, match="gan, mmd"):
        make_config("wae", regulariser="wasserstein")
    with pytest.raises(UnknownNameError, match="deterministic, gaussian"):
        make_config("wae", encoder="implicit")
    with pytest.raises(UnknownNameError, match="multi, single"):
        make_config("wae", kernel_scales="median")
    with pytest.raises(ConfigError, match="lam"):
        make_config("wae", lam=-1.0)
    for key in ("prior_std", "cost_scale", "lr_d"):
        with pytest.raises(ConfigError, match=key):
            make_config("wae", **{key: 0.0})
    with pytest.raises(ConfigError, match="must be list of int"):
        make_config("wae", d_hidden=512)
    with pytest.raises(ConfigError, match="unknown parameter"):
        make_config("wae", beta=4.0)  # the VAE's KL weight is not a WAE parameter
    with pytest.raises(UnknownNameError, match="adam"):
        make_config("wae", optimizer="lbfgs")
