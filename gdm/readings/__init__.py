"""A chapter's readings: the sentences of its prose that read its results, each computed from the
chapter's results record alone (``results/<slug>.json``: its parameters, metrics and decided claims).

    from gdm import readings
    texts = readings.texts("fgan", record)   # name -> text, glued by the chapter as {glue:text}`name`

Because they are computed from what the chapter wrote, they can be checked against it: the test
suite recomputes every reading from the committed results file and compares it with the text the
executed notebook shows (``tests/test_readings.py``); a number edited by hand, or prose that does
not follow its record, fails there. Each chapter's module is ``gdm.readings.<slug>``; its
``PARTS`` are functions ``(Record, params, metrics) -> {name: text}``, one per part of the prose.
"""
from __future__ import annotations

import importlib
import pkgutil

from ..errors import UnknownNameError
from ..metrics import tracking


def chapters() -> list[str]:
    """The chapters whose readings are computed here."""
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


def texts(slug: str, record: dict | None = None) -> dict[str, str]:
    """Every reading of chapter ``slug``, from ``record`` (default: its committed results file)."""
    if slug not in chapters():
        raise UnknownNameError("chapter with readings", slug, chapters())
    if record is None:
        from ..results import read

        record = read(slug)
    r = Record(record)
    out = {}
    for part in importlib.import_module(f"{__name__}.{slug}").PARTS:
        texts = part(r, r.params, r.metrics)
        twice = set(texts) & set(out)
        if twice:
            raise ValueError(f"readings of {slug}: {part.__name__} gives {sorted(twice)} again")
        out.update(texts)
    return out


class Record:
    """A results record with the helpers readings use: ``params`` (the chapter's parameters),
    ``metrics``, ``paper`` (the paper's numbers), ``verdict(id)`` and ``claim(id)`` (the decided claims)."""

    def __init__(self, record: dict):
        self.params, self.metrics, self.paper = record["config"], record["metrics"], record.get("paper", {})
        self._claims = {c["id"]: c for c in record.get("claims", [])}

    def claim(self, claim_id: str) -> dict:
        if claim_id not in self._claims:
            raise UnknownNameError("decided claim", claim_id, list(self._claims))
        return self._claims[claim_id]

    def verdict(self, claim_id: str) -> str:
        return self.claim(claim_id)["verdict"]


def upper(text: str) -> str:
    """``text`` with its first letter capitalised (and nothing else changed: "reverse KL" -> "Reverse KL")."""
    return text[:1].upper() + text[1:]


def and_list(items) -> str:
    """"a", "a and b", "a, b and c"."""
    items = list(items)
    return " and ".join([", ".join(items[:-1]), items[-1]] if len(items) > 1 else items)


#: the numbers the prose writes in words
WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")


def number(n: int) -> str:
    """``n`` as the prose writes a count: in words up to twelve ("three"; 0 is "no"), in digits beyond ("1,000")."""
    return WORDS[n] if 0 <= n < len(WORDS) else f"{n:,}"


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` with its noun, singular or plural: "1 seed", "3 seeds"."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def of_count(k: int, n: int, noun: str = "seed", plural: str | None = None) -> str:
    """How many of ``n`` things: "every seed" (k = n > 1), "its one seed" (k = n = 1), "no seed" (k = 0),
    else "2 of 3 seeds"."""
    if k == 0:
        return f"no {noun}"
    if k == n:
        return f"every {noun}" if n > 1 else f"its one {noun}"
    return f"{k:,} of {counted(n, noun, plural)}"


#: the sentences of plateau_text where every seed agrees
PLATEAU = {"levelled": "had levelled off (within 10 % over the last 30 % of the updates, every seed)",
           "unknown": "was not tracked"}


def plateau_text(changes) -> str:
    """How each seed's tracked FD ended, per seed where they differ ("had levelled off ...", "was still
    falling on seeds 0 and 2 ..."), by the 10 % tolerance of :func:`gdm.metrics.tracking.plateau`."""
    kind = tracking.plateau(changes)
    if kind in PLATEAU:
        return PLATEAU[kind]
    tol = tracking.PLATEAU_TOL
    groups = {"still falling": [s for s, c in enumerate(changes) if c is not None and c < -tol],
              "rising": [s for s, c in enumerate(changes) if c is not None and c > tol],
              "level within 10 %": [s for s, c in enumerate(changes) if c is not None and abs(c) <= tol]}
    n = sum(len(v) for v in groups.values())
    parts = [f"{w} on {'every seed' if len(v) == n else ('seed ' if len(v) == 1 else 'seeds ') + and_list(map(str, v))}"
             for w, v in groups.items() if v]
    return "was " + and_list(parts) + " at the end: " + ("these numbers are this budget's, not a plateau's"
                                                          if groups["still falling"] else "no seed still falling")
