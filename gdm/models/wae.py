"""Wasserstein auto-encoders (Tolstikhin, Bousquet, Gelly and Schölkopf 2018).

The optimal-transport cost between the data P_X and the model P_G = G#P_Z, for a deterministic
decoder G, is an infimum over encoders Q(Z | X) whose *aggregate* Q_Z = E_X Q(Z | X) equals the
prior P_Z (the paper's Theorem 1). Relaxing the constraint with a penalty gives the WAE objective

    D_WAE(P_X, P_G) = inf_Q  E_X E_{Q(Z|X)} c(X, G(Z))  +  λ · D_Z(Q_Z, P_Z),

with c(x, y) = ‖x - y‖² and two choices of the divergence D_Z between the aggregate posterior and
the prior, one per algorithm of the paper (``regulariser``):

- ``mmd`` (Algorithm 2): the unbiased MMD² between codes z̃_i ~ Q(Z | x_i) and prior draws z_i,
  with the inverse multiquadratic kernel k(z, z') = C / (C + ‖z - z'‖²) (``gdm.kernels``). The
  paper's text sets C = 2 d_z σ_z² (the expected squared distance of two prior draws); the
  authors' code sums the kernel over C = 2 d_z σ_z² · s, s ∈ {.1, .2, .5, 1, 2, 5, 10}
  (``kernel_scales`` = ``single`` | ``multi``; config lists are int lists, so the scales are a
  fixed tuple here, not a parameter);
- ``gan`` (Algorithm 1): an adversary D on the latent space (the paper's MLP) ascends
  λ/n Σ [log D(z_i) + log(1 - D(z̃_i))], then the encoder and the decoder descend
  1/n Σ [c(x_i, G(z̃_i)) - λ log D(z̃_i)] (the GAN losses of ``gdm.losses``).

Unlike the VAE (``gdm.models.vae``), nothing pushes each Q(Z | x) towards the prior: only the
mixture Q_Z is matched. The encoder is deterministic (the paper's experiments) or Gaussian. The
nets are the VAE's, built by the same constructor (an MLP encoder and a mirrored MLP decoder, the
decoder's output through a sigmoid for images: the decoded mean G(z)); the WAE is a subclass of
:class:`~gdm.models.vae.VAE` that replaces its likelihood by the cost c and the KL by D_Z.
"""
from __future__ import annotations

import math

import torch

from .. import kernels, latent, losses, nets
from ..errors import ConfigError, UnknownNameError
from .base import Model, make_optimizer
from .vae import ARCHS, VAE

REGULARISERS = ("mmd", "gan")
ENCODERS = ("deterministic", "gaussian")
KERNEL_SCALES = ("multi", "single")
#: multiples s of the base scale C = 2 d_z σ_z² summed in the multi-scale IMQ kernel (the authors' code)
IMQ_MULTIPLES = (0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0)


class WAE(VAE):
    defaults = {
        "z_dim": 8,  # latent size d_z (the paper's MNIST: 8; CelebA: 64)
        "hidden": [256, 256],  # encoder MLP hidden widths, the decoder mirrors them (the paper: DCGAN-like convolutional nets)
        "act": "relu",  # hidden nonlinearity of the encoder and the decoder
        "arch": "mlp",  # encoder and decoder architecture (mlp)
        "regulariser": "mmd",  # D_Z(Q_Z, P_Z): mmd (WAE-MMD, Algorithm 2) | gan (WAE-GAN, Algorithm 1)
        "lam": 10.0,  # the penalty's weight λ (the paper's MNIST: 10)
        "encoder": "deterministic",  # Q(Z|X): deterministic (the paper's experiments) | gaussian (reparameterised)
        "prior_std": 1.0,  # σ_z of the prior P_Z = N(0, σ_z² I) (the paper's MNIST: σ_z² = 1)
        "kernel_scales": "multi",  # IMQ scales: multi (C = 2 d_z σ_z² × .1 ... 10, the authors' code) | single (C = 2 d_z σ_z², the paper's text)
        "cost_scale": 0.05,  # the cost is cost_scale · ‖x - G(z)‖² (the authors' code: 0.05; the paper's text: 1)
        "d_hidden": [512, 512, 512, 512],  # WAE-GAN's latent adversary, ReLU MLP widths (the paper: 4 × 512)
        "optimizer": "adam",  # adam (the paper, beta1 0.5) | sgd | rmsprop | adagrad
        "lr": 1e-3,  # encoder and decoder (the paper's MNIST: 1e-3)
        "lr_d": 5e-4,  # WAE-GAN's adversary (the paper's MNIST: 5e-4)
        "beta1": 0.5,  # adam (the paper: 0.5)
        "beta2": 0.999,  # adam
        "momentum": 0.9,  # sgd
    }

    @classmethod
    def check_config(cls, cfg):
        Model.check_config.__func__(cls, cfg)  # the VAE's checks are about its likelihood, which the WAE has not
        for key, allowed in (("arch", ARCHS), ("regulariser", REGULARISERS), ("encoder", ENCODERS),
                             ("kernel_scales", KERNEL_SCALES)):
            if cfg[key] not in allowed:
                raise UnknownNameError(f"WAE {key.replace('_', ' ')}", cfg[key], allowed)
        if cfg["act"] not in nets.ACTIVATIONS:
            raise UnknownNameError("activation", cfg["act"], nets.ACTIVATIONS)
        if cfg["lam"] < 0:
            raise ConfigError(f"lam (the penalty's weight λ) must be >= 0, got {cfg['lam']}")
        for key in ("prior_std", "cost_scale", "lr_d"):
            if cfg[key] <= 0:
                raise ConfigError(f"parameter {key!r} must be positive, got {cfg[key]}")
        if any(h < 1 for h in [*cfg["hidden"], *cfg["d_hidden"]]):
            raise ConfigError(f"hidden and d_hidden widths must be positive, got {cfg['hidden']}, {cfg['d_hidden']}")

    def __init__(self, cfg, shape):
        Model.__init__(self, cfg, shape)
        c = self.cfg
        self.d = math.prod(shape)
        self.image = len(shape) == 3
        # the attributes VAE.decode / decode_mean read: the decoder's output is the mean G(z) itself
        self.gaussian, self.learned_var = True, False
        self.stochastic = c["encoder"] == "gaussian"
        # the VAE's constructors and widths: encoder d -> hidden -> (1 or 2) d_z, decoder d_z -> reversed(hidden) -> d
        self.encoder = nets.mlp([self.d, *c["hidden"], (2 if self.stochastic else 1) * c["z_dim"]], c["act"])
        self.decoder = nets.mlp([c["z_dim"], *reversed(c["hidden"]), self.d], c["act"])
        self.optimizers["ae"] = make_optimizer(list(self.encoder.parameters()) + list(self.decoder.parameters()), c)
        self.adversary = None
        if c["regulariser"] == "gan":
            self.adversary = nets.discriminator("mlp", (c["z_dim"],), c["d_hidden"], "relu")
            self.optimizers["d"] = make_optimizer(self.adversary.parameters(), c, lr=c["lr_d"])

    # ------------------------------------------------------------------ the model
    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
        """``(mu, logvar)`` of Q(Z | x); ``logvar`` is None for the deterministic encoder (z = mu)."""
        h = self.encoder(self._flat(x))
        if not self.stochastic:
            return h, None
        mu, logvar = h.chunk(2, dim=-1)
        return mu, logvar

    def codes(self, x: torch.Tensor, generator: torch.Generator | None = None) -> torch.Tensor:
        """z̃ ~ Q(Z | x), with gradients: the encoder's output (deterministic) or a reparameterised draw."""
        mu, logvar = self.encode(x)
        return mu if logvar is None else latent.reparameterize(mu, logvar, generator)

    def decoder_params(self, z: torch.Tensor) -> tuple[torch.Tensor, None]:
        """G(z) on flat data: the decoder's output, through a sigmoid for images (no variance)."""
        h = self.decoder(z)
        return (torch.sigmoid(h) if self.image else h), None

    def prior(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """n draws of P_Z = N(0, σ_z² I), on the model's device."""
        return (torch.randn(n, self.cfg["z_dim"], generator=generator) * self.cfg["prior_std"]).to(self.device)

    def imq_scales(self) -> tuple[float, ...]:
        """The IMQ kernel's C values: 2 d_z σ_z² (``single``), times each of IMQ_MULTIPLES (``multi``)."""
        base = 2.0 * self.cfg["z_dim"] * self.cfg["prior_std"] ** 2
        return (base,) if self.cfg["kernel_scales"] == "single" else tuple(base * s for s in IMQ_MULTIPLES)

    # ------------------------------------------------------------------ the objective
    def cost(self, x: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        """c(x, G(z)) = cost_scale · ‖x - G(z)‖² per example (flattened)."""
        return self.cfg["cost_scale"] * (self._flat(x) - self.decoder_params(z)[0]).pow(2).sum(1)

    def mmd_penalty(self, z_q: torch.Tensor, z_p: torch.Tensor) -> torch.Tensor:
        """The unbiased MMD² between codes and prior draws with the model's IMQ kernel (Algorithm 2)."""
        return self.per_member(lambda p, q: kernels.mmd2(p, q, "imq", self.imq_scales(), unbiased=True), z_p, z_q)

    def adversary_loss(self, z_q: torch.Tensor, z_p: torch.Tensor) -> torch.Tensor:
        """What the adversary minimises (Algorithm 1): -λ/n Σ [log D(z_i) + log(1 - D(z̃_i))], the
        GAN discriminator loss with prior draws real and codes fake, times λ."""
        return self.cfg["lam"] * losses.gan_d_loss(self.adversary(z_p), self.adversary(z_q))

    def penalty(self, z_q: torch.Tensor, z_p: torch.Tensor) -> torch.Tensor:
        """D_Z as the encoder sees it: MMD² (Algorithm 2) or -1/n Σ log D(z̃_i) (Algorithm 1, the
        non-saturating GAN generator loss)."""
        if self.cfg["regulariser"] == "mmd":
            return self.mmd_penalty(z_q, z_p)
        return losses.gan_g_loss(self.adversary(z_q), "nonsaturating")

    def objective(self, x: torch.Tensor, z_q: torch.Tensor, z_p: torch.Tensor) -> tuple[torch.Tensor, dict]:
        """What the encoder and the decoder minimise: 1/n Σ c(x_i, G(z̃_i)) + λ · penalty."""
        cost = self.cost(x, z_q).mean()
        pen = self.penalty(z_q, z_p)
        return cost + self.cfg["lam"] * pen, {"cost": cost, "penalty": pen}

    # ------------------------------------------------------------------ the phases
    def adversary_phase(self, z_q: torch.Tensor, z_p: torch.Tensor) -> dict:
        """WAE-GAN: one ascent step of the adversary on the codes (detached) and the prior draws."""
        z_q = z_q.detach()
        loss = self.adversary_loss(z_q, z_p)
        self.descend("d", loss)
        with torch.no_grad():
            real, fake = torch.sigmoid(self.adversary(z_p)).mean().item(), torch.sigmoid(self.adversary(z_q)).mean().item()
        return {"d_loss": loss.item(), "d_real": real, "d_fake": fake}

    def autoencoder_phase(self, x: torch.Tensor, z_q: torch.Tensor, z_p: torch.Tensor) -> dict:
        """One descent step of the encoder and the decoder on the WAE objective."""
        loss, t = self.objective(x, z_q, z_p)
        self.descend("ae", loss)
        return {"loss": loss.item(), "recon": t["cost"].item() / self.cfg["cost_scale"], "penalty": t["penalty"].item()}

    def train_step(self, batch, step):
        """The paper's Algorithm 1 (gan) or 2 (mmd) on one mini-batch: sample x, z ~ P_Z and
        z̃ ~ Q(Z | x); WAE-GAN first updates the adversary; then the encoder and the decoder descend
        the objective. ``recon`` is logged as the plain mean ‖x - G(z̃)‖²."""
        self.train()
        x = batch.to(self.device)
        z_p = self.prior(x.shape[0])
        z_q = self.codes(x)
        logs = self.adversary_phase(z_q, z_p) if self.adversary is not None else {}
        logs.update(self.autoencoder_phase(x, z_q, z_p))
        return logs

    # ------------------------------------------------------------------ evaluation
    @torch.no_grad()
    def encode_codes(self, x: torch.Tensor, generator: torch.Generator | None = None, batch_size: int = 1000) -> torch.Tensor:
        """Samples of the aggregate posterior Q_Z: one z̃ ~ Q(Z | x) per example, on the CPU."""
        with self.evaluating():
            return torch.cat([self.codes(x[i : i + batch_size], generator).cpu() for i in range(0, len(x), batch_size)])

    @torch.no_grad()
    def latent_mmd(self, z_q: torch.Tensor, generator: torch.Generator | None = None) -> float:
        """The unbiased MMD² (the model's IMQ kernel) between codes ``z_q`` and as many prior draws."""
        z_p = torch.randn(z_q.shape, generator=generator) * self.cfg["prior_std"]
        return kernels.mmd2(z_p, z_q.cpu(), "imq", self.imq_scales(), unbiased=True).item()

    @torch.no_grad()
    def sample(self, n: int, generator: torch.Generator | None = None, batch_size: int = 1000) -> torch.Tensor:
        """``n`` decoded prior draws G(z), z ~ N(0, σ_z² I), on the CPU."""
        with self.evaluating():
            return torch.cat([self.decode_mean(self.prior(min(batch_size, n - i), generator)).cpu()
                              for i in range(0, n, batch_size)])

    def _no_likelihood(self, *args, **kwargs):
        raise TypeError("a WAE has a cost c(x, G(z)), not a likelihood p(x | z): no ELBO or importance weights")

    log_likelihood = loss_terms = loss = elbo = log_importance_weights = _no_likelihood
