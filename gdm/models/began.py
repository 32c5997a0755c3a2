"""BEGAN (Berthelot, Schumm and Metz 2017): an auto-encoder discriminator (EBGAN's, without
batch norm) with the L1 reconstruction loss L(v) = |v - D(v)|, and an equilibrium controller
instead of a margin:

    L_D = L(x) - k_t L(G(z_D)),    L_G = L(G(z_G)),
    k_{t+1} = clamp(k_t + λ_k (γ L(x) - L(G(z_G))), 0, 1),    k_0 = 0, λ_k = 0.001.

Both players' gradients are taken at the same parameters and both step (the paper's
algorithm); k_t is a buffer of the model, so it is checkpointed and survives a resume.
M_global = L(x) + |γ L(x) - L(G(z_G))| is logged every step: the paper's convergence measure.
The paper's architecture: ``d_arch = g_arch = "began"`` (ELU, 3x3 convolutions, no batch norm),
h = N_z = 64, Adam with lr 1e-4.

``d_output="linear"`` drops the sigmoid at the end of the auto-encoder's decoder (the paper's
decoder ends in a convolution): with a sigmoid, an image the decoder reconstructs as 0 or 1 sits
where the sigmoid is flat, so the discriminator cannot raise its loss L(G(z)) however large k_t is.
"""
from __future__ import annotations

import torch

from .. import losses
from ..errors import ConfigError, UnknownNameError
from .ebgan import AutoEncoderGAN


class BEGAN(AutoEncoderGAN):
    defaults = {
        **AutoEncoderGAN.defaults,
        "z_dim": 64,  # N_z
        "code_dim": 64,  # h, the auto-encoder's code
        "g_batchnorm": False,  # the paper uses no batch norm anywhere
        "d_act": "elu",
        "lr": 1e-4,
        "gamma": 0.5,  # γ = E[L(G(z))] / E[L(x)], the diversity ratio
        "lambda_k": 0.001,  # λ_k, the proportional gain of the k_t controller (the paper's; on gdm's per-pixel mean loss the book uses 0.784, chapter 06)
        "k_init": 0.0,  # k_0
        "eta": 1.0,  # η, the power of the pixel-wise reconstruction error (1: L1)
        "d_output": "sigmoid",  # auto-encoder's output: sigmoid (in [0, 1]) | linear (the paper's: no squashing)
    }

    simultaneous = True

    @classmethod
    def check_config(cls, cfg):
        super().check_config(cfg)
        if cfg["d_batchnorm"]:
            raise ConfigError("BEGAN's auto-encoder has no batch norm (the paper's Section 3.5); set d_batchnorm=False")
        if not 0 < cfg["gamma"] <= 1:
            raise ConfigError(f"gamma must lie in (0, 1], got {cfg['gamma']}")
        if not 0 <= cfg["k_init"] <= 1:
            raise ConfigError(f"k_init must lie in [0, 1], got {cfg['k_init']}")
        if cfg["lambda_k"] < 0 or cfg["eta"] <= 0:
            raise ConfigError("lambda_k must be >= 0 and eta > 0")
        if cfg["d_output"] not in ("sigmoid", "linear"):
            raise UnknownNameError("BEGAN auto-encoder output", cfg["d_output"], ("sigmoid", "linear"))

    def __init__(self, cfg, shape):
        super().__init__(cfg, shape)
        self.register_buffer("k", torch.tensor(float(self.cfg["k_init"]), dtype=torch.float64))

    def reconstruction_activation(self):
        return "sigmoid" if self.cfg["d_output"] == "sigmoid" else None

    def energy_of(self, x, reconstruction):
        return losses.began_loss(x, reconstruction, self.cfg["eta"])

    def discriminator_objective(self, x, fake):
        l_real, _ = self.energies(x)
        l_fake, _ = self.energies(fake)
        loss = losses.began_d_loss(l_real, l_fake, float(self.k))
        return loss, {"loss_real": l_real.mean().item(), "loss_fake_d": l_fake.mean().item()}

    def generator_objective(self, fake):
        l_fake, _ = self.energies(fake)
        return losses.began_g_loss(l_fake), {"loss_fake": l_fake.mean().item()}

    def after_step(self, logs):
        c = self.cfg
        logs["k"] = float(self.k)  # the k_t this step used
        logs["m_global"] = losses.began_convergence(logs["loss_real"], logs["loss_fake"], c["gamma"])
        self.k.fill_(losses.began_k_update(float(self.k), logs["loss_real"], logs["loss_fake"], c["gamma"], c["lambda_k"]))

