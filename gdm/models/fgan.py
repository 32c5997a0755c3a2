"""f-GAN (Nowozin, Cseke and Tomioka 2016): a GAN whose value function is the variational
lower bound of an f-divergence,

    F(θ, ω) = E_P[g_f(V_ω(x))] - E_{Q_θ}[f*(g_f(V_ω(x)))],

with the divergence's output activation g_f and conjugate f* (``gdm.divergences``). The GAN is
the delta: the same nets, loop and Algorithm 1, other losses. ``g_loss="alternative"`` is the
paper's practical generator update (maximise E[g_f(V(G(z)))], Section 3.2), ``"minimax"``
the saddle-point objective itself.
"""
from __future__ import annotations

import torch

from .. import losses
from ..divergences import F_DIVERGENCES
from ..errors import UnknownNameError
from .gan import GAN


class FGAN(GAN):
    defaults = {
        **GAN.defaults,
        "divergence": "kl",  # kl | reverse_kl | pearson | squared_hellinger | jensen_shannon | gan
        "g_loss": "alternative",  # alternative (the paper's practice) | minimax
    }

    g_losses = losses.FGAN_G_LOSSES

    @classmethod
    def check_config(cls, cfg):
        super().check_config(cfg)
        if cfg["divergence"] not in F_DIVERGENCES:
            raise UnknownNameError("f-divergence", cfg["divergence"], F_DIVERGENCES)

    def d_loss(self, real_logits, fake_logits):
        return losses.fgan_d_loss(real_logits, fake_logits, self.cfg["divergence"])

    def g_loss(self, fake_logits):
        return losses.fgan_g_loss(fake_logits, self.cfg["divergence"], self.cfg["g_loss"])

    @torch.no_grad()
    def critic_bound(self, real: torch.Tensor, fake: torch.Tensor) -> float:
        """The critic's lower bound F on D_f(P || Q), estimated on two sets of samples."""
        return losses.fgan_value(self.d_logits(real), self.d_logits(fake), self.cfg["divergence"]).item()

    @torch.no_grad()
    def critic_bound_se(self, real: torch.Tensor, fake: torch.Tensor) -> float:
        """The standard error of ``critic_bound``'s estimate: its two means are over independent
        samples, so their variances over the sample sizes add. The true F is at most D_f; an
        estimate above a divergence by less than about two of these is Monte Carlo noise."""
        d = losses._fdiv(self.cfg["divergence"])
        t_real = d.activation(self.d_logits(real)).double()
        t_fake = d.conjugate_of_activation(self.d_logits(fake)).double()
        return float((t_real.var() / len(t_real) + t_fake.var() / len(t_fake)).sqrt())
