"""The speed figures of the book, measured side by side in one run: ``results/benchmarks.json``.

    python benchmarks/suite.py                    # everything, into results/benchmarks.json (make benchmark)
    python benchmarks/suite.py --quick            # fewer steps and repeats: a smoke run of the suite
    python benchmarks/suite.py --only matmul loop --json /tmp/b.json

What it measures, on the CPU with gdm's training thread count unless a figure says otherwise:

- ``matmul``: the machine's arithmetic: a 2048² matrix product in float32 and bfloat16 on one
  and two threads (GFLOP/s);
- ``loop``: gdm's training loop (``gdm.train.train``: checkpoints, history, NaN guard, callbacks)
  against a bare PyTorch loop of the same nets, losses and optimiser, for the headline net of
  each family: the paper's MLP GAN (1200-1200 generator, maxout discriminator, batch 100), a
  DCGAN-style GAN (batch 64), the VAE's MLP auto-encoder (batch 100) and the toy protocol's MLP
  GAN (3 × 128, batch 128); steps per second of each, their ratio, and the bare loop's rate as a
  share of the float32 matrix-product rate (its useful GFLOP/s, counted from the nets' products);
- ``precision``: the same families' gdm steps per second in float32 and with ``precision =
  "bfloat16"`` (autocast), and their ratio;
- ``group``: the toy protocol's member-updates per second, a seed alone against three seeds
  trained as one batched model (``gdm.group``), for the protocol's reference model and the GAN;
- ``threads``: two runs of the MLP GAN one after the other on two threads each, against the two
  at once on one thread each (the executor's choice: notebooks in parallel, one thread each).

Ratios are measured in one process, interleaved (best of ``repeats``), so that a shared, noisy
machine moves both sides together; absolute rates are the machine's of the day. The bare loops
do no more than gdm's: the same nets, optimisers and losses, their mini-batches indexed from a
tensor (the toy's drawn once, 100,000 points), the bare VAE binarising each batch (gdm's default
does not); they skip checkpoints, the history, the NaN guard and the logged values.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import platform
import sys
import tempfile
import time
from pathlib import Path

import torch
import torch.nn.functional as F

from gdm import data, models, toys
from gdm.config import make_config
from gdm.execute import cpu_model

sys.path.insert(0, str(Path(__file__).resolve().parent))
from group_speed import rate as group_rate  # noqa: E402  (the toy groups' one measurement)
from gdm.train import TRAIN_THREADS, train

ROOT = Path(__file__).resolve().parent.parent

#: steps per measured window (and per checkpoint: one save per window, a real run's one per 500
#: steps for the MLP nets; fewer steps for the slow DCGAN-style step, more for the fast toy one)
WINDOW = {"mlp_gan": 500, "dcgan_gan": 100, "vae_mlp": 500, "toy_gan": 2000}
#: the families' headline configurations
FAMILIES = {
    "mlp_gan": dict(model="gan", dataset="mnist5k", batch_size=100),  # the paper's nets (gdm's defaults)
    "dcgan_gan": dict(model="gan", dataset="mnist5k", batch_size=64, g_arch="dcgan", d_arch="dcgan",
                      g_batchnorm=True, d_batchnorm=True, d_dropout=0.0, d_input_dropout=0.0, z_prior="normal"),
    "vae_mlp": dict(model="vae", dataset="mnist5k", batch_size=100),
    "toy_gan": dict(model="gan", **{k: v for k, v in toys.SETTINGS["gan"].items()}, dataset="ring_scaled",
                    batch_size=toys.BATCH),
}


def matmul_rate(dtype: torch.dtype, threads: int, n: int = 2048, reps: int = 10) -> float:
    before = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        a, b = torch.randn(n, n).to(dtype), torch.randn(n, n).to(dtype)
        a @ b
        t0 = time.perf_counter()
        for _ in range(reps):
            a @ b
        return 2 * n ** 3 * reps / (time.perf_counter() - t0) / 1e9
    finally:
        torch.set_num_threads(before)


def config(family: str, window: int = 500, **extra) -> dict:
    kw = dict(FAMILIES[family])
    return make_config(kw.pop("model"), **kw, checkpoint_every=window, log_every=10, **extra)


def _xdata(cfg):
    if cfg["dataset"] in data.IMAGE_SETS:
        return data.load(cfg["dataset"], "train").x
    return data.toy(cfg["dataset"]).sample(100_000, torch.Generator().manual_seed(0))  # a toy: drawn once


def bare_gan(cfg, steps: int) -> float:
    """Steps per second of a bare PyTorch GAN loop on ``cfg``'s nets (non-saturating losses, k = 1)."""
    torch.manual_seed(cfg["seed"])
    model = models.build(cfg, data.shape_of(cfg["dataset"]))
    model.train()
    G, D = model.generator, model.discriminator
    opt_d, opt_g = model.optimizers["d"], model.optimizers["g"]
    x_all, bs = _xdata(cfg), cfg["batch_size"]
    ones, zeros = torch.ones(bs, 1), torch.zeros(bs, 1)
    t0 = time.perf_counter()
    for _ in range(steps):
        x = x_all[torch.randint(len(x_all), (bs,))]
        with torch.no_grad():
            fake = G(model.noise(bs))
        d_loss = (F.binary_cross_entropy_with_logits(D(x).reshape(bs, 1), ones)
                  + F.binary_cross_entropy_with_logits(D(fake).reshape(bs, 1), zeros))
        opt_d.zero_grad(set_to_none=True)
        d_loss.backward()
        opt_d.step()
        g_loss = F.binary_cross_entropy_with_logits(D(G(model.noise(bs))).reshape(bs, 1), ones)
        opt_g.zero_grad(set_to_none=True)
        g_loss.backward()
        opt_g.step()
    return steps / (time.perf_counter() - t0)


def bare_vae(cfg, steps: int) -> float:
    """Steps per second of a bare PyTorch VAE loop on ``cfg``'s nets (Bernoulli decoder, analytic KL)."""
    torch.manual_seed(cfg["seed"])
    model = models.build(cfg, data.shape_of(cfg["dataset"]))
    model.train()
    opt = model.optimizers["vae"]
    x_all, bs = _xdata(cfg).flatten(1), cfg["batch_size"]
    t0 = time.perf_counter()
    for _ in range(steps):
        x = torch.bernoulli(x_all[torch.randint(len(x_all), (bs,))])
        mu, logvar = model.encoder(x).chunk(2, dim=-1)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        recon = F.binary_cross_entropy_with_logits(model.decoder(z), x, reduction="none").sum(1)
        kl = 0.5 * (mu.pow(2) + logvar.exp() - 1 - logvar).sum(1)
        loss = (recon + kl).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    return steps / (time.perf_counter() - t0)


def gdm_rate(cfg, steps: int) -> float:
    torch.manual_seed(cfg["seed"])
    model = models.build(cfg, data.shape_of(cfg["dataset"]))
    batches = data.Batches(cfg["dataset"], cfg["batch_size"], cfg["seed"])
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        train(model, batches, steps, checkpoint=f"{tmp}/ckpt.pt", checkpoint_every=cfg["checkpoint_every"],
              log_every=cfg["log_every"], progress=False, device="cpu")
        return steps / (time.perf_counter() - t0)


def step_flops(cfg) -> float:
    """FLOPs of a step's matrix products and convolutions (2 per multiply-add; a pass with its backward
    counts 3 forward passes), counted by hooks on one forward pass of each net as the step uses it."""
    model = models.build(cfg, data.shape_of(cfg["dataset"]))
    macs = [0]

    def hook(m, i, o):
        if isinstance(m, torch.nn.Linear):
            macs[0] += o.numel() * m.in_features
        elif isinstance(m, (torch.nn.Conv2d, torch.nn.ConvTranspose2d)):
            k = m.kernel_size[0] * m.kernel_size[1] * (m.in_channels // m.groups)
            macs[0] += (o.numel() if isinstance(m, torch.nn.Conv2d) else i[0].numel() // m.in_channels * m.out_channels) * k
    hooks = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, (torch.nn.Linear, torch.nn.Conv2d, torch.nn.ConvTranspose2d))]
    bs = cfg["batch_size"]
    with torch.no_grad():
        x = _xdata(cfg)[:bs]
        if cfg["model"] == "vae":
            mu, _ = model.encoder(x.flatten(1)).chunk(2, dim=-1)
            model.decoder(mu)
            flops = 2 * 3 * macs[0]  # encoder and decoder, forward and backward
        else:
            model.discriminator(x)
            d = macs[0]
            macs[0] = 0
            model.generator(model.noise(bs))
            g = macs[0]
            # D step: G without gradients (forward only), D(real) and D(fake) forward and backward;
            # G step: G and D forward and backward
            flops = 2 * (g + 3 * (2 * d) + 3 * (g + d))
    for h in hooks:
        h.remove()
    return flops


def best_of(fn, repeats: int) -> float:
    return max(fn() for _ in range(repeats))


def measure_loop(families, scale: float, repeats: int, fp32_rate: float) -> dict:
    out = {}
    for fam in families:
        n = max(10, int(WINDOW[fam] * scale))
        cfg = config(fam, n)
        bare = bare_vae if cfg["model"] == "vae" else bare_gan
        bare(cfg, 5), gdm_rate(cfg, 5)  # warm-up
        b, g = 0.0, 0.0
        for _ in range(repeats):  # interleaved: the machine's noise moves both
            b, g = max(b, bare(cfg, n)), max(g, gdm_rate(cfg, n))
        flops = step_flops(cfg)
        out[fam] = {"steps": n, "checkpoints": 1, "bare_steps_per_s": round(b, 2), "gdm_steps_per_s": round(g, 2),
                    "ratio": round(g / b, 3), "gflop_per_step": round(flops / 1e9, 4),
                    "bare_gflops": round(b * flops / 1e9, 1), "share_of_fp32_matmul": round(b * flops / 1e9 / fp32_rate, 3)}
        print(f"loop {fam:10s} bare {b:8.2f}/s  gdm {g:8.2f}/s  ratio {g / b:.3f}  "
              f"({b * flops / 1e9:.1f} GFLOP/s, {b * flops / 1e9 / fp32_rate:.2f} of the fp32 product)", flush=True)
    return out


def measure_precision(families, scale: float, repeats: int) -> dict:
    out = {}
    for fam in families:
        n = max(10, int(WINDOW[fam] * scale))
        f32, b16 = config(fam, n), config(fam, n, precision="bfloat16")
        gdm_rate(f32, 3), gdm_rate(b16, 3)
        a, b = 0.0, 0.0
        for _ in range(repeats):
            a, b = max(a, gdm_rate(f32, n)), max(b, gdm_rate(b16, n))
        out[fam] = {"steps": n, "float32_steps_per_s": round(a, 2), "bfloat16_steps_per_s": round(b, 2),
                    "speedup": round(b / a, 3)}
        print(f"precision {fam:10s} float32 {a:8.2f}/s  bfloat16 {b:8.2f}/s  ({b / a:.2f}x)", flush=True)
    return out


def measure_group(steps: int, repeats: int) -> dict:
    out = {}
    for name in ("wgan_gp", "gan"):
        one, three = best_of(lambda: group_rate(name, 1, steps), repeats), best_of(lambda: group_rate(name, 3, steps), repeats)
        out[name] = {"alone": round(one, 1), "three_as_one": round(three, 1), "speedup": round(three / one, 2)}
        print(f"group {name:8s} alone {one:7.1f}  3 as one {three:7.1f} member-updates/s ({three / one:.2f}x)", flush=True)
    return out


def _train_threads(args):
    fam, steps, threads = args
    import gdm.train as gt

    gt.TRAIN_THREADS = threads
    torch.set_num_threads(threads)
    t0 = time.perf_counter()
    gdm_rate(config(fam), steps)
    return time.perf_counter() - t0


def measure_threads(steps: int) -> dict:
    """Two runs of the MLP GAN: one after the other on 2 threads each, and both at once on 1 thread."""
    ctx = mp.get_context("spawn")
    with ctx.Pool(1) as pool:
        pool.map(_train_threads, [("mlp_gan", 3, 2)])
        t0 = time.perf_counter()
        pool.map(_train_threads, [("mlp_gan", steps, 2), ("mlp_gan", steps, 2)])
        serial = time.perf_counter() - t0
    with ctx.Pool(2) as pool:
        pool.map(_train_threads, [("mlp_gan", 3, 1)] * 2)
        t0 = time.perf_counter()
        pool.map(_train_threads, [("mlp_gan", steps, 1)] * 2)
        parallel = time.perf_counter() - t0
    out = {"two_runs_one_after_the_other_2_threads_s": round(serial, 1), "two_runs_at_once_1_thread_s": round(parallel, 1),
           "parallel_speedup": round(serial / parallel, 2), "steps_per_run": steps}
    print(f"threads: 2 runs serially × 2 threads {serial:.1f} s, at once × 1 thread {parallel:.1f} s "
          f"({serial / parallel:.2f}x)", flush=True)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="+", choices=["matmul", "loop", "precision", "group", "threads"])
    ap.add_argument("--quick", action="store_true", help="a smoke run: few steps, one repeat")
    ap.add_argument("--json", default=str(ROOT / "results" / "benchmarks.json"))
    args = ap.parse_args(argv)
    parts = args.only or ["matmul", "loop", "precision", "group", "threads"]
    scale, repeats = (0.05, 1) if args.quick else (1.0, 2)
    steps = 20 if args.quick else 200
    torch.set_num_threads(TRAIN_THREADS)
    out = {"machine": {"cpu": cpu_model(), "cores": mp.cpu_count(), "torch": torch.__version__,
                       "python": platform.python_version()},
           "device": "cpu", "train_threads": TRAIN_THREADS, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    fp32 = None
    if "matmul" in parts or "loop" in parts:
        out["matmul_gflops"] = {f"{name}_{t}_thread{'s' if t > 1 else ''}": round(matmul_rate(dt, t), 1)
                                for name, dt in (("float32", torch.float32), ("bfloat16", torch.bfloat16)) for t in (1, 2)}
        print("matmul GFLOP/s:", out["matmul_gflops"], flush=True)
        fp32 = out["matmul_gflops"]["float32_1_thread"]
    if "loop" in parts:
        out["loop"] = measure_loop(list(FAMILIES), scale, repeats, fp32)
    if "precision" in parts:
        out["precision"] = measure_precision(["mlp_gan", "dcgan_gan", "vae_mlp"], scale / 2, repeats)
    if "group" in parts:
        out["group"] = measure_group(steps, repeats)
    if "threads" in parts:
        out["threads"] = measure_threads(steps)
    path = Path(args.json)
    if args.only and path.exists():  # a partial run updates its parts of the file, keeps the others
        out = {**json.loads(path.read_text()), **out}
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
