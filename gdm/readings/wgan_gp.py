"""Chapter 04 (WGAN-GP): the sentences of its prose that read its results (:mod:`gdm.readings`)."""
from __future__ import annotations

import numpy as np

from .. import toys
from ..architectures import METHODS, NAMES
from ..metrics import tracking
from . import and_list, number, of_count, upper

#: the value surfaces' toys, in the order of the figure and the prose
SURFACE_TOYS = ("ring", "grid", "swissroll")
#: the toys in words
TOY_WORDS = {"ring": "the ring", "grid": "the grid", "swissroll": "the Swiss roll"}
#: two critics' shares of W1 within this many points of each other are a tie (one seed each)
TIE = 0.02
#: per grid mode, the inner modes hold "about as many" samples as the border's within this ratio either way
ABOUT = 1.25
#: float32 underflow gives exact zeros; the figure draws them at this floor
FLOOR = 1e-30
#: a critic is "simple" where a line in the distance to the data's centre explains this share of its variance (R²)
CENTRE_R2 = 0.75
#: the clipped critic captures a share of W1 "in good part" from this share on
GOOD_PART = 0.3
#: a clipped critic's log10 gradient norms make "a straight line" over its layers when a line fits them with this R²
STRAIGHT_R2 = 0.95
#: the tracked FD's sizes (``metrics.fd_callback`` as the notebook calls it: 1,000 samples, its default 4,000 digits)
TRACK_N, TRACK_REF = 1000, 4000


def _setup(r, p, m) -> dict:
    proto = m["toy_protocol"]
    return {"steps_txt": f"{p['steps']:,}", "batch_txt": str(p["batch_size"]), "width_txt": f"{p['g_width']} / {p['d_width']}",
            "head_seeds_txt": str(p["head_seeds"]), "toy_steps_txt": f"{proto['steps']:,}",
            "toy_width_txt": str(proto["hidden"][0]), "toy_batch_txt": str(proto["batch_size"]),
            "toy_lambda_txt": str(proto["gp_weight"]), "surface_lr_txt": str(p["surface_lr"]),
            "long_steps_txt": f"{p['long_steps']:,}", "toy_seeds_txt": str(p["toy_seeds"]),
            "long_ratio_txt": f"{p['long_steps'] / proto['steps']:g}", "toy_samples_txt": f"{p['toy_samples']:,}",
            "toy_seeds_word": number(p["toy_seeds"]),
            "arch_img_design_txt": f"{number(len(METHODS))} methods × {number(len(p['architectures']))} architectures × "
                                   f"{number(p['toy_seeds'])} seeds"}


def _surfaces(r, p, m) -> dict:
    s = m["surfaces"]
    diff = {t: s[t]["penalty"] - s[t]["clipping"] for t in SURFACE_TOYS}
    better = [t for t in SURFACE_TOYS if diff[t] >= TIE]  # the penalty's bound larger by more than a tie
    ties = [t for t in SURFACE_TOYS if abs(diff[t]) < TIE]
    # the critics' shapes: the clipped ones a function of the distance to the data's centre (more than of the
    # distance to the data); the penalised ones closer to a function of the distance to the data than the clipped
    # ones (``closer``) and than to one of the distance to the centre (``follow``, toy by toy)
    simple = all(s[t]["clipping_centre"] >= max(CENTRE_R2, s[t]["clipping_data"]) for t in SURFACE_TOYS)
    closer = all(s[t]["penalty_data"] > s[t]["clipping_data"] for t in SURFACE_TOYS)
    follow = [t for t in SURFACE_TOYS if s[t]["penalty_data"] > s[t]["penalty_centre"]]
    follows = closer and len(follow) == len(SURFACE_TOYS)
    r2 = lambda key: ", ".join(f"{s[t][key]:.2f}" for t in SURFACE_TOYS)
    rng = lambda key: f"{min(s[t][key] for t in SURFACE_TOYS):.2f}–{max(s[t][key] for t in SURFACE_TOYS):.2f}"
    toys_in = lambda ts: and_list(TOY_WORDS[t] for t in ts)
    clip = [s[t]["clipping"] for t in SURFACE_TOYS]
    lip = [s[t]["penalty_lipschitz"] for t in SURFACE_TOYS]
    lip_txt = ", ".join(f"{v:.1f}" for v in lip)
    centre_vs_data = lambda ts: "; ".join(f"on {TOY_WORDS[t]} {s[t]['penalty_data']:.2f} against {s[t]['penalty_centre']:.2f}"
                                          for t in ts)
    partly = (f"but more closely than the distance to the data's centre only on {toys_in(follow)} "
              f"({centre_vs_data(follow)}; {centre_vs_data([t for t in SURFACE_TOYS if t not in follow])})"
              if follow else "but on no toy more closely than the distance to the data's centre (R² "
              f"{r2('penalty_data')} against {r2('penalty_centre')})")
    gp_better = ("on every toy" if len(better) == len(SURFACE_TOYS) else
                 f"on {toys_in(better)}" if better else "on no toy") + (
        f" (on {toys_in(ties)} the two are within {100 * TIE:.0f} points, a tie on one seed)" if ties else "")
    return {"surf_clip": ", ".join(f"{100 * s[t]['clipping']:.0f}%" for t in SURFACE_TOYS),
            "surf_gp": ", ".join(f"{100 * s[t]['penalty']:.0f}%" for t in SURFACE_TOYS),
            "surf_gp_better": gp_better,
            "clip_shape_read": "The clipped critics (top) are mostly a function of the distance to the data's centre: "
            f"a line in that distance explains {rng('clipping_centre')} of their variance (R² on the three toys), one in "
            f"the distance to the data less ({rng('clipping_data')})" if simple else
            "The clipped critics (top) are not all a simple function of the distance to the data's centre: a line in "
            f"that distance explains {r2('clipping_centre')} of their variance (ring, grid, Swiss roll), one in the "
            f"distance to the data {r2('clipping_data')}",
            "gp_shape_read": "The penalised critics (bottom) follow the data: the distance to the nearest real sample "
            f"explains {r2('penalty_data')} of their variance (ring, grid, Swiss roll), more than the distance to the "
            f"data's centre ({r2('penalty_centre')}) and more than it explains of the clipped ones' "
            f"({r2('clipping_data')})" if follows else
            "The penalised critics (bottom) follow the data more closely than the clipped ones on every toy (the "
            f"distance to the nearest real sample explains {r2('penalty_data')} of their variance, ring, grid and Swiss "
            f"roll, against {r2('clipping_data')} of the clipped ones'), " + partly if closer else
            "The penalised critics (bottom) do not follow the data more closely than the clipped ones on every toy: the "
            f"distance to the nearest real sample explains {r2('penalty_data')} of their variance, against "
            f"{r2('clipping_data')} of the clipped ones'",
            "paper_shape_read": "The paper shows the same pictures (its Figure 1a) and reads them the same way: weight "
            "clipping biases the critic towards much simpler functions" if simple and follows else
            "The paper's Figure 1a shows simple clipped critics beside penalised ones that follow the data, and reads "
            "them so (weight clipping biases the critic towards much simpler functions); ours show that only in part",
            "clip_part_read": "which a simple function captures in good part" if simple and min(clip) >= GOOD_PART else
            f"of which the clipped critic captures {min(clip):.0%} to {max(clip):.0%} here",
            "gp_lipschitz_read": f"the penalised critic is not 1-Lipschitz (its largest gradient norm is {lip_txt}): its "
            "steepest slopes set the constant and lower its bound" if min(lip) > 1 else
            f"the penalised critic is 1-Lipschitz here (its largest gradient norm is {lip_txt}), so its bound is a true "
            "bound" if max(lip) <= 1 else f"the penalised critic's largest gradient norm is {lip_txt}: where it is above "
            "1, its steepest slopes set the constant and lower its bound",
            "surf_support_read": ("supports the paper's picture (simple against structured critics), " if simple and follows
                                  else "does not support the paper's picture (simple against structured critics) on every "
                                  "toy, ") + ("and the penalised critic's larger bound on every toy says it estimates"
                                              if len(better) == len(SURFACE_TOYS) else
                                              "not a claim that the penalised critic estimates" if simple and follows else
                                              "nor a claim that the penalised critic estimates"),
            "disc_clip_read": "a function mostly of the distance to the data's centre, which explains "
            f"{rng('clipping_centre')} of its variance against {rng('clipping_data')} for the distance to the data"
            if simple else "a function that here is not mostly one of the distance to the data's centre on every toy",
            "disc_gp_read": "and the critic follows the data" if follows else
            "and the critic follows the data more closely than the clipped one on every toy, though more closely than "
            f"the distance to the data's centre only on {toys_in(follow)}" if closer and follow else
            "and the critic follows the data more closely than the clipped one on every toy, though on no toy more "
            "closely than the distance to the data's centre" if closer else
            "though here the critic does not follow the data more closely than the clipped one on every toy"}


def span(norms: list) -> float:
    """Orders of magnitude between the largest and the smallest non-zero norm of a critic's layers."""
    return float(np.log10(max(norms)) - np.log10(min([v for v in norms if v > 0] or [FLOOR])))


def direction(norms: list) -> str:
    """"exploding" where a critic's gradient norm grows from its last layer towards its input, else "vanishing"."""
    return "exploding" if norms[0] > norms[-1] else "vanishing"


def straightness(norms: list) -> float:
    """R² of a line through log10 of a critic's non-zero gradient norms against their layer (1 with
    fewer than three non-zero layers)."""
    v = np.asarray(norms, dtype=float)
    x, y = np.flatnonzero(v > 0), np.log10(v[v > 0])
    return 1.0 if len(x) < 3 or np.ptp(y) == 0 else float(np.corrcoef(x, y)[0, 1] ** 2)


def _fan(g: dict) -> dict:
    """The paper's Figure 1b against ours: clipping's norms on straight lines (log scale) that explode at
    the largest c and vanish at the smallest, the penalty's within an order of magnitude."""
    clip = sorted((label for label in g if label.startswith("clipping")), key=lambda label: -float(label.split("=")[1]))
    dirs = [direction(g[c]) for c in clip]
    r2 = min(straightness(g[c]) for c in clip)
    ratio = {c.split("= ")[1]: g[c][0] / g[c][-1] for c in clip if g[c][-1] > 0}  # first layer's norm over the last's
    return {"dirs": dirs, "r2": r2, "gp_span": span(g["gradient penalty"]), "big": max(ratio.values(), default=1.0),
            "small": min(ratio.values(), default=1.0), "ratio": ratio,
            "turns": dirs[0] == "exploding" and dirs[-1] == "vanishing"}


def _cs(cs: list) -> str:
    """"c = 0.1", "c = 0.01 and c = 0.001"."""
    return and_list(f"c = {c}" for c in cs)


def _fan_texts(g: dict) -> dict:
    f = _fan(g)
    differs = ([] if f["r2"] >= STRAIGHT_R2 else [f"clipping's lines are not straight (R² of a line through log10 of "
                                                  f"the norms {f['r2']:.2f} at worst)"]) + \
              ([] if f["turns"] else [f"clipping's gradients are {f['dirs'][0]} at every c" if len(set(f["dirs"])) == 1 else
                                      f"clipping's gradients are {', '.join(f['dirs'])} from the largest c to the smallest"]) + \
              ([] if f["gp_span"] < 1 else [f"the penalty's norms change by {f['gp_span']:.1f} orders of magnitude"])
    ratio = f["ratio"]
    at = lambda v: [c for c, x in ratio.items() if x == v]
    large = ((f"astronomically large ({_cs([c for c, x in ratio.items() if x >= 1e6])})" if f["big"] >= 1e6 else
              f"{f['big']:,.0f} times the last layer's ({_cs(at(f['big']))})") if f["big"] > 1 else "")
    small = ((f"numerically zero ({_cs([c for c, x in ratio.items() if x < 1e-6])})" if f["small"] < 1e-6 else
              f"{f['small']:.2g} times the last layer's ({_cs(at(f['small']))})") if f["small"] < 1 else "")
    return {
        "fan_read": "The paper's Figure 1b shows the same fan of straight lines on a log scale for clipping and a flat "
                    "line for the penalty" if not differs else "The paper's Figure 1b shows a fan of straight lines on "
                    "a log scale for clipping, from exploding to vanishing as c falls, and a flat line for the penalty; "
                    "ours differs: " + "; ".join(differs),
        "early_read": "at the first layer " + (" or ".join(t for t in (large, small) if t) or
                                               "about as large as at the last layer, at every c"),
        "tuning_read": "moves the network from exploding to vanishing gradients with little room between" if f["turns"]
        else "moves the network from exploding to vanishing gradients in the paper, not in our critic, whose gradients "
             f"are {f['dirs'][0]} at every c we tried" if len(set(f["dirs"])) == 1 else
        "moves the network between exploding and vanishing gradients, though not from one to the other as c falls here "
        f"({', '.join(f['dirs'])} from the largest c to the smallest)",
    }


def _gradients(r, p, m) -> dict:
    g = m["gradient_norms"]
    small = {c: direction(g[f"clipping c = {c}"]) for c in ("0.01", "0.001")}
    spans = {label: span(v) for label, v in g.items()}
    clipping = min(v for label, v in spans.items() if label.startswith("clipping"))
    out = {"gn_depth": str(p["gradnorm_depth"]), **_fan_texts(g),
           "dir_01": {"exploding": "grow towards the input: exploding",
                      "vanishing": "shrink towards the input: vanishing"}[direction(g["clipping c = 0.1"])],
           "dir_small": f"both {small['0.01']}" if len(set(small.values())) == 1 else
           f"{small['0.01']} with c = 0.01, {small['0.001']} with c = 0.001",
           "gp_span_read": "The penalty keeps the norms within an order of magnitude across the depth"
           if spans["gradient penalty"] < 1 else
           f"The penalty's norms change by {spans['gradient penalty']:.1f} orders of magnitude across the depth, less "
           "than with any clipping" if spans["gradient penalty"] < clipping else
           f"The penalty does not keep the norms steadier here: they change by {spans['gradient penalty']:.1f} orders of "
           "magnitude across the depth"}
    for key, label in (("span_01", "clipping c = 0.1"), ("span_001", "clipping c = 0.01"),
                       ("span_0001", "clipping c = 0.001"), ("span_gp", "gradient penalty")):
        zeros = sum(v == 0 for v in g[label])  # layers where float32 underflowed to 0
        out[key] = f"{span(g[label]):.1f}" + (f" over the layers where it is not zero (in {zeros} of them it underflows "
                                              "to exactly 0, drawn at 1e-30)" if zeros else "")
    return out


def img_ms(p, m) -> float:
    """Milliseconds of one WGAN-GP update of the headline's nets (the mean over its seeds' runs)."""
    return 1000 * np.mean(m["headline_seeds"]["seconds"]) / p["steps"]


def _headline(r, p, m) -> dict:
    h, steps = m["headline_seeds"], p["steps"]
    ms, late = img_ms(p, m), h["fd_late_change"]
    return {
        "img_ms_txt": f"{ms:.0f}", "img_min_txt": f"{ms * steps / 60_000:.0f}",
        "arch_img_hours_txt": f"{len(METHODS) * len(p['architectures']) * p['toy_seeds'] * ms * steps / 3.6e6:.0f}",
        "fd_every_txt": f"{p['fd_every']:,}", "head_fd_txt": ", ".join(format(v, ".0f") for v in h["fd"]),
        "head_recall_txt": ", ".join(format(v, ".2f") for v in h["recall"]),
        "head_classes_txt": ", ".join(format(v, "d") for v in h["classes_covered"]),
        "fd_real_txt": f"{m['fd_real']:.0f}", "blur_fd_txt": f"{h['fd_bar']:.0f}",
        "head_track_end_txt": ", ".join(f"{c[-1][1]:.0f}" for c in h["fd_curve"].values() if c) or "-",
        "head_spread_read": _spread(h),
        "track_vs_block": f"the standard block's FD, {TRACK_N:,} samples against the {TRACK_REF:,} training digits, but "
        "drawn with seed 0 for every training seed, so its last point differs from the block's by the draw of the "
        "samples alone" if (m["n_samples"], m["n_reference"]) == (TRACK_N, TRACK_REF) else
        f"the standard block's FD but of {TRACK_N:,} samples against {TRACK_REF:,} training digits (the block's: "
        f"{m['n_samples']:,} against {m['n_reference']:,}), drawn with seed 0 for every training seed, so its last point "
        "differs from the block's by the sizes as well as by the draw of the samples",
        "head_late_txt": ", ".join(f"{100 * v:+.0f} %" for v in late if v is not None) or "not tracked",
        "head_plateau_read": {
            "levelled": "had levelled off (it moved by less than 10 % over the last 30 % of the updates on every seed): "
                        "the budget is not what limits these numbers",
            "falling": "was still falling (by more than 10 % over the last 30 % of the updates on "
                       f"{of_count(sum(v is not None and v < -0.1 for v in late), len(late))}): it had not levelled "
                       "off (a curve that has not levelled need not keep falling), so these are the budget's numbers, "
                       "not those of a converged WGAN-GP",
            "rising": "rose over the last 30 % of the updates on "
                      f"{of_count(sum(v is not None and v > 0.1 for v in late), len(late))}: it had not levelled off",
            "unknown": "was not tracked"}[tracking.plateau(late)],
    }


def _spread(h: dict) -> str:
    """Is most of the seeds' spread of the standard block's FD the draw of their samples (the tracked
    FD's last points, one draw for every seed, spread by less than half as much), or the runs'?"""
    ends = [c[-1][1] for c in h["fd_curve"].values() if c]
    if len(ends) < 2:
        return "the draw's share of the seeds' spread in the standard block is not measured (the FD was not tracked)"
    if max(ends) - min(ends) < 0.5 * (max(h["fd"]) - min(h["fd"])):
        return "most of the seeds' spread in the standard block is the draw's, not the runs'"
    return "the draw does not explain most of the seeds' spread in the standard block: the runs differ too"


def _toys(r, p, m) -> dict:
    ref = {t: {"real": m["toy_real"][t], "uniform": m["toy_chance"][t]} for t in ("ring", "grid")}
    shown = toys.texts(m["toy"], ref, p["toy_seeds"])
    steps = m["toy_protocol"]["steps"]
    ring = m["toy_convergence"]["wgan_gp"]["curve"]["ring"]
    level = next((q["step"] for q in ring if q["high_quality"] >= 0.9 * ring[-1]["high_quality"]), None)
    within = ("at which WGAN-GP's share near the ring's modes comes within 10 % of its "
              f"{ring[-1]['step']:,}-update value (seed 0 trained alone, the next section's left panel)") if ring else ""
    return {
        **{k: shown[k] for k in ("toy_uniform_txt", "toy_real_hq", *(f"toy_read_{n}" for n in METHODS))},
        "gp_ms_txt": f"{1000 * (np.mean(m['toy_seconds']['wgan_gp']) / steps):.0f}",
        "budget_read": "a budget for which no convergence curve was measured" if level is None else
        f"past the {level:,} updates {within}" if steps > level else
        f"the budget {within}" if steps == level else
        f"{steps / level:.0%} of the {level:,} updates at which WGAN-GP's share near the ring's modes levels off: "
        "these runs are not converged",
    }


def _long(r, p, m) -> dict:
    g = m["toy_long"]["grid"]
    per_seed = g["per_seed"]
    late = tracking.late_change([[q["step"], float(np.mean(q["high_quality"]))] for q in g["curve"]])
    return {
        "chance_grid_read": _chance_grid(m["toy_chance"]["grid"]),
        "long_every_txt": f"{p['long_every']:,}", "long_modes_txt": ", ".join(map(str, per_seed["modes_covered"])),
        "long_hq_txt": ", ".join(f"{v:.0%}" for v in per_seed["high_quality"]),
        "long_min_txt": f"{sum(g['seconds']) / len(g['seconds']) / 60:.0f}",
        "long_inner_per_mode": f"{g['per_mode_inner']:.1f}", "long_border_per_mode": f"{g['per_mode_border']:.1f}",
        "chance_per_mode": f"{g['per_mode_uniform']:.1f}",
        "grid_late_txt": "not tracked" if late is None else f"{100 * late:+.0f} %",
        "grid_plateau_read": {"levelled": "within the 10 % the book calls levelled off"
                                          + (", though still rising slowly" if late is not None and late > 0.02 else ""),
                              "rising": "it was still rising: it had not levelled off (a curve that has not levelled "
                                        "need not keep rising)",
                              "falling": "it fell", "unknown": "it was not tracked"}[tracking.plateau([late])],
        "long_inner_verdict": _inner(g["per_mode_inner"], g["per_mode_border"], g["per_mode_uniform"]),
    }


def _inner(inner: float, border: float, uniform: float) -> str:
    """Where the long grid runs put their samples: at the 9 inner modes, at the 16 on the border, both
    (more than twice the uniform cloud's samples per mode), and the inner against the border's."""
    if inner < 2 * uniform and border < 2 * uniform:
        return "puts no more than twice the uniform cloud's samples at the grid's modes, on the border or inside it"
    if inner < 2 * uniform:
        return "concentrates its samples at the border's modes, not at the modes inside it"
    if border < 2 * uniform:
        return "concentrates its samples at the inner modes, not at the border"
    if 1 / ABOUT <= inner / border <= ABOUT:
        return "concentrates its samples at the inner modes about as much as at the border"
    return f"concentrates its samples at the inner modes, {'less' if inner < border else 'more'} than at the border"


def _chance_grid(u: dict) -> str:
    """How many of the grid's modes the uniform cloud "covers"."""
    if u["modes_covered"] > u["modes_total"] / 2:
        return "most of the grid's modes"
    return f"{u['modes_covered']:.1f} of the grid's {u['modes_total']:.0f} modes" if u["modes_covered"] else \
        "none of the grid's modes"


def _architectures(r, p, m) -> dict:
    a, seeds, names = m["architectures"], p["toy_seeds"], p["architectures"]
    on_toy, ref = p["arch_data"] in toys.TOYS, a["reference"]
    fails = lambda n: ", ".join(f"{x} ({seeds - a['cells'][n][x]['successes']} of {seeds})" for x in names
                                if a["cells"][n][x]["successes"] < seeds) or "none"
    t2 = r.paper["table_2_random_architectures"]
    i5 = t2["min_score"].index(5.0)
    return {
        "arch_data_txt": p["arch_data"],
        "succ_table": "; ".join(f"{NAMES[n]} {', '.join(map(str, a['counts'][n]))}" for n in METHODS),
        "succ_fails": "; ".join(f"{NAMES[n]}: {fails(n)}" for n in METHODS),
        "n_arch_txt": str(len(names)), "succ_nstd_txt": f"{p['success_n_std']:g}",
        "succ_modes_txt": f"{p['success_modes']:.0%}", "succ_hq_txt": f"{p['success_hq']:.0%}",
        "real_modes_txt": f"{ref['real']['modes_covered']:g} of {ref['real']['modes_total']:g}" if on_toy else "-",
        "real_hq_txt": f"{ref['real']['high_quality']:.1%}" if on_toy else "-",
        "arch_chance_txt": (f"{ref['uniform']['modes_covered']:g} of {ref['uniform']['modes_total']:g} modes with "
                            f"{ref['uniform']['high_quality']:.1%} of its samples near a mode") if on_toy else "-",
        "paper_t2_txt": f"{t2['only_wgan_gp'][i5]} reach an inception score above {t2['min_score'][i5]:g} only with "
                        f"WGAN-GP, {t2['both'][i5]} with both objectives and {t2['only_gan'][i5]} with the standard GAN alone",
    }


#: the chapter's readings, part by part in the order of its prose (:func:`gdm.readings.texts`)
PARTS = (_setup, _surfaces, _gradients, _headline, _toys, _long, _architectures)
