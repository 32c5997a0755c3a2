"""What the WGAN-GP chapter adds to gdm: the architecture variants of its robustness comparison
(the paper's Section 5.1) as options of the DCGAN-style nets whose defaults keep the old nets,
and the per-layer gradient norms of its Figure 1b."""
import pytest
import torch
from torch import nn

from gdm import models, nets
from gdm.config import make_config
from gdm.errors import UnknownNameError

IMAGE = (1, 28, 28)


def kinds(net):
    return {type(m) for m in net.modules()}


def conv_channels(net):
    return [(m.in_channels, m.out_channels) for m in net.modules() if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d))]


def test_default_dcgan_nets_are_unchanged():
    """The defaults are the nets chapters 01/02 were written with: 2w then w channels, ReLU in G,
    leaky ReLU (slope 0.2) in D, 64 channels; and the same parameter count as before."""
    g = nets.generator("dcgan", 100, IMAGE, batchnorm=True)
    d = nets.discriminator("dcgan", IMAGE, batchnorm=True)
    assert conv_channels(g) == [(128, 64), (64, 1)]
    assert conv_channels(d) == [(1, 64), (64, 128)]
    assert nn.ReLU in kinds(g) and nn.Tanh not in kinds(g)
    slopes = {m.negative_slope for m in d.modules() if isinstance(m, nn.LeakyReLU)}
    assert slopes == {0.2}
    n_g = sum(p.numel() for p in g.parameters())
    # fc 100 -> 128*7*7, BN(128), convT 128 -> 64 (4x4), BN(64), convT 64 -> 1 (4x4)
    assert n_g == (100 + 1) * 128 * 49 + 2 * 128 + 128 * 64 * 16 + 64 + 2 * 64 + 64 * 16 + 1


def test_constant_width_generator_and_widths():
    g = nets.generator("dcgan", 10, IMAGE, width=8, constant_width=True)
    assert conv_channels(g) == [(8, 8), (8, 1)]
    assert g(torch.randn(3, 10)).shape == (3, *IMAGE)
    d = nets.discriminator("dcgan", IMAGE, width=4)
    assert conv_channels(d) == [(1, 4), (4, 8)]
    assert d(torch.rand(3, *IMAGE)).shape == (3,)


def test_tanh_everywhere_replaces_every_hidden_nonlinearity():
    g = nets.generator("dcgan", 10, IMAGE, act="tanh", width=8)
    d = nets.discriminator("dcgan", IMAGE, act="tanh", width=4)
    for net in (g, d):
        assert nn.Tanh in kinds(net) and nn.ReLU not in kinds(net) and nn.LeakyReLU not in kinds(net)
    assert nn.Sigmoid in kinds(g)  # images stay in [0, 1]


def test_the_comparisons_architectures_build_from_config():
    """The five architectures of the chapter, for the four losses, through the config."""
    archs = {
        "baseline": dict(g_arch="dcgan", d_arch="dcgan", g_batchnorm=True, d_batchnorm=True),
        "g_constant": dict(g_arch="dcgan", d_arch="dcgan", g_batchnorm=False, g_constant_width=True, d_batchnorm=True),
        "g_mlp": dict(g_arch="mlp", g_hidden=[512] * 4, d_arch="dcgan", d_batchnorm=True),
        "no_norm": dict(g_arch="dcgan", d_arch="dcgan"),
        "tanh": dict(g_arch="dcgan", d_arch="dcgan", g_batchnorm=True, d_batchnorm=True, g_act="tanh", d_act="tanh"),
    }
    for name in ("gan", "lsgan", "wgan", "wgan_gp"):
        for arch, kw in archs.items():
            if name == "wgan_gp":
                kw = {**kw, "d_batchnorm": False}
            cfg = make_config(name, **kw, g_width=4, d_width=4, z_dim=8)
            model = models.build(cfg, IMAGE)
            assert model.sample(2).shape == (2, *IMAGE)
            if arch == "g_mlp":
                assert [m.out_features for m in model.generator.modules() if isinstance(m, nn.Linear)] == [512] * 4 + [784]
            if arch == "tanh":
                assert nn.ReLU not in kinds(model.generator) and nn.LeakyReLU not in kinds(model.discriminator)
            if arch == "g_constant":
                assert conv_channels(model.generator) == [(4, 4), (4, 1)]


def test_unknown_activation_is_a_clear_error():
    with pytest.raises(UnknownNameError, match="tanh"):
        make_config("wgan_gp", g_act="sine")
    with pytest.raises(UnknownNameError, match="leaky_relu"):
        make_config("gan", d_act="swish")


def test_layer_gradient_norms_of_a_linear_chain():
    """L = sum(W2 relu(W1 x)) with positive weights and inputs (every ReLU active): ∂L/∂h1 is W2's
    row repeated for each example, so its norm is sqrt(N) ||W2||; ∂L/∂h2 is all ones."""
    net = nn.Sequential(nn.Linear(3, 4, bias=False), nn.ReLU(), nn.Linear(4, 2, bias=False), nn.ReLU(),
                        nn.Linear(2, 1, bias=False))
    with torch.no_grad():
        net[0].weight.fill_(0.5)
        net[2].weight.copy_(torch.tensor([[1.0, 2.0, 0.0, 1.0], [0.5, 0.5, 0.5, 0.5]]))
        net[4].weight.copy_(torch.tensor([[3.0, 4.0]]))
    x = torch.ones(5, 3)
    norms = nets.layer_gradient_norms(net, lambda f: f(x).sum())
    # ∂L/∂h2 = (3, 4) per example: norm sqrt(5) * 5; ∂L/∂h1 = W2ᵀ (3, 4) = (5, 8, 2, 5) per example
    assert norms[1] == pytest.approx(5 ** 0.5 * 5)
    assert norms[0] == pytest.approx(5 ** 0.5 * (25 + 64 + 4 + 25) ** 0.5)
    assert len(norms) == 2
    # the hooks are removed: a second call sees the same layers
    assert len(nets.layer_gradient_norms(net, lambda f: f(x).sum())) == 2
