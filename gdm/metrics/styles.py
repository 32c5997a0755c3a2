"""Style proxies of digit images, from the moments of their ink, and how a generator's
continuous code moves them (InfoGAN's c2 "rotation" and c3 "width", measured).

For an image with intensities I(x, y) (x to the right, y upwards, in pixels), with the ink's
centre and central second moments μ20 = Var(x), μ02 = Var(y), μ11 = Cov(x, y) weighted by I:

- ``slant``: atan(μ11 / μ02) in degrees: the angle from the vertical of the line x = a + b y
  fitted to the ink (the skew that MNIST deskewing removes); positive leans right (/).
- ``width``: sqrt(μ20), the ink's horizontal spread in pixels.
- ``ink``: the total intensity (thicker strokes, larger digits: more ink).
"""
from __future__ import annotations

import numpy as np
import torch

PROXIES = ("slant", "width", "ink")


def style_proxies(images) -> dict[str, np.ndarray]:
    """``slant`` (degrees), ``width`` (pixels) and ``ink`` of each image of ``(N, 1, H, W)`` in [0, 1]."""
    x = torch.as_tensor(images).detach().cpu().double()[:, 0]
    n, h, w = x.shape
    cols = torch.arange(w, dtype=torch.float64).view(1, 1, w)
    rows = (h - 1 - torch.arange(h, dtype=torch.float64)).view(1, h, 1)  # y upwards
    mass = x.sum((1, 2)).clamp_min(1e-8)
    mx = (x * cols).sum((1, 2)) / mass
    my = (x * rows).sum((1, 2)) / mass
    dx, dy = cols - mx.view(-1, 1, 1), rows - my.view(-1, 1, 1)
    m20 = (x * dx * dx).sum((1, 2)) / mass
    m02 = (x * dy * dy).sum((1, 2)) / mass
    m11 = (x * dx * dy).sum((1, 2)) / mass
    return {"slant": torch.rad2deg(torch.atan(m11 / m02.clamp_min(1e-8))).numpy(),
            "width": m20.sqrt().numpy(), "ink": x.sum((1, 2)).numpy()}


def code_style_correlation(generate, values, n_sequences: int, sample_rest, proxies=PROXIES) -> dict[str, float]:
    """How one code drives each proxy: for ``n_sequences`` draws of everything else
    (``sample_rest(n)``), generate the images with the code at each of ``values``
    (``generate(rest, value) -> images``), correlate (Pearson) the code's value with each proxy
    along each sequence, and average over sequences. Signed: +1 means the proxy grows with the
    code in every sequence; a code the generator ignores gives about 0."""
    values = np.asarray(values, dtype=np.float64)
    rest = sample_rest(n_sequences)
    per_value = [style_proxies(generate(rest, float(v))) for v in values]  # each: proxy -> (n_sequences,)
    out = {}
    for p in proxies:
        table = np.stack([pv[p] for pv in per_value], 1)  # (n_sequences, len(values))
        t = table - table.mean(1, keepdims=True)
        v = values - values.mean()
        denom = np.sqrt((t ** 2).sum(1) * (v ** 2).sum())
        r = np.where(denom > 0, (t * v).sum(1) / np.where(denom > 0, denom, 1.0), 0.0)
        out[p] = float(r.mean())
    return out
