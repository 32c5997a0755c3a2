"""EBGAN: the energy, the margin loss and the pull-away term against the paper's equations written
out by hand; the auto-encoder discriminator; the model's step against the losses; resume."""
import itertools

import pytest
import torch

from gdm import data, losses, models, nets
from gdm.config import make_config
from gdm.errors import ConfigError, UnknownNameError
from gdm.train import train

SMALL = dict(dataset="mnist5k", batch_size=16, z_dim=8, g_hidden=[32], d_hidden=[32], code_dim=8, steps=6)


def test_energy_is_the_squared_reconstruction_error_summed_over_pixels():
    x = torch.tensor([[[[0.0, 1.0], [0.5, 0.5]]], [[[1.0, 1.0], [1.0, 1.0]]]])
    rec = torch.tensor([[[[0.5, 1.0], [0.0, 0.5]]], [[[0.0, 1.0], [1.0, 1.0]]]])
    assert losses.ebgan_energy(x, rec).tolist() == pytest.approx([0.25 + 0.25, 1.0])
    assert losses.ebgan_energy(x, rec, "mean").tolist() == pytest.approx([0.5 / 4, 1.0 / 4])  # per pixel
    with pytest.raises(ValueError, match="'sum' or 'mean'"):
        losses.ebgan_energy(x, rec, "max")


def test_margin_loss_is_the_papers_equation():
    real, fake = torch.tensor([1.0, 3.0]), torch.tensor([2.0, 12.0, 9.5])
    m = 10.0
    # L_D = mean D(x) + mean [m - D(G(z))]^+ = 2 + (8 + 0 + 0.5) / 3
    want = (1 + 3) / 2 + sum(max(m - f, 0.0) for f in fake.tolist()) / 3
    assert losses.ebgan_d_loss(real, fake, m).item() == pytest.approx(want)
    assert losses.ebgan_g_loss(fake).item() == pytest.approx((2 + 12 + 9.5) / 3)
    # fakes at or beyond the margin give the discriminator no gradient
    f = torch.tensor([10.0, 11.0, 4.0], requires_grad=True)
    losses.ebgan_d_loss(torch.zeros(1), f, m).backward()
    assert f.grad.tolist() == pytest.approx([0.0, 0.0, -1 / 3])


def pull_away_by_hand(s):
    n = len(s)
    total = 0.0
    for i, j in itertools.product(range(n), range(n)):
        if i != j:
            dot = sum(a * b for a, b in zip(s[i], s[j]))
            ni = sum(a * a for a in s[i]) ** 0.5
            nj = sum(b * b for b in s[j]) ** 0.5
            total += (dot / (ni * nj)) ** 2
    return total / (n * (n - 1))


def test_pull_away_term_is_the_papers_double_sum_of_squared_cosines():
    torch.manual_seed(0)
    for n, d in ((2, 3), (5, 4), (7, 2)):
        s = torch.randn(n, d, dtype=torch.float64)
        assert losses.pull_away_term(s).item() == pytest.approx(pull_away_by_hand(s.tolist()), rel=1e-12)
    # closed forms: orthogonal codes give 0, identical (or opposite) codes give 1, scale does not matter
    assert losses.pull_away_term(torch.eye(4)).item() == pytest.approx(0.0)
    same = torch.tensor([[1.0, 2.0], [-2.0, -4.0], [0.5, 1.0]])
    assert losses.pull_away_term(same).item() == pytest.approx(1.0)
    s = torch.randn(6, 5)
    assert losses.pull_away_term(3 * s).item() == pytest.approx(losses.pull_away_term(s).item(), rel=1e-5)
    # the square: a pair at cosine -1/2 and +1/2 count the same (without it they would cancel)
    s = torch.tensor([[1.0, 0.0], [0.5, 3 ** 0.5 / 2], [-0.5, 3 ** 0.5 / 2]])
    assert losses.pull_away_term(s).item() == pytest.approx(pull_away_by_hand(s.tolist()), rel=1e-6)
    assert losses.pull_away_term(s).item() == pytest.approx(0.25, rel=1e-6)  # every pair has cos² = 1/4


@pytest.mark.parametrize("arch", ["mlp", "dcgan", "began"])
def test_autoencoder_shapes_and_range(arch):
    torch.manual_seed(0)
    ae = nets.autoencoder(arch, (1, 28, 28), code_dim=5, hidden=[16], width=4)
    x = torch.rand(3, 1, 28, 28)
    rec, code = ae(x)
    assert rec.shape == x.shape and code.shape == (3, 5)
    assert 0 <= rec.min() and rec.max() <= 1
    assert torch.equal(ae.decoder(ae.encoder(x)), rec)


def test_autoencoder_names_are_checked():
    with pytest.raises(UnknownNameError, match="began"):
        nets.autoencoder("conv", (1, 28, 28), 4)
    with pytest.raises(UnknownNameError, match="mlp"):
        nets.autoencoder("dcgan", (2,), 4)
    with pytest.raises(UnknownNameError, match="d_arch|auto-encoder"):
        make_config("ebgan", d_arch="maxout")
    with pytest.raises(ConfigError, match="margin"):
        make_config("ebgan", margin=0.0)
    with pytest.raises(ConfigError, match="pt_weight"):
        make_config("ebgan", pt_weight=-0.1)


def build(**kw):
    cfg = make_config("ebgan", **{**SMALL, **kw})
    torch.manual_seed(0)
    return cfg, models.build(cfg, (1, 28, 28))


def test_ebgan_step_minimises_the_papers_losses():
    """One step: D's update follows -grad of L_D = D(x) + [m - D(G(z))]^+ and G's follows
    -grad of D(G(z)) + 0.1 f_PT on the updated D, with the same noise and data."""
    cfg, model = build(optimizer="sgd", momentum=0.0, lr=0.01, g_batchnorm=False, margin=10.0, pt_weight=0.1)
    x = data.Batches("mnist5k", 16, 0)(0)
    d0 = {k: v.clone() for k, v in model.discriminator.state_dict().items()}
    g0 = {k: v.clone() for k, v in model.generator.state_dict().items()}
    torch.manual_seed(1)
    logs = model.train_step(x, 0)
    # redo it by hand from the initial weights and the same noise
    _, ref = build(optimizer="sgd", momentum=0.0, lr=0.01, g_batchnorm=False, margin=10.0, pt_weight=0.1)
    ref.discriminator.load_state_dict(d0)
    ref.generator.load_state_dict(g0)
    torch.manual_seed(1)
    z_d, z_g = ref.noise(16), ref.noise(16)
    fake = ref.generator(z_d).detach()
    rec_r, _ = ref.discriminator(x)
    rec_f, _ = ref.discriminator(fake)
    e_r, e_f = ((rec_r - x) ** 2).flatten(1).sum(1), ((rec_f - fake) ** 2).flatten(1).sum(1)
    l_d = e_r.mean() + torch.clamp(10.0 - e_f, min=0).mean()
    assert logs["d_loss"] == pytest.approx(l_d.item(), rel=1e-5)
    grads = torch.autograd.grad(l_d, list(ref.discriminator.parameters()))
    with torch.no_grad():
        for p, g in zip(ref.discriminator.parameters(), grads):
            p -= 0.01 * g
    g_fake = ref.generator(z_g)
    rec, code = ref.discriminator(g_fake)
    l_g = ((rec - g_fake) ** 2).flatten(1).sum(1).mean() + 0.1 * pull_away_by_hand(code.tolist())
    assert logs["g_loss"] == pytest.approx(l_g.item(), rel=1e-4)
    for a, b in zip(model.discriminator.parameters(), ref.discriminator.parameters()):
        assert torch.allclose(a, b, atol=1e-6)


def test_pull_away_weight_zero_changes_only_the_generator_loss():
    _, on = build(pt_weight=0.1)
    _, off = build(pt_weight=0.0)
    x = data.Batches("mnist5k", 16, 0)(0)
    torch.manual_seed(3)
    a = on.train_step(x, 0)
    torch.manual_seed(3)
    b = off.train_step(x, 0)
    assert a["d_loss"] == b["d_loss"] and a["pull_away"] == pytest.approx(b["pull_away"])
    assert a["g_loss"] == pytest.approx(b["g_loss"] + 0.1 * b["pull_away"], rel=1e-5)


def test_ebgan_resume_equals_uninterrupted(tmp_path):
    cfg, model = build()
    train(model, data.Batches("mnist5k", 16, 0), 6, progress=False)
    _, a = build()
    ck = tmp_path / "ck.pt"
    train(a, data.Batches("mnist5k", 16, 0), 3, checkpoint=ck, checkpoint_every=3, progress=False)
    _, b = build()
    train(b, data.Batches("mnist5k", 16, 0), 6, checkpoint=ck, checkpoint_every=3, progress=False)
    for p, q in zip(model.parameters(), b.parameters()):
        assert torch.equal(p, q)


def test_energy_and_samples():
    _, model = build()
    x = data.load("mnist5k", "valid").x[:10]
    e = model.energy(x)
    rec, _ = model.discriminator.eval()(x)
    assert e.shape == (10,) and torch.allclose(e, ((rec - x) ** 2).flatten(1).sum(1), rtol=1e-5)
    s = model.sample(7, torch.Generator().manual_seed(0))
    assert s.shape == (7, 1, 28, 28) and torch.equal(s, model.sample(7, torch.Generator().manual_seed(0)))


def test_a_mean_energy_is_the_summed_one_over_the_pixels_and_leaves_old_run_ids_alone():
    from gdm.runs import run_id

    cfg, summed = build()
    _, mean = build(energy="mean")
    mean.load_state_dict(summed.state_dict())
    x = data.load("mnist5k", "valid").x[:10]
    assert torch.allclose(mean.energy(x), summed.energy(x) / 784, rtol=1e-5)
    assert run_id(cfg) == run_id({k: v for k, v in cfg.items() if k != "energy"})  # the default is outside the id
    assert run_id(cfg) != run_id(make_config("ebgan", **{**SMALL, "energy": "mean"}))
    with pytest.raises(UnknownNameError, match="energy reduction"):
        make_config("ebgan", **{**SMALL, "energy": "max"})
