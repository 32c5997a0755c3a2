"""GMMN, GMMN+AE and MMD-GAN: losses against the equations, phases, clipping, resume."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from gdm import data, kernels, losses, models
from gdm.config import make_config
from gdm.errors import ConfigError, UnknownNameError
from gdm.train import train

IMG = (1, 28, 28)


def flat_params(module):
    return torch.cat([p.detach().flatten().clone() for p in module.parameters()])


def _authors_sqrt_mmd(pred: np.ndarray, target: np.ndarray, sigma) -> float:
    """√MMD² as yujiali/gmmn computes it (core/generative.py, GaussianKernelMmdLoss):
    prod = XX - x/2 - x'/2 = -d²/2, K = exp(prod / sigma), loss = Σ (s sᵀ) ⊙ K with
    s = 1/n for the samples and -1/m for the data: the kernel is exp(-d² / (2 sigma))."""
    X = np.concatenate([pred, target]).astype(np.float64)
    XX = X @ X.T
    x = np.diag(XX)
    prod = XX - 0.5 * x - 0.5 * x[:, None]
    w = np.concatenate([np.full(len(pred), 1 / len(pred)), np.full(len(target), -1 / len(target))])
    return float(np.sqrt(sum(((w[:, None] * w[None, :]) * np.exp(prod / s)).sum() for s in sigma)))


def test_gmmn_minimises_the_square_root_of_mmd2_with_the_authors_kernel_variances():
    cfg = make_config("gmmn", g_hidden=[16], batch_size=20)
    assert cfg["kernel_variances"] == [2, 5, 10, 20, 40, 80] and cfg["code_kernel_variances"] == [1]
    torch.manual_seed(0)
    model = models.build(cfg, IMG)
    assert model.kernel_std["data"] == pytest.approx([2 ** 0.5, 5 ** 0.5, 10 ** 0.5, 20 ** 0.5, 40 ** 0.5, 80 ** 0.5])
    assert model.kernel_std["code"] == [1.0]
    x = data.load("mnist5k", "train").x[:20]
    torch.manual_seed(1)
    logs = model.train_step(x, 0)
    # recompute the loss of step 0 with the initial weights and the same noise, as the authors' code does
    torch.manual_seed(0)
    initial = models.build(cfg, IMG)
    torch.manual_seed(1)
    y = initial.generator(initial.noise(20)).detach()
    expected = _authors_sqrt_mmd(y.reshape(20, -1).numpy(), x.reshape(20, -1).numpy(), cfg["kernel_variances"])
    assert logs["mmd"] == pytest.approx(expected, rel=1e-5)


def test_gmmn_ae_matches_codes_with_the_authors_unit_variance_kernel():
    """The authors' mnist_mmd_code_space passes mmd_sigma = 1 to the same loss: variance 1, so
    width 1 either way; the code-space loss is that loss on the encoder's codes."""
    cfg = make_config("gmmn", space="code", g_hidden=[16], ae_hidden=[32], code_dim=4, ae_steps=1, steps=2, batch_size=20)
    torch.manual_seed(0)
    model = models.build(cfg, IMG)
    x = data.load("mnist5k", "train").x[:20]
    with torch.no_grad(), model.evaluating():
        codes = model.autoencoder.encoder(x)
    torch.manual_seed(1)
    logs = model.train_step(x, 1)  # step 1: the generator's phase (the auto-encoder was not trained: same codes)
    torch.manual_seed(0)
    initial = models.build(cfg, IMG)
    torch.manual_seed(1)
    y = initial.generator(initial.noise(20)).detach()
    assert logs["mmd"] == pytest.approx(_authors_sqrt_mmd(y.numpy(), codes.numpy(), [1]), rel=1e-5)


def test_the_widest_data_kernel_still_tells_digits_apart():
    """With the numbers read as variances, the widest kernel (s = 80) is far from 1 at the
    distances between digits; read as standard deviations it was >= 0.93 for every pair."""
    x = data.load("mnist5k", "train").x[:200].reshape(200, -1)
    d2 = kernels.squared_distances(x)[~torch.eye(200, dtype=torch.bool)]
    assert torch.exp(-d2 / (2 * 80 ** 2)).min() > 0.9  # the old reading: almost constant
    assert torch.exp(-d2 / (2 * 80)).median() < 0.8


def test_gmmn_ae_trains_the_autoencoder_first_then_only_the_generator():
    cfg = make_config("gmmn", space="code", g_hidden=[16], ae_hidden=[32], code_dim=4, ae_steps=3, steps=6, batch_size=16)
    torch.manual_seed(0)
    model = models.build(cfg, IMG)
    batches = data.Batches("mnist5k", 16, 0)
    ae0, g0 = flat_params(model.autoencoder), flat_params(model.generator)
    train(model, batches, 3)
    ae1, g1 = flat_params(model.autoencoder), flat_params(model.generator)
    assert not torch.equal(ae0, ae1) and torch.equal(g0, g1)
    for step in range(3, 6):
        model.train_step(batches(step), step)
    assert torch.equal(ae1, flat_params(model.autoencoder)) and not torch.equal(g1, flat_params(model.generator))
    s = model.sample(5)
    assert s.shape == (5, *IMG) and 0 <= s.min() and s.max() <= 1
    codes = model.autoencoder.encoder(s)
    assert codes.shape == (5, 4) and 0 <= codes.min() and codes.max() <= 1  # sigmoid codes


def test_gmmn_configuration_errors():
    with pytest.raises(UnknownNameError, match="code"):
        make_config("gmmn", space="latent")
    with pytest.raises(ConfigError, match="ae_steps"):
        make_config("gmmn", space="code", ae_steps=100, steps=50)
    with pytest.raises(ConfigError, match="kernel_variances"):
        make_config("gmmn", kernel_variances=[0, 1])
    with pytest.raises(ConfigError, match="unknown parameter.*sigmas"):
        make_config("gmmn", sigmas=[2, 5])  # the old name, which read the numbers as standard deviations
    with pytest.raises(UnknownNameError, match="activation"):
        make_config("gmmn", space="code", ae_act="softplus", ae_steps=1, steps=2)


def test_mmd_gan_losses_are_the_equations():
    g = torch.Generator().manual_seed(0)
    fx, fy = torch.randn(8, 3, generator=g), torch.randn(8, 3, generator=g) + 0.3
    x, y, rx, ry = (torch.rand(8, 5, generator=g) for _ in range(4))
    sig = [1.0, 2.0]
    m2 = kernels.mmd2(fx, fy, "gaussian", sig)
    side = -F.relu(-(fx.mean(0) - fy.mean(0))).mean()
    assert losses.one_sided(torch.tensor([1.0, -2.0, 0.5, -1.0])).item() == pytest.approx(-0.75)
    critic = -(m2.clamp_min(0).sqrt() + 16 * side - 8 * (((rx - x) ** 2).mean() + ((ry - y) ** 2).mean()))
    assert losses.mmd_gan_critic_loss(fx, fy, rx, x, ry, y, sig).item() == pytest.approx(critic.item(), rel=1e-6)
    assert losses.mmd_gan_g_loss(fx, fy, sig).item() == pytest.approx((m2.sqrt() + 16 * side).item(), rel=1e-6)
    # the one-sided term vanishes when the real features dominate in every coordinate
    assert losses.one_sided(fx.abs().mean(0) + 1).item() == 0.0


SMALL_MMD = dict(g_width=4, d_width=4, code_dim=3, batch_size=8, critic_warmup=False, k=2)


def test_mmd_gan_clips_the_encoder_only_before_each_critic_update():
    """As the authors' code: the encoder is clipped before every critic update, not again before
    the generator's (which sees it as the last critic update left it); the decoder never is; the
    generator's update takes a mini-batch of its own (k + 1 per step)."""
    cfg = make_config("mmd_gan", **SMALL_MMD, lr=0.05)
    torch.manual_seed(0)
    model = models.build(cfg, IMG)
    assert model.batches_at(0) == SMALL_MMD["k"] + 1
    batches = data.Batches("mnist5k", 8, 0, counts=model.batches_at)
    clips, seen = [], []
    real_clip, real_g_loss = model.clip_encoder, losses.mmd_gan_g_loss

    def counting_clip():
        clips.append(1)
        real_clip()

    model.clip_encoder = counting_clip
    encoder_at_g = []

    def spy_g_loss(f_x, f_y, *a, **kw):
        encoder_at_g.append(max(p.detach().abs().max().item() for p in model.critic.encoder.parameters()))
        return real_g_loss(f_x, f_y, *a, **kw)

    import gdm.models.mmd_gan as mmd_module
    mmd_module.losses.mmd_gan_g_loss = spy_g_loss
    try:
        for step in range(3):
            x = batches(step)
            seen.append(x)
            model.train_step(x, step)
    finally:
        mmd_module.losses.mmd_gan_g_loss = real_g_loss
    assert len(clips) == 3 * SMALL_MMD["k"]  # one clip per critic update, none before the generator's
    assert max(encoder_at_g) > 0.01  # lr 0.05 moves the clipped weights past 0.01 in one update
    model.clip_encoder = real_clip
    real_clip()
    enc = torch.cat([p.detach().flatten() for p in model.critic.encoder.parameters()])
    dec = torch.cat([p.detach().flatten() for p in model.critic.decoder.parameters()])
    assert enc.abs().max() <= 0.01 + 1e-9 and dec.abs().max() > 0.01
    assert all(len(x) == 8 * (SMALL_MMD["k"] + 1) for x in seen)


@pytest.mark.parametrize("name,params", [
    ("gmmn", dict(g_hidden=[8], batch_size=16)),
    ("gmmn", dict(space="code", g_hidden=[8], ae_hidden=[16], code_dim=3, ae_steps=5, batch_size=16)),
    ("mmd_gan", SMALL_MMD),
])
def test_resume_equals_uninterrupted(name, params, tmp_path):
    cfg = make_config(name, **params, steps=10)

    def run(ckpt, stops):
        for stop in stops:
            torch.manual_seed(0)
            model = models.build(cfg, IMG)
            train(model, data.Batches("mnist5k", params["batch_size"], 0), stop, checkpoint=ckpt, checkpoint_every=3)
        return flat_params(model)

    assert torch.equal(run(tmp_path / "a.pt", [10]), run(tmp_path / "b.pt", [4, 10]))


def test_mmd_gan_mlp_arch_uses_gmmns_generator_and_an_mlp_autoencoder_critic():
    shape_kw = dict(z_dim=10, g_hidden=[8, 16])
    gmmn = models.build(make_config("gmmn", **shape_kw), IMG)
    mmd = models.build(make_config("mmd_gan", arch="mlp", d_hidden=[12], code_dim=5, g_batchnorm=False, **shape_kw), IMG)
    # the same generator, layer for layer, so a comparison at equal batch size isolates the kernel
    assert [tuple(p.shape) for p in mmd.generator.parameters()] == [tuple(p.shape) for p in gmmn.generator.parameters()]
    assert mmd.generator(torch.zeros(3, 10)).shape == (3, *IMG)
    rec, code = mmd.critic(torch.rand(3, *IMG))
    assert rec.shape == (3, *IMG) and code.shape == (3, 5) and 0 <= rec.min() and rec.max() <= 1
    enc_in = next(mmd.critic.encoder.parameters())
    assert enc_in.shape == (12, 784)


def test_mmd_gan_rejects_an_unknown_arch():
    with pytest.raises(UnknownNameError, match="dcgan"):
        models.build(make_config("mmd_gan", arch="resnet"), IMG)


def test_mmd_gan_mlp_resume_equals_uninterrupted(tmp_path):
    params = dict(arch="mlp", g_hidden=[8], d_hidden=[8], code_dim=3, batch_size=8, k=2, critic_warmup=True)
    cfg = make_config("mmd_gan", **params, steps=6)

    def run(ckpt, stops):
        for stop in stops:
            torch.manual_seed(0)
            model = models.build(cfg, IMG)
            train(model, data.Batches("mnist5k", 8, 0), stop, checkpoint=ckpt, checkpoint_every=2)
        return flat_params(model)

    assert torch.equal(run(tmp_path / "a.pt", [6]), run(tmp_path / "b.pt", [3, 6]))
