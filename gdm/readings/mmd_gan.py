"""Chapter 09 (MMD-GAN): the sentences of its prose that read its results (:mod:`gdm.readings`)."""
from __future__ import annotations

from ..results import seed_text
from . import counted, of_count, plateau_text

#: a test "mostly misses" the difference when it rejects fewer than this share of draws at the 5 % level
WEAK_POWER = 0.5


def _setup(r, p, m) -> dict:
    e = m["equal_passes"]
    return {"n_training_seeds": counted(p["seeds"], "training seed"), "n_seeds": counted(p["seeds"], "seed"),
            "seed_text": str(p["seed"]), "steps_text": f"{p['steps']:,}", "gmmn_steps_text": f"{p['gmmn_steps']:,}",
            "compute_updates_text": f"{e['mmd_updates']:,}", "compute_passes_text": f"{e['mmd_passes']:,}",
            "batches_text": f"{p['k'] + 1}", "warmup_batches_text": "101" if p["critic_warmup"] else f"{p['k'] + 1}",
            "test_n_text": f"{p['test_n']:,}", "draws_text": f"{p['test_draws']:,}", "splits_text": f"{p['test_splits']:,}"}


def _comparison(r, p, m) -> dict:
    t, u, e = m["equal_time"], m["equal_updates"], m["equal_passes"]
    rec, side = m["timing"]["recorded"], m["timing"]["side_by_side"]
    n = len(t["mmd_gan"])
    ratio = [a / b for a, b in zip(rec["mmd_gan"], rec["gmmn"])]
    lower_time = sum(a < b for a, b in zip(t["mmd_gan"], t["gmmn"]))
    lower_passes = sum(a < b for a, b in zip(e["mmd_gan"], e["gmmn"]))
    agree = ("the clock and the count agree" if (lower_time == n) == (lower_passes == n) and (lower_time == 0) == (lower_passes == 0)
             else "so the verdict at equal compute depends on how compute is measured")
    gmmn_on = sum(g < x for g, x in zip(e["gmmn"], u["gmmn"]))  # GMMN still improving after `steps`
    ts = m["equal_time_side"]
    lower_side = sum(a < b for a, b in zip(ts["mmd_gan"], ts["gmmn"]))
    prec = sum(a > b for a, b in zip(m["gmmn_seeds"]["precision"], m["mmd_seeds"]["precision"]))
    cov = sum(a > b for a, b in zip(m["gmmn_seeds"]["coverage"], m["mmd_seeds"]["coverage"]))
    return {
        "compute_read": f"By the clock instead of the count: as recorded when each run trained (its FD tracking included, "
                        f"on a machine shared with other runs), an MMD-GAN update took {seed_text(ratio, '.1f')} times "
                        f"as long as a GMMN update (per seed), and timed side by side in this execution "
                        f"{side['mmd_gan'] / side['gmmn']:.1f} times (a number that moves from one execution to the next), "
                        f"against the {p['k'] + 1} pairs of mini-batches it counts. On the recorded clock GMMN's "
                        f"{p['gmmn_steps']:,} updates last as long as MMD-GAN's first {seed_text(t['mmd_updates'], ',')}, "
                        f"where MMD-GAN's FD is {seed_text(t['mmd_gan'], '.0f')} against GMMN's "
                        f"{seed_text(t['gmmn'], '.0f')}: the lower on {of_count(lower_time, n)}, where counted in "
                        f"mini-batches it is the lower on {of_count(lower_passes, n)}: {agree}. The two clocks disagree on "
                        f"GMMN: {1000 * sum(rec['gmmn']) / n:.0f} ms an update as its runs recorded (in chapter 08, under "
                        f"another load), {1000 * side['gmmn']:.0f} ms side by side here; on the side-by-side clock the "
                        f"equal-time point is MMD-GAN's update {ts['mmd_updates']:,}, where its FD "
                        f"({seed_text(ts['mmd_gan'], '.0f')}) is the lower on {of_count(lower_side, n)}. GMMN's FD kept "
                        f"falling after {u['updates']:,} updates on {of_count(gmmn_on, n)} (from "
                        f"{seed_text(u['gmmn'], '.0f')}).",
        "quality_read": f"FD is one measure: GMMN's samples have the higher precision on {of_count(prec, n)} "
                        f"({seed_text(m['gmmn_seeds']['precision'], '.2f')} against "
                        f"{seed_text(m['mmd_seeds']['precision'], '.2f')}) and the higher coverage on {of_count(cov, n)}, "
                        f"and seed {p['seed']}'s MMD-GAN samples are far sharper than real digits (sharpness "
                        f"{m['sharpness']:.2f} against {m['sharpness_real']:.2f}): the speckle visible in the grid above.",
        "mmd_plateau": plateau_text(m["mmd_seeds"]["fd_late_change"]),
        "gmmn_plateau": plateau_text(m["gmmn_seeds"]["fd_late_change"]),
    }


def _kernels(r, p, m) -> dict:
    t = m["two_sample"]
    g, mm = t["gmmn"], t["mmd_gan"]
    n = len(g["pixel_power"])
    weak = sum(x < WEAK_POWER for x in g["pixel_power"])
    strong = sum(x >= WEAK_POWER for x in g["learned_power"])
    power = (f"At {p['test_n']} per side, GMMN's own kernel rejects the null for {seed_text(g['pixel_power'], '.2f')} of the "
             f"draws of GMMN's samples, the learned kernel for {seed_text(g['learned_power'], '.2f')} (per seed). ")
    if weak == n and strong == n:
        power += (f"On every seed the fixed kernel misses the difference in most mini-batches of {p['test_n']}, the learned "
                  "one catches it.")
    elif weak == n and strong == 0:
        power += (f"Neither kernel tells GMMN's samples from held-out digits in most mini-batches of {p['test_n']}, on any "
                  "seed.")
    elif weak == 0:
        power += f"The fixed kernel tells GMMN's samples from digits in most mini-batches of {p['test_n']} on every seed."
    else:
        power += (f"The fixed kernel misses the difference in most mini-batches on {of_count(weak, n)}, the learned "
                  f"kernel on {of_count(n - strong, n)}.")
    mm_seen = sum(x >= WEAK_POWER for x in mm["pixel_power"])
    if weak == n and mm_seen == n:
        better = sum(m["mmd_seeds"]["fd"]) < sum(m["gmmn_seeds"]["fd"])
        power += (f" Yet the same fixed kernel tells MMD-GAN's samples from digits in most mini-batches "
                  f"({seed_text(mm['pixel_power'], '.2f')}), " + ("though their mean FD is the lower" if better else
                                                                   "whose mean FD is the higher too")
                  + ": GMMN has nearly matched the one kernel it was trained on, and what remains of its samples' flaws "
                  "that kernel does not see at this batch.")
    closer = sum(a < b for a, b in zip(mm["pixel_z"], g["pixel_z"]))
    view = (f"MMD-GAN's own samples stand {seed_text(mm['learned_z'], '.3g')} null spreads out under the kernel trained "
            f"against them and {seed_text(mm['pixel_z'], '.3g')} under GMMN's kernel on pixels, where GMMN's stand "
            f"{seed_text(g['pixel_z'], '.3g')}: by the distance GMMN minimises, MMD-GAN's samples are the closer to the "
            f"held-out digits on {of_count(closer, n)}. A learned kernel is no fixed yardstick: each critic grades the "
            "generator it was trained against, so these numbers compare kernels, not models.")
    return {"power_read": power, "mmd_view_read": view}


def _discussion(r, p, m) -> dict:
    b = p["batch_size"]
    upd, comp = r.verdict("mmd_gan.beats_gmmn_updates"), r.verdict("mmd_gan.beats_gmmn_compute")
    scope = (f" These are one budget's numbers ({p['steps']:,} MMD-GAN updates, GMMN's {p['gmmn_steps']:,}), with each "
             "paper's prior and optimiser (normal and RMSProp against uniform and Adam).")
    if upd == "holds" and comp == "holds":
        compute = (f"MMD-GAN is ahead of GMMN at batch {b} both per generator update and at equal compute counted in "
                   "mini-batches.")
    elif upd == "holds" and comp == "fails":
        compute = (f"Per generator update MMD-GAN is ahead of GMMN at batch {b}, but at equal compute counted in "
                   f"mini-batches it is behind on every seed: the critic's {p['k']} extra mini-batches per update, spent "
                   "on GMMN's own updates, buy more here. The abstract's \"computational efficiency\" is not borne out "
                   "at this scale.")
    elif upd == "holds":
        compute = (f"Per generator update MMD-GAN is ahead of GMMN at batch {b}; at equal compute the seeds do not decide "
                   f"({comp}).")
    elif upd == "fails":
        compute = (f"Not even per generator update is MMD-GAN ahead of GMMN at batch {b} here, so the critic's cost buys "
                   "nothing at this budget.")
    else:
        compute = (f"Per generator update the comparison is undecided over the seeds ({upd}); at equal compute it "
                   f"{'holds' if comp == 'holds' else 'is ' + comp}.")
    sees = r.verdict("mmd_gan.learned_kernel_sees")
    kernel = {"holds": f"A kernel learned against MMD-GAN's generator tells GMMN's samples from digits more clearly than "
                       f"GMMN's own kernel in a mini-batch of {p['test_n']}, on every seed: it transfers.",
              "fails": f"A kernel learned against MMD-GAN's generator tells GMMN's samples from digits less clearly than "
                       f"GMMN's own kernel in a mini-batch of {p['test_n']}, on every seed: it does not transfer.",
              "inconclusive": "Whether a kernel learned against MMD-GAN's generator tells GMMN's samples from digits "
                              "more clearly than GMMN's own kernel is undecided over the seeds."}[sees]
    ch8 = m.get("chapter08")
    if ch8 is None:
        batch = "Chapter 08, which tests GMMN's need for a large batch, was not run here."
    else:
        fd, big = ch8["fd"], ch8["head_batch"]
        sizes = sorted(int(k[1:]) for k in fd)
        said = {"fails": "did not hold", "holds": "held", "inconclusive": "was undecided"}[ch8["large_batches"]]
        batch = (f"The abstract motivates MMD-GAN by GMMN's \"requirement for a rather large batch size\". In chapter 08, "
                 f"on {ch8['batch_images'] / 1e6:.1f} M images, before any batch drew recognisable digits, that "
                 f"requirement {said}: " + "; ".join(f"batch {s:,} ended at FD {seed_text(fd[f'b{s}'], '.0f')}"
                                                      for s in sizes)
                 + f" (per seed), though a batch-{sizes[0]} gradient strays from the full one by "
                 f"{seed_text(ch8['gradient_error'], '.1f')} times its squared length. At its own batch of {big:,}, "
                 f"GMMN reached FD {seed_text(ch8['head_at_images'], '.0f')} after about the {ch8['images'] / 1e6:.1f} M "
                 f"images MMD-GAN's networks read here, and {seed_text(ch8['head_final'], '.0f')} at its end, beside "
                 f"MMD-GAN's {seed_text(m['mmd_seeds']['fd'], '.0f')} (MMD-GAN the lower at equal images on "
                 f"{of_count(sum(a < b for a, b in zip(m['mmd_seeds']['fd'], ch8['head_at_images'])), len(ch8['head_at_images']))}; "
                 f"GMMN+AE ended at {seed_text(ch8['ae_final'], '.0f')}): ")
        small = fd.get(f"b{b}")
        batch += ((f"the batch-{b} GMMN compared here is not the strongest GMMN." if small and
                   sum(ch8["head_final"]) < sum(small) else f"GMMN at its own batch does no better than at batch {b}.")
                  if small else "")
    return {"discussion_compute": compute + scope, "discussion_kernel": kernel, "discussion_batch": batch}


PARTS = (_setup, _comparison, _kernels, _discussion)
