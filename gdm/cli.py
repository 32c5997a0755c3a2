"""The ``gdm`` command: train, sample, evaluate and inspect runs from a shell, on the configs the
chapters use.

    gdm train gan --profile cpu -p steps=3000          # train (or resume) one run, print its id
    gdm train gan-3f2a                                 # resume (or read) a run by its id
    gdm train wgan_gp --seeds 0-4 -p lr=1e-4,2e-4      # a sweep: seeds x settings, on Dask
    gdm sample gan-3f2a --n 64 -o grid.png             # a grid of samples (a run id, or its start)
    gdm evaluate gan-3f2a                              # the standard block (images) or mode coverage (toys)
    gdm runs                                           # the store and the run cache, with status
    gdm show gan-3f2a                                  # config, training record, history summary

Runs are the library's (``gdm.runs.load_or_train``): the same config is the same run, read from
the store or the cache when it is there, resumed when interrupted. Bad input (an unknown model,
profile or parameter, a value of the wrong type, a run that does not exist) is one line on
stderr and exit status 2, without a traceback; a failure of training (a loss gone NaN, a job of a
sweep that failed) says what is kept and where its log is, and exits 1.
"""
from __future__ import annotations

import argparse
import itertools
import json
import math
import sys
from pathlib import Path

from .errors import ConfigError, GdmError, TrainingDivergedError


class UsageError(GdmError):
    """Bad input on the command line."""


# ----------------------------------------------------------------------------- parsing values
def _scalar(text: str):
    low = text.strip().lower()
    if low in ("true", "false"):
        return low == "true"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text.strip()


def _split_top(text: str) -> list[str]:
    """``text`` split at the commas outside brackets."""
    parts, depth, cur = [], 0, ""
    for ch in text:
        depth += ch == "["
        depth -= ch == "]"
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    return parts + [cur]


def parse_values(name: str, text: str, default) -> list:
    """The values of ``-p name=text``: several (a sweep) when ``text`` has commas, e.g. ``lr=1e-4,2e-4``.
    A list parameter takes ``256,256`` (one list) or ``[128,128],[256,256]`` (a sweep of lists)."""
    if text.strip() == "":
        raise UsageError(f"-p {name}= has no value")
    if isinstance(default, (list, tuple)):
        if text.strip().startswith("["):
            out = []
            for part in _split_top(text):
                try:
                    value = json.loads(part)
                except ValueError:
                    raise UsageError(f"-p {name}={text}: {part!r} is not a list like [64,64]") from None
                out.append(value)
            return out
        return [[_scalar(v) for v in text.split(",")]]
    return [_scalar(v) for v in _split_top(text)]


def parse_seeds(text: str) -> list[int]:
    """``3``, ``0-4`` (both ends included) or ``0,2,5``."""
    seeds = []
    try:
        for part in text.split(","):
            if "-" in part.strip()[1:]:
                a, b = part.split("-", 1)
                seeds += list(range(int(a), int(b) + 1))
            else:
                seeds.append(int(part))
    except ValueError:
        raise UsageError(f"--seeds {text}: give seeds as 3, 0-4 or 0,2,5") from None
    if not seeds or any(s < 0 for s in seeds):
        raise UsageError(f"--seeds {text}: give seeds as 3, 0-4 or 0,2,5 (none negative)")
    return list(dict.fromkeys(seeds))


def configs(model: str, profile: str = "cpu", params=(), seeds: str | None = None) -> list[dict]:
    """The configs of a ``gdm train`` call: the profile's parameters (or, for a run id in place of
    ``model``, that run's config), then ``params`` (``name=value`` texts, commas making a sweep),
    for each seed; checked by ``make_config``."""
    from . import profiles
    from .config import COMMON, make_config
    from .models import REGISTRY, get_model_class

    if model not in REGISTRY:  # a run's id (or its start): that run's config
        from .runs import locate

        try:
            where = locate(model)
        except GdmError:
            get_model_class(model)  # the unknown model's error, naming the models
            raise
        if where.source == "group":
            raise UsageError(f"{where.id} is a group of seeds: resume it with the model and parameters of one of them")
        base, model = dict(where.config), where.config["model"]
        base.pop("model")
    else:
        base = profiles.profile(model, profile)
    cls = get_model_class(model)
    defaults = {**COMMON, **cls.defaults}
    axes = []
    for item in params:
        if "=" not in item:
            raise UsageError(f"-p {item}: write -p name=value")
        name, text = item.split("=", 1)
        name = name.strip()
        if name not in defaults or name == "model":
            raise ConfigError(f"unknown parameter {name!r} for model {model!r}; allowed: "
                              f"{', '.join(sorted(set(defaults) - {'model'}))}")
        if name == "seed" and seeds is not None:
            raise UsageError("give the seeds with --seeds or -p seed=..., not both")
        axes.append([(name, v) for v in parse_values(name, text, defaults[name])])
    seed_list = parse_seeds(seeds) if seeds is not None else [None]
    out = []
    for seed in seed_list:
        for combo in itertools.product(*axes):
            params_ = {**base, **dict(combo)}
            if seed is not None:
                params_["seed"] = seed
            out.append(make_config(model, **params_))
    return out


# ----------------------------------------------------------------------------- the verbs
def _tensorboard_dir(cfg: dict, tensorboard: str) -> Path:
    """Where a run's curves go: ``DIR/<run id>``, or ``DIR/<group id>`` for seeds trained as one
    (their history is the group's mean)."""
    from .runs import group_id, run_id

    return Path(tensorboard) / (group_id(cfg) if cfg["seed_group"] > 1 else run_id(cfg))


def _train_one(cfg: dict, device: str | None, tensorboard: str | None, progress: bool):
    from .runs import load_or_train
    from .train import TensorBoard

    hooks = [TensorBoard(_tensorboard_dir(cfg, tensorboard))] if tensorboard else []
    try:
        return load_or_train(cfg, device=device, progress=progress, on_log=hooks)
    finally:
        for h in hooks:
            h.close()


def train_job(cfgs: list[dict], device: str | None = None, tensorboard: str | None = None) -> None:
    """A sweep's job, in a process of its own on a Dask worker (:func:`sweep_job`): the runs of
    ``cfgs`` (the seeds of one group, trained together when ``seed_group`` > 1), one after the
    other, each printed with where it came from."""
    for cfg in cfgs:
        run = _train_one(cfg, device, tensorboard, progress=False)
        print(f"{run.id}: {run.source}, {run.seconds:.1f} s", flush=True)


def sweep_job(name: str, cfgs: list[dict], device, tensorboard, env: dict, log: str) -> dict:
    """Run on a Dask worker: :func:`train_job` in a new process with the client's ``GDM_*`` settings
    (``env``) and one thread, its output in ``log``; a failure names the log."""
    from .execute import run_logged

    code = "import json, sys; from gdm.cli import train_job; train_job(*json.loads(sys.argv[1]))"
    return run_logged(name, ["python", "-c", code, json.dumps([cfgs, device, tensorboard])], str(Path.cwd()), env, log)


def cmd_train(args) -> int:
    from . import dispatch, paths
    from .execute import _env
    from .runs import group_id, locate, run_id

    cfgs = configs(args.model, args.profile, args.param or (), args.seeds)
    tensorboard = str(Path(args.tensorboard).resolve()) if args.tensorboard else None
    if args.dry_run:
        for cfg in cfgs:
            print(f"{run_id(cfg)}  " + " ".join(f"{k}={v}" for k, v in cfg.items() if k != "model"))
        return 0
    if len(cfgs) == 1 and not args.scheduler:
        run = _train_one(cfgs[0], args.device, tensorboard, progress=not args.quiet)
        verb = {"store": "read from the store", "cache": "already trained (the run cache)"}.get(run.source, "trained")
        print(f"{run.id}  {verb}, {run.config['steps']:,} steps, {run.seconds:.1f} s; in {run.dir}", file=sys.stderr)
        print(run.id)
        return 0
    # a sweep: one Dask job per group of seeds trained together (one per run when seed_group is 1),
    # each in a process of its own with this process's GDM_* settings, its output in a log
    groups: dict[str, list[dict]] = {}
    for cfg in cfgs:
        groups.setdefault(group_id(cfg) if cfg["seed_group"] > 1 else run_id(cfg), []).append(cfg)
    logs = paths.runs_dir() / "logs"
    env = _env(1)
    jobs = [dispatch.Job(key, sweep_job, (key, g, args.device, tensorboard, env, str(logs / f"{key}.log")))
            for key, g in groups.items()]
    where = args.scheduler or f"a local Dask cluster of {args.jobs} worker(s), one thread each"

    def report(o):
        if o.ok:
            print(f"  {o.name}: done in {o.value['wall']:.1f} s", file=sys.stderr)
        elif o.error != dispatch.SKIPPED:
            print(f"  {o.name}: {o.error}", file=sys.stderr)

    with dispatch.client(args.jobs, args.scheduler) as client:
        print(f"{len(cfgs)} runs in {len(jobs)} jobs on {where}; logs in {logs}", file=sys.stderr)
        outcomes = dispatch.run_jobs(jobs, client, report)
    finished = []
    for cfg in cfgs:  # the ids of the runs that are there now, in the order of the sweep
        try:
            if locate(run_id(cfg)).finished:
                finished.append(run_id(cfg))
        except GdmError:
            pass
    for rid in finished:
        print(rid)
    failed = [o for o in outcomes.values() if not o.ok and o.error != dispatch.SKIPPED]
    skipped = sum(o.error == dispatch.SKIPPED for o in outcomes.values())
    if failed:
        print(f"gdm: {len(failed)} of {len(jobs)} jobs failed" + (f", {skipped} not started after it" if skipped else "")
              + f"; {len(finished)} of {len(cfgs)} runs finished. First: {failed[0].error}", file=sys.stderr)
        return 1
    return 0


def _load(name: str):
    """A finished run by id (or the start of one), read from where it is: never trains."""
    from .runs import locate, read

    return read(locate(name))


def cmd_sample(args) -> int:
    import matplotlib

    matplotlib.use("Agg")
    import torch

    from . import data, plot

    out = Path(args.output or f"{args.run}-samples.png")
    import matplotlib.pyplot as plt

    kinds = plt.figure().canvas.get_supported_filetypes()
    plt.close("all")
    if out.suffix.lstrip(".").lower() not in kinds:
        raise UsageError(f"-o {out}: the figure's name must end in one of .{', .'.join(sorted(kinds))}")
    run = _load(args.run)
    out = Path(args.output or f"{run.id}-samples.png")
    if run.config["model"] == "classifier":
        raise UsageError(f"{run.id} is a classifier (the evaluation's feature network): it draws no samples")
    with torch.no_grad():
        x = run.model.sample(args.n, torch.Generator().manual_seed(args.seed)).detach().cpu().float()
    name = run.config["dataset"]
    title = f"{run.id}: {args.n} samples (seed {args.seed})"
    if x.dim() == 4:
        fig = plot.image_grid(x, nrow=int(math.ceil(math.sqrt(args.n))), title=title)
    elif x.dim() == 2 and x.shape[1] == 2:
        toy = data.toy(name)
        fig = plot.scatter2d(x, None, getattr(toy, "means", None), title=title)
    else:
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(5, 3))
        ax.hist(x.flatten().numpy(), bins=60, density=True)
        ax.set_title(title, fontsize=9)
    fig = fig if hasattr(fig, "savefig") else fig.figure
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110, bbox_inches="tight")
    print(out)
    return 0


def evaluation(run, n: int | None = None, seed: int = 0) -> dict:
    """What ``gdm evaluate`` measures: the standard block for an image data set, mode coverage
    (within 3 standard deviations, as the toy protocol) for a Gaussian mixture."""
    import torch

    from . import data, metrics

    name = run.config["dataset"]
    if run.config["model"] == "classifier":
        raise UsageError(f"{run.id} is a classifier (the evaluation's feature network): nothing to evaluate")
    if name in data.IMAGE_SETS:
        block = metrics.evaluate(run.model, name, seed=seed, n=n)
        return {k: v for k, v in block.items() if isinstance(v, (int, float, str, bool))}
    toy = data.toy(name) if name in data.TOYS else None
    if toy is not None and hasattr(toy, "means"):
        with torch.no_grad():
            x = run.model.sample(n or 10_000, torch.Generator().manual_seed(seed)).detach().cpu().double()
        c = metrics.mode_coverage(x, toy.means, toy.std)
        return {"modes_covered": c["modes_covered"], "modes_total": c["modes_total"],
                "high_quality": c["high_quality"], "n_samples": len(x)}
    raise UsageError(f"no standard evaluation for data set {name!r}: the standard block needs an image data set "
                     f"({', '.join(data.IMAGE_SETS)}), mode coverage a Gaussian mixture (ring, grid, their _scaled "
                     f"versions, mixture1d, mixture2d); its chapter measures the rest")


def cmd_evaluate(args) -> int:
    run = _load(args.run)
    block = evaluation(run, args.n, args.seed)
    if args.json:
        print(json.dumps({"run": run.id, **block}, indent=1))
        return 0
    print(f"{run.id} ({run.config['model']} on {run.config['dataset']}, {run.config['steps']:,} steps)")
    width = max(map(len, block))
    for k, v in block.items():
        print(f"  {k:<{width}}  {v:.4g}" if isinstance(v, float) else f"  {k:<{width}}  {v}")
    return 0


def cmd_runs(args) -> int:
    from .runs import listing

    rows = listing()
    if args.model:
        rows = [w for w in rows if w.config.get("model") == args.model]
    if args.json:
        print(json.dumps([{"id": w.id, "source": w.source, "status": w.status, "dir": str(w.dir),
                           "model": w.config.get("model"), "dataset": w.config.get("dataset"),
                           "steps": w.config.get("steps"), "seed": w.config.get("seed", w.config.get("seeds"))}
                          for w in rows], indent=1))
        return 0
    if not rows:
        print("no runs: `gdm train MODEL` trains one")
        return 0
    print(f"{'run':<28} {'where':<6} {'dataset':<12} {'steps':>7} {'seed':>5}  status")
    for w in rows:
        seed = w.config.get("seed") if w.source != "group" else ",".join(map(str, w.config.get("seeds", [])))
        print(f"{w.id:<28} {w.source:<6} {str(w.config.get('dataset')):<12} {w.config.get('steps', 0):>7,} "
              f"{str(seed):>5}  {w.status}")
    counts = {s: sum(w.source == s for w in rows) for s in ("store", "cache", "group")}
    print(f"{len(rows)} runs: {counts['store']} in the store, {counts['cache']} in the run cache"
          + (f", {counts['group']} groups of seeds training" if counts["group"] else ""))
    return 0


def history_summary(history: dict) -> dict:
    """Per logged quantity: its points, first, last, smallest and largest value."""
    out = {}
    for k, v in history.items():
        if k in ("step", "events", "seconds", "group") or not isinstance(v, list) or not v:
            continue
        vals = [x for x in v if isinstance(x, (int, float))]
        if vals:
            out[k] = {"points": len(vals), "first": vals[0], "last": vals[-1], "min": min(vals), "max": max(vals)}
    return out


def cmd_show(args) -> int:
    from .config import COMMON
    from .models import get_model_class
    from .runs import LIVE_HISTORY, LiveHistory, locate

    w = locate(args.run)
    try:
        if w.source == "store" or (w.finished and w.source == "cache"):
            history = json.loads((w.dir / "history.json").read_text())
            record = json.loads((w.dir / ("record.json" if w.source == "store" else "done.json")).read_text())
        else:  # training, interrupted, or a group of seeds: the history written so far
            history, record = LiveHistory.read(w.dir / LIVE_HISTORY), {}
    except (OSError, ValueError) as err:
        raise GdmError(f"{w.dir}: its files cannot be read ({err}); `gdm train {w.id}` trains it again") from None
    defaults = {**COMMON, **get_model_class(w.config["model"]).defaults}
    summary = history_summary(history)
    if args.json:
        print(json.dumps({"id": w.id, "dir": str(w.dir), "source": w.source, "status": w.status,
                          "config": w.config, "record": record, "history": summary}, indent=1))
        return 0
    print(f"{w.id}  ({w.source}: {w.dir})\nstatus: {w.status}\n\nconfig (* differs from the model's default):")
    for k, v in w.config.items():
        if k != "seeds":
            print(f"  {'*' if k in defaults and k != 'model' and defaults[k] != v else ' '} {k} = {v!r}")
    if w.source == "group":
        print(f"  (the seeds {', '.join(map(str, w.config['seeds']))} trained as one group: the history is their mean)")
    if record:
        print("\ntraining record:")
        for k in ("device", "seconds", "steps", "threads", "trained_at", "commit", "torch", "group", "nets"):
            if k in record:
                print(f"    {k} = {record[k]}")
    steps = history.get("step", [])
    print(f"\nhistory: {len(steps)} points" + (f", steps {steps[0]:,} to {steps[-1]:,}" if steps else "")
          + (f", {len(history.get('events', []))} events" if history.get("events") else ""))
    if summary:
        width = max(map(len, summary))
        print(f"  {'':<{width}}  {'first':>10} {'last':>10} {'min':>10} {'max':>10}")
        for k, s in summary.items():
            print(f"  {k:<{width}}  {s['first']:>10.4g} {s['last']:>10.4g} {s['min']:>10.4g} {s['max']:>10.4g}")
    return 0


# ----------------------------------------------------------------------------- the parser
def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def parser() -> argparse.ArgumentParser:
    from .models import REGISTRY
    from .profiles import PROFILES

    from . import __version__

    p = argparse.ArgumentParser(prog="gdm", description="Train, sample, evaluate and inspect the book's runs.",
                                epilog="`gdm VERB --help` says more about each verb.")
    p.add_argument("--version", action="version", version=f"gdm {__version__}")
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True)

    t = verbs.add_parser("train", help="train (or resume) a run, or a sweep of seeds and settings",
                         description="Train MODEL at a profile of its chapter with parameters overridden, or resume "
                                     "it; a run already in the store or the run cache is read, not trained again. "
                                     "Several seeds or comma-separated values make a sweep, run on Dask.")
    t.add_argument("model", metavar="MODEL", help=f"one of: {', '.join(REGISTRY)}; or a run's id (or its start), to "
                                                 f"resume it or train it again with -p changes")
    t.add_argument("-p", "--param", action="append", metavar="NAME=VALUE",
                   help="a parameter of the model's config (repeatable); commas make a sweep: -p lr=1e-4,2e-4; "
                        "a list: -p g_hidden=64,64 (a sweep of lists: [64,64],[128,128])")
    t.add_argument("--profile", default="cpu", choices=PROFILES + ("defaults",),
                   help="the chapter's headline run at its parameters: smoke (CI's), cpu (the notebook's defaults), "
                        "paper (for a GPU); defaults: the model's own defaults, no chapter needed; default cpu")
    t.add_argument("--seeds", metavar="SEEDS", help="training seeds: 3, 0-4 or 0,2,5 (default: the profile's seed)")
    t.add_argument("--jobs", type=_positive, default=2, help="a sweep's local Dask workers, one thread each (default 2)")
    t.add_argument("--scheduler", metavar="ADDRESS",
                   help="a running Dask scheduler (tcp://host:8786) whose workers see this checkout at the same path")
    t.add_argument("--device", default=None, help="cpu, cuda, cuda:1 ... (default: CUDA when present, else the CPU)")
    t.add_argument("--tensorboard", metavar="DIR",
                   help="also write the training curves to DIR/<run id> for TensorBoard (needs the tensorboard "
                        "package)")
    t.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    t.add_argument("-n", "--dry-run", action="store_true", help="print the configs and run ids, train nothing")
    t.set_defaults(func=cmd_train)

    s = verbs.add_parser("sample", help="a grid of samples of a finished run", description="Draw samples from a "
                         "finished run and save them as a figure (images: a grid; 2-D toys: a scatter over the modes).")
    s.add_argument("run", metavar="RUN", help="a run id, or its first characters (`gdm runs` lists them)")
    s.add_argument("--n", type=_positive, default=64, help="samples to draw (default 64)")
    s.add_argument("-o", "--output", metavar="FILE", help="the figure (default RUN-samples.png); .png, .pdf or .svg")
    s.add_argument("--seed", type=int, default=0, help="seed of the samples' noise (default 0)")
    s.set_defaults(func=cmd_sample)

    e = verbs.add_parser("evaluate", help="the standard block of a finished run",
                         description="Image data: the standard block (FD, KD, precision, recall, density, coverage, "
                                     "classes covered, each beside the real digits' floor). Gaussian-mixture toys: "
                                     "mode coverage.")
    e.add_argument("run", metavar="RUN", help="a run id, or its first characters")
    e.add_argument("--n", type=_positive, default=None,
                   help="samples (default: the block's 10,000, capped by held-out data)")
    e.add_argument("--seed", type=int, default=0, help="seed of the samples and of the evaluation (default 0)")
    e.add_argument("--json", action="store_true", help="print JSON")
    e.set_defaults(func=cmd_evaluate)

    r = verbs.add_parser("runs", help="the runs of the store and the run cache, with their status",
                         description="Every run of the store (results/runs/) and of the run cache (GDM_HOME/runs), "
                                     "finished or interrupted, and groups of seeds still training.")
    r.add_argument("--model", help="only this model's runs")
    r.add_argument("--json", action="store_true", help="print JSON")
    r.set_defaults(func=cmd_runs)

    w = verbs.add_parser("show", help="a run's config, training record and history",
                         description="A run's config (marking what differs from the model's defaults), where and how "
                                     "it was trained, and a summary of its history (also while it trains).")
    w.add_argument("run", metavar="RUN", help="a run id, or its first characters")
    w.add_argument("--json", action="store_true", help="print JSON")
    w.set_defaults(func=cmd_show)
    return p


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except TrainingDivergedError as err:
        print(f"gdm: {err}", file=sys.stderr)
        return 1
    except (GdmError, OSError, KeyboardInterrupt) as err:
        if isinstance(err, KeyboardInterrupt):
            print("gdm: interrupted; a run resumes from its last checkpoint when trained again", file=sys.stderr)
            return 130
        print(f"gdm: error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
