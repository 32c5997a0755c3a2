"""Adversarial auto-encoder (Makhzani, Shlens, Jaitly, Goodfellow and Frey 2015).

An auto-encoder whose *aggregated posterior* q(z) = E_x q(z | x) is matched to a prior p(z) by a
GAN on codes: a discriminator D tells prior samples from codes of the data, and the encoder is
the GAN's generator. One training step is the paper's two phases on one mini-batch:

1. reconstruction: encoder and decoder minimise the reconstruction error of x;
2. regularisation: D minimises the GAN loss with p(z) real and q(z | x) fake (``losses.gan_d_loss``),
   then the encoder minimises the generator's loss on its codes (``losses.gan_g_loss``).

The variants are deltas of the same nets (``mode``):

- ``basic``: z = q(x); the prior on z is ``gaussian`` (N(0, prior_std² I)), or, in 2-D, the
  ten-component radial ``mixture10`` or the ``swissroll`` of ``gdm.data.latent_prior``;
- ``supervised``: the one-hot label is a second input of the decoder, so z only has to carry
  the style (the paper's Section 4); batches carry labels;
- ``semi_supervised``: the encoder has a softmax head y ~ q(y | x) besides the style z; the
  decoder reads (y, z); two adversaries match y to Cat(10) and z to the Gaussian; a third phase
  minimises the cross-entropy of q(y | x) on a mini-batch of the ``n_labels`` labelled training
  examples (Section 5). The loop's batches are images only: the labelled subset is drawn once
  (``gdm.data.labelled_subset``, the labels of the other examples are never read) and kept in the
  model's state;
- ``clustering``: as ``semi_supervised`` with ``n_clusters`` categories and no labels at all
  (Section 6); a cluster is the argmax of q(y | x).
"""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from .. import data, losses, nets
from ..errors import ConfigError, UnknownNameError
from .base import Model, make_optimizer

MODES = ("basic", "supervised", "semi_supervised", "clustering")
PRIORS = ("gaussian", "mixture10", "swissroll")
N_CLASSES = 10


class AAE(Model):
    defaults = {
        "mode": "basic",  # basic | supervised | semi_supervised | clustering
        "prior": "gaussian",  # prior on z: gaussian | mixture10 | swissroll (2-D, basic and supervised)
        "prior_std": 1.0,  # standard deviation of the gaussian prior (the paper's likelihood model: 5)
        "z_dim": 2,  # code (style) size
        "hidden": [1000, 1000],  # encoder hidden widths; the decoder mirrors them (the paper: 1000-1000)
        "d_hidden": [1000, 1000],  # hidden widths of each code discriminator (the paper: 1000-1000)
        "act": "relu",  # hidden nonlinearity of every net: relu | leaky_relu | tanh | elu
        "batchnorm": False,  # batch norm after the encoder's and the decoder's hidden layers (not the paper's)
        "recon": "mse",  # reconstruction loss: mse (the paper's Euclidean cost) | bce
        "g_loss": "nonsaturating",  # the encoder's generator loss: nonsaturating | minimax
        "n_labels": 100,  # semi_supervised: labelled training examples
        "label_batch": 100,  # semi_supervised: mini-batch of the classification phase (drawn from the labelled ones)
        "n_clusters": 16,  # clustering: categories of q(y | x)
        "optimizer": "adam",  # adam | sgd | rmsprop (the paper: SGD with momentum)
        "lr": 1e-3,  # reconstruction and classification phases
        "lr_reg": 1e-3,  # regularisation phase (discriminators and the encoder as generator)
        "beta1": 0.5,  # adam
        "beta2": 0.999,  # adam
        "momentum": 0.9,  # sgd
    }

    @classmethod
    def check_config(cls, cfg):
        super().check_config(cfg)
        if cfg["mode"] not in MODES:
            raise UnknownNameError("AAE mode", cfg["mode"], MODES)
        if cfg["prior"] not in PRIORS:
            raise UnknownNameError("AAE prior", cfg["prior"], PRIORS)
        if cfg["recon"] not in losses.RECONSTRUCTION_LOSSES:
            raise UnknownNameError("reconstruction loss", cfg["recon"], losses.RECONSTRUCTION_LOSSES)
        if cfg["g_loss"] not in losses.G_LOSSES:
            raise UnknownNameError("AAE generator loss", cfg["g_loss"], losses.G_LOSSES)
        if cfg["act"] not in nets.ACTIVATIONS:
            raise UnknownNameError("act", cfg["act"], nets.ACTIVATIONS)
        if cfg["prior"] != "gaussian":
            if cfg["z_dim"] != 2:
                raise ConfigError(f"prior {cfg['prior']!r} is 2-D: set z_dim = 2 (got {cfg['z_dim']})")
            if cfg["mode"] in ("semi_supervised", "clustering"):
                raise ConfigError(f"mode {cfg['mode']!r} puts a gaussian prior on the style z; got prior {cfg['prior']!r}")
        for key in ("prior_std", "lr_reg"):
            if cfg[key] <= 0:
                raise ConfigError(f"parameter {key!r} must be positive, got {cfg[key]}")
        if cfg["n_clusters"] < 2:
            raise ConfigError(f"n_clusters must be at least 2, got {cfg['n_clusters']}")
        if cfg["n_labels"] < 1 or cfg["label_batch"] < 1:
            raise ConfigError("n_labels and label_batch must be at least 1")
        if cfg["mode"] in ("supervised", "semi_supervised") and cfg["dataset"] not in data.IMAGE_SETS:
            raise ConfigError(f"mode {cfg['mode']!r} needs labelled data ({', '.join(data.IMAGE_SETS)}), "
                              f"got {cfg['dataset']!r}")

    def __init__(self, cfg, shape):
        super().__init__(cfg, shape)
        c = self.cfg
        self.mode = c["mode"]
        d = math.prod(shape)
        image = len(shape) == 3
        #: categories the encoder outputs (q(y | x)) and the decoder reads (y one-hot or softmax)
        self.n_y_enc = {"basic": 0, "supervised": 0, "semi_supervised": N_CLASSES, "clustering": c["n_clusters"]}[self.mode]
        self.n_y_dec = {"basic": 0, "supervised": N_CLASSES, "semi_supervised": N_CLASSES,
                        "clustering": c["n_clusters"]}[self.mode]
        bn = c["batchnorm"]
        self.encoder = torch.nn.Sequential(nets.Flatten(), nets.mlp([d, *c["hidden"], self.n_y_enc + c["z_dim"]], c["act"],
                                                                    batchnorm=bn))
        dec = nets.mlp([self.n_y_dec + c["z_dim"], *reversed(c["hidden"]), d], c["act"], "sigmoid" if image else None,
                       batchnorm=bn)
        self.decoder = torch.nn.Sequential(dec, nets.Reshape(*shape))
        self.d_z = nets.discriminator("mlp", (c["z_dim"],), c["d_hidden"], c["act"])
        self.d_y = nets.discriminator("mlp", (self.n_y_enc,), c["d_hidden"], c["act"]) if self.n_y_enc else None
        discriminators = list(self.d_z.parameters()) + (list(self.d_y.parameters()) if self.d_y is not None else [])
        self.optimizers["ae"] = make_optimizer(list(self.encoder.parameters()) + list(self.decoder.parameters()), c)
        self.optimizers["d"] = make_optimizer(discriminators, c, lr=c["lr_reg"])
        self.optimizers["g"] = make_optimizer(self.encoder.parameters(), c, lr=c["lr_reg"])
        if self.mode == "semi_supervised":
            self.optimizers["cls"] = make_optimizer(self.encoder.parameters(), c)
            self.register_buffer("labelled_x", torch.zeros(c["n_labels"], *shape))
            self.register_buffer("labelled_y", torch.zeros(c["n_labels"], dtype=torch.int64))
            self.register_buffer("labelled_idx", torch.full((c["n_labels"],), -1, dtype=torch.int64))
        self._prior2d = data.latent_prior(c["prior"]) if c["prior"] != "gaussian" else None

    @property
    def needs_labels(self) -> bool:
        """Only the supervised AAE reads the labels of its mini-batches."""
        return self.mode == "supervised"

    def init_from_data(self, x):
        """Semi-supervised: draw the labelled subset once (``n_labels`` examples, seeded by the run's seed)."""
        if self.mode == "semi_supervised":
            lx, ly, idx = data.labelled_subset(self.cfg["dataset"], self.cfg["n_labels"], self.cfg["seed"])
            self.labelled_x.copy_(lx)
            self.labelled_y.copy_(ly)
            self.labelled_idx.copy_(idx)

    # ------------------------------------------------------------------ the prior
    def prior_z(self, n: int, generator: torch.Generator | None = None, labels=None) -> torch.Tensor:
        """Samples of p(z); the 2-D priors take optional ``labels`` (component or segment per sample)."""
        if self._prior2d is not None:
            return self._prior2d.sample(n, generator, labels).to(self.device)
        return (torch.randn(n, self.cfg["z_dim"], generator=generator) * self.cfg["prior_std"]).to(self.device)

    def prior_y(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """One-hot samples of the uniform categorical p(y) over the encoder's categories."""
        k = torch.randint(self.n_y_enc, (n,), generator=generator)
        return F.one_hot(k, self.n_y_enc).float().to(self.device)

    # ------------------------------------------------------------------ nets
    def codes(self, x: torch.Tensor) -> tuple[torch.Tensor | None, torch.Tensor]:
        """(logits of q(y | x) or None, z = q(x)), with gradients."""
        h = self.encoder(x)
        return (h[:, : self.n_y_enc] if self.n_y_enc else None), h[:, self.n_y_enc :]

    def _y_input(self, y) -> torch.Tensor | None:
        if y is None or not self.n_y_dec:
            return None
        if y.dim() == 1:  # class indices
            return F.one_hot(y.long(), self.n_y_dec).float()
        return y

    def decode(self, z: torch.Tensor, y=None) -> torch.Tensor:
        """The decoder's output for codes ``z`` and, where the decoder reads one, ``y``
        (class indices or a (N, K) one-hot / probability vector)."""
        if self.n_y_dec:
            if y is None:
                raise ValueError(f"the {self.mode} AAE's decoder needs y (a class per code)")
            z = torch.cat([self._y_input(y).to(z.device), z], 1)
        return self.decoder(z)

    # ------------------------------------------------------------------ the phases
    def reconstruction_phase(self, x: torch.Tensor, y: torch.Tensor | None = None) -> dict:
        """Encoder and decoder minimise the reconstruction error; the decoder reads the true label
        (supervised) or the encoder's softmax q(y | x) (semi-supervised, clustering)."""
        y_logits, z = self.codes(x)
        y_in = y if self.mode == "supervised" else (y_logits.softmax(1) if y_logits is not None else None)
        loss = losses.reconstruction_error(x, self.decode(z, y_in), self.cfg["recon"])
        self.descend("ae", loss)
        return {"recon": loss.item()}

    def discriminator_loss(self, x: torch.Tensor) -> tuple[torch.Tensor, dict]:
        """The code discriminators' GAN loss: prior samples real, the data's codes fake."""
        with torch.no_grad():
            y_logits, z = self.codes(x)
        real, fake = self.d_z(self.prior_z(x.shape[0])), self.d_z(z)
        loss = losses.gan_d_loss(real, fake)
        logs = {"d_z": loss.item(), "d_z_real": torch.sigmoid(real).mean().item(), "d_z_fake": torch.sigmoid(fake).mean().item()}
        if self.d_y is not None:
            loss_y = losses.gan_d_loss(self.d_y(self.prior_y(x.shape[0])), self.d_y(y_logits.softmax(1)))
            logs["d_y"] = loss_y.item()
            loss = loss + loss_y
        return loss, logs

    def generator_loss(self, x: torch.Tensor) -> tuple[torch.Tensor, dict]:
        """The encoder, as the generator of codes, minimises the GAN generator loss on its codes."""
        y_logits, z = self.codes(x)
        loss = losses.gan_g_loss(self.d_z(z), self.cfg["g_loss"])
        logs = {"g_z": loss.item()}
        if self.d_y is not None:
            loss_y = losses.gan_g_loss(self.d_y(y_logits.softmax(1)), self.cfg["g_loss"])
            logs["g_y"] = loss_y.item()
            loss = loss + loss_y
        return loss, logs

    def discriminator_phase(self, x: torch.Tensor) -> dict:
        loss, logs = self.discriminator_loss(x)
        self.descend("d", loss)
        return logs

    def generator_phase(self, x: torch.Tensor) -> dict:
        loss, logs = self.generator_loss(x)
        self.descend("g", loss)
        return logs

    def label_batch(self, step: int) -> tuple[torch.Tensor, torch.Tensor]:
        """The classification phase's mini-batch at ``step``: ``label_batch`` of the labelled examples,
        drawn with replacement as a function of (seed, step) (so a resumed run draws the same)."""
        if int(self.labelled_idx.min()) < 0:
            raise RuntimeError("the labelled subset is not drawn yet: call init_from_data (load_or_train does)")
        g = torch.Generator().manual_seed(data._mix(self.cfg["seed"], step, 0x5E41))
        i = torch.randint(self.cfg["n_labels"], (self.cfg["label_batch"],), generator=g).to(self.labelled_y.device)
        return self.labelled_x[i], self.labelled_y[i]

    def classification_phase(self, step: int) -> dict:
        """Semi-supervised: the encoder's q(y | x) minimises the cross-entropy on labelled examples."""
        x, y = self.label_batch(step)
        loss = F.cross_entropy(self.codes(x)[0], y)
        self.descend("cls", loss)
        return {"cls": loss.item()}

    def train_step(self, batch, step):
        self.train()
        x, y = batch if self.needs_labels else (batch, None)
        logs = self.reconstruction_phase(x, y)
        logs.update(self.discriminator_phase(x))
        logs.update(self.generator_phase(x))
        if self.mode == "semi_supervised":
            logs.update(self.classification_phase(step))
        return logs

    # ------------------------------------------------------------------ inference
    @torch.no_grad()
    def _batched(self, fn, x: torch.Tensor, batch_size: int = 1000) -> torch.Tensor:
        with self.evaluating():
            return torch.cat([fn(x[i : i + batch_size].to(self.device)).cpu() for i in range(0, len(x), batch_size)])

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """The codes z = q(x) (the style, in the modes with a y head), on the CPU."""
        return self._batched(lambda b: self.codes(b)[1], x)

    def class_probabilities(self, x: torch.Tensor) -> torch.Tensor:
        """q(y | x), (N, K): semi-supervised and clustering modes."""
        if not self.n_y_enc:
            raise TypeError(f"the {self.mode} AAE has no q(y | x) head")
        return self._batched(lambda b: self.codes(b)[0].softmax(1), x)

    def classify(self, x: torch.Tensor) -> torch.Tensor:
        """argmax_y q(y | x): the class (semi-supervised) or the cluster (clustering)."""
        return self.class_probabilities(x).argmax(1)

    @torch.no_grad()
    def decode_mean(self, z: torch.Tensor, y=None) -> torch.Tensor:
        """The decoder's output (the mean image) for codes ``z`` (and ``y``), in eval mode, on the CPU."""
        with self.evaluating():
            y = y.to(self.device) if isinstance(y, torch.Tensor) else y
            return self.decode(z.to(self.device), y).cpu()

    @torch.no_grad()
    def reconstruct(self, x: torch.Tensor, y=None) -> torch.Tensor:
        with self.evaluating():
            y_logits, z = self.codes(x.to(self.device))
            y_in = y if self.mode == "supervised" else (y_logits.softmax(1) if y_logits is not None else None)
            return self.decode(z, y_in.to(self.device) if isinstance(y_in, torch.Tensor) else y_in).cpu()

    @torch.no_grad()
    def sample(self, n: int, generator: torch.Generator | None = None, labels=None, batch_size: int = 1000) -> torch.Tensor:
        """Decoded prior samples: z ~ p(z) and, where the decoder reads a class, y uniform (or ``labels``)."""
        out = []
        for i in range(0, n, batch_size):
            m = min(batch_size, n - i)
            z = self.prior_z(m, generator)
            y = None
            if self.n_y_dec:
                y = (torch.randint(self.n_y_dec, (m,), generator=generator) if labels is None
                     else torch.as_tensor(labels)[i : i + m])
            out.append(self.decode_mean(z, y))
        return torch.cat(out)
