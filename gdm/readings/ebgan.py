"""Chapter 05 (EBGAN): the sentences of its prose that read its results (:mod:`gdm.readings`)."""
from __future__ import annotations

import numpy as np

from .. import toys
from ..metrics import tracking
from ..results import seed_text
from . import counted, number

#: the arms of the 2 × 2 design: the energy's scale, the pull-away term on or off
ARMS = ("mean_pt", "mean_off", "sum_pt", "sum_off")
#: the control's median noise energy is "nearly the EBGAN's" within this share of it, on every seed
NEAR = 0.1
#: the generated batches' mean energy is "near the margin" within this share of it (energies.during, every point, every seed)
NEAR_MARGIN = 0.25
#: the digit classes the feature network's classifier knows
CLASSES = 10
#: the arms in words (the prose's names)
ARM_WORDS = {"mean_pt": "the per-pixel energy with the term", "mean_off": "the per-pixel energy without it",
             "sum_pt": "the summed energy with the term", "sum_off": "the summed energy without it"}


def _setup(r, p, m) -> dict:
    g = p["g_hidden"]
    return {"n_seeds": counted(p["seeds"], "seed"), "n_training_seeds": counted(p["seeds"], "training seed"), "steps_text": f"{p['steps']:,}", "head_n": f"{p['eval_samples']:,}",
            "seed_order": f"seed{'s' if p['seeds'] > 1 else ''} " + " / ".join(map(str, range(p["seeds"]))),
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
        "pt_vs_floor": ("larger than that floor on every seed, by " if all(e > f for e, f in zip(effect, floor)) else
                        "not larger than that floor on every seed (effect less floor: ") +
        seed_text([e - f for e, f in zip(effect, floor)], "+.3f" if any(e <= f for e, f in zip(effect, floor)) else ".3f") +
        ("" if all(e > f for e, f in zip(effect, floor)) else
         "): the measurement does not separate the term's effect from the arms' noise"),
        "min_classes": _classes(min(min(arms[a]["classes_covered"]) for a in ARMS)),
        "min_recall": f"{min(min(arms[a]['recall']) for a in ARMS):.2f}",
        **_collapse(r, p, arms),
        "chance_read": (f'"higher on every one of {number(p["seeds"])} seeds" happens by chance one time in '
                        f'{number(2 ** p["seeds"])}') if p["seeds"] > 1 else
        '"higher on its one seed" happens by chance one time in two',
    }


def _classes(n: int) -> str:
    """The fewest classes any run covers, as "every run covers ..." reads it."""
    return f"all {CLASSES}" if n >= CLASSES else f"at least {n} of the {CLASSES}"


def _collapse(r, p, arms) -> dict:
    """Did some run fall short of the digits' variety: fewer classes than the ledger's bar for all of
    them (``ebgan.digits_classes``), or recall at or below its bar (``ebgan.digits_recall``)?"""
    classes, recall = r.claim("ebgan.digits_classes")["by"], r.claim("ebgan.digits_recall")["by"]
    short = [f"{ARM_WORDS[a]} on seed {s}" for a in ARMS for s, (c, v) in
             enumerate(zip(arms[a]["classes_covered"], arms[a]["recall"])) if c < classes or v <= recall]
    if not short:
        return {"collapse_read": "No arm collapsed", "design_read": "what the design measures is the term's effect on "
                "recall among runs that all cover the digits, not a rescue from collapse"}
    return {"collapse_read": "Not every run covers the digits",
            "design_read": f"the design measures the term's effect on recall among runs some of which fall short of "
                           f"every class or of recall {recall:g} ({'; '.join(short)})"}


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
        "noise_lead": "Whether the high energy of images far from the digits is the game's doing, the control tests:"
        if min(e["noise_ratio"]) > 1 else "Images far from the digits do not get a higher energy than the digits on "
        "every seed; whether what separation exists is the game's doing, the control tests:",
        "noise_overlap": "The separation itself is complete: no noise image has an energy as low as the highest held-out "
                         "digit's, on any seed" if min(e["noise_min_over_real_max"]) > 1 else
        "The separation itself is not complete: the two overlap on some seed",
        "noise_e": seed_text(e["noise"], ".3f"), "c_noise": seed_text(c["noise"], ".3f"),
        "ratio_bar_read": "The ratio's bar is a bar on the digits' energy, since any reconstruction of uniform noise by "
        "an auto-encoder of digits is off by about the same amount" if near else "The ratio's bar is a bar on the "
        "digits' energy only where any auto-encoder of digits reconstructs uniform noise about equally badly, and here "
        "it does not",
        "c_noise_read": "nearly the EBGAN's" if near else
        f"not near the EBGAN's on every seed (the two differ by more than {NEAR:.0%} on some seed)",
        "train_real": seed_text(e["train_real"], ".3f"),
        "train_below": "below the held-out digits' medians above: the discriminator reconstructs its "
                       f"{'4,000 ' if p['dataset'] == 'mnist5k' else ''}training digits better than new ones"
        if all(t < v for t, v in zip(e["train_real"], e["real"])) else
        "not below the held-out digits' medians above on every seed",
    }


def during(m) -> dict:
    """The headline's training histories read at a few points of the run (``energies.during``: the
    mean energy of the 50 logged batches up to each point, per seed): are the generated batches held
    near the margin at every point, does the real batches' energy fall from each point to the next, and
    does the gap between them (in units of the margin) widen or narrow from each point to the next, on
    every seed?"""
    d, margin = m["energies"]["during"], m["arms"]["mean_pt"]["margin"]
    gaps = [[(f - v) / margin for f, v in zip(fs, vs)] for fs, vs in zip(d["fake"], d["real"])]
    steps = lambda curves, up: all((b > a) if up else (b < a) for c in curves for a, b in zip(c, c[1:]))
    return {"held": all(abs(f / margin - 1) < NEAR_MARGIN for fs in d["fake"] for f in fs),
            "falling": steps(d["real"], False),
            "gap": "widens" if steps(gaps, True) else "narrows" if steps(gaps, False) else "neither",
            "fake_over_margin": [f / margin for fs in d["fake"] for f in fs]}


def _training(r, p, m) -> dict:
    t = during(m)
    low, high = min(t["fake_over_margin"]), max(t["fake_over_margin"])
    return {
        "fake_margin_read": "held near the margin by the hinge" if t["held"] else
        f"not held near the margin (between {low:.2f} m and {high:.2f} m over the run)",
        "real_falling_read": "keeps falling" if t["falling"] else "does not keep falling on every seed",
        "gap_trend_read": {"widens": "The gap does not close as training goes on: the runs move away from equal "
                                     "energies, not towards them",
                           "narrows": "The gap closes as training goes on: the runs move towards equal energies",
                           "neither": "The gap neither widens nor closes on every seed as training goes on"}[t["gap"]],
    }


def _toys(r, p, m) -> dict:
    toy, chance = m["toy"]["ebgan"], m["toy_chance"]
    out = {"toy_seeds_text": counted(p["toy_seeds"], "seed"), "toy_steps_text": f"{m['toy_steps']:,}",
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
    t, eq = during(m), r.verdict("ebgan.equilibrium")
    away = ("here every run ends away from it, the generated samples held near the margin while the real digits' "
            "energy keeps falling, so that the gap widens as training goes on" if t["held"] and t["falling"] and
            t["gap"] == "widens" else "here every run ends away from it" + {
                "widens": ", and the gap widens as training goes on",
                "narrows": ", though the gap narrows as training goes on", "neither": ""}[t["gap"]])
    return {
        "eq_heading": {"holds": "Near equilibrium", "fails": "Not at equilibrium", "inconclusive": "Equilibrium"}[eq],
        "discussion_noise": {"holds": "it is, in part (the EBGAN's discriminator separates noise from digits more than "
                                      "the auto-encoder alone)",
                             "fails": "it is not, since any auto-encoder trained on digits gives it, and more so without "
                                      "the game (the auto-encoder alone separates noise from digits further)",
                             "inconclusive": "the seeds do not decide it (see the ledger)"}[r.verdict("ebgan.noise_from_game")],
        "discussion_equilibrium": {"holds": "here the runs end near it, real and generated samples at nearly one energy",
                                   "fails": away, "inconclusive": "here the seeds disagree (see the ledger)"}[eq],
    }


#: the chapter's readings, part by part in the order of its prose (:func:`gdm.readings.texts`)
PARTS = (_setup, _design, _energies, _training, _toys, _discussion)
