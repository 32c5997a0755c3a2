"""Chapter 09 (MMD-GAN, Li, Chang, Cheng, Yang, Póczos 2017): its claims, written on 2026-12-07
before the chapter's retraining ran. Known then: the earlier one-seed runs at batch 64 (1,200
generator updates each: MMD-GAN FD 935, GMMN 1,254), chapter 08's GMMN batch-64 runs (25,000
updates, FD 486-512 per seed) and the cost of one update on one thread of this machine (MMD-GAN
with its 5 critic updates 0.10 s, GMMN 0.017 s, so about k + 1 = 6 times).

- *Design.* Per training seed (3), at batch 64 on the 4,000 training digits of mnist5k: MMD-GAN
  (the paper's losses and critic schedule, an MLP auto-encoder critic, GMMN's generator), 10,000
  generator updates with its FD tracked every 400; GMMN, chapter 08's batch-64 run of the same
  seed (the same generator network, 25,000 updates, FD tracked every 2,500), read from the store.
- *Equal compute* is counted as mini-batches (each critic update reads a mini-batch of digits and
  draws one of samples through the generator, as the generator's own update does, and as a GMMN
  update does): GMMN's 25,000 updates against MMD-GAN's tracked update with the most mini-batches
  not above 25,000 (3,600 updates: 24,640, warm-up included). When this was written the one-thread
  timing above made it the wall-clock ratio too; the runs' recorded seconds later gave 3.5-3.7, so
  the chapter reads the comparison by the clock beside the ledger's count (a referee's reading,
  before the third seed's result; the rules are unchanged). *Equal updates*: both at
  10,000 generator updates (MMD-GAN's end, a tracked point of GMMN's).
- *The kernels' view at the training batch*: for each seed, the two-sample test with 64 held-out
  digits and 64 samples per side, 50 draws against a null of 200 splits of the 1,000 held-out
  digits (``gdm.kernels.test_power``), under GMMN's fixed kernels on pixels and under the seed's
  learned kernel on the MMD-GAN critic's features.
"""
from . import Claim, Rule, bar_texts, not_blobs

#: what of the chapter the ledger does not decide yet (the reproduction report lists it)
NOT_YET = ("the ring and grid of the shared toy protocol (read in the chapter's prose beside the uniform cloud) and "
           "the learned kernel's view of MMD-GAN's own samples (printed beside GMMN's)")

ABSTRACT = "Li et al. 2017, abstract, as in the seminar's text"
OUTPERFORMS = (ABSTRACT + ": \"In our evaluation on multiple benchmark datasets, including MNIST, CIFAR-10, CelebA and "
               "LSUN, the performance of MMD GAN significantly outperforms GMMN\"; \"can be optimized via gradient "
               "descent with relatively small batch sizes\"")
EFFICIENCY = (ABSTRACT + ": \"we propose to improve both the model expressiveness of GMMN and its computational "
              "efficiency by introducing adversarial kernel learning techniques, as the replacement of a fixed Gaussian "
              "kernel in the original GMMN\"")
KERNEL = (ABSTRACT + ": \"replacing the discriminator in GAN with a two-sample test based on kernel maximum mean "
          "discrepancy\"; \"adversarial kernel learning techniques, as the replacement of a fixed Gaussian kernel\"; the "
          "seminar's slide: \"Better results with: min over θ_G of max over k of L_MMD\"")
BOTH = ("per training seed at batch 64 on mnist5k, MMD-GAN (10-64-256-256-1024-784 generator, normal prior, an MLP "
        "auto-encoder critic 784-256-10-256-784 with the paper's losses, 5 critic updates per generator update and the "
        "warm-up, RMSProp 5·10⁻⁴) and GMMN (the same generator, uniform prior, its fixed Gaussian kernels on pixels, "
        "Adam 10⁻³; chapter 08's batch-64 run): the FD of 1,000 samples to the training digits, tracked while training")
HEAD = ("the MMD-GAN per training seed after 10,000 generator updates at batch 64 (GMMN's generator, an MLP auto-encoder "
        "critic, the paper's losses and schedule)")
POWER = ("per training seed, GMMN's samples after its 25,000 updates at batch 64: the two-sample test with 64 held-out "
         "digits against 64 samples, 50 draws, against a null of 200 splits of the 1,000 held-out digits; the mean "
         "statistic in units of the null's spread (z), under GMMN's fixed Gaussian kernels on pixels and under the "
         "seed's learned kernel, the same Gaussian bandwidths 1 to 16 on the MMD-GAN critic's features")


CLAIMS = [
    Claim(
        id="mmd_gan.beats_gmmn_updates",
        statement="at batch 64, MMD-GAN's samples are better than GMMN's after the same number of generator updates",
        source=OUTPERFORMS,
        measurement=BOTH + ", both read at 10,000 generator updates, paired by seed",
        rule=Rule("equal_updates.mmd_gan", "<", b="equal_updates.gmmn",
                  text="FD(MMD-GAN) < FD(GMMN) at 10,000 generator updates each, paired by seed"),
        seeds=3,
        texts={
            "holds": "after the same number of generator updates, MMD-GAN's FD is below GMMN's on every seed "
                     "({a_mean:.0f} against {b_mean:.0f})",
            "fails": "after the same number of generator updates, MMD-GAN's FD is above GMMN's on every seed "
                     "({a_mean:.0f} against {b_mean:.0f})",
            "inconclusive": "after the same number of generator updates, MMD-GAN's FD is the lower on {held} of {seeds} seeds "
                            "({a_mean:.0f} ± {a_spread:.0f} against {b_mean:.0f} ± {b_spread:.0f}): inconclusive ({reason})",
        },
    ),
    Claim(
        id="mmd_gan.beats_gmmn_compute",
        statement="at batch 64 and equal compute, MMD-GAN's samples are better than GMMN's: its learned kernel is worth "
                  "the critic's cost",
        source=EFFICIENCY + "; " + OUTPERFORMS,
        measurement=BOTH + "; GMMN at its 25,000 updates (25,000 mini-batches through the generator) against MMD-GAN at "
                           "its tracked update with the most mini-batches through the generator not above that (its "
                           "critic's and its own), paired by seed",
        rule=Rule("equal_passes.mmd_gan", "<", b="equal_passes.gmmn",
                  text="FD(MMD-GAN) < FD(GMMN) at equal mini-batches through the generator (≤ 25,000), paired by seed"),
        seeds=3,
        texts={
            "holds": "at equal compute counted in mini-batches, MMD-GAN's FD is below GMMN's on every seed ({a_mean:.0f} "
                     "against {b_mean:.0f}): at this budget its critic is worth its cost",
            "fails": "at equal compute counted in mini-batches, MMD-GAN's FD is above GMMN's on every seed ({a_mean:.0f} "
                     "against {b_mean:.0f}): at this budget, spent on GMMN's own updates, the critic's compute buys more",
            "inconclusive": "at equal compute, MMD-GAN's FD is the lower on {held} of {seeds} seeds ({a_mean:.0f} ± "
                            "{a_spread:.0f} against {b_mean:.0f} ± {b_spread:.0f}): inconclusive ({reason})",
        },
    ),
    Claim(
        id="mmd_gan.fd",
        statement="MMD-GAN learns recognisable digits at batch 64: an FD no worse than real digits blurred 3 × 3",
        source=OUTPERFORMS + "; the paper's MNIST samples (its Figure 2); the book's bar",
        measurement=HEAD + ": the FD of 1,000 samples to the training digits",
        rule=Rule("mmd_seeds.fd", "<", by="@calibration.recognisable_fd",
                  text="FD < the FD of real digits blurred 3 × 3 (results/calibration.json), on every seed"),
        seeds=3, texts=bar_texts("FD", "blurred digits' {by:.0f}")),
    Claim(
        id="mmd_gan.recall",
        statement="MMD-GAN's samples cover the digits' variety: recall at least 0.3",
        source=OUTPERFORMS + "; the book's bar",
        measurement=HEAD + ": recall",
        rule=Rule("mmd_seeds.recall", ">", by=0.3, text="recall > 0.3 on every seed"),
        requires=(not_blobs("mmd_seeds.fd"),), seeds=3, texts=bar_texts("recall", "the bar {by:.1f}")),
    Claim(
        id="mmd_gan.classes",
        statement="MMD-GAN's samples show every digit class",
        source=OUTPERFORMS + "; the book's bar",
        measurement=HEAD + ": the classes the feature network's classifier finds among 1,000 samples",
        rule=Rule("mmd_seeds.classes_covered", ">", by=9.5, text="all 10 classes on every seed"),
        requires=(not_blobs("mmd_seeds.fd"),), seeds=3, texts=bar_texts("count of classes", "all 10")),
    Claim(
        id="mmd_gan.learned_kernel_sees",
        statement="at the training batch, a learned kernel tells samples from data better than GMMN's fixed kernel: "
                  "64 of GMMN's samples against 64 held-out digits stand further out of the null under the MMD-GAN "
                  "critic's kernel than under GMMN's own",
        source=KERNEL + "; the measurement is the book's (the critic never saw GMMN's samples)",
        measurement=POWER + ", paired by seed",
        rule=Rule("two_sample.gmmn.learned_z", ">", b="two_sample.gmmn.pixel_z",
                  text="z(learned kernel) > z(GMMN's pixel kernel) for GMMN's samples, 64 per side, paired by seed"),
        seeds=3,
        texts={
            "holds": "with a mini-batch's worth per side, GMMN's samples stand {a_mean:.3g} null spreads from the held-out digits under the "
                     "learned kernel and {b_mean:.3g} under GMMN's own, on every seed the learned kernel's the larger",
            "fails": "with a mini-batch's worth per side, GMMN's samples stand {a_mean:.3g} null spreads from the held-out digits under the "
                     "learned kernel and {b_mean:.3g} under GMMN's own, on every seed GMMN's kernel's the larger",
            "inconclusive": "with a mini-batch's worth per side, the learned kernel sets GMMN's samples further out on {held} of {seeds} seeds "
                            "({a_mean:.3g} ± {a_spread:.2g} against {b_mean:.3g} ± {b_spread:.2g} null spreads): "
                            "inconclusive ({reason})",
        },
    ),
]
