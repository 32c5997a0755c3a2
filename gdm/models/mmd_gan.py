"""MMD-GAN (Li, Chang, Cheng, Yang, Póczos 2017): GMMN with an adversarially learned kernel.

The kernel is a Gaussian mixture (σ ∈ {1, 2, 4, 8, 16}) on the features f_φ(x) of an encoder,
the encoder of an auto-encoder critic. Per generator update, ``k = 5`` critic updates (100 for
the first 25 generator updates and every 500th, as WGAN's warm-up) with RMSProp (lr 5e-5);
before each critic update the *encoder's* weights are clipped to [-0.01, 0.01] (the decoder is
not clipped). The critic maximises √MMD² of the features plus the one-sided term, minus the
auto-encoder's reconstruction error of real and generated images; the generator minimises
√MMD² plus the one-sided term (``gdm.losses.mmd_gan_*``). As in the authors' code
(OctoberChang/MMD-GAN, ``mmd_gan.py``), the generator's update takes a mini-batch of its own
(so a step consumes the critic's batches + 1) and the encoder is not clipped again before it:
it sees the encoder as the last critic update left it.
"""
from __future__ import annotations

import torch

from .. import losses, nets
from ..errors import ConfigError, UnknownNameError
from .base import Model, make_optimizer, sample_prior
from .wgan import critic_updates


ARCHS = ("dcgan", "mlp")


class MMDGAN(Model):
    number_lists = ("sigmas",)  # bandwidths need not be integers (the toys' are below 1)
    defaults = {
        "z_dim": 10,  # latent size
        "z_prior": "normal",
        "arch": "dcgan",  # dcgan (the paper's, 28x28 images) | mlp (fully connected generator and auto-encoder critic, e.g. GMMN's generator)
        "g_hidden": [64, 256, 256, 1024],  # mlp generator hidden widths (GMMN's MNIST generator), ReLU
        "d_hidden": [256],  # mlp auto-encoder critic hidden widths (mirrored by its decoder)
        "g_width": 64,  # DCGAN-style generator channels
        "g_batchnorm": True,
        "d_width": 64,  # DCGAN-style auto-encoder critic channels
        "code_dim": 10,  # the encoder's feature size, where the kernel is computed
        "sigmas": [1, 2, 4, 8, 16],  # Gaussian kernel bandwidths on the features (the paper's)
        "lambda_rg": 16.0,  # weight of the one-sided term
        "lambda_ae": 8.0,  # weight of the auto-encoder's reconstruction error (real and generated)
        "k": 5,  # critic updates per generator update
        "clip": 0.01,  # the encoder's weights are clipped to [-clip, clip]
        "critic_warmup": True,  # 100 critic updates for the first 25 generator updates and every 500th
        "optimizer": "rmsprop",
        "lr": 5e-5,
        "beta1": 0.5,  # adam
        "beta2": 0.9,  # adam
        "momentum": 0.0,  # sgd
    }

    @classmethod
    def check_config(cls, cfg):
        super().check_config(cfg)
        if not cfg["sigmas"] or min(cfg["sigmas"]) <= 0:
            raise ConfigError("kernel bandwidths (sigmas) must be positive")
        if cfg["arch"] not in ARCHS:
            raise UnknownNameError("MMD-GAN architecture", cfg["arch"], ARCHS)
        if cfg["clip"] < 0:
            raise ConfigError(f"clip must be >= 0 (0 turns clipping off), got {cfg['clip']}")

    def __init__(self, cfg, shape):
        super().__init__(cfg, shape)
        c = self.cfg
        if c["arch"] == "dcgan":
            self.generator = nets.generator("dcgan", c["z_dim"], shape, batchnorm=c["g_batchnorm"], width=c["g_width"])
            self.critic = nets.autoencoder("dcgan", shape, c["code_dim"], width=c["d_width"], act="leaky_relu")
        else:
            self.generator = nets.generator("mlp", c["z_dim"], shape, c["g_hidden"], batchnorm=c["g_batchnorm"])
            self.critic = nets.autoencoder("mlp", shape, c["code_dim"], c["d_hidden"], act="leaky_relu")
        self.optimizers["d"] = make_optimizer(self.critic.parameters(), c)
        self.optimizers["g"] = make_optimizer(self.generator.parameters(), c)

    @property
    def sigmas(self) -> list[float]:
        return [float(s) for s in self.cfg["sigmas"]]

    def batches_at(self, step: int) -> int:
        """The critic's mini-batches of the step, and one for the generator's update."""
        return critic_updates(step, self.cfg["k"], self.cfg["critic_warmup"]) + 1

    def noise(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        return sample_prior(self.cfg["z_prior"], n, self.cfg["z_dim"], generator, self.device)

    def clip_encoder(self) -> None:
        c = self.cfg["clip"]
        if c > 0:
            for p in self.critic.encoder.parameters():
                p.data.clamp_(-c, c)

    def train_step(self, batch, step):
        self.train()
        opt_d, opt_g = self.optimizers["d"], self.optimizers["g"]
        *critic_batches, g_batch = batch.chunk(self.batches_at(step))
        for x in critic_batches:
            self.clip_encoder()
            with torch.no_grad():
                fake = self.generator(self.noise(x.shape[0]))
            rec_x, f_x = self.critic(x)
            rec_y, f_y = self.critic(fake)
            d_loss = self.per_member(
                lambda *rows: losses.mmd_gan_critic_loss(*rows, self.sigmas, self.cfg["lambda_rg"], self.cfg["lambda_ae"]),
                f_x, f_y, rec_x, x, rec_y, fake)
            opt_d.zero_grad(set_to_none=True)
            d_loss.backward()
            opt_d.step()
        with torch.no_grad():
            f_x = self.critic.encoder(g_batch)
        f_y = self.critic.encoder(self.generator(self.noise(g_batch.shape[0])))
        g_loss = self.per_member(lambda a, b: losses.mmd_gan_g_loss(a, b, self.sigmas, self.cfg["lambda_rg"]), f_x, f_y)
        opt_g.zero_grad(set_to_none=True)
        g_loss.backward()
        opt_g.step()
        return {"d_loss": d_loss.item(), "g_loss": g_loss.item()}

    @torch.no_grad()
    def sample(self, n: int, generator: torch.Generator | None = None, batch_size: int = 1000) -> torch.Tensor:
        with self.evaluating():
            return torch.cat([self.generator(self.noise(min(batch_size, n - i), generator)).cpu()
                              for i in range(0, n, batch_size)])
