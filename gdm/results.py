"""Results files: ``results/<slug>.json``, one per chapter, written by the chapter's notebook
from the run it sits in, and collected by the comparison chapter."""
from __future__ import annotations

import json
import math
import os
import re
import platform
from pathlib import Path

import torch

from . import __version__, paths
from .errors import GdmError

REQUIRED = ("chapter", "config", "metrics", "paper", "seconds", "version")
#: samples kept per chapter for the comparison chapter's figure and sharpness
SAMPLES_KEPT = 100


def _clean(obj):
    """JSON-safe: tensors and numpy scalars to numbers, NaN to None, keys to strings."""
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if isinstance(obj, torch.Tensor):
        return _clean(obj.tolist())
    if hasattr(obj, "item") and not isinstance(obj, (str, bytes)):
        return _clean(obj.item())
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def write(slug: str, *, chapter: str, config: dict, metrics: dict, paper: dict, seconds: float,
          runs: list | None = None, samples: torch.Tensor | None = None, claims=None, directory=None) -> Path:
    """Write ``<directory>/<slug>.json`` (default ``gdm.paths.results_dir()``); return its path.

    ``samples``: images (N, C, H, W) in [0, 1] from the chapter's headline model; the first
    ``SAMPLES_KEPT`` are kept as 8-bit grey levels in ``<directory>/samples/<slug>.npz``
    (``read_samples``), so that the comparison chapter shows and measures every model's samples
    without training anything.

    ``claims``: the chapter's decided ledger (``gdm.claims.decide(...)``, or its ``records``), kept
    as the file's ``claims`` list."""
    d = Path(directory) if directory is not None else paths.results_dir()
    d.mkdir(parents=True, exist_ok=True)
    if samples is not None:
        _write_samples(d / "samples" / f"{slug}.npz", samples)
    record = {
        "chapter": chapter,
        "config": config,
        "metrics": metrics,
        "paper": paper,
        "seconds": round(float(seconds), 1),
        "version": __version__,
        "runs": runs or [],
        "device": torch.cuda.get_device_name(0) if torch.cuda.is_available() else f"cpu ({platform.machine()})",
        "torch": torch.__version__,
    }
    if claims is not None:
        record["claims"] = list(getattr(claims, "records", claims))
    path = d / f"{slug}.json"
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(_clean(record), indent=2, sort_keys=False) + "\n")
    tmp.replace(path)
    return path


def _write_samples(path: Path, samples: torch.Tensor) -> None:
    import numpy as np

    x = samples.detach().cpu() if isinstance(samples, torch.Tensor) else None
    if x is None or x.dim() != 4 or not torch.isfinite(x).all() or x.min() < 0 or x.max() > 1:
        raise ValueError("samples must be a finite tensor of images (N, C, H, W) in [0, 1]; got "
                         + (f"shape {tuple(x.shape)}, range [{x.min():.3g}, {x.max():.3g}]" if x is not None
                            else type(samples).__name__))
    path.parent.mkdir(parents=True, exist_ok=True)
    levels = (x[:SAMPLES_KEPT] * 255).round().to(torch.uint8).numpy()
    with open(path.with_name(path.name + ".tmp"), "wb") as f:
        np.savez_compressed(f, images=levels)
    path.with_name(path.name + ".tmp").replace(path)


def check_declared(slug: str | None) -> None:
    """Under ``gdm.execute`` (``GDM_READS`` set), a chapter may read only its own results and those
    it declares in its notebook's metadata ``gdm.reads``: the executor runs those first, so the
    order of execution cannot change what it reads. ``slug=None``: every chapter (``collect``)."""
    allowed = os.environ.get("GDM_READS")
    if allowed is None or allowed == "*":
        return
    if slug is None or slug not in allowed.split(","):
        what = "every chapter's results" if slug is None else f"the results of chapter {slug!r}"
        raise GdmError(f"this notebook reads {what} without declaring it: add {slug or '*'!r} to its metadata "
                       f"gdm.reads (it declares {allowed}), so that gdm.execute runs that chapter first")


def read_samples(slug: str, directory=None) -> torch.Tensor | None:
    """The samples kept by ``write(slug, samples=...)``, as floats in [0, 1]; None if there are none."""
    import numpy as np

    check_declared(slug)
    d = Path(directory) if directory is not None else paths.results_dir()
    path = d / "samples" / f"{slug}.npz"
    if not path.exists():
        return None
    with np.load(path) as f:
        return torch.from_numpy(f["images"]).float() / 255


def read(slug: str, directory=None) -> dict:
    """The results file of chapter ``slug`` (under ``gdm.execute``, only a declared one: ``check_declared``)."""
    check_declared(slug)
    d = Path(directory) if directory is not None else paths.results_dir()
    return json.loads((d / f"{slug}.json").read_text())


def collect(directory=None) -> dict[str, dict]:
    """Every chapter's results, by slug (under ``gdm.execute``, the notebook must declare ``"*"``)."""
    check_declared(None)
    d = Path(directory) if directory is not None else paths.results_dir()
    return {p.stem: json.loads(p.read_text()) for p in sorted(d.glob("*.json"))}


def glue(name: str, value, display: bool = False) -> None:
    """Make ``value`` citable in the book's prose as ``{glue:text}`name```; a no-op outside the
    book's toolchain (e.g. in Colab without myst-nb). Returns nothing, so that a cell ending in
    a glue shows no stray value."""
    try:
        from myst_nb import glue as _glue
    except ImportError:
        return
    _glue(name, value, display=display)


def seed_text(values, fmt: str, none: str = "n/a") -> str:
    """Per-seed values as prose and table cells: "a / b / c", each formatted with ``fmt``; a value that
    could not be measured (None, e.g. a run that diverged) as ``none``."""
    return " / ".join(none if v is None else format(v, fmt) for v in values)


def glue_texts(**texts) -> None:
    """:func:`glue` each name = text."""
    for name, text in texts.items():
        glue(name, text)


def significant(value: float, digits: int = 3) -> str:
    """``value`` to ``digits`` significant digits as prose and tables print it: ``format(value, ".3g")``,
    except that a number too large for that in positional notation prints whole, with thousands
    separators ("1,092", not "1.09e+03"); tiny numbers keep their exponent ("1.1e-15")."""
    text = f"{value:.{digits}g}"
    return f"{value:,.0f}" if "e+" in text else text


def markdown_table(rows: dict, columns: dict, digits: int = 3) -> str:
    """A Markdown table: one row per ``rows`` key, one column per ``columns`` item
    (metric key -> header); numbers rounded to ``digits`` significant digits."""

    def cell(text) -> str:  # a "|" inside a cell (e.g. "|x| < 1") would split it: escape it, once
        return re.sub(r"(?<!\\)\|", r"\\|", str(text))

    def fmt(v):
        if isinstance(v, float):
            return significant(v, digits)
        return "" if v is None else cell(v)

    lines = ["| | " + " | ".join(cell(c) for c in columns.values()) + " |", "|---|" + "---|" * len(columns)]
    for name, row in rows.items():
        lines.append(f"| {cell(name)} | " + " | ".join(fmt(row.get(k)) for k in columns) + " |")
    return "\n".join(lines)
