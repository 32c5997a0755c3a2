"""β-VAE (Higgins et al. 2017, *β-VAE: Learning basic visual concepts with a constrained
variational framework*): the VAE's bound with the KL term weighted by β > 1,

    L(x) = E_q[log p(x | z)] - β KL(q(z | x) || p(z)),

which the paper reads as a Lagrangian of "reconstruct, subject to KL(q(z | x) || p(z)) < ε":
a larger β puts more pressure on the posterior to match the isotropic prior, which the paper
argues favours a factorised (disentangled) code, at a price in reconstruction.

The VAE (``gdm.models.vae``) already weighs its KL by ``beta``; the delta is the paper's
dSprites setting (its Appendix, Table 1): an asymmetric MLP, encoder ``4096-1200-1200-2·10``
with ReLU and decoder ``10-1200-1200-1200-4096`` with tanh, Bernoulli outputs, Adagrad
(learning rate 1e-2), β = 4; and two read-outs of the code that the chapter needs: the KL of
each latent dimension (to sort traversals by) and latent traversals.
"""
from __future__ import annotations

import torch

from .. import latent, nets
from ..errors import ConfigError, UnknownNameError
from .base import make_optimizer
from .vae import VAE


class BetaVAE(VAE):
    defaults = {
        **VAE.defaults,
        "dataset": "dsprites32",  # the data set (the paper: dSprites at 64x64; dsprites32 is the cpu profile's)
        "z_dim": 10,  # latent size (the paper's dSprites: 10)
        "hidden": [1200, 1200],  # encoder MLP hidden widths (the paper's dSprites: 1200, 1200)
        "act": "relu",  # encoder nonlinearity (the paper's dSprites encoder: ReLU)
        "decoder_hidden": [1200, 1200, 1200],  # decoder MLP hidden widths; empty: mirror the encoder's
        "decoder_act": "tanh",  # decoder nonlinearity (the paper's dSprites decoder: tanh)
        "beta": 4.0,  # weight of the KL term (the paper's dSprites: 4)
        "optimizer": "adagrad",  # adagrad (the paper) | adam | sgd | rmsprop
        "lr": 0.01,  # the paper's dSprites: Adagrad with 1e-2
    }

    @classmethod
    def check_config(cls, cfg):
        super().check_config(cfg)
        if cfg["decoder_act"] not in nets.ACTIVATIONS:
            raise UnknownNameError("decoder activation", cfg["decoder_act"], nets.ACTIVATIONS)
        if any(h < 1 for h in cfg["decoder_hidden"]):
            raise ConfigError(f"decoder_hidden widths must be positive, got {cfg['decoder_hidden']}")

    def __init__(self, cfg, shape):
        super().__init__(cfg, shape)
        c = self.cfg
        widths = c["decoder_hidden"] or list(reversed(c["hidden"]))
        out = self.decoder[-1].out_features  # the VAE's output size (doubled for a learned variance)
        self.decoder = nets.mlp([c["z_dim"], *widths, out], c["decoder_act"])
        self.optimizers["vae"] = make_optimizer(self.parameters(), c)

    # ------------------------------------------------------------------ read-outs of the code
    @torch.no_grad()
    def kl_per_dim(self, x: torch.Tensor, batch_size: int = 1000) -> torch.Tensor:
        """The mean over ``x`` of KL(q(z_j | x) || N(0, 1)) for each latent ``j`` (nats), on the
        CPU: near 0 for a dimension the encoder does not use."""
        with self.evaluating():
            total = torch.zeros(self.cfg["z_dim"])
            for i in range(0, x.shape[0], batch_size):
                mu, logvar = self.encode(x[i : i + batch_size])
                total += latent.gaussian_kl(mu, logvar, event_dims=0).sum(0).cpu()
            return total / x.shape[0]

    @torch.no_grad()
    def traversal(self, x: torch.Tensor, dims, values) -> torch.Tensor:
        """Decoded means of latent traversals: for each latent ``j`` in ``dims`` and each value
        ``v`` in ``values``, the code ``mu(x)`` with ``z_j = v``. ``x`` is one example (or a
        batch of one); returns ``(len(dims) * len(values), *shape)``, row-major by ``dims``."""
        with self.evaluating():
            mu = self.encode(x.reshape(1, *self.shape))[0].cpu()
            values = torch.as_tensor(values, dtype=mu.dtype)
            z = mu.repeat(len(dims) * len(values), 1)
            for r, j in enumerate(dims):
                z[r * len(values) : (r + 1) * len(values), j] = values
            return self.decode_mean(z).cpu()
