"""Chapter 06 (BEGAN): the sentences of its prose that read its results (:mod:`gdm.readings`)."""
from __future__ import annotations

import numpy as np

from .. import toys
from ..metrics.tracking import critical_rho, plateau
from ..results import seed_text
from ..toys import STEPS as TOY_STEPS
from . import and_list, number


def _seeds(n: int) -> str:
    """A count of seeds with its noun: "1 seed", "3 seeds"."""
    return f"{n} seed{'' if n == 1 else 's'}"

PLATEAU = {"levelled": "had levelled off on every seed (within 10 % over the last 30 % of the steps)",
           "falling": "was still falling at the end: the headline's numbers are this budget's, not a plateau's",
           "rising": "was rising again at the end on some seed", "unknown": "was not tracked"}


def sweep_gammas(p: dict) -> list[float]:
    """The γ of the sweep in increasing order: the parameters' ``gammas`` and the headline's ``gamma``."""
    return sorted({float(g) for g in p["gammas"]} | {float(p["gamma"])})


#: a run cut to this share of the headline's steps, as the prose names it
SHARES = {0.5: "half", 0.25: "a quarter", 0.1: "a tenth"}


def _equilibrium(p, m) -> tuple[dict, bool | None]:
    """The ratio's largest relative distance from γ over the collapsed runs (``True``) and the others
    (``False``), and whether the collapsed runs held it as closely (within a factor 2 of the others'
    distance; ``None`` where no run, or every run, collapsed)."""
    runs = m["collapse"]["runs"]
    ratio = lambda g, c: [abs(x / g - 1) for x, cut in zip(m["gamma"][f"{g:g}"]["ratio"], runs[f"{g:g}"]) if cut == c]
    dist = {c: [d for g in sweep_gammas(p) for d in ratio(g, c)] for c in (True, False)}
    return dist, (max(dist[True]) <= 2 * max(dist[False]) if dist[True] and dist[False] else None)


def _controller(r, p, m) -> dict:
    lk, half = p["lambda_k"], p["steps"] // 2
    k_mean = [float(np.mean(v)) for v in m["equilibrium"]["k_final"].values()]  # in the sweep's order of γ
    close, low = _equilibrium(p, m)[1], f"{sweep_gammas(p)[0]:g}"
    share = m["gamma"][low]["class_share"]  # seed `seed`'s samples at the lowest γ
    one = m["collapse"]["runs"][low][p["seed"]] and max(share) >= 0.9  # that run collapsed onto one digit
    eq_preview = ("the next section's runs do not test whether it holds it as well for a generator of few digits (no "
                  "run collapsed, or every run did)" if close is None else
                  f"the next section shows that it holds it just as well for a generator that draws "
                  f"{'one digit' if one else 'few digits'}" if close else
                  "the next section shows that it holds it less closely for a generator that collapsed")
    return {"steps_text": f"{p['steps']:,}", "n_seeds": _seeds(p['seeds']), "fd_every": f"{p['fd_every']:,}",
            "k_bound": f"1 / (λ_k N) = 1 / ({lk:g} × {half:,}) = {1 / (lk * half):.1e}",
            "k_by_gamma": ", ".join(f"{np.mean(v):.2f} at γ = {g}" for g, v in m["equilibrium"]["k_final"].items()),
            "gamma_list": ", ".join(f"{g:g}" for g in sweep_gammas(p)), "gamma": f"{p['gamma']:g}",
            "toy_steps_text": f"{p['toy_steps'] or TOY_STEPS:,}", "toy_gamma": f"{m['toy_gamma']:g}",
            **_counts(p), "k_higher": "the higher" if all(a < b for a, b in zip(k_mean, k_mean[1:])) else
            "(here not at every γ) the higher", "eq_preview": eq_preview}


def _counts(p) -> dict:
    """The counts the prose gives in words, from the parameters."""
    gs, paper = sweep_gammas(p), {float(g) for g in p["paper_gammas"]}
    shown = [f"{g:g}" for g in gs if g in paper], [f"{g:g}" for g in gs if g not in paper]
    listed = (f"the paper's {and_list(shown[0])}" + (f", and {and_list(shown[1])}" if shown[1] else "")
              if shown[0] else and_list(shown[1]))
    return {"gammas_intro": f"{number(len(gs))} value{'' if len(gs) == 1 else 's'} of γ ({listed})",
            "paper_gammas_n": number(len(paper)), "n_samples": f"{p['eval_samples']:,}",
            "tracking_n_word": number(len(p["tracking_settings"])),
            "seed_list": ", ".join(str(s) for s in range(p["seeds"]))}


def _sweep(r, p, m) -> dict:
    gs, rank, runs = sweep_gammas(p), m["gamma_rank"], m["collapse"]["runs"]
    name = lambda g: f"γ = {g:g}"
    mean = lambda key: [float(np.mean(m["gamma"][f"{g:g}"][key])) for g in gs]
    fd = mean("fd")
    collapsed_at = [f"{float(g):g}" for g in p["paper_gammas"] if any(runs.get(f"{float(g):g}", []))]
    dist, close = _equilibrium(p, m)
    return {
        "rho_recall": seed_text(rank["recall_rho"], "+.2f"), "rho_precision": seed_text(rank["precision_rho"], "+.2f"),
        "n_gammas": str(len(gs)), "critical_rho": f"{critical_rho(len(gs)):.2f}" if len(gs) > 2 else "n/a",
        "chance_rho": "n/a" if rank["chance_rho"] is None else f"{rank['chance_rho']:.2f}",
        "fd_by_gamma": ", ".join(f"{v:.0f}" for v in fd), "sharp_by_gamma": ", ".join(f"{v:.3f}" for v in mean("sharpness")),
        "fd_trend": "falls as γ rises" if all(a > b for a, b in zip(fd, fd[1:])) else
        "rises as γ rises" if all(a < b for a, b in zip(fd, fd[1:])) else "does not move steadily with γ",
        "sharp_real": f"{m['sharpness_real']:.3f}", "sharp_trend": _sharp_trend(mean("sharpness")),
        "collapsed_runs": ", ".join(f"{name(g)} on {sum(c)} of {len(c)} seeds" for g in gs
                                    if (c := runs[f"{g:g}"]) and any(c)) or "none",
        "uncollapsed": ", ".join(name(g) for g in gs if not any(runs[f"{g:g}"])) or "none",
        "collapse_read": {
            "fails": f"what fails here is \"no collapse\" at its γ = {and_list(collapsed_at)} in this configuration (MLP "
                     "nets, the book's gain), not a measured instability of training's dynamics",
            "holds": "no run at its γ collapsed here",
            "inconclusive": "whether runs at its γ collapse is not decided by the seeds"
                            + (f" (some did at γ = {and_list(collapsed_at)})" if collapsed_at else "")}[r.verdict("began.stable")],
        "eq_collapse": "" if close is None else
        f"The controller held the equilibrium in the collapsed runs (largest relative distance {max(dist[True]):.2%}) "
        f"as closely as in the others ({max(dist[False]):.2%}): it balances mean losses, which a generator of few digits "
        "meets as well as a varied one." if close else
        f"The controller held the equilibrium less closely in the collapsed runs (largest relative distance "
        f"{max(dist[True]):.2%}) than in the others ({max(dist[False]):.2%}): a generator of few digits met its mean "
        "less well than a varied one.",
    }


def _sharp_trend(sharp: list) -> str:
    """The samples' mean sharpness along the sweep (increasing γ) against the paper's "sharper" at low γ."""
    if all(a < b for a, b in zip(sharp, sharp[1:])):
        return "It rises with γ: here the samples are sharper at high γ, the opposite of the paper's \"sharper\" at low γ."
    if all(a > b for a, b in zip(sharp, sharp[1:])):
        return "It falls as γ rises: the samples are sharper at low γ, as the paper says."
    return "It does not move steadily with γ: the sweep neither shows nor contradicts the paper's \"sharper\" at low γ."


def _headline(r, p, m) -> dict:
    h, v = m["headline_seeds"], r.verdict
    read = (f"So γ = {p['gamma']:g} "
            + {"holds": "is diverse enough", "fails": "is not diverse enough",
               "inconclusive": "is diverse enough on some seeds only"}[v("began.digits_recall")] + ", and "
            + {"holds": "its samples are digits of every class", "fails": "its samples miss a class of digits",
               "inconclusive": "its samples show every class on some seeds only"}[v("began.digits_classes")] + ", "
            + {"holds": "and at this budget they are as close to the data as blurred digits are",
               "fails": "but at this budget they are not as close to the data as blurred digits are",
               "inconclusive": "and whether at this budget they are as close to the data as blurred digits are is not "
                               "decided by the seeds"}[v("began.digits_fd")] + ".")
    return {"fd_bar": f"{m['fd_bar']:.0f}", "head_fd": seed_text(h["fd"], ".0f"), "head_recall": seed_text(h["recall"], ".2f"),
            "head_classes_covered": seed_text(h["classes_covered"], "d"), "fd_late": seed_text(h["fd_late_change"], "+.0%"),
            "plateau": PLATEAU[plateau(h["fd_late_change"])], "head_read": read}


def _classes(r, p, m) -> dict:
    low = sweep_gammas(p)[0]
    share, loss = m["gamma"][f"{low:g}"]["class_share"], m["real_loss_per_class"]  # seed `seed`'s samples
    top = int(np.argmax(share))
    order = sorted(loss, key=loss.get)
    return {
        "low_gamma": f"{low:g}", "top_class": str(top), "top_share": f"{share[top]:.0%}",
        "easiest": and_list(order[:2]), "hardest": and_list(order[::-1][:2]),  # each from its extreme
        "l_range": f"{loss[order[0]]:.3f} to {loss[order[-1]]:.3f}",
        "class_verdict": "the favoured digit is among the two it reconstructs best, as one would expect if the generator, "
                         "which minimises L(G(z)) under a controller that asks only for a mean, settled on a class that is "
                         "cheap to reconstruct; one seed does not test that reading" if str(top) in order[:2] else
                         "the favoured digit is not among the two it reconstructs best, so how cheap a class is to "
                         "reconstruct does not explain which digit the generator settled on",
    }


def _along(r, p, m) -> dict:
    along = m["along"].values()
    third = p["steps"] // 3
    after = lambda t, k: t[k][-1] / t[k][next(i for i, u in enumerate(t["step"]) if u >= third)] - 1
    late_m, late_fd = [abs(after(a, "loss")) for a in along], [abs(after(a, "fd")) for a in along]
    return {
        "rho_along": seed_text([a["spearman"] for a in along], ".2f"), "third": f"{third:,}",
        "m_after": seed_text([after(a, "loss") for a in along], "+.0%"),
        "fd_after": seed_text([after(a, "fd") for a in along], "+.0%"),
        "m_change": "changes by only" if max(late_m) < 0.1 and max(late_m) < min(late_fd) else "changes by",
        "along_read": ("No: read along one run, M_global has levelled off long before the samples stop improving."
                       if min(late_fd) > 0.3 else
                       "Read along one run, M_global has levelled off after it; the FD moves less than a third.")
        if max(late_m) < 0.1 else "M_global still moves after it: it has not levelled off before the FD.",
    }


def _tracking(r, p, m) -> dict:
    block, rob, T = m["tracking"], m["tracking_checks"], p["tracking_settings"]
    n_pass = (rob["passed"]["rho_without_top"], rob["passed"]["rho_own"])
    worst = [T[int(np.argmax(f))] for f in block["fd"]]  # each seed's run of highest FD
    return {
        "tracking_n": f"{len(T)}", "tracking_settings_text": "; ".join(T),
        "tracking_chance": "n/a" if block["chance_rho"] is None else f"{block['chance_rho']:.2f}",
        "tracking_rho": seed_text(block["rho"], ".2f"), "dropped": ", ".join(sorted(set(rob["top"]))),
        "m_top": " / ".join(f"{max(v):.3f}" for v in block["loss"]),
        "m_rest": " / ".join(f"{min(v):.3f}–{sorted(v)[-2]:.3f}" for v in block["loss"]),
        "rho_drop": seed_text(rob["rho_without_top"], ".2f"), "chance_drop": seed_text([rob["chance_without_top"]], ".2f"),
        "lowest_m": " / ".join(rob["low"]),
        "lowest_fd": " / ".join(f"{f[T.index(t)]:.0f}" for f, t in zip(block["fd"], rob["low"])),
        "head_fd_tracking": " / ".join(f"{f[T.index('headline')]:.0f}" for f in block["fd"]) if "headline" in T else "n/a",
        "own_n": str(len(rob["own"])), "rho_own": seed_text(rob["rho_own"], ".2f"),
        "chance_own": seed_text([rob["chance_own"]], ".2f"),
        "checks_read": "Both checks pass on every seed: the ranking does not rest on the failed runs or on the cut ones."
        if min(n_pass) == p["seeds"] else f"The check without each seed's run of highest M_global passes on {n_pass[0]} "
        f"of {_seeds(p['seeds'])} and the check among the runs of their own on {n_pass[1]} of {_seeds(p['seeds'])}: the "
        "final M_global tells a failed run from a working one, and ranks working runs less surely than the verdict alone "
        "suggests.",
        "tracking_best": ", ".join(sorted({T[int(np.argmin(f))] for f in block["fd"]})),
        "top_run": "the run that failed most" if rob["top"] == worst else
        "the run of highest final M_global (on some seed not the run of highest FD)",
        "trajectory_read": _trajectory(p, m),
    }


def _trajectory(p, m) -> str:
    """The tracking study's settings that scale only the steps: the headline run read at other times."""
    T, block, curve = p["tracking_settings"], m["tracking"], m["headline_seeds"]["fd_curve"]
    scaled = block["settings"]  # setting -> the factors it scales the headline's values by
    cut = [t for t, f in scaled.items() if set(f) == {"steps"} and f["steps"] != 1]
    same = len(cut) + ("headline" in scaled)
    if same < 2:
        return f"Every setting is a run of its own: no two of the {number(len(T))} points per seed are one trajectory."
    if all(scaled[t]["steps"] < 1 for t in cut):
        share = " or ".join(SHARES.get(scaled[t]["steps"], f"{scaled[t]['steps']:g} times") for t in cut)
        which = f"a run cut to {share} of the steps is the headline run itself read earlier"
    else:
        which = f"the runs with the steps scaled ({', '.join(cut)}) are the headline run itself read at other times"
    # their FDs against the headline's tracked FD at their steps (max(1, round(steps × factor)), as tracking.scaled)
    pairs = [(f[list(scaled).index(t)], dict(map(tuple, curve[str(s)])).get(max(1, round(p["steps"] * scaled[t]["steps"]))))
             for s, f in zip(block["seeds"], block["fd"]) for t in cut]
    fd = ("; the headline's FD was not tracked at all those steps" if any(b is None for a, b in pairs) else
          "; their FDs equal the headline's tracked FD at those steps" if all(abs(a - b) <= 1e-6 * abs(b) for a, b in pairs)
          else "; their FDs differ from the headline's tracked FD at those steps, by up to "
               f"{max(abs(a / b - 1) for a, b in pairs):.1%}")
    return (f"A flaw of the design, seen after the runs: {which} (the same seed gives it the same nets, noise and "
            f"batches{fd}), so {number(same)} of the {number(len(T))} points per seed are one trajectory, the "
            "along-one-run reading the ledger meant to avoid.")


def _toys(r, p, m) -> dict:
    ref = {t: {"real": m["toy_real"][t], "uniform": m["toy_chance"][t]} for t in ("ring", "grid")}
    shown = toys.texts(m["toy"], ref, p["toy_seeds"])
    k = [v for t in ("ring", "grid") for v in m["toy_k_final"][t]]  # every toy run's final k_t
    lo, hi = f"{min(k):.3f}", f"{max(k):.3f}"
    span = f"it ends at {lo} on every toy and seed" if lo == hi else f"it ends between {lo} and {hi} over the toys and seeds"
    return {**{n: v for n, v in shown.items() if n != "toy_real_hq"},
            "coverage_seeds_txt": _seeds(p["toy_seeds"]),  # with its noun (gdm.toys gives the number alone)
            "toy_k_read": f"barely moves within the budget ({span}), as the departures describe for digits"
            if max(k) < 0.1 else f"moves within the budget ({span}), unlike the digits' in the departures"}


def _discussion(r, p, m) -> dict:
    v, n, dropped = r.verdict, p["seeds"], m["tracking_checks"]["passed"]["rho_without_top"]
    return {
        "discussion_tracking": {
            "holds": "across runs it ranks them beyond chance, as the FD does, on every seed" + (
                f"; without each seed's run of highest M_global, beyond chance on {dropped} of {n} seeds: it tells a "
                "failed run from a working one more surely than it ranks working ones" if dropped < n else
                ", and still does without each seed's run of highest M_global"),
            "fails": "across runs it does not rank them as the FD does on any seed: lower is not better here",
            "inconclusive": "across runs the seeds do not decide whether it ranks them as the FD does (the ledger)"}[v("began.tracks")],
        "discussion_gamma": {"holds": "it buys diversity as the paper says", "fails": "it did not buy diversity here",
                             "inconclusive": "whether it buys diversity is not decided by the seeds"}[
            v("began.gamma_diversity")]
        + {"holds": ", at the price of precision", "fails": ", and it cost no precision",
           "inconclusive": "; whether it costs quality is not decided by the seeds"}[v("began.gamma_quality")],
    }


#: the chapter's readings, part by part in the order of its prose (:func:`gdm.readings.texts`)
PARTS = (_controller, _sweep, _headline, _classes, _along, _tracking, _toys, _discussion)
