"""Where gdm keeps data, runs and results.

``GDM_HOME`` (an environment variable) overrides everything. Otherwise, in a source checkout
(a folder holding ``_toc.yml`` and ``gdm/``) the checkout itself is home, so that
``results/`` and ``runs/`` sit beside the notebooks; an installed gdm uses ``~/.cache/gdm``.
"""
from __future__ import annotations

import os
from pathlib import Path


def home() -> Path:
    env = os.environ.get("GDM_HOME")
    if env:
        return Path(env).expanduser().resolve()
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / "_toc.yml").exists() and (checkout / "gdm").is_dir():
        return checkout
    return Path.home() / ".cache" / "gdm"


def runs_dir() -> Path:
    """The run cache (checkpoints, histories of runs trained here): not committed. ``GDM_RUNS``
    overrides it (``python -m gdm.execute --from-scratch`` trains into a cache of its own)."""
    env = os.environ.get("GDM_RUNS")
    return Path(env).expanduser().resolve() if env else home() / "runs"


def data_dir() -> Path:
    """Downloaded data sets (torchvision) and cached feature networks: not committed."""
    return home() / "data"


def results_dir() -> Path:
    """One ``slug.json`` per chapter: committed with the executed notebooks."""
    return home() / "results"


def git_commit(root: Path, counts=lambda path: True) -> str | None:
    """HEAD of the checkout at ``root``, with " (with uncommitted changes)" when a tracked file
    for which ``counts(path)`` holds differs from it; None outside a git checkout."""
    import subprocess

    try:
        head = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
        if head.returncode != 0:
            return None
        changed = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
                                 capture_output=True, text=True).stdout.splitlines()
        dirty = any(counts(line[3:]) for line in changed)
        return head.stdout.strip() + (" (with uncommitted changes)" if dirty else "")
    except OSError:
        return None
