"""Metrics: functions of samples (or a model), reference data and an RNG, returning dicts.

One package, one place per metric; every function has a known-answer test in ``tests/``.

- :mod:`.likelihood`: Parzen-window log-likelihood (the papers' protocol), IWAE bound;
- :mod:`.modes`: mode coverage on toy mixtures, optimal-discriminator error, clustering accuracy;
- :mod:`.features`: the feature network, Fréchet and kernel distances, precision / recall /
  density / coverage, classifier scores, and ``evaluate``, the standard block of every image chapter.
"""
from .likelihood import PARZEN_SIGMAS, parzen, parzen_log_likelihood
from .features import (classifier_scores, evaluate, feature_net, frechet_distance, kernel_distance,
                       precision_recall)
from .modes import mode_coverage, optimal_d_error

__all__ = [
    "PARZEN_SIGMAS", "classifier_scores", "evaluate", "feature_net", "frechet_distance", "kernel_distance",
    "mode_coverage", "optimal_d_error", "parzen", "parzen_log_likelihood", "precision_recall",
]
