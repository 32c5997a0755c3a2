"""Chapter 08 (GMMN): the sentences of its prose that read its results (:mod:`gdm.readings`)."""
from __future__ import annotations

import math

from ..results import seed_text
from . import and_list, counted, of_count, plateau_text

#: a fit is "bimodal like the data" when its share of samples between the modes is below this many times the data's
BIMODAL = 2.0
#: a second moment "in a narrow spike at the mean" is below this (the data's: 4.25)
SPIKE = 0.5
#: samples "lean towards the training digits" when their share nearer a training digit exceeds the real digits' by this
COPY = 0.1
#: a kernel "tells neighbouring modes apart" when its value between two of them is below this (1: a point with itself)
SEPARATES = 0.5
#: the variances an earlier version of the chapter read as standard deviations, the three widest
OLD_WIDEST = (80.0, 40.0, 20.0)

def _setup(r, p, m) -> dict:
    return {"n_training_seeds": counted(p["seeds"], "training seed"), "n_seeds": counted(p["seeds"], "seed"),
            "seed_text": str(p["seed"]),
            "seed_order": f"seed{'s' if p['seeds'] > 1 else ''} " + " / ".join(map(str, range(p["seeds"]))),
            "steps_text": f"{p['steps']:,}", "ae_steps_text": f"{p['ae_steps']:,}", "code_steps_text": f"{p['code_steps']:,}",
            "passes_text": f"{p['steps'] * p['batch_size'] / m['train_digits']:,.0f}",
            "train_digits_text": f"{m['train_digits']:,}", "fd_every_text": f"{p['fd_every']:,}",
            "kernel_std_txt": "{" + ", ".join(f"{s:.2f}" for s in m["kernel_std"]["data"]) + "}"}


def _moments(r, p, m) -> dict:
    mo = m["moments"]
    spike = all(v < SPIKE for v in mo["linear"]["m2"])
    bimodal = sum(v < BIMODAL * mo["data"]["between"] for v in mo["gaussian"]["between"])
    n = len(mo["gaussian"]["between"])
    return {
        "m2_linear": seed_text(mo["linear"]["m2"], ".2f"),
        "m2_linear_read": "on every seed its samples sit in a narrow spike near the mean, cut off in the figure" if spike
        else "its spread is whatever the generator's weights left it, not the data's",
        "between_x_x2": seed_text(mo["x_x2"]["between"], ".2f"), "between_data": f"{mo['data']['between']:.3f}",
        "between_gaussian": seed_text(mo["gaussian"]["between"], ".3f"),
        "bimodal_read": f"{min(mo['gaussian']['between']) / mo['data']['between']:.1f} to "
                        f"{max(mo['gaussian']['between']) / mo['data']['between']:.1f} times the data's share; within "
                        f"{BIMODAL:g} times it on {of_count(bimodal, n)}",
    }


def _widths(r, p, m) -> dict:
    std, med, mx = m["kernel_std"]["data"], m["digit_d2"]["median"], m["digit_d2"]["max"]
    k = lambda s, d: math.exp(-d / (2 * s * s))
    return {"digit_d2_txt": f"{med:.0f}", "kernel_at_median_txt": ", ".join(f"{k(s, med):.2g}" for s in std),
            "old_kernel_min_txt": and_list(f"{k(s, mx):.2f} (σ = {s:g})" for s in OLD_WIDEST),
            "kernel_narrowest_txt": f"{min(std):.2f}", "kernel_narrowest_at_median": f"{k(min(std), med):.1g}"}


def _headline(r, p, m) -> dict:
    g, a = m["gmmn_seeds"], m["gmmn_ae_seeds"]
    fell = [all(x) for x in m["loss_fell"]]
    return {
        "gmmn_fd": seed_text(g["fd"], ".0f"), "ae_fd": seed_text(a["fd"], ".0f"), "fd_bar": f"{m['fd_bar']:.0f}",
        "fd_real_read": f"Held-out real digits score FD {m['fd_real']:.0f} in the same features",
        "gmmn_late": seed_text(g["fd_late_change"], "+.0%"), "gmmn_plateau": plateau_text(g["fd_late_change"]),
        "ae_late": seed_text(a["fd_late_change"], "+.0%"), "ae_plateau": plateau_text(a["fd_late_change"]),
        "copy_read": _copies(m["nearer_training"]),
        "loss_read": "on every seed of both models the loss fell from its first logged batch to its last, with no "
                     "discriminator to move the target" if all(fell) else
                     "yet the loss did not fall from its first logged batch to its last on every seed of "
                     + and_list(n for n, f in zip(("GMMN", "GMMN+AE"), fell) if not f),
    }


def _copies(nt) -> str:
    lean = [name for name, k in (("GMMN", "gmmn"), ("GMMN+AE", "gmmn_ae")) if any(v > nt["real"] + COPY for v in nt[k])]
    return (f"Each sample's nearest digit in pixels is a training digit rather than a held-out one for a share "
            f"{seed_text(nt['gmmn'], '.2f')} of GMMN's samples and {seed_text(nt['gmmn_ae'], '.2f')} of GMMN+AE's, "
            f"against {nt['real']:.2f} for real test digits: "
            + ("no sign of copying the training digits" if not lean else
               f"{and_list(lean)} lean{'s' if len(lean) == 1 else ''} towards the training digits on some seed "
               f"(more than {COPY:g} above the real digits' share)"))


def _parzen(r, p, m) -> dict:
    best = max(max(m["gmmn_seeds"]["parzen_ll"]), max(m["gmmn_ae_seeds"]["parzen_ll"]))
    n = m["parzen_reference_digits"]
    return {"ll_real": f"{m['parzen_real_ll']:.0f}",
            "ll_real_read": f"{n:,} digits as the window's centres against the models' {m['parzen_samples']:,} "
                            "samples, so the rows differ in the estimator's number of centres too; "
                            + ("some seeds score above the real digits" if best > m["parzen_real_ll"] else
                               "no seed of either model reaches them")}


def _batch(r, p, m) -> dict:
    b, noise = m["batch"], m["noise"]
    sizes = sorted(p["batch_sizes"])
    order = [b[f"b{x}"]["fd"] for x in [*sizes, p["batch_size"]]]
    n = len(order[0])
    mean = lambda v: sum(v) / len(v)
    return {
        "batch_images_text": f"{m['batch_images']:,}", "batch_list": and_list(map(str, sizes)),
        "batch_updates": and_list(f"{b[f'b{x}']['updates']:,}" for x in sizes), "noise_draws_text": str(p["noise_draws"]),
        "noise_reference_text": f"{noise['reference']:,}",
        "others_read": " ".join(f"Batches of {x} end at FD {seed_text(b[f'b{x}']['fd'], '.0f')}." for x in sizes[1:]),
        "batch_read": _ranking([*sizes, p["batch_size"]], order),
        "noise_sizes_text": and_list(map(str, noise["sizes"])),
        "noise_ratios": and_list(f"{mean(noise[f'b{x}']['error_to_signal']):.2g}" for x in noise["sizes"]),
        "noise_cosines": and_list(f"{mean(noise[f'b{x}']['cosine']):.2f}" for x in noise["sizes"]),
    }


def _ranking(sizes, fds) -> str:
    """The batch sizes from the best FD to the worst, per seed (one sentence where every seed agrees)."""
    ranks = [" → ".join(str(b) for _, b in sorted(zip([f[s] for f in fds], sizes))) for s in range(len(fds[0]))]
    if len(set(ranks)) == 1:
        return f"From the best FD to the worst the batches rank {ranks[0]} on every seed."
    return "From the best FD to the worst the batches rank " + "; ".join(f"{r} (seed {s})" for s, r in enumerate(ranks)) + "."


def _mechanism(r, p, m) -> dict:
    big, noise = r.verdict("gmmn.large_batches"), r.verdict("gmmn.batch_noise")
    read = {
        ("holds", "holds"): "The two readings are consistent: the small batch's steps follow more error than signal, "
                            "and at equal data it ends with the worse samples.",
        ("fails", "holds"): "So the noise is there, yet at equal data the small batch's many more updates make up for "
                            "it.",
        ("holds", "fails"): "The small batch ends worse although its gradient's error stays below its signal: this "
                            "measurement does not explain the difference.",
        ("fails", "fails"): "The gradient's noise does not swamp the small batch's steps, and at equal data it does as "
                            "well or better: on these digits the GMMN does not need the large batch.",
    }
    inconclusive = [n for n, v in (("the batch comparison", big), ("the noise", noise)) if v == "inconclusive"]
    text = read.get((big, noise), f"With {and_list(inconclusive)} inconclusive, the chapter does not say whether the "
                                  "noise explains the effect of the batch size.")
    return {"mechanism_read": text, "discussion_batch": text}


def _toy(r, p, m) -> dict:
    geo = m["toy_geometry"]
    widths = geo["kernel_std"]
    at = {t: [math.exp(-geo[t]["spacing"] ** 2 / (2 * w * w)) for w in widths] for t in ("ring", "grid")}
    parts = [f"{and_list(f'{v:.2f}' for v in at[t])} between neighbouring modes of the {t} ({geo[t]['spacing']:.2f} apart)"
             for t in ("ring", "grid")]
    apart = {t: min(at[t]) < SEPARATES for t in ("ring", "grid")}
    verdict = {(True, True): "the narrower kernel tells neighbouring modes apart on both toys",
               (True, False): "the narrower kernel tells the ring's neighbouring modes apart, but no kernel the grid's",
               (False, True): "the narrower kernel tells the grid's neighbouring modes apart, but no kernel the ring's",
               (False, False): "no kernel tells neighbouring modes apart"}[(apart["ring"], apart["grid"])]
    named = and_list(f"{w:g}" for w in widths)
    std_ratio = and_list(f"{min(widths) / geo[t]['mode_std']:.0f}" for t in ("ring", "grid"))
    return {"toy_resolve": f"The kernels of widths {named} take the values {parts[0]} and {parts[1]}, against 1 for a "
                           f"point with itself: counting a kernel below {SEPARATES:g} as telling two points apart (a heuristic: the "
                           f"MMD of a characteristic kernel still separates the distributions), "
                           f"{verdict}. The narrower kernel is {std_ratio} times a mode's standard deviation (ring and "
                           f"grid): within a mode every kernel is nearly 1, so none sees how tightly samples gather on it."}


def _discussion(r, p, m) -> dict:
    ids = {"gmmn.moments_mean": "the linear kernel matches the mean",
           "gmmn.moments_second": "(x, x²) adds the second moment",
           "gmmn.moments_all": "the Gaussian kernel fits the distribution closer"}
    held = [t for i, t in ids.items() if r.verdict(i) == "holds"]
    moments = ("The 1-D fits follow the slides on every seed: " + and_list(held) + "." if len(held) == len(ids) else
               f"Of the slides' three statements the fits bear out {len(held)} on every seed"
               + (f" ({and_list(held)})" if held else "") + ".")
    fd, parzen = r.verdict("gmmn.ae_boosts_fd"), r.verdict("gmmn.ae_boosts_parzen")
    codes = {("holds", "holds"): "Here the auto-encoder helps in both measures, as the paper reports.",
             ("holds", "fails"): "Here it helps in FD but lowers the Parzen estimate, the paper's measure.",
             ("fails", "holds"): "Here it raises the Parzen estimate, the paper's measure, but not the FD.",
             ("fails", "fails"): "Here it helps in neither measure."}.get(
        (fd, parzen), f"The ledger does not decide whether it helps in both measures (by FD: {fd}; by the Parzen "
                      f"estimate: {parzen}).")
    g, a = m["gmmn_seeds"]["parzen_ll"], m["gmmn_ae_seeds"]["parzen_ll"]
    met = {"holds": "met on every seed", "fails": "met on no seed", "inconclusive": "not decided over the seeds"}
    paper = (f"GMMN's Parzen estimate is {seed_text(g, '.0f')} nats against the target 100 (the paper: 147 on full "
             f"MNIST, ⚠ unconfirmed), {met[r.verdict('gmmn.data_parzen')]}; GMMN+AE's is {seed_text(a, '.0f')} against "
             f"200 (the paper: 282, ⚠ unconfirmed), {met[r.verdict('gmmn.ae_parzen')]}. The paper trained on 50,000 "
             f"digits for a number of updates it does not state; here {m['parzen_reference_digits']:,} real digits "
             f"score {m['parzen_real_ll']:.0f} as the window's centres.")
    h = m["gmmn_seeds"]["fd_late_change"]
    loss = "GMMN training needs no second network; its tracked FD " + plateau_text(h) + "."
    return {"discussion_moments": moments, "discussion_codes": codes, "discussion_paper": paper,
            "discussion_loss": loss}


PARTS = [_setup, _moments, _widths, _headline, _parzen, _batch, _mechanism, _toy, _discussion]
