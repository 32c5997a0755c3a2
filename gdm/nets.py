"""Networks shared by every chapter, written once.

Generators map a latent ``z`` of shape ``(N, z_dim)`` to data of shape ``(N, *shape)``; image
generators end in a sigmoid (images live in [0, 1]), toy generators are linear at the output.
Discriminators and critics map data to one unbounded real per example (a logit or a critic
value): the losses decide what it means.
"""
from __future__ import annotations

import math

import torch
from torch import nn

from .errors import UnknownNameError

ACTIVATIONS = {"relu": nn.ReLU, "leaky_relu": lambda: nn.LeakyReLU(0.2), "tanh": nn.Tanh, "elu": nn.ELU}
#: hidden units a model may also choose where its paper has them (GMMN+AE's sigmoid auto-encoder)
SIGMOID = {"sigmoid": nn.Sigmoid}


def activation(name: str) -> nn.Module:
    known = {**ACTIVATIONS, **SIGMOID}
    if name not in known:
        raise UnknownNameError("activation", name, known)
    return known[name]()


def mlp(sizes, act: str = "relu", out_act: str | None = None, dropout: float = 0.0,
        input_dropout: float = 0.0, batchnorm: bool = False) -> nn.Sequential:
    """Linear layers ``sizes[0] -> ... -> sizes[-1]`` with ``act`` between them."""
    layers: list[nn.Module] = [nn.Dropout(input_dropout)] if input_dropout else []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(a, b))
        if i < len(sizes) - 2:
            if batchnorm:
                layers.append(nn.BatchNorm1d(b))
            layers.append(activation(act))
            if dropout:
                layers.append(nn.Dropout(dropout))
    if out_act == "sigmoid":
        layers.append(nn.Sigmoid())
    elif out_act is not None:
        layers.append(activation(out_act))
    return nn.Sequential(*layers)


class Maxout(nn.Module):
    """A maxout layer (Goodfellow et al. 2013): the max over ``pieces`` linear pieces."""

    def __init__(self, d_in: int, d_out: int, pieces: int):
        super().__init__()
        self.d_out, self.pieces = d_out, pieces
        self.linear = nn.Linear(d_in, d_out * pieces)

    def forward(self, x):
        return self.linear(x).view(-1, self.d_out, self.pieces).amax(-1)


def maxout_mlp(d_in: int, hidden, pieces: int, dropout: float, input_dropout: float) -> nn.Sequential:
    """The GAN paper's MNIST discriminator: maxout layers with dropout, then a linear logit."""
    layers: list[nn.Module] = [nn.Dropout(input_dropout)] if input_dropout else []
    for a, b in zip([d_in] + list(hidden[:-1]), hidden):
        layers += [Maxout(a, b, pieces)] + ([nn.Dropout(dropout)] if dropout else [])
    layers.append(nn.Linear(hidden[-1] if hidden else d_in, 1))
    return nn.Sequential(*layers)


class Flatten(nn.Module):
    def forward(self, x):
        return x.flatten(1)


def layer_gradient_norms(net: nn.Module, loss_fn, kinds=(nn.ReLU, nn.LeakyReLU, nn.Tanh, nn.ELU)) -> list[float]:
    """||∂L/∂h_l||_2 for the output h_l of each hidden nonlinearity of ``net`` (in the order the
    forward pass meets them), where ``L = loss_fn(net)`` runs ``net`` once: the diagnostic of
    WGAN-GP's Figure 1b (gradients exploding or vanishing through a deep critic). The norm is
    over the whole batch of activations."""
    outputs, handles = [], [m.register_forward_hook(lambda _m, _i, out: outputs.append(out))
                            for m in net.modules() if isinstance(m, kinds)]
    try:
        loss = loss_fn(net)
    finally:
        for h in handles:
            h.remove()
    grads = torch.autograd.grad(loss, outputs)
    return [g.norm().item() for g in grads]


class DataPlusNoise(nn.Module):
    """The WGAN-GP paper's fixed "generator" of its value-surface figure: a fresh batch of real
    data plus Gaussian noise of standard deviation ``std``; the latent ``z`` only sets the batch
    size and the device. Swapped in for a model's generator with ``freeze_generator`` set, so
    that only the critic learns."""

    def __init__(self, dist, std: float):
        super().__init__()
        self.dist, self.std = dist, float(std)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        x = self.dist.sample(z.shape[0]).to(z.device)
        return x + self.std * torch.randn_like(x)


class Reshape(nn.Module):
    def __init__(self, *shape):
        super().__init__()
        self.shape = shape

    def forward(self, x):
        return x.view(x.shape[0], *self.shape)


def dcgan_generator_28(z_dim: int, width: int = 64, batchnorm: bool = True, hidden: int = 0, act: str = "relu",
                       constant_width: bool = False) -> nn.Sequential:
    """DCGAN-style generator for 28x28: fc to 7x7, two stride-2 transposed convolutions.

    ``2 * width`` channels at 7x7 and ``width`` at 14x14, or ``width`` at both with
    ``constant_width`` (WGAN-GP's "constant number of filters" generator); ``act`` between layers.

    ``hidden > 0`` puts a fully connected layer of that width (batch norm, ReLU) before the fc
    to 7x7: InfoGAN's MNIST generator (its Table 3: fc 1024, fc 7x7x128, two up-convolutions).
    """
    bn = (lambda c: nn.BatchNorm2d(c)) if batchnorm else (lambda c: nn.Identity())
    head = [nn.Linear(z_dim, hidden), nn.BatchNorm1d(hidden) if batchnorm else nn.Identity(), activation(act)] if hidden else []
    w7 = width if constant_width else 2 * width  # channels at 7x7
    return nn.Sequential(
        *head,
        nn.Linear(hidden or z_dim, w7 * 7 * 7), Reshape(w7, 7, 7), bn(w7), activation(act),
        nn.ConvTranspose2d(w7, width, 4, 2, 1), bn(width), activation(act),  # 14x14
        nn.ConvTranspose2d(width, 1, 4, 2, 1), nn.Sigmoid(),  # 28x28
    )


def dcgan_discriminator_28(width: int = 64, batchnorm: bool = True, act: str = "leaky_relu") -> nn.Sequential:
    """DCGAN-style discriminator for 28x28: two stride-2 convolutions, then a linear output."""
    bn = (lambda c: nn.BatchNorm2d(c)) if batchnorm else (lambda c: nn.Identity())
    return nn.Sequential(
        nn.Conv2d(1, width, 4, 2, 1), activation(act),  # 14x14
        nn.Conv2d(width, 2 * width, 4, 2, 1), bn(2 * width), activation(act),  # 7x7
        Flatten(), nn.Linear(2 * width * 7 * 7, 1),
    )


def dcgan_body_28(width: int = 64, batchnorm: bool = True, hidden: int = 0) -> nn.Sequential:
    """The body of ``dcgan_discriminator_28`` without its output layer: x -> features.

    Two stride-2 convolutions, flattened (``2 * width * 7 * 7`` features), or with ``hidden > 0``
    then a fully connected layer of ``hidden`` units (batch norm, leaky ReLU): InfoGAN's MNIST
    body shared by D and Q (its Table 3).
    """
    bn = (lambda c: nn.BatchNorm2d(c)) if batchnorm else (lambda c: nn.Identity())
    layers = [nn.Conv2d(1, width, 4, 2, 1), nn.LeakyReLU(0.2),  # 14x14
              nn.Conv2d(width, 2 * width, 4, 2, 1), bn(2 * width), nn.LeakyReLU(0.2), Flatten()]  # 7x7
    if hidden:
        layers += [nn.Linear(2 * width * 7 * 7, hidden), nn.BatchNorm1d(hidden) if batchnorm else nn.Identity(),
                   nn.LeakyReLU(0.2)]
    return nn.Sequential(*layers)


class SharedBodyDiscriminator(nn.Module):
    """A body shared by two heads: the discriminator's logit and an auxiliary output
    (InfoGAN's Q: the parameters of Q(c | x)). ``forward`` gives the logit, shape ``(N,)``;
    ``heads`` gives ``(logit, aux)`` from one pass through the body."""

    def __init__(self, body: nn.Module, features: int, aux_out: int, aux_hidden: int = 128, batchnorm: bool = True):
        super().__init__()
        self.body = body
        self.d_head = nn.Linear(features, 1)
        self.aux_head = (nn.Sequential(nn.Linear(features, aux_hidden), nn.BatchNorm1d(aux_hidden) if batchnorm
                                       else nn.Identity(), nn.LeakyReLU(0.2), nn.Linear(aux_hidden, aux_out))
                         if aux_hidden else nn.Linear(features, aux_out))

    def heads(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        h = self.body(x)
        return self.d_head(h).squeeze(1), self.aux_head(h)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.d_head(self.body(x)).squeeze(1)


def began_decoder_28(code_dim: int, width: int = 64, act: str = "elu", out_act: str | None = "sigmoid",
                     repeat: int = 2) -> nn.Sequential:
    """BEGAN's decoder (Berthelot et al. 2017, Figure 1) for 28x28: fc to 7x7 x ``width``, then
    per scale ``repeat`` 3x3 convolutions with ELU and a nearest-neighbour up-sampling (7 -> 14 -> 28),
    ``repeat`` more 3x3 convolutions and a 3x3 convolution to one channel. No batch norm.
    BEGAN's generator has this architecture too (with its own weights)."""
    def block(c_in):
        return [m for _ in range(repeat) for m in (nn.Conv2d(c_in if _ == 0 else width, width, 3, 1, 1), activation(act))]
    layers = [nn.Linear(code_dim, width * 7 * 7), Reshape(width, 7, 7)]
    for _ in range(2):
        layers += block(width) + [nn.Upsample(scale_factor=2, mode="nearest")]
    layers += block(width) + [nn.Conv2d(width, 1, 3, 1, 1)]
    if out_act == "sigmoid":
        layers.append(nn.Sigmoid())
    elif out_act is not None:
        layers.append(activation(out_act))
    return nn.Sequential(*layers)


def began_encoder_28(code_dim: int, width: int = 64, act: str = "elu", repeat: int = 2) -> nn.Sequential:
    """BEGAN's encoder (Figure 1) for 28x28: a 3x3 convolution, then per scale ``repeat`` 3x3
    convolutions with ELU and a stride-2 3x3 convolution whose channels grow linearly
    (n, 2n, 3n: 28 -> 14 -> 7), ``repeat`` more convolutions and a linear map to the code. No batch norm."""
    layers: list[nn.Module] = [nn.Conv2d(1, width, 3, 1, 1), activation(act)]
    c = width
    for scale in range(1, 3):
        layers += [m for _ in range(repeat) for m in (nn.Conv2d(c, c, 3, 1, 1), activation(act))]
        layers += [nn.Conv2d(c, (scale + 1) * width, 3, 2, 1), activation(act)]
        c = (scale + 1) * width
    layers += [m for _ in range(repeat) for m in (nn.Conv2d(c, c, 3, 1, 1), activation(act))]
    return nn.Sequential(*layers, Flatten(), nn.Linear(c * 7 * 7, code_dim))


class AutoEncoder(nn.Module):
    """An auto-encoder discriminator (EBGAN, BEGAN): ``forward(x)`` gives the reconstruction
    ``Dec(Enc(x))`` (shape of ``x``) and the code ``Enc(x)`` (shape ``(N, code_dim)``); the
    energy (a reconstruction error) is the loss's business (``gdm.losses``)."""

    def __init__(self, encoder: nn.Module, decoder: nn.Module):
        super().__init__()
        self.encoder, self.decoder = encoder, decoder

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        code = self.encoder(x)
        return self.decoder(code), code


AUTOENCODERS = ("mlp", "dcgan", "began")


def autoencoder(arch: str, shape, code_dim: int, hidden=(), width: int = 64, act: str = "relu",
                batchnorm: bool = False, out_act: str | None = "sigmoid") -> AutoEncoder:
    """An auto-encoder discriminator ``x -> (reconstruction, code)`` for data of ``shape``.

    ``mlp``: fully connected, ``d -> *hidden -> code_dim -> *reversed(hidden) -> d`` (EBGAN's MNIST
    grid search used fully connected nets). ``dcgan`` (28x28): two stride-2 4x4 convolutions of
    ``width`` and ``2 * width`` channels to a linear code, mirrored by transposed convolutions
    (EBGAN's convolutional auto-encoder, DCGAN-style). ``began`` (28x28): ``began_encoder_28`` and
    ``began_decoder_28`` (ELU, no batch norm). Image reconstructions end in ``out_act`` (images
    live in [0, 1]).
    """
    d = math.prod(shape)
    image = len(shape) == 3
    if arch == "mlp":
        enc = mlp([d, *hidden, code_dim], act, batchnorm=batchnorm)
        dec = mlp([code_dim, *reversed(list(hidden)), d], act, out_act if image else None, batchnorm=batchnorm)
        return AutoEncoder(nn.Sequential(Flatten(), enc), nn.Sequential(dec, Reshape(*shape)))
    if arch in ("dcgan", "began") and tuple(shape) != (1, 28, 28):
        raise UnknownNameError("auto-encoder for data of shape " + str(tuple(shape)), arch, ("mlp",))
    if arch == "dcgan":
        bn = (lambda c: nn.BatchNorm2d(c)) if batchnorm else (lambda c: nn.Identity())
        enc = nn.Sequential(nn.Conv2d(1, width, 4, 2, 1), activation(act),  # 14x14
                            nn.Conv2d(width, 2 * width, 4, 2, 1), bn(2 * width), activation(act),  # 7x7
                            Flatten(), nn.Linear(2 * width * 7 * 7, code_dim))
        tail = [nn.Sigmoid()] if out_act == "sigmoid" else [activation(out_act)] if out_act else []
        dec = nn.Sequential(nn.Linear(code_dim, 2 * width * 7 * 7), Reshape(2 * width, 7, 7), bn(2 * width),
                            activation(act), nn.ConvTranspose2d(2 * width, width, 4, 2, 1), bn(width), activation(act),
                            nn.ConvTranspose2d(width, 1, 4, 2, 1), *tail)
        return AutoEncoder(enc, dec)
    if arch == "began":
        if batchnorm:
            raise UnknownNameError("batch norm setting of BEGAN's auto-encoder", "batchnorm=True", ("batchnorm=False",))
        return AutoEncoder(began_encoder_28(code_dim, width, act), began_decoder_28(code_dim, width, act, out_act))
    raise UnknownNameError("auto-encoder architecture", arch, AUTOENCODERS)


GENERATORS = ("mlp", "dcgan", "affine", "began")
DISCRIMINATORS = ("mlp", "maxout", "dcgan")


def generator(arch: str, z_dim: int, shape, hidden=(), act: str = "relu", batchnorm: bool = False,
              width: int = 64, constant_width: bool = False) -> nn.Module:
    """A generator ``z -> x`` for data of per-example ``shape``.

    ``affine`` is ``x = W z + b`` (with ``z_dim = dim``): a Gaussian generator whose density is
    known in closed form, used to test theory (e.g. the optimal discriminator). ``began`` is
    BEGAN's decoder (``began_decoder_28``, ``width`` channels, ELU, no batch norm).
    """
    d = math.prod(shape)
    image = len(shape) == 3
    if arch == "mlp":
        net = mlp([z_dim, *hidden, d], act, "sigmoid" if image else None, batchnorm=batchnorm)
        return nn.Sequential(net, Reshape(*shape)) if image else net
    if arch == "dcgan":
        if tuple(shape) != (1, 28, 28):
            raise UnknownNameError("generator for data of shape " + str(tuple(shape)), arch, ("mlp", "affine"))
        return dcgan_generator_28(z_dim, width, batchnorm=batchnorm, act=act, constant_width=constant_width)
    if arch == "began":
        if tuple(shape) != (1, 28, 28):
            raise UnknownNameError("generator for data of shape " + str(tuple(shape)), arch, ("mlp", "affine"))
        return began_decoder_28(z_dim, width, act="elu")
    if arch == "affine":
        return nn.Linear(z_dim, d)
    raise UnknownNameError("generator architecture", arch, GENERATORS)


def discriminator(arch: str, shape, hidden=(), act: str = "leaky_relu", pieces: int = 5,
                  dropout: float = 0.0, input_dropout: float = 0.0, batchnorm: bool = False,
                  width: int = 64) -> nn.Module:
    """A discriminator or critic ``x -> R`` (one output per example, shape ``(N,)``);
    ``width``: the dcgan critic's channels (``width`` at 14x14, ``2 * width`` at 7x7)."""
    d = math.prod(shape)
    if arch == "mlp":
        body = mlp([d, *hidden, 1], act, dropout=dropout, input_dropout=input_dropout, batchnorm=batchnorm)
    elif arch == "maxout":
        body = maxout_mlp(d, list(hidden), pieces, dropout, input_dropout)
    elif arch == "dcgan":
        if tuple(shape) != (1, 28, 28):
            raise UnknownNameError("discriminator for data of shape " + str(tuple(shape)), arch, ("mlp", "maxout"))
        return nn.Sequential(dcgan_discriminator_28(width, batchnorm=batchnorm, act=act), Reshape())
    else:
        raise UnknownNameError("discriminator architecture", arch, DISCRIMINATORS)
    return nn.Sequential(Flatten(), body, Reshape())
