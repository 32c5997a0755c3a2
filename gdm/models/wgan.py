"""WGAN (Arjovsky, Chintala, Bottou 2017), WGAN-GP (Gulrajani et al. 2017) and, as a baseline
of the WGAN-GP paper, LSGAN (Mao et al. 2017): each is the GAN with other losses.

WGAN, the paper's Algorithm 1: per generator update, ``k = n_critic = 5`` critic updates with
RMSProp (lr 5e-5), the critic's weights clipped to [-c, c] (c = 0.01) after each; for the first
25 generator updates and every 500th, 100 critic updates (the critic warm-up of the authors'
code), so that the critic is near its optimum when the generator learns from it.

WGAN-GP, the paper's Algorithm 1: no clipping; the critic's loss adds λ E[(||∇f(x̂)||₂ - 1)²]
(λ = 10) on random interpolates x̂ of real and generated samples; Adam (1e-4, β = (0, 0.9)),
n_critic = 5; no batch norm in the critic (the penalty is per sample).
"""
from __future__ import annotations

from .. import losses
from ..errors import ConfigError
from .gan import GAN

_NO_DROPOUT = {"d_dropout": 0.0, "d_input_dropout": 0.0}
#: critic updates of the warm-up steps (the WGAN authors' code; MMD-GAN's code keeps it)
WARMUP_UPDATES = 100


def critic_updates(step: int, k: int, warmup: bool) -> int:
    """Critic updates at generator step ``step``: ``k``, or 100 for the first 25 steps and every
    500th when ``warmup`` is on."""
    return WARMUP_UPDATES if warmup and (step < 25 or step % 500 == 0) else k


class WGAN(GAN):
    defaults = {
        **GAN.defaults,
        **_NO_DROPOUT,
        "g_loss": "wasserstein",  # the only generator loss: minimise -E[f(G(z))]
        "optimizer": "rmsprop",
        "lr": 5e-5,
        "k": 5,  # n_critic: critic updates per generator update
        "clip": 0.01,  # critic weights are clipped to [-clip, clip] after every update (0: no clipping)
        "critic_warmup": True,  # 100 critic updates for the first 25 generator updates and every 500th
    }

    g_losses = ("wasserstein",)
    simultaneous_updates = False

    @classmethod
    def check_config(cls, cfg):
        super().check_config(cfg)
        if cfg["clip"] < 0:
            raise ConfigError(f"clip must be >= 0 (0 turns clipping off), got {cfg['clip']}")

    def batches_at(self, step: int) -> int:
        return critic_updates(step, self.cfg["k"], self.cfg["critic_warmup"])

    def d_loss(self, real_values, fake_values):
        return losses.wgan_critic_loss(real_values, fake_values)

    def g_loss(self, fake_values):
        return losses.wgan_g_loss(fake_values)

    def discriminator_loss(self, x, fake):
        real_values, fake_values = self.discriminator(x), self.discriminator(fake)
        loss = self.d_loss(real_values, fake_values)
        return loss, {"d_loss": loss.item(), "critic": losses.wgan_critic_value(real_values, fake_values).item()}

    def after_d_step(self):
        c = self.cfg["clip"]
        if c > 0:
            for p in self.discriminator.parameters():
                p.data.clamp_(-c, c)


class WGANGP(WGAN):
    defaults = {
        **WGAN.defaults,
        "optimizer": "adam",
        "lr": 1e-4,
        "beta1": 0.0,
        "beta2": 0.9,
        "clip": 0.0,
        "critic_warmup": False,
        "gp_weight": 10.0,  # λ, the penalty's weight
    }

    @classmethod
    def check_config(cls, cfg):
        super().check_config(cfg)
        if cfg["d_batchnorm"]:
            raise ConfigError("WGAN-GP penalises the critic's gradient per sample; batch norm in the critic couples "
                              "the samples of a batch. Set d_batchnorm=False (the paper uses no normalisation or "
                              "layer normalisation in the critic).")
        if cfg["gp_weight"] < 0:
            raise ConfigError(f"gp_weight must be >= 0, got {cfg['gp_weight']}")

    def discriminator_loss(self, x, fake):
        loss, logs = super().discriminator_loss(x, fake)
        gp = losses.gradient_penalty(self.discriminator, x, fake)
        logs["gp"] = gp.item()
        loss = loss + self.cfg["gp_weight"] * gp
        logs["d_loss"] = loss.item()
        return loss, logs


class LSGAN(GAN):
    defaults = {**GAN.defaults, "g_loss": "least_squares"}
    g_losses = ("least_squares",)

    def d_loss(self, real_values, fake_values):
        return losses.lsgan_d_loss(real_values, fake_values)

    def g_loss(self, fake_values):
        return losses.lsgan_g_loss(fake_values)

    def discriminator_loss(self, x, fake):
        real_values, fake_values = self.discriminator(x), self.discriminator(fake)
        loss = self.d_loss(real_values, fake_values)
        return loss, {"d_loss": loss.item(), "d_real": real_values.mean().item(), "d_fake": fake_values.mean().item()}
