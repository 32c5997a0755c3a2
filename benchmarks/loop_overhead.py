"""Steps per second of gdm's training loop against a bare PyTorch loop on the same GAN.

Both train the paper's MNIST GAN (MLP generator 100-1200-1200-784, maxout discriminator) on
mnist5k with batch 100 and Adam, on the same device; the bare loop has no checkpoints, history,
NaN guard or progress bar. Run: `make benchmark` (or python benchmarks/loop_overhead.py).
"""
from __future__ import annotations

import argparse
import tempfile
import time

import torch
import torch.nn.functional as F

from gdm import data, models
from gdm.config import make_config
from gdm.train import pick_device, train


def bare_loop(cfg, steps: int, device) -> float:
    torch.manual_seed(cfg["seed"])
    model = models.build(cfg, (1, 28, 28)).to(device)
    G, D = model.generator, model.discriminator
    opt_g = torch.optim.Adam(G.parameters(), lr=cfg["lr"], betas=(cfg["beta1"], cfg["beta2"]))
    opt_d = torch.optim.Adam(D.parameters(), lr=cfg["lr"], betas=(cfg["beta1"], cfg["beta2"]))
    x_all = data.load(cfg["dataset"], "train").x.to(device)
    bs = cfg["batch_size"]
    ones, zeros = torch.ones(bs, device=device), torch.zeros(bs, device=device)
    t0 = time.perf_counter()
    for _ in range(steps):
        x = x_all[torch.randint(len(x_all), (bs,), device=device)]
        z = torch.rand(bs, cfg["z_dim"], device=device) * 2 - 1
        d_loss = F.binary_cross_entropy_with_logits(D(x), ones) + F.binary_cross_entropy_with_logits(
            D(G(z).detach()), zeros)
        opt_d.zero_grad()
        d_loss.backward()
        opt_d.step()
        z = torch.rand(bs, cfg["z_dim"], device=device) * 2 - 1
        g_loss = F.binary_cross_entropy_with_logits(D(G(z)), ones)
        opt_g.zero_grad()
        g_loss.backward()
        opt_g.step()
    if device.type == "cuda":
        torch.cuda.synchronize()
    return steps / (time.perf_counter() - t0)


def gdm_loop(cfg, steps: int, device) -> float:
    torch.manual_seed(cfg["seed"])
    model = models.build(cfg, (1, 28, 28))
    batches = data.Batches(cfg["dataset"], cfg["batch_size"], cfg["seed"])
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        train(model, batches, steps, checkpoint=f"{tmp}/ckpt.pt", checkpoint_every=cfg["checkpoint_every"],
              log_every=cfg["log_every"], progress=False, device=device)
        if device.type == "cuda":
            torch.cuda.synchronize()
        return steps / (time.perf_counter() - t0)


def main():
    from gdm.train import TRAIN_THREADS

    # gdm trains with TRAIN_THREADS threads on the CPU (runs must not depend on the process's
    # setting): the bare loop gets the same, so that the ratio compares loops, not thread counts
    if pick_device("auto").type == "cpu":
        torch.set_num_threads(TRAIN_THREADS)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--device", default="auto")
    args = ap.parse_args()
    device = pick_device(args.device)
    cfg = make_config("gan", dataset="mnist5k", batch_size=100, checkpoint_every=500, log_every=10)
    gdm_loop(cfg, 20, device), bare_loop(cfg, 20, device)  # warm-up
    g = max(gdm_loop(cfg, args.steps, device) for _ in range(args.repeats))
    b = max(bare_loop(cfg, args.steps, device) for _ in range(args.repeats))
    print(f"device {device}, {torch.get_num_threads()} threads, {args.steps} steps, best of {args.repeats}")
    print(f"bare PyTorch loop: {b:8.1f} steps/s")
    print(f"gdm loop:          {g:8.1f} steps/s  (with a checkpoint every 500 steps, history, NaN guard)")
    print(f"ratio gdm / bare:  {g / b:8.3f}")


if __name__ == "__main__":
    main()
