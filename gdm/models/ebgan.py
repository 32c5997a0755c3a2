"""EBGAN (Zhao, Mathieu and LeCun 2017), and what it shares with BEGAN: a GAN whose
discriminator is an auto-encoder and whose "realness" is an energy, the reconstruction error.

``AutoEncoderGAN`` is that shared part: a generator, an auto-encoder discriminator
(``gdm.nets.autoencoder``), one step = one discriminator update and one generator update
(with hooks for the losses), and the energies of any images. EBGAN fills the hooks with the
margin loss and the pull-away term (``gdm.losses``):

    L_D = D(x) + [m - D(G(z))]^+,    L_G = D(G(z)) + λ_PT f_PT(Enc(G(z))),

D(x) = ||Dec(Enc(x)) - x||² (summed over pixels; ``energy="mean"``: their mean). The paper's MNIST setting: m = 10, λ_PT = 0.1,
Adam, fully connected nets (its grid search).
"""
from __future__ import annotations

import torch

from .. import losses, nets
from ..errors import ConfigError, UnknownNameError
from .base import Model, make_optimizer
from .gan import GAN


class AutoEncoderGAN(Model):
    """A generator against an auto-encoder discriminator. Subclasses implement ``energy_of``
    (per-example energy from input and reconstruction), ``discriminator_objective`` and
    ``generator_objective``; ``simultaneous`` says whether both players' gradients are taken at
    the same parameters (BEGAN's Algorithm) or the generator sees the updated discriminator."""

    defaults = {
        "z_dim": 100,  # latent size
        "z_prior": "uniform",  # uniform on [-1, 1] or normal
        "g_arch": "mlp",  # mlp | dcgan | began
        "g_hidden": [800, 800],  # generator hidden widths (mlp)
        "g_batchnorm": True,  # batch norm in the generator (mlp, dcgan)
        "g_width": 64,  # generator channels (began)
        "d_arch": "mlp",  # auto-encoder: mlp | dcgan | began
        "d_hidden": [256],  # auto-encoder hidden widths on each side of the code (mlp)
        "d_width": 32,  # auto-encoder channels (dcgan, began)
        "code_dim": 64,  # auto-encoder code size
        "d_act": "relu",  # auto-encoder activation: relu | leaky_relu | elu | tanh
        "d_batchnorm": False,  # batch norm in the auto-encoder (mlp, dcgan)
        "optimizer": "adam",  # adam | sgd | rmsprop
        "lr": 1e-3,
        "beta1": 0.5,  # adam
        "beta2": 0.999,  # adam
        "momentum": 0.5,  # sgd
    }

    #: True: both players' gradients at the same parameters, then both step (BEGAN's Algorithm)
    simultaneous = False

    noise = GAN.noise
    sample = GAN.sample

    @classmethod
    def check_config(cls, cfg):
        super().check_config(cfg)
        if cfg["d_arch"] not in nets.AUTOENCODERS:
            raise UnknownNameError("auto-encoder architecture", cfg["d_arch"], nets.AUTOENCODERS)
        if cfg["g_arch"] not in ("mlp", "dcgan", "began"):
            raise UnknownNameError(f"{cls.__name__} generator architecture", cfg["g_arch"], ("mlp", "dcgan", "began"))
        if cfg["d_act"] not in nets.ACTIVATIONS:
            raise UnknownNameError("activation", cfg["d_act"], nets.ACTIVATIONS)
        if cfg["code_dim"] < 1:
            raise ConfigError(f"code_dim must be positive, got {cfg['code_dim']}")

    def __init__(self, cfg, shape):
        super().__init__(cfg, shape)
        c = self.cfg
        self.generator = nets.generator(c["g_arch"], c["z_dim"], shape, c["g_hidden"], batchnorm=c["g_batchnorm"],
                                        width=c["g_width"])
        self.discriminator = nets.autoencoder(c["d_arch"], shape, c["code_dim"], c["d_hidden"], width=c["d_width"],
                                              act=c["d_act"], batchnorm=c["d_batchnorm"],
                                              out_act=self.reconstruction_activation())
        self.optimizers["d"] = make_optimizer(self.discriminator.parameters(), c)
        self.optimizers["g"] = make_optimizer(self.generator.parameters(), c)

    # hooks ---------------------------------------------------------------------------------
    def reconstruction_activation(self) -> str | None:
        """The activation that ends the auto-encoder's image reconstructions (None: linear)."""
        return "sigmoid"

    def energy_of(self, x: torch.Tensor, reconstruction: torch.Tensor) -> torch.Tensor:  # pragma: no cover
        raise NotImplementedError

    def discriminator_objective(self, x, fake) -> tuple[torch.Tensor, dict]:  # pragma: no cover
        """The discriminator's loss on real ``x`` and (detached) generated ``fake``, and its logs."""
        raise NotImplementedError

    def generator_objective(self, fake) -> tuple[torch.Tensor, dict]:  # pragma: no cover
        raise NotImplementedError

    def after_step(self, logs: dict) -> None:
        """Called once per step after both updates (BEGAN updates k_t here)."""

    # ---------------------------------------------------------------------------------------
    def energies(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Per-example energies and the codes of ``x``, through the discriminator (with grad)."""
        reconstruction, code = self.discriminator(x)
        return self.energy_of(x, reconstruction), code

    def train_step(self, batch, step):
        self.train()
        x = batch
        n = x.shape[0]
        opt_d, opt_g = self.optimizers["d"], self.optimizers["g"]
        fake_d = self.generator(self.noise(n)).detach()  # z_D
        d_loss, logs = self.discriminator_objective(x, fake_d)
        opt_d.zero_grad(set_to_none=True)
        d_loss.backward()
        if not self.simultaneous:
            opt_d.step()
        g_loss, g_logs = self.generator_objective(self.generator(self.noise(n)))  # z_G
        opt_g.zero_grad(set_to_none=True)
        g_loss.backward(inputs=list(self.generator.parameters()))  # D's gradients stay those of L_D
        if self.simultaneous:
            opt_d.step()
        opt_g.step()
        logs.update(g_logs, d_loss=d_loss.item(), g_loss=g_loss.item())
        self.after_step(logs)
        return logs

    @torch.no_grad()
    def energy(self, x: torch.Tensor, batch_size: int = 1000) -> torch.Tensor:
        """The discriminator's energy of each image of ``x`` (eval mode, on the CPU)."""
        with self.evaluating():
            return torch.cat([self.energies(x[i : i + batch_size].to(self.device))[0].cpu()
                              for i in range(0, len(x), batch_size)])


class EBGAN(AutoEncoderGAN):
    defaults = {
        **AutoEncoderGAN.defaults,
        "margin": 10.0,  # m: the discriminator pushes fake energies up to m and no further
        "pt_weight": 0.1,  # λ_PT, weight of the pull-away term in the generator's loss (0: EBGAN without PT)
        "energy": "sum",  # the energy's reduction over pixels: sum (||Dec(Enc(x)) - x||²) | mean (per-pixel)
    }

    @classmethod
    def check_config(cls, cfg):
        super().check_config(cfg)
        if cfg["margin"] <= 0:
            raise ConfigError(f"margin must be positive, got {cfg['margin']}")
        if cfg["pt_weight"] < 0:
            raise ConfigError(f"pt_weight must be >= 0 (0 turns the pull-away term off), got {cfg['pt_weight']}")
        if cfg["energy"] not in ("sum", "mean"):
            raise UnknownNameError("energy reduction", cfg["energy"], ("sum", "mean"))

    def energy_of(self, x, reconstruction):
        return losses.ebgan_energy(x, reconstruction, self.cfg["energy"])

    def discriminator_objective(self, x, fake):
        e_real, _ = self.energies(x)
        e_fake, _ = self.energies(fake)
        loss = losses.ebgan_d_loss(e_real, e_fake, self.cfg["margin"])
        return loss, {"energy_real": e_real.mean().item(), "energy_fake": e_fake.mean().item()}

    def generator_objective(self, fake):
        e_fake, code = self.energies(fake)
        loss = losses.ebgan_g_loss(e_fake)
        pt = self.per_member(losses.pull_away_term, code)  # logged with or without its weight: the codes' mean squared cosine
        if self.cfg["pt_weight"] > 0:
            loss = loss + self.cfg["pt_weight"] * pt
        return loss, {"pull_away": pt.item()}
