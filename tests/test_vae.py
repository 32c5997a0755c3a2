"""VAE (AEVB): the bound against the paper's equation written out, the bounds' order against an
exact log p(x), beta, determinism, resume, configuration errors."""
import math

import pytest
import scipy.stats
import torch

from gdm import data, latent, models
from gdm.config import make_config
from gdm.errors import ConfigError, UnknownNameError
from gdm.metrics import importance_weighted_ll, iwae_bound
from gdm.train import train

IMG = (1, 28, 28)


def flat_params(module):
    return torch.cat([p.detach().flatten().clone() for p in module.parameters()])


def build(shape=IMG, **kw):
    cfg = make_config("vae", **kw)
    torch.manual_seed(cfg["seed"])
    return models.build(cfg, shape)


def test_elbo_is_the_papers_estimator_written_out():
    """Eq. 10 with L = 1 for a 4-pixel Bernoulli VAE (one tanh hidden layer, as the paper's
    Appendix C): -KL (Appendix B) + log p(x | z), z = mu + sigma * eps, every sum by hand."""
    m = build((4,), z_dim=2, hidden=[3])
    x = torch.tensor([[0.0, 1.0, 1.0, 0.0], [1.0, 0.2, 0.0, 0.7]])
    eps = torch.randn(2, 2, generator=torch.Generator().manual_seed(7))
    W1, b1, W2, b2 = m.encoder[0].weight, m.encoder[0].bias, m.encoder[2].weight, m.encoder[2].bias
    V1, c1, V2, c2 = m.decoder[0].weight, m.decoder[0].bias, m.decoder[2].weight, m.decoder[2].bias
    got = m.elbo(x, generator=torch.Generator().manual_seed(7))
    for n in range(2):
        h = [math.tanh(sum(W1[i, j].item() * x[n, j].item() for j in range(4)) + b1[i].item()) for i in range(3)]
        out = [sum(W2[o, i].item() * h[i] for i in range(3)) + b2[o].item() for o in range(4)]
        mu, logvar = out[:2], out[2:]
        kl = -0.5 * sum(1 + logvar[j] - mu[j] ** 2 - math.exp(logvar[j]) for j in range(2))
        z = [mu[j] + math.exp(0.5 * logvar[j]) * eps[n, j].item() for j in range(2)]
        g = [math.tanh(sum(V1[i, j].item() * z[j] for j in range(2)) + c1[i].item()) for i in range(3)]
        p = [1 / (1 + math.exp(-(sum(V2[o, i].item() * g[i] for i in range(3)) + c2[o].item()))) for o in range(4)]
        loglik = sum(x[n, o].item() * math.log(p[o]) + (1 - x[n, o].item()) * math.log(1 - p[o]) for o in range(4))
        assert got[n].item() == pytest.approx(loglik - kl, rel=1e-5)


def test_gaussian_decoder_likelihood_learned_and_fixed_variance():
    x = torch.rand(3, *IMG)
    z = torch.randn(3, 4)
    m = build(z_dim=4, hidden=[16], decoder="gaussian")  # learned variance: a second decoder head
    h = m.decoder(z)
    mean, raw = torch.sigmoid(h[:, :784]), h[:, 784:]
    floor = 2 * math.log(0.01)
    logvar = floor + torch.nn.functional.softplus(raw - floor)
    ref = scipy.stats.norm.logpdf(x.flatten(1).numpy(), mean.detach().numpy(), (0.5 * logvar).exp().detach().numpy())
    assert torch.allclose(m.log_likelihood(x, z), torch.tensor(ref.sum(1), dtype=torch.float32), rtol=1e-4)
    assert torch.allclose(m.decode_mean(z), mean.view(3, *IMG)) and torch.allclose(m.decode(z), mean.view(3, *IMG))
    f = build(z_dim=4, hidden=[16], decoder="gaussian", decoder_var="fixed", decoder_std=0.5)
    mean = torch.sigmoid(f.decoder(z))
    ref = scipy.stats.norm.logpdf(x.flatten(1).numpy(), mean.detach().numpy(), 0.5).sum(1)
    assert torch.allclose(f.log_likelihood(x, z), torch.tensor(ref, dtype=torch.float32), rtol=1e-4)
    b = build(z_dim=4, hidden=[16])
    assert torch.allclose(b.decode_mean(z), torch.sigmoid(b.decode(z)))


def exact_log_px(model, x, lo=-10.0, hi=10.0, n=20001):
    """log p(x) = log ∫ p(x | z) N(z; 0, 1) dz by quadrature on a grid (z_dim = 1)."""
    zs = torch.linspace(lo, hi, n)
    with torch.no_grad():
        lw = model.log_likelihood(x, zs.view(n, 1, 1).expand(n, x.shape[0], 1)) + latent.log_standard_normal(zs.view(n, 1, 1))
    return (torch.logsumexp(lw.double(), 0) + math.log((hi - lo) / (n - 1)))


def test_elbo_below_iwae_below_log_px_and_iwae_converges_to_it():
    """With a one-dimensional latent log p(x) is a quadrature away: on 2-D ring data, after a few
    hundred steps, ELBO <= IWAE_10 <= IWAE_100 <= log p(x), and IWAE_5000 is within 0.02 nats of it."""
    cfg = make_config("vae", dataset="ring", decoder="gaussian", decoder_var="fixed", decoder_std=0.3, z_dim=1,
                      hidden=[16], optimizer="adam", lr=3e-3, steps=300, batch_size=64)
    torch.manual_seed(0)
    m = models.build(cfg, (2,))
    train(m, data.Batches("ring", 64, 0), 300, progress=False)
    x = data.toy("ring").sample(500, torch.Generator().manual_seed(1))
    exact = exact_log_px(m, x).mean().item()
    g = torch.Generator().manual_seed(2)
    elbo = m.elbo(x, generator=g).double().mean().item()
    iw = {k: importance_weighted_ll(lambda xb, kk: m.log_importance_weights(xb, kk, g), x, k)["iwae_ll"]
          for k in (1, 10, 100, 5000)}
    assert iw[1] == pytest.approx(elbo, abs=0.1)  # k = 1 is the ELBO (another draw)
    assert elbo < iw[10] < iw[100] <= exact + 0.01
    assert iw[5000] == pytest.approx(exact, abs=0.02)
    assert exact - elbo > 0.03  # the gap the bound leaves is real


def test_log_importance_weights_are_log_joint_minus_log_q():
    m = build(z_dim=3, hidden=[8])
    x = (data.load("mnist5k", "test").x[:5] > 0.5).float()
    lw = m.log_importance_weights(x, 7, torch.Generator().manual_seed(0), max_elements=3 * 5 * 784)  # 3 chunks
    assert lw.shape == (7, 5)
    mu, logvar = m.encode(x)
    g = torch.Generator().manual_seed(0)
    zs = [latent.reparameterize(mu.expand(n, 5, 3), logvar.expand(n, 5, 3), g) for n in (3, 3, 1)]
    z = torch.cat(zs)
    ref = m.log_likelihood(x, z) + latent.log_standard_normal(z) - latent.log_normal(z, mu, logvar)
    assert torch.allclose(lw, ref.detach(), atol=1e-4)
    assert iwae_bound(lw).shape == (5,)


def test_the_loss_weights_the_kl_by_beta():
    x = data.load("mnist5k", "train").x[:16]

    def one_step(beta):
        m = build(z_dim=4, hidden=[16], beta=beta, optimizer="sgd", lr=0.01, momentum=0.0)
        torch.manual_seed(5)
        t = m.loss_terms(x)
        torch.manual_seed(5)
        logs = m.train_step(x, 0)
        return m, t, logs

    m1, t, logs1 = one_step(1.0)
    m4, t4, logs4 = one_step(4.0)
    assert torch.equal(t["recon"], t4["recon"]) and torch.equal(t["kl"], t4["kl"])
    assert logs4["loss"] == pytest.approx(t["recon"].mean().item() + 4 * t["kl"].mean().item(), rel=1e-6)
    assert logs1["loss"] == pytest.approx(-logs1["elbo"], rel=1e-6)
    assert logs4["elbo"] == pytest.approx(logs1["elbo"], rel=1e-6)  # the logged bound is the beta = 1 bound
    # one SGD step: the encoder moves by -lr * grad(recon + beta kl); the decoder sees no kl
    torch.manual_seed(0)
    m0 = models.build(m1.cfg, IMG)
    torch.manual_seed(5)
    t0 = m0.loss_terms(x)
    g_rec = torch.autograd.grad(t0["recon"].mean(), list(m0.encoder.parameters()), retain_graph=True)
    g_kl = torch.autograd.grad(t0["kl"].mean(), list(m0.encoder.parameters()))
    moved = [a - b for a, b in zip(m0.encoder.parameters(), m4.encoder.parameters())]
    for d, gr, gk in zip(moved, g_rec, g_kl):
        assert torch.allclose(d, 0.01 * (gr + 4 * gk), atol=1e-6)
    assert torch.allclose(flat_params(m1.decoder), flat_params(m4.decoder))


def test_any_data_shape_sample_and_reconstruct():
    for shape in [(1, 28, 28), (1, 64, 64), (2,)]:
        dec = "bernoulli" if len(shape) == 3 else "gaussian"
        m = build(shape, z_dim=3, hidden=[8], decoder=dec, dataset="ring" if len(shape) == 1 else "mnist5k")
        x = torch.rand(5, *shape)
        s = m.sample(4, torch.Generator().manual_seed(0))
        assert s.shape == (4, *shape) and m.reconstruct(x).shape == (5, *shape)
        assert torch.equal(s, m.sample(4, torch.Generator().manual_seed(0)))
        if len(shape) == 3:
            assert 0 <= s.min() and s.max() <= 1
        assert m.elbo(x).shape == (5,) and m.log_importance_weights(x, 3).shape == (3, 5)
        assert set(m.train_step(x, 0)) == {"loss", "recon", "kl", "elbo"}


def test_dynamic_binarisation_trains_on_binary_pixels():
    m = build(z_dim=3, hidden=[8], binarize="dynamic")
    x = data.load("mnist5k", "train").x[:8]
    b = m.prepare(x)
    assert set(b.unique().tolist()) <= {0.0, 1.0} and torch.equal(b[x == 0], x[x == 0])
    assert torch.equal(build(z_dim=3, hidden=[8]).prepare(x), x)


def trained(**kw):
    cfg = make_config("vae", **{"z_dim": 3, "hidden": [16], "batch_size": 16, "steps": 6, **kw})
    torch.manual_seed(cfg["seed"])
    m = models.build(cfg, IMG)
    hist = train(m, data.Batches("mnist5k", 16, cfg["seed"]), cfg["steps"], log_every=1, progress=False)
    return m, hist


def test_training_is_deterministic_and_improves_the_bound():
    a, ha = trained(binarize="dynamic")
    b, hb = trained(binarize="dynamic")
    assert torch.equal(flat_params(a), flat_params(b)) and ha["elbo"] == hb["elbo"]
    c, _ = trained(binarize="dynamic", seed=1)
    assert not torch.equal(flat_params(a), flat_params(c))
    _, h = trained(steps=60, optimizer="adam", lr=1e-3)
    assert sum(h["elbo"][-10:]) / 10 > sum(h["elbo"][:10]) / 10 + 20


@pytest.mark.parametrize("params", [dict(), dict(decoder="gaussian", binarize="none"), dict(binarize="dynamic")])
def test_resume_equals_uninterrupted(params, tmp_path, train_in_stops):
    cfg = make_config("vae", z_dim=3, hidden=[16], batch_size=16, steps=10, **params)
    run = lambda ckpt, stops: flat_params(train_in_stops(cfg, IMG, "mnist5k", ckpt, stops))

    assert torch.equal(run(tmp_path / "a.pt", [10]), run(tmp_path / "b.pt", [4, 10]))


def test_configuration_errors():
    with pytest.raises(UnknownNameError, match="bernoulli"):
        make_config("vae", decoder="poisson")
    with pytest.raises(UnknownNameError, match="mlp"):
        make_config("vae", arch="resnet")
    with pytest.raises(UnknownNameError, match="learned"):
        make_config("vae", decoder="gaussian", decoder_var="diagonal")
    with pytest.raises(UnknownNameError, match="adagrad"):
        make_config("vae", optimizer="lbfgs")
    with pytest.raises(ConfigError, match="beta"):
        make_config("vae", beta=-1.0)
    with pytest.raises(ConfigError, match="z_dim"):
        make_config("vae", z_dim=0)
    with pytest.raises(ConfigError, match="real-valued"):
        make_config("vae", dataset="ring")  # the Bernoulli decoder on real-valued data
    with pytest.raises(ConfigError, match="decoder_std"):
        make_config("vae", decoder_std=0.0)
    with pytest.raises(ConfigError, match="hidden"):
        make_config("vae", hidden=[0])
    assert make_config("vae")["optimizer"] == "adagrad" and make_config("vae")["hidden"] == [500]


def test_bound_callback_measures_without_touching_training():
    from gdm.models.vae import bound_callback

    x = data.load("mnist5k", "test").x[:20]
    cb = bound_callback({"test": x}, every=3, seed=0)
    plain, _ = trained()
    cfg = make_config("vae", z_dim=3, hidden=[16], batch_size=16, steps=6)
    torch.manual_seed(0)
    m = models.build(cfg, IMG)
    hist = train(m, data.Batches("mnist5k", 16, 0), 6, callbacks=[cb], log_every=1, progress=False)
    assert torch.equal(flat_params(m), flat_params(plain))  # the callback draws from its own generator
    assert [e["step"] for e in hist["events"]] == [2, 5]
    assert hist["events"][-1]["elbo_test"] == pytest.approx(m.elbo(x, torch.Generator().manual_seed(0)).mean().item())


def test_the_two_estimators_share_their_draws_and_the_kl_terms_average_to_the_closed_form():
    m = build(z_dim=3, hidden=[8])
    x = (data.load("mnist5k", "test").x[:4] > 0.5).float()
    e = m.estimators(x, 20000, torch.Generator().manual_seed(0))
    assert e["generic"].shape == e["analytic"].shape == e["log_ratio"].shape == (20000, 4) and e["kl"].shape == (4,)
    # eq. 7 and eq. 10 differ by the KL's Monte Carlo term minus its closed form, draw by draw
    assert torch.allclose(e["analytic"] - e["generic"], e["log_ratio"] - e["kl"], atol=1e-4)
    # which averages to 0: the Monte Carlo KL converges to the closed form (within 4 standard errors)
    se = e["log_ratio"].std(0) / math.sqrt(20000)
    assert ((e["log_ratio"].mean(0) - e["kl"]).abs() < 4 * se).all()
    # the generic estimator's log-weights are log_importance_weights' at the same draws
    lw = m.log_importance_weights(x, 5, torch.Generator().manual_seed(0))
    assert torch.allclose(m.estimators(x, 5, torch.Generator().manual_seed(0))["generic"], lw, atol=1e-4)


def test_active_units_count_the_units_whose_posterior_mean_varies():
    m = build(z_dim=3, hidden=[8])
    x = (data.load("mnist5k", "test").x[:50] > 0.5).float()
    with torch.no_grad():  # unit 0's mean made constant over the digits, unit 2's varied strongly
        last = m.encoder[-1]
        last.weight[0].zero_(), last.weight[2].mul_(100)
    a = m.active_units(x)
    ref = m.encode(x)[0].detach().var(0)
    assert a["variance"] == pytest.approx(ref.tolist(), rel=1e-5) and a["variance"][0] == 0
    assert a["active"] == int((ref > 0.01).sum()) and a["active"] >= 1
    assert m.active_units(x, threshold=float(ref.max()) + 1)["active"] == 0


def test_codes_callback_records_each_units_kl_and_activity_after_the_last_update():
    from gdm.models.vae import codes_callback

    m = build(z_dim=3, hidden=[8])
    x = (data.load("mnist5k", "test").x[:50] > 0.5).float()
    cb = codes_callback(x, steps=5)
    assert cb(3, m, {}) is None
    codes = cb(4, m, {})["codes"]
    mu, logvar = (t.detach().double() for t in m.encode(x))
    kl = 0.5 * (mu ** 2 + logvar.exp() - 1 - logvar)
    assert codes["kl_units"] == pytest.approx(kl.mean(0).tolist(), rel=1e-9)
    assert sum(codes["kl_units"]) == pytest.approx(latent.gaussian_kl(*m.encode(x)).mean().item(), rel=1e-5)
    assert codes["mean_variance"] == pytest.approx(m.active_units(x)["variance"], rel=1e-5)
