"""Chapter 05 (EBGAN): the sentences of its prose that read its results (:mod:`gdm.readings`)."""
from __future__ import annotations

import numpy as np

from .. import toys
from ..metrics import tracking
from ..results import seed_text

#: the arms of the 2 × 2 design: the energy's scale, the pull-away term on or off
ARMS = ("mean_pt", "mean_off", "sum_pt", "sum_off")
#: the control's median noise energy is "nearly the EBGAN's" within this share of it, on every seed
NEAR = 0.1


def _setup(r, p, m) -> dict:
    g = p["g_hidden"]
    return {"n_seeds": f"{p['seeds']}", "steps_text": f"{p['steps']:,}", "head_n": f"{p['eval_samples']:,}",
            "g_hidden_text": " and ".join(map(str, g)) if len(set(g)) > 1 else f"{g[0]}" if g else "no",
            "margin_mean": f"{m['arms']['mean_pt']['margin']:.4f}"}


def _design(r, p, m) -> dict:
    arms = m["arms"]
    out = {f"{a}_{k}": seed_text(arms[a][k], f) for a in ARMS for k, f in (("recall", ".2f"), ("classes_covered", "d"))}
    late = [v for a in ARMS for v in arms[a]["fd_late_change"]]
    floor = [abs(a - b) for a, b in zip(arms["mean_off"]["recall"], arms["sum_off"]["recall"])]
    effect = [a - b for a, b in zip(arms["mean_pt"]["recall"], arms["mean_off"]["recall"])]
    return {
        **out, "mean_pt_fd": seed_text(arms["mean_pt"]["fd"], ".0f"),
        "fd_late": f"{min(late):+.0%} to {max(late):+.0%}",
        "plateau": {"levelled": "had levelled off in every run (within 10 % over the last 30 % of the updates)",
                    "falling": "was still falling at the end of some runs: their numbers are this budget's, not a plateau's",
                    "rising": "was rising again at the end of some runs", "unknown": "was not tracked"}[
            tracking.plateau(late)],
        "fd_bar": f"{m['fd_bar']:.0f}", "fd_real": f"{m['fd_real']:.0f}",
        "off_floor": seed_text(floor, ".3f"), "pt_effect": seed_text(effect, "+.3f"),
        "pt_vs_floor": "larger than that floor on every seed" if all(e > f for e, f in zip(effect, floor)) else
        "not larger than that floor on every seed: the measurement does not separate the term's effect from the arms' noise",
        "min_classes": f"{min(min(arms[a]['classes_covered']) for a in ARMS)}",
        "min_recall": f"{min(min(arms[a]['recall']) for a in ARMS):.2f}",
    }


def _energies(r, p, m) -> dict:
    e, c = m["energies"], m["control"]
    real_factor = np.mean(e["real"]) / np.mean(c["real"])
    near = all(abs(cn - en) < NEAR * en for cn, en in zip(c["noise"], e["noise"]))
    return {
        "e_real": seed_text(e["real"], ".3g"), "e_fake": seed_text(e["fake"], ".3g"),
        "e_ratio": seed_text(e["noise_ratio"], ".1f"), "e_gap": seed_text(e["gap_over_margin"], ".2f"),
        "c_ratio": seed_text(c["noise_ratio"], ".0f"), "c_real": seed_text(c["real"], ".3g"),
        "real_factor": f"{real_factor:.1f} times the control's" if real_factor > 1.5 else
        f"{real_factor:.2f} times the control's" if real_factor < 0.67 else "about the control's",
        "real_worse": "it reconstructs them worse than the auto-encoder alone" if real_factor > 1.5 else
        "it reconstructs them better than the auto-encoder alone" if real_factor < 0.67 else
        "it reconstructs them about as well as the auto-encoder alone",
        "fake_above_from": seed_text(e["fake_above_from"], ","),
        "noise_min_over_real_max": seed_text(e["noise_min_over_real_max"], ".1f"),
        "noise_overlap": "The separation itself is complete: no noise image has an energy as low as the highest held-out "
                         "digit's, on any seed" if min(e["noise_min_over_real_max"]) > 1 else
        "The separation itself is not complete: the two overlap on some seed",
        "noise_e": seed_text(e["noise"], ".3f"), "c_noise": seed_text(c["noise"], ".3f"),
        "c_noise_read": "nearly the EBGAN's" if near else
        f"not near the EBGAN's on every seed (the two differ by more than {NEAR:.0%} on some seed)",
        "train_real": seed_text(e["train_real"], ".3f"),
        "train_below": "below the held-out digits' medians above: the discriminator reconstructs its "
                       f"{'4,000 ' if p['dataset'] == 'mnist5k' else ''}training digits better than new ones"
        if all(t < v for t, v in zip(e["train_real"], e["real"])) else
        "not below the held-out digits' medians above on every seed",
    }


def _toys(r, p, m) -> dict:
    toy, chance = m["toy"]["ebgan"], m["toy_chance"]
    out = {"toy_seeds_text": f"{p['toy_seeds']}", "toy_steps_text": f"{m['toy_steps']:,}",
           "toy_read": "; ".join(toys.reading(toy[t], chance[t], t) for t in ("ring", "grid")),
           "toy_counts_read": "The counts of covered modes, though, are at the uniform cloud's level on both toys (a cloud "
           "that models nothing reaches them too): only the share of samples near a mode tells EBGAN from the cloud here"
           if all(toy[t]["modes_covered"] <= chance[t]["modes_covered"] + 0.5 for t in ("ring", "grid")) else
           "The counts of covered modes are above the uniform cloud's on at least one toy"}
    for t in ("ring", "grid"):
        b, u = toy[t], chance[t]
        out.update({f"toy_{t}": f"{b['modes_covered']:.1f} ± {b['modes_covered_std']:.1f} of {b['modes_total']:.0f}",
                    f"toy_{t}_hq": f"{b['high_quality']:.1%}", f"toy_{t}_uniform": f"{u['modes_covered']:.1f}",
                    f"toy_{t}_uniform_hq": f"{u['high_quality']:.1%}"})
    return out


def _discussion(r, p, m) -> dict:
    return {
        "discussion_noise": {"holds": "partly the game's doing: the EBGAN's discriminator separates noise from digits more "
                                      "than the auto-encoder alone",
                             "fails": "what any auto-encoder trained on digits gives, and more so without the game: the "
                                      "auto-encoder alone separates noise from digits further",
                             "inconclusive": "not decided by the seeds (see the ledger)"}[r.verdict("ebgan.noise_from_game")],
        "discussion_equilibrium": {"holds": "here the runs end near it, real and generated samples at nearly one energy",
                                   "fails": "here every run ends away from it, the generated samples held near the margin "
                                            "while the real digits' energy keeps falling, so that the gap widens as "
                                            "training goes on",
                                   "inconclusive": "here the seeds disagree (see the ledger)"}[r.verdict("ebgan.equilibrium")],
    }


#: the chapter's readings, part by part in the order of its prose (:func:`gdm.readings.texts`)
PARTS = (_setup, _design, _energies, _toys, _discussion)
