"""Losses, one place each, written on logits for numerical stability.

The GAN value function (Goodfellow et al. 2014, eq. 1):

    V(D, G) = E_x[log D(x)] + E_z[log(1 - D(G(z)))],   D = sigmoid(logit).

With ``log sigmoid(l) = -softplus(-l)`` and ``log(1 - sigmoid(l)) = -softplus(l)``.
"""
from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F

from .divergences import FDivergence, f_divergence
from .errors import UnknownNameError

G_LOSSES = ("nonsaturating", "minimax")


def gan_value(real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
    """The value V(D, G) estimated on a batch: E[log D(x)] + E[log(1 - D(G(z)))]."""
    return -F.softplus(-real_logits).mean() - F.softplus(fake_logits).mean()


def gan_d_loss(real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
    """The discriminator minimises -V: binary cross-entropy with real = 1, fake = 0."""
    return -gan_value(real_logits, fake_logits)


def gan_g_loss(fake_logits: torch.Tensor, kind: str = "nonsaturating") -> torch.Tensor:
    """The generator's loss.

    ``minimax``: minimise E[log(1 - D(G(z)))], the paper's value function; its gradient
    vanishes where D rejects the samples (D(G(z)) -> 0). ``nonsaturating``: minimise
    -E[log D(G(z))], the paper's practical alternative with the same fixed point and strong
    gradients early in training.
    """
    if kind == "minimax":
        return -F.softplus(fake_logits).mean()
    if kind == "nonsaturating":
        return F.softplus(-fake_logits).mean()
    raise UnknownNameError("generator loss", kind, G_LOSSES)


def optimal_discriminator(p_data, p_g):
    """Proposition 1: D*(x) = p_data(x) / (p_data(x) + p_g(x)), for density values."""
    p_data, p_g = np.asarray(p_data, dtype=np.float64), np.asarray(p_g, dtype=np.float64)
    return p_data / (p_data + p_g)


def gan_value_at_optimum(jsd: float) -> float:
    """Theorem 1: C(G) = max_D V(D, G) = -log 4 + 2 JSD(p_data || p_g)."""
    return -math.log(4.0) + 2.0 * jsd


# ----------------------------------------------------------------------------- f-GAN
# f-GAN (Nowozin, Cseke & Tomioka 2016, Section 3): the critic V_ω and the generator Q_θ play
#
#     F(θ, ω) = E_{x~P}[g_f(V_ω(x))] - E_{x~Q_θ}[f*(g_f(V_ω(x)))],
#
# the critic maximising F (a lower bound on D_f(P || Q_θ)), the generator minimising it.
# ``div`` is an ``FDivergence`` or its name in ``gdm.divergences.F_DIVERGENCES``.

FGAN_G_LOSSES = ("minimax", "alternative")


def _fdiv(div: FDivergence | str) -> FDivergence:
    """``div`` itself, or the f-divergence it names."""
    return f_divergence(div) if isinstance(div, str) else div


def fgan_value(v_real: torch.Tensor, v_fake: torch.Tensor, div: FDivergence | str) -> torch.Tensor:
    """F estimated on a batch: mean g_f(V(x_real)) - mean f*(g_f(V(x_fake))), V the critic's logits.

    For ``div="gan"`` this is exactly ``gan_value`` on the same logits.
    """
    d = _fdiv(div)
    return d.activation(v_real).mean() - d.conjugate_of_activation(v_fake).mean()


def fgan_d_loss(v_real: torch.Tensor, v_fake: torch.Tensor, div: FDivergence | str) -> torch.Tensor:
    """The critic minimises -F (it maximises the variational lower bound)."""
    return -fgan_value(v_real, v_fake, div)


def fgan_g_loss(v_fake: torch.Tensor, div: FDivergence | str, kind: str = "minimax") -> torch.Tensor:
    """The generator's loss on the critic's logits ``v_fake = V(G(z))``.

    ``minimax``: minimise F; only its second term depends on θ, so the loss is
    -E[f*(g_f(V(G(z))))]. ``alternative`` (the paper's Section 3.2): maximise E[g_f(V(G(z)))],
    i.e. minimise -E[g_f(V(G(z)))]; for ``div="gan"`` these are ``gan_g_loss``'s ``minimax``
    and ``nonsaturating``.
    """
    d = _fdiv(div)
    if kind == "minimax":
        return -d.conjugate_of_activation(v_fake).mean()
    if kind == "alternative":
        return -d.activation(v_fake).mean()
    raise UnknownNameError("f-GAN generator loss", kind, FGAN_G_LOSSES)


# ----------------------------------------------------------------------------- WGAN, WGAN-GP
# WGAN (Arjovsky, Chintala & Bottou 2017, eq. 3 and Algorithm 1): by Kantorovich-Rubinstein
# duality W(P_r, P_θ) = sup_{||f||_L <= 1} E_{P_r}[f(x)] - E_{P_θ}[f(x)]. The critic f_w
# (weights clipped to a box, so K-Lipschitz for some K) maximises the difference; the
# generator minimises -E[f_w(G(z))].


def wgan_critic_value(real_values: torch.Tensor, fake_values: torch.Tensor) -> torch.Tensor:
    """E[f(x_real)] - E[f(x_fake)]: the critic's estimate of (K times) W(P_r, P_θ)."""
    return real_values.mean() - fake_values.mean()


def wgan_critic_loss(real_values: torch.Tensor, fake_values: torch.Tensor) -> torch.Tensor:
    """The critic minimises -(E[f(x)] - E[f(G(z))])."""
    return -wgan_critic_value(real_values, fake_values)


def wgan_g_loss(fake_values: torch.Tensor) -> torch.Tensor:
    """The generator minimises -E[f(G(z))]."""
    return -fake_values.mean()


def gradient_penalty(critic, real: torch.Tensor, fake: torch.Tensor, eps: torch.Tensor | None = None) -> torch.Tensor:
    """WGAN-GP's penalty (Gulrajani et al. 2017, eq. 3, without λ): E[(||∇f(x̂)||_2 - 1)^2].

    x̂ = ε x + (1 - ε) x̃ with one ε ~ U[0, 1] per sample (not per pixel), and the norm is taken
    over the whole sample (all its dimensions), as in the paper's Algorithm 1. The graph is kept
    (``create_graph``) so that the penalty is differentiated with respect to the critic.
    """
    if eps is None:
        eps = torch.rand(real.shape[0], device=real.device)
    eps = eps.view(-1, *([1] * (real.dim() - 1)))
    x_hat = (eps * real + (1 - eps) * fake).requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)
    norm = grad.flatten(1).pow(2).sum(1).add(1e-12).sqrt()  # the tiny term keeps the gradient finite at 0
    return (norm - 1).pow(2).mean()


# ----------------------------------------------------------------------------- LSGAN
# LSGAN (Mao et al. 2017, eq. 2), with the 0-1 coding a = 0 (fake), b = 1 (real), c = 1 (what
# the generator wants D to believe): D minimises ½E[(D(x) - b)^2] + ½E[(D(G(z)) - a)^2],
# G minimises ½E[(D(G(z)) - c)^2]. D's output is linear (no sigmoid).


def lsgan_d_loss(real_values: torch.Tensor, fake_values: torch.Tensor, a: float = 0.0, b: float = 1.0) -> torch.Tensor:
    return 0.5 * (real_values - b).pow(2).mean() + 0.5 * (fake_values - a).pow(2).mean()


def lsgan_g_loss(fake_values: torch.Tensor, c: float = 1.0) -> torch.Tensor:
    return 0.5 * (fake_values - c).pow(2).mean()


# ----------------------------------------------------------------------------- InfoGAN
# InfoGAN (Chen et al. 2016, eqs. 4-6): the variational lower bound of the mutual information
# between the codes c and the sample G(z, c),
#
#     L_I(G, Q) = E_{c ~ P(c), x ~ G(z, c)}[log Q(c | x)] + H(c)  <=  I(c; G(z, c)),
#
# maximised by Q and (in InfoGAN, not in a plain GAN) by G, weighted by λ. Q(c1 | x) is a
# categorical (softmax of logits) and Q(c2, c3 | x) a factored Gaussian (the paper's Section 6).


def info_categorical_loglik(logits: torch.Tensor, c_index: torch.Tensor) -> torch.Tensor:
    """E[log Q(c | x)] for a categorical code: minus the cross-entropy of the logits at the code's index."""
    return -F.cross_entropy(logits, c_index)


def info_gaussian_loglik(mean: torch.Tensor, log_std: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
    """E[log Q(c | x)] for continuous codes under a factored Gaussian Q = prod_j N(c_j; mean_j, std_j^2):
    the sum over codes of -(c - mean)^2 / (2 std^2) - log std - log(2π)/2, averaged over the batch."""
    z = (c - mean) * torch.exp(-log_std)
    return (-0.5 * z.pow(2) - log_std - 0.5 * math.log(2 * math.pi)).sum(1).mean()


def info_lower_bound(logits: torch.Tensor, c_index: torch.Tensor) -> torch.Tensor:
    """L_I for a uniform categorical code of K = logits.shape[1] values: E[log Q(c | x)] + log K,
    at most H(c) = log K (reached when Q recovers c from x without error)."""
    return info_categorical_loglik(logits, c_index) + math.log(logits.shape[1])


def infogan_info_loss(logits: torch.Tensor, c_index: torch.Tensor, mean: torch.Tensor | None = None,
                      log_std: torch.Tensor | None = None, c_cont: torch.Tensor | None = None,
                      lambda_disc: float = 1.0, lambda_cont: float = 1.0) -> torch.Tensor:
    """The information term both Q (with D) and G minimise: -(λ_disc E[log Q(c1|x)] + λ_cont E[log Q(c2, c3|x)]).
    H(c) is a constant and left out; with no continuous codes (``mean is None``) only the first term."""
    loss = -lambda_disc * info_categorical_loglik(logits, c_index)
    if mean is not None and mean.shape[1] > 0:
        loss = loss - lambda_cont * info_gaussian_loglik(mean, log_std, c_cont)
    return loss


# ----------------------------------------------------------------------------- EBGAN
# EBGAN (Zhao, Mathieu & LeCun 2017, eqs. 1-2 and 11): the discriminator is an energy function,
# here an auto-encoder's reconstruction error D(x) = ||Dec(Enc(x)) - x||. With a margin m,
#
#     L_D(x, z) = D(x) + [m - D(G(z))]^+,        L_G(z) = D(G(z)),
#
# and the pull-away term on the encoder's codes S of a generated batch (eq. 11, weight 0.1 in
# the paper) pushes the codes of a batch towards orthogonality, against mode collapse.


def ebgan_energy(x: torch.Tensor, reconstruction: torch.Tensor, reduction: str = "sum") -> torch.Tensor:
    """The energy of each example, shape ``(N,)``: the squared Euclidean reconstruction error
    ||Dec(Enc(x)) - x||², summed over the example's pixels (``reduction="sum"``) or their mean
    (``"mean"``: the per-pixel squared error, the sum divided by the number of pixels)."""
    err = (reconstruction - x).pow(2).flatten(1)
    if reduction == "sum":
        return err.sum(1)
    if reduction == "mean":
        return err.mean(1)
    raise ValueError(f"an energy's reduction is 'sum' or 'mean', not {reduction!r}")


def ebgan_d_loss(real_energy: torch.Tensor, fake_energy: torch.Tensor, margin: float) -> torch.Tensor:
    """The discriminator's loss, the batch mean of D(x) + [m - D(G(z))]^+ (eq. 1): real energy
    down, fake energy up, but only up to the margin m (beyond it a fake gives no gradient)."""
    return real_energy.mean() + F.relu(margin - fake_energy).mean()


def ebgan_g_loss(fake_energy: torch.Tensor) -> torch.Tensor:
    """The generator's loss (eq. 2): the mean energy of its samples."""
    return fake_energy.mean()


def pull_away_term(codes: torch.Tensor) -> torch.Tensor:
    """f_PT(S) = 1 / (N (N - 1)) Σ_i Σ_{j≠i} (S_iᵀ S_j / (||S_i|| ||S_j||))² (eq. 11): the mean
    *squared* cosine similarity over the ordered pairs of distinct codes of a batch (flattened)."""
    s = codes.flatten(1)
    n = s.shape[0]
    if n < 2:
        raise ValueError("the pull-away term needs a batch of at least two codes")
    s = s / s.norm(dim=1, keepdim=True).clamp_min(1e-12)
    cos2 = (s @ s.t()).pow(2)
    return (cos2.sum() - cos2.diagonal().sum()) / (n * (n - 1))


# ----------------------------------------------------------------------------- BEGAN
# BEGAN (Berthelot, Schumm & Metz 2017, eqs. 4-5 and Section 3.4.1): the auto-encoder's loss
# L(v) = |v - D(v)|^η (η = 1: L1, the mean over pixels); the discriminator minimises
# L(x) - k_t L(G(z_D)), the generator L(G(z_G)), and the proportional controller
#
#     k_{t+1} = clamp(k_t + λ_k (γ L(x) - L(G(z_G))), 0, 1)
#
# keeps E[L(G(z))] = γ E[L(x)] (the equilibrium, γ the diversity ratio).
# M_global = L(x) + |γ L(x) - L(G(z_G))| is the paper's measure of convergence.


def began_loss(x: torch.Tensor, reconstruction: torch.Tensor, eta: float = 1.0) -> torch.Tensor:
    """L(v) = |v - D(v)|^η for each example, shape ``(N,)``: the pixel-wise error to the power η,
    averaged over the example's pixels."""
    return (reconstruction - x).abs().pow(eta).flatten(1).mean(1)


def began_d_loss(real_loss: torch.Tensor, fake_loss: torch.Tensor, k: float | torch.Tensor) -> torch.Tensor:
    """L_D = L(x) - k_t L(G(z_D)), on batch means."""
    return real_loss.mean() - k * fake_loss.mean()


def began_g_loss(fake_loss: torch.Tensor) -> torch.Tensor:
    """L_G = L(G(z_G)), the batch mean."""
    return fake_loss.mean()


def began_k_update(k: float, real_loss: float, fake_loss: float, gamma: float, lambda_k: float) -> float:
    """k_{t+1} = clamp(k_t + λ_k (γ L(x) - L(G(z_G))), 0, 1), on batch means (floats)."""
    return min(max(k + lambda_k * (gamma * real_loss - fake_loss), 0.0), 1.0)


def began_convergence(real_loss: float, fake_loss: float, gamma: float) -> float:
    """M_global = L(x) + |γ L(x) - L(G(z_G))|, on batch means."""
    return real_loss + abs(gamma * real_loss - fake_loss)


# ----------------------------------------------------------------------------- MMD-GAN
# MMD-GAN (Li, Chang, Cheng, Yang, Póczos 2017, eq. 6-7 and the authors' code): the kernel is a
# Gaussian mixture on the features f_φ(x) of an encoder; the critic maximises
#   √MMD²(f(x), f(G(z))) + λ_rg · one_sided(E f(x) - E f(G(z))) - λ_ae (‖x - Dec f(x)‖² + ‖y - Dec f(y)‖²)
# and the generator minimises √MMD²(f(x), f(G(z))) + λ_rg · one_sided(...). MMD² is clamped at
# 0 before the square root, as in the authors' code.


def one_sided(diff: torch.Tensor) -> torch.Tensor:
    """MMD-GAN's one-sided term: -mean(relu(-diff)), ≤ 0, zero when E f(x) ≥ E f(G(z)) in every
    coordinate of the features (the authors' feasible-set reduction)."""
    return -F.relu(-diff).mean()


def mmd_gan_terms(f_real: torch.Tensor, f_fake: torch.Tensor, sigmas) -> tuple[torch.Tensor, torch.Tensor]:
    """(√max(MMD², 0), one_sided(E f_real - E f_fake)) of two batches of features."""
    from .kernels import mmd2

    m2 = F.relu(mmd2(f_real, f_fake, "gaussian", sigmas))
    return m2.clamp_min(1e-12).sqrt(), one_sided(f_real.mean(0) - f_fake.mean(0))


def mmd_gan_critic_loss(f_real, f_fake, recon_real, x_real, recon_fake, x_fake, sigmas,
                        lambda_rg: float = 16.0, lambda_ae: float = 8.0) -> torch.Tensor:
    """The critic's loss (it minimises the negative of the objective it maximises)."""
    dist, side = mmd_gan_terms(f_real, f_fake, sigmas)
    ae = (recon_real - x_real).pow(2).mean() + (recon_fake - x_fake).pow(2).mean()
    return -(dist + lambda_rg * side - lambda_ae * ae)


def mmd_gan_g_loss(f_real, f_fake, sigmas, lambda_rg: float = 16.0) -> torch.Tensor:
    dist, side = mmd_gan_terms(f_real, f_fake, sigmas)
    return dist + lambda_rg * side


# ----------------------------------------------------------------------------- AAE
# The adversarial auto-encoder (Makhzani et al. 2015, Section 2) trains in two phases per
# mini-batch: the *reconstruction* phase updates the encoder and the decoder on the
# reconstruction error; the *regularisation* phase first updates a discriminator on codes
# (samples of the prior p(z) are "real", codes q(z | x) of the data are "fake": ``gan_d_loss``),
# then updates the encoder, as the GAN's generator, to fool it (``gan_g_loss``).

RECONSTRUCTION_LOSSES = ("mse", "bce")


def reconstruction_error(x: torch.Tensor, reconstruction: torch.Tensor, kind: str = "mse") -> torch.Tensor:
    """The batch mean of the per-example reconstruction error, summed over the example's entries:
    ``mse``: the squared Euclidean distance ||x - x̂||² (the AAE paper's "Euclidean cost");
    ``bce``: the binary cross-entropy -Σ [x log x̂ + (1 - x) log(1 - x̂)] (x̂ in (0, 1))."""
    if kind == "mse":
        return (reconstruction - x).pow(2).flatten(1).sum(1).mean()
    if kind == "bce":
        return F.binary_cross_entropy(reconstruction.flatten(1), x.flatten(1), reduction="none").sum(1).mean()
    raise UnknownNameError("reconstruction loss", kind, RECONSTRUCTION_LOSSES)
