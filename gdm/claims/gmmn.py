"""Chapter 08 (GMMN, Li, Swersky, Zemel 2015): its claims, written on 2026-12-07 before the
chapter's retraining ran. Known then: the earlier one-seed runs (200 generator updates at batch
1,000: GMMN's Parzen estimate −61 nats and FD 1,789, GMMN+AE's 6 nats and FD 1,570, the real
training digits' 204 nats with the same estimator), and a probe of seed 0's GMMN in data space at
the headline's settings (FD 1,422 after 500 updates, 918 after 1,000; Parzen on 3,000 samples −77
and −28 nats).

- *Design.* Per training seed (3): GMMN in data space and GMMN+AE (the auto-encoder trained, frozen,
  then a GMMN on its codes), the paper's nets and kernels, batch 1,000, Adam; budgets of 6,000
  generator updates each, fixed before the runs from the probe above (not at a measured plateau: the
  chapter reports how the tracked FD ended). The batch-size study trains the data-space GMMN with
  batches of 64 and 256 on 1.6 M images each (more updates for smaller batches), seed for seed, beside
  the headline's tracked FD at the same 1.6 M images.
- *The mechanism* (changed from the loss estimate's spread to its gradient after a referee's review,
  before any result): per seed, the batch-64 run's generator at the end of its images; the gradient
  of the loss as trained on 30 mini-batches of M digits and M fresh samples, its mean squared distance
  to the gradient on 4,000 digits and 4,000 samples over the latter's squared length, M = 64, 256, 1,000.
- *Moment matching.* A 1-D mixture ½ N(−2, 0.5²) + ½ N(2, 0.5²); one small generator trained with
  three kernels, per seed: linear on x, linear on (x, x²), Gaussian.
"""
from . import Claim, Paper, Rule, bar_texts, not_blobs

#: what of the chapter the ledger does not decide yet (the reproduction report lists it)
NOT_YET = ("the ring and grid of the shared toy protocol (read in the chapter's prose beside the uniform cloud, "
           "with whether the kernel's widths resolve the modes)")

SLIDE_MOMENTS = ("the seminar's GMMN slides: \"if f(x) = x ⟹ (difference of sample mean); if f(x) = x² ⟹ (difference "
                 "of the second moment); using k(x, y) = exp(−(x − y)²/(2σ)) ⟹ difference of moments of all the orders\"")
ABSTRACT = ("Li, Swersky, Zemel 2015, abstract: \"We further boost the performance of this approach by combining our "
            "generative network with an auto-encoder network, using MMD to learn to generate codes that can then be "
            "decoded to produce samples\"")
BATCH = ("Li et al. 2017 (MMD-GAN), abstract, as in the seminar's text: \"The computational efficiency of GMMN is also "
         "less desirable in comparison with GAN, partially due to its requirement for a rather large batch size during "
         "the training\"")
TABLE1 = "Li, Swersky, Zemel 2015, Table 1 (the paper's text not found here; 282 ± 2 corroborated by a later paper's table)"
PARZEN_SETTING = "MNIST test set, Gaussian Parzen window on 10,000 samples, σ chosen on the validation set"
TOY = ("the 1-D mixture ½ N(−2, 0.5²) + ½ N(2, 0.5²) (mean 0, E x² = 4.25), a 4-64-64-1 generator from Gaussian "
       "noise, per seed, 20,000 samples against 20,000 draws of the mixture")
HEAD = ("the headline GMMN per training seed (the paper's 10-64-256-256-1024-784 generator, uniform prior on [−1, 1]¹⁰, "
        "Gaussian kernels of variances 2, 5, 10, 20, 40, 80, batch 1,000, Adam 10⁻³ on the 4,000 training digits of "
        "mnist5k)")
HEAD_AE = ("the headline GMMN+AE per training seed (auto-encoder 784-1024-32 with a sigmoid code, trained and frozen; "
           "a 10-64-256-256-1024-32 GMMN on its codes, kernel variance 1, batch 1,000)")
PARZEN = ": the Parzen-window log-likelihood of the 500 test digits of mnist5k under 10,000 samples (σ chosen on the " \
         "500 validation digits)"
BATCHES = ("the data-space GMMN per training seed with batches of 64 and 1,000, every run on the same number of images "
           "(the headline's), so the batch of 64 takes 1000/64 times the updates: FD of 1,000 samples")
NOISE = ("per training seed, the generator of the batch-64 run at the end of its training (the images of the batch "
         "study): the gradient of the loss as trained (√ of the biased MMD²) on 30 mini-batches of M digits and M fresh "
         "samples, its mean squared distance to the gradient on 4,000 training digits and 4,000 samples, over the "
         "latter's squared length, at M = 64 and 1,000")


def _digits(model: str, who: str, path: str) -> list:
    return [
        Claim(
            id=f"gmmn.{model}_fd",
            statement=f"{who} learns recognisable digits: an FD no worse than real digits blurred 3 × 3",
            source="Li, Swersky, Zemel 2015, Section 4 (MNIST samples, Figure 2); the book's bar",
            measurement=(HEAD if model == "data" else HEAD_AE) + ": the FD of 1,000 samples to the training digits",
            rule=Rule(f"{path}.fd", "<", by="@calibration.recognisable_fd",
                      text="FD < the FD of real digits blurred 3 × 3 (results/calibration.json), on every seed"),
            seeds=3, texts=bar_texts("FD", "blurred digits' {by:.0f}")),
        Claim(
            id=f"gmmn.{model}_recall",
            statement=f"{who}'s samples cover the digits' variety: recall at least 0.3",
            source="Li, Swersky, Zemel 2015, Section 4; the book's bar",
            measurement=(HEAD if model == "data" else HEAD_AE) + ": recall",
            rule=Rule(f"{path}.recall", ">", by=0.3, text="recall > 0.3 on every seed"),
            requires=(not_blobs(f"{path}.fd"),), seeds=3, texts=bar_texts("recall", "the bar {by:.1f}")),
        Claim(
            id=f"gmmn.{model}_classes",
            statement=f"{who}'s samples show every digit class",
            source="Li, Swersky, Zemel 2015, Section 4; the book's bar",
            measurement=(HEAD if model == "data" else HEAD_AE) + ": the classes the feature network's classifier "
                                                                 "finds among 1,000 samples",
            rule=Rule(f"{path}.classes_covered", ">", by=9.5, text="all 10 classes on every seed"),
            requires=(not_blobs(f"{path}.fd"),), seeds=3, texts=bar_texts("count of classes", "all 10")),
    ]


CLAIMS = [
    Claim(
        id="gmmn.moments_mean",
        statement="with the linear kernel, MMD² is the difference of the means: the generator matches the data's mean",
        source=SLIDE_MOMENTS,
        measurement=TOY + ": |mean of the samples| with the linear kernel on x",
        rule=Rule("moments.linear.abs_mean", "<", by=0.1, text="|E y| < 0.1 (the data's mean is 0), every seed"),
        seeds=3,
        texts={
            "holds": "with the linear kernel the samples' mean lands within 0.1 of the data's 0 on every seed "
                     "(|E y| = {a_mean:.3f} ± {a_spread:.2g})",
            "fails": "with the linear kernel the samples' mean misses the data's 0 by 0.1 or more on every seed "
                     "(|E y| = {a_mean:.3f} ± {a_spread:.2g})",
            "inconclusive": "with the linear kernel the samples' mean lands within 0.1 of 0 on {held} of {seeds} seeds "
                            "(|E y| = {a_mean:.3f} ± {a_spread:.2g}): inconclusive ({reason})",
        },
    ),
    Claim(
        id="gmmn.moments_second",
        statement="adding x² to the features adds the second moment: the generator matches E x²",
        source=SLIDE_MOMENTS,
        measurement=TOY + ": |E y² − E x²| with the linear kernel on (x, x²)",
        rule=Rule("moments.x_x2.m2_error", "<", by=0.2, text="|E y² − 4.25| < 0.2, every seed"),
        seeds=3,
        texts={
            "holds": "on (x, x²) the samples' second moment lands within 0.2 of the data's 4.25 on every seed "
                     "(error {a_mean:.3f} ± {a_spread:.2g})",
            "fails": "on (x, x²) the samples' second moment misses the data's 4.25 by 0.2 or more on every seed "
                     "(error {a_mean:.3f} ± {a_spread:.2g})",
            "inconclusive": "on (x, x²) the second moment lands within 0.2 of 4.25 on {held} of {seeds} seeds "
                            "(error {a_mean:.3f} ± {a_spread:.2g}): inconclusive ({reason})",
        },
    ),
    Claim(
        id="gmmn.moments_all",
        statement="the Gaussian kernel matches moments of every order: its generator fits the distribution closer "
                  "than one that matches the first two",
        source=SLIDE_MOMENTS,
        measurement=TOY + ": the Wasserstein-1 distance of the samples to the mixture, Gaussian kernel against the "
                          "linear kernel on (x, x²), paired by seed",
        rule=Rule("moments.gaussian.w1", "<", b="moments.x_x2.w1", text="W₁(Gaussian) < W₁(x, x²), paired by seed"),
        seeds=3,
        texts={
            "holds": "the Gaussian kernel's samples lie closer to the mixture on every seed (W₁ {a_mean:.3f} against "
                     "{b_mean:.3f} for the first two moments)",
            "fails": "the Gaussian kernel's samples lie no closer to the mixture on any seed (W₁ {a_mean:.3f} against "
                     "{b_mean:.3f} for the first two moments)",
            "inconclusive": "the Gaussian kernel's samples lie closer on {held} of {seeds} seeds (W₁ {a_mean:.3f} ± "
                            "{a_spread:.2g} against {b_mean:.3f} ± {b_spread:.2g}): inconclusive ({reason})",
        },
    ),
    Claim(
        id="gmmn.data_parzen",
        statement="GMMN in data space reaches a Parzen estimate of at least 100 nats on mnist5k (the paper: 147 on MNIST)",
        source=TABLE1 + "; the target is the book's (a third below the paper's, for 4,000 training digits)",
        measurement=HEAD + PARZEN,
        rule=Rule("gmmn_seeds.parzen_ll", ">", by=100.0, text="Parzen log-likelihood > 100 nats, every seed"),
        seeds=3,
        paper=Paper("147 ± 2 nats", TABLE1, confirmed=False, setting=PARZEN_SETTING),
        texts=bar_texts("Parzen estimate", "the target {by:.0f} nats"),
    ),
    Claim(
        id="gmmn.ae_parzen",
        statement="GMMN+AE reaches a Parzen estimate of at least 200 nats on mnist5k (the paper: 282 on MNIST)",
        source=TABLE1 + "; the target is the book's",
        measurement=HEAD_AE + PARZEN,
        rule=Rule("gmmn_ae_seeds.parzen_ll", ">", by=200.0, text="Parzen log-likelihood > 200 nats, every seed"),
        seeds=3,
        paper=Paper("282 ± 2 nats", TABLE1, confirmed=False, setting=PARZEN_SETTING),
        texts=bar_texts("Parzen estimate", "the target {by:.0f} nats"),
    ),
    Claim(
        id="gmmn.ae_boosts_parzen",
        statement="the auto-encoder boosts the GMMN: GMMN+AE's Parzen estimate is above GMMN's",
        source=ABSTRACT + "; Table 1: 282 against 147",
        measurement=HEAD_AE + " against " + HEAD + PARZEN + ", paired by seed",
        rule=Rule("gmmn_ae_seeds.parzen_ll", ">", b="gmmn_seeds.parzen_ll", text="Parzen(GMMN+AE) > Parzen(GMMN), paired by seed"),
        seeds=3,
        texts={
            "holds": "GMMN+AE's Parzen estimate is above GMMN's on every seed ({a_mean:.0f} against {b_mean:.0f} nats), "
                     "the paper's order",
            "fails": "GMMN+AE's Parzen estimate is below GMMN's on every seed ({a_mean:.0f} against {b_mean:.0f} nats), "
                     "the reverse of the paper's order",
            "inconclusive": "GMMN+AE's Parzen estimate is the higher on {held} of {seeds} seeds ({a_mean:.0f} ± "
                            "{a_spread:.0f} against {b_mean:.0f} ± {b_spread:.0f} nats): inconclusive ({reason})",
        },
    ),
    Claim(
        id="gmmn.ae_boosts_fd",
        statement="the auto-encoder boosts the GMMN in the book's metric too: GMMN+AE's FD is below GMMN's",
        source=ABSTRACT,
        measurement=HEAD_AE + " against " + HEAD + ": the FD of 1,000 samples, paired by seed",
        rule=Rule("gmmn_ae_seeds.fd", "<", b="gmmn_seeds.fd", text="FD(GMMN+AE) < FD(GMMN), paired by seed"),
        seeds=3,
        texts={
            "holds": "GMMN+AE's FD is below GMMN's on every seed ({a_mean:.0f} against {b_mean:.0f})",
            "fails": "GMMN+AE's FD is above GMMN's on every seed ({a_mean:.0f} against {b_mean:.0f}): in the book's "
                     "metric the auto-encoder does not help",
            "inconclusive": "GMMN+AE's FD is the lower on {held} of {seeds} seeds ({a_mean:.0f} ± {a_spread:.0f} against "
                            "{b_mean:.0f} ± {b_spread:.0f}): inconclusive ({reason})",
        },
    ),
    *_digits("data", "GMMN", "gmmn_seeds"),
    *_digits("ae", "GMMN+AE", "gmmn_ae_seeds"),
    Claim(
        id="gmmn.large_batches",
        statement="GMMN needs a rather large batch: trained on the same images, batches of 64 give worse samples than "
                  "batches of 1,000",
        source=BATCH,
        measurement=BATCHES + ", paired by seed",
        rule=Rule("batch.small.fd", ">", b="batch.large.fd", text="FD(batch 64) > FD(batch 1,000) at equal images seen, "
                                                                   "paired by seed"),
        seeds=3,
        texts={
            "holds": "on the same images, the smallest batch ends with the worse samples on every seed (FD {a_mean:.0f} "
                     "against {b_mean:.0f} for the headline's batch), although it takes the more updates",
            "fails": "on the same images, the smallest batch ends with the better samples on every seed (FD {a_mean:.0f} "
                     "against {b_mean:.0f} for the headline's batch): at this number of images, before any arm draws "
                     "recognisable digits, the large batch does not help",
            "inconclusive": "the smallest batch ends worse on {held} of {seeds} seeds (FD {a_mean:.0f} ± {a_spread:.0f} "
                            "against {b_mean:.0f} ± {b_spread:.0f} for the headline's batch): inconclusive ({reason})",
        },
    ),
    Claim(
        id="gmmn.batch_noise",
        statement="what handicaps the small batch is the noise of its estimate: on a mini-batch of 64 the loss's "
                  "gradient carries more error than signal, where one of 1,000 carries less",
        source=BATCH + "; the mechanism is the book's reading (a mini-batch's estimate and its gradient are noisier the "
                       "smaller the batch)",
        measurement=NOISE,
        rule=Rule("noise.small.error_to_signal", ">", by=1.0,
                  text="mean ‖g₆₄ − g_ref‖² / ‖g_ref‖² > 1, every seed"),
        requires=(Rule("noise.large.error_to_signal", "<", by=1.0,
                       text="the error below the signal at the headline's batch of 1,000, on every seed"),),
        seeds=3,
        texts={
            "holds": "on every seed a gradient on the smallest batch strays from the reference gradient by more than "
                     "the reference's own length ({a_mean:.2g} × ‖g_ref‖², on average), while the headline's "
                     "batch stays below it: a small-batch step follows more error than signal",
            "fails": "on every seed a gradient on the smallest batch stays within the reference gradient's length "
                     "({a_mean:.2g} × ‖g_ref‖²): its noise does not swamp the step",
            "inconclusive": "the smallest batch's gradient error exceeds the signal on {held} of {seeds} seeds "
                            "({a_mean:.2g} ± {a_spread:.2g} × ‖g_ref‖²), but the claim is inconclusive ({reason})",
        },
    ),
]
