"""Chapter 10 (VAE, Kingma & Welling 2014): its claims, written on 2026-12-07 before the chapter's
retraining ran. Known then: the earlier one-seed runs (Adam 10⁻³, 2,000 updates of 100, dynamic
binarisation): test ELBO −114.2 and IWAE (k = 1,000) −109.2 nats at N_z = 20; train − test gaps
6.8, 6.0, 4.8, 3.8 nats for N_z = 2, 5, 20, 200; the single-sample bound's standard deviation with
the analytic KL (eq. 10) 4.19 against 4.35 for the generic estimator (eq. 7) at initialisation, 4.70
against 3.52 on the trained encoder; and, from an earlier probe of the headline config (seed 0,
k = 1,000), −108.5 nats at 2,000 updates, −102.5 at 10,000 and −104.0 at 30,000: the 4,000 training
digits are overfitted, so the number depends on where training stops. (Changed before any result of the
retraining was seen: the early-stopping claim compares the tracked test ELBO, not the IWAE estimate, so
that the full-budget runs need no decoder in the store, whose budget they would exceed.)

- *Design.* Per training seed (3) and latent size N_z ∈ {2, 5, 20, 200}: the paper's MNIST nets
  (one tanh layer of 500), Adam 10⁻³, batches of 100, 15,000 updates on dynamically binarised
  digits, the bound tracked every 500 updates on 500 fixed training, validation and test digits
  (the Figure 2 sweep). The headline (N_z = 20) stops early: the same run retrained to the tracked
  update of its best validation bound (training is deterministic, so it is that run's prefix).
- *Estimators* (eq. 7 against eq. 10): on 100 test digits, 200 draws each, the standard deviation of
  a single-sample estimate of the bound, averaged over the digits, on the headline's encoder and on
  the same network at initialisation.
- *Active units* (Burda et al. 2016): a unit j is active when the variance over the 500 test digits
  of its posterior mean E_q[z_j] exceeds 0.01.
- *After a referee's reading of the design (before any result)*: the active-units claim compares N_z = 200
  with N_z = 20 (its first rule, fewer than half of 200 active, could hardly fail); the gap claim allows
  half a nat and requires N_z = 200 not to underfit; early stopping requires the best update before the
  end (then, once seed 0's stopping update was seen to be 14,500 of 15,000, before its last tenth: a
  best update at the very end says the run was still improving, not that it overfitted); the target
  reads the IWAE estimate minus two standard errors over the test digits.
"""
from . import Claim, Paper, Rule

#: what of the chapter the ledger does not decide yet (the reproduction report lists it)
NOT_YET = ("the exact model's identities (closed forms, printed by the chapter's test cell), the Gaussian decoder's "
           "readings and the ring and grid of the shared toy protocol (read in the chapter's prose, with posterior "
           "collapse told from mode collapse)")

EXPERIMENTS = "Kingma & Welling 2014, Section 5 (Experiments), the paragraph on Figure 2 (found in copies of the paper)"
SECTION23 = "Kingma & Welling 2014, Section 2.3 (found in copies of the paper)"
IWAE_SETTING = "binarised MNIST, the IWAE paper's one-layer VAE, k = 5,000 importance samples"
SWEEP = ("per training seed, the VAE of each latent size after 15,000 updates of 100 dynamically binarised digits "
         "(the paper's nets, Adam 10⁻³)")
HEAD = ("the headline VAE per training seed (N_z = 20), stopped at the tracked update of its best ELBO on 500 "
        "validation digits: the importance-weighted log-likelihood of the 500 test digits of mnist5k (k = 1,000)")
ESTIMATORS = ("per training seed, on 100 test digits with 200 reparameterised draws each: the standard deviation of a "
              "single-sample estimate of the bound's value (not of its gradient), averaged over the digits, with the KL in closed form (eq. 10) and "
              "with the generic estimator log p(x, z) − log q(z | x) (eq. 7), at the same draws")


CLAIMS = [
    Claim(
        id="vae.iwae_target",
        statement="the headline VAE reaches a test log-likelihood of at least −100 nats on mnist5k (the IWAE paper's "
                  "VAE: −86.76 on binarised MNIST)",
        source="Burda et al. 2016, Table 1, for the paper's number; the target is the book's, for 4,000 training digits",
        measurement=HEAD + "; minus two standard errors over the test digits, so that a number within the test set's "
                           "noise of the target does not count",
        rule=Rule("head_seeds.iwae_low", ">", by=-100.0, text="IWAE log-likelihood − 2 s.e. > −100 nats, every seed"),
        seeds=3,
        paper=Paper("−86.76 nats", "Burda et al. 2016, Table 1 (not found in any text here)", confirmed=False,
                    setting=IWAE_SETTING),
        texts={
            "holds": "every seed's IWAE estimate clears −100 nats by two standard errors (estimate − 2 s.e. {a_mean:.1f} "
                     "± {a_spread:.2g} nats)",
            "fails": "no seed's IWAE estimate, a lower bound on log p(x), clears −100 nats by two standard errors (estimate "
                     "− 2 s.e. {a_mean:.1f}, seeds' sd {a_spread:.2g} nats): the target is not shown to be reached",
            "inconclusive": "the IWAE estimate clears −100 nats by two standard errors on {held} of {seeds} seeds "
                            "(estimate − 2 s.e. {a_mean:.1f} ± {a_spread:.2g} nats): inconclusive ({reason})",
        },
    ),
    Claim(
        id="vae.early_stopping",
        statement="on 4,000 training digits the VAE overfits: stopped at its best validation bound its test bound is "
                  "higher than after the whole budget",
        source="the book's (measured before the runs on one seed: −102.5 nats at 10,000 updates, −104.0 at 30,000)",
        measurement=("per training seed, the headline VAE (N_z = 20): its ELBO on the 500 test digits (one draw of z per "
                     "digit) at the tracked update of its best validation bound, against the same run's at its 15,000 "
                     "updates, paired by seed"),
        rule=Rule("head_seeds.elbo_test", ">", b="full_seeds.elbo_test",
                  text="test ELBO(early-stopped) > test ELBO(15,000 updates), paired by seed"),
        requires=(Rule("head_seeds.stop_step", "<", b="head_seeds.budget", factor=0.9,
                       text="the best validation bound before the last tenth of the budget on every seed (the run "
                            "levelled off, then overfitted)"),),
        seeds=3,
        texts={
            "holds": "stopped at its best validation bound the VAE's test bound is {a_mean:.1f} nats against "
                     "{b_mean:.1f} after the whole budget, higher on every seed: it overfits the 4,000 digits",
            "fails": "stopped at its best validation bound the VAE's test bound is {a_mean:.1f} nats against "
                     "{b_mean:.1f} after the whole budget, lower on every seed: the validation digits pick the wrong update",
            "inconclusive": "stopping at the best validation bound gives a test bound of {a_mean:.1f} ± {a_spread:.2g} nats "
                            "against {b_mean:.1f} ± {b_spread:.2g} after the whole budget, higher on {held} of {seeds} "
                            "seeds: inconclusive ({reason})",
        },
    ),
    Claim(
        id="vae.superfluous",
        statement="\"superfluous latent variables did not result in overfitting, which is explained by the "
                  "regularizing nature of the variational bound\": the train − test gap of the bound is no larger "
                  "with 200 latent variables than with 20 (within half a nat)",
        source=EXPERIMENTS,
        measurement=SWEEP + ": the mean ELBO on 500 training digits minus that on the 500 test digits, N_z = 200 "
                            "against N_z = 20, paired by seed",
        rule=Rule("sweep.largest.gap", "<", b="sweep.headline.gap", by=0.5,
                  text="gap(N_z = 200) < gap(N_z = 20) + 0.5 nats, paired by seed"),
        requires=(Rule("sweep.largest.elbo_test", ">", b="sweep.headline.elbo_test", by=-2.0,
                       text="N_z = 200's test ELBO no more than 2 nats below N_z = 20's (a small gap from underfitting "
                            "would not count)"),),
        seeds=3,
        texts={
            "holds": "with 200 latent variables the train − test gap is no larger than with 20 on every seed "
                     "({a_mean:.1f} against {b_mean:.1f} nats): the superfluous ones do not overfit",
            "fails": "with 200 latent variables the train − test gap is larger than with 20 by more than half a nat on "
                     "every seed ({a_mean:.1f} against {b_mean:.1f} nats): here the superfluous ones overfit",
            "inconclusive": "with 200 latent variables the train − test gap is no larger on {held} of {seeds} seeds "
                            "({a_mean:.1f} ± {a_spread:.2g} against {b_mean:.1f} ± {b_spread:.2g} nats): inconclusive "
                            "({reason})",
        },
    ),
    Claim(
        id="vae.active_units",
        statement="the bound switches superfluous latent variables off: the 180 variables N_z = 200 adds to N_z = 20 add "
                  "fewer than 20 active units",
        source=EXPERIMENTS + " (its explanation, \"the regularizing nature of the variational bound\"); the measure of "
                             "activity is Burda et al. 2016's",
        measurement=SWEEP + ": the units whose posterior mean varies over the 500 test digits with variance above "
                            "0.01, N_z = 200 against N_z = 20, paired by seed",
        rule=Rule("sweep.largest.active", "<", b="sweep.headline.active", by=20.0,
                  text="active(N_z = 200) < active(N_z = 20) + 20, paired by seed"),
        seeds=3,
        texts={
            "holds": "the largest code keeps {a_mean:.0f} ± {a_spread:.2g} active units against {b_mean:.0f} ± "
                     "{b_spread:.2g} for N_z = 20, on every seed fewer than 20 more: most of the extra variables are "
                     "switched off",
            "fails": "the largest code keeps {a_mean:.0f} ± {a_spread:.2g} active units against {b_mean:.0f} ± "
                     "{b_spread:.2g} for N_z = 20, on every seed 20 or more: the extra variables are put to use",
            "inconclusive": "the largest code keeps {a_mean:.0f} ± {a_spread:.2g} active units against {b_mean:.0f} ± "
                            "{b_spread:.2g} for N_z = 20, fewer than 20 more on {held} of {seeds} seeds: inconclusive "
                            "({reason})",
        },
    ),
    Claim(
        id="vae.analytic_kl_trained",
        statement="the estimator with the KL in closed form (eq. 10) \"typically has less variance than the generic "
                  "estimator\" (eq. 7), on the trained encoder",
        source=SECTION23,
        measurement=ESTIMATORS + ", on the headline's trained encoder",
        rule=Rule("estimators.std_analytic", "<", b="estimators.std_generic",
                  text="sd(eq. 10) < sd(eq. 7) on the trained encoder, paired by seed"),
        seeds=3,
        texts={
            "holds": "on the trained encoder the closed-form KL lowers the estimate's spread on every seed ({a_mean:.2f} "
                     "against {b_mean:.2f} nats)",
            "fails": "on the trained encoder the closed-form KL raises the estimate's spread on every seed ({a_mean:.2f} "
                     "against {b_mean:.2f} nats for the generic estimator)",
            "inconclusive": "on the trained encoder the closed-form KL lowers the spread on {held} of {seeds} seeds "
                            "({a_mean:.2f} ± {a_spread:.2g} against {b_mean:.2f} ± {b_spread:.2g} nats): inconclusive "
                            "({reason})",
        },
    ),
    Claim(
        id="vae.analytic_kl_init",
        statement="the estimator with the KL in closed form (eq. 10) has less variance than the generic estimator "
                  "(eq. 7) at initialisation",
        source=SECTION23,
        measurement=ESTIMATORS + ", on the headline's network at its initialisation",
        rule=Rule("estimators.std_analytic_init", "<", b="estimators.std_generic_init",
                  text="sd(eq. 10) < sd(eq. 7) at initialisation, paired by seed"),
        seeds=3,
        texts={
            "holds": "at initialisation the closed-form KL lowers the estimate's spread on every seed ({a_mean:.2f} "
                     "against {b_mean:.2f} nats)",
            "fails": "at initialisation the closed-form KL raises the estimate's spread on every seed ({a_mean:.2f} "
                     "against {b_mean:.2f} nats for the generic estimator)",
            "inconclusive": "at initialisation the closed-form KL lowers the spread on {held} of {seeds} seeds "
                            "({a_mean:.2f} ± {a_spread:.2g} against {b_mean:.2f} ± {b_spread:.2g} nats): inconclusive "
                            "({reason})",
        },
    ),
]
