"""Chapter 02 (f-GAN, Nowozin, Cseke, Tomioka 2016): its claims, written on 2026-12-07 while the
chapter's runs trained, before any of their results was read. Known then: the chapter's earlier
runs (one seed; the 1-D fits at 3,500 updates all within 0.03 of the direct minimiser in μ, Pearson's
σ̂ 0.06 off; the critic's value below D_f(P‖Q̂) in all six rows; the KL fit with the alternative
update at μ̂ 0.11, σ̂ 1.88; MNIST at 600 updates FD 1700–2350, recall near 0), and explorations of
session 17 and of this session (none of their runs is among the chapter's): the KL fit with the
alternative update settles by 2,000 updates at μ̂ 0.05–0.19, σ̂ 1.84–1.87 over 20,000 updates
(seed 0), at learning rate 5 × 10⁻⁴ μ̂ 0.15, σ̂ 1.91; with five critic updates per generator update
it diverged (NaN) at learning rate 2 × 10⁻³ and at 5 × 10⁻⁴ collapsed to σ̂ 0.02 at μ̂ −1.07 (seed
0, 6,000 updates); Pearson's minimax fit σ̂ 2.152 at 3,500 updates, 2.090 / 2.079 at 10,000 (direct
2.090); on MNIST a GAN with small DCGAN-style nets (16 channels) plateaued at FD ≈ 850 by 3,000
updates and KL with them collapsed (FD ≈ 3,000, 5 classes).

- *1-D design.* P is ½ N(−2, 0.5²) + ½ N(2, 0.5²); Q = N(μ, σ²) from N(−1, 1); a critic of two
  hidden layers of 32; Adam 2 × 10⁻³ for both players, batch 1,024, 10,000 generator updates, one
  critic update each, the minimax generator update (it descends F); three training seeds per
  divergence. The direct minimiser (μ*, σ*) by quadrature (the chapter's multi-start Nelder–Mead).
  The mixture is symmetric: fits are compared in (|μ|, σ), and the distance of a fit from a point is
  the larger of its distances in |μ| and in σ.
- *The alternative update.* The KL fit with the paper's practical generator update, same settings,
  three seeds; and the same with five critic updates per generator update at 5 × 10⁻⁴ (the lower
  rate because at 2 × 10⁻³ the KL critic's exp conjugate overflowed). The reverse KL's stationary
  points on this mixture: its minimum on a mode (|μ| ≈ 2, σ ≈ 0.5) and its saddle on μ = 0
  (σ ≈ 1.74), both by quadrature.
- *Covered*, one definition for the chapter (the book's toy protocol, `gdm.metrics.mode_coverage`):
  a mode is covered when at least one of 5,000 samples lies within 3 of its standard deviations
  and has it as nearest mode.
- *MNIST design.* The chapter's nets (MLP generator 100-512-512-784 with batch norm and uniform
  noise, MLP critic 784-512-256-1 without dropout), Adam 2 × 10⁻⁴ with β₁ = 0.5, batch 64, 6,000
  updates on the 4,000 training digits of mnist5k, the alternative update; the six divergences ×
  three training seeds; seed s gives every divergence the same initial nets, noise and batches. FD
  of 1,000 samples tracked every 500 updates; the standard block of 1,000 samples after the last.
- *The noise floor.* With the paper's output activations the JS and GAN games are one
  (F_JS = F_GAN + log 4, the same gradients), so a seed's JS and GAN runs differ only by floating-
  point rounding amplified by training: their difference is the floor a difference between two
  divergences must clear.
- A run that diverges (NaN) has no samples: its values are missing and the claims reading it are
  inconclusive on that seed; the chapter names it, and `fgan.digits_stable` counts it.

Amended on 2026-12-07 after a referee's reading of the ledger, still before any result was read:
- *The budget* on MNIST is a fixed 6,000 updates (chapters 04 to 07's), not training until the bar:
  the tracked FD shows whether it levelled off, and the texts say "at this budget".
- *A fit* is the generator's last iterate; a fit has *settled* when the same run at half the budget
  (the first half of the same trajectory) lies within 0.05 of it; the alternative update's claims
  require it.
- *The reverse KL's stationary points* are two local minima, one on a mode (|μ| ≈ 2, σ ≈ 0.5) and
  one on μ = 0 (σ ≈ 1.74; not a saddle: the divergence rises with |μ| there, if slowly). Because
  it is so flat in μ, whether the alternative update settles at one is read by the reverse KL's
  excess, D_rKL(P‖Q̂) less its value at the nearer of the two minima, below 0.005 nats (what a σ
  off by about 0.05 costs at the minimum on μ = 0), not by a distance in |μ|.
- *The critic arm* is compared with one critic update at the same learning rate (5 × 10⁻⁴, a third
  arm), and only where the five-update critic is measurably nearer its optimum: its value's
  relative gap |F − KL(P‖Q̂)| / KL(P‖Q̂) below the one-update critic's (`requires`).
- *The noise floor* on MNIST is the larger of the seed's JS–GAN difference and the spread over
  seeds within one divergence (the root mean square over the six divergences of the standard
  deviation of their three seeds): the one floor can be near zero by chance. The range of five
  values from one distribution averages about 2.3 standard deviations, so the range must clear
  three floors; the directional recall difference must clear one.
- *Covering and seeking* are read as a pattern, not a difference: KL and Pearson χ² each cover both
  modes and reverse KL exactly one (5,000 samples drawn with the training seed).
- *The bound below*: each F is within its noise of a lower bound, so the largest of six z-scores
  exceeds 2 by chance on about 13 % of seeds; the threshold is 3 (under 1 %).
- *The bound's tolerance* is absolute, 0.05: the smallest divergence at the fits is JS's ≈ 0.40, so
  it is at most about an eighth of any row's value; the estimates' standard errors (≈ 0.002–0.012)
  are reported beside it.
- *JS and GAN*: the identity F_JS = F_GAN + log 4 with equal gradients is a test
  (tests/test_fgan.py); the claim reads what it implies for two trainings of a seed, which share
  initial nets and batches.
- *Sources*: the paper's mixture example is in its Section 2 and compares KL, reverse KL, JS,
  Jeffrey and Pearson (not Hellinger or the GAN's); the seminar's and the paper's table print
  Pearson's D_f as ∫(q − p)²/p, while its f(u) = (u − 1)² gives ∫(p − q)²/q, which the book uses.
  The MNIST claims beyond the bar are the chapter's own questions, not the paper's.
"""
from . import Claim, Rule, bar_texts

#: what of the chapter the ledger does not decide yet (the reproduction report lists it)
NOT_YET = ("the 2-D mixture of three Gaussians (three seeds, read in the chapter's prose) and the ring and grid of "
           "the shared toy protocol")

ABSTRACT = "Nowozin et al. 2016, abstract (as in the seminar's text)"
DIVERGENCES = ("kl", "reverse_kl", "pearson", "squared_hellinger", "jensen_shannon", "gan")
NAMES = {"kl": "KL", "reverse_kl": "reverse KL", "pearson": "Pearson χ²", "squared_hellinger": "squared Hellinger",
         "jensen_shannon": "Jensen–Shannon", "gan": "GAN"}
FITS = ("the 1-D fits per training seed (a Gaussian generator against a 32-32 critic fitted to the two-mode mixture "
        "by each of the six divergences, the minimax update, 10,000 updates of batch 1,024)")
ALT = ("the KL fit with the paper's alternative generator update per training seed (otherwise the fits' settings)")
MNIST = ("the f-GAN of {div} per training seed (MLP generator 100-512-512-784 with batch norm, MLP critic "
         "784-512-256-1, Adam 2e-4, batch 64, 6,000 updates on the 4,000 training digits of mnist5k)")
ALL_MNIST = MNIST.format(div="each of the six divergences")
#: a fit's tolerance: the issue's "within 0.05 of the direct minimiser in μ and σ"
TOL = 0.05


def _digits(div: str) -> Claim:
    return Claim(
        id=f"fgan.digits_{div}",
        statement=f"f-GAN trains a generator with the {NAMES[div]} divergence: recognisable digits, an FD no worse "
                  f"than real digits blurred 3 × 3",
        source=ABSTRACT + ": \"We show that any f-divergence can be used for training generative neural samplers\"; "
                          "the book's bar",
        measurement=MNIST.format(div=NAMES[div]) + ": the FD of 1,000 samples to the training digits",
        rule=Rule(f"mnist_seeds.{div}.fd", "<", by="@calibration.recognisable_fd",
                  text="FD < the FD of real digits blurred 3 × 3 (results/calibration.json), on every seed"),
        seeds=3, texts=bar_texts(f"{NAMES[div]} FD", "blurred digits' {by:.0f}"),
    )


CLAIMS = [
    Claim(
        id="fgan.fit_direct",
        statement="f-GAN training minimises the divergence it is built from: the fitted Gaussian is the direct "
                  "minimiser of each of the six divergences",
        source="Nowozin et al. 2016, the univariate mixture example of Section 2 (its table of (μ*, σ*) against the "
               "f-GAN's (μ̂, σ̂) for KL, reverse KL, JS, Jeffrey and Pearson); the seminar: "
               "\"min D_f(p‖q) ⟺ min {E_p[T(x)] − E_q[f*(T(x))]}\"",
        measurement=FITS + ": the worst of the six divergences' distances of (|μ̂|, σ̂) from the global minimiser "
                           "(|μ*|, σ*) (a fit in another local minimum is a miss)",
        rule=Rule("fit_seeds.worst", "<", by=TOL, text="every divergence's fit within 0.05 of its minimiser in |μ| "
                                                        "and σ, on every seed"),
        seeds=3,
        texts={
            "holds": "on every seed all six fits land within 0.05 of their divergence's minimiser in |μ| and σ (the "
                     "worst distance {a_mean:.3f} ± {a_spread:.3f}): the game minimises the divergence it was built "
                     "from, as the paper's example found for its divergences",
            "fails": "on every seed some fit lands further than 0.05 from its divergence's minimiser (the worst "
                     "distance {a_mean:.3f} ± {a_spread:.3f})",
            "inconclusive": "all six fits land within 0.05 of their minimiser on {held} of {seeds} seeds (the worst "
                            "distance {a_mean:.3f} ± {a_spread:.3f}): inconclusive ({reason})",
        },
    ),
    Claim(
        id="fgan.bound_tight",
        statement="the critic estimates the divergence: at the end of training its value F is close to "
                  "D_f(P‖Q̂), the bound being tight at T* = f'(p/q)",
        source="the seminar's derivation: \"the lower bound is tight if T*(x) = f'(p(x)/q(x))\"; Nowozin et al. "
               "2016, Section 2.2",
        measurement=FITS + ": the worst of the six divergences' |F − D_f(P‖Q̂)|, F a Monte Carlo estimate on "
                           "100,000 samples of each, D_f by quadrature",
        rule=Rule("fit_seeds.bound_gap", "<", by=TOL, text="|F − D_f(P‖Q̂)| < 0.05 for every divergence, on every "
                                                           "seed"),
        seeds=3,
        texts={
            "holds": "on every seed the critic's value is within 0.05 of the fitted Gaussian's divergence for all six "
                     "(the worst gap {a_mean:.3f} ± {a_spread:.3f}): the final critic's value estimates the "
                     "divergence",
            "fails": "on every seed some critic's value is further than 0.05 from the fitted Gaussian's divergence (the "
                     "worst gap {a_mean:.3f} ± {a_spread:.3f}): the final critics do not estimate the divergence to this "
                     "tolerance",
            "inconclusive": "the critics' values are within 0.05 of the divergence on {held} of {seeds} seeds (the worst "
                            "gap {a_mean:.3f} ± {a_spread:.3f}): inconclusive ({reason})",
        },
    ),
    Claim(
        id="fgan.bound_below",
        statement="the critic's value is a lower bound of the divergence: F ≤ D_f(P‖Q̂)",
        source="the seminar's derivation: \"D_f(p‖q) ≥ sup_T {E_p[T(x)] − E_q[f*(T(x))]}\"; Nowozin et al. 2016, "
               "eq. (4)",
        measurement=FITS + ": the largest of the six divergences' (F − D_f(P‖Q̂)) / s.e.(F), s.e. the Monte Carlo "
                           "standard error of F",
        rule=Rule("fit_seeds.bound_z", "<", by=3.0, text="F above D_f(P‖Q̂) by less than 3 standard errors for "
                                                         "every divergence, on every seed"),
        seeds=3,
        texts={
            "holds": "on every seed no critic's value exceeds the divergence by 3 standard errors (the largest of the six "
                     "z-scores (F − D_f) / s.e., {a_mean:.1f} ± {a_spread:.1f} over the seeds; below zero is below the "
                     "divergence): the bound holds up to the noise of its estimate",
            "fails": "on every seed some critic's value exceeds the divergence by more than 3 standard errors "
                     "({a_mean:.1f} ± {a_spread:.1f}): more than sampling noise explains",
            "inconclusive": "no critic's value exceeds the divergence by 3 standard errors on {held} of {seeds} seeds "
                            "({a_mean:.1f} ± {a_spread:.1f}): inconclusive ({reason})",
        },
    ),
    Claim(
        id="fgan.cover_seek",
        statement="the divergence decides covering against seeking: the KL and Pearson χ² fits cover both modes, "
                  "the reverse KL fit one",
        source="the chapter's reading of the fits (KL and χ² weigh p/q: mode covering; reverse KL weighs q/p: mode "
               "seeking); Nowozin et al. 2016, the univariate mixture example of Section 2",
        measurement=FITS + ": the modes covered by 5,000 samples of each fit (the chapter's one definition; drawn "
                           "with the training seed): 1 when KL and Pearson each cover both modes and reverse KL "
                           "exactly one, else 0",
        rule=Rule("fit_seeds.cover_pattern", ">", by=0.5, text="KL and Pearson each cover 2 modes and reverse KL 1, "
                                                                "on every seed"),
        seeds=3,
        texts={
            "holds": "on every seed KL and Pearson χ² cover both modes and reverse KL one: the 1-D fits show the two "
                     "behaviours",
            "fails": "on no seed do KL and Pearson χ² cover both modes while reverse KL covers one",
            "inconclusive": "KL and Pearson χ² cover both modes and reverse KL one on {held} of {seeds} seeds: "
                            "inconclusive ({reason})",
        },
    ),
    Claim(
        id="fgan.js_gan_one",
        statement="with the paper's output activations the Jensen–Shannon and GAN games are one: F_JS = F_GAN + "
                  "log 4, so the two fit the same Gaussian",
        source="Nowozin et al. 2016, Tables 1 and 2 (their g_f and f*), as in the seminar's tables; the chapter's "
               "algebra",
        measurement=FITS + ": the distance between the JS fit and the GAN fit of the same seed (the larger of the differences in μ̂ and in σ̂, as trained)",
        rule=Rule("fit_seeds.js_gan", "<", by=0.005, text="the JS and GAN fits within 0.005 of each other, on every "
                                                          "seed"),
        seeds=3,
        texts={
            "holds": "on every seed the JS and GAN runs end within 0.005 of each other ({a_mean:.1e} ± "
                     "{a_spread:.1e}): one game, whose two runs differ only by rounding",
            "fails": "on every seed the JS and GAN runs end further than 0.005 apart ({a_mean:.1e} ± {a_spread:.1e}): "
                     "the same game, trained twice, separates by more than rounding even on this small problem",
            "inconclusive": "the JS and GAN runs end within 0.005 on {held} of {seeds} seeds ({a_mean:.1e} ± "
                            "{a_spread:.1e}): inconclusive ({reason})",
        },
    ),
    Claim(
        id="fgan.alt_biased",
        statement="the paper's practical (alternative) generator update does not minimise the divergence when the "
                  "model cannot equal the data: the KL fit it gives is not KL's minimiser",
        source="the chapter's derivation (Section 'Why the minimax update'); Nowozin et al. 2016, Section 3.2 "
               "introduces the update",
        measurement=ALT + ": the distance of (|μ̂|, σ̂) from KL's minimiser (|μ*|, σ*)",
        rule=Rule("alt.k1_from_kl", ">", by=TOL, text="the fit further than 0.05 from KL's minimiser, on every seed"),
        requires=(Rule("alt.settled.k1", "<", by=TOL, text="settled: within 0.05 of the same run at half the budget"),),
        seeds=3,
        texts={
            "holds": "on every seed the alternative update's KL fit ends further than 0.05 from KL's minimiser "
                     "({a_mean:.2f} ± {a_spread:.2f}): its fixed point is another one",
            "fails": "on every seed the alternative update's KL fit ends within 0.05 of KL's minimiser ({a_mean:.3f} ± "
                     "{a_spread:.3f}): on this mixture the two updates agree",
            "inconclusive": "the alternative update's KL fit ends further than 0.05 from KL's minimiser on {held} of "
                            "{seeds} seeds ({a_mean:.2f} ± {a_spread:.2f}): inconclusive ({reason})",
        },
    ),
    Claim(
        id="fgan.alt_reverse",
        statement="the alternative update follows the reverse KL: its KL fit settles at a local minimum of "
                  "KL(Q‖P) (the chapter's derivation, exact for an optimal critic)",
        source="the chapter's derivation: with T* = 1 + log(p/q) the update's gradient is −∇KL(Q‖P)",
        measurement=ALT + ": the reverse KL's excess at the fit, KL(Q̂‖P) less its value at the nearer (in (|μ|, σ)) "
                          "of its two local minima (on a mode, and on μ = 0)",
        rule=Rule("alt.k1_rkl_excess", "<", by=0.005, text="the reverse KL at the fit within 0.005 nats of a local "
                                                           "minimum's, on every seed"),
        requires=(Rule("alt.settled.k1", "<", by=TOL, text="settled: within 0.05 of the same run at half the budget"),),
        seeds=3,
        texts={
            "holds": "on every seed the reverse KL at the fit is within 0.005 nats of a local minimum's ({a_mean:.4f} ± "
                     "{a_spread:.4f}): the update descends the reverse KL, as derived",
            "fails": "on every seed the reverse KL at the fit exceeds its nearer local minimum's by more than 0.005 "
                     "nats ({a_mean:.3f} ± {a_spread:.3f}): the alternative update does not settle where the reverse "
                     "KL is stationary",
            "inconclusive": "the reverse KL at the fit is within 0.005 nats of a local minimum's on {held} of {seeds} "
                            "seeds ({a_mean:.3f} ± {a_spread:.3f}): inconclusive ({reason})",
        },
    ),
    Claim(
        id="fgan.alt_critic",
        statement="with a critic nearer its optimum the alternative update's fit comes nearer to a local minimum "
                  "of the reverse KL (the derivation assumes the optimal critic)",
        source="the chapter's derivation",
        measurement=ALT + ", with one and with five critic updates per generator update, both at learning rate 5e-4, "
                          "paired by seed: the reverse KL's excess at each fit (as above)",
        rule=Rule("alt.critic_rkl_excess", "<", b="alt.slow_rkl_excess",
                  text="five critic updates end with a smaller reverse-KL excess than one, on every seed"),
        requires=(Rule("alt.critic_gap", "<", b="alt.slow_gap",
                       text="the five-update critic nearer its optimum: its relative gap |F − KL(P‖Q̂)| / KL(P‖Q̂) "
                            "below the one-update critic's"),
                  Rule("alt.settled.critic", "<", by=TOL, text="both arms settled (within 0.05 of half the budget)"),
                  Rule("alt.settled.slow", "<", by=TOL, text="both arms settled (within 0.05 of half the budget)")),
        seeds=3,
        texts={
            "holds": "on every seed five critic updates per generator update end with a smaller reverse-KL excess "
                     "than one at the same rate ({a_mean:.4f} ± {a_spread:.4f} against {b_mean:.4f} ± "
                     "{b_spread:.4f} nats): as the derivation predicts for a better critic",
            "fails": "on every seed five critic updates per generator update end with a larger reverse-KL excess than "
                     "one at the same rate ({a_mean:.3f} ± {a_spread:.3f} against {b_mean:.3f} ± {b_spread:.3f} "
                     "nats): a better-trained critic does not bring the derivation's fixed point nearer",
            "inconclusive": "five critic updates end with a smaller reverse-KL excess than one on {held} of {seeds} "
                            "seeds ({a_mean:.3f} ± {a_spread:.3f} against {b_mean:.3f} ± {b_spread:.3f} nats): "
                            "inconclusive ({reason})",
        },
    ),
    *[_digits(d) for d in DIVERGENCES],
    Claim(
        id="fgan.digits_stable",
        statement="every divergence trains the image model without diverging",
        source=ABSTRACT + ": \"the benefits of various choices of divergence functions on training complexity\"",
        measurement=ALL_MNIST + ": the number of the six runs that diverge (a NaN in a loss)",
        rule=Rule("mnist_seeds.diverged_runs", "<", by=0.5, text="no run diverges, on every seed"),
        seeds=3,
        texts={
            "holds": "on every seed all six divergences train to the end",
            "fails": "on every seed some divergence diverges ({a_mean:.1f} of 6 runs on average)",
            "inconclusive": "all six divergences train to the end on {held} of {seeds} seeds: inconclusive ({reason})",
        },
    ),
    Claim(
        id="fgan.digits_recall",
        statement="every divergence's samples cover the digits' variety: recall at least 0.3",
        source=ABSTRACT + "; the book's bar",
        measurement=ALL_MNIST + ": the lowest recall of the six",
        rule=Rule("mnist_seeds.min_recall", ">", by=0.3, text="recall > 0.3 for every divergence, on every seed"),
        seeds=3, texts=bar_texts("lowest recall of the six", "the bar {by:.1f}"),
    ),
    Claim(
        id="fgan.digits_classes",
        statement="every divergence's samples show every digit class",
        source=ABSTRACT + "; the book's bar",
        measurement=ALL_MNIST + ": the fewest classes the feature network's classifier finds among 1,000 samples",
        rule=Rule("mnist_seeds.min_classes", ">", by=9.5, text="all 10 classes for every divergence, on every seed"),
        seeds=3, texts=bar_texts("fewest classes of the six", "all 10"),
    ),
    Claim(
        id="fgan.divergence_matters",
        statement="the choice of divergence changes the quality of the trained generator",
        source=ABSTRACT + ": \"We discuss the benefits of various choices of divergence functions on training "
                          "complexity and the quality of the obtained generative models\"",
        measurement=ALL_MNIST + ": the range of the FD over the five distinct games (KL, reverse KL, Pearson χ², "
                                "squared Hellinger, JS) against the noise floor: the larger of the seed's |FD(JS) − "
                                "FD(GAN)| and the spread of one divergence's FD over seeds",
        rule=Rule("mnist_seeds.fd_range", ">", b="mnist_seeds.fd_floor", factor=3.0,
                  text="the range of the five games' FD above 3 × the noise floor, on every seed"),
        seeds=3,
        texts={
            "holds": "on every seed the five games' FDs spread over more than three times the noise floor (a "
                     "range of {a_mean:.0f} ± {a_spread:.0f} against a floor of {b_mean:.0f} ± {b_spread:.0f}): the "
                     "divergence matters beyond training noise",
            "fails": "on every seed the five games' FDs spread over less than three times the noise floor (a "
                     "range of {a_mean:.0f} ± {a_spread:.0f} against a floor of {b_mean:.0f} ± {b_spread:.0f}): at "
                     "this budget the divergence is not distinguishable from training noise",
            "inconclusive": "the five games' FDs spread over more than three times the noise floor on {held} of "
                            "{seeds} seeds (a range of {a_mean:.0f} ± {a_spread:.0f} against a floor of {b_mean:.0f} "
                            "± {b_spread:.0f}): inconclusive ({reason})",
        },
    ),
    Claim(
        id="fgan.kl_covers_digits",
        statement="covering against seeking carries over to images: KL's samples cover more of the digits than "
                  "reverse KL's",
        source="the chapter's 1-D reading carried to MNIST; Nowozin et al. 2016, Section 4 discusses the divergences' "
               "effect on sample quality",
        measurement=ALL_MNIST + ": recall(KL) − recall(reverse KL) against the noise floor, the larger of the seed's "
                                "|recall(JS) − recall(GAN)| and the spread of one divergence's recall over seeds",
        rule=Rule("mnist_seeds.recall_kl_rkl", ">", b="mnist_seeds.recall_floor",
                  text="KL's recall above reverse KL's by more than the noise floor, on every seed"),
        seeds=3,
        texts={
            "holds": "on every seed KL's recall exceeds reverse KL's by more than the noise floor ({a_mean:.2f} ± "
                     "{a_spread:.2f} against {b_mean:.2f} ± {b_spread:.2f}): KL covers more of the digits",
            "fails": "on no seed does KL's recall exceed reverse KL's by more than the noise floor ({a_mean:.2f} ± "
                     "{a_spread:.2f} against {b_mean:.2f} ± {b_spread:.2f}): the 1-D picture does not carry over "
                     "to these image models",
            "inconclusive": "KL's recall exceeds reverse KL's by more than the floor on {held} of {seeds} seeds "
                            "({a_mean:.2f} ± {a_spread:.2f} against {b_mean:.2f} ± {b_spread:.2f}): inconclusive "
                            "({reason})",
        },
    ),
]
