"""Chapter 10 (VAE): the sentences of its prose that read its results (:mod:`gdm.readings`)."""
from __future__ import annotations

import statistics

from ..results import seed_text
from . import and_list, counted, of_count

#: a toy run whose encoder keeps fewer active units than the toy's 2 dimensions has (partly) collapsed posteriors
TOY_DIMS = 2


def _mean(v) -> float:
    return statistics.fmean(v)


def _setup(r, p, m) -> dict:
    return {"n_training_seeds": counted(p["seeds"], "training seed"), "n_seeds": counted(p["seeds"], "seed"),
            "seed_text": str(p["seed"]), "steps_text": f"{p['steps']:,}", "seen_text": f"{p['steps'] * p['batch_size']:,}",
            "n_eval": f"{p['eval_points']:,}", "eval_every_text": f"{p['eval_every']:,}", "z_text": str(p["z_dim"]),
            "iwae_k_text": f"{p['iwae_k']:,}", "kl_samples_text": f"{p['kl_samples']:,}",
            "gauss_steps_text": f"{p['gaussian_steps']:,}", "min_std_text": f"{p['decoder_min_std']:g}"}


def _exact(r, p, m) -> dict:
    e, t = m["exact_posterior"], m["exact_posterior"]["table"]
    mh = next(v for k, v in t.items() if k.startswith("Metropolis-Hastings"))
    return {"lg_exact": f"{e['log_px']:.4f}", "lg_residual": f"{e['identity_max_residual']:.1e}",
            "lg_corr": f"{t['exact']['corr']:.2f}", "lg_mf_gap": f"{e['mean_field_gap']:.3f}", "lg_full_gap": f"{e['full_gap']:.4f}",
            "lg_mf_var": f"{t['VI, mean field (ELBO)']['var_z1']:.3f}", "lg_var": f"{t['exact']['var_z1']:.3f}",
            "lg_is_prior": f"{e['is_prior_log_px']:.4f}", "lg_is_q": f"{e['is_q_log_px']:.4f}", "lg_is_full": f"{e['is_full_log_px']:.4f}",
            "lg_ess_prior": f"{e['is_prior_ess']:,.0f}", "lg_ess_q": f"{e['is_q_ess']:,.0f}", "lg_ess_full": f"{e['is_full_ess']:,.0f}",
            "lg_harmonic": f"{e['harmonic_mean_log_px']:.3f}", "lg_mh_mean": f"{mh['mean_z1']:.3f}",
            "lg_mean": f"{t['exact']['mean_z1']:.3f}", "lg_k": f"{p['is_samples']:,}"}


def _sweep(r, p, m) -> dict:
    sw = m["sweep"]
    sizes = sorted(int(k[1:]) for k in sw if k.startswith("z"))
    best = max(sizes, key=lambda nz: _mean(sw[f"z{nz}"]["elbo_test"]))
    gaps = [_mean(sw[f"z{nz}"]["gap"]) for nz in sizes]
    trend = ("shrinks as N_z grows" if all(a > b for a, b in zip(gaps, gaps[1:])) else
             "grows with N_z" if all(a < b for a, b in zip(gaps, gaps[1:])) else "does not change monotonically with N_z")
    active = and_list(f"{seed_text(sw[f'z{nz}']['active'], 'd')} of {nz}" for nz in sizes)
    big = max(sizes)
    prior = sw[f"z{big}"]["at_prior"]
    return {
        "sweep_read": f"On the test digits the best latent size is N_z = {best} (mean over the seeds); the train − test gap "
                      f"{trend} ({and_list(f'{g:.1f} nats at N_z = {nz}' for nz, g in zip(sizes, gaps))}; means, without "
                      "their standard errors: the table has them).",
        "active_read": f"Active units per seed: {active}. With N_z = {big}, {seed_text(prior, 'd')} of the inactive "
                       "units (per seed) carry less than 0.01 nats of KL each, over the test digits: their posteriors sit "
                       "on the prior, and the digit leaves them unused.",
    }


def _headline(r, p, m) -> dict:
    h, f = m["head_seeds"], m["full_seeds"]
    n = len(h["stop_step"])
    late = sum(x >= 0.9 * p["steps"] for x in h["stop_step"])
    k = m["iwae_bound_by_k"]
    ks = sorted(k, key=int)
    grows = all(k[a] <= k[b] + 1e-9 for a, b in zip(ks, ks[1:]))
    return {
        "stop_read": f"Its best validation bound came at update {seed_text(h['stop_step'], ',')} (per seed) of "
                     f"{p['steps']:,}" + (f", within the last tenth of the budget on {of_count(late, n)}: there the "
                                          "budget, not a fall of the validation bound, ended training" if late else
                                          ", before the last tenth of the budget on every seed")
                     + f". After the whole budget the same runs' test bound is {seed_text(f['elbo_test'], '.1f')} nats.",
        "head_elbo": seed_text(h["elbo_test"], ".1f"), "head_iwae": seed_text(h["iwae_ll"], ".1f"),
        "bound_k_read": (f"on seed {p['seed']} the bound {'tightens' if grows else 'does not tighten monotonically'} with k "
                         f"({', '.join(f'k = {int(x):,}: {k[x]:.1f}' for x in ks)}), as an importance-weighted bound should"
                         + ("" if grows else " on average only") + "."),
    }


def _estimators(r, p, m) -> dict:
    e = m["estimators"]
    within = e["kl_within_3se"]
    n = len(within)
    lower = sum(a < b for a, b in zip(e["std_analytic"], e["std_generic"]))
    reason = (f"On the trained encoder the generic estimator is the steadier on {of_count(n - lower, n)}."
              if lower < n else "On the trained encoder too the closed-form KL is the steadier, on every seed.")
    return {"kl_read": f"The Monte Carlo KL agrees with the closed form: {seed_text([100 * w for w in within], '.0f')} % of "
                       f"the digits lie within 3 standard errors of it (per seed; about 99.7 % expected). The estimate's "
                       f"spread with the closed-form KL is {seed_text(e['std_analytic_init'], '.2f')} nats at "
                       f"initialisation against {seed_text(e['std_generic_init'], '.2f')} for the generic estimator, and "
                       f"{seed_text(e['std_analytic'], '.2f')} against {seed_text(e['std_generic'], '.2f')} on the trained "
                       "encoder.",
            "kl_reason": reason}


def _gaussian(r, p, m) -> dict:
    g, b = m["decoders"]["gaussian"], m["decoders"]["bernoulli"]
    n = len(g["kl"])
    more_kl = sum(x > y for x, y in zip(g["kl"], b["kl"]))
    darker = sum(x > y for x, y in zip(g["dark"], b["dark"]))
    fd_better = sum(x < y for x, y in zip(g["fd"], b["fd"]))
    text = (f"The Gaussian decoder's test bound is {seed_text(g['elbo_test'], '.0f')} nats, a density: its median per-pixel "
            f"standard deviation is {seed_text(g['median_std'], '.3f')}, and {seed_text([100 * x for x in g['share_at_floor']], '.0f')} % "
            "of the pixel variances sit at the floor (a pixel whose value never varies would drive a Gaussian's density, "
            "and the bound, without limit). ")
    if more_kl == n:
        text += (f"Its KL term on the test digits is {seed_text(g['kl'], '.1f')} nats against the Bernoulli model's "
                 f"{seed_text(b['kl'], '.1f')}, larger on every seed (a sharper likelihood makes information in the code "
                 "cheap; the two also differ in data and in updates, 5,000 against the early-stopped Bernoulli runs'). ")
    else:
        text += (f"Its KL term on the test digits is {seed_text(g['kl'], '.1f')} nats against the Bernoulli model's "
                 f"{seed_text(b['kl'], '.1f')}: larger on {of_count(more_kl, n)}. ")
    text += (f"Prior draws decode to images whose 2-pixel frame is mostly ink (its mean above 0.5) in {seed_text([100 * x for x in g['dark']], '.0f')} % "
             f"of its samples against {seed_text([100 * x for x in b['dark']], '.0f')} % for the Bernoulli decoder "
             f"(more on {of_count(darker, n)}): images unlike the digits. "
             f"In the book's feature space the Gaussian decoder's FD is the lower on {of_count(fd_better, n)} "
             f"({seed_text(g['fd'], '.0f')} against {seed_text(b['fd'], '.0f')}; held-out real digits {m['fd_real']:.0f}); "
             f"the Bernoulli samples have precision {seed_text(b['precision'], '.2f')} and recall "
             f"{seed_text(b['recall'], '.2f')}. The Bernoulli decoder's samples, means of p(x | z), are blurred: a mean "
             "averages over the digits the decoder cannot tell apart.")
    return {"gauss_read": text}


def _collapse(r, p, m) -> dict:
    parts = []
    for toy, c in m["collapse"].items():
        per = m["toy"]["vae"][toy]["per_seed"]
        total = m["toy"]["vae"][toy]["modes_total"]
        n = len(c["active"])
        missed = [s for s in range(n) if per["modes_covered"][s] < total]
        posterior = [s for s in missed if c["active"][s] < TOY_DIMS]
        decoder = [s for s in missed if c["active"][s] >= TOY_DIMS]
        line = (f"on the {toy} the encoder keeps {seed_text(c['active'], 'd')} of its 2 units active (KL "
                f"{seed_text(c['kl'], '.2f')} nats; modes covered {seed_text(per['modes_covered'], 'd')} of {total:.0f})")
        if not missed:
            line += ": no seed misses a mode"
        if posterior:
            line += (f"; {of_count(len(posterior), n)} {'misses' if len(posterior) in (1, n) else 'miss'} modes with fewer active "
                     "units than the toy's two dimensions, a partly collapsed posterior"
                     + (" (the ring's modes lie on a circle, which one unit could trace)" if toy == "ring" else ""))
        if decoder:
            line += (f"; {of_count(len(decoder), n)} {'misses' if len(decoder) in (1, n) else 'miss'} modes with both units in "
                     "use, the decoder's loss of modes")
        parts.append(line)
    return {"collapse_read": "Read per seed, " + "; ".join(parts) + ". A collapsed posterior (a unit whose code no longer "
                             "varies with the point) is the encoder's failure; mode collapse is the decoder's, with the "
                             "codes in use."}


def _discussion(r, p, m) -> dict:
    sup, act = r.verdict("vae.superfluous"), r.verdict("vae.active_units")
    stop, target = r.verdict("vae.early_stopping"), r.verdict("vae.iwae_target")
    text = {("holds", "holds"): "The paper's \"superfluous latent variables did not result in overfitting\" is borne out, "
                                "and most of the extra units are left unused.",
            ("fails", "holds"): "Superfluous latent variables are switched off, yet the largest model overfits more: "
                                "switching units off is not all the regularisation the paper credits the bound with."}.get(
        (sup, act), f"The paper's \"superfluous latent variables did not result in overfitting\" is {sup} here and the "
                    f"switching-off of units {act}.")
    late = sum(x >= 0.9 * p["steps"] for x in m["head_seeds"]["stop_step"])
    n = len(m["head_seeds"]["stop_step"])
    text += (" On 4,000 digits, "
             + ("stopping at the best validation bound pays" if stop == "holds" else
                f"whether stopping at its best pays is {stop}" + (f" (its best update came in the budget's last tenth on "
                                                                  f"{of_count(late, n)})" if late else ""))
             + "; the test log-likelihood " + {"holds": "reaches the target of −100 nats",
                                               "fails": f"is not shown to reach the target of −100 nats (its estimate, a "
                                                        f"lower bound, is {seed_text(m['head_seeds']['iwae_ll'], '.1f')})",
                                               "inconclusive": "is undecided against the target of −100 nats"}[target] + ".")
    init, trained = r.verdict("vae.analytic_kl_init"), r.verdict("vae.analytic_kl_trained")
    kl = {("holds", "holds"): "The closed-form KL lowers the estimator's variance at initialisation and on the trained "
                              "encoder, as the paper expects.",
          ("holds", "fails"): "The closed-form KL lowers the spread of the bound's estimate at initialisation and raises it "
                              "on the trained encoder: at the two points measured, the paper's \"typically\" holds at the "
                              "start of training only.",
          ("fails", "fails"): "The closed-form KL lowers the estimator's variance neither at initialisation nor on the "
                              "trained encoder, against the paper's \"typically\".",
          ("fails", "holds"): "The closed-form KL raises the estimator's variance at initialisation and lowers it on the "
                              "trained encoder."}.get(
        (init, trained), f"Whether the closed-form KL lowers the estimator's variance is {init} at initialisation and "
                         f"{trained} on the trained encoder.")
    agrees = all(w >= 0.95 for w in m["estimators"]["kl_within_3se"])
    kl += (" Either way the analytic KL is right (its Monte Carlo estimate agrees on every seed)" if agrees else
           " The Monte Carlo KL strays from the closed form on more than 5 % of the digits on some seed, which needs a look")
    return {"discussion_regular": text, "discussion_kl": kl + ", and the reparameterised bound trains encoder and decoder "
                                                              "jointly with plain stochastic gradients."}


PARTS = (_setup, _exact, _sweep, _headline, _estimators, _gaussian, _collapse, _discussion)
