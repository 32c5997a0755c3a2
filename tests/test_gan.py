"""GAN's update schemes: Algorithm 1 (alternating, D's loss -V) and the authors' code
(goodfeli/adversarial, AdversaryCost2: D's loss 0.5 (BCE_real + BCE_fake), both players stepped
simultaneously from one forward pass on the same samples)."""
import pytest
import torch
import torch.nn.functional as F

from gdm import data, models
from gdm.config import make_config
from gdm.errors import ConfigError, UnknownNameError

NET = dict(dataset="ring", batch_size=16, z_dim=2, z_prior="normal", g_hidden=[8], d_arch="mlp", d_hidden=[8],
           d_dropout=0.0, d_input_dropout=0.0, optimizer="sgd", lr=0.1, momentum=0.0, momentum_final=0.0)


def build(**kw):
    cfg = make_config("gan", **NET, **kw)
    torch.manual_seed(0)
    return models.build(cfg, (2,))


def test_simultaneous_update_is_the_authors_cost_stepped_at_the_same_parameters():
    x = data.Batches("ring", 16, 0)(0)
    model = build(d_objective="mean", updates="simultaneous")
    ref = build(d_objective="mean", updates="simultaneous")
    torch.manual_seed(5)
    model.train_step(x, 0)
    # the reference: AdversaryCost2 on one batch of samples, both gradients at the initial parameters
    torch.manual_seed(5)
    s = ref.generator(ref.noise(16))
    y_hat1, y_hat0 = ref.discriminator(x), ref.discriminator(s)
    d_obj = 0.5 * (F.binary_cross_entropy_with_logits(y_hat1, torch.ones_like(y_hat1))
                   + F.binary_cross_entropy_with_logits(y_hat0, torch.zeros_like(y_hat0)))
    g_obj = F.binary_cross_entropy_with_logits(y_hat0, torch.ones_like(y_hat0))  # non-saturating
    d_grads = torch.autograd.grad(d_obj, list(ref.discriminator.parameters()), retain_graph=True)
    g_grads = torch.autograd.grad(g_obj, list(ref.generator.parameters()))
    with torch.no_grad():
        for p, g in zip(ref.discriminator.parameters(), d_grads):
            p -= 0.1 * g
        for p, g in zip(ref.generator.parameters(), g_grads):
            p -= 0.1 * g
    for a, b in zip(model.parameters(), ref.parameters()):
        assert torch.allclose(a, b, atol=1e-6)


def test_the_mean_objective_halves_ds_sgd_step():
    x = data.Batches("ring", 16, 0)(0)
    moved = {}
    for objective in ("sum", "mean"):
        model = build(d_objective=objective, freeze_generator=True)
        before = torch.cat([p.detach().flatten().clone() for p in model.discriminator.parameters()])
        torch.manual_seed(3)
        logs = model.train_step(x, 0)
        moved[objective] = torch.cat([p.detach().flatten() for p in model.discriminator.parameters()]) - before
        moved[objective + "_loss"] = logs["d_loss"]
    assert torch.allclose(moved["mean"], 0.5 * moved["sum"], atol=1e-7)
    assert moved["mean_loss"] == pytest.approx(0.5 * moved["sum_loss"])


def test_update_scheme_errors():
    with pytest.raises(UnknownNameError, match="simultaneous"):
        make_config("gan", updates="together")
    with pytest.raises(UnknownNameError, match="mean"):
        make_config("gan", d_objective="average")
    with pytest.raises(ConfigError, match="k = 1"):
        make_config("gan", updates="simultaneous", k=2)
    with pytest.raises(ConfigError, match="GAN and f-GAN only"):
        make_config("wgan", updates="simultaneous")
    assert make_config("fgan", updates="simultaneous")["updates"] == "simultaneous"
