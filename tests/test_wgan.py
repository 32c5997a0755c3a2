"""WGAN, WGAN-GP and LSGAN: each loss against its paper's equation, clipping, the penalty's
closed form for linear critics, the warm-up schedule, and resume = uninterrupted."""
import pytest
import torch
from torch import nn

from gdm import data, losses, models
from gdm.config import make_config
from gdm.errors import ConfigError, UnknownNameError
from gdm.train import train

SMALL = dict(dataset="ring", batch_size=32, z_dim=2, z_prior="normal", g_hidden=[16], d_arch="mlp", d_hidden=[16])


def test_wgan_losses_are_the_papers_equations():
    real, fake = torch.tensor([1.0, 3.0, 2.0]), torch.tensor([-1.0, 0.5])
    # E_real[f] - E_fake[f] = 2 - (-0.25)
    assert losses.wgan_critic_value(real, fake).item() == pytest.approx(2.25)
    assert losses.wgan_critic_loss(real, fake).item() == pytest.approx(-2.25)
    assert losses.wgan_g_loss(fake).item() == pytest.approx(0.25)


def test_lsgan_losses_are_the_papers_equations():
    real, fake = torch.tensor([1.0, 0.0]), torch.tensor([0.5, 2.0])
    # ½ mean((D(x) - 1)^2) + ½ mean((D(G(z)) - 0)^2) = ½ (0 + 1)/2 + ½ (0.25 + 4)/2
    assert losses.lsgan_d_loss(real, fake).item() == pytest.approx(0.25 + 1.0625)
    # ½ mean((D(G(z)) - 1)^2) = ½ (0.25 + 1)/2
    assert losses.lsgan_g_loss(fake).item() == pytest.approx(0.3125)
    assert losses.lsgan_d_loss(torch.ones(4), torch.zeros(4)).item() == 0.0


def test_gradient_penalty_of_a_linear_critic_is_closed_form():
    """f(x) = <w, x>: the gradient is w everywhere, so the penalty is (||w|| - 1)^2 exactly,
    whatever the interpolates; the norm is over the whole image, not per pixel or channel."""
    torch.manual_seed(0)
    critic = nn.Sequential(nn.Flatten(), nn.Linear(2 * 3 * 3, 1, bias=True))
    with torch.no_grad():
        critic[1].weight.fill_(0.5)  # ||w|| = 0.5 * sqrt(18)
    real, fake = torch.rand(5, 2, 3, 3), torch.rand(5, 2, 3, 3)
    gp = losses.gradient_penalty(lambda x: critic(x).squeeze(1), real, fake)
    assert gp.item() == pytest.approx((0.5 * 18 ** 0.5 - 1) ** 2, rel=1e-5)


def test_gradient_penalty_uses_one_epsilon_per_sample():
    """f(x) = ||x||²/2 has gradient x̂: with ε given, the penalty is computed on ε x + (1 - ε) x̃."""
    real, fake = torch.tensor([[3.0, 4.0], [0.0, 0.0]]), torch.tensor([[0.0, 0.0], [6.0, 8.0]])
    eps = torch.tensor([1.0, 0.5])  # x̂ = (3, 4) with norm 5, and (3, 4) with norm 5
    gp = losses.gradient_penalty(lambda x: 0.5 * x.pow(2).sum(1), real, fake, eps=eps)
    assert gp.item() == pytest.approx(16.0)
    # the penalty is differentiable with respect to the critic's parameters
    w = torch.tensor(2.0, requires_grad=True)
    gp = losses.gradient_penalty(lambda x: w * x.sum(1), real, fake)  # gradient (w, w): norm w√2
    gp.backward()
    assert w.grad.item() == pytest.approx(2 * (2 * 2 ** 0.5 - 1) * 2 ** 0.5, rel=1e-5)


def test_wgan_clips_every_critic_weight_after_each_update():
    cfg = make_config("wgan", **SMALL, clip=0.01, critic_warmup=False, lr=0.1)
    torch.manual_seed(0)
    model = models.build(cfg, (2,))
    train(model, data.Batches("ring", 32, 0), 3)
    values = torch.cat([p.detach().flatten() for p in model.discriminator.parameters()])
    assert values.abs().max().item() <= 0.01 + 1e-9
    assert (values.abs() == 0.01).any()  # a large lr pushes weights onto the box: clipping is active


def test_wgan_warmup_schedule():
    model = models.build(make_config("wgan", **SMALL), (2,))
    counts = [model.batches_at(s) for s in range(600)]
    assert counts[:25] == [100] * 25 and counts[25] == 5 and counts[500] == 100 and counts.count(100) == 26
    off = models.build(make_config("wgan", **SMALL, critic_warmup=False, k=3), (2,))
    assert {off.batches_at(s) for s in range(600)} == {3}


def test_wgan_gp_has_the_papers_defaults_and_refuses_batch_norm():
    cfg = make_config("wgan_gp")
    assert (cfg["gp_weight"], cfg["lr"], cfg["beta1"], cfg["beta2"], cfg["k"], cfg["clip"]) == (10.0, 1e-4, 0.0, 0.9, 5, 0.0)
    cfg = make_config("wgan")
    assert (cfg["optimizer"], cfg["lr"], cfg["clip"], cfg["k"]) == ("rmsprop", 5e-5, 0.01, 5)
    with pytest.raises(ConfigError, match="batch norm"):
        make_config("wgan_gp", d_batchnorm=True)
    with pytest.raises(UnknownNameError, match="wasserstein"):
        make_config("wgan", g_loss="nonsaturating")
    with pytest.raises(ConfigError, match="clip"):
        make_config("wgan", clip=-1.0)


def test_wgan_gp_critic_loss_is_wgan_plus_lambda_penalty():
    cfg = make_config("wgan_gp", **SMALL)
    torch.manual_seed(0)
    model = models.build(cfg, (2,))
    x, fake = torch.randn(8, 2), torch.randn(8, 2)
    torch.manual_seed(1)
    loss, logs = model.discriminator_loss(x, fake)
    torch.manual_seed(1)
    expected = (losses.wgan_critic_loss(model.discriminator(x), model.discriminator(fake))
                + 10.0 * losses.gradient_penalty(model.discriminator, x, fake))
    assert loss.item() == pytest.approx(expected.item(), rel=1e-6)
    assert logs["critic"] == pytest.approx(-losses.wgan_critic_loss(model.discriminator(x), model.discriminator(fake)).item())


@pytest.mark.parametrize("name", ["wgan", "wgan_gp", "lsgan"])
def test_resume_equals_uninterrupted(name, tmp_path):
    cfg = make_config(name, **SMALL)

    def run(ckpt, stops):
        torch.manual_seed(0)
        for stop in stops:
            model = models.build(cfg, (2,))
            train(model, data.Batches("ring", 32, 0), stop, checkpoint=ckpt, checkpoint_every=4)
        return torch.cat([p.detach().flatten() for p in model.parameters()])

    a = run(tmp_path / "a.pt", [30])
    b = run(tmp_path / "b.pt", [12, 30])
    assert torch.equal(a, b)


def test_resume_with_a_varying_critic_count_on_images_equals_uninterrupted(tmp_path):
    """A critic count that varies by step on an image set (a short version of the warm-up: 3
    batches for the first 4 steps and every 5th, else 1): the steps' windows are cumulative
    offsets, and a run resumed inside and after the warm-up equals the uninterrupted one."""
    cfg = make_config("wgan", dataset="mnist5k", batch_size=4, z_dim=4, g_hidden=[8], d_arch="mlp", d_hidden=[8],
                      d_dropout=0.0, d_input_dropout=0.0, steps=12)

    def run(ckpt, stops):
        for stop in stops:
            torch.manual_seed(0)
            model = models.build(cfg, (1, 28, 28))
            model.batches_at = lambda step: 3 if step < 4 or step % 5 == 0 else 1
            train(model, data.Batches("mnist5k", 4, 0), stop, checkpoint=ckpt, checkpoint_every=3)
        return torch.cat([p.detach().flatten() for p in model.parameters()])

    assert torch.equal(run(tmp_path / "a.pt", [12]), run(tmp_path / "b.pt", [3, 7, 12]))
