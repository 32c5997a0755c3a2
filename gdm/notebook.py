"""Helpers for the chapter notebooks: what a notebook would otherwise repeat by hand."""
from __future__ import annotations

import types

LITERALS = (bool, int, float, str, list)


def parameters(namespace: dict, before) -> dict:
    """The notebook's parameters: the names defined in ``namespace`` since the snapshot
    ``before = set(globals())`` taken just ahead of the cell tagged ``parameters`` (so the values
    papermill injected are included), in definition order."""
    params = {k: v for k, v in namespace.items() if k not in before and not k.startswith("_")
              and not isinstance(v, types.ModuleType) and not callable(v)}  # imports are not parameters
    bad = {k: type(v).__name__ for k, v in params.items() if not isinstance(v, LITERALS)}
    if bad:
        raise TypeError(f"parameters must be flat literals (bool, int, float, str, list); got {bad}")
    return params
