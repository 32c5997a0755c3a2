"""GMMN's kernel options (the moment-matching experiment of chapter 08) and ``generate``."""
import pytest
import torch

from gdm import data, models
from gdm.config import make_config
from gdm.errors import UnknownNameError


def first_step_loss(cfg, x):
    """The logged loss of step 0, and the generator's output on the same noise (initial weights)."""
    torch.manual_seed(0)
    model = models.build(cfg, tuple(x.shape[1:]))
    torch.manual_seed(1)
    z = model.noise(len(x))
    y = model.generator(z).detach()
    torch.manual_seed(1)
    return model.train_step(x, 0)["mmd"], y


def test_defaults_keep_the_papers_gaussian_kernel_on_x():
    cfg = make_config("gmmn")
    assert cfg["kernel"] == "gaussian" and cfg["features"] == "x"


def test_linear_kernel_matches_the_mean_only():
    x = data.toy("mixture1d").sample(64, torch.Generator().manual_seed(0))
    cfg = make_config("gmmn", dataset="mixture1d", kernel="linear", g_hidden=[8], z_dim=2, batch_size=64)
    loss, y = first_step_loss(cfg, x)
    assert loss == pytest.approx(abs(x.mean() - y.mean()).item(), rel=1e-5)


def test_linear_kernel_on_x_and_x2_matches_mean_and_second_moment():
    x = data.toy("mixture2d").sample(50, torch.Generator().manual_seed(0))
    cfg = make_config("gmmn", dataset="mixture2d", kernel="linear", features="x_x2", g_hidden=[8], z_dim=2,
                      batch_size=50)
    loss, y = first_step_loss(cfg, x)
    d1 = (x.mean(0) - y.mean(0)).pow(2).sum()
    d2 = ((x**2).mean(0) - (y**2).mean(0)).pow(2).sum()
    assert loss == pytest.approx((d1 + d2).sqrt().item(), rel=1e-5)


def test_imq_kernel_is_the_sum_over_scales():
    g = torch.Generator().manual_seed(0)
    x = data.toy("mixture1d").sample(6, g)
    cfg = make_config("gmmn", dataset="mixture1d", kernel="imq", kernel_variances=[1, 4], g_hidden=[8], z_dim=2, batch_size=6)
    loss, y = first_step_loss(cfg, x)

    def k(a, b):
        d2 = (a[:, None, 0] - b[None, :, 0]) ** 2
        return 1 / (1 + d2) + 4 / (4 + d2)

    m2 = k(x, x).mean() + k(y, y).mean() - 2 * k(x, y).mean()
    assert loss == pytest.approx(m2.sqrt().item(), rel=1e-5)


def test_kernel_option_errors_list_the_choices():
    with pytest.raises(UnknownNameError, match="linear"):
        make_config("gmmn", kernel="polynomial")
    with pytest.raises(UnknownNameError, match="x_x2"):
        make_config("gmmn", features="x3")


@pytest.mark.parametrize("space", ["data", "code"])
def test_generate_is_sample_on_given_prior_points(space):
    cfg = make_config("gmmn", space=space, g_hidden=[8], ae_hidden=[16], code_dim=3, ae_steps=1, steps=2)
    torch.manual_seed(0)
    model = models.build(cfg, (1, 28, 28))
    z = model.noise(5, torch.Generator().manual_seed(3))
    s = model.sample(5, torch.Generator().manual_seed(3))
    assert torch.equal(model.generate(z), s)
    if space == "code":
        with torch.no_grad():
            assert torch.allclose(s, model.autoencoder.decoder(model.generator(z)))


def test_ae_batch_splits_a_step_into_auto_encoder_updates():
    x = data.load("mnist5k", "train").x[:32]
    cfgs = [make_config("gmmn", space="code", g_hidden=[8], ae_hidden=[16], code_dim=3, ae_steps=2, steps=4,
                        batch_size=32, ae_batch=b, ae_dropout=0.0) for b in (8, 0)]
    split, whole = [], []
    for cfg, out in zip(cfgs, (split, whole)):
        torch.manual_seed(0)
        model = models.build(cfg, (1, 28, 28))
        model.train_step(x, 0)
        out.append(model)
    # four updates of 8 images each (Adam counts its steps), against one update of 32
    assert [s["step"].item() for s in split[0].optimizers["ae"].state.values()][0] == 4
    assert [s["step"].item() for s in whole[0].optimizers["ae"].state.values()][0] == 1
    # the same four updates by hand
    torch.manual_seed(0)
    ref = models.build(cfgs[1], (1, 28, 28))
    for part in x.chunk(4):
        ref.train_step(part, 0)
    for a, b in zip(split[0].autoencoder.parameters(), ref.autoencoder.parameters()):
        assert torch.allclose(a, b)
