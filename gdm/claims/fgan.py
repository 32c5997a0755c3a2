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
  inconclusive on that seed; the chapter names it.
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
        source="Nowozin et al. 2016, Section 4.1 and its table of (μ*, σ*) against the f-GAN's (μ̂, σ̂); the seminar: "
               "\"min D_f(p‖q) ⟺ min {E_p[T(x)] − E_q[f*(T(x))]}\"",
        measurement=FITS + ": the worst of the six divergences' distances of (|μ̂|, σ̂) from (|μ*|, σ*)",
        rule=Rule("fit_seeds.worst", "<", by=TOL, text="every divergence's fit within 0.05 of its minimiser in |μ| "
                                                        "and σ, on every seed"),
        seeds=3,
        texts={
            "holds": "on every seed all six fits land within 0.05 of their divergence's minimiser in |μ| and σ (the "
                     "worst distance {a_mean:.3f} ± {a_spread:.3f}): the game minimises the divergence it was built "
                     "from, as the paper's table shows",
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
                     "(the worst gap {a_mean:.3f} ± {a_spread:.3f}): one critic update per generator update keeps the "
                     "critic near T*",
            "fails": "on every seed some critic's value is further than 0.05 from the fitted Gaussian's divergence (the "
                     "worst gap {a_mean:.3f} ± {a_spread:.3f}): the critic at the end is far from T*",
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
        rule=Rule("fit_seeds.bound_z", "<", by=2.0, text="F above D_f(P‖Q̂) by less than 2 standard errors for "
                                                         "every divergence, on every seed"),
        seeds=3,
        texts={
            "holds": "on every seed no critic's value exceeds the divergence by 2 standard errors (the largest excess "
                     "{a_mean:.1f} ± {a_spread:.1f} standard errors, negative: below): the bound holds up to the "
                     "noise of its estimate",
            "fails": "on every seed some critic's value exceeds the divergence by more than 2 standard errors "
                     "({a_mean:.1f} ± {a_spread:.1f}): more than sampling noise explains; a conjugate or an "
                     "activation is wrong",
            "inconclusive": "no critic's value exceeds the divergence by 2 standard errors on {held} of {seeds} seeds "
                            "({a_mean:.1f} ± {a_spread:.1f}): inconclusive ({reason})",
        },
    ),
    Claim(
        id="fgan.cover_seek",
        statement="the divergence decides covering against seeking: the KL and Pearson χ² fits cover both modes, "
                  "the reverse KL fit one",
        source="Nowozin et al. 2016, Section 4.1 (the fits of its table); the seminar's KL and reverse KL rows",
        measurement=FITS + ": the modes covered by 5,000 samples of each fit (the chapter's one definition), the "
                           "smaller of KL's and Pearson's count less reverse KL's",
        rule=Rule("fit_seeds.cover_gap", ">", by=0.5, text="KL and Pearson cover 2 modes and reverse KL 1, on every "
                                                           "seed"),
        seeds=3,
        texts={
            "holds": "on every seed KL and Pearson χ² cover both modes and reverse KL one (the gap {a_mean:.0f} mode): "
                     "the 1-D fits show the two behaviours",
            "fails": "on no seed do KL and Pearson χ² cover more modes than reverse KL (the gap {a_mean:.1f})",
            "inconclusive": "KL and Pearson χ² cover more modes than reverse KL on {held} of {seeds} seeds (the gap "
                            "{a_mean:.1f} ± {a_spread:.1f}): inconclusive ({reason})",
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
                     "the two games are not implemented as one",
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
        statement="the alternative update follows the reverse KL: its KL fit settles at a stationary point of "
                  "KL(Q‖P) (the chapter's derivation, exact for an optimal critic)",
        source="the chapter's derivation: with T* = 1 + log(p/q) the update's gradient is −∇KL(Q‖P)",
        measurement=ALT + ": the distance of (|μ̂|, σ̂) from the nearer of the reverse KL's two stationary points "
                          "(its minimum on a mode, its saddle on μ = 0)",
        rule=Rule("alt.k1_from_rkl", "<", by=TOL, text="the fit within 0.05 of a stationary point of the reverse KL, "
                                                       "on every seed"),
        seeds=3,
        texts={
            "holds": "on every seed the fit ends within 0.05 of a stationary point of the reverse KL ({a_mean:.3f} ± "
                     "{a_spread:.3f}): the update descends the reverse KL, as derived",
            "fails": "on every seed the fit ends further than 0.05 from every stationary point of the reverse KL "
                     "({a_mean:.2f} ± {a_spread:.2f}): with a critic trained one step per generator step the "
                     "derivation's fixed point is not reached",
            "inconclusive": "the fit ends within 0.05 of a stationary point of the reverse KL on {held} of {seeds} "
                            "seeds ({a_mean:.2f} ± {a_spread:.2f}): inconclusive ({reason})",
        },
    ),
    Claim(
        id="fgan.alt_critic",
        statement="with a critic nearer its optimum the alternative update's fit comes nearer to the reverse KL's "
                  "stationary points (the derivation assumes the optimal critic)",
        source="the chapter's derivation",
        measurement=ALT + ", with one and with five critic updates per generator update (the latter at learning "
                          "rate 5e-4), paired by seed: the distances of each fit from the nearer stationary point "
                          "of the reverse KL",
        rule=Rule("alt.k5_from_rkl", "<", b="alt.k1_from_rkl",
                  text="five critic updates end nearer a stationary point of the reverse KL than one, on every seed"),
        seeds=3,
        texts={
            "holds": "on every seed five critic updates per generator update bring the fit nearer the reverse KL's "
                     "stationary point ({a_mean:.2f} ± {a_spread:.2f} against {b_mean:.2f} ± {b_spread:.2f}): "
                     "the gap is the critic's lag",
            "fails": "on every seed five critic updates per generator update leave the fit further from the reverse "
                     "KL's stationary points than one ({a_mean:.2f} ± {a_spread:.2f} against {b_mean:.2f} ± "
                     "{b_spread:.2f}): a better-trained critic does not bring the derivation's fixed point nearer",
            "inconclusive": "five critic updates bring the fit nearer the reverse KL's stationary points on {held} of "
                            "{seeds} seeds ({a_mean:.2f} ± {a_spread:.2f} against {b_mean:.2f} ± {b_spread:.2f}): "
                            "inconclusive ({reason})",
        },
    ),
    *[_digits(d) for d in DIVERGENCES],
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
                                "squared Hellinger, JS) against the noise floor, |FD(JS) − FD(GAN)| of the same seed",
        rule=Rule("mnist_seeds.fd_range", ">", b="mnist_seeds.fd_floor", factor=3.0,
                  text="the range of the five games' FD above 3 × the JS–GAN difference, on every seed"),
        seeds=3,
        texts={
            "holds": "on every seed the five games' FDs spread over more than three times the JS–GAN difference (a "
                     "range of {a_mean:.0f} ± {a_spread:.0f} against a floor of {b_mean:.0f} ± {b_spread:.0f}): the "
                     "divergence matters beyond training noise",
            "fails": "on every seed the five games' FDs spread over less than three times the JS–GAN difference (a "
                     "range of {a_mean:.0f} ± {a_spread:.0f} against a floor of {b_mean:.0f} ± {b_spread:.0f}): at "
                     "this budget the divergence is not distinguishable from training noise",
            "inconclusive": "the five games' FDs spread over more than three times the JS–GAN difference on {held} of "
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
        measurement=ALL_MNIST + ": recall(KL) − recall(reverse KL) against the noise floor |recall(JS) − recall(GAN)| "
                                "of the same seed",
        rule=Rule("mnist_seeds.recall_kl_rkl", ">", b="mnist_seeds.recall_floor",
                  text="KL's recall above reverse KL's by more than the JS–GAN difference, on every seed"),
        seeds=3,
        texts={
            "holds": "on every seed KL's recall exceeds reverse KL's by more than the JS–GAN floor ({a_mean:.2f} ± "
                     "{a_spread:.2f} against {b_mean:.2f} ± {b_spread:.2f}): KL covers more of the digits",
            "fails": "on no seed does KL's recall exceed reverse KL's by more than the JS–GAN floor ({a_mean:.2f} ± "
                     "{a_spread:.2f} against {b_mean:.2f} ± {b_spread:.2f}): the 1-D picture does not carry over "
                     "to these image models",
            "inconclusive": "KL's recall exceeds reverse KL's by more than the floor on {held} of {seeds} seeds "
                            "({a_mean:.2f} ± {a_spread:.2f} against {b_mean:.2f} ± {b_spread:.2f}): inconclusive "
                            "({reason})",
        },
    ),
]
