"""GAN (Goodfellow et al. 2014).

Algorithm 1 of the paper: per training step, ``k`` discriminator updates (each on its own
mini-batch of data and noise) ascending V(D, G), then one generator update. The generator loss
is the paper's practical non-saturating one by default, or the minimax one.
With ``freeze_generator`` only the discriminator learns: Proposition 1's setting.

The authors' code (goodfeli/adversarial, ``AdversaryCost2``) differs from Algorithm 1 in two
ways, each an option: D's objective is ``0.5 (BCE_real + BCE_fake)`` (``d_objective="mean"``;
with plain SGD the sum steps twice as far), and D and G are updated *simultaneously*, from one
forward pass on the same samples, both gradients taken at the same parameters
(``updates="simultaneous"``, k = 1) - which is also f-GAN's Algorithm 1 (a single-step
gradient method on the saddle point). The defaults are Algorithm 1's alternating updates with
the summed objective.
"""
from __future__ import annotations

import torch

from .. import losses, nets
from ..errors import ConfigError, UnknownNameError
from .base import Model, make_optimizer, sample_prior


D_OBJECTIVES = ("sum", "mean")
UPDATES = ("alternating", "simultaneous")


class GAN(Model):
    defaults = {
        "z_dim": 100,  # latent size
        "z_prior": "uniform",  # uniform on [-1, 1] or normal
        "g_arch": "mlp",  # mlp | dcgan | affine
        "g_hidden": [1200, 1200],  # generator hidden widths (mlp)
        "g_batchnorm": False,
        "g_width": 64,  # dcgan generator channels (2x at 7x7, 1x at 14x14)
        "g_constant_width": False,  # dcgan generator: the same channels at 7x7 and 14x14
        "g_act": "relu",  # generator hidden nonlinearity (mlp, dcgan): relu | leaky_relu | tanh | elu
        "g_init_output_bias": False,  # mlp on images: output bias = logit of the mean pixel (the paper's code)
        "d_arch": "maxout",  # maxout | mlp | dcgan
        "d_hidden": [240, 240],  # discriminator hidden widths (maxout units or mlp widths)
        "d_pieces": 5,  # maxout pieces
        "d_dropout": 0.5,  # dropout after hidden layers
        "d_input_dropout": 0.2,  # dropout on the input
        "d_batchnorm": False,
        "d_width": 64,  # dcgan critic channels (1x at 14x14, 2x at 7x7)
        "d_act": "leaky_relu",  # discriminator hidden nonlinearity (mlp, dcgan): relu | leaky_relu | tanh | elu
        "g_loss": "nonsaturating",  # nonsaturating | minimax
        "k": 1,  # discriminator updates per generator update
        "d_objective": "sum",  # D's loss: sum = BCE_real + BCE_fake (-V, Algorithm 1) | mean = half of it (the authors' code)
        "updates": "alternating",  # alternating (Algorithm 1: D's k steps, then G's on fresh noise) | simultaneous (one pass, both steps; the authors' code, f-GAN's Algorithm 1)
        "freeze_generator": False,  # train D only (Proposition 1)
        "optimizer": "adam",  # adam | sgd | rmsprop
        "lr": 2e-4,
        "beta1": 0.5,  # adam
        "beta2": 0.999,  # adam
        "momentum": 0.5,  # sgd: initial momentum
        "momentum_final": 0.5,  # sgd: momentum reached after momentum_steps
        "momentum_steps": 1,  # sgd: steps of the linear momentum ramp
        "lr_decay": 1.0,  # lr is divided by this every step (the paper's exponential decay)
        "lr_min": 0.0,  # floor of the decayed lr
        "g_init_mean": 0.0,  # affine generator: initial mean
        "g_init_std": 1.0,  # affine generator: initial standard deviation
    }

    #: the generator losses this model's ``g_loss`` may name (variants set their own)
    g_losses = losses.G_LOSSES
    #: whether ``updates="simultaneous"`` is defined for this model (not for a clipped or penalised critic)
    simultaneous_updates = True

    @classmethod
    def check_config(cls, cfg):
        super().check_config(cfg)
        if cfg["g_loss"] not in cls.g_losses:
            raise UnknownNameError(f"{cls.__name__} generator loss", cfg["g_loss"], cls.g_losses)
        if not 0 <= cfg["d_dropout"] < 1 or not 0 <= cfg["d_input_dropout"] < 1:
            raise ConfigError("d_dropout and d_input_dropout must lie in [0, 1)")
        if cfg["lr_decay"] < 1.0:
            raise ConfigError(f"lr_decay divides the lr every step and must be >= 1, got {cfg['lr_decay']}")
        for key in ("g_act", "d_act"):
            if cfg[key] not in nets.ACTIVATIONS:
                raise UnknownNameError(key, cfg[key], nets.ACTIVATIONS)
        if cfg["d_objective"] not in D_OBJECTIVES:
            raise UnknownNameError("discriminator objective", cfg["d_objective"], D_OBJECTIVES)
        if cfg["updates"] not in UPDATES:
            raise UnknownNameError("update scheme", cfg["updates"], UPDATES)
        if cfg["updates"] == "simultaneous":
            if not cls.simultaneous_updates:
                raise ConfigError(f"{cls.__name__} alternates its critic's and generator's updates; "
                                  f"updates='simultaneous' is defined for GAN and f-GAN only")
            if cfg["k"] != 1 or cfg["freeze_generator"]:
                raise ConfigError("simultaneous updates take one step of each player on the same samples: "
                                  "set k = 1 and freeze_generator = False, or use updates='alternating'")

    def __init__(self, cfg, shape):
        super().__init__(cfg, shape)
        c = self.cfg
        self.generator = nets.generator(c["g_arch"], c["z_dim"], shape, c["g_hidden"], c["g_act"],
                                        batchnorm=c["g_batchnorm"], width=c["g_width"],
                                        constant_width=c["g_constant_width"])
        if c["g_arch"] == "affine":
            with torch.no_grad():
                self.generator.weight.fill_(0.0)
                self.generator.weight.diagonal().fill_(c["g_init_std"])
                self.generator.bias.fill_(c["g_init_mean"])
        self.discriminator = nets.discriminator(
            c["d_arch"], shape, c["d_hidden"], c["d_act"], pieces=c["d_pieces"], dropout=c["d_dropout"],
            input_dropout=c["d_input_dropout"], batchnorm=c["d_batchnorm"], width=c["d_width"],
        )
        self.optimizers["d"] = make_optimizer(self.discriminator.parameters(), c)
        if not c["freeze_generator"]:
            self.optimizers["g"] = make_optimizer(self.generator.parameters(), c)
        else:
            self.generator.requires_grad_(False)

    def init_from_data(self, x):
        """The paper's code sets the generator's output bias to the logit of the data's marginal
        pixel means, so that G starts at the mean image rather than at grey noise."""
        if self.cfg["g_init_output_bias"] and self.cfg["g_arch"] == "mlp" and len(self.shape) == 3:
            last = [m for m in self.generator.modules() if isinstance(m, torch.nn.Linear)][-1]
            with torch.no_grad():
                last.bias.copy_(torch.logit(x.float().mean(0).flatten().clamp(1e-3, 1 - 1e-3)))

    @property
    def batches_per_step(self) -> int:
        return self.cfg["k"]

    def noise(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        return sample_prior(self.cfg["z_prior"], n, self.cfg["z_dim"], generator, self.device)

    def d_loss(self, real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
        """The discriminator's loss on its outputs for real and generated data (variants override)."""
        return losses.gan_d_loss(real_logits, fake_logits)

    def g_loss(self, fake_logits: torch.Tensor) -> torch.Tensor:
        """The generator's loss on the discriminator's outputs for generated data (variants override)."""
        return losses.gan_g_loss(fake_logits, self.cfg["g_loss"])

    def _schedule(self, step: int) -> None:
        """The paper's SGD schedule: lr decayed every step, momentum ramped linearly."""
        c = self.cfg
        lr = max(c["lr"] / c["lr_decay"] ** step, c["lr_min"])
        ramp = min(step / c["momentum_steps"], 1.0)
        momentum = c["momentum"] + ramp * (c["momentum_final"] - c["momentum"])
        for opt in self.optimizers.values():
            for group in opt.param_groups:
                group["lr"] = lr
                if c["optimizer"] == "sgd":
                    group["momentum"] = momentum

    def discriminator_loss(self, x: torch.Tensor, fake: torch.Tensor) -> tuple[torch.Tensor, dict]:
        """The loss of one discriminator update on real ``x`` and generated ``fake``, and its logs
        (variants with terms beyond ``d_loss``, e.g. a gradient penalty, override this)."""
        real_logits, fake_logits = self.discriminator(x), self.discriminator(fake)
        loss = self.d_loss(real_logits, fake_logits)
        return loss, {"d_loss": loss.item(), "d_real": torch.sigmoid(real_logits).mean().item(),
                      "d_fake": torch.sigmoid(fake_logits).mean().item()}

    def after_d_step(self) -> None:
        """Called after every discriminator update (WGAN clips the critic's weights here)."""

    @property
    def d_weight(self) -> float:
        """The factor on D's loss: 1 (Algorithm 1's -V) or 0.5 (the authors' 0.5 (BCE_real + BCE_fake))."""
        return 0.5 if self.cfg["d_objective"] == "mean" else 1.0

    def simultaneous_step(self, x: torch.Tensor) -> dict:
        """One forward pass on real ``x`` and one batch of samples; D's gradient of its loss and G's
        of its own, both at the current parameters, then both steps (the authors' code: the same
        samples and dropout masks serve both objectives)."""
        fake = self.generator(self.noise(x.shape[0]))
        real_logits, fake_logits = self.discriminator(x), self.discriminator(fake)
        d_loss = self.d_weight * self.d_loss(real_logits, fake_logits)
        g_loss = self.g_loss(fake_logits)
        d_params = [p for p in self.discriminator.parameters() if p.requires_grad]
        g_params = [p for p in self.generator.parameters() if p.requires_grad]
        d_grads = torch.autograd.grad(d_loss, d_params, retain_graph=True)
        g_grads = torch.autograd.grad(g_loss, g_params)
        for p, g in zip(d_params, d_grads):
            p.grad = g
        for p, g in zip(g_params, g_grads):
            p.grad = g
        self.optimizers["d"].step()
        self.optimizers["g"].step()
        return {"d_loss": d_loss.item(), "d_real": torch.sigmoid(real_logits).mean().item(),
                "d_fake": torch.sigmoid(fake_logits).mean().item(), "g_loss": g_loss.item()}

    def train_step(self, batch, step):
        self.train()
        self._schedule(step)
        if self.cfg["updates"] == "simultaneous":
            return self.simultaneous_step(batch)
        opt_d = self.optimizers["d"]
        for x in batch.chunk(self.batches_at(step)):
            with torch.no_grad():
                fake = self.generator(self.noise(x.shape[0]))
            d_loss, logs = self.discriminator_loss(x, fake)
            if self.d_weight != 1.0:
                d_loss = self.d_weight * d_loss
                logs["d_loss"] = d_loss.item()
            opt_d.zero_grad(set_to_none=True)
            d_loss.backward()
            opt_d.step()
            self.after_d_step()
        if self.cfg["freeze_generator"]:
            return logs
        fake_logits = self.discriminator(self.generator(self.noise(x.shape[0])))
        g_loss = self.g_loss(fake_logits)
        self.optimizers["g"].zero_grad(set_to_none=True)
        g_loss.backward()
        self.optimizers["g"].step()
        logs["g_loss"] = g_loss.item()
        return logs

    @torch.no_grad()
    def sample(self, n: int, generator: torch.Generator | None = None, batch_size: int = 1000) -> torch.Tensor:
        """``n`` samples (on the CPU), generated in eval mode."""
        with self.evaluating():
            out = [self.generator(self.noise(min(batch_size, n - i), generator)).cpu() for i in range(0, n, batch_size)]
        return torch.cat(out)

    @torch.no_grad()
    def d_prob(self, x: torch.Tensor) -> torch.Tensor:
        """D(x) = sigmoid(logit), in eval mode (no dropout), on the CPU."""
        return torch.sigmoid(self.d_logits(x))

    @torch.no_grad()
    def d_logits(self, x: torch.Tensor, batch_size: int = 1000) -> torch.Tensor:
        """The discriminator's (critic's) raw outputs, in eval mode (no dropout), on the CPU."""
        with self.evaluating():
            return torch.cat([self.discriminator(x[i : i + batch_size].to(self.device)).cpu()
                              for i in range(0, len(x), batch_size)])
