"""Chapter 07 (InfoGAN, Chen et al. 2016): its claims, written on 2026-12-07 while the chapter's runs
trained, before any of their results was read. Known then: the chapter's earlier runs (the cpu
profile's narrowed nets, 2,000 updates: c1 accuracy 0.33 on seed 0), and an exploration of what
limits c1's accuracy on held-out digits (none of its runs is among the chapter's): the narrow nets
(16 channels, no fully connected layers) with 62 noise variables 0.39 at 3,000 updates; 32-channel nets with fully connected 256-unit
layers 0.82 / 0.70 / 0.76 (seeds 0 / 1 / 2, the last two flat from 3,000 to 6,000 updates); the
same with the paper's 1,024-unit layers 0.82 (seed 0, 4,000 updates, rising), 0.85 (seed 1, 3,000,
rising), 0.79 (seed 2, 4,000, flat).

- *Design.* InfoGAN with the paper's layers at half its width (32 channels where the paper has 64,
  the fully connected 1,024-unit layers of G and of the D/Q body kept), 62 noise variables, c1 of
  10 categories, two continuous codes (λ = 1 for c1, 0.1 for the continuous codes, Q's Gaussian of
  standard deviation 1), Adam 2 × 10⁻⁴ (D, Q) and 10⁻³ (G), batch 64, 6,000 updates on the 4,000
  training digits of mnist5k; five training seeds. The baseline, "a GAN with a Q head" (the paper's
  Figure 1), is the same model whose generator does not maximise L_I (Q still learns), on the
  first three seeds, with the same updates. Seed s gives both the same initial nets and batches.
- *Scores*, recorded in each run's history after its last update (`gdm.metrics.codes`): L_I of c1
  on 1,000 fresh samples; c1's accuracy on the 1,000 held-out digits (validation and test splits),
  its categories matched one-to-one to the labels (Hungarian, the paper's protocol); the share of
  each continuous code's variance Q's mean explains on fresh samples (R²); the Pearson correlation
  of each continuous code (nine values in [−1, 1]) with the slant and the width of the ink along
  200 draws of (z, c1), and from them the split of the two codes into a slant code and a width code
  (`gdm.metrics.codes.style_split`).

Amended on 2026-12-07 after a referee's reading of the ledger, still before any result was read:
the split is read against the split that real digits reach under known transformations (rotation
by up to ±20°, horizontal stretching by up to exp(±0.25); slant and width are coupled, so this
ceiling is below 1), instead of a fixed 0.3; Q's reading of the continuous codes is the worse of the
two codes' R², not their mean; the baseline claim's statement says what is measured (Q's c1 on real
digits); the texts of failed claims no longer name causes that were not varied.
"""
import math

from . import Claim, Paper, Rule, bar_texts

#: what of the chapter the ledger does not decide yet (the reproduction report lists it)
NOT_YET = "the ring and grid of the shared toy protocol (read in the chapter's prose)"

ABSTRACT = "Chen et al. 2016, abstract (as in the seminar's text)"
RUNS = ("InfoGAN per training seed (32-channel nets with the paper's 1,024-unit layers, 62 noise variables, 6,000 "
        "updates of batch 64 on the 4,000 training digits of mnist5k)")
PAIRED = ("InfoGAN and the same nets whose generator ignores L_I (a GAN with a Q head, the paper's Figure 1), "
          "paired by training seed (seeds 0, 1, 2), each with the same 6,000 updates")
#: the bound's bar: 95 % of H(c1) = ln 10
LI_BAR = round(0.95 * math.log(10), 2)

CLAIMS = [
    Claim(
        id="infogan.li_max",
        statement="InfoGAN maximises the lower bound of the mutual information: L_I of the categorical code "
                  "reaches its maximum H(c1) = ln 10",
        source=ABSTRACT + ": \"We derive a lower bound of the mutual information objective that can be optimized "
                          "efficiently\"; Section 7.1, Figure 1 (L_I \"quickly maximized to H(c) ≈ 2.30\")",
        measurement=RUNS + ": L_I of c1 on 1,000 fresh samples after the last update",
        rule=Rule("info.l_i", ">", by=LI_BAR, text=f"L_I > 0.95 ln 10 = {LI_BAR} nats, on every seed"),
        seeds=5, texts=bar_texts("L_I", "0.95 ln 10 = {by:.2f} nats"),
    ),
    Claim(
        id="infogan.li_baseline",
        statement="a GAN with the same Q head, whose generator does not maximise L_I, leaves the code far less "
                  "readable: its L_I stays well below InfoGAN's",
        source="Chen et al. 2016, Section 7.1, Figure 1: for the regular GAN \"the lower bound stays far below\"",
        measurement=PAIRED + ": L_I of c1 on 1,000 fresh samples",
        rule=Rule("paired.base_l_i", "<", b="paired.info_l_i", by=-0.5,
                  text="the baseline's L_I more than half a nat below InfoGAN's, on every seed"),
        seeds=3,
        texts={
            "holds": "on every seed the GAN with a Q head ends more than half a nat below InfoGAN (L_I {a_mean:.2f} "
                     "± {a_spread:.2f} against {b_mean:.2f} ± {b_spread:.2f} nats): maximising L_I is what makes c1 "
                     "readable, as in the paper's Figure 1",
            "fails": "on every seed the GAN with a Q head ends within half a nat of InfoGAN (L_I {a_mean:.2f} ± "
                     "{a_spread:.2f} against {b_mean:.2f} ± {b_spread:.2f} nats): here the generator carries c1 "
                     "readably without being asked to",
            "inconclusive": "the GAN with a Q head ends more than half a nat below InfoGAN on {held} of {seeds} seeds "
                            "(L_I {a_mean:.2f} ± {a_spread:.2f} against {b_mean:.2f} ± {b_spread:.2f} nats): "
                            "inconclusive ({reason})",
        },
    ),
    Claim(
        id="infogan.c1_classifies",
        statement="the categorical code captures the digit class without labels: c1 classifies held-out digits "
                  "(the book's target: accuracy at least 0.85)",
        source=ABSTRACT + ": \"InfoGAN successfully disentangles writing styles from digit shapes on the MNIST "
                          "dataset\"; Section 7.2: c1 \"achieves 5% error rate in classifying MNIST digits\"",
        measurement=RUNS + ": Q's most likely c1 on the 1,000 held-out digits, its 10 categories matched one-to-one "
                           "to the labels (Hungarian)",
        rule=Rule("info.c1_accuracy", ">", by=0.85, text="accuracy > 0.85 on every seed"),
        seeds=5, texts=bar_texts("c1 accuracy", "the target {by:.2f}; the paper 0.95 on full MNIST"),
        paper=Paper("5 % error", "Chen et al. 2016, Section 7.2", confirmed=True,
                    setting="full MNIST, each category of c1 matched to a digit class"),
    ),
    Claim(
        id="infogan.c1_baseline",
        statement="varying c1 on a regular GAN has no clear meaning: with the same nets and Q head but no "
                  "information term in the generator's loss, Q's c1 classifies held-out digits far worse than InfoGAN's",
        source="the seminar's slide (Figure 2 (b) of the paper): \"Varying c1 on regular GAN (No clear meaning)\"",
        measurement=PAIRED + ": c1's accuracy on the 1,000 held-out digits, as above",
        rule=Rule("paired.info_c1_accuracy", ">", b="paired.base_c1_accuracy", by=0.2,
                  text="InfoGAN's accuracy more than 0.2 above the baseline's, on every seed"),
        seeds=3,
        texts={
            "holds": "on every seed InfoGAN's c1 classifies the held-out digits far better than the baseline's "
                     "({a_mean:.2f} ± {a_spread:.2f} against {b_mean:.2f} ± {b_spread:.2f})",
            "fails": "on no seed does InfoGAN's c1 classify more than 0.2 better than the baseline's ({a_mean:.2f} ± "
                     "{a_spread:.2f} against {b_mean:.2f} ± {b_spread:.2f})",
            "inconclusive": "InfoGAN's c1 beats the baseline's by more than 0.2 on {held} of {seeds} seeds "
                            "({a_mean:.2f} ± {a_spread:.2f} against {b_mean:.2f} ± {b_spread:.2f}): inconclusive "
                            "({reason})",
        },
    ),
    Claim(
        id="infogan.cont_readable",
        statement="the information term makes the continuous codes readable from the images: Q recovers each of "
                  "c2 and c3 from InfoGAN's samples better than from the baseline's",
        source=ABSTRACT + ": InfoGAN \"maximizes the mutual information between a small subset of the latent "
                          "variables and the observation\"; Section 5",
        measurement=PAIRED + ": the worse-read of c2 and c3, by the share of the code's variance that Q's mean "
                             "explains (R²) on 1,000 fresh samples",
        rule=Rule("paired.info_r2", ">", b="paired.base_r2", by=0.2,
                  text="InfoGAN's worse R² more than 0.2 above the baseline's, on every seed"),
        seeds=3,
        texts={
            "holds": "on every seed Q reads both of InfoGAN's continuous codes back far better than the baseline's "
                     "(the worse code's R² {a_mean:.2f} ± {a_spread:.2f} against {b_mean:.2f} ± {b_spread:.2f})",
            "fails": "on no seed does Q read both of InfoGAN's continuous codes back more than 0.2 better than the "
                     "baseline's (the worse code's R² {a_mean:.2f} ± {a_spread:.2f} against {b_mean:.2f} ± "
                     "{b_spread:.2f})",
            "inconclusive": "Q reads both of InfoGAN's continuous codes more than 0.2 better than the baseline's on "
                            "{held} of {seeds} seeds (the worse code's R² {a_mean:.2f} ± {a_spread:.2f} against "
                            "{b_mean:.2f} ± {b_spread:.2f}): inconclusive ({reason})",
        },
    ),
    Claim(
        id="infogan.rotation_width",
        statement="the continuous codes capture writing style, one the rotation and the other the width of the "
                  "digits",
        source=ABSTRACT + ": \"disentangles writing styles from digit shapes\"; the seminar's slide: \"Varying c2 "
                          "from -2 to 2 on InfoGAN (Rotation)\", \"Varying c3 from -2 to 2 on InfoGAN (Width)\"",
        measurement=RUNS + ": the split of the two codes into a slant code and a width code, the smaller of the two "
                           "specificities |r(own code, proxy)| − |r(other code, proxy)| under the better of the two "
                           "assignments (r: the Pearson correlation of a code with the ink's slant or width along "
                           "each of 200 draws, averaged), against the split of real held-out digits rotated by up to "
                           "±20° and stretched horizontally by up to exp(±0.25) (`gdm.metrics.codes.reference_split`)",
        rule=Rule("info.style_split", ">", b="style_reference.split", factor=0.5,
                  text="split > half the split of real digits rotated and stretched, on every seed"),
        seeds=5,
        texts={
            "holds": "on every seed one continuous code moves the slant and the other the width, each far more than "
                     "the other code does (split {a_mean:.2f} ± {a_spread:.2f}, against half of real digits' "
                     "{b_mean:.2f})",
            "fails": "on no seed do the continuous codes split into a slant code and a width code (split {a_mean:.2f} "
                     "± {a_spread:.2f}, against half of real digits' {b_mean:.2f})",
            "inconclusive": "the continuous codes split into a slant code and a width code on {held} of {seeds} seeds "
                            "(split {a_mean:.2f} ± {a_spread:.2f}, against half of real digits' {b_mean:.2f}): "
                            "inconclusive ({reason})",
        },
    ),
]
