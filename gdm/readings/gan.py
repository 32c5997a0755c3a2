"""Chapter 01 (GAN): the sentences of its prose that read its results (:mod:`gdm.readings`)."""
from __future__ import annotations

from ..metrics.tracking import PLATEAU_TOL, plateau

#: a ring seed has converged when at least this share of its samples lies near a mode (the ledger's bar)
CONVERGED = 0.5


def txt(values, fmt: str) -> str:
    """Per-seed values as this chapter's prose writes them: "a, b, c"."""
    return ", ".join(format(v, fmt) for v in values)


def _scale(r, p, m) -> dict:
    return {"steps_txt": f"{p['steps']:,}", "head_seeds_txt": str(p["head_seeds"]), "opt_steps_txt": f"{p['opt_d_steps']:,}",
            "opt_seeds_txt": str(p["opt_seeds"]), "ring_steps_txt": f"{p['ring_steps']:,}",
            "ring_seeds_txt": str(p["ring_seeds"]),
            "ring_ratio_txt": f"{p['ring_steps'] / m['toy_long']['ring']['protocol_steps']:g}",
            "small_txt": f"{p['small_train']:,}",
            "epochs_txt": f"{p['steps'] * p['batch_size'] / m['data_size']['train_images']['full']:.0f}"}


def _optimal_d(r, p, m) -> dict:
    od, t1 = m["optimal_d"], m["theorem_1"]
    return {"d_max_txt": txt(od["max_error"], ".3f"), "d_mean_txt": txt(od["mean_error"], ".3f"),
            "jsd": f"{t1['jsd']:.4f}", "value_star": f"{t1['value_at_d_star']:.4f}",
            "value_theorem": f"{t1['value_theorem_1']:.4f}", "value_learned": f"{t1['value_trained_d']:.4f}",
            "value_minibatch": f"{t1['value_minibatch']:.3f}"}


def _saturation(r, p, m) -> dict:
    sat = m["saturation"]
    ratio = [a / b for a, b in zip(sat["grad_nonsaturating"], sat["grad_minimax"])]
    return {"d_fake_poor": txt(sat["d_fake"], ".1e"), "grad_minimax": txt(sat["grad_minimax"], ".1e"),
            "grad_nonsat": txt(sat["grad_nonsaturating"], ".2g"), "grad_ratio": txt(ratio, ",.0f")}


def _digits(r, p, m) -> dict:
    hs, n = m["headline_seeds"], p["eval_samples"]
    fd = hs["fd"]
    recall = {"holds": "recall passes its bar", "fails": "recall misses its bar",
              "inconclusive": "recall passes its bar on some seeds only"}[r.verdict("gan.digits_recall")]
    classes = {"holds": "every class takes its share", "fails": "the classes are far from balanced",
               "inconclusive": "the classes are balanced on some seeds only"}[r.verdict("gan.digits_classes")]
    same = r.verdict("gan.digits_recall") == r.verdict("gan.digits_classes")
    return {
        "head_fd_txt": txt(fd, ".0f"), "head_recall_txt": txt(hs["recall"], ".2f"),
        "head_classes_txt": txt(hs["classes_covered"], "d"), "fd_real_txt": f"{m['fd_real']:.0f}",
        "blur_fd_txt": f"{m['fd_bar']:.0f}", "head_late_txt": txt([100 * v for v in hs["fd_late_change"]], "+.0f") + " %",
        "head_min_txt": f"{sum(hs['train_seconds']) / len(fd) / 60:.0f}", "fd_every_txt": f"{p['fd_every']:,}",
        "head_gap_txt": txt(m["data_size"]["d_gap"]["full"], ".2f"),
        "head_missing_txt": "; ".join(", ".join(f"{c}: {k / n:.1%}" for c, k in enumerate(h) if k < 0.01 * n) or "none"
                                      for h in hs["class_histogram"]),
        "head_top_txt": txt([max(h) / n for h in hs["class_histogram"]], ".0%"),
        "head_score_txt": txt(hs["classifier_score"], ".1f"), "score_real_txt": f"{m['classifier_score_real']:.1f}",
        "head_balance_read": recall + (" and " if same else " while ") + classes,
        "head_shown_read": "the seed with the highest FD" if fd[0] == max(fd) else
        "the seed with the lowest FD" if fd[0] == min(fd) else "neither the best nor the worst seed by FD",
        "head_plateau_read": {
            "levelled": "had levelled off (it moved by less than 10 % over the last 30 % of the updates on every seed): a "
                        "longer budget would not change these numbers much",
            "falling": "was still falling by more than 10 % over the last 30 % of the updates on some seed: these are the "
                       "budget's numbers, not a plateau's (and a curve that has not levelled need not keep falling)",
            "rising": "rose by more than 10 % over the last 30 % of the updates on some seed: the samples got worse with "
                      "length, so a longer budget would not help",
            "unknown": "was not tracked"}[plateau(hs["fd_late_change"])],
    }


def _best(curve, pick) -> str:
    """The lowest or highest (``pick``: min or max) value of a tracked curve and the update it was read at."""
    u, v = pick(curve, key=lambda q: q[1])
    return f"{v:.{'0f' if pick is min else '2f'}} at update {u:,}"


def _limits(r, p, m) -> dict:
    ds, nobn, early = m["data_size"], m["nobn_seeds"], 5 * p["fd_every"]
    small = ds["small_seeds"]
    at_early = lambda curves: ", ".join(f"{dict(map(tuple, c)).get(early, float('nan')):.2f}" for c in curves.values())
    out = {"copy_txt": txt(m["nearer_training"]["share"], ".0%"), "copy_real_txt": f"{m['nearer_training']['share_real']:.0%}",
           "full_fd_txt": txt(ds["fd_final"]["full"], ".0f"), "early_txt": f"{early:,}"}
    if small is None:  # the smaller-set runs were not trained
        out.update(dict.fromkeys(("small_fd_txt", "small_gap_txt", "small_best_txt", "small_classes_txt", "small_peak_txt",
                                  "gap_early_txt", "small_collapse_read", "gap_early_read"), "-"))
    else:
        classes = small["classes_covered"]
        faster = sum(dict(map(tuple, a)).get(early, 0) > dict(map(tuple, b)).get(early, 0)
                     for a, b in zip(small["d_gap_curve"].values(), m["headline_seeds"]["d_gap_curve"].values()))
        out.update({
            "small_fd_txt": txt(ds["fd_final"]["small"], ".0f"), "small_gap_txt": txt(ds["d_gap"]["small"], ".2f"),
            "small_best_txt": ", ".join(_best(c, min) for c in small["fd_curve"].values()),
            "small_classes_txt": txt(classes, "d"),
            "small_peak_txt": ", ".join(_best(c, max) for c in small["d_gap_curve"].values()),
            "gap_early_txt": at_early(small["d_gap_curve"]) + " against " + at_early(m["headline_seeds"]["d_gap_curve"]),
            "small_collapse_read": "collapsed onto a single class" if max(classes) == 1 else
            f"collapsed onto fewer classes ({txt(classes, 'd')})" if min(classes) < 10 else "kept every class",
            "gap_early_read": "rose faster than" if faster == len(classes) else "did not rise faster than" if not faster
            else f"rose faster, on {faster} of {len(classes)} seeds, than",
        })
    trained = p["nobn"]
    out.update({"nobn_dreal_txt": f"{min(nobn['d_real_min']):.2f}" if trained else "-",
                "nobn_recall_txt": txt(nobn["recall"], ".2f") if trained else "-",
                "nobn_classes_txt": txt(nobn["classes_covered"], "d") if trained else "-"})
    return out


def _parzen(r, p, m) -> dict:
    hs = m["headline_seeds"]
    return {"parzen_txt": ", ".join(f"{ll:.0f} ± {se:.0f}" for ll, se in zip(hs["parzen_ll"], hs["parzen_se"])),
            "parzen_sigma_txt": txt(hs["parzen_sigma"], ".3f"), "parzen_real_ll": f"{m['parzen_real_ll']:.0f}",
            "parzen_real_se": f"{m['parzen_real_se']:.0f}", "parzen_same_ll": f"{m['parzen_same_n_ll']:.0f}",
            "n_ref": f"{min(p['parzen_samples'], m['data_size']['train_images']['full']):,}",
            "n_test": f"{m['parzen_test_images']:,}", "n_valid": f"{m['parzen_valid_images']:,}",
            "parzen_n": f"{p['parzen_samples']:,}"}


def _ring(r, p, m) -> dict:
    ring, chance = m["toy_long"]["ring"], m["toy_chance"]["ring"]
    modes, hq = ring["per_seed"]["modes_covered"], ring["per_seed"]["high_quality"]
    seeds = range(len(modes))
    converged = [h >= CONVERGED for h in hq]
    collapsed = [s for s in seeds if converged[s] and modes[s] < ring["modes_total"]]
    rising = [s for s, v in enumerate(ring["late_change"]) if v is None or v > PLATEAU_TOL]  # None: from 0
    at70 = min(ring["curve"], key=lambda q: abs(q["step"] - 0.7 * ring["steps"]))
    plain = min(collapsed, key=lambda s: (modes[s], -hq[s])) if collapsed else None
    return {
        "ring_modes_txt": txt(modes, "d"), "ring_hq_txt": txt(hq, ".0%"), "ring_converged_txt": str(sum(converged)),
        "ring_collapsed_txt": str(len(collapsed)),
        "ring_min_txt": f"{sum(ring['train_seconds']) / len(ring['train_seconds']) / 60:.0f}",
        "ring_uniform_txt": f"{chance['high_quality']:.1%}", "ring_uniform_modes_txt": f"{chance['modes_covered']:.1f}",
        "ring_late_txt": ", ".join(f"{at70['high_quality'][s]:.0%} → {hq[s]:.0%}" for s in seeds),
        "ring_per_mode_txt": "; ".join(" ".join(str(n) for n in per) for per in ring["per_mode"]),
        "ring_plateau_read": "had levelled off on every seed (within 10 % over the last 30 % of the updates)" if not rising
        else f"was still rising on seed{'s' if len(rising) > 1 else ''} {', '.join(map(str, rising))}: those runs reached "
             "the modes late, and their counts are this budget's, not a plateau's",
        "ring_collapse_read": "No seed that converged misses a mode" if plain is None else
        f"Seed {plain} shows collapse {'plainly' if modes[plain] <= ring['modes_total'] / 2 else 'in part'}: "
        f"{'nearly all' if hq[plain] >= 0.9 else f'{hq[plain]:.0%}'} of its samples sit on {modes[plain]} modes",
    }


#: the chapter's readings, part by part in the order of its prose (:func:`gdm.readings.texts`)
PARTS = (_scale, _optimal_d, _saturation, _digits, _limits, _parzen, _ring)
