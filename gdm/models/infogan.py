"""InfoGAN (Chen, Duan, Houthooft, Schulman, Sutskever and Abbeel 2016).

The generator's input is split into incompressible noise ``z`` and latent codes ``c``: on MNIST
a categorical ``c1 ~ Cat(K = 10)`` and continuous ``c2, c3 ~ U(-1, 1)``. A GAN may ignore ``c``;
InfoGAN adds to the game the variational lower bound of the mutual information I(c; G(z, c)),

    min_{G, Q} max_D  V(D, G) - λ L_I(G, Q),   L_I = E[log Q(c | G(z, c))] + H(c),

where Q(c | x) is an auxiliary head on the discriminator's body (a softmax for ``c1``, a
factored Gaussian for the continuous codes). Per training step: one update of D's body, D's
head and Q's head on ``-V + λ(-L_I)`` (Q learns on generated data only), then one update of G on
its GAN loss plus ``λ(-L_I)``. With ``g_info=False`` G skips the information term: a plain GAN
whose Q head is still trained, the paper's Figure 1 baseline. Labels are never used: the
batches are images only (``needs_labels`` is False).
"""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from .. import losses, nets
from ..errors import ConfigError, UnknownNameError
from .base import Model, make_optimizer, sample_prior


#: hidden layers of InfoGAN's MLPs on vector data (the toys), each of g_hidden / d_hidden units
MLP_DEPTH = 3


def sample_codes(n: int, n_categories: int, n_continuous: int, generator: torch.Generator | None = None,
                 device=None) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """InfoGAN's codes for ``n`` samples: ``(c_index, c_onehot, c_cont)`` with ``c_index`` uniform on
    {0, ..., K-1} (shape ``(n,)``), its one-hot encoding ``(n, K)`` and ``c_cont ~ U(-1, 1)``
    of shape ``(n, n_continuous)``."""
    c_index = torch.randint(n_categories, (n,), generator=generator)
    c_cont = torch.rand(n, n_continuous, generator=generator).mul_(2).sub_(1)
    c_onehot = F.one_hot(c_index, n_categories).float()
    return c_index.to(device), c_onehot.to(device), c_cont.to(device)


class InfoGAN(Model):
    defaults = {
        "z_dim": 62,  # incompressible noise z (the paper's MNIST: 62)
        "z_prior": "uniform",  # uniform on [-1, 1] or normal
        "n_categories": 10,  # values K of the categorical code c1 ~ Cat(K)
        "n_continuous": 2,  # continuous codes c2, c3, ... ~ U(-1, 1)
        "lambda_disc": 1.0,  # λ of the categorical part of L_I (the paper: 1)
        "lambda_cont": 0.1,  # λ of the continuous part (the paper: smaller than 1, no value given; the authors' code: 1.0)
        "q_fixed_std": False,  # Q's Gaussian has std 1 (the authors' code) instead of a learned one
        "g_info": True,  # G maximises L_I (InfoGAN); False: a GAN whose Q head learns (Figure 1's baseline)
        "g_width": 64,  # generator: channels of the 14x14 layer (the 7x7 layer has twice as many)
        "g_hidden": 1024,  # generator: fully connected layer before the 7x7 one (0: none); vector data: the MLP's width
        "d_width": 64,  # D/Q body: channels of the first convolution (the second has twice as many)
        "d_hidden": 1024,  # D/Q body: fully connected layer after the convolutions (0: none); vector data: the MLP's width
        "q_hidden": 128,  # Q head: hidden layer (0: linear head)
        "g_loss": "nonsaturating",  # nonsaturating | minimax
        "optimizer": "adam",  # adam | sgd | rmsprop
        "lr_d": 2e-4,  # learning rate of D and Q (the paper: 2e-4)
        "lr_g": 1e-3,  # learning rate of G (the paper: 1e-3)
        "beta1": 0.5,  # adam
        "beta2": 0.999,  # adam
        "momentum": 0.5,  # sgd
    }

    g_losses = losses.G_LOSSES

    @classmethod
    def check_config(cls, cfg):
        super().check_config(cfg)
        if cfg["g_loss"] not in cls.g_losses:
            raise UnknownNameError("InfoGAN generator loss", cfg["g_loss"], cls.g_losses)
        if cfg["n_categories"] < 2:
            raise ConfigError(f"n_categories must be at least 2, got {cfg['n_categories']}")
        for key in ("n_continuous", "lambda_disc", "lambda_cont", "g_hidden", "d_hidden", "q_hidden"):
            if cfg[key] < 0:
                raise ConfigError(f"parameter {key!r} must be >= 0, got {cfg[key]}")
        for key in ("lr_d", "lr_g", "g_width", "d_width"):
            if cfg[key] <= 0:
                raise ConfigError(f"parameter {key!r} must be positive, got {cfg[key]}")
        shape = tuple(data_shape(cfg))
        if shape != (1, 28, 28) and len(shape) != 1:
            raise ConfigError(f"InfoGAN's nets are for 28x28 images or vectors (toys); data set {cfg['dataset']!r} "
                              f"has examples of shape {shape}")
        if len(shape) == 1 and (cfg["g_hidden"] < 1 or cfg["d_hidden"] < 1):
            raise ConfigError("on vector data InfoGAN's nets are MLPs of g_hidden / d_hidden units: both must be positive")

    def __init__(self, cfg, shape):
        super().__init__(cfg, shape)
        c = self.cfg
        self.code_dim = c["z_dim"] + c["n_categories"] + c["n_continuous"]
        q_out = c["n_categories"] + c["n_continuous"] * (1 if c["q_fixed_std"] else 2)
        if len(shape) == 1:
            # vector data (the toys of gdm.toys): MLPs with MLP_DEPTH hidden layers of g_hidden (ReLU) and
            # d_hidden (leaky ReLU) units, no batch norm; Q's head on D's body as on images
            d = shape[0]
            self.generator = nets.mlp([self.code_dim, *[c["g_hidden"]] * MLP_DEPTH, d], "relu")
            body = nets.mlp([d, *[c["d_hidden"]] * MLP_DEPTH], "leaky_relu", out_act="leaky_relu")
            self.discriminator = nets.SharedBodyDiscriminator(body, c["d_hidden"], q_out, aux_hidden=c["q_hidden"],
                                                              batchnorm=False)
        else:
            self.generator = nets.dcgan_generator_28(self.code_dim, width=c["g_width"], batchnorm=True, hidden=c["g_hidden"])
            features = c["d_hidden"] or 2 * c["d_width"] * 7 * 7
            self.discriminator = nets.SharedBodyDiscriminator(
                nets.dcgan_body_28(c["d_width"], batchnorm=True, hidden=c["d_hidden"]), features, q_out,
                aux_hidden=c["q_hidden"])
        self.optimizers["d"] = make_optimizer(self.discriminator.parameters(), c, lr=c["lr_d"])
        self.optimizers["g"] = make_optimizer(self.generator.parameters(), c, lr=c["lr_g"])

    # ------------------------------------------------------------------ latent variables
    def latent(self, n: int, generator: torch.Generator | None = None) -> dict:
        """Noise and codes for ``n`` samples: ``z``, ``c_index``, ``c_cont`` and the generator input ``code``."""
        c = self.cfg
        z = sample_prior(c["z_prior"], n, c["z_dim"], generator, self.device)
        c_index, c_onehot, c_cont = sample_codes(n, c["n_categories"], c["n_continuous"], generator, self.device)
        return {"z": z, "c_index": c_index, "c_cont": c_cont, "code": self.generator_input(z, c_onehot, c_cont)}

    @staticmethod
    def generator_input(z: torch.Tensor, c_onehot: torch.Tensor, c_cont: torch.Tensor) -> torch.Tensor:
        """G's input: the concatenation [z, one-hot c1, c2, c3, ...]."""
        return torch.cat([z, c_onehot, c_cont], 1)

    def split_q(self, q: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Q head's output -> (logits of c1, means of the continuous codes, their log-stds)."""
        k, m = self.cfg["n_categories"], self.cfg["n_continuous"]
        logits, mean = q[:, :k], q[:, k : k + m]
        log_std = torch.zeros_like(mean) if self.cfg["q_fixed_std"] else q[:, k + m : k + 2 * m]
        return logits, mean, log_std

    def info_loss(self, q: torch.Tensor, lat: dict) -> torch.Tensor:
        logits, mean, log_std = self.split_q(q)
        return losses.infogan_info_loss(logits, lat["c_index"], mean, log_std, lat["c_cont"],
                                        self.cfg["lambda_disc"], self.cfg["lambda_cont"])

    # ------------------------------------------------------------------ training
    def train_step(self, batch, step):
        self.train()
        x = batch
        n = x.shape[0]
        opt_d, opt_g = self.optimizers["d"], self.optimizers["g"]
        lat = self.latent(n)
        with torch.no_grad():
            fake = self.generator(lat["code"])
        real_logits, _ = self.discriminator.heads(x)
        fake_logits, q = self.discriminator.heads(fake)
        d_gan = losses.gan_d_loss(real_logits, fake_logits)
        info = self.info_loss(q, lat)
        opt_d.zero_grad(set_to_none=True)
        (d_gan + info).backward()
        opt_d.step()
        logits, mean, log_std = self.split_q(q.detach())
        logs = {"d_loss": d_gan.item(), "d_real": torch.sigmoid(real_logits).mean().item(),
                "d_fake": torch.sigmoid(fake_logits).mean().item(),
                "l_i": losses.info_lower_bound(logits, lat["c_index"]).item()}
        if self.cfg["n_continuous"]:
            # L_I of the continuous codes: E[log Q(c2, c3 | x)] + H(c2, c3), H(U(-1, 1)) = log 2 per code
            logs["l_i_cont"] = (losses.info_gaussian_loglik(mean, log_std, lat["c_cont"]).item()
                                + self.cfg["n_continuous"] * math.log(2.0))

        fake_logits, q = self.discriminator.heads(self.generator(lat["code"]))
        g_loss = losses.gan_g_loss(fake_logits, self.cfg["g_loss"])
        total = g_loss + self.info_loss(q, lat) if self.cfg["g_info"] else g_loss
        opt_g.zero_grad(set_to_none=True)
        total.backward()
        opt_g.step()
        logs["g_loss"] = g_loss.item()
        return logs

    # ------------------------------------------------------------------ using the model
    @torch.no_grad()
    def generate(self, z: torch.Tensor, c_index: torch.Tensor, c_cont: torch.Tensor) -> torch.Tensor:
        """G(z, c) for given noise and codes, in eval mode, on the CPU."""
        onehot = F.one_hot(c_index.long(), self.cfg["n_categories"]).float()
        with self.evaluating():
            return self.generator(self.generator_input(z, onehot, c_cont).to(self.device)).cpu()

    @torch.no_grad()
    def sample(self, n: int, generator: torch.Generator | None = None, batch_size: int = 1000) -> torch.Tensor:
        """``n`` samples with codes drawn from their priors (on the CPU), in eval mode."""
        with self.evaluating():
            out = [self.generator(self.latent(min(batch_size, n - i), generator)["code"]).cpu()
                   for i in range(0, n, batch_size)]
        return torch.cat(out)

    @torch.no_grad()
    def q_codes(self, x: torch.Tensor, batch_size: int = 1000) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Q(c | x) on images ``x`` in eval mode: (logits of c1, means and log-stds of the continuous codes)."""
        out = []
        with self.evaluating():
            for i in range(0, len(x), batch_size):
                out.append(self.discriminator.heads(x[i : i + batch_size].to(self.device))[1].cpu())
        return self.split_q(torch.cat(out))

    @torch.no_grad()
    def info_bound(self, n: int, generator: torch.Generator | None = None) -> dict:
        """L_I estimated on ``n`` fresh samples in eval mode: the categorical bound (at most log K)
        and the continuous one."""
        lat = self.latent(n, generator)
        with self.evaluating():
            x = self.generator(lat["code"])
        logits, mean, log_std = self.q_codes(x)
        out = {"l_i": losses.info_lower_bound(logits, lat["c_index"].cpu()).item(),
               "q_accuracy_on_samples": (logits.argmax(1) == lat["c_index"].cpu()).float().mean().item()}
        if self.cfg["n_continuous"]:
            out["l_i_cont"] = (losses.info_gaussian_loglik(mean, log_std, lat["c_cont"].cpu()).item()
                               + self.cfg["n_continuous"] * math.log(2.0))
        return out


def data_shape(cfg: dict) -> tuple:
    from ..data import shape_of

    return shape_of(cfg["dataset"])
