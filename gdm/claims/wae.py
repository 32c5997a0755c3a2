"""Chapter 13 (WAE, Tolstikhin et al. 2018): its claims, fixed before the three-seed runs.

The notebook records, per training seed (``metrics["per_seed"]``), for each model the FD of its
samples and of its reconstructions, the sharpness of its recognised samples and their share, and
the MMD² between its codes and prior draws; and, per seed, the best sample FD of each family
(the VAE over its KL weights β, WAE-MMD over its λ) among the members whose reconstructions are
at most 10 % worse (FD) than the VAE's with β = 1.
"""
from . import Claim, Paper, Rule

ABSTRACT = "Tolstikhin et al. 2018, abstract (as in the seminar's text)"
TABLE1 = "Tolstikhin et al. 2018, Table 1"
CELEBA = "CelebA 64 × 64, 10,000 samples, FID in Inception features, convolutional nets, 55 epochs"
CELEBA_SHARPNESS = "CelebA 64 × 64, the variance of the Laplacian of the samples, convolutional nets, 55 epochs"
#: both models' samples must be at least as close to digits as real digits blurred 5 × 5 for their
#: sample quality to be compared (the regime of a sample-quality claim: not noise, not blobs)
NOT_BLOBS = "@calibration.references.blur5.fd"
#: a sharpness is read only where at least this share of the samples is recognised
MIN_SHARE = 0.2


def _regime(*models):
    return tuple(Rule(f"per_seed.{m}.fd", "<", by=NOT_BLOBS, text=f"FD({m}) below that of real digits blurred 5 × 5")
                 for m in models)


CLAIMS = [
    Claim(
        id="wae.samples_mmd",
        statement="WAE [...] generat[es] samples of better quality [than the VAE], as measured by the FID score",
        source=ABSTRACT,
        measurement="FD of 1,000 decoded prior draws to the training digits (book classifier features), VAE and "
                    "WAE-MMD with the same nets, updates and seed",
        rule=Rule("per_seed.vae.fd", ">", "per_seed.wae_mmd.fd", text="FD(VAE) > FD(WAE-MMD), paired by seed"),
        requires=_regime("vae", "wae_mmd"),
        seeds=3,
        paper=Paper("FID 63 (VAE) against 55 (WAE-MMD)", TABLE1, confirmed=False, setting=CELEBA),
        texts={
            "holds": "WAE-MMD's samples are better than the VAE's on every seed: FD {b_mean:.0f} ± {b_spread:.0f} "
                     "against {a_mean:.0f} ± {a_spread:.0f}, as the paper's FIDs order them",
            "fails": "WAE-MMD's samples are worse than the VAE's on every seed: FD {b_mean:.0f} ± {b_spread:.0f} "
                     "against {a_mean:.0f} ± {a_spread:.0f}, the opposite of the paper's order",
            "inconclusive": "the seeds do not decide between WAE-MMD's samples and the VAE's: FD {b_mean:.0f} ± "
                            "{b_spread:.0f} against {a_mean:.0f} ± {a_spread:.0f} ({reason})",
        },
    ),
    Claim(
        id="wae.samples_gan",
        statement="WAE [...] generat[es] samples of better quality [than the VAE], as measured by the FID score",
        source=ABSTRACT,
        measurement="as for WAE-MMD, with WAE-GAN",
        rule=Rule("per_seed.vae.fd", ">", "per_seed.wae_gan.fd", text="FD(VAE) > FD(WAE-GAN), paired by seed"),
        requires=_regime("vae", "wae_gan"),
        seeds=3,
        paper=Paper("FID 63 (VAE) against 42 (WAE-GAN)", TABLE1, confirmed=False, setting=CELEBA),
        texts={
            "holds": "WAE-GAN's samples are better than the VAE's on every seed: FD {b_mean:.0f} ± {b_spread:.0f} "
                     "against {a_mean:.0f} ± {a_spread:.0f}",
            "fails": "WAE-GAN's samples are worse than the VAE's on every seed: FD {b_mean:.0f} ± {b_spread:.0f} "
                     "against {a_mean:.0f} ± {a_spread:.0f}",
            "inconclusive": "the seeds do not decide between WAE-GAN's samples and the VAE's: FD {b_mean:.0f} ± "
                            "{b_spread:.0f} against {a_mean:.0f} ± {a_spread:.0f} ({reason})",
        },
    ),
    Claim(
        id="wae.frontier",
        statement="WAE [...] generat[es] samples of better quality [than the VAE]: read at the same reconstruction "
                  "quality, each side's weight on its latent penalty swept",
        source=ABSTRACT,
        measurement="per seed, the best sample FD of the VAE over β ∈ {0.5, 1, 2} and of WAE-MMD over λ ∈ {0, 1, 10} "
                    "among the models whose FD of reconstructions is at most 1.1 × the VAE's (β = 1)",
        rule=Rule("per_seed.frontier.vae", ">", "per_seed.frontier.wae_mmd",
                  text="best FD(VAE, β) > best FD(WAE-MMD, λ) at reconstructions within 10 % of the VAE's"),
        requires=_regime("vae", "wae_mmd"),
        seeds=3,
        texts={
            "holds": "at the VAE's reconstruction quality WAE-MMD's best samples beat the VAE's best on every seed "
                     "(FD {b_mean:.0f} ± {b_spread:.0f} against {a_mean:.0f} ± {a_spread:.0f}): the gain is not "
                     "bought with worse reconstructions",
            "fails": "at the VAE's reconstruction quality the VAE's best samples beat WAE-MMD's on every seed "
                     "(FD {a_mean:.0f} ± {a_spread:.0f} against {b_mean:.0f} ± {b_spread:.0f}): once each side's "
                     "penalty weight is tuned, WAE-MMD's advantage is gone",
            "inconclusive": "at the VAE's reconstruction quality the seeds do not decide between the two families' "
                            "best samples (VAE {a_mean:.0f} ± {a_spread:.0f}, WAE-MMD {b_mean:.0f} ± {b_spread:.0f}; "
                            "{reason})",
        },
    ),
    Claim(
        id="wae.sharper",
        statement="VAE: suffers from blurry image (low quality images)",
        source="the seminar's GAN-against-VAE slide; Tolstikhin et al. 2018, Table 1 (sharpness)",
        measurement="the variance of the Laplacian of the recognised samples only (confidently classified and inside "
                     "the real digits' manifold), WAE-MMD against the VAE",
        rule=Rule("per_seed.wae_mmd.recognised_sharpness", ">", "per_seed.vae.recognised_sharpness",
                  text="sharpness(WAE-MMD) > sharpness(VAE), recognised samples, paired by seed"),
        requires=(Rule("per_seed.vae.recognised_share", ">", by=MIN_SHARE, text=f"VAE: ≥ {MIN_SHARE:.0%} of samples recognised"),
                  Rule("per_seed.wae_mmd.recognised_share", ">", by=MIN_SHARE,
                       text=f"WAE-MMD: ≥ {MIN_SHARE:.0%} of samples recognised")),
        seeds=3,
        paper=Paper("sharpness 3·10⁻³ (VAE) against 6·10⁻³ (WAE-MMD), real images 2·10⁻²", TABLE1, confirmed=False,
                    setting=CELEBA_SHARPNESS),
        texts={
            "holds": "WAE-MMD's recognised samples are sharper than the VAE's on every seed ({a_mean:.3f} ± "
                     "{a_spread:.3f} against {b_mean:.3f} ± {b_spread:.3f}): the VAE's are the blurrier",
            "fails": "the VAE's recognised samples are sharper than WAE-MMD's on every seed ({b_mean:.3f} ± "
                     "{b_spread:.3f} against {a_mean:.3f} ± {a_spread:.3f}): here the VAE is not the blurrier",
            "inconclusive": "the seeds do not decide which model's recognised samples are sharper (WAE-MMD "
                            "{a_mean:.3f} ± {a_spread:.3f}, VAE {b_mean:.3f} ± {b_spread:.3f}; {reason})",
        },
    ),
    Claim(
        id="wae.latent",
        statement="This regularizer encourages the encoded training distribution to match the prior",
        source=ABSTRACT,
        measurement="MMD² (WAE-MMD's IMQ kernel) between the codes of the 1,000 held-out digits and as many prior draws",
        rule=Rule("per_seed.vae.latent_mmd", ">", "per_seed.wae_mmd.latent_mmd",
                  text="MMD²(codes, prior): VAE > WAE-MMD, paired by seed"),
        seeds=3,
        texts={
            "holds": "WAE-MMD's codes match the prior better than the VAE's on every seed (MMD² {b_mean:.4f} ± "
                     "{b_spread:.4f} against {a_mean:.4f} ± {a_spread:.4f})",
            "fails": "the VAE's codes match the prior better than WAE-MMD's on every seed (MMD² {a_mean:.4f} ± "
                     "{a_spread:.4f} against {b_mean:.4f} ± {b_spread:.4f})",
            "inconclusive": "the seeds do not decide whose codes match the prior better (VAE MMD² {a_mean:.4f} ± "
                            "{a_spread:.4f}, WAE-MMD {b_mean:.4f} ± {b_spread:.4f}; {reason})",
        },
    ),
    Claim(
        id="wae.recognisable",
        statement="the book's bar: samples as close to digits as real digits blurred with a 3 × 3 box filter",
        source="the book (results/calibration.json)",
        measurement="FD of WAE-MMD's samples against that of the blurred held-out digits, in the same standard block",
        rule=Rule("per_seed.wae_mmd.fd", "<", by="@calibration.recognisable_fd",
                  text="FD(WAE-MMD) < FD(real digits blurred 3 × 3)"),
        seeds=3,
        texts={
            "holds": "WAE-MMD's samples pass the book's bar for recognisable digits on every seed (FD {a_mean:.0f} ± "
                     "{a_spread:.0f}, the blurred digits' {by:.0f})",
            "fails": "WAE-MMD's samples miss the book's bar for recognisable digits on every seed (FD {a_mean:.0f} ± "
                     "{a_spread:.0f}, the blurred digits' {by:.0f})",
            "inconclusive": "WAE-MMD's samples sit at the book's bar for recognisable digits (FD {a_mean:.0f} ± "
                            "{a_spread:.0f}, the blurred digits' {by:.0f}; {reason})",
        },
    ),
]
