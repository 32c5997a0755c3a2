"""The papers' numbers the book quotes, each with what it is and whether it was confirmed from the
paper's text (or the authors' code), so that the reproduction report can flag the rest.

``confirmed``: the number was found in a copy of the paper's text (``checked`` says where); an
unconfirmed number was quoted from memory and is shown with a flag until someone checks it.
"""
from . import Paper

#: chapter slug -> [(quantity, Paper)]
PAPER_NUMBERS: dict[str, list[tuple[str, Paper]]] = {
    "gan": [
        ("Parzen log-likelihood of MNIST test digits, adversarial nets", Paper(
            "225 ± 2 nats", "Goodfellow et al. 2014, Table 1 (found in a copy of the paper that keeps its English Table 1: "
            "\"Adversarial nets 225 ± 2 2057 ± 26\")", confirmed=True,
            setting="MNIST test set, Gaussian Parzen window on 10,000 samples, σ on the validation set")),
    ],
    "gmmn": [
        ("Parzen log-likelihood of MNIST test digits, GMMN and GMMN+AE", Paper(
            "147 ± 2 and 282 ± 2 nats", "Li, Swersky, Zemel 2015, Table 1 (the paper's text not found; 282 ± 2 corroborated "
            "by a later paper's table, 147 ± 2 not)", confirmed=False,
            setting="MNIST test set, Parzen window on 10,000 samples")),
    ],
    "mmd_gan": [
        ("CIFAR-10 Inception scores, MMD-GAN / WGAN / GMMN", Paper(
            "6.17 ± 0.07 / 5.88 ± 0.07 / 3.94 ± 0.04", "Li et al. 2017, Table 1 (the paper's text not found; 6.17 ± .07 and "
            "GMMN-C 3.94 ± .04 corroborated by the GFMN paper's Table 3, WGAN's 5.88 not)", confirmed=False,
            setting="CIFAR-10, Inception score of 50,000 samples")),
    ],
    "began": [
        ("CIFAR-10 Inception score, unsupervised", Paper(
            "5.62", "Berthelot et al. 2017 (the paper's text not found; corroborated by WGAN-GP's Table 3, "
            "\"BEGAN [4] 5.62\")", confirmed=False, setting="CIFAR-10, Inception score")),
    ],
    "vae": [
        ("test log-likelihood of a VAE on binarised MNIST", Paper(
            "-86.76 nats", "Burda et al. 2016 (IWAE), Table 1 (not found in any text here)", confirmed=False,
            setting="binarised MNIST, the IWAE paper's VAE baseline, k = 5,000 importance samples")),
    ],
    "beta_vae": [
        ("disentanglement metric, β-VAE against VAE", Paper(
            "99.23 % against 61.58 %", "Higgins et al. 2017, Figure 6 (the paper's text not found; corroborated by secondary "
            "notes: 99.23 ± 0.1 % and 61.58 ± 0.5 %)", confirmed=False,
            setting="dSprites 64 × 64, linear classifier on pairs of codes sharing one factor")),
    ],
    "infogan": [
        ("MNIST classification error of the categorical code c1", Paper(
            "5 %", "Chen et al. 2016, Section 7.2 (quoted verbatim in a copy of the text: \"c1 can be used as a classifier "
            "that achieves 5% error rate in classifying MNIST digits\")", confirmed=True,
            setting="full MNIST, each category of c1 matched to a digit class")),
    ],
    "aae": [
        ("semi-supervised MNIST error, 100 labels", Paper(
            "1.90 ± 0.10 %", "Makhzani et al. 2015, Table 2 (not found in any text here)", confirmed=False,
            setting="MNIST, 100 labels, 50,000 unlabelled digits")),
        ("unsupervised clustering error, 16 clusters", Paper(
            "9.55 ± 0.08 %", "Makhzani et al. 2015, Table 3 (not found in any text here)", confirmed=False, setting="MNIST, 16 clusters")),
        ("Parzen log-likelihood of MNIST test digits", Paper(
            "340 ± 2 nats", "Makhzani et al. 2015, Table 1 (the paper's text not found; corroborated by a later paper's table "
            "and a reproduction)", confirmed=False,
            setting="MNIST test set, Parzen window on 10,000 samples")),
    ],
    "wae": [
        ("FID of samples, VAE / WAE-MMD / WAE-GAN / real", Paper(
            "63 / 55 / 42 / 2", "Tolstikhin et al. 2018, Table 1 (the paper's text not found; 63, 55, 42 corroborated by "
            "secondary summaries, 2 not)", confirmed=False,
            setting="CelebA 64 × 64, 10,000 samples, Inception features")),
        ("sharpness of samples, VAE / WAE-MMD / WAE-GAN / real", Paper(
            "3·10⁻³ / 6·10⁻³ / 6·10⁻³ / 2·10⁻²", "Tolstikhin et al. 2018, Table 1", confirmed=False,
            setting="CelebA 64 × 64, variance of the Laplacian")),
    ],
}
