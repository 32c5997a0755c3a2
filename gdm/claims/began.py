"""Chapter 06 (BEGAN, Berthelot, Schumm, Metz 2017): the claim that M_global measures convergence
and so quality, decided across runs, fixed before the runs trained.

The notebook trains, per training seed, the chapter's BEGAN at its headline γ under seven settings
of different final quality (budgets, the generator's width, learning rates; the largest, × 10,
drives M_global up without the worst FD) and records (``metrics["tracking"]``,
:func:`gdm.metrics.tracking.across_runs`) per seed Spearman's ρ between each run's final M_global and the FD of its samples. The curves along one run
are illustrations; the ledger reads the comparison of final values.

The γ sweep and the toys are not in the ledger yet: the chapters' issue converts them with their
retraining.
"""
from . import Claim, Rule

#: what of the chapter the ledger does not decide yet (the reproduction report lists it)
NOT_YET = "the γ sweep (quality against diversity) and the ring and grid"

ABSTRACT = "Berthelot et al. 2017, abstract (as in the seminar's text); the slides' 'Convergence measure – Visual quality'"

CLAIMS = [
    Claim(
        id="began.tracks",
        statement="[BEGAN] provides a new approximate convergence measure: M_global falls as image quality improves",
        source=ABSTRACT + "; Section 4.3 and Figure 5",
        measurement="per training seed, Spearman's ρ across seven runs (the headline run of 1,200 steps at γ = 0.5 "
                    "and, each changing one value, half and a quarter of its steps, a generator a quarter as wide, the "
                    "learning rate × 0.1, × 3 and × 10) between the final M_global (mean over the last 100 steps) and "
                    "the FD of 1,000 samples to the training digits",
        rule=Rule("tracking.rho", ">", by="tracking.chance_rho",
                  text="ρ(final M_global, FD) across the runs above the largest value chance reaches more than "
                       "5 % of the time, on every seed"),
        seeds=3,
        texts={
            "holds": "across runs the final M_global ranks the runs as their FD does, on every seed "
                     "(ρ = {a_mean:.2f} ± {a_spread:.2f}, above chance's {by:.2f}): the paper's claim holds where "
                     "it is tested, between runs",
            "fails": "across runs the final M_global does not rank the runs as their FD does on any seed "
                     "(ρ = {a_mean:.2f} ± {a_spread:.2f}, chance reaches {by:.2f}): the claim fails between runs, "
                     "whatever the curves along one run show",
            "inconclusive": "across runs the final M_global ranks the runs as their FD does, beyond chance, on {held} of {seeds} seeds "
                            "(ρ = {a_mean:.2f} ± {a_spread:.2f}, chance reaches {by:.2f}): the measurement cannot "
                            "decide the claim ({reason})",
        },
    ),
]
