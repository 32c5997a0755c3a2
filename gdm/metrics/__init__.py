"""Metrics: functions of samples (or a model), reference data and an RNG, returning dicts.

One package, one place per metric; every function has a known-answer test in ``tests/``.

- :mod:`.likelihood`: Parzen-window log-likelihood (the papers' protocol), the IWAE bound;
- :mod:`.modes`: mode coverage on toy mixtures, optimal-discriminator error, clustering accuracy;
- :mod:`.features`: the feature network, Fréchet and kernel distances, precision / recall /
  density / coverage, classifier scores, and ``evaluate``, the standard block of every image chapter;
- :mod:`.calibration`: the standard block on references with known answers, and which metrics may be read as quality;
- :mod:`.blur`: the variance of the Laplacian, a measure of blur on the pixels;
- :mod:`.disentanglement`: the β-VAE (Higgins), FactorVAE and MIG scores on a factor source.
"""
from .disentanglement import FactorsAsObservations, beta_vae_score, factor_vae_score, mig, mig_callback
from .features import (classifier_scores, d_gap_callback, evaluate, fd_callback, fd_to_data, feature_net, frechet_distance, kernel_distance, nearer_training,
                       precision_recall, recognition)
from .likelihood import PARZEN_SIGMAS, importance_weighted_ll, iwae_bound, parzen, parzen_log_likelihood
from .blur import laplacian, sharpness
from . import tracking
from .modes import (average_over_seeds, clustering_accuracy, lipschitz_bound, lipschitz_constant, mode_coverage,
                    optimal_d_error, prototype_clustering_error, wasserstein1_exact)

__all__ = [
    "FactorsAsObservations", "PARZEN_SIGMAS", "average_over_seeds", "beta_vae_score", "classifier_scores", "clustering_accuracy", "d_gap_callback",
    "evaluate", "factor_vae_score", "fd_callback", "fd_to_data", "feature_net", "frechet_distance", "importance_weighted_ll", "iwae_bound",
    "kernel_distance", "lipschitz_bound", "lipschitz_constant", "nearer_training", "mig", "mig_callback", "mode_coverage", "optimal_d_error", "parzen", "parzen_log_likelihood",
    "laplacian", "precision_recall", "recognition", "prototype_clustering_error", "sharpness", "wasserstein1_exact",
]
