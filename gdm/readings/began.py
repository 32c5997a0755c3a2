"""Chapter 06 (BEGAN): the sentences of its prose that read its results (:mod:`gdm.readings`)."""
from __future__ import annotations

import numpy as np

from ..metrics.tracking import critical_rho, plateau
from ..results import seed_text
from ..toys import STEPS as TOY_STEPS
from . import and_list

PLATEAU = {"levelled": "had levelled off on every seed (within 10 % over the last 30 % of the steps)",
           "falling": "was still falling at the end: the headline's numbers are this budget's, not a plateau's",
           "rising": "was rising again at the end on some seed", "unknown": "was not tracked"}


def sweep_gammas(p: dict) -> list[float]:
    """The γ of the sweep in increasing order: the parameters' ``gammas`` and the headline's ``gamma``."""
    return sorted({float(g) for g in p["gammas"]} | {float(p["gamma"])})


def _controller(r, p, m) -> dict:
    lk, half = p["lambda_k"], p["steps"] // 2
    return {"steps_text": f"{p['steps']:,}", "n_seeds": f"{p['seeds']}", "fd_every": f"{p['fd_every']:,}",
            "k_bound": f"1 / (λ_k N) = 1 / ({lk:g} × {half:,}) = {1 / (lk * half):.1e}",
            "k_by_gamma": ", ".join(f"{np.mean(v):.2f} at γ = {g}" for g, v in m["equilibrium"]["k_final"].items()),
            "gamma_list": ", ".join(f"{g:g}" for g in sweep_gammas(p)), "gamma": f"{p['gamma']:g}",
            "toy_steps_text": f"{p['toy_steps'] or TOY_STEPS:,}", "toy_gamma": f"{m['toy_gamma']:g}"}


def _sweep(r, p, m) -> dict:
    gs, rank, runs = sweep_gammas(p), m["gamma_rank"], m["collapse"]["runs"]
    name = lambda g: f"γ = {g:g}"
    mean = lambda key: [float(np.mean(m["gamma"][f"{g:g}"][key])) for g in gs]
    fd = mean("fd")
    collapsed_at = [f"{float(g):g}" for g in p["paper_gammas"] if any(runs.get(f"{float(g):g}", []))]
    ratio = lambda g, c: [abs(x / g - 1) for x, cut in zip(m["gamma"][f"{g:g}"]["ratio"], runs[f"{g:g}"]) if cut == c]
    dist = {c: [d for g in gs for d in ratio(g, c)] for c in (True, False)}
    return {
        "rho_recall": seed_text(rank["recall_rho"], "+.1f"), "rho_precision": seed_text(rank["precision_rho"], "+.1f"),
        "n_gammas": str(len(gs)), "critical_rho": f"{critical_rho(len(gs)):.1f}" if len(gs) > 2 else "n/a",
        "chance_rho": "n/a" if rank["chance_rho"] is None else f"{rank['chance_rho']:.1f}",
        "fd_by_gamma": ", ".join(f"{v:.0f}" for v in fd), "sharp_by_gamma": ", ".join(f"{v:.3f}" for v in mean("sharpness")),
        "fd_trend": "falls as γ rises" if all(a > b for a, b in zip(fd, fd[1:])) else
        "rises as γ rises" if all(a < b for a, b in zip(fd, fd[1:])) else "does not move steadily with γ",
        "sharp_real": f"{m['sharpness_real']:.3f}",
        "collapsed_runs": ", ".join(f"{name(g)} on {sum(c)} of {len(c)} seeds" for g in gs
                                    if (c := runs[f"{g:g}"]) and any(c)) or "none",
        "uncollapsed": ", ".join(name(g) for g in gs if not any(runs[f"{g:g}"])) or "none",
        "collapse_read": f"what fails here is \"no collapse\" at its γ = {and_list(collapsed_at)} in this configuration (MLP "
                         "nets, the book's gain), not a measured instability of training's dynamics" if collapsed_at else
        "no run at its γ collapsed here",
        "eq_collapse": f"The controller held the equilibrium in the collapsed runs (largest relative distance "
                       f"{max(dist[True]):.2%}) as closely as in the others ({max(dist[False]):.2%}): it balances mean "
                       "losses, which a generator of few digits meets as well as a varied one."
        if dist[True] and dist[False] else "",
    }


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
        "easiest": ", ".join(order[:2]), "hardest": ", ".join(order[-2:]),
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
        "along_read": "No: read along one run, M_global has levelled off long before the samples stop improving."
        if max(late_m) < 0.1 and min(late_fd) > 0.3 else
        "Both still move after it: M_global does not level off before the FD.",
    }


def _tracking(r, p, m) -> dict:
    block, rob, T = m["tracking"], m["tracking_checks"], p["tracking_settings"]
    n_pass = (rob["passed"]["rho_without_top"], rob["passed"]["rho_own"])
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
        if min(n_pass) == p["seeds"] else f"They pass on {n_pass[0]} and {n_pass[1]} of {p['seeds']} seeds: the final "
        "M_global tells a failed run from a working one, and ranks working runs less surely than the verdict alone suggests.",
        "tracking_best": ", ".join(sorted({T[int(np.argmin(f))] for f in block["fd"]})),
    }


def _discussion(r, p, m) -> dict:
    v, n, dropped = r.verdict, p["seeds"], m["tracking_checks"]["passed"]["rho_without_top"]
    return {
        "discussion_tracking": {
            "holds": "across runs it ranks them as the FD does, on every seed" + (
                f"; without each seed's run of highest M_global, beyond chance on {dropped} of {n} seeds: it tells a "
                "failed run from a working one more surely than it ranks working ones" if dropped < n else
                ", and still does without each seed's run of highest M_global"),
            "fails": "across runs it does not rank them as the FD does on any seed: lower is not better here",
            "inconclusive": "across runs the seeds do not decide whether it ranks them as the FD does (the ledger), so its "
                            "curve along one run is not evidence either way"}[v("began.tracks")],
        "discussion_gamma": {"holds": "it buys diversity as the paper says", "fails": "it did not buy diversity here",
                             "inconclusive": "whether it buys diversity is not decided by the seeds"}[
            v("began.gamma_diversity")]
        + {"holds": ", at the price of precision", "fails": ", and it cost no precision",
           "inconclusive": "; whether it costs quality is not decided by the seeds"}[v("began.gamma_quality")],
    }


#: the chapter's readings, part by part in the order of its prose (:func:`gdm.readings.texts`)
PARTS = (_controller, _sweep, _headline, _classes, _along, _tracking, _discussion)
