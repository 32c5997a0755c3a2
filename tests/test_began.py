"""BEGAN: the L1 loss, L_D and L_G, the k_t controller and M_global against the paper's equations;
the simultaneous update; k_t is model state that survives checkpoint and resume."""
import pytest
import torch

from gdm import data, losses, models
from gdm.config import make_config
from gdm.errors import ConfigError, UnknownNameError
from gdm.runs import load_or_train
from gdm.train import train

SMALL = dict(dataset="mnist5k", batch_size=16, z_dim=8, g_hidden=[32], d_hidden=[32], code_dim=8, steps=6)


def test_began_loss_is_the_mean_pixelwise_l1_error():
    x = torch.tensor([[[[0.0, 1.0], [0.5, 0.5]]], [[[1.0, 1.0], [1.0, 1.0]]]])
    rec = torch.tensor([[[[0.5, 1.0], [0.0, 0.5]]], [[[0.0, 1.0], [1.0, 0.0]]]])
    assert losses.began_loss(x, rec).tolist() == pytest.approx([(0.5 + 0 + 0.5 + 0) / 4, 2 / 4])
    assert losses.began_loss(x, rec, eta=2.0).tolist() == pytest.approx([0.5 / 4, 2 / 4])


def test_began_losses_and_controller_are_the_papers_equations():
    real, fake = torch.tensor([0.2, 0.4]), torch.tensor([0.1, 0.3, 0.2])
    assert losses.began_d_loss(real, fake, 0.25).item() == pytest.approx(0.3 - 0.25 * 0.2)
    assert losses.began_g_loss(fake).item() == pytest.approx(0.2)
    # k_{t+1} = clamp(k_t + λ_k (γ L(x) - L(G(z))), 0, 1)
    assert losses.began_k_update(0.5, 0.3, 0.1, gamma=0.5, lambda_k=0.001) == pytest.approx(0.5 + 0.001 * (0.15 - 0.1))
    assert losses.began_k_update(0.5, 0.3, 0.2, gamma=0.5, lambda_k=0.001) == pytest.approx(0.5 - 0.001 * 0.05)
    assert losses.began_k_update(0.0, 0.1, 0.9, gamma=0.5, lambda_k=0.001) == 0.0  # clamped at 0
    assert losses.began_k_update(0.9999, 10.0, 0.0, gamma=1.0, lambda_k=0.001) == 1.0  # clamped at 1
    # M_global = L(x) + |γ L(x) - L(G(z))|
    assert losses.began_convergence(0.3, 0.1, 0.5) == pytest.approx(0.3 + 0.05)
    assert losses.began_convergence(0.3, 0.2, 0.5) == pytest.approx(0.3 + 0.05)
    assert losses.began_convergence(0.3, 0.15, 0.5) == pytest.approx(0.3)  # at equilibrium: L(x) alone


def build(**kw):
    cfg = make_config("began", **{**SMALL, **kw})
    torch.manual_seed(0)
    return cfg, models.build(cfg, (1, 28, 28))


def test_began_step_is_the_papers_algorithm():
    """One step against the equations by hand: L_D = L(x) - k L(G(z_D)) and L_G = L(G(z_G)) at the
    same parameters, both players step; then k and M_global from L(x) and L(G(z_G))."""
    kw = dict(optimizer="sgd", momentum=0.0, lr=0.05, k_init=0.3, gamma=0.7, lambda_k=0.01)
    _, model = build(**kw)
    _, ref = build(**kw)
    x = data.Batches("mnist5k", 16, 0)(0)
    torch.manual_seed(1)
    logs = model.train_step(x, 0)
    torch.manual_seed(1)
    z_d, z_g = ref.noise(16), ref.noise(16)
    L = lambda v: (ref.discriminator(v)[0] - v).abs().flatten(1).mean(1).mean()
    fake_d = ref.generator(z_d).detach()
    l_real, l_fake_d = L(x), L(fake_d)
    fake_g = ref.generator(z_g)
    l_fake_g = L(fake_g)
    l_d = l_real - 0.3 * l_fake_d
    gd = torch.autograd.grad(l_d, list(ref.discriminator.parameters()))
    gg = torch.autograd.grad(l_fake_g, list(ref.generator.parameters()))
    assert logs["d_loss"] == pytest.approx(l_d.item(), rel=1e-5)
    assert logs["g_loss"] == pytest.approx(l_fake_g.item(), rel=1e-5)
    assert logs["k"] == pytest.approx(0.3)
    assert logs["m_global"] == pytest.approx(l_real.item() + abs(0.7 * l_real.item() - l_fake_g.item()), rel=1e-5)
    assert float(model.k) == pytest.approx(min(max(0.3 + 0.01 * (0.7 * l_real.item() - l_fake_g.item()), 0), 1), rel=1e-6)
    with torch.no_grad():
        for p, g in zip(ref.discriminator.parameters(), gd):
            p -= 0.05 * g
        for p, g in zip(ref.generator.parameters(), gg):
            p -= 0.05 * g
    for a, b in zip(model.parameters(), ref.parameters()):
        assert torch.allclose(a, b, atol=1e-6)


def test_k_stays_in_the_unit_interval_and_moves_by_the_controller():
    _, model = build(lambda_k=0.5, gamma=1.0)  # a large gain: the clamp must hold
    batches = data.Batches("mnist5k", 16, 0)
    ks = []
    for step in range(8):
        logs = model.train_step(batches(step, 1), step)
        ks.append(float(model.k))
        assert 0.0 <= float(model.k) <= 1.0
        assert float(model.k) == pytest.approx(min(max(logs["k"] + 0.5 * (logs["loss_real"] - logs["loss_fake"]), 0), 1))
    assert len(set(ks)) > 1


def test_began_k_survives_checkpoint_and_resume(tmp_path):
    """k_t is a buffer of the model: an interrupted run resumed from its checkpoint ends with the
    same weights and the same k as an uninterrupted one (and k has moved away from k_0)."""
    kw = dict(lambda_k=0.05, k_init=0.1)
    _, whole = build(**kw)
    train(whole, data.Batches("mnist5k", 16, 0), 6, progress=False)
    ck = tmp_path / "ck.pt"
    _, first = build(**kw)
    train(first, data.Batches("mnist5k", 16, 0), 3, checkpoint=ck, checkpoint_every=3, progress=False)
    assert float(first.k) != 0.1
    _, resumed = build(**kw)  # a fresh model: k starts at k_0 until the checkpoint is loaded
    train(resumed, data.Batches("mnist5k", 16, 0), 6, checkpoint=ck, checkpoint_every=3, progress=False)
    assert float(resumed.k) == float(whole.k) != float(first.k)
    for p, q in zip(whole.parameters(), resumed.parameters()):
        assert torch.equal(p, q)


def test_a_reused_run_keeps_k(tmp_path):
    cfg = make_config("began", **SMALL, lambda_k=0.05)
    run = load_or_train(cfg, root=tmp_path, progress=False)
    again = load_or_train(cfg, root=tmp_path, progress=False)
    assert again.reused and float(again.model.k) == float(run.model.k) > 0


def test_began_config_is_checked():
    with pytest.raises(ConfigError, match="batch norm"):
        make_config("began", d_batchnorm=True)
    with pytest.raises(ConfigError, match="gamma"):
        make_config("began", gamma=1.5)
    with pytest.raises(ConfigError, match="k_init"):
        make_config("began", k_init=-0.1)


@pytest.mark.parametrize("arch", ["mlp", "began"])
def test_linear_output_drops_only_the_sigmoid(arch):
    kw = dict(d_arch=arch, d_width=4) if arch == "began" else {}
    _, squashed = build(**kw)
    _, linear = build(d_output="linear", **kw)
    # the same weights (the seeded initialisation is unchanged), no sigmoid at the end of the decoder
    a, b = squashed.discriminator.state_dict(), linear.discriminator.state_dict()
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
    assert not any(isinstance(m, torch.nn.Sigmoid) for m in linear.discriminator.decoder.modules())
    x = torch.rand(3, 1, 28, 28)
    with torch.no_grad():
        rec_s, code_s = squashed.discriminator(x)
        rec_l, code_l = linear.discriminator(x)
    assert torch.equal(code_s, code_l)
    assert torch.allclose(rec_s, torch.sigmoid(rec_l))  # the linear output is the sigmoid's argument
    with pytest.raises(UnknownNameError, match="linear"):
        make_config("began", d_output="tanh")
