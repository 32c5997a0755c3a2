"""A model's configuration at one of the book's profiles, for the command line (``gdm train``).

Every chapter has three profiles: ``cpu`` (its notebook's parameters cell: real results in
minutes on a laptop), ``smoke`` (``notebooks/params/smoke/<slug>.yaml``: CI's, numbers that mean
nothing) and ``paper`` (``notebooks/params/paper/<slug>.yaml``: the paper's settings, for a GPU).
A model's profile is the configuration of its chapter's headline run (the notebook of the same
name as the model), built from the chapter's parameters at that profile: :data:`HEADLINES` says
how, for the chapters whose headline run is not simply the parameters they share with the
model's configuration; ``tests/test_cli.py`` checks that the ``cpu`` profile of every chapter's
model is a run its committed results file lists, so the two cannot drift apart unnoticed. The
parameters cell is read as text (``name: type = literal  # help``), not executed.
"""
from __future__ import annotations

import ast
import json
from pathlib import Path

import yaml

from .errors import GdmError, UnknownNameError

PROFILES = ("smoke", "cpu", "paper")
ROOT = Path(__file__).resolve().parent.parent


def notebooks_dir(root: Path | None = None) -> Path:
    """The book's ``notebooks/`` folder: in the checkout gdm runs from (or ``root``)."""
    d = Path(root or ROOT) / "notebooks"
    if not d.is_dir():
        raise GdmError(f"the profiles are read from the book's notebooks, and {d} does not exist: run gdm from a "
                       f"checkout of the book's repository, or start from the model's defaults with --profile defaults")
    return d


def chapter_of(model: str, root: Path | None = None) -> Path | None:
    """The notebook of ``model``'s chapter (``NN_<model>.ipynb``), or None for a model without one."""
    found = sorted(notebooks_dir(root).glob(f"[0-9][0-9]_{model}.ipynb"))
    return found[0] if found else None


def parameters_cell(notebook: Path) -> dict:
    """The parameters of ``notebook``'s cell tagged ``parameters``, by name, in order."""
    cells = json.loads(Path(notebook).read_text())["cells"]
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(tagged) != 1:
        raise GdmError(f"{notebook}: expected one cell tagged 'parameters', found {len(tagged)}")
    out = {}
    for node in ast.parse("".join(tagged[0]["source"])).body:
        if not isinstance(node, (ast.AnnAssign, ast.Assign)):
            raise GdmError(f"{notebook}: the parameters cell holds something other than `name: type = literal`")
        target = node.target if isinstance(node, ast.AnnAssign) else node.targets[0]
        out[target.id] = ast.literal_eval(node.value)
    return out


def _shared(*names):
    return lambda p: {k: p[k] for k in ("dataset", "steps", "batch_size", "seed", *names)}


def _dcgan_image(p):  # chapters 03 and 04: DCGAN-style nets, Gaussian noise
    return {**_shared()(p), "z_prior": "normal", "g_arch": "dcgan", "d_arch": "dcgan"}


#: the headline run of a chapter, from its parameters ``p`` (a chapter's own parameter names, e.g.
#: chapter 06's ``width`` for both nets); models not listed take the parameters they share with it
HEADLINES = {
    "fgan": lambda p: {**_shared("g_hidden", "d_hidden", "lr")(p), "divergence": "gan", "z_dim": 100,
                       "z_prior": "uniform", "g_batchnorm": True, "g_init_output_bias": True, "d_arch": "mlp",
                       "d_dropout": 0.0, "d_input_dropout": 0.0, "beta1": 0.5},
    "wgan": lambda p: {**_dcgan_image(p), "z_dim": 100, "g_width": p["width"], "d_width": p["width"],
                       "log_every": 10, "d_dropout": 0.0, "d_input_dropout": 0.0, "critic_warmup": p["critic_warmup"],
                       "g_batchnorm": True, "d_batchnorm": True},
    "wgan_gp": lambda p: {**_dcgan_image(p), "z_dim": p["z_dim"], "g_width": p["g_width"],
                          "d_width": p["d_width"], "g_batchnorm": True, "d_batchnorm": False},
    "began": lambda p: {**_shared("z_dim", "code_dim", "g_arch", "g_hidden", "g_batchnorm", "d_arch", "d_hidden",
                                  "d_output", "lr", "lambda_k")(p), "g_width": p["width"], "d_width": p["width"],
                        "gamma": float(p["gamma"])},
    "gmmn": lambda p: {**_shared("g_hidden", "lr", "ae_steps", "ae_batch", "ae_act", "ae_dropout",
                                 "ae_hidden_dropout")(p), "space": "code", "steps": p["ae_steps"] + p["code_steps"]},
    "mmd_gan": lambda p: {**_shared("arch", "g_hidden", "d_hidden", "code_dim", "sigmas", "lambda_rg", "lambda_ae",
                                    "k", "clip", "critic_warmup", "lr")(p), "g_batchnorm": p["arch"] == "dcgan"},
    "vae": lambda p: {**_shared("hidden", "z_dim", "optimizer", "lr")(p), "binarize": "dynamic", "log_every": 20},
    "beta_vae": lambda p: {**_shared("z_dim", "hidden", "decoder_hidden", "optimizer", "lr")(p),
                           "beta": 4.0 if 4 in p["betas"] else float(max(p["betas"])),
                           "log_every": max(1, p["steps"] // 100)},
    "aae": lambda p: {"dataset": p["dataset"], "batch_size": p["batch_size"], "seed": p["seed"], "hidden": p["hidden"],
                      "d_hidden": p["d_hidden"], "lr": p["lr"], "lr_reg": p["lr_reg"], "z_dim": p["z_dim_likelihood"],
                      "prior_std": p["prior_std_likelihood"], "steps": p["steps_likelihood"]},
    "wae": lambda p: {**_shared("z_dim", "hidden", "lr", "cost_scale", "prior_std", "kernel_scales")(p),
                      "regulariser": "mmd", "lam": float(p["lam_mmd"]), "precision": p["precision"]},
}


def profile(model: str, name: str = "cpu", root: Path | None = None) -> dict:
    """The configuration parameters of ``model`` at profile ``name`` (see the module's text); a
    model without a chapter (``lsgan``, ``classifier``) has only ``cpu``: its defaults. ``defaults``:
    the model's defaults, for any model, without the book's notebooks."""
    from .config import shared
    from .models import get_model_class

    get_model_class(model)  # an unknown model is an error that lists the known ones
    if name == "defaults":  # the model's own defaults: no chapter needed (an installed gdm)
        return {}
    if name not in PROFILES:
        raise UnknownNameError("profile", name, PROFILES + ("defaults",))
    notebook = chapter_of(model, root)
    if notebook is None:
        if name == "cpu":
            return {}
        raise GdmError(f"model {model!r} has no chapter of its own, so no {name!r} profile: use --profile cpu (its "
                       f"defaults) and -p name=value")
    params = parameters_cell(notebook)
    if name != "cpu":
        slug = notebook.stem.split("_", 1)[1]
        path = notebook.parent / "params" / name / f"{slug}.yaml"
        if not path.exists():
            raise GdmError(f"no {name!r} profile for {model!r}: {path} does not exist")
        params.update(yaml.safe_load(path.read_text()) or {})
    if model in HEADLINES:
        try:
            return HEADLINES[model](params)
        except KeyError as err:
            raise GdmError(f"the {name!r} profile of {model!r}: its chapter ({notebook.name}) has no parameter {err}; "
                           f"gdm.profiles.HEADLINES must follow the chapter") from None
    return shared(model, params)
