"""Every paper profile (``notebooks/params/paper/<slug>.yaml``) through its first few updates.

A Colab user's paper-scale run should not fail after minutes. Each chapter is executed with its
paper parameters, the paper's nets and objectives kept, and only the budget cut to the smoke
profile's: every parameter the smoke profile sets that counts updates, samples, seeds, batches or
evaluation sizes takes the smoke value, and the data set is swapped for the chapter's offline
default (``mnist5k``; ``dsprites32`` for chapter 11). The cut profile keeps every net width,
latent size, optimiser and sweep of the paper file. Executed in a scratch ``GDM_HOME``, so
nothing of the checkout's results, runs or store is read or written.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
PAPER = sorted((ROOT / "notebooks" / "params" / "paper").glob("*.yaml"))
#: parameter names that are budget, not model: taken from the smoke profile
_BUDGET = re.compile(r"steps|samples|seeds|every|valid|batch(?!norm)|eval|points|sequences|higgins|factorvae|mig_"
                     r"|track_|iwae|test_n|n_labels|critic_warmup|small_train")
#: named like budget but part of the paper's algorithm (the SGD schedule's momentum ramp): kept
ALGORITHM = {"momentum_steps"}


class _Budget:
    @staticmethod
    def search(key: str) -> bool:
        return key not in ALGORITHM and bool(_BUDGET.search(key))


BUDGET = _Budget()


def notebook(slug: str) -> Path:
    (nb,) = [p for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb") if p.stem.split("_", 1)[1] == slug]
    return nb


def defaults(nb: Path) -> dict:
    import papermill as pm

    return {k: v["default"] for k, v in pm.inspect_notebook(str(nb)).items()}


def cut_profile(slug: str) -> dict:
    """The paper profile of ``slug`` with the smoke profile's budget and the offline data set."""
    paper = yaml.safe_load((ROOT / "notebooks" / "params" / "paper" / f"{slug}.yaml").read_text())
    smoke = yaml.safe_load((ROOT / "notebooks" / "params" / "smoke" / f"{slug}.yaml").read_text())
    offline = yaml.safe_load(defaults(notebook(slug))["dataset"])
    # the smoke profile, then the paper's nets, objectives and optimisers over it; the paper's budget
    # keys are dropped (the smoke value, or the notebook's own cpu default where the smoke profile
    # sets none: chapter 03's weak_steps, 100,000 in the paper, would run here)
    params = {**smoke, **{k: v for k, v in paper.items() if not BUDGET.search(k)}}
    paper_data = paper.get("dataset")
    params = {k: (offline if v == paper_data and isinstance(v, str) else v) for k, v in params.items()}
    return params


@pytest.mark.parametrize("slug", [p.stem for p in PAPER])
def test_cut_profile_keeps_the_papers_nets(slug):
    paper = yaml.safe_load((ROOT / "notebooks" / "params" / "paper" / f"{slug}.yaml").read_text())
    smoke = yaml.safe_load((ROOT / "notebooks" / "params" / "smoke" / f"{slug}.yaml").read_text())
    cut = cut_profile(slug)
    known = defaults(notebook(slug))
    assert set(paper) <= set(known), f"{slug}.yaml sets parameters the notebook does not have: {set(paper) - set(known)}"
    kept = {k for k in paper if not BUDGET.search(k) and k != "dataset" and paper[k] != paper.get("dataset")}
    assert kept and all(cut[k] == paper[k] for k in kept)  # nets, objectives, optimisers: the paper's
    steps = {k: v for k, v in cut.items() if isinstance(v, int) and not isinstance(v, bool) and "steps" in k
             and k not in ALGORITHM}
    assert steps and max(steps.values()) <= 2000, steps  # the budget is cut: no paper-length run survives
    assert cut.get("critic_warmup", False) is False or "critic_warmup" not in paper
    assert cut.get("dataset", "mnist5k") in ("mnist5k", "dsprites32")


@pytest.fixture(scope="module")
def scratch_home(tmp_path_factory):
    return tmp_path_factory.mktemp("paper-home")


@pytest.mark.parametrize("slug", [p.stem for p in PAPER])
def test_paper_profile_first_updates(slug, scratch_home, tmp_path, monkeypatch):
    import papermill as pm

    monkeypatch.setenv("GDM_HOME", str(scratch_home))
    monkeypatch.setenv("GDM_PROGRESS", "0")
    monkeypatch.delenv("GDM_RUNS", raising=False)
    nb = notebook(slug)
    pm.execute_notebook(str(nb), str(tmp_path / nb.name), parameters=cut_profile(slug), kernel_name="python3",
                        cwd=str(nb.parent), progress_bar=False, log_output=False, execution_timeout=900)
    assert (scratch_home / "results" / f"{slug}.json").exists()
