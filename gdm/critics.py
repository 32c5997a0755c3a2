"""Discriminators and critics trained against fixed generators.

Chapter 01 (Goodfellow et al. 2014): a GAN discriminator trained alone against a fixed 1-D
Gaussian generator, against Proposition 1's D* (:func:`optimal_d`), and the generator losses'
gradients where D rejects a poor generator (:func:`saturation`). Chapter 04 (Gulrajani et al.
2017, Figure 1): critics trained alone against a fixed generator, with weight clipping or the
gradient penalty, and gradient norms through a deep critic.

    from gdm import critics
    d = critics.optimal_d(mean=0.5, std=1.5, seed=0, steps=10_000, batch=1024)
    d.max_error, d.jsd, d.value_star, d.value_learned   # Proposition 1 and Theorem 1, measured
    critics.saturation(critics.optimal_d(6.0, 0.5, seed=0, steps=10_000, batch=1024).run)  # gradient norms
    s = critics.fixed_generator("penalty", "ring", steps=400, batch=256, lr=1e-3, hidden=[128] * 3)
    s.share          # the critic's bound on W1 (metrics.lipschitz_bound) over the exact W1
    s.values         # the critic on a 120 × 120 grid over the toy (s.xx, s.yy): its level sets
    s.lipschitz      # its largest gradient norm there (the bound's constant)
    s.centre_share(), s.data_share()  # how much of it the distance to the data's centre, or to the data, explains
    norms, runs = critics.deep_gradient_norms(critics.GRADNORM_SETTINGS, steps=50, batch=256, ...)
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch

from . import data, losses, metrics, models, nets
from .config import make_config
from .runs import load_or_train
from .train import train

#: the fixed generator's noise per toy: N(0, 1) on the authors' scaling of each toy (8 Gaussians /
#: 1.414, 25 Gaussians / 2.828, Swiss roll / 7.5), expressed in gdm.data.toy's units
NOISE = {"ring": 1 / 1.414, "grid": 2.828, "swissroll": 1.0}
#: half-width of the square on which a critic's level sets are drawn, per toy
LIM = {"ring": 2.0, "grid": 8.0, "swissroll": 3.0}
#: the two critics of Figure 1a: clipping at the paper's c = 0.01 (RMSProp) and the penalty (Adam, β₁ 0.5)
KINDS = {"clipping": ("wgan", dict(clip=0.01, critic_warmup=False)), "penalty": ("wgan_gp", dict(beta1=0.5))}
#: the settings of Figure 1b: clipping at three c and the penalty
GRADNORM_SETTINGS = {"clipping c = 0.1": ("wgan", dict(clip=0.1, critic_warmup=False)),
                     "clipping c = 0.01": ("wgan", dict(clip=0.01, critic_warmup=False)),
                     "clipping c = 0.001": ("wgan", dict(clip=0.001, critic_warmup=False)),
                     "gradient penalty": ("wgan_gp", dict(beta1=0.5))}


#: the 1-D grid on which a discriminator is compared with D*, and the quadrature's range
GRID_1D, QUAD_1D = np.linspace(-4, 4, 401), (-12.0, 12.0)
#: where D is compared with D*: the mixture ½ (p_data + p_g) has density above this
SUPPORT_1D = 0.01


@dataclass
class OptimalD:
    """A GAN discriminator trained alone against the fixed generator N(``mean``, ``std``²) on
    ``mixture1d``, against Proposition 1's D* on :data:`GRID_1D` (``max_error``, ``mean_error`` where
    ½ (p_data + p_g) > :data:`SUPPORT_1D`) and Theorem 1's terms by quadrature: the JSD, V(D*, G),
    V(D, G) of the trained D, and V from the last 10 logged mini-batch means."""

    run: object = field(repr=False)
    max_error: float
    mean_error: float
    jsd: float
    value_star: float
    value_learned: float
    value_minibatch: float
    grid: np.ndarray = field(repr=False)
    d_learned: np.ndarray = field(repr=False)
    d_star: np.ndarray = field(repr=False)
    support: np.ndarray = field(repr=False)
    p_data: np.ndarray = field(repr=False)
    p_g: np.ndarray = field(repr=False)

    def metrics(self) -> dict:
        return {k: getattr(self, k) for k in ("max_error", "mean_error", "jsd", "value_star", "value_learned",
                                              "value_minibatch")}


def optimal_d(mean: float, std: float, seed: int, steps: int, batch: int, lr: float = 1e-3,
              hidden=(64, 64)) -> OptimalD:
    """Proposition 1, measured: the chapter's GAN loop with the generator frozen at an affine map of
    z ~ N(0, 1) (p_g = N(mean, std²), known exactly), only the discriminator (an MLP of ``hidden``,
    no dropout) trained, ``steps`` updates of batch ``batch`` with Adam at ``lr``."""
    from .divergences import gan_value_1d, jsd_1d

    cfg = make_config("gan", dataset="mixture1d", steps=steps, batch_size=batch, seed=seed, z_dim=1,
                      z_prior="normal", g_arch="affine", g_init_mean=mean, g_init_std=std, freeze_generator=True,
                      d_arch="mlp", d_hidden=list(hidden), d_dropout=0.0, d_input_dropout=0.0, lr=lr)
    run = load_or_train(cfg)
    pd, pg = data.toy("mixture1d").pdf, data.gaussian(mean, std).pdf
    col = lambda f: (lambda x: f(np.asarray(x).reshape(-1, 1)))
    d_fn = lambda x: run.model.d_prob(torch.tensor(x, dtype=torch.float32).reshape(-1, 1)).double().numpy().ravel()
    dstar_fn = lambda x: losses.optimal_discriminator(col(pd)(x), col(pg)(x))
    grid = GRID_1D
    p_data, p_g = col(pd)(grid), col(pg)(grid)
    d_learned, d_star = d_fn(grid), losses.optimal_discriminator(p_data, p_g)
    support = (p_data + p_g) / 2 > SUPPORT_1D
    err = metrics.optimal_d_error(d_learned[support], p_data[support], p_g[support])
    return OptimalD(run, err["max_error"], err["mean_error"], jsd_1d(col(pd), col(pg), *QUAD_1D),
                    gan_value_1d(dstar_fn, col(pd), col(pg), *QUAD_1D), gan_value_1d(d_fn, col(pd), col(pg), *QUAD_1D),
                    -float(np.mean(run.history["d_loss"][-10:])), grid, d_learned, d_star, support, p_data, p_g)


def saturation(run, seed: int = 0, n: int = 4096) -> dict:
    """For a GAN ``run`` with a frozen generator: the norm of each generator loss's gradient
    (``losses.G_LOSSES``) with respect to the generator's parameters on ``n`` draws of z (seeded
    ``seed``), and the discriminator's mean D(G(z)) on them (``d_fake``)."""
    model = run.model
    z = model.noise(n, torch.Generator().manual_seed(seed))
    out = {}
    with model.evaluating():
        for kind in losses.G_LOSSES:
            gen = model.generator.requires_grad_(True)
            loss = losses.gan_g_loss(model.discriminator(gen(z)), kind)
            grads = torch.autograd.grad(loss, list(gen.parameters()))
            out[f"grad_{kind}"] = torch.cat([g.flatten() for g in grads]).norm().item()
    out["d_fake"] = model.d_prob(model.generator(z).detach()).mean().item()
    return out


@dataclass
class Surface:
    """A critic trained alone against real data plus noise: its bound on W1 over the exact W1
    (``share``), the exact W1 of 1,000 real against 1,000 noisy samples, its values on a grid, and its
    largest gradient norm over the grid and the two samples (``lipschitz``, the bound's constant)."""

    kind: str
    toy: str
    share: float
    w1: float
    xx: np.ndarray = field(repr=False)
    yy: np.ndarray = field(repr=False)
    values: np.ndarray = field(repr=False)
    real: torch.Tensor = field(repr=False)
    lipschitz: float = float("nan")  # the critic's largest gradient norm over the grid and the two samples

    def centre_share(self) -> float:
        """How much of the critic is a function of the distance to the data's centre (the real samples'
        mean): the share of its variance over the drawn square that a line in that distance explains (R²
        of least squares), high for a critic blind to the data's structure."""
        return _r2(self._distances(self.real.mean(0, keepdim=True)), self.values.ravel())

    def data_share(self) -> float:
        """How closely the critic follows the data: the same share for the distance to the nearest real sample."""
        return _r2(self._distances(self.real), self.values.ravel())

    def _distances(self, to: torch.Tensor) -> np.ndarray:
        grid = torch.tensor(np.stack([self.xx.ravel(), self.yy.ravel()], 1), dtype=to.dtype)
        return torch.cdist(grid, to).min(1).values.double().numpy()[:, None]


def _r2(x: np.ndarray, y: np.ndarray) -> float:
    """R² of the least-squares fit of ``y`` by an intercept and the columns of ``x``."""
    a = np.column_stack([np.ones(len(y)), x]).astype(float)
    y = np.asarray(y, dtype=float)
    resid = y - a @ np.linalg.lstsq(a, y, rcond=None)[0]
    total = float(((y - y.mean()) ** 2).sum())
    return 1.0 - float((resid ** 2).sum()) / total if total > 0 else 1.0


def fixed_generator(kind: str, toy: str, steps: int, batch: int, lr: float, hidden: list, gp_weight: float = 0.1,
                    seed: int = 0, points: int = 120) -> Surface:
    """The critic of ``kind`` (:data:`KINDS`) trained ``steps`` updates, alone, against the paper's
    fixed generator (``nets.DataPlusNoise``: real data plus :data:`NOISE`) on ``toy``."""
    name, kw = KINDS[kind]
    kw = {**kw, "gp_weight": gp_weight} if name == "wgan_gp" else kw
    dist = data.toy(toy)
    gen = torch.Generator().manual_seed(seed)
    real = dist.sample(1000, gen)
    fake = dist.sample(1000, gen) + NOISE[toy] * torch.randn(1000, 2, generator=gen)
    w1 = metrics.wasserstein1_exact(real, fake)
    g = np.linspace(-LIM[toy], LIM[toy], points)
    xx, yy = np.meshgrid(g, g)
    grid = torch.tensor(np.stack([xx.ravel(), yy.ravel()], 1), dtype=torch.float32)
    cfg = make_config(name, dataset=toy, steps=steps, batch_size=batch, seed=seed, k=1, freeze_generator=True, z_dim=2,
                      z_prior="normal", g_hidden=[2], d_arch="mlp", d_hidden=hidden, d_act="relu", lr=lr, **kw)
    torch.manual_seed(seed)
    model = models.build(cfg, (2,))
    model.generator = nets.DataPlusNoise(dist, NOISE[toy])  # the paper's fixed generator: only the critic learns
    train(model, data.Batches(toy, batch, seed), steps, progress=False)
    critic = model.discriminator.eval()
    share = metrics.lipschitz_bound(critic, real, fake, grid) / w1
    with torch.no_grad():
        values = critic(grid).numpy().reshape(xx.shape)
    lipschitz = metrics.lipschitz_constant(critic, torch.cat([grid, real, fake]))  # the bound's constant
    return Surface(kind, toy, share, w1, xx, yy, values, real, lipschitz)


def deep_gradient_norms(settings: dict, steps: int, batch: int, g_hidden: list, depth: int, width: int,
                        gp_weight: float = 0.1, seed: int = 0, n: int = 256) -> tuple[dict, list]:
    """Per setting (label -> (model, overrides), e.g. :data:`GRADNORM_SETTINGS`): a WGAN with a
    critic of ``depth`` ReLU layers of ``width`` units trained ``steps`` generator updates on the
    Swiss roll, then the norm of its loss's gradient at every hidden layer
    (``nets.layer_gradient_norms``, ``n`` real and ``n`` generated points). Returns the norms and the runs."""
    swiss = data.toy("swissroll")
    norms, runs = {}, []
    for label, (name, kw) in settings.items():
        kw = {**kw, "gp_weight": gp_weight} if name == "wgan_gp" else kw
        cfg = make_config(name, dataset="swissroll", steps=steps, batch_size=batch, seed=seed, z_dim=2,
                          z_prior="normal", g_hidden=g_hidden, d_arch="mlp", d_hidden=[width] * depth, d_act="relu", **kw)
        run = load_or_train(cfg)
        runs.append(run)
        gen = torch.Generator().manual_seed(seed)
        real, fake = swiss.sample(n, gen), run.model.sample(n, gen)

        def critic_loss(net):
            v = net(torch.cat([real, fake]))  # one pass: one activation per layer
            return losses.wgan_critic_loss(v[:n], v[n:])

        norms[label] = nets.layer_gradient_norms(run.model.discriminator, critic_loss)
    return norms, runs


#: the three critics of chapter 03's Example 1, each a registry model with only its discriminator trained
LINE_CRITICS = {"wgan": dict(model="wgan", optimizer="rmsprop", critic_warmup=False, k=1),
                "wgan_gp": dict(model="wgan_gp", beta1=0.5, k=1),
                "gan": dict(model="gan", d_dropout=0.0, d_input_dropout=0.0, k=1)}
#: Example 1's readings are taken "away from the segment P_0": |θ| above this
LINES_OFF = 0.3


@dataclass
class Lines:
    """Example 1 of Arjovsky et al. (2017) learned, for one seed: per critic of :data:`LINE_CRITICS`
    and per θ, the critic's estimate (``estimate``: E f(P_0) − E f(P_θ) for the critics, the GAN's
    (V + log 4) / 2, its estimated JS) and the generator's gradient ``gradient`` ∂/∂θ of its loss
    through the trained critic; ``curve``: each critic as a function of x along y = ½, at the θ
    nearest ½ (θ, xs, values)."""

    seed: int
    thetas: np.ndarray
    estimate: dict = field(repr=False)
    gradient: dict = field(repr=False)
    curve: dict = field(repr=False)

    def summary(self) -> dict:
        """The numbers a ledger reads: ``wgan_towards`` (the share of θ ≠ 0 at which a descent step on
        the clipped critic moves θ towards 0), ``gan_grad_max_off_zero`` and
        ``wgan_gp_grad_min_off_zero`` (over |θ| > :data:`LINES_OFF`), ``gan_js_min_off_zero``,
        ``w_gp_max_abs_error`` (against |θ|) and ``w_clip_corr`` (the clipped estimate's correlation
        with |θ|)."""
        th, off = self.thetas, np.abs(self.thetas) > LINES_OFF
        nonzero = th != 0
        g = self.gradient
        return {"wgan_towards": float(np.mean(np.sign(g["wgan"][nonzero]) == np.sign(th[nonzero]))),
                "gan_grad_max_off_zero": float(np.abs(g["gan"][off]).max()),
                "wgan_gp_grad_min_off_zero": float(np.abs(g["wgan_gp"][off]).min()),
                "gan_js_min_off_zero": float(self.estimate["gan"][off].min()),
                "w_gp_max_abs_error": float(np.max(np.abs(self.estimate["wgan_gp"] - np.abs(th)))),
                "w_clip_corr": float(np.corrcoef(self.estimate["wgan"], np.abs(th))[0, 1])}


def _line_critic(kind: str, theta: float, seed: int, steps: int, batch: int, lr: float):
    params = dict(LINE_CRITICS[kind])
    cfg = make_config(params.pop("model"), dataset="lines", steps=steps, batch_size=batch, seed=seed, z_dim=2,
                      z_prior="uniform", g_arch="affine", freeze_generator=True, d_arch="mlp", d_hidden=[64, 64], lr=lr,
                      **params)
    torch.manual_seed(seed)
    model = models.build(cfg, data.shape_of("lines"))
    with torch.no_grad():  # (z1, z2) ~ U[-1, 1]^2  ->  (theta, (z2 + 1) / 2) ~ P_theta
        model.generator.weight.copy_(torch.tensor([[0.0, 0.0], [0.0, 0.5]]))
        model.generator.bias.copy_(torch.tensor([float(theta), 0.5]))
    train(model, data.Batches("lines", batch, seed), steps, progress=False)
    return model


def _line_gradient(model, kind: str, theta: float, seed: int, n: int = 10_000) -> float:
    th = torch.tensor(float(theta), requires_grad=True)
    z = torch.rand(n, generator=torch.Generator().manual_seed(seed + 1))
    x = torch.stack([th.expand(n), z], 1)
    with model.evaluating():
        out = model.discriminator(x)
        loss = losses.gan_g_loss(out, "minimax") if kind == "gan" else losses.wgan_g_loss(out)
    (grad,) = torch.autograd.grad(loss, th)
    return grad.item()


def parallel_lines(thetas, seed: int, steps: int, batch: int, lr: float) -> Lines:
    """Example 1, learned: for each θ of ``thetas`` and each critic of :data:`LINE_CRITICS`, the
    critic trained ``steps`` updates (batch ``batch``, learning rate ``lr``: RMSProp for clipping,
    Adam otherwise) between the data P_0 = (0, Z) and a generator frozen at P_θ = (θ, Z), Z ~ U[0, 1];
    its estimate on 10,000 draws of each, and the generator's gradient through it (the critics'
    −E f(θ, Z); the GAN's minimax E log(1 − D(θ, Z)), the paper's). Seconds of one thread per seed."""
    thetas = np.asarray(thetas, dtype=float)
    estimate, gradient, curve = {}, {}, {}
    p0 = data.toy("lines").sample(10_000, torch.Generator().manual_seed(seed))
    near_half = thetas[np.abs(thetas - 0.5).argmin()]
    for kind in LINE_CRITICS:
        est, grad = [], []
        for theta in thetas:
            model = _line_critic(kind, theta, seed, steps, batch, lr)
            fake = model.sample(10_000, torch.Generator().manual_seed(seed + 2))
            real_out, fake_out = model.d_logits(p0), model.d_logits(fake)
            if kind == "gan":
                est.append((losses.gan_value(real_out, fake_out).item() + np.log(4)) / 2)
            else:
                est.append(losses.wgan_critic_value(real_out, fake_out).item())
            grad.append(_line_gradient(model, kind, theta, seed))
            if theta == near_half:
                xs = torch.linspace(-1.5, 1.5, 301)
                curve[kind] = (float(theta), xs.numpy(), model.d_logits(torch.stack([xs, torch.full_like(xs, 0.5)], 1)).numpy())
        estimate[kind], gradient[kind] = np.array(est), np.array(grad)
    return Lines(seed, thetas, estimate, gradient, curve)
