"""The project's own rules: pins agree, names agree across notebooks, parameter files and results."""
import ast
import json
import re
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def pins(lines):
    out = {}
    for line in lines:
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            req = Requirement(line)
            (spec,) = req.specifier
            assert spec.operator == "==", f"{line}: pin with =="
            out[req.name.lower()] = spec.version
    return out


def test_requirements_and_environment_yml_agree_with_pyproject():
    req = pins((ROOT / "requirements.txt").read_text().splitlines())
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pins(pip_section) == req
    assert "-e ." in pip_section
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = project["dependencies"] + [d for extra in project["optional-dependencies"].values() for d in extra]
    for line in declared:
        r = Requirement(line)
        assert r.name.lower() in req, f"{r.name} is in pyproject.toml but not pinned in requirements.txt"
        assert r.specifier.contains(req[r.name.lower()]), f"pin {r.name}=={req[r.name.lower()]} violates {r.specifier}"


def test_jupyter_book_is_pinned_below_2():
    assert pins((ROOT / "requirements.txt").read_text().splitlines())["jupyter-book"].startswith("1.")


def parameters_of(nb_path):
    cells = json.loads(nb_path.read_text())["cells"]
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, f"{nb_path.name}: exactly one cell tagged 'parameters'"
    tree = ast.parse("".join(tagged[0]["source"]))
    names = {}
    for node in tree.body:
        assert isinstance(node, ast.AnnAssign), f"{nb_path.name}: parameters are `name: type = literal  # help`"
        value = ast.literal_eval(node.value)  # flat literals, nothing derived
        assert type(value).__name__ == node.annotation.id, f"{node.target.id}: annotation and value disagree"
        names[node.target.id] = value
    return names


#: chapters that read the others' results and train nothing: no model, no paper profile of their own
READERS = {"comparison"}


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_names_agree_everywhere(nb):
    slug = nb.stem.split("_", 1)[1]
    reader = slug in READERS
    params = parameters_of(nb)
    text = "".join("".join(c["source"]) for c in json.loads(nb.read_text())["cells"])
    assert "# NBVAL_CHECK_OUTPUT" in text, "at least one output is compared by nbval"
    for profile in ("smoke",) if reader else ("smoke", "paper"):
        path = ROOT / "notebooks" / "params" / profile / f"{slug}.yaml"
        assert path.exists(), f"missing {path.relative_to(ROOT)}"
        given = yaml.safe_load(path.read_text())
        unknown = set(given) - set(params)
        assert not unknown, f"{path.name} sets parameters the notebook does not have: {unknown}"
        for k, v in given.items():
            assert type(v) is type(params[k]) or (isinstance(params[k], float) and isinstance(v, int)), \
                f"{profile}/{slug}.yaml: {k} has type {type(v).__name__}, the notebook's is {type(params[k]).__name__}"
    assert nb.stem in (ROOT / "_toc.yml").read_text()
    from gdm.models import REGISTRY
    assert reader or slug in REGISTRY
    result = ROOT / "results" / f"{slug}.json"
    assert result.exists(), "the executed notebook's results file is committed beside it"
    record = json.loads(result.read_text())
    assert {"chapter", "config", "metrics", "paper", "seconds", "version"} <= set(record)
    assert set(record["config"]) == set(params), "results carry the notebook's parameters by the same names"
    page = (ROOT / "book" / "paper_scale.md").read_text()
    assert reader or f"notebooks/params/paper/{slug}.yaml" in page, "book/paper_scale.md lists every paper parameter file"


def test_readme_test_command_is_what_ci_runs():
    ci = (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert re.search(r"^make test$", ci, re.M) and "make test" in readme and "make book" in readme


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_read_of_another_chapter_is_declared(nb):
    """A chapter that reads another chapter's results declares it (metadata gdm.reads), so that
    gdm.execute runs that chapter first; the comparison declares every chapter ("*")."""
    from gdm.execute import declared_reads

    slug = nb.stem.split("_", 1)[1]
    code = "\n".join("".join(c["source"]) for c in json.loads(nb.read_text())["cells"] if c["cell_type"] == "code")
    calls = re.findall(r"results\.(read|read_samples|collect)\(([^)]*)\)", code)
    reads = declared_reads(f"notebooks/{nb.name}", ROOT)
    for fn, args in calls:
        if fn == "collect":
            assert reads == "*", "results.collect reads every chapter: declare gdm.reads = \"*\""
            continue
        if reads == "*":
            continue
        m = re.match(r"\s*[\"']([a-z_0-9]+)[\"']", args)
        assert m, f"results.{fn}({args}): name the chapter with a literal, so that its read can be checked"
        assert m.group(1) == slug or m.group(1) in reads, f"reads {m.group(1)!r} without declaring it in gdm.reads"
    assert (reads == "*") == (slug in READERS)


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_committed_notebook_ran_to_the_end_without_errors(nb):
    """Committed notebooks carry the outputs of a whole run: every code cell executed, in order, no
    error output, no papermill exception (a failed run writes the notebook too, with a red banner)."""
    book = json.loads(nb.read_text())
    assert not book["metadata"].get("papermill", {}).get("exception"), "papermill recorded an exception: re-execute it"
    code = [c for c in book["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]
    counts = [c.get("execution_count") for c in code]
    assert None not in counts, f"{counts.count(None)} code cells not executed"
    assert counts == sorted(counts), "cells executed out of order"
    errors = [o.get("ename") for c in code for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, f"error outputs: {errors}"
    assert not any("papermill-error-cell" in "".join(c["source"]) for c in book["cells"])
