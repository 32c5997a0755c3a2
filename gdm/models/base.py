"""What every model has: declared parameters, optimizers, a train step, sampling, and a
checkpointable state. A model is nets + its paper's losses; the loop lives in gdm.train."""
from __future__ import annotations

import contextlib

import torch
from torch import nn

from ..errors import ConfigError, UnknownNameError

OPTIMIZERS = ("adam", "sgd", "rmsprop", "adagrad")
PRIORS = ("uniform", "normal")


def make_optimizer(params, cfg: dict, lr: float | None = None) -> torch.optim.Optimizer:
    """The optimizer named by ``cfg['optimizer']`` with the config's hyper-parameters. Each updates
    all its tensors at once (``foreach``: a handful of multi-tensor kernels per step instead of a
    few per tensor; PyTorch's default on GPUs, not on the CPU), which computes bit for bit what the
    per-tensor loop does (``tests/test_train.py``) and buys up to 1.2 × a step of the MLP GAN here."""
    lr = cfg["lr"] if lr is None else lr
    name = cfg["optimizer"]
    if name == "adam":
        return torch.optim.Adam(params, lr=lr, betas=(cfg["beta1"], cfg["beta2"]), foreach=True)
    if name == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=cfg["momentum"], foreach=True)
    if name == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, foreach=True)
    if name == "adagrad":  # the VAE paper's optimizer (Duchi et al. 2011)
        return torch.optim.Adagrad(params, lr=lr, foreach=True)
    raise UnknownNameError("optimizer", name, OPTIMIZERS)


def sample_prior(kind: str, n: int, dim: int, generator: torch.Generator | None = None, device=None) -> torch.Tensor:
    """Latent noise: ``uniform`` on [-1, 1]^dim or standard ``normal``."""
    if kind == "uniform":
        return torch.rand(n, dim, generator=generator).mul_(2).sub_(1).to(device)
    if kind == "normal":
        return torch.randn(n, dim, generator=generator).to(device)
    raise UnknownNameError("prior", kind, PRIORS)


class Model(nn.Module):
    """Base class: subclasses set ``defaults`` and implement ``train_step`` and ``sample``."""

    #: the model's own parameters and their defaults (types are checked against these)
    defaults: dict = {}
    #: list parameters whose defaults are integers but which take any numbers (whole numbers kept as
    #: integers, so a list of integers keeps the run ids it had)
    number_lists: tuple = ()
    #: whether batches carry labels (x, y)
    needs_labels: bool = False

    def __init__(self, cfg: dict, shape: tuple):
        super().__init__()
        self.cfg, self.shape = dict(cfg), tuple(shape)
        self.optimizers: dict[str, torch.optim.Optimizer] = {}

    @classmethod
    def check_config(cls, cfg: dict) -> None:
        """Raise ConfigError on values of the right type but outside their range."""
        for key, allowed in (("optimizer", OPTIMIZERS), ("z_prior", PRIORS)):
            if key in cfg and cfg[key] not in allowed:
                raise UnknownNameError(key.replace("_", " "), cfg[key], allowed)
        for key in ("lr", "z_dim", "k"):
            if key in cfg and cfg[key] <= 0:
                raise ConfigError(f"parameter {key!r} must be positive, got {cfg[key]}")

    @property
    def batches_per_step(self) -> int:
        """How many mini-batches one train_step consumes (e.g. k discriminator updates)."""
        return 1

    def batches_at(self, step: int) -> int:
        """Mini-batches step ``step`` consumes; models whose count varies by step override it
        (WGAN's critic warm-up)."""
        return self.batches_per_step

    @contextlib.contextmanager
    def evaluating(self):
        """Eval mode (no dropout, batch norm's running statistics) inside the block, then the
        mode the model was in."""
        was = self.training
        self.eval()
        try:
            yield self
        finally:
            self.train(was)

    @property
    def device(self) -> torch.device:
        p = next(self.parameters(), None)  # None: a store entry that kept no net (only its history was read)
        return p.device if p is not None else torch.device("cpu")

    def descend(self, optimizer: str, loss: torch.Tensor) -> None:
        """One gradient step of ``self.optimizers[optimizer]`` on ``loss``."""
        opt = self.optimizers[optimizer]
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    #: how many runs this model trains at once (``gdm.group.stack`` sets it on a group)
    groups: int = 1

    def per_member(self, loss_fn, *rows: torch.Tensor) -> torch.Tensor:
        """``loss_fn(*rows)`` for a loss that couples the rows of a batch (an MMD, the pull-away
        term): on a group (``gdm.group``) the mean over its members of the loss of each member's own
        rows, so that no member's loss reads another's; on a lone model the loss itself."""
        if self.groups == 1:
            return loss_fn(*rows)
        parts = [r.reshape(self.groups, -1, *r.shape[1:]).unbind(0) for r in rows]
        return torch.stack([loss_fn(*member) for member in zip(*parts)]).mean()

    def init_from_data(self, x: torch.Tensor) -> None:
        """Data-dependent initialisation, called once before a new run's first step."""

    def train_step(self, batch, step: int) -> dict[str, float]:  # pragma: no cover - abstract
        raise NotImplementedError

    def sample(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:  # pragma: no cover
        raise NotImplementedError

    # checkpointing: nets and optimizer states together
    def checkpoint_state(self) -> dict:
        return {"nets": self.state_dict(), "optimizers": {k: o.state_dict() for k, o in self.optimizers.items()}}

    def load_checkpoint_state(self, state: dict) -> None:
        self.load_state_dict(state["nets"])
        for k, o in self.optimizers.items():
            o.load_state_dict(state["optimizers"][k])
