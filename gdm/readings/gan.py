"""Chapter 01 (GAN): the sentences of its prose that read its results (:mod:`gdm.readings`)."""
from __future__ import annotations

from ..metrics.tracking import PLATEAU_TOL, plateau
from . import and_list

#: a ring seed has converged when at least this share of its samples lies near a mode (the ledger's bar)
CONVERGED = 0.5
#: the headline seeds have "the same" gap when its range over the seeds is at most this share of its mean
SAME_GAP = 0.1
#: a trained discriminator's value "just below" the optimum: within this many nats of it
JUST_BELOW = 0.01
WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def word(n: int) -> str:
    """A count as this chapter's prose writes it: "three", "five", 12."""
    return WORDS[n] if 0 <= n < len(WORDS) else f"{n:,}"


def seeds_of(k: int, n: int) -> str:
    """``k`` of ``n`` seeds as this chapter's prose writes it: "every seed", "no seed", "2 of 3 seeds"."""
    return "every seed" if k == n else "no seed" if not k else f"{k} of {n} seeds"


def txt(values, fmt: str) -> str:
    """Per-seed values as this chapter's prose writes them: "a, b, c"."""
    return ", ".join(format(v, fmt) for v in values)


def _scale(r, p, m) -> dict:
    return {"steps_txt": f"{p['steps']:,}", "head_seeds_txt": str(p["head_seeds"]), "opt_steps_txt": f"{p['opt_d_steps']:,}",
            "opt_seeds_txt": str(p["opt_seeds"]), "ring_steps_txt": f"{p['ring_steps']:,}",
            "ring_seeds_txt": str(p["ring_seeds"]),
            "ring_ratio_txt": f"{p['ring_steps'] / m['toy_long']['ring']['protocol_steps']:g}",
            "small_txt": f"{p['small_train']:,}",
            "epochs_txt": f"{p['steps'] * p['batch_size'] / m['data_size']['train_images']['full']:.0f}",
            "eval_n_txt": f"{p['eval_samples']:,}", "train_n_txt": f"{m['data_size']['train_images']['full']:,}",
            "d_units_txt": f"{len(p['d_hidden'])} × {p['d_hidden'][0] * p['d_pieces']:,}" if len(set(p["d_hidden"])) == 1
            else " + ".join(f"{h * p['d_pieces']:,}" for h in p["d_hidden"]),
            "small_ratio_txt": word(round(m["data_size"]["train_images"]["full"] / p["small_train"])) if p["small_train"]
            else "-", "ring_samples_txt": f"{p['ring_samples']:,}", "ring_every_txt": f"{p['ring_every']:,}",
            "dataset_txt": p["dataset"]}


def _optimal_d(r, p, m) -> dict:
    od, t1 = m["optimal_d"], m["theorem_1"]
    below = t1["value_at_d_star"] - t1["value_trained_d"]  # D* maximises V: no trained D is above it
    sides = {mb > star for mb, star in zip(od["value_minibatch"], od["value_star"])}
    return {"d_max_txt": txt(od["max_error"], ".3f"), "d_mean_txt": txt(od["mean_error"], ".3f"),
            "jsd": f"{t1['jsd']:.4f}", "value_star": f"{t1['value_at_d_star']:.4f}",
            "value_theorem": f"{t1['value_theorem_1']:.4f}", "value_learned": f"{t1['value_trained_d']:.4f}",
            "value_minibatch": f"{t1['value_minibatch']:.3f}",
            "value_read": "is just below the optimum, as it must be" if 0 <= below < JUST_BELOW else
            f"is {below:.3f} below the optimum, as it must be" if below >= 0 else
            f"is {-below:.1e} above the optimum, which no discriminator can be: an error of the quadrature",
            "value_sits": "just below" if 0 <= below < JUST_BELOW else f"{below:.3f} below" if below >= 0 else
            f"{-below:.1e} above",
            "value_must": "as it must" if below >= 0 else "which no discriminator can: an error of the quadrature",
            "minibatch_read": "The mini-batch estimate is noisy and can land on either side" if len(sides) > 1 else
            "The mini-batch estimate is noisy; here it lands " + ("above" if True in sides else "below")
            + " the optimum on every seed"}


def _saturation(r, p, m) -> dict:
    sat = m["saturation"]
    ratio = [a / b for a, b in zip(sat["grad_nonsaturating"], sat["grad_minimax"])]
    return {"d_fake_poor": txt(sat["d_fake"], ".1e"), "grad_minimax": txt(sat["grad_minimax"], ".1e"),
            "grad_nonsat": txt(sat["grad_nonsaturating"], ".2g"), "grad_ratio": txt(ratio, ",.0f")}


def _digits(r, p, m) -> dict:
    hs, n = m["headline_seeds"], p["eval_samples"]
    fd = hs["fd"]
    bar = r.claim("gan.digits_recall")["by"]
    n_recall = sum(v > bar for v in hs["recall"])
    recall = {"holds": "recall passes its bar", "fails": "recall misses its bar",
              "inconclusive": f"recall passes its bar on {seeds_of(n_recall, len(fd))} only"}[r.verdict("gan.digits_recall")]
    # what the classes claim reads is coverage (every class at least 1 % of the samples), not balance
    missing = sum(c < 10 for c in hs["classes_covered"])
    classes = {"holds": "every class appears (none under 1 % of the samples)",
               "fails": "a class is all but missing (under 1 % of the samples) on " + seeds_of(missing, len(fd)),
               "inconclusive": "a class is all but missing (under 1 % of the samples) on "
                               + seeds_of(missing, len(fd))}[r.verdict("gan.digits_classes")]
    same = r.verdict("gan.digits_recall") == r.verdict("gan.digits_classes")
    late = hs["fd_late_change"]
    ended = plateau(late)
    fell = sum(v is not None and v < -PLATEAU_TOL for v in late)
    rose = sum(v is not None and v > PLATEAU_TOL for v in late)
    known = sum(v is not None for v in late)
    did = {  # what the tracked FD did over the last 30 % of the updates (the window is named once, by the caller)
        "levelled": "had levelled off (it moved by less than 10 % on every seed): these are a plateau's numbers, "
                    "not only the budget's",
        "falling": f"was still falling by more than 10 % on {seeds_of(fell, known)}: these are the budget's numbers, "
                   "not a plateau's (and a curve that has not levelled need not keep falling)",
        "rising": f"rose by more than 10 % on {seeds_of(rose, known)}: the samples got worse late in the run, and "
                  "these are the budget's numbers, not a plateau's (a curve that has not levelled need not keep rising)",
    }.get(ended)
    return {
        "head_fd_txt": txt(fd, ".0f"), "head_recall_txt": txt(hs["recall"], ".2f"),
        "head_classes_txt": txt(hs["classes_covered"], "d"), "fd_real_txt": f"{m['fd_real']:.0f}",
        "blur_fd_txt": f"{m['fd_bar']:.0f}",
        "head_min_txt": f"{sum(hs['train_seconds']) / len(fd) / 60:.0f}", "fd_every_txt": f"{p['fd_every']:,}",
        "head_gap_txt": txt(m["data_size"]["d_gap"]["full"], ".2f"),
        "head_missing_txt": "; ".join(", ".join(f"class {c} ({100 * k / n:.1f} %)" for c, k in enumerate(h)
                                                if k < 0.01 * n) or "none"
                                      for h in hs["class_histogram"]),
        "head_top_txt": txt([max(h) / n for h in hs["class_histogram"]], ".0%"),
        "head_score_txt": txt(hs["classifier_score"], ".1f"), "score_real_txt": f"{m['classifier_score_real']:.1f}",
        "head_balance_read": recall + (" and " if same else " while ") + classes,
        "head_shown_read": "the seed with the highest FD" if fd[0] == max(fd) else
        "the seed with the lowest FD" if fd[0] == min(fd) else "neither the best nor the worst seed by FD",
        # whole sentences, so that an untracked FD gives one that says so
        "head_late_read": "The FD was not tracked" if did is None else
        "The tracked FD changed by " + ", ".join("-" if v is None else f"{100 * v:+.0f}" for v in late)
        + f" % over the last 30 % of the updates; it {did}",
        "head_plateau_read": "Its FD was not tracked" if did is None else
        f"Over the last 30 % of the updates its tracked FD {did}",
    }


def _best(curve, pick) -> str:
    """The lowest or highest (``pick``: min or max) value of a tracked curve and the update it was read at."""
    u, v = pick(curve, key=lambda q: q[1])
    return f"{v:.{'0f' if pick is min else '2f'}} at update {u:,}"


def _factor(values) -> str:
    """How far apart the largest and the smallest of ``values`` are, in words: "nearly a factor of two"."""
    ratio = max(values) / min(values)
    return (f"only {ratio - 1:.0%}" if ratio < 1.25 else "nearly a factor of two" if 1.75 <= ratio < 2
            else f"a factor of {ratio:.1f}")


def _copying(p, m) -> list[int]:
    """The headline seeds whose samples have a training digit as their nearest neighbour more often than
    the test digits do, by more than two standard errors of the difference of the two shares."""
    near = m["nearer_training"]
    n, n_real, real = min(p["eval_samples"], p["parzen_samples"]), m["parzen_test_images"], near["share_real"]
    return [s for s, v in enumerate(near["share"])
            if v - real > 2 * (v * (1 - v) / n + real * (1 - real) / n_real) ** 0.5]


def _limits(r, p, m) -> dict:
    ds, nobn, early, hs = m["data_size"], m["nobn_seeds"], 5 * p["fd_every"], m["headline_seeds"]
    small = ds["small_seeds"]
    at_early = lambda curves: ", ".join(f"{dict(map(tuple, c)).get(early, float('nan')):.2f}" for c in curves.values())
    copying, n_copy = _copying(p, m), min(p["eval_samples"], p["parzen_samples"])
    two_se = 2 * (0.25 / n_copy + 0.25 / m["parzen_test_images"]) ** 0.5  # at shares of one half
    out = {"copy_txt": txt(m["nearer_training"]["share"], ".0%"), "copy_real_txt": f"{m['nearer_training']['share_real']:.0%}",
           "full_fd_txt": txt(ds["fd_final"]["full"], ".0f"), "early_txt": f"{early:,}",
           "copy_read": "Nor does the generator copy what D has learned by heart" if not copying else
           f"The generator{'s' if len(copying) > 1 else ''} of seed{'s' if len(copying) > 1 else ''} "
           f"{and_list(map(str, copying))} may copy what D has learned by heart",
           "copy_noise_txt": f"with {n_copy:,} and {m['parzen_test_images']:,} images "
           + ("a few points either way are sampling noise" if two_se >= 0.025 else
              f"sampling noise is about {100 * two_se:.1f} points either way")}
    if small is None:  # the smaller-set runs were not trained
        out.update(dict.fromkeys(("small_fd_txt", "small_gap_txt", "small_best_txt", "small_classes_txt", "small_peak_txt",
                                  "gap_early_txt", "small_collapse_read", "gap_early_read", "small_when_read",
                                  "small_rise_read", "small_fell_read", "small_end_read"), "-"))
    else:
        classes = small["classes_covered"]
        faster = sum(dict(map(tuple, a)).get(early, 0) > dict(map(tuple, b)).get(early, 0)
                     for a, b in zip(small["d_gap_curve"].values(), m["headline_seeds"]["d_gap_curve"].values()))
        best = [min(c, key=lambda q: q[1]) for c in small["fd_curve"].values()]
        peak = [max(c, key=lambda q: q[1])[1] for c in small["d_gap_curve"].values()]
        early_best = sum(u <= p["steps"] / 2 for u, _ in best)
        rose = sum(end >= 1.2 * v for (_, v), end in zip(best, ds["fd_final"]["small"]))
        fell = all(end < 0.8 * top for end, top in zip(ds["d_gap"]["small"], peak))
        collapsed = min(classes) < 10  # as small_collapse_read
        working = min(hs["classes_covered"]) > max(classes)
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
            "small_when_read": "early" if early_best == len(best) else "late" if not early_best else
            f"early on {early_best} of {len(best)} seeds",
            "small_rise_read": "rose as their generators" if rose == len(best) else
            "stayed near it as their generators" if not rose else f"rose on {rose} of {len(best)} seeds as their generators",
            "small_fell_read": "fell to" if fell else "ended at",
            "small_end_read": (("once the generators had collapsed" if fell else "with the generators collapsed")
                               + ", so the ledger's reading at the last update, fixed before the runs, compares "
                               + ("a collapsed run with a working one" if working else "two runs that miss classes"))
            if collapsed else "at the last update, where the ledger reads it, with every class kept",
        })
    trained = p["nobn"]
    out.update({"nobn_dreal_txt": f"{min(nobn['d_real_min']):.2f}" if trained else "-",
                "nobn_recall_txt": txt(nobn["recall"], ".2f") if trained else "-",
                "nobn_classes_txt": txt(nobn["classes_covered"], "d") if trained else "-"})
    # the paper's generator's discriminator against the ledger's bar for memorising, and what the headline's gap ranks
    bar, n = r.claim("gan.d_overfits")["by"], len(hs["fd"])
    apart = sum(g > bar for g in nobn["d_gap"]) if trained else 0
    gap = ds["d_gap"]["full"]
    same = max(gap) - min(gap) <= SAME_GAP * sum(gap) / n
    # gaps the same to within SAME_GAP do not rank the seeds, whatever their order
    ranks = not same and sorted(range(n), key=lambda s: gap[s]) == sorted(range(n), key=lambda s: hs["fd"][s])
    memorising = r.verdict("gan.d_overfits") == "holds"
    rank = (f"the same gap on all {word(n)} headline seeds" if same else
            f"the gap on the {word(n)} headline seeds ({txt(gap, '.2f')})") + f", whose FDs differ by {_factor(hs['fd'])}, "
    rank += (("cannot rank them" if same else "does not rank them") + (" either" if trained and not apart else "")
             if not ranks else "orders them as their FDs (the larger the gap, the higher the FD), though over "
             f"{word(n)} seeds only")
    cost = {(True, False): "the memorising is measured, its cost is not",
            (True, True): "the memorising is measured; its cost is suggested, not shown",
            (False, False): "the ledger does not establish the memorising, and no cost of it shows",
            (False, True): "the ledger does not establish the memorising, though the gap's order suggests a cost"}[
        (memorising, ranks)]
    out.update({
        "nobn_gap_read": "-" if not trained else "which barely separates training from held-out digits" if not apart else
        f"which separates training from held-out digits by more than the ledger's bar for memorising ({bar:g}) on "
        + ("every seed" if apart == n else f"{apart} of {n} seeds"),
        "gap_cost_read": (("So the gap is not what limits this generator, and " if not apart else
                           "So this generator does not tell whether the gap limits it, and ") + rank if trained
                          else rank[:1].upper() + rank[1:]) + ": " + cost,
    })
    against = ([] if ranks else ["the gap does not rank the headline seeds"]) + (
        [] if copying else ["the samples are no nearer the training digits than new digits are"])
    pro = (["the gap orders the headline seeds as their FDs (over " + word(n) + " seeds)"] if ranks else []) + (
        [f"the samples of seed{'s' if len(copying) > 1 else ''} {and_list(map(str, copying))} are nearer the training digits "
         "than new digits are"] if copying else [])
    out["limits_read"] = ("The memorising is measured; " if memorising else
                          "The ledger does not establish the memorising; ") + "that it is what holds the samples back is not shown" + (
        (": " + ", and ".join(against)) if against else "") + (", though " + " and ".join(pro) if pro else "")
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
    falling = [s for s, v in enumerate(ring["late_change"]) if v is not None and v < -PLATEAU_TOL]
    named = lambda ss: f"seed{'s' if len(ss) > 1 else ''} {and_list(map(str, ss))}"
    at70 = min(ring["curve"], key=lambda q: abs(q["step"] - 0.7 * ring["steps"]))
    plain = min(collapsed, key=lambda s: (modes[s], -hq[s])) if collapsed else None
    return {
        "ring_modes_txt": txt(modes, "d"), "ring_hq_txt": txt(hq, ".0%"), "ring_converged_txt": str(sum(converged)),
        "ring_collapsed_txt": str(len(collapsed)),
        "ring_min_txt": f"{sum(ring['train_seconds']) / len(ring['train_seconds']) / 60:.0f}",
        "ring_uniform_txt": f"{chance['high_quality']:.1%}", "ring_uniform_modes_txt": f"{chance['modes_covered']:.1f}",
        "ring_late_txt": ", ".join(f"{at70['high_quality'][s]:.0%} → {hq[s]:.0%}" for s in seeds),
        "ring_per_mode_txt": "; ".join(" ".join(str(n) for n in per) for per in ring["per_mode"]),
        "ring_plateau_read": "had levelled off on every seed (within 10 % over the last 30 % of the updates)"
        if not rising and not falling else
        (f"was still rising on {named(rising)}" if rising else "")
        + (" and " if rising and falling else "") + (f"was still falling on {named(falling)}" if falling else "")
        + (": those runs reached the modes late, and their" if rising and not falling else ": their")
        + " counts are this budget's, not a plateau's",
        "ring_collapse_read": "No seed that converged misses a mode" if plain is None else
        f"Seed {plain} shows collapse {'plainly' if modes[plain] <= ring['modes_total'] / 2 else 'in part'}: "
        f"{'nearly all' if hq[plain] >= 0.9 else f'{hq[plain]:.0%}'} of its samples sit on {modes[plain]} modes",
    }


#: the chapter's readings, part by part in the order of its prose (:func:`gdm.readings.texts`)
PARTS = (_scale, _optimal_d, _saturation, _digits, _limits, _parzen, _ring)
