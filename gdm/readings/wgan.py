"""Chapter 03 (WGAN): the sentences of its prose that read its results (:mod:`gdm.readings`)."""
from __future__ import annotations

import numpy as np

from ..critics import LINES_OFF
from ..metrics.tracking import PLATEAU_TOL, late_change, plateau
from ..results import seed_text
from ..toys import SAMPLES as TOY_SAMPLES, STEPS as TOY_STEPS
from . import and_list, number

#: the headline runs in the prose (glue prefix) and their block in the metrics
HEADS = {"head": "headline_seeds", "fast": "lr20_seeds", "gan": "gan_seeds"}
PLATEAU = {"levelled": "had levelled off on every seed (within 10 % over the last 30 % of the updates)",
           "falling": "was still falling at the end {where}: the numbers are this budget's, not a plateau's",
           "rising": "was rising again at the end on at least one seed", "unknown": "was not tracked"}
#: a swing of the GAN's share near a mode over the second half above which its run has not settled
SWING = 0.2
#: the updates of the chapter's earlier headline (the ledger's docstring): the tracking study's base run when it has as many
EARLIER_HEADLINE = 600


def _seeds(n: int) -> str:
    """A count of seeds with its noun: "1 seed", "3 seeds"."""
    return f"{n} seed{'' if n == 1 else 's'}"


def _where(changes, tol: float = PLATEAU_TOL) -> str:
    """The seeds on which a curve fell by more than ``tol`` at the end: "on every seed", "on seeds 0 and 2"."""
    known = [c for c in changes if c is not None]
    fell = [str(s) for s, c in enumerate(changes) if c is not None and c < -tol]
    return ("on every seed" if len(fell) == len(known) else
            f"on seed{'' if len(fell) == 1 else 's'} {and_list(fell)}")


def _times(r: float) -> str:
    """A ratio of budgets as the prose writes it: "four times", "1.5 times"."""
    return f"{number(round(r))} times" if abs(r - round(r)) < 1e-9 else f"{r:.1f} times"


def _settings(r, p, m) -> dict:
    return {
        "width_text": f"{p['width']}", "steps_text": f"{p['steps']:,}", "lines_seeds_text": _seeds(p['lines_seeds']),
        "head_n": f"{p['eval_samples']:,}", "head_seeds_text": _seeds(p['head_seeds']),
        "lr_name": f"WGAN, lr × {p['lr_factor']:g}", "fd_every_text": f"{p['fd_every']:,}", "dataset_text": p["dataset"],
        "tracking_n": f"{len(p['tracking_settings'])}", "tracking_seeds_text": _seeds(len(p['tracking_seeds'])),
        "tracking_steps_text": f"{p['tracking_steps']:,}", "tracking_settings_text": "; ".join(p["tracking_settings"]),
        "track_every_text": f"{p['track_every']}", "weak_data_text": p["weak_data"], "weak_width_text": f"{p['weak_width']}",
        "weak_toy_steps_text": f"{p['weak_toy_steps']:,}", "weak_seeds_text": _seeds(p['weak_seeds']),
        "weak_every_text": f"{p['weak_every']:,}", "toy_seeds_text": _seeds(p['toy_seeds']),
        "toy_steps_text": f"{p['toy_steps'] or TOY_STEPS:,}",
        "head_seeds_word": f"{number(p['head_seeds'])} training seed{'' if p['head_seeds'] == 1 else 's'}",
        "head_seed_list": " / ".join(str(s) for s in range(p["head_seeds"])), "lr_factor_text": f"{p['lr_factor']:g}",
        "weak_samples_text": f"{TOY_SAMPLES:,}",
        "weak_seeds_each": f"{number(p['weak_seeds'])} seed{'' if p['weak_seeds'] == 1 else 's'} each",
    }


def line_slopes(lines: dict) -> dict:
    """Example 1 per seed (``metrics.lines``): ``gan_towards``, the share of the θ ≠ 0 at which the GAN's
    gradient points towards the data; ``clip_slope`` and ``gan_slope``, the mean size of the clipped
    critic's and of the GAN's gradient over |θ| > :data:`gdm.critics.LINES_OFF`."""
    theta = np.array(lines["theta"])
    nonzero, off = theta != 0, np.abs(theta) > LINES_OFF
    grad = {k: [np.array(g) for g in v] for k, v in lines["gradient"].items()}
    return {"gan_towards": [float(np.mean(np.sign(g[nonzero]) == np.sign(theta[nonzero]))) for g in grad["gan"]],
            "clip_slope": [float(np.abs(g[off]).mean()) for g in grad["wgan"]],
            "gan_slope": [float(np.abs(g[off]).mean()) for g in grad["gan"]]}


def _lines(r, p, m) -> dict:
    per = m["lines"]["per_seed"]

    def span(k, f):  # the per-seed values' range, or one value where every seed gives it
        lo, hi = (format(g(per[k]), f) for g in (min, max))
        return f"{lo} on every seed" if lo == hi else f"{lo} to {hi}"

    s = line_slopes(m["lines"])
    towards, clip = s["gan_towards"], s["clip_slope"]
    return {
        "gan_towards": "at every θ ≠ 0 on every seed too" if min(towards) == 1 else
        f"at {min(towards):.0%} of the θ ≠ 0 on every seed" if min(towards) == max(towards) else
        f"at {min(towards):.0%} to {max(towards):.0%} of the θ ≠ 0",
        "clip_slope": f"{min(clip):.1e} to {max(clip):.1e}",
        "clip_below": "below the GAN's" if max(clip) < min(s["gan_slope"]) else "not below the GAN's on every seed",
        "gan_js_same": "the same number whether the generator is close or far"
        if min(per["gan_js_min_off_zero"]) >= 0.95 * np.log(2) else
        "not the same number at every distance: it falls below log 2 by more than 5 % on some seed",
        "sign_read": "the sign alone does not tell the two apart; what differs is the size and its shape" if min(towards) == 1
        else "the sign tells the two apart only where the GAN's points away; elsewhere what differs is the size and its shape",
        "w_gp_err": span("w_gp_max_abs_error", ".2f"), "w_clip_corr": span("w_clip_corr", ".3f"),
        "gan_js_min": span("gan_js_min_off_zero", ".3f"), "gan_grad_max": span("gan_grad_max_off_zero", ".2g"),
        "gp_grad_min": span("wgan_gp_grad_min_off_zero", ".2f"),
    }


def _digits(r, p, m) -> dict:
    late = m["headline_seeds"]["fd_late_change"]
    out = {"head_plateau": PLATEAU[plateau(late)].format(where=_where(late)), "lr_value": f"{m['lr20_lr']:.0e}",
           "fd_real": f"{m['fd_real']:.0f}", "fd_bar": f"{m['fd_bar']:.0f}"}
    for key, block in HEADS.items():
        for k, f in (("fd", ".0f"), ("recall", ".2f"), ("classes_covered", "d")):
            out[f"{key}_{k}"] = seed_text(m[block][k], f)
        out[f"{key}_late"] = seed_text(m[block]["fd_late_change"], "+.0%")
    ends = {plateau(m[block]["fd_late_change"]) for block in HEADS.values()}
    out["compare_convergence"] = ("with every run's FD levelled off by the end" if ends == {"levelled"} else
                                  "not at convergence" if ends & {"falling", "rising"} else
                                  "whether at convergence is not tracked")
    return out


def _along(r, p, m) -> dict:
    along = m["along_one_run"]
    rho, js = along["gan"]["spearman"], along["gan"]["loss"]
    return {
        "rho_wgan": seed_text([along["wgan"]["spearman"]], ".2f"), "rho_gan": seed_text([rho], ".2f"),
        "fd_wgan_range": f"{max(along['wgan']['fd']):.0f} to {min(along['wgan']['fd']):.0f}",
        "gan_along": f"{'fell' if js[-1] < js[0] else 'rose'} with the FD too (ρ = {seed_text([rho], '.2f')} above), "
        "unlike the flat or rising curves of the paper's Figure 4" if rho is not None and rho > 0 else
        f"did not move with the FD (ρ = {seed_text([rho], '.2f')} above), as the flat or rising curves of the paper's "
        "Figure 4",
    }


def _tracking(r, p, m) -> dict:
    names, block, rob = p["tracking_settings"], m["tracking"], m["tracking_checks"]
    scaled = block["wgan"]["settings"]  # setting -> the factors it scales the base run's values by
    base = p["tracking_steps"]
    # a setting that scales only the steps is the base run ("headline") read at another time: one trajectory
    same = [t for t, f in scaled.items() if set(f) <= {"steps"}]
    cut = [t for t in same if scaled[t]]
    quoted = and_list(f'"{t}"' for t in cut)
    note = [f'"{t}" is the headline run above' for t in cut if round(base * scaled[t]["steps"]) == p["steps"]]
    note.append(f'"headline" is the {base:,}-update base run'
                + (", the chapter's earlier headline" if base == EARLIER_HEADLINE else "") if "headline" in scaled else
                f"the base run has {base:,} updates")
    span = {n: [f for row in t["fd"] for f in row if f is not None] for n, t in block.items()}
    best = {n: sorted({names[int(np.argmin([np.inf if f is None else f for f in row]))] for row in t["fd"]})
            for n, t in block.items()}
    out = {
        "tracking_chance": seed_text([block["wgan"]["chance_rho"]], ".2f"),  # None: not finite (too few runs)
        "tracking_span": "; ".join(f"{n.upper()}'s runs span FD {min(v):.0f} to {max(v):.0f}, its best run on every seed "
                                   f"{' / '.join(best[n])}" if len(best[n]) == 1 else
                                   f"{n.upper()}'s runs span FD {min(v):.0f} to {max(v):.0f}" for n, v in span.items()),
        "own_n": str(len(rob["wgan"]["own"])), "own_names": "; ".join(rob["wgan"]["own"]),
        "chance_own": seed_text([rob["wgan"]["chance_own"]], ".2f"),
        "chance_drop": seed_text([rob["wgan"]["chance_without_top"]], ".2f"),
        "tracking_note": "; ".join(note),
        "trajectory_read": f"A flaw of the design, seen after the runs (chapter 06 found it first): {quoted} "
        f"{'are' if len(cut) > 1 else 'is'} the base run itself read at {'other times' if len(cut) > 1 else 'another time'} "
        f"(the same seed gives it the same nets, noise and batches), so {number(len(same))} of the {number(len(names))} "
        "points per seed are one trajectory, the along-one-run reading the test across runs meant to avoid."
        if len(same) > 1 else
        f"Every setting is a run of its own: no two of the {number(len(names))} points per seed are one trajectory.",
        "checks_read": " ".join(
            f"For the {n.upper()} both checks pass on every seed: its ranking does not rest on one trajectory's points "
            "or on its worst run." if min(c["passed"].values()) == len(p["tracking_seeds"]) else
            f"For the {n.upper()} the check among the runs of their own passes on {c['passed']['rho_own']} of "
            f"{_seeds(len(p['tracking_seeds']))} and the check without the run of highest loss reading on "
            f"{c['passed']['rho_without_top']} of {_seeds(len(p['tracking_seeds']))}: its ranking leans on them."
            for n, c in rob.items()),
    }
    for n, c in rob.items():
        out[f"{n}_rho_own"], out[f"{n}_rho_drop"] = seed_text(c["rho_own"], ".2f"), seed_text(c["rho_without_top"], ".2f")
    return out


def _weak(r, p, m) -> dict:
    wb, seeds, steps = m["weak_generators"]["toy"], range(p["weak_seeds"]), p["weak_toy_steps"]
    gc = wb["gan"]["curve"]
    late = [late_change([[q["step"], q["high_quality"][s]] for q in wb["wgan"]["curve"]]) for s in seeds]
    second = [q for q in gc if q["step"] > steps / 2]
    swing = [max(q["high_quality"][s] for q in second) - min(q["high_quality"][s] for q in second) for s in seeds]
    first = [next((q["step"] for q in gc if q["high_quality"][s] > 0.5), None) for s in seeds]
    at70 = min(gc, key=lambda q: abs(q["step"] - 0.7 * steps))
    late_gan = [f is None or f >= steps / 2 for f in first]  # half its samples near a mode only in the second half, or never
    changing = [at70["modes_covered"][s] != gc[-1]["modes_covered"][s] for s in seeds]
    unfinished = any(late_gan) or any(changing) or max(swing) > SWING  # or its share still swinging widely
    hq, covered, total, data = (wb["wgan"]["per_seed"]["high_quality"], wb["wgan"]["per_seed"]["modes_covered"],
                                wb["uniform"]["modes_total"], p["weak_data"])
    along = "along" if data == "ring" else "over"
    out = {f"weak_{n}_{k}": seed_text(wb[n]["per_seed"][key], f) for n in ("gan", "wgan")
           for k, key, f in (("modes", "modes_covered", "d"), ("hq", "high_quality", ".0%"))}
    return {**out, "weak_total": f"{wb['uniform']['modes_total']:.0f}", "weak_wgan_late": seed_text(late, "+.0%"),
            "weak_gan_swing": seed_text(swing, ".0%"), "weak_gan_first": seed_text(first, ",", none="never"),
            "weak_gan_modes_late": " / ".join(f"{at70['modes_covered'][s]} → {gc[-1]['modes_covered'][s]}" for s in seeds),
            "weak_uniform_hq": f"{wb['uniform']['high_quality']:.1%}", "weak_min": f"{wb['seconds'] / 60:.0f}",
            "weak_gan_reached": "never reached the modes" if all(f is None for f in first) else
            "reached the modes late" if all(late_gan) else "reached the modes late on some seeds" if any(late_gan) else
            "reached the modes within the first half of the updates",
            "weak_gan_count": "still changing near the end" if all(changing) else
            "still changing near the end on some seeds" if any(changing) else "unchanged near the end",
            "weak_gan_temper": "temper the GAN's verdict, since the ledger's rule reads the last evaluation only"
            if unfinished else "support the GAN's verdict, though the ledger's rule reads the last evaluation only",
            "weak_gan_unfinished": ("part of what reads as collapse may be a run that has not finished spreading"
                                    if r.verdict("wgan.weak_gan_collapses") == "holds" else
                                    "the last evaluation may not be where these runs settle") if unfinished else
            "the last evaluation reads runs that had settled",
            "weak_wgan_spread": _spread(hq, wb["uniform"]["high_quality"], data)}


def _spread(hq: list, uniform: float, data: str) -> str:
    """Where the WGAN's samples lie on the weak generators' toy, from its share near a mode (``hq``, per
    seed) against a uniform cloud's (``uniform``): a mode count alone cannot tell a model from a cloud."""
    lo, hi = min(hq) / uniform, max(hq) / uniform
    times = f"{lo:.0f} times" if f"{lo:.0f}" == f"{hi:.0f}" else f"{lo:.0f} to {hi:.0f} times"
    if lo <= 2:
        return (f"it puts at most {times} the uniform cloud's share of its samples near a mode, so its modes covered are "
                f"those a spread cloud over the {data} covers, not those of a model of the modes")
    return (f"it puts {times} the uniform cloud's share of its samples near a mode, so the modes it covers are modes it "
            "puts samples on, not a cloud's chance hits, "
            + ("nearly all of its samples near one" if min(hq) >= 0.9 else "most of its samples near one"
               if min(hq) > 0.5 else "though most of its samples lie away from them" if max(hq) <= 0.5 else
               "though on some seed most of its samples lie away from them"))


def _toy(r, p, m) -> dict:
    toy, chance = m["toy"]["wgan"], m["toy_chance"]
    out = {}
    for t in ("ring", "grid"):
        q, u = toy[t], chance[t]
        out.update({f"toy_{t}": f"{q['modes_covered']:.1f} ± {q['modes_covered_std']:.1f} of {q['modes_total']:.0f}",
                    f"toy_{t}_hq": f"{q['high_quality']:.1%}", f"toy_{t}_uniform": f"{u['modes_covered']:.1f}",
                    f"toy_{t}_uniform_hq": f"{u['high_quality']:.1%}"})
    ratio = p["weak_toy_steps"] / (p["toy_steps"] or TOY_STEPS)  # the weak generators' budget against the protocol's
    out["weak_longer"] = (f"{_times(ratio)} longer" if ratio > 1 else "as long" if ratio == 1 else
                          f"{_times(1 / ratio)} shorter")
    above = [t for t in ("ring", "grid") if toy[t]["high_quality"] > 2 * chance[t]["high_quality"]]
    ratio = {t: toy[t]["high_quality"] / chance[t]["high_quality"] for t in ("ring", "grid")}
    below = [t for t in ("ring", "grid") if t not in above]
    out["toy_read"] = (
        "above the uniform cloud's share on both toys: the samples concentrate on modes" if not below else
        "not clearly above the uniform cloud's share on either toy: read its mode counts as those of a spread cloud, "
        "not of a model of the modes" if not above else
        f"{ratio[above[0]]:.0f} times the uniform cloud's on the {above[0]}, where the samples concentrate on modes, but "
        f"only {ratio[below[0]]:.1f} times it on the {below[0]} ({toy[below[0]]['high_quality']:.1%} against "
        f"{chance[below[0]]['high_quality']:.1%}): read its {below[0]} mode count as that of a spread cloud, not of a "
        "model of the modes")
    return out


def _discussion(r, p, m) -> dict:
    return {
        "discussion_tracking": {
            "holds": "it is, since the final estimate ranks the runs as their FD does, beyond chance, on every seed",
            "fails": "it is not here, since the final estimates did not rank the runs as their FD does on any seed",
            "inconclusive": "the seeds do not decide it (see the ledger)"}[r.verdict("wgan.tracks")],
        "discussion_lines": {"holds": "here at every θ ≠ 0 of the grid, on every seed",
                             "fails": "here, though not at every θ ≠ 0 of the grid (see the ledger)",
                             "inconclusive": "here at every θ ≠ 0 of the grid on some seeds only (see the ledger)"}[
            r.verdict("wgan.lines_direction")],
    }


#: the chapter's readings, part by part in the order of its prose (:func:`gdm.readings.texts`)
PARTS = (_settings, _lines, _digits, _along, _tracking, _weak, _toy, _discussion)
