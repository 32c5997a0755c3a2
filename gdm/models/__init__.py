"""The models of the book, one module per paper, behind one registry.

The registry key is also the chapter's slug, its parameter files' name and its results file.
"""
from __future__ import annotations

from ..errors import UnknownNameError
from .aae import AAE
from .base import Model
from .began import BEGAN
from .beta_vae import BetaVAE
from .classifier import Classifier
from .ebgan import EBGAN
from .fgan import FGAN
from .gan import GAN
from .gmmn import GMMN
from .infogan import InfoGAN
from .mmd_gan import MMDGAN
from .vae import VAE
from .wae import WAE
from .wgan import LSGAN, WGAN, WGANGP

REGISTRY: dict[str, type[Model]] = {
    "gan": GAN,
    "fgan": FGAN,
    "wgan": WGAN,
    "wgan_gp": WGANGP,
    "lsgan": LSGAN,  # a baseline of the WGAN-GP chapter, not a chapter of its own
    "ebgan": EBGAN,
    "began": BEGAN,
    "infogan": InfoGAN,
    "gmmn": GMMN,
    "mmd_gan": MMDGAN,
    "aae": AAE,
    "vae": VAE,
    "beta_vae": BetaVAE,
    "wae": WAE,
    "classifier": Classifier,  # the evaluation suite's feature network, not a chapter
}


def get_model_class(name: str) -> type[Model]:
    if name not in REGISTRY:
        raise UnknownNameError("model", name, REGISTRY)
    return REGISTRY[name]


def build(cfg: dict, shape) -> Model:
    """A fresh model for configuration ``cfg`` and data of per-example ``shape``."""
    return get_model_class(cfg["model"])(cfg, tuple(shape))


__all__ = ["Model", "REGISTRY", "build", "get_model_class"]
