"""Run configurations: one flat dict per run, checked against the model's declared parameters.

A configuration holds the run's identity: the model, the data set, the training budget, the
seed and every hyper-parameter of the model. Unknown names and wrong types raise
:class:`~gdm.errors.ConfigError` or :class:`~gdm.errors.UnknownNameError` with the allowed
values, before anything is trained.
"""
from __future__ import annotations

from .errors import ConfigError, UnknownNameError

#: Parameters every run has, with their defaults.
COMMON = {
    "model": "",
    "dataset": "mnist5k",
    "steps": 1000,  # generator updates (one training step = one call of the model's train_step)
    "batch_size": 64,
    "seed": 0,
    "checkpoint_every": 500,
    "log_every": 10,
    # seeds trained as one batched model (gdm.group): the run of seed s is member s mod G of the
    # group of seeds G·floor(s / G) .. G·floor(s / G) + G - 1; 1 trains it alone
    "seed_group": 1,
    # the arithmetic of the training step's matrix products and convolutions: float32, or bfloat16
    # (torch.autocast; weights, optimiser states and evaluation stay float32), an opt-in for wide
    # nets on CPUs with AVX512-BF16 / AMX and on GPUs
    "precision": "float32",
    # images of the training split a run trains on: the first n (nested: 1,000 of them are among
    # 2,000), for a sweep of the training-set size; 0: the whole split
    "train_size": 0,
}

#: the values of ``precision``
PRECISIONS = ("float32", "bfloat16")
#: parameters that enter a run's identity only when they differ from these values, so runs that
#: do not use them keep the identity they had before the parameter existed
IDENTITY_DEFAULTS = {"seed_group": 1, "precision": "float32", "train_size": 0, "energy": "sum"}
#: Parameters that do not change what is computed, so not part of a run's identity.
NOT_IDENTITY = ("device", "checkpoint_every")


def _check_type(name: str, value, default, numbers: bool = False):
    """``value`` checked against the type of ``default`` (``numbers``: a list of any numbers)."""
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(default, float):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        value = float(value) if ok else value
    elif isinstance(default, (list, tuple)):
        kinds = (int, float) if numbers else int
        ok = isinstance(value, (list, tuple)) and all(isinstance(v, kinds) and not isinstance(v, bool) for v in value)
        value = [int(v) if numbers and isinstance(v, float) and v.is_integer() else v for v in value] if ok else value
    else:
        ok = isinstance(value, type(default))
    if not ok:
        want = ("list of numbers" if numbers else "list of int") if isinstance(default, (list, tuple)) else type(default).__name__
        raise ConfigError(f"parameter {name!r} must be {want} (like {default!r}), got {type(value).__name__} {value!r}")
    return value


def shared(model: str, params: dict) -> dict:
    """The entries of ``params`` (a chapter's parameters) that are configuration parameters of
    ``model``: how a chapter's headline run, and its ``cpu`` profile, are built from its parameters."""
    from .models import get_model_class

    allowed = set(COMMON) | set(get_model_class(model).defaults)
    return {k: v for k, v in params.items() if k in allowed}


def make_config(model: str, **params) -> dict:
    """The full configuration of a run of ``model``: defaults, then ``params`` (checked)."""
    from . import data
    from .models import get_model_class

    cls = get_model_class(model)
    defaults = {**COMMON, **cls.defaults, "model": model}
    unknown = sorted(set(params) - set(defaults) - {"device"})
    if unknown:
        raise ConfigError(
            f"unknown parameter(s) {', '.join(map(repr, unknown))} for model {model!r}; "
            f"allowed: {', '.join(sorted(set(defaults) - {'model'}))}"
        )
    cfg = dict(defaults)
    for name, value in params.items():
        if name == "device":
            continue
        cfg[name] = _check_type(name, value, defaults[name], numbers=name in cls.number_lists)
    if cfg["dataset"] not in data.names():
        raise UnknownNameError("data set", cfg["dataset"], data.names())
    if cfg["precision"] not in PRECISIONS:
        raise UnknownNameError("precision", cfg["precision"], PRECISIONS)
    for name in ("steps", "batch_size", "checkpoint_every", "log_every", "seed_group"):
        if cfg[name] < 1:
            raise ConfigError(f"parameter {name!r} must be at least 1, got {cfg[name]}")
    if cfg["train_size"] < 0:
        raise ConfigError(f"parameter 'train_size' must be 0 (the whole training split) or a number of images, "
                          f"got {cfg['train_size']}")
    if cfg["train_size"] and cfg["dataset"] not in data.IMAGE_SETS:
        raise ConfigError(f"train_size applies to image data sets ({', '.join(data.IMAGE_SETS)}); {cfg['dataset']!r} "
                          f"draws fresh samples every step: set train_size = 0")
    cls.check_config(cfg)
    if cfg["seed_group"] > 1:
        from .group import groupable

        if not groupable(cfg):
            raise ConfigError(f"model {model!r} with this configuration cannot train several seeds as one "
                              f"(gdm.group.groupable): set seed_group = 1")
    return cfg


def identity(cfg: dict) -> dict:
    """The part of a configuration that decides what a run computes. ``seed_group`` and
    ``precision`` enter it only when they are not 1 and float32 (:data:`IDENTITY_DEFAULTS`): a run
    trained alone, in float32, keeps the identity it had before the keys existed."""
    return {k: v for k, v in cfg.items()
            if k not in NOT_IDENTITY and not (k in IDENTITY_DEFAULTS and v == IDENTITY_DEFAULTS[k])}
