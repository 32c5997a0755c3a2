"""Chapter 04's critic experiments (Gulrajani et al. 2017, Figure 1): critics trained alone against
a fixed generator, with weight clipping or the gradient penalty, and gradient norms through a deep
critic.

    from gdm import critics
    s = critics.fixed_generator("penalty", "ring", steps=400, batch=256, lr=1e-3, hidden=[128] * 3)
    s.share          # the critic's bound on W1 (metrics.lipschitz_bound) over the exact W1
    s.values         # the critic on a 120 × 120 grid over the toy (s.xx, s.yy): its level sets
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


@dataclass
class Surface:
    """A critic trained alone against real data plus noise: its bound on W1 over the exact W1
    (``share``), the exact W1 of 1,000 real against 1,000 noisy samples, its values on a grid."""

    kind: str
    toy: str
    share: float
    w1: float
    xx: np.ndarray = field(repr=False)
    yy: np.ndarray = field(repr=False)
    values: np.ndarray = field(repr=False)
    real: torch.Tensor = field(repr=False)


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
    return Surface(kind, toy, share, w1, xx, yy, values, real)


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
