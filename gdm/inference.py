"""Posterior inference and the marginal likelihood, measured on a model where both are exact.

The road to the VAE (Kingma & Welling 2014, section 1): for a latent-variable model
``p(x, z) = p(z) p(x | z)`` we want log p(x) (to learn) and p(z | x) (to infer). Monte Carlo
gives them with samples, variational inference with an optimisation:

- **importance sampling** (:func:`importance_sampling`): log p(x) ≈ log (1/k) Σ p(x, z_i) / q(z_i),
  z_i ~ q; with q = q(z | x) this is the IWAE estimate of chapter 10;
- **Metropolis-Hastings** (:func:`metropolis_hastings`): a Markov chain whose stationary law is
  p(z | x), which needs p(x, z) only up to the constant p(x), so it does not estimate p(x)
  (the harmonic-mean identity 1 / p(x) = E_{p(z|x)}[1 / p(x | z)] does, badly:
  :func:`harmonic_mean_log_px`);
- **variational inference** (:func:`fit_gaussian_vi`): the Gaussian q maximising
  ELBO(q) = E_q[log p(x, z) - log q(z)], by stochastic gradient ascent with the
  reparameterisation trick; log p(x) = ELBO(q) + KL(q || p(z | x)) for every q.

:class:`LinearGaussian` (z ~ N(0, I), x | z ~ N(W z + b, σ² I)) has all of these in closed form, so
each estimate is checked against the exact value.
"""
from __future__ import annotations

import math

import torch

from .errors import UnknownNameError
from .latent import LOG_2PI, log_standard_normal

FAMILIES = ("diagonal", "full")


def _mvn_logpdf(x: torch.Tensor, mean: torch.Tensor, cov: torch.Tensor) -> torch.Tensor:
    return torch.distributions.MultivariateNormal(mean, covariance_matrix=cov).log_prob(x)


def gaussian_kl_full(mean_q, cov_q, mean_p, cov_p) -> torch.Tensor:
    """KL(N(mean_q, cov_q) || N(mean_p, cov_p)) for full covariances:
    1/2 [tr(Σp⁻¹ Σq) + (μp - μq)ᵀ Σp⁻¹ (μp - μq) - d + log det Σp - log det Σq]."""
    d = mean_q.shape[-1]
    prec_p = torch.linalg.inv(cov_p)
    diff = mean_p - mean_q
    return 0.5 * (torch.trace(prec_p @ cov_q) + diff @ prec_p @ diff - d
                  + torch.logdet(cov_p) - torch.logdet(cov_q))


class LinearGaussian:
    """z ~ N(0, I_dz), x | z ~ N(W z + b, σ² I_dx), in float64.

    Everything is Gaussian: p(x) = N(b, W Wᵀ + σ² I) and p(z | x) = N(m, S) with
    S = (I + Wᵀ W / σ²)⁻¹ and m = S Wᵀ (x - b) / σ²."""

    def __init__(self, W, b, sigma: float):
        self.W = torch.as_tensor(W, dtype=torch.float64)
        if self.W.dim() != 2:
            raise ValueError(f"W must be a (dx, dz) matrix, got shape {tuple(self.W.shape)}")
        self.dx, self.dz = self.W.shape
        self.b = torch.as_tensor(b, dtype=torch.float64).reshape(self.dx)
        self.sigma = float(sigma)

    def sample(self, n: int, generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """``(z, x)``: n draws of the latent and the observation."""
        z = torch.randn(n, self.dz, generator=generator, dtype=torch.float64)
        x = z @ self.W.T + self.b + self.sigma * torch.randn(n, self.dx, generator=generator, dtype=torch.float64)
        return z, x

    def log_likelihood(self, x: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        """log p(x | z) for latents ``z`` of shape (..., dz) and one observation ``x`` (dx,)."""
        r = x - (z @ self.W.T + self.b)
        return -0.5 * (self.dx * (LOG_2PI + 2 * math.log(self.sigma)) + (r * r).sum(-1) / self.sigma**2)

    def log_joint(self, x: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        """log p(x, z) = log p(x | z) + log N(z; 0, I)."""
        return self.log_likelihood(x, z) - 0.5 * (self.dz * LOG_2PI + (z * z).sum(-1))

    def marginal(self) -> tuple[torch.Tensor, torch.Tensor]:
        return self.b, self.W @ self.W.T + self.sigma**2 * torch.eye(self.dx, dtype=torch.float64)

    def log_marginal(self, x: torch.Tensor) -> torch.Tensor:
        """The exact log p(x)."""
        return _mvn_logpdf(x, *self.marginal())

    def posterior(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """The exact posterior's ``(mean, covariance)``."""
        prec = torch.eye(self.dz, dtype=torch.float64) + self.W.T @ self.W / self.sigma**2
        cov = torch.linalg.inv(prec)
        return cov @ self.W.T @ (x - self.b) / self.sigma**2, cov

    def log_posterior(self, x: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        return _mvn_logpdf(z, *self.posterior(x))

    def mean_field(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """The best *diagonal* Gaussian q (argmax of the ELBO, i.e. argmin KL(q || p(z | x))) for a
        Gaussian posterior N(m, Λ⁻¹): mean m, variances 1 / Λ_jj (smaller than the marginal
        posterior variances whenever the posterior is correlated). Returns (mean, covariance)."""
        mean, cov = self.posterior(x)
        return mean, torch.diag(1.0 / torch.diag(torch.linalg.inv(cov)))

    def elbo(self, x: torch.Tensor, q_mean: torch.Tensor, q_cov: torch.Tensor) -> torch.Tensor:
        """ELBO(q) = E_q[log p(x | z)] + E_q[log p(z)] + H(q), in closed form for a Gaussian q."""
        r = x - (self.W @ q_mean + self.b)
        e_loglik = -0.5 * (self.dx * (LOG_2PI + 2 * math.log(self.sigma))
                           + (r @ r + torch.trace(self.W @ q_cov @ self.W.T)) / self.sigma**2)
        e_logprior = -0.5 * (self.dz * LOG_2PI + q_mean @ q_mean + torch.trace(q_cov))
        entropy = 0.5 * (self.dz * (1 + LOG_2PI) + torch.logdet(q_cov))
        return e_loglik + e_logprior + entropy

    def kl_to_posterior(self, x: torch.Tensor, q_mean: torch.Tensor, q_cov: torch.Tensor) -> torch.Tensor:
        """KL(q || p(z | x)) in closed form."""
        return gaussian_kl_full(q_mean, q_cov, *self.posterior(x))


def importance_sampling(log_joint, z: torch.Tensor, log_q: torch.Tensor) -> dict:
    """Importance sampling with draws ``z`` (k, dz) from a proposal q of log-density ``log_q`` (k,):
    ``log_px`` = log (1/k) Σ w_i with w_i = p(x, z_i) / q(z_i) (unbiased for p(x), and a lower bound
    on log p(x) in expectation), the self-normalised posterior ``mean`` Σ w_i z_i / Σ w_i and the
    effective sample size ``ess`` = (Σ w)² / Σ w²."""
    lw = log_joint(z) - log_q
    k = lw.shape[0]
    w = torch.softmax(lw, 0)
    return {"log_px": (torch.logsumexp(lw, 0) - math.log(k)).item(), "mean": (w[:, None] * z).sum(0),
            "ess": (1.0 / (w * w).sum()).item(), "log_weights": lw}


def metropolis_hastings(log_target, z0: torch.Tensor, steps: int, step_size: float,
                        generator: torch.Generator | None = None) -> dict:
    """Random-walk Metropolis-Hastings: propose z' = z + step_size ε (ε ~ N(0, I)), accept with
    probability min(1, π(z') / π(z)). ``log_target`` needs to be known only up to a constant
    (log p(x, z) for the posterior p(z | x)). Returns the ``chain`` (steps, dz), including the
    repeats of rejected moves, and the ``acceptance`` rate."""
    z = torch.as_tensor(z0, dtype=torch.float64).clone()
    lp = log_target(z)
    chain = torch.empty(steps, z.shape[-1], dtype=torch.float64)
    eps = torch.randn(steps, z.shape[-1], generator=generator, dtype=torch.float64) * step_size
    log_u = torch.rand(steps, generator=generator, dtype=torch.float64).log()
    accepted = 0
    for t in range(steps):
        proposal = z + eps[t]
        lp_new = log_target(proposal)
        if log_u[t] < lp_new - lp:
            z, lp = proposal, lp_new
            accepted += 1
        chain[t] = z
    return {"chain": chain, "acceptance": accepted / steps}


def harmonic_mean_log_px(log_likelihoods: torch.Tensor) -> float:
    """The harmonic-mean estimate of log p(x) from log p(x | z_i) at posterior draws z_i
    (Newton & Raftery 1994): 1 / p(x) = E_{p(z|x)}[1 / p(x | z)]. Consistent, but its variance is
    often infinite: the estimate is dominated by the rare draws of small likelihood."""
    n = log_likelihoods.shape[0]
    return -(torch.logsumexp(-log_likelihoods.double(), 0) - math.log(n)).item()


def fit_gaussian_vi(log_joint, dz: int, steps: int = 2000, lr: float = 0.05, samples: int = 16,
                    family: str = "diagonal", generator: torch.Generator | None = None) -> dict:
    """Maximise the ELBO of a Gaussian q(z) = N(m, L Lᵀ) for one observation by stochastic gradient
    ascent (Adam) on the reparameterised estimate (1/S) Σ_s log p(x, m + L ε_s) + H(q), S = ``samples``.
    ``family``: ``diagonal`` (mean field, L diagonal) or ``full`` (L lower triangular).
    Returns ``mean``, ``cov`` and the ``trace`` of the ELBO estimates."""
    if family not in FAMILIES:
        raise UnknownNameError("variational family", family, FAMILIES)
    mean = torch.zeros(dz, dtype=torch.float64, requires_grad=True)
    log_diag = torch.zeros(dz, dtype=torch.float64, requires_grad=True)
    lower = torch.zeros(dz, dz, dtype=torch.float64, requires_grad=family == "full")
    opt = torch.optim.Adam([mean, log_diag] + ([lower] if family == "full" else []), lr=lr)
    mask = torch.tril(torch.ones(dz, dz, dtype=torch.float64), -1)
    trace = []

    def chol():
        return torch.diag(log_diag.exp()) + lower * mask

    for _ in range(steps):
        eps = torch.randn(samples, dz, generator=generator, dtype=torch.float64)
        z = mean + eps @ chol().T
        entropy = 0.5 * dz * (1 + LOG_2PI) + log_diag.sum()
        elbo = log_joint(z).mean() + entropy
        opt.zero_grad()
        (-elbo).backward()
        opt.step()
        trace.append(elbo.item())
    with torch.no_grad():
        L = chol()
        return {"mean": mean.detach().clone(), "cov": L @ L.T, "trace": trace}


def _summary(log_px: float, mean: torch.Tensor, cov: torch.Tensor, note: str = "") -> dict:
    return {"log_px": log_px, "mean_z1": mean[0].item(), "var_z1": cov[0, 0].item(),
            "corr": (cov[0, 1] / cov.diagonal().prod().sqrt()).item(), "note": note}


def roads(model: LinearGaussian, x: float, is_samples: int = 100000, mh_steps: int = 20000, mh_step_size: float = 0.3,
          vi_steps: int = 1500, seed: int = 0) -> dict:
    """Chapter 10's comparison of the roads to p(z | x) and log p(x) at one observation ``x`` of a
    two-latent ``model``, each against the exact values: variational fits of the mean-field and the
    full-covariance Gaussian (:func:`fit_gaussian_vi`, Adam 0.03, 32 draws per step), a
    Metropolis-Hastings chain from the origin (its first tenth discarded as burn-in) with the
    harmonic-mean estimate, and importance sampling with ``is_samples`` draws from the prior and
    from each fitted q. All random numbers come from one generator seeded ``seed``.

    Returns ``exact_ll``, ``post_mean``, ``post_cov``, ``fits``, ``chain``, ``acceptance``,
    ``harmonic``, ``is`` (proposal -> :func:`importance_sampling`'s result with its draws ``z``),
    ``table`` (row -> ``log_px``, ``mean_z1``, ``var_z1``, ``corr``, ``note``) and ``identity``
    (q -> ``elbo``, ``kl`` to the posterior, their ``sum`` and its ``residual`` from log p(x), in
    closed form, for the prior, both fits, the mean-field optimum and the posterior)."""
    xo = torch.tensor([x], dtype=torch.float64)
    log_joint = lambda z: model.log_joint(xo, z)
    exact_ll, (post_mean, post_cov) = model.log_marginal(xo).item(), model.posterior(xo)
    g = torch.Generator().manual_seed(seed)
    fits = {fam: fit_gaussian_vi(log_joint, 2, steps=vi_steps, lr=0.03, samples=32, family=fam, generator=g)
            for fam in FAMILIES}
    mh = metropolis_hastings(log_joint, torch.zeros(2), mh_steps, mh_step_size, g)
    chain = mh["chain"][mh_steps // 10:]  # a tenth as burn-in
    z = torch.randn(is_samples, 2, generator=g, dtype=torch.float64)
    found = {"prior": {**importance_sampling(log_joint, z, log_standard_normal(z)), "z": z}}
    for fam in FAMILIES:
        q = torch.distributions.MultivariateNormal(fits[fam]["mean"], fits[fam]["cov"])
        z = fits[fam]["mean"] + torch.randn(is_samples, 2, generator=g, dtype=torch.float64) @ torch.linalg.cholesky(fits[fam]["cov"]).T
        found[fam] = {**importance_sampling(log_joint, z, q.log_prob(z)), "z": z}
    harmonic = harmonic_mean_log_px(model.log_likelihood(xo, chain))
    wcov = lambda r: torch.cov(r["z"].T, aweights=torch.softmax(r["log_weights"], 0))
    names = {"prior": "prior", "diagonal": "mean-field q", "full": "full-covariance q"}
    table = {"exact": _summary(exact_ll, post_mean, post_cov)}
    for key, r in found.items():
        table[f"IS, {names[key]} proposal (k = {is_samples:,})"] = _summary(r["log_px"], r["mean"], wcov(r), f"ESS {r['ess']:,.0f}")
    table[f"Metropolis-Hastings ({len(chain):,} draws)"] = _summary(
        harmonic, chain.mean(0), torch.cov(chain.T), f"acceptance {mh['acceptance']:.2f}; log p(x): harmonic mean")
    for fam, label in (("diagonal", "VI, mean field (ELBO)"), ("full", "VI, full covariance (ELBO)")):
        table[label] = _summary(model.elbo(xo, fits[fam]["mean"], fits[fam]["cov"]).item(), fits[fam]["mean"], fits[fam]["cov"])
    qs = {"prior N(0, I)": (torch.zeros(2, dtype=torch.float64), torch.eye(2, dtype=torch.float64)),
          "mean-field VI fit": (fits["diagonal"]["mean"], fits["diagonal"]["cov"]), "mean-field optimum (closed form)": model.mean_field(xo),
          "full-covariance VI fit": (fits["full"]["mean"], fits["full"]["cov"]), "exact posterior": (post_mean, post_cov)}
    identity = {}
    for name, (m, c) in qs.items():
        e, k = model.elbo(xo, m, c).item(), model.kl_to_posterior(xo, m, c).item()
        identity[name] = {"elbo": e, "kl": k, "sum": e + k, "residual": abs(e + k - exact_ll)}
    return {"x": x, "exact_ll": exact_ll, "post_mean": post_mean, "post_cov": post_cov, "fits": fits, "chain": chain,
            "acceptance": mh["acceptance"], "harmonic": harmonic, "is": found, "table": table, "identity": identity,
            "model": model}

