"""Adversarial auto-encoder: each phase's loss against the paper's equations, which nets each phase
updates, the priors, the labelled subset of the semi-supervised AAE, determinism, resume, config."""
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from gdm import data, losses, models
from gdm.config import make_config
from gdm.errors import ConfigError, UnknownNameError
from gdm.runs import load_or_train
from gdm.train import train

IMG = (1, 28, 28)
SMALL = dict(hidden=[16], d_hidden=[8], batch_size=12, z_dim=3)


def flat(module):
    return torch.cat([p.detach().flatten().clone() for p in module.parameters()])


def build(**kw):
    cfg = make_config("aae", **{**SMALL, **kw})
    torch.manual_seed(cfg["seed"])
    m = models.build(cfg, IMG)
    m.init_from_data(None)
    return m


X = data.load("mnist5k", "train").x[:12]


# ----------------------------------------------------------------------------- losses
def test_reconstruction_error_written_out():
    x = torch.tensor([[0.0, 1.0, 0.5], [1.0, 0.0, 0.25]])
    r = torch.tensor([[0.1, 0.8, 0.5], [0.7, 0.2, 0.5]])
    mse = ((0.01 + 0.04 + 0) + (0.09 + 0.04 + 0.0625)) / 2
    assert losses.reconstruction_error(x, r, "mse").item() == pytest.approx(mse, rel=1e-6)
    bce = [-(xi * math.log(ri) + (1 - xi) * math.log(1 - ri)) for xrow, rrow in zip(x.tolist(), r.tolist())
           for xi, ri in zip(xrow, rrow)]
    assert losses.reconstruction_error(x, r, "bce").item() == pytest.approx(sum(bce) / 2, rel=1e-6)
    with pytest.raises(UnknownNameError, match="mse"):
        losses.reconstruction_error(x, r, "l1")


@pytest.mark.parametrize("mode", ["basic", "semi_supervised", "clustering"])
def test_discriminator_and_generator_losses_are_the_gan_value_on_codes(mode):
    """D: -(E_p(z) log D(z) + E_x log(1 - D(q(x)))) (plus the same for y ~ Cat against softmax q(y|x));
    the encoder: -E_x log D(q(x)) (non-saturating) or E_x log(1 - D(q(x))) (minimax)."""
    m = build(mode=mode, n_clusters=5)
    m.train()
    torch.manual_seed(3)
    d_loss, logs = m.discriminator_loss(X)
    torch.manual_seed(3)
    z_prior = m.prior_z(12)
    y_prior = m.prior_y(12) if m.d_y is not None else None
    y_logits, z = m.codes(X)
    sig = lambda t: torch.sigmoid(t)
    expected = -(torch.log(sig(m.d_z(z_prior))).mean() + torch.log(1 - sig(m.d_z(z))).mean())
    g_ns = -torch.log(sig(m.d_z(z))).mean()
    g_mm = torch.log(1 - sig(m.d_z(z))).mean()
    if m.d_y is not None:
        q = y_logits.softmax(1)
        assert y_prior.sum(1).eq(1).all() and y_prior.shape == (12, m.n_y_enc)
        expected = expected - (torch.log(sig(m.d_y(y_prior))).mean() + torch.log(1 - sig(m.d_y(q))).mean())
        g_ns = g_ns - torch.log(sig(m.d_y(q))).mean()
        g_mm = g_mm + torch.log(1 - sig(m.d_y(q))).mean()
    assert d_loss.item() == pytest.approx(expected.item(), rel=1e-5)
    assert m.generator_loss(X)[0].item() == pytest.approx(g_ns.item(), rel=1e-5)
    m.cfg["g_loss"] = "minimax"
    assert m.generator_loss(X)[0].item() == pytest.approx(g_mm.item(), rel=1e-5)


def test_reconstruction_phase_loss_and_decoder_inputs():
    """Supervised: the decoder reads the true one-hot label; semi-supervised: the softmax of q(y|x)."""
    y = data.load("mnist5k", "train").y[:12]
    sup = build(mode="supervised")
    sup.train()
    _, z = sup.codes(X)
    expected = (sup.decoder(torch.cat([F.one_hot(y, 10).float(), z], 1)) - X).pow(2).flatten(1).sum(1).mean()
    assert sup.reconstruction_phase(X, y)["recon"] == pytest.approx(expected.item(), rel=1e-5)
    semi = build(mode="semi_supervised", recon="bce")
    semi.train()
    logits, z = semi.codes(X)
    out = semi.decoder(torch.cat([logits.softmax(1), z], 1))
    expected = F.binary_cross_entropy(out.flatten(1), X.flatten(1), reduction="none").sum(1).mean()
    assert semi.reconstruction_phase(X)["recon"] == pytest.approx(expected.item(), rel=1e-5)


def test_classification_phase_is_the_cross_entropy_on_labelled_examples():
    m = build(mode="semi_supervised", n_labels=20, label_batch=7)
    m.train()
    lx, ly = m.label_batch(4)
    assert lx.shape == (7, *IMG) and torch.equal(m.label_batch(4)[1], ly)  # a function of (seed, step)
    expected = F.cross_entropy(m.codes(lx)[0], ly).item()
    assert m.classification_phase(4)["cls"] == pytest.approx(expected, rel=1e-5)


# ----------------------------------------------------------------------------- which nets each phase updates
def test_each_phase_updates_only_its_nets():
    m = build(mode="semi_supervised", n_labels=20)
    nets_ = {"encoder": m.encoder, "decoder": m.decoder, "d_z": m.d_z, "d_y": m.d_y}
    expected = {
        "reconstruction": {"encoder", "decoder"},
        "discriminator": {"d_z", "d_y"},
        "generator": {"encoder"},
        "classification": {"encoder"},
    }
    calls = {"reconstruction": lambda: m.reconstruction_phase(X), "discriminator": lambda: m.discriminator_phase(X),
             "generator": lambda: m.generator_phase(X), "classification": lambda: m.classification_phase(0)}
    for phase, call in calls.items():
        before = {k: flat(n) for k, n in nets_.items()}
        call()
        changed = {k for k, n in nets_.items() if not torch.equal(before[k], flat(n))}
        assert changed == expected[phase], phase
    assert len(m.optimizers) == 4  # ae, d, g, cls: one optimizer (and learning rate) per phase


def test_train_step_runs_the_phases_in_the_papers_order():
    m = build(mode="semi_supervised", n_labels=20)
    order = []
    for name in ("reconstruction_phase", "discriminator_phase", "generator_phase", "classification_phase"):
        f = getattr(m, name)
        setattr(m, name, lambda *a, _f=f, _n=name: (order.append(_n), _f(*a))[1])
    logs = m.train_step(X, 0)
    assert order == ["reconstruction_phase", "discriminator_phase", "generator_phase", "classification_phase"]
    assert {"recon", "d_z", "d_y", "g_z", "g_y", "cls"} <= set(logs)
    basic = build()
    assert set(basic.train_step(X, 0)) == {"recon", "d_z", "d_z_real", "d_z_fake", "g_z"}


# ----------------------------------------------------------------------------- priors
def test_radial_mixture_moments_and_labels():
    p = data.latent_prior("mixture10")
    g = torch.Generator().manual_seed(0)
    labels = torch.arange(10).repeat_interleave(4000)
    x = p.sample(len(labels), g, labels=labels).double().numpy()
    for i in range(10):
        xi = x[labels.numpy() == i]
        assert np.allclose(xi.mean(0), p.means[i], atol=0.03)
        assert np.allclose(np.cov(xi.T), p.covariance(i), atol=0.015)
        a = 2 * math.pi * i / 10
        assert np.linalg.norm(p.means[i]) == pytest.approx(1.4) and p.means[i][1] == pytest.approx(1.4 * math.sin(a))
    free = p.sample(40000, g).numpy()
    assert np.allclose(free.mean(0), 0, atol=0.03)  # ten components, equal weights, symmetric
    # radial std 0.5 and tangential std 0.05: the petal is 10x longer than wide
    assert p.covariance(0) == pytest.approx(np.diag([0.25, 0.0025]))
    with pytest.raises(ValueError, match=r"\[0, 10\)"):
        p.sample(2, labels=torch.tensor([0, 10]))


def test_swiss_roll_prior_segments():
    p = data.latent_prior("swissroll")
    labels = torch.arange(10).repeat_interleave(500)
    x = p.sample(len(labels), torch.Generator().manual_seed(1), labels=labels)
    r = x.norm(dim=1)
    for i in range(10):
        ri = r[labels == i]
        assert ri.min() >= 3 * math.sqrt(i / 10) - 1e-5 and ri.max() <= 3 * math.sqrt((i + 1) / 10) + 1e-5
    # every point lies on the spiral: angle = 2π turns r / radius (mod 2π)
    angle = torch.atan2(x[:, 1], x[:, 0])
    expected = 2 * math.pi * 2.0 * r / 3.0
    diff = torch.remainder(angle - expected + math.pi, 2 * math.pi) - math.pi
    assert diff.abs().max() < 1e-3
    # u = (r / 3)^2 is uniform on [0, 1]
    u = (r / 3) ** 2
    assert u.mean().item() == pytest.approx(0.5, abs=0.01)
    with pytest.raises(UnknownNameError, match="mixture10"):
        data.latent_prior("ring")


def test_gaussian_prior_std_and_model_priors():
    m = build(prior_std=5.0, z_dim=8)
    z = m.prior_z(20000, torch.Generator().manual_seed(0))
    assert z.shape == (20000, 8) and z.std().item() == pytest.approx(5.0, rel=0.02) and abs(z.mean().item()) < 0.05
    m2 = build(prior="swissroll", z_dim=2)
    g1, g2 = torch.Generator().manual_seed(4), torch.Generator().manual_seed(4)
    assert torch.equal(m2.prior_z(50, g1), data.latent_prior("swissroll").sample(50, g2))
    c = build(mode="clustering", n_clusters=16)
    y = c.prior_y(16000, torch.Generator().manual_seed(0))
    assert y.shape == (16000, 16) and torch.equal(y.sum(1), torch.ones(16000))
    assert y.mean(0).sub(1 / 16).abs().max() < 0.01


# ----------------------------------------------------------------------------- labels
def test_semi_supervised_reads_only_n_labels_labels(monkeypatch):
    """Corrupt every label outside the labelled subset (to -1, not even a class): training is
    bit-identical, so those labels are never read. The loop's batches carry no labels at all."""
    assert not models.AAE(make_config("aae", mode="semi_supervised", **SMALL), IMG).needs_labels
    assert models.AAE(make_config("aae", mode="supervised", **SMALL), IMG).needs_labels
    n = 30
    _, ly, idx = data.labelled_subset("mnist5k", n, 0)
    assert len(set(idx.tolist())) == n and torch.equal(ly, data.load("mnist5k", "train").y[idx])
    cfg = dict(model="aae", mode="semi_supervised", n_labels=n, label_batch=10, steps=6, **SMALL)
    clean = load_or_train(cfg)
    assert torch.equal(clean.model.labelled_idx, idx) and torch.equal(clean.model.labelled_y, ly)

    real_load = data.load

    def corrupted(name, split="train", root=None):
        d = real_load(name, split, root)
        if split == "train":
            y = torch.full_like(d.y, -1)
            y[idx] = d.y[idx]
            d = data.ImageData(d.x, y, d.name, d.split)
        return d

    monkeypatch.setattr(data, "load", corrupted)
    monkeypatch.setenv("GDM_HOME", str(clean.dir.parent.parent / "other-home"))
    dirty = load_or_train(cfg)
    assert not dirty.reused
    assert torch.equal(flat(clean.model), flat(dirty.model))
    assert clean.history["cls"] == dirty.history["cls"]


def test_labelled_subset_is_seeded_and_checked():
    a = data.labelled_subset("mnist5k", 100, 0)[2]
    assert torch.equal(a, data.labelled_subset("mnist5k", 100, 0)[2])
    assert not torch.equal(a, data.labelled_subset("mnist5k", 100, 1)[2])
    with pytest.raises(ValueError, match="n_labels"):
        data.labelled_subset("mnist5k", 4001, 0)
    m = models.AAE(make_config("aae", mode="semi_supervised", **SMALL), IMG)
    with pytest.raises(RuntimeError, match="init_from_data"):
        m.classification_phase(0)


# ----------------------------------------------------------------------------- inference
def test_decoder_inputs_sampling_and_classification():
    sup = build(mode="supervised")
    with pytest.raises(ValueError, match="needs y"):
        sup.decode_mean(torch.zeros(2, 3))
    z = torch.zeros(10, 3)
    imgs = sup.decode_mean(z, torch.arange(10))  # one style, ten digits: the decoder sees the label
    assert imgs.shape == (10, *IMG) and (imgs[0] - imgs[1]).abs().max() > 0
    assert sup.sample(7, torch.Generator().manual_seed(0), labels=torch.arange(7)).shape == (7, *IMG)
    cl = build(mode="clustering", n_clusters=16)
    c = cl.classify(X)
    assert c.shape == (12,) and c.min() >= 0 and c.max() < 16
    assert torch.allclose(cl.class_probabilities(X).sum(1), torch.ones(12))
    s = cl.sample(5, torch.Generator().manual_seed(0))
    assert s.shape == (5, *IMG) and 0 <= s.min() and s.max() <= 1
    assert build().encode(X).shape == (12, 3)
    assert not make_config("aae")["batchnorm"]
    bn = build(mode="clustering", batchnorm=True)
    assert any(isinstance(m, torch.nn.BatchNorm1d) for m in bn.encoder.modules())
    assert not any(isinstance(m, torch.nn.BatchNorm1d) for m in cl.encoder.modules())
    with pytest.raises(TypeError, match="no q"):
        build().classify(X)


# ----------------------------------------------------------------------------- determinism, resume
def test_training_is_deterministic():
    def run(seed):
        m = build(mode="clustering", n_clusters=4, seed=seed)
        h = train(m, data.Batches("mnist5k", 12, seed), 5, log_every=1, progress=False)
        return flat(m), h["recon"]

    (pa, ha), (pb, hb) = run(0), run(0)
    assert torch.equal(pa, pb) and ha == hb
    assert not torch.equal(pa, run(1)[0])


@pytest.mark.parametrize("params", [dict(mode="semi_supervised", n_labels=20, label_batch=5),
                                    dict(mode="supervised"), dict(prior="mixture10", z_dim=2),
                                    dict(mode="clustering", batchnorm=True)])
def test_resume_equals_uninterrupted(params, tmp_path, train_in_stops):
    cfg = make_config("aae", **{**SMALL, **params, "steps": 10})

    def run(ckpt, stops):
        model = train_in_stops(cfg, IMG, "mnist5k", ckpt, stops, init=True)
        return torch.cat([flat(model), torch.cat([b.float().flatten() for b in model.buffers()])
                          if list(model.buffers()) else torch.zeros(0)])

    assert torch.equal(run(tmp_path / "a.pt", [10]), run(tmp_path / "b.pt", [4, 10]))


# ----------------------------------------------------------------------------- config
def test_config_errors():
    with pytest.raises(UnknownNameError, match="semi_supervised"):
        make_config("aae", mode="semisupervised")
    with pytest.raises(UnknownNameError, match="mixture10"):
        make_config("aae", prior="mixture8")
    with pytest.raises(ConfigError, match="z_dim = 2"):
        make_config("aae", prior="mixture10", z_dim=8)
    with pytest.raises(ConfigError, match="gaussian prior on the style"):
        make_config("aae", mode="clustering", prior="swissroll")
    with pytest.raises(ConfigError, match="labelled data"):
        make_config("aae", mode="supervised", dataset="ring")
    with pytest.raises(ConfigError, match="n_clusters"):
        make_config("aae", mode="clustering", n_clusters=1)
    with pytest.raises(UnknownNameError, match="bce"):
        make_config("aae", recon="l2")
    with pytest.raises(ConfigError, match="prior_std"):
        make_config("aae", prior_std=0.0)
    with pytest.raises(ConfigError, match="must be list of int"):
        make_config("aae", hidden=256)


def test_prototype_clustering_error_follows_the_papers_protocol():
    """Each cluster takes the label of its most confident validation example, then test error."""
    from gdm import metrics

    probs_valid = [[0.9, 0.1, 0.0], [0.2, 0.7, 0.1], [0.6, 0.3, 0.1], [0.1, 0.2, 0.7]]
    labels_valid = [3, 4, 3, 4]  # cluster 0 -> 3 (row 0), cluster 1 -> 4 (row 1), cluster 2 -> 4 (row 3)
    res = metrics.prototype_clustering_error(probs_valid, labels_valid, [0, 1, 2, 2, 0], [3, 4, 4, 5, 1])
    assert res["mapping"] == {0: 3, 1: 4, 2: 4}
    assert res["error"] == pytest.approx(2 / 5)


def test_radial_mixture_log_prob_is_scipys_mixture_density():
    from scipy.stats import multivariate_normal

    p = data.latent_prior("mixture10")
    z = p.sample(500, torch.Generator().manual_seed(3)).numpy()
    dens = sum(multivariate_normal(p.means[i], p.covariance(i)).pdf(z) for i in range(p.k)) / p.k
    np.testing.assert_allclose(p.log_prob(z), np.log(dens), rtol=1e-10, atol=1e-10)
    # every sample's most likely component is the one it was drawn from (the petals barely overlap)
    labels = torch.arange(10).repeat(50)
    z = p.sample(500, torch.Generator().manual_seed(4), labels=labels).numpy()
    assert (p.component(z) == labels.numpy()).mean() > 0.97
