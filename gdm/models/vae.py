"""The variational auto-encoder: AEVB (Kingma & Welling 2014).

A Gaussian encoder ``q(z | x) = N(mu(x), diag(exp(logvar(x))))``, a standard normal prior and a
decoder ``p(x | z)``, Bernoulli (logits) or Gaussian (a mean and a per-pixel log-variance, the
paper's Appendix C), trained by maximising the lower bound (the paper's eq. 10, with L = 1)

    ELBO(x) = E_q[log p(x | z)] - KL(q(z | x) || p(z))

estimated with one reparameterised sample ``z = mu + exp(logvar / 2) eps`` and the analytic KL
(``gdm.latent``). The loss is ``recon + beta * kl`` averaged over the batch, with
``recon = -log p(x | z)``; ``beta = 1`` is the VAE, ``beta > 1`` the β-VAE (Higgins et al. 2017).
Data of any per-example shape are flattened inside; nets are MLPs (the paper's: one hidden
layer, tanh). One training step is one update on one mini-batch.
"""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from .. import latent, nets
from ..errors import ConfigError, UnknownNameError
from .base import Model, make_optimizer

ARCHS = ("mlp",)
DECODERS = ("bernoulli", "gaussian")
DECODER_VARS = ("learned", "fixed")
BINARIZE = ("none", "dynamic")


class VAE(Model):
    defaults = {
        "z_dim": 20,  # latent size (the paper's Figure 2: 3, 5, 10, 20, 200)
        "hidden": [500],  # encoder MLP hidden widths, the decoder mirrors them (the paper's MNIST: one layer of 500)
        "act": "tanh",  # hidden nonlinearity (the paper: tanh)
        "arch": "mlp",  # encoder and decoder architecture (mlp)
        "decoder": "bernoulli",  # p(x|z): bernoulli (logits) | gaussian (mean, sigmoid for images)
        "decoder_var": "learned",  # gaussian decoder variance: learned (a per-pixel output of the decoder, the paper) | fixed
        "decoder_std": 0.1,  # the gaussian decoder's standard deviation when fixed
        "decoder_min_std": 0.01,  # floor of the learned standard deviation (a softplus floor; 0 switches it off)
        "binarize": "none",  # training data: none (grey levels) | dynamic (a fresh Bernoulli sample of each batch)
        "beta": 1.0,  # weight of the KL term (1: the VAE; > 1: the beta-VAE)
        "optimizer": "adagrad",  # adagrad (the paper) | adam | sgd | rmsprop
        "lr": 0.02,  # the paper chose from {0.01, 0.02, 0.1}
        "beta1": 0.9,  # adam
        "beta2": 0.999,  # adam
        "momentum": 0.9,  # sgd
    }

    @classmethod
    def check_config(cls, cfg):
        super().check_config(cfg)
        from ..data import TOYS

        for key, allowed in (("arch", ARCHS), ("decoder", DECODERS), ("decoder_var", DECODER_VARS),
                             ("binarize", BINARIZE)):
            if cfg[key] not in allowed:
                raise UnknownNameError(f"VAE {key.replace('_', ' ')}", cfg[key], allowed)
        if cfg["act"] not in nets.ACTIVATIONS:
            raise UnknownNameError("activation", cfg["act"], nets.ACTIVATIONS)
        if cfg["beta"] < 0:
            raise ConfigError(f"beta (the KL weight) must be >= 0, got {cfg['beta']}")
        if cfg["decoder_std"] <= 0 or cfg["decoder_min_std"] < 0:
            raise ConfigError("decoder_std must be positive and decoder_min_std non-negative")
        if any(h < 1 for h in cfg["hidden"]):
            raise ConfigError(f"hidden widths must be positive, got {cfg['hidden']}")
        if cfg.get("dataset") in TOYS and (cfg["decoder"] == "bernoulli" or cfg["binarize"] != "none"):
            raise ConfigError(f"data set {cfg['dataset']!r} is real-valued: use decoder='gaussian' and binarize='none' "
                              f"(the Bernoulli decoder is for data in [0, 1])")

    def __init__(self, cfg, shape):
        super().__init__(cfg, shape)
        c = self.cfg
        self.d = math.prod(shape)
        self.image = len(shape) == 3
        self.gaussian = c["decoder"] == "gaussian"
        self.learned_var = self.gaussian and c["decoder_var"] == "learned"
        out = 2 * self.d if self.learned_var else self.d
        self.encoder = nets.mlp([self.d, *c["hidden"], 2 * c["z_dim"]], c["act"])
        self.decoder = nets.mlp([c["z_dim"], *reversed(c["hidden"]), out], c["act"])
        self.optimizers["vae"] = make_optimizer(self.parameters(), c)

    # ------------------------------------------------------------------ the model
    def _flat(self, x: torch.Tensor) -> torch.Tensor:
        return x.reshape(x.shape[0], -1).to(self.device)

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """``(mu, logvar)`` of q(z | x), each ``(N, z_dim)``."""
        mu, logvar = self.encoder(self._flat(x)).chunk(2, dim=-1)
        return mu, logvar

    def decoder_params(self, z: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
        """The decoder's distribution on flat data ``(..., D)`` for latents ``(..., z_dim)``:
        ``(logits, None)`` (Bernoulli) or ``(mean, logvar)`` (Gaussian; the mean through a sigmoid
        for images, as the paper's Frey Face decoder; logvar learned or fixed)."""
        h = self.decoder(z)
        if not self.gaussian:
            return h, None
        if self.learned_var:
            mean, raw = h.chunk(2, dim=-1)
            floor = self.cfg["decoder_min_std"]
            logvar = (2 * math.log(floor) + F.softplus(raw - 2 * math.log(floor))) if floor > 0 else raw
        else:
            mean = h
            logvar = torch.full_like(mean, 2 * math.log(self.cfg["decoder_std"]))
        return (torch.sigmoid(mean) if self.image else mean), logvar

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """The decoder's raw output shaped like the data: logits (Bernoulli) or the mean (Gaussian)."""
        return self.decoder_params(z.to(self.device))[0].reshape(z.shape[0], *self.shape)

    def decode_mean(self, z: torch.Tensor) -> torch.Tensor:
        """E[x | z] shaped like the data: sigmoid(logits) (Bernoulli) or the Gaussian mean."""
        out = self.decoder_params(z.to(self.device))[0]
        return (out if self.gaussian else torch.sigmoid(out)).reshape(z.shape[0], *self.shape)

    def log_likelihood(self, x: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        """log p(x | z) per sample: ``x`` (B, *shape), ``z`` (B, z_dim) or (k, B, z_dim) -> (B,) or (k, B)."""
        xf = self._flat(x)
        p, logvar = self.decoder_params(z)
        if self.gaussian:
            return latent.log_normal(xf, p, logvar)
        return latent.bernoulli_log_likelihood(p, xf)

    def loss_terms(self, x: torch.Tensor, generator: torch.Generator | None = None) -> dict[str, torch.Tensor]:
        """Per-sample terms of the negative bound with one reparameterised ``z``: ``recon`` =
        -log p(x | z), ``kl`` = KL(q(z | x) || N(0, I)) (analytic), and ``z``, ``mu``, ``logvar``
        (for models that put another penalty on the codes)."""
        mu, logvar = self.encode(x)
        z = latent.reparameterize(mu, logvar, generator)
        return {"recon": -self.log_likelihood(x, z), "kl": latent.gaussian_kl(mu, logvar), "z": z, "mu": mu,
                "logvar": logvar}

    def loss(self, x: torch.Tensor) -> tuple[torch.Tensor, dict]:
        """The training loss ``mean(recon + beta * kl)`` and the terms."""
        t = self.loss_terms(x)
        return (t["recon"] + self.cfg["beta"] * t["kl"]).mean(), t

    def prepare(self, x: torch.Tensor) -> torch.Tensor:
        """The training batch as the decoder models it (dynamically binarised when configured)."""
        return latent.binarize(x) if self.cfg["binarize"] == "dynamic" else x

    def train_step(self, batch, step):
        self.train()
        x = self.prepare(batch)
        loss, t = self.loss(x)
        self.descend("vae", loss)
        recon, kl = t["recon"].mean().item(), t["kl"].mean().item()
        return {"loss": loss.item(), "recon": recon, "kl": kl, "elbo": -(recon + kl)}

    # ------------------------------------------------------------------ evaluation
    @torch.no_grad()
    def elbo(self, x: torch.Tensor, generator: torch.Generator | None = None, batch_size: int = 500) -> torch.Tensor:
        """The bound (beta = 1, one sample of z) per example, on the CPU, in nats."""
        with self.evaluating():
            out = []
            for i in range(0, x.shape[0], batch_size):
                t = self.loss_terms(x[i : i + batch_size], generator)
                out.append(-(t["recon"] + t["kl"]).cpu())
            return torch.cat(out)

    @torch.no_grad()
    def log_importance_weights(self, x: torch.Tensor, k: int, generator: torch.Generator | None = None,
                               max_elements: int = 4_000_000) -> torch.Tensor:
        """``(k, B)`` log-weights log p(x, z_i) - log q(z_i | x) with z_i ~ q(z | x), for
        ``gdm.metrics.importance_weighted_ll`` (its logsumexp over k minus log k is the IWAE
        bound; k = 1 is the ELBO). The k samples are decoded in chunks of at most
        ``max_elements`` decoder outputs."""
        with self.evaluating():
            mu, logvar = self.encode(x)
            chunk = max(1, max_elements // (x.shape[0] * self.d * (2 if self.learned_var else 1)))
            out = []
            for i in range(0, k, chunk):
                n = min(chunk, k - i)
                z = latent.reparameterize(mu.expand(n, *mu.shape), logvar.expand(n, *logvar.shape), generator)
                out.append(self.log_likelihood(x, z) + latent.log_standard_normal(z) - latent.log_normal(z, mu, logvar))
            return torch.cat(out).cpu()

    @torch.no_grad()
    def estimators(self, x: torch.Tensor, n: int, generator: torch.Generator | None = None) -> dict[str, torch.Tensor]:
        """The paper's two single-sample estimators of the bound at the same ``n`` reparameterised
        draws per example: ``generic`` (its eq. 7, log p(x, z) − log q(z | x)) and ``analytic`` (eq. 10,
        log p(x | z) − KL with the KL in closed form), each ``(n, B)``; and the KL's Monte Carlo terms
        ``log_ratio`` = log q(z | x) − log p(z) ``(n, B)`` beside the closed form ``kl`` ``(B,)``."""
        with self.evaluating():
            mu, logvar = self.encode(x)
            z = latent.reparameterize(mu.expand(n, *mu.shape), logvar.expand(n, *logvar.shape), generator)
            log_ratio = latent.log_normal(z, mu, logvar) - latent.log_standard_normal(z)
            loglik, kl = self.log_likelihood(x, z), latent.gaussian_kl(mu, logvar)
            return {"generic": (loglik - log_ratio).cpu(), "analytic": (loglik - kl).cpu(), "log_ratio": log_ratio.cpu(),
                    "kl": kl.cpu()}

    @torch.no_grad()
    def active_units(self, x: torch.Tensor, threshold: float = 0.01) -> dict:
        """Burda et al. 2016's activity of each latent unit: the variance over the examples ``x`` of its
        posterior mean E_q[z_j]; ``variance`` per unit and ``active``, how many exceed ``threshold``."""
        with self.evaluating():
            var = self.encode(x)[0].var(0).cpu()
        return {"variance": var.tolist(), "active": int((var > threshold).sum())}

    @torch.no_grad()
    def reconstruct(self, x: torch.Tensor) -> torch.Tensor:
        """E[x | z = mu(x)]: the decoded mean of the encoder's mean, on the CPU."""
        with self.evaluating():
            return self.decode_mean(self.encode(x)[0]).cpu()

    @torch.no_grad()
    def sample(self, n: int, generator: torch.Generator | None = None, batch_size: int = 1000) -> torch.Tensor:
        """``n`` decoded means E[x | z] of prior draws z ~ N(0, I) (images in [0, 1]), on the CPU."""
        with self.evaluating():
            out = []
            for i in range(0, n, batch_size):
                z = torch.randn(min(batch_size, n - i), self.cfg["z_dim"], generator=generator)
                out.append(self.decode_mean(z).cpu())
            return torch.cat(out)


def bound_callback(points: dict, every: int, seed: int = 0):
    """A training callback (``gdm.runs.load_or_train(callbacks=...)``): every ``every`` steps, the
    mean ELBO (one z per example, drawn from a generator seeded by ``seed``, so training's random
    numbers are untouched) on each fixed set of ``points`` (name -> data), as events
    ``{"elbo_<name>": value}``: the paper's Figure 2 curves, train and test."""
    def callback(step, model, logs):
        if (step + 1) % every == 0:
            return {f"elbo_{name}": model.elbo(x, torch.Generator().manual_seed(seed)).mean().item()
                    for name, x in points.items()}
        return None
    return callback


def codes_callback(x: torch.Tensor, steps: int):
    """A training callback that records, after the last of ``steps`` updates, what the encoder keeps
    of the fixed examples ``x``: per latent unit the KL of q(z_j | x) to the prior averaged over the
    examples (``kl_units``) and the variance over them of its posterior mean (``mean_variance``, Burda
    et al. 2016's activity), as the event ``{"codes": ...}``: a run's Figure 2 row read from its history,
    so that the store need not keep its nets."""
    def callback(step, model, logs):
        if step + 1 == steps:
            with torch.no_grad(), model.evaluating():
                mu, logvar = (t.cpu().double() for t in model.encode(x))
            kl = 0.5 * (mu ** 2 + logvar.exp() - 1 - logvar)
            return {"codes": {"kl_units": kl.mean(0).tolist(), "mean_variance": mu.var(0).tolist()}}
        return None
    return callback

