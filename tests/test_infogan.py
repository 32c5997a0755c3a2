"""InfoGAN: the information term against the paper's equations, the codes, the model."""
import math

import pytest
import torch
import torch.nn.functional as F

from gdm import data, losses, models, nets
from gdm.config import make_config
from gdm.errors import ConfigError, UnknownNameError
from gdm.models.infogan import sample_codes
from gdm.train import train

SMALL = dict(batch_size=16, g_width=8, d_width=8, g_hidden=0, d_hidden=32, q_hidden=16, steps=6)


def test_categorical_loglik_is_minus_cross_entropy():
    torch.manual_seed(1)
    logits, c = torch.randn(7, 10), torch.randint(10, (7,))
    by_hand = torch.stack([torch.log(torch.softmax(logits[i], 0)[c[i]]) for i in range(7)]).mean()
    assert losses.info_categorical_loglik(logits, c).item() == pytest.approx(by_hand.item(), rel=1e-6)
    assert losses.info_categorical_loglik(logits, c).item() == pytest.approx(-F.cross_entropy(logits, c).item(), rel=1e-6)


def test_gaussian_loglik_written_out():
    """log N(c; m, s^2) = -(c - m)^2 / (2 s^2) - log s - log(2π)/2, summed over codes, averaged over the batch."""
    mean = torch.tensor([[0.5, -1.0], [0.0, 0.2]])
    log_std = torch.tensor([[0.0, math.log(0.5)], [math.log(2.0), 0.1]])
    c = torch.tensor([[1.0, -0.5], [-0.7, 0.9]])
    total = 0.0
    for i in range(2):
        for j in range(2):
            s = math.exp(log_std[i, j].item())
            total += (-(c[i, j].item() - mean[i, j].item()) ** 2 / (2 * s * s) - math.log(s)
                      - 0.5 * math.log(2 * math.pi))
    assert losses.info_gaussian_loglik(mean, log_std, c).item() == pytest.approx(total / 2, rel=1e-6)
    ref = torch.distributions.Normal(mean, log_std.exp()).log_prob(c).sum(1).mean()
    assert losses.info_gaussian_loglik(mean, log_std, c).item() == pytest.approx(ref.item(), rel=1e-6)


def test_lower_bound_is_at_most_the_code_entropy():
    """L_I = E[log Q(c|x)] + H(c) <= H(c) = log K, with equality exactly when Q is certain and right."""
    torch.manual_seed(2)
    for _ in range(20):
        logits, c = 5 * torch.randn(64, 10), torch.randint(10, (64,))
        assert losses.info_lower_bound(logits, c).item() <= math.log(10) + 1e-7
    certain = 50.0 * F.one_hot(torch.arange(10), 10).float()
    assert losses.info_lower_bound(certain, torch.arange(10)).item() == pytest.approx(math.log(10), abs=1e-6)
    uniform = torch.zeros(10, 10)  # Q ignores x: the bound is 0
    assert losses.info_lower_bound(uniform, torch.arange(10)).item() == pytest.approx(0.0, abs=1e-6)
    assert losses.info_lower_bound(torch.zeros(4, 3), torch.zeros(4, dtype=torch.long)).item() == pytest.approx(0.0, abs=1e-6)


def test_info_loss_weights_each_part_by_its_lambda():
    torch.manual_seed(3)
    logits, c = torch.randn(8, 10), torch.randint(10, (8,))
    mean, log_std, cc = torch.randn(8, 2), 0.3 * torch.randn(8, 2), torch.rand(8, 2) * 2 - 1
    cat = losses.info_categorical_loglik(logits, c)
    gau = losses.info_gaussian_loglik(mean, log_std, cc)
    got = losses.infogan_info_loss(logits, c, mean, log_std, cc, lambda_disc=1.0, lambda_cont=0.1)
    assert got.item() == pytest.approx(-(cat + 0.1 * gau).item(), rel=1e-6)
    assert losses.infogan_info_loss(logits, c).item() == pytest.approx(-cat.item(), rel=1e-6)


def test_codes_one_hot_shapes_and_ranges():
    g = torch.Generator().manual_seed(0)
    idx, onehot, cont = sample_codes(20000, 10, 2, g)
    assert idx.shape == (20000,) and onehot.shape == (20000, 10) and cont.shape == (20000, 2)
    assert torch.equal(onehot.sum(1), torch.ones(20000)) and set(onehot.unique().tolist()) == {0.0, 1.0}
    assert torch.equal(onehot.argmax(1), idx)
    assert cont.min() >= -1 and cont.max() <= 1
    assert abs(cont.mean().item()) < 0.02 and cont.var().item() == pytest.approx(1 / 3, abs=0.01)  # U(-1, 1)
    counts = torch.bincount(idx, minlength=10).float() / 20000
    assert (counts - 0.1).abs().max() < 0.01  # uniform over the 10 categories


def test_generator_input_and_q_split():
    cfg = make_config("infogan", **SMALL)
    torch.manual_seed(0)
    m = models.build(cfg, (1, 28, 28))
    lat = m.latent(5)
    assert lat["code"].shape == (5, 62 + 10 + 2)
    assert torch.equal(lat["code"][:, 62:72].argmax(1), lat["c_index"])
    assert torch.equal(lat["code"][:, 72:], lat["c_cont"])
    q = torch.arange(14.0).repeat(3, 1)
    logits, mean, log_std = m.split_q(q)
    assert logits.shape == (3, 10) and torch.equal(mean[0], torch.tensor([10.0, 11.0]))
    assert torch.equal(log_std[0], torch.tensor([12.0, 13.0]))
    fixed = models.build(make_config("infogan", q_fixed_std=True, **SMALL), (1, 28, 28))
    assert fixed.discriminator.aux_head[-1].out_features == 12
    assert torch.equal(fixed.split_q(torch.ones(3, 12))[2], torch.zeros(3, 2))


def test_shared_body_heads():
    body = nets.dcgan_body_28(8, hidden=32)
    d = nets.SharedBodyDiscriminator(body, 32, 14, aux_hidden=16)
    x = torch.rand(4, 1, 28, 28)
    logit, aux = d.heads(x)
    assert logit.shape == (4,) and aux.shape == (4, 14)
    assert torch.allclose(d(x), logit)
    assert body(x).shape == (4, 32) and nets.dcgan_body_28(8).eval()(x).shape == (4, 2 * 8 * 7 * 7)
    g = nets.dcgan_generator_28(74, width=8, hidden=32)
    assert g(torch.rand(4, 74)).shape == (4, 1, 28, 28)


def trained(**kw):
    cfg = make_config("infogan", **{**SMALL, **kw})
    torch.manual_seed(cfg["seed"])
    m = models.build(cfg, (1, 28, 28))
    hist = train(m, data.Batches("mnist5k", cfg["batch_size"], cfg["seed"]), cfg["steps"], log_every=1, progress=False)
    return m, hist


def test_training_is_deterministic_and_labels_are_never_seen():
    a, ha = trained()
    b, hb = trained()
    pa = torch.cat([p.detach().flatten() for p in a.parameters()])
    pb = torch.cat([p.detach().flatten() for p in b.parameters()])
    assert torch.equal(pa, pb) and ha["l_i"] == hb["l_i"]
    assert not models.InfoGAN.needs_labels
    assert {"d_loss", "g_loss", "l_i", "l_i_cont", "d_real", "d_fake"} <= set(ha)
    assert all(v <= math.log(10) for v in ha["l_i"])
    c, _ = trained(seed=1)
    assert not torch.equal(pa, torch.cat([p.detach().flatten() for p in c.parameters()]))


def test_the_baseline_generator_ignores_the_information_term():
    """g_info changes G's update only: from the same state and random numbers, one step leaves D
    and Q identical with and without it, and G different; the baseline's G update is the GAN's
    loss alone, so it does not depend on Q's head."""
    def one_step(g_info):
        cfg = make_config("infogan", **{**SMALL, "steps": 1, "g_info": g_info})
        torch.manual_seed(0)
        m = models.build(cfg, (1, 28, 28))
        torch.manual_seed(5)
        lat = m.latent(16)
        torch.manual_seed(5)
        m.train_step(data.Batches("mnist5k", 16, 0)(0), 0)
        flat = lambda net: torch.cat([p.detach().flatten() for p in net.parameters()])
        return flat(m.generator), flat(m.discriminator), m, lat
    g_base, d_base, m_base, lat = one_step(False)
    g_info, d_info, _, _ = one_step(True)
    assert torch.equal(d_base, d_info) and not torch.allclose(g_base, g_info)
    # G's gradient in the baseline is the gradient of the GAN loss alone, at the updated D
    torch.manual_seed(0)
    before = models.build(m_base.cfg, (1, 28, 28))
    g = before.generator
    g.train()
    m_base.discriminator.train()
    loss = losses.gan_g_loss(m_base.discriminator(g(lat["code"])))
    grads = torch.autograd.grad(loss, list(g.parameters()))
    assert all(torch.allclose(a, b, atol=1e-6) for a, b in zip(grads, [p.grad for p in m_base.generator.parameters()]))


def test_q_learns_the_code_of_a_fixed_generator():
    """Q alone (G never updated) on a generator that writes c1 into the image: L_I rises towards log K."""
    cfg = make_config("infogan", **{**SMALL, "lr_d": 2e-3})
    torch.manual_seed(0)
    m = models.build(cfg, (1, 28, 28))
    m.optimizers["g"] = torch.optim.SGD(m.generator.parameters(), lr=0.0)
    with torch.no_grad():  # G paints a stripe whose row is c1
        m.generator = torch.nn.Sequential(
            torch.nn.Linear(m.code_dim, 28 * 28), nets.Reshape(1, 28, 28), torch.nn.Sigmoid())
        w = torch.zeros(28 * 28, m.code_dim) - 0.0
        img = torch.full((10, 28, 28), -6.0)
        for k in range(10):
            img[k, 2 * k + 4] = 6.0
        w[:, 62:72] = img.view(10, -1).T
        m.generator[0].weight.copy_(w)
        m.generator[0].bias.zero_()
    m.optimizers["g"] = torch.optim.SGD(m.generator.parameters(), lr=0.0)
    real = torch.rand(16, 1, 28, 28)  # what D sees as real does not matter to Q
    first = m.train_step(real, 0)["l_i"]
    last = [m.train_step(real, step)["l_i"] for step in range(1, 300)][-20:]
    assert first < 0.5 * math.log(10) and 0.9 * math.log(10) < sum(last) / 20 <= math.log(10)


def test_config_is_checked():
    with pytest.raises(UnknownNameError, match="nonsaturating"):
        make_config("infogan", g_loss="hinge")
    with pytest.raises(ConfigError, match="n_categories"):
        make_config("infogan", n_categories=1)
    with pytest.raises(ConfigError, match="lambda_cont"):
        make_config("infogan", lambda_cont=-0.1)
    with pytest.raises(ConfigError, match="28x28"):
        make_config("infogan", dataset="dsprites32")  # vectors (the toys) are accepted: gdm.toys, tests/test_toys.py


def test_style_proxies_known_answers():
    from gdm.metrics.styles import code_style_correlation, style_proxies

    img = torch.zeros(3, 1, 28, 28)
    img[0, 0, 4:24, 14] = 1.0  # a vertical bar: no slant, no width
    for r in range(4, 24):  # a bar leaning right: x grows by 0.5 pixel per row upwards
        img[1, 0, r, 10 + (24 - r) // 2] = 1.0
    img[2, 0, 4:24, 10:18] = 1.0  # a wide block: width = std of 10..17
    p = style_proxies(img)
    assert p["slant"][0] == pytest.approx(0.0, abs=1e-9) and p["width"][0] == pytest.approx(0.0, abs=1e-9)
    assert 20 < p["slant"][1] < 30  # atan(0.5) = 26.6 degrees, up to the rounding of the steps
    assert p["width"][2] == pytest.approx(math.sqrt(sum((i - 3.5) ** 2 for i in range(8)) / 8), rel=1e-9)
    assert p["ink"][2] == pytest.approx(160.0)

    def widen(rest, v):  # a block whose width grows with the code, whatever else is drawn
        out = torch.zeros(len(rest), 1, 28, 28)
        half = int(round(4 + 3 * v))
        out[:, 0, 4:24, 14 - half : 14 + half] = rest.view(-1, 1, 1)
        return out
    r = code_style_correlation(widen, [-1, -0.5, 0, 0.5, 1], 4, lambda n: torch.rand(n) * 0.5 + 0.5)
    assert r["width"] > 0.95 and r["ink"] > 0.95 and abs(r["slant"]) < 1e-9
