"""GMMN (Li, Swersky, Zemel 2015): a generator trained by minimising the maximum mean
discrepancy between its samples and the data, with no discriminator at all.

    L = √MMD²(x, G(z)),  k = Σ_s exp(-‖x - y‖² / (2s)),  s ∈ {2, 5, 10, 20, 40, 80}

on mini-batches of data and samples (``gdm.kernels``). The numbers s are the kernels'
**variances**, as in the authors' code (``core/generative.py``: ``exp(1/sigma * (XX - x/2 - x'/2))``,
and its random-feature loss draws frequencies with ``sqrt(sigma)``): the widths (standard
deviations) are √2 ≈ 1.41 … √80 ≈ 8.94 pixels-distance units. The config says so by its names,
``kernel_variances`` and ``code_kernel_variances``; :attr:`GMMN.kernel_std` gives the widths used.
``space="data"`` matches images directly; ``space="code"`` is GMMN+AE: an auto-encoder
(784-1024-32, sigmoid code) is trained first, for ``ae_steps`` steps, then frozen, and the GMMN
matches the distribution of its codes (variance 1, so width 1, in the authors' code as here);
samples are decoded codes. One training step is one generator update (or one auto-encoder
update during the first ``ae_steps``).
"""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from .. import kernels, nets
from ..errors import ConfigError, UnknownNameError
from .base import Model, make_optimizer, sample_prior

SPACES = ("data", "code")
FEATURES = ("x", "x_x2")
AE_ACTS = ("relu", "sigmoid")  # the auto-encoder's hidden units: relu (the book's cpu profile), sigmoid (the authors')


class GMMN(Model):
    defaults = {
        "space": "data",  # data (GMMN) | code (GMMN+AE: MMD on the codes of a pretrained auto-encoder)
        "z_dim": 10,  # latent size (the paper: 10 for MNIST)
        "z_prior": "uniform",  # uniform on [-1, 1] (the paper) or normal
        "g_hidden": [64, 256, 256, 1024],  # generator hidden widths (the paper's MNIST GMMN), ReLU
        "kernel": "gaussian",  # the MMD's kernel: gaussian (the paper) | imq | linear (matches the mean only)
        "features": "x",  # what the kernel sees: x, or x_x2 = (x, x squared) per coordinate (linear kernel: mean and second moment)
        "kernel_variances": [2, 5, 10, 20, 40, 80],  # data space: variances s of the Gaussian kernels exp(-d²/(2s)) (the authors' code's "sigma"; widths √s); IMQ: its scales C
        "code_kernel_variances": [1],  # code space (GMMN+AE): variances of the Gaussian kernels (the authors': 1)
        "code_dim": 32,  # auto-encoder code size (GMMN+AE)
        "ae_hidden": [1024],  # auto-encoder hidden widths (GMMN+AE)
        "ae_steps": 2000,  # auto-encoder training steps before the GMMN's (GMMN+AE)
        "ae_batch": 0,  # auto-encoder mini-batch: each step's batch is split into updates of this size (0: one update per step)
        "ae_act": "relu",  # auto-encoder hidden units: relu | sigmoid (the authors' code)
        "ae_dropout": 0.1,  # dropout on the auto-encoder's input while it trains (denoising; the authors': 0.2)
        "ae_hidden_dropout": 0.0,  # dropout on the encoder's hidden layer while it trains (the authors': 0.5)
        "optimizer": "adam",
        "lr": 1e-3,
        "beta1": 0.5,
        "beta2": 0.999,
        "momentum": 0.9,  # sgd
    }

    @classmethod
    def check_config(cls, cfg):
        super().check_config(cfg)
        if cfg["space"] not in SPACES:
            raise UnknownNameError("GMMN space", cfg["space"], SPACES)
        if cfg["kernel"] not in kernels.KERNELS:
            raise UnknownNameError("kernel", cfg["kernel"], kernels.KERNELS)
        if cfg["features"] not in FEATURES:
            raise UnknownNameError("kernel features", cfg["features"], FEATURES)
        for key in ("kernel_variances", "code_kernel_variances"):
            if not cfg[key] or min(cfg[key]) <= 0:
                raise ConfigError(f"{key} must be a non-empty list of positive kernel variances, got {cfg[key]}")
        if cfg["ae_act"] not in AE_ACTS:
            raise UnknownNameError("auto-encoder activation", cfg["ae_act"], AE_ACTS)
        if not 0 <= cfg["ae_dropout"] < 1 or not 0 <= cfg["ae_hidden_dropout"] < 1:
            raise ConfigError("ae_dropout and ae_hidden_dropout must lie in [0, 1)")
        if cfg["ae_batch"] < 0:
            raise ConfigError(f"ae_batch must be >= 0 (0: the whole batch), got {cfg['ae_batch']}")
        if cfg["space"] == "code" and cfg["ae_steps"] >= cfg["steps"]:
            raise ConfigError(f"GMMN+AE trains the auto-encoder for ae_steps = {cfg['ae_steps']} of the "
                              f"{cfg['steps']} steps: make steps larger than ae_steps")

    def __init__(self, cfg, shape):
        super().__init__(cfg, shape)
        c = self.cfg
        d = math.prod(shape)
        image = len(shape) == 3
        if c["space"] == "code":
            enc = nn.Sequential(nets.Flatten(), nets.mlp([d, *c["ae_hidden"], c["code_dim"]], c["ae_act"], "sigmoid",
                                                         dropout=c["ae_hidden_dropout"]))
            dec = nn.Sequential(nets.mlp([c["code_dim"], *reversed(c["ae_hidden"]), d], c["ae_act"],
                                         "sigmoid" if image else None), nets.Reshape(*shape))
            self.autoencoder = nets.AutoEncoder(enc, dec)
            self.optimizers["ae"] = make_optimizer(self.autoencoder.parameters(), c)
            self.generator = nets.mlp([c["z_dim"], *c["g_hidden"], c["code_dim"]], "relu", "sigmoid")
        else:
            self.generator = nets.generator("mlp", c["z_dim"], shape, c["g_hidden"])
        self.optimizers["g"] = make_optimizer(self.generator.parameters(), c)

    @property
    def kernel_std(self) -> dict:
        """The widths (standard deviations) of the Gaussian kernels actually used, per space:
        ``{"data": [√s for s in kernel_variances], "code": [...]}`` (IMQ and linear: their scales)."""
        if self.cfg["kernel"] != "gaussian":
            return {"data": [float(v) for v in self.cfg["kernel_variances"]],
                    "code": [float(v) for v in self.cfg["code_kernel_variances"]]}
        return {"data": kernels.std_from_variances(self.cfg["kernel_variances"]),
                "code": kernels.std_from_variances(self.cfg["code_kernel_variances"])}

    def noise(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        return sample_prior(self.cfg["z_prior"], n, self.cfg["z_dim"], generator, self.device)

    def kernel_input(self, v: torch.Tensor) -> torch.Tensor:
        """What the kernel compares: ``v`` itself, or ``(v, v²)`` coordinate-wise (``features="x_x2"``),
        for which the linear kernel's MMD² is ‖E x - E y‖² + ‖E x² - E y²‖²."""
        if self.cfg["features"] == "x_x2":
            v = v.reshape(v.shape[0], -1)
            return torch.cat([v, v * v], 1)
        return v

    def in_ae_phase(self, step: int) -> bool:
        return self.cfg["space"] == "code" and step < self.cfg["ae_steps"]

    def train_step(self, batch, step):
        self.train()
        c = self.cfg
        if self.in_ae_phase(step):
            opt, parts = self.optimizers["ae"], 1
            if c["ae_batch"]:
                parts = max(1, batch.shape[0] // c["ae_batch"])
            for x in batch.chunk(parts):
                noisy = F.dropout(x, c["ae_dropout"]) * (1 - c["ae_dropout"]) if c["ae_dropout"] else x
                recon, _ = self.autoencoder(noisy)
                loss = F.binary_cross_entropy(recon.clamp(1e-6, 1 - 1e-6), x, reduction="sum") / x.shape[0]
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
            return {"ae_loss": loss.item()}
        if c["space"] == "code":
            with torch.no_grad(), self.evaluating():
                target = self.autoencoder.encoder(batch)
            scales = self.kernel_std["code"]
        else:
            target, scales = batch, self.kernel_std["data"]
        fake = self.generator(self.noise(batch.shape[0]))
        loss = self.per_member(lambda a, b: kernels.mmd(a, b, c["kernel"], scales),
                               self.kernel_input(target), self.kernel_input(fake))
        opt = self.optimizers["g"]
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return {"mmd": loss.item()}

    @torch.no_grad()
    def generate(self, z: torch.Tensor) -> torch.Tensor:
        """The samples (on the CPU) of the given prior points ``z`` (N, z_dim): images, decoded from
        the generated codes for GMMN+AE (e.g. for interpolations in the prior)."""
        with self.evaluating():
            g = self.generator(z.to(self.device))
            return (self.autoencoder.decoder(g) if self.cfg["space"] == "code" else g).cpu()

    @torch.no_grad()
    def sample(self, n: int, generator: torch.Generator | None = None, batch_size: int = 1000) -> torch.Tensor:
        """``n`` samples (on the CPU): images, decoded from generated codes for GMMN+AE."""
        return torch.cat([self.generate(self.noise(min(batch_size, n - i), generator)) for i in range(0, n, batch_size)])

    @torch.no_grad()
    def reconstruct(self, x: torch.Tensor) -> torch.Tensor:
        """The auto-encoder's reconstructions (GMMN+AE)."""
        if self.cfg["space"] != "code":
            raise ConfigError("only GMMN+AE (space='code') has an auto-encoder")
        with self.evaluating():
            return self.autoencoder(x.to(self.device))[0].cpu()
