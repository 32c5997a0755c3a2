import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from gdm import data, losses
from gdm.divergences import gan_value_1d, jsd_1d, kl_1d


def test_d_loss_is_binary_cross_entropy():
    real, fake = torch.randn(50), torch.randn(50)
    ref = F.binary_cross_entropy(torch.sigmoid(real), torch.ones(50)) + F.binary_cross_entropy(
        torch.sigmoid(fake), torch.zeros(50))
    assert losses.gan_d_loss(real, fake).item() == pytest.approx(ref.item(), rel=1e-6)
    value = torch.log(torch.sigmoid(real)).mean() + torch.log(1 - torch.sigmoid(fake)).mean()
    assert losses.gan_value(real, fake).item() == pytest.approx(value.item(), rel=1e-6)


def test_generator_losses_and_their_gradients():
    logits = torch.tensor([-8.0, -2.0, 0.0, 3.0], requires_grad=True)
    d = torch.sigmoid(logits.detach())
    mm = losses.gan_g_loss(logits, "minimax")
    assert mm.item() == pytest.approx(torch.log(1 - d).mean().item(), rel=1e-6)
    (g_mm,) = torch.autograd.grad(mm, logits)
    ns = losses.gan_g_loss(logits, "nonsaturating")
    assert ns.item() == pytest.approx((-torch.log(d)).mean().item(), rel=1e-6)
    (g_ns,) = torch.autograd.grad(ns, logits)
    # d/dl log(1 - sigmoid(l)) = -sigmoid(l);  d/dl -log sigmoid(l) = -(1 - sigmoid(l))
    assert torch.allclose(g_mm, -d / 4) and torch.allclose(g_ns, -(1 - d) / 4)
    assert abs(g_mm[0]) < 1e-3 * abs(g_ns[0])  # poor samples: the minimax gradient vanishes


def test_unknown_generator_loss():
    with pytest.raises(KeyError, match="nonsaturating"):
        losses.gan_g_loss(torch.zeros(3), "hinge")


def test_value_at_the_optimal_discriminator_is_minus_log4_plus_2jsd():
    p, q = data.gaussian(0.0, 1.0).pdf, data.gaussian(1.5, 0.7).pdf
    d_star = lambda x: losses.optimal_discriminator(p(x), q(x))
    value = gan_value_1d(d_star, p, q, -8, 9)
    jsd = jsd_1d(p, q, -8, 9)
    assert value == pytest.approx(losses.gan_value_at_optimum(jsd), abs=1e-8)
    # D* is the maximiser: any other discriminator scores lower
    for other in (lambda x: np.full_like(x, 0.5), lambda x: np.clip(d_star(x) + 0.05, 0, 1)):
        assert gan_value_1d(other, p, q, -8, 9) < value


def test_jsd_limits_and_kl_closed_form():
    p = data.gaussian(0.0, 1.0).pdf
    assert jsd_1d(p, p, -10, 10) == pytest.approx(0.0, abs=1e-10)
    far = data.gaussian(60.0, 1.0).pdf
    assert jsd_1d(p, far, -10, 70, points=[0, 60]) == pytest.approx(math.log(2), abs=1e-6)
    q = data.gaussian(1.0, 2.0).pdf  # KL(N(0,1) || N(1,4)) = log 2 + (1 + 1) / 8 - 1/2
    assert kl_1d(p, q, -15, 15) == pytest.approx(math.log(2) + 2 / 8 - 0.5, abs=1e-8)
    assert losses.gan_value_at_optimum(0.0) == pytest.approx(-math.log(4))


@pytest.mark.slow
def test_trained_discriminator_approaches_the_optimum():
    """Proposition 1 in practice: D trained against a fixed Gaussian G approaches D*."""
    from gdm.config import make_config
    from gdm.metrics import optimal_d_error
    from gdm.runs import load_or_train

    cfg = make_config("gan", dataset="mixture1d", steps=3000, batch_size=512, z_dim=1, z_prior="normal",
                      g_arch="affine", g_init_mean=0.5, g_init_std=1.5, freeze_generator=True, d_arch="mlp",
                      d_hidden=[64, 64], d_dropout=0.0, d_input_dropout=0.0, lr=1e-3, beta1=0.5)
    run = load_or_train(cfg)
    grid = np.linspace(-3.5, 3.5, 141)
    d = run.model.d_prob(torch.tensor(grid, dtype=torch.float32)[:, None]).numpy()
    p, q = data.toy("mixture1d").pdf(grid[:, None]), data.gaussian(0.5, 1.5).pdf(grid[:, None])
    where = (p + q) / 2 > 0.01  # where either distribution puts mass: D is only trained there
    err = optimal_d_error(d[where], p[where], q[where])
    assert where.sum() > 100 and err["max_error"] < 0.06 and err["mean_error"] < 0.02
