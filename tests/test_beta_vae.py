"""β-VAE: the paper's dSprites nets, the loss against its equation (β scales the KL exactly), the
per-latent KL and traversals, determinism, resume, configuration errors."""
import pytest
import torch
from torch import nn

from gdm import data, latent, models
from gdm.config import make_config
from gdm.errors import ConfigError, UnknownNameError
from gdm.models.beta_vae import BetaVAE
from gdm.models.vae import VAE
from gdm.train import train

SHAPE = (1, 32, 32)
SMALL = dict(z_dim=4, hidden=[32], decoder_hidden=[24, 16])


def flat_params(module):
    return torch.cat([p.detach().flatten().clone() for p in module.parameters()])


def build(**kw):
    cfg = make_config("beta_vae", **{**SMALL, **kw})
    torch.manual_seed(cfg["seed"])
    return models.build(cfg, data.shape_of(cfg["dataset"]))


def layers(net, kind):
    return [m for m in net if isinstance(m, kind)]


def test_defaults_are_the_papers_dsprites_nets():
    cfg = make_config("beta_vae", dataset="dsprites")
    assert models.REGISTRY["beta_vae"] is BetaVAE and issubclass(BetaVAE, VAE)
    assert (cfg["beta"], cfg["z_dim"], cfg["optimizer"], cfg["lr"], cfg["decoder"]) == (4.0, 10, "adagrad", 0.01, "bernoulli")
    m = models.build(cfg, (1, 64, 64))
    enc = [(l.in_features, l.out_features) for l in layers(m.encoder, nn.Linear)]
    dec = [(l.in_features, l.out_features) for l in layers(m.decoder, nn.Linear)]
    assert enc == [(4096, 1200), (1200, 1200), (1200, 20)]
    assert dec == [(10, 1200), (1200, 1200), (1200, 1200), (1200, 4096)]
    assert len(layers(m.encoder, nn.ReLU)) == 2 and not layers(m.encoder, nn.Tanh)
    assert len(layers(m.decoder, nn.Tanh)) == 3 and not layers(m.decoder, nn.ReLU)
    assert isinstance(m.optimizers["vae"], torch.optim.Adagrad)
    # the optimizer holds every parameter of the nets actually used (the rebuilt decoder's)
    held = {id(p) for g in m.optimizers["vae"].param_groups for p in g["params"]}
    assert held == {id(p) for p in m.parameters()}
    # an empty decoder_hidden mirrors the encoder, as the VAE does
    mirror = build(decoder_hidden=[], hidden=[32, 8])
    assert [l.out_features for l in layers(mirror.decoder, nn.Linear)] == [8, 32, 1024]


def test_the_loss_is_recon_plus_beta_kl_and_beta_scales_the_kl_exactly():
    x = data.Batches("dsprites32", 16, seed=0)(0)
    got = {}
    for beta in (1.0, 4.0, 10.0):
        m = build(beta=beta)  # the same weights for every beta (the seed decides them)
        torch.manual_seed(3)
        loss, t = m.loss(x)
        torch.manual_seed(3)
        mu, logvar = m.encode(x)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        p = torch.sigmoid(m.decoder(z))
        xf = x.flatten(1)
        recon = -(xf * torch.log(p) + (1 - xf) * torch.log(1 - p)).sum(1)
        kl = 0.5 * (mu**2 + logvar.exp() - 1 - logvar).sum(1)
        assert torch.allclose(t["recon"], recon, rtol=1e-4) and torch.allclose(t["kl"], kl, rtol=1e-5)
        assert loss.item() == pytest.approx((recon + beta * kl).mean().item(), rel=1e-5)
        got[beta] = (loss.item(), t["recon"].mean().item(), t["kl"].mean().item())
    (l1, r1, k1), (l4, r4, k4), (l10, r10, k10) = got[1.0], got[4.0], got[10.0]
    assert (r1, k1) == (r4, k4) == (r10, k10)
    # float32 losses of about 700 nats: differences are exact to about 1e-4
    assert l4 - l1 == pytest.approx(3 * k1, abs=5e-4) and l10 - l1 == pytest.approx(9 * k1, abs=5e-4)


def test_kl_per_dim_sums_to_the_kl_and_marks_unused_latents():
    m = build()
    x = data.Batches("dsprites32", 40, seed=1)(0)
    per = m.kl_per_dim(x, batch_size=16)
    mu, logvar = m.encode(x)
    assert per.shape == (4,) and (per >= 0).all()
    assert per.sum().item() == pytest.approx(latent.gaussian_kl(mu, logvar).mean().item(), rel=1e-5)
    # a latent whose posterior is the prior (mu = 0, logvar = 0) carries no KL
    last = m.encoder[-1]
    with torch.no_grad():
        last.weight[[1, 5]] = 0.0  # rows of mu_1 and logvar_1 (the output is (mu, logvar))
        last.bias[[1, 5]] = 0.0
    per = m.kl_per_dim(x)
    assert per[1].item() == 0.0 and (per[[0, 2, 3]] > 0).all()


def test_traversal_changes_one_latent_at_a_time():
    m = build()
    x = data.Batches("dsprites32", 1, seed=2)(0)
    values = [-2.0, 0.0, 2.0]
    imgs = m.traversal(x[0], dims=[3, 0], values=values)
    assert imgs.shape == (6, *SHAPE) and 0 <= imgs.min() and imgs.max() <= 1
    mu = m.encode(x)[0].detach()
    for r, j in enumerate([3, 0]):
        for c, v in enumerate(values):
            z = mu.clone()
            z[0, j] = v
            assert torch.allclose(imgs[r * 3 + c], m.decode_mean(z)[0], atol=1e-6)


def test_training_is_deterministic_and_improves_the_bound():
    def trained(seed=0, steps=6, **kw):
        cfg = make_config("beta_vae", **{**SMALL, "batch_size": 16, "steps": steps, "seed": seed, **kw})
        torch.manual_seed(cfg["seed"])
        m = models.build(cfg, SHAPE)
        hist = train(m, data.Batches("dsprites32", 16, cfg["seed"]), cfg["steps"], log_every=1, progress=False)
        return m, hist

    a, ha = trained()
    b, hb = trained()
    assert torch.equal(flat_params(a), flat_params(b)) and ha["loss"] == hb["loss"]
    assert not torch.equal(flat_params(a), flat_params(trained(seed=1)[0]))
    _, h = trained(steps=60)
    assert set(h) >= {"loss", "recon", "kl", "elbo"}
    assert sum(h["elbo"][-10:]) / 10 > sum(h["elbo"][:10]) / 10 + 20


def test_resume_equals_uninterrupted(tmp_path, train_in_stops):
    cfg = make_config("beta_vae", **SMALL, batch_size=16, steps=10)

    def run(ckpt, stops):
        model = train_in_stops(cfg, SHAPE, "dsprites32", ckpt, stops)
        return flat_params(model), model.optimizers["vae"].state_dict()["state"]

    (pa, sa), (pb, sb) = run(tmp_path / "a.pt", [10]), run(tmp_path / "b.pt", [4, 10])
    assert torch.equal(pa, pb)
    assert all(torch.equal(sa[k]["sum"], sb[k]["sum"]) for k in sa)  # Adagrad's accumulators too


def test_configuration_errors():
    with pytest.raises(UnknownNameError, match="tanh"):
        make_config("beta_vae", decoder_act="sigmoid")
    with pytest.raises(ConfigError, match="decoder_hidden"):
        make_config("beta_vae", decoder_hidden=[1200, 0])
    with pytest.raises(ConfigError, match="beta"):
        make_config("beta_vae", beta=-4.0)
    with pytest.raises(ConfigError, match="list of int"):
        make_config("beta_vae", decoder_hidden=1200)
    with pytest.raises(UnknownNameError, match="dsprites32"):
        make_config("beta_vae", dataset="dsprites16")
    with pytest.raises(ConfigError, match="unknown parameter"):
        make_config("vae", decoder_act="tanh")  # the VAE itself is unchanged


def test_mig_callback_measures_the_code_and_leaves_training_unchanged():
    import numpy as np

    from gdm.metrics import mig, mig_callback

    cfg = make_config("beta_vae", **SMALL, batch_size=16, steps=6)
    sprites = data.dsprites("dsprites32")

    def run(callbacks):
        torch.manual_seed(0)
        m = models.build(cfg, SHAPE)
        hist = train(m, data.Batches("dsprites32", 16, 0), 6, callbacks=callbacks, progress=False)
        return m, hist

    plain, _ = run([])
    tracked, hist = run([mig_callback(3, sprites, n=300, seed=4)])
    assert torch.equal(flat_params(plain), flat_params(tracked))
    assert [e["step"] for e in hist["events"]] == [2, 5]
    ref = mig(lambda x: tracked.encode(x)[0], sprites, np.random.default_rng(4), n=300)
    assert hist["events"][-1]["mig"] == pytest.approx(ref["mig"], abs=1e-12)
    assert hist["events"][-1]["mig_per_factor"] == pytest.approx(ref["mig_per_factor"], abs=1e-12)
