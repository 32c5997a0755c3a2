"""The one training loop, for every model of the book.

It owns what no model should repeat: the device, the mini-batches, the history, checkpoints
every N steps (written atomically), resuming, a NaN guard, callbacks and a progress bar.
A resumed run computes exactly what an uninterrupted one does: mini-batches are a function
of (seed, step) and the checkpoint holds the nets, the optimizers and the RNG state.
"""
from __future__ import annotations

import contextlib
import math
import os
import sys
import time
from pathlib import Path

import torch

from .errors import TrainingDivergedError


#: intra-op threads of every CPU training run, whoever trains it (a notebook, make benchmark, a test):
#: the same run computed with another thread count sums in another order and comes out different
#: (the feature network's FD of real digits moved from 20.2 to 22.7 between two and one thread), so
#: the count is fixed rather than taken from the process; evaluation keeps the process's threads.
TRAIN_THREADS = 1


@contextlib.contextmanager
def training_threads(device: torch.device):
    """``TRAIN_THREADS`` intra-op threads inside the block on the CPU, then the process's again."""
    before = torch.get_num_threads()
    if torch.device(device).type == "cpu":
        torch.set_num_threads(TRAIN_THREADS)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def step_precision(model, device: torch.device):
    """The context a training step runs in: ``torch.autocast`` to bfloat16 where the model's config
    asks for ``precision = "bfloat16"``, else nothing. Without autocast's cache of cast weights: a
    step updates its nets in place several times (a critic's k updates, then the generator's), and
    a cached cast would keep serving the weights as they were when the step began."""
    if getattr(model, "cfg", {}).get("precision", "float32") == "bfloat16":
        return torch.autocast(torch.device(device).type, dtype=torch.bfloat16, cache_enabled=False)
    return contextlib.nullcontext()


def pick_device(device: str | None = None) -> torch.device:
    """``None`` or ``"auto"``: CUDA when present, else the CPU."""
    if device in (None, "auto"):
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(device)


def progress_enabled(progress: bool | None = None) -> bool:
    """A bar in interactive use only: ``GDM_PROGRESS=0`` (set when the book is executed) hides it."""
    if progress is not None:
        return progress
    env = os.environ.get("GDM_PROGRESS", "auto")
    if env in ("0", "1"):
        return env == "1"
    return sys.stderr.isatty() or "ipykernel" in sys.modules


def save_atomic(obj, path: Path) -> None:
    """torch.save to a temporary file, then rename: a crash never leaves half a checkpoint."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    torch.save(obj, tmp)
    os.replace(tmp, path)


def _rng_state() -> dict:
    state = {"torch": torch.get_rng_state()}
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def _byte_state(t) -> torch.Tensor:
    """An RNG state as ``torch.set_rng_state`` takes it: a CPU uint8 tensor. A checkpoint loaded
    with ``map_location="cuda"`` moves the saved states to the GPU, where they cannot be set."""
    return torch.as_tensor(t).detach().to(device="cpu", dtype=torch.uint8)


def _set_rng_state(state: dict) -> None:
    torch.set_rng_state(_byte_state(state["torch"]))
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all([_byte_state(s) for s in state["cuda"]])


def rng_devices(device: torch.device) -> list[int]:
    """The CUDA devices whose RNG a forked block must save and restore (none on the CPU)."""
    device = torch.device(device)
    if device.type != "cuda":
        return []
    return [device.index if device.index is not None else torch.cuda.current_device()]


class LiveHistory:
    """The history written as it grows: one JSON line per logged step (``{"step": ..., loss: mean}``),
    appended and flushed when the loop logs, so that a long run can be watched (``gdm show RUN``,
    ``tail -f``) before it ends. A resumed run first drops the lines past its checkpoint's step,
    which the interrupted run had logged and the resumed one logs again (:meth:`start`)."""

    def __init__(self, path):
        self.path = Path(path)

    def start(self, history: dict) -> None:
        """Begin the file with ``history`` (a resumed run's, from its checkpoint; a new run's is empty):
        whatever an interrupted run logged past its checkpoint is dropped, and a file that was lost
        is written again."""
        import json

        steps = history.get("step", [])
        keys = [k for k, v in history.items() if k not in ("step", "events") and isinstance(v, list) and len(v) == len(steps)]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text("".join(json.dumps({"step": st, **{k: history[k][i] for k in keys}}) + "\n"
                                     for i, st in enumerate(steps)))

    def __call__(self, step: int, means: dict) -> None:
        import json

        with open(self.path, "a") as fh:
            fh.write(json.dumps({"step": step, **means}) + "\n")

    @staticmethod
    def read(path) -> dict:
        """A live history file as a history (``{"step": [...], loss: [...]}``); empty when missing."""
        import json

        out = new_history()
        del out["events"]
        path = Path(path)
        if not path.exists():
            return out
        for line in path.read_text().splitlines():
            try:
                row = json.loads(line)
            except ValueError:
                break
            for k, v in row.items():
                out.setdefault(k, []).append(v)
        return out


class TensorBoard:
    """An ``on_log`` hook of :func:`train` writing each logged mean as a TensorBoard scalar under
    ``logdir`` (``tensorboard --logdir DIR`` shows them while the run trains). Needs the optional
    ``tensorboard`` package."""

    def __init__(self, logdir, tag_prefix: str = ""):
        try:
            import tensorboard  # noqa: F401  (torch.utils.tensorboard needs it)
        except ImportError as err:
            from .errors import GdmError

            raise GdmError("TensorBoard logging needs the tensorboard package: pip install tensorboard "
                           "(or pip install 'gdm[tensorboard]')") from err
        self.logdir, self.prefix, self.writer = Path(logdir), tag_prefix, None

    def __call__(self, step: int, means: dict) -> None:
        if self.writer is None:  # created at the first point: a run read from the store writes nothing
            from torch.utils.tensorboard import SummaryWriter

            # a resumed run logs again the steps an interrupted one logged past its checkpoint:
            # TensorBoard drops the events from this first step on
            self.writer = SummaryWriter(log_dir=str(self.logdir), flush_secs=5, purge_step=step)
        for k, v in means.items():
            self.writer.add_scalar(self.prefix + k, v, step)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def new_history() -> dict:
    """Column-wise: ``history['step'][i]`` is the step of the i-th logged mean of each loss."""
    return {"step": [], "events": []}


def train(model, batches, steps: int, *, checkpoint=None, checkpoint_every: int = 500, log_every: int = 10,
          callbacks=(), progress: bool | None = None, device=None, live=None, on_log=()) -> dict:
    """Train ``model`` to ``steps`` steps; resume from ``checkpoint`` when it exists.

    ``batches(step, count)`` gives the data of a step (a :class:`gdm.data.Batches` without
    ``counts`` is given the model's ``batches_at``). Every ``log_every`` steps the mean of
    each logged loss over those steps goes into the history. ``callbacks`` are called as
    ``cb(step, model, logs)`` after every step, inside a fork of the RNG (torch's global
    generator, and CUDA's), so that what a callback draws or seeds cannot change training; a dict
    they return is stored in ``history['events']`` with its step. ``live``: a file the history is
    written to as it grows (:class:`LiveHistory`); ``on_log``: functions called as ``fn(step, means)``
    each time the loop logs (e.g. :class:`TensorBoard`). On the CPU the loop runs with
    ``TRAIN_THREADS`` threads (callbacks too), whatever the process's setting. Returns the history; the run's wall-clock seconds
    (summed over resumptions) are in ``history['seconds']``.
    """
    from .data import Batches

    device = pick_device(device)
    model.to(device)
    if isinstance(batches, Batches) and batches.counts is None:
        batches = batches.with_counts(model.batches_at)
    forked = rng_devices(device)
    checkpoint = Path(checkpoint) if checkpoint is not None else None
    start, history, sums, seconds = 0, new_history(), {}, 0.0
    if checkpoint is not None and checkpoint.exists():
        state = torch.load(checkpoint, map_location=device, weights_only=False)
        model.load_checkpoint_state(state["model"])
        _set_rng_state(state["rng"])
        start, history, sums, seconds = state["step"], state["history"], state["sums"], state["seconds"]

    def save(step: int) -> None:
        if checkpoint is not None:
            save_atomic({"step": step, "model": model.checkpoint_state(), "rng": _rng_state(),
                         "history": history, "sums": sums, "seconds": seconds + time.perf_counter() - t0},
                        checkpoint)

    log_hooks = list(on_log)
    if live is not None:
        live = LiveHistory(live)
        live.start(history)
        log_hooks.insert(0, live)

    bar = None
    if progress_enabled(progress) and start < steps:
        from tqdm import tqdm

        bar = tqdm(total=steps, initial=start, file=sys.stderr, mininterval=1.0, desc=type(model).__name__)
    t0 = time.perf_counter()
    with training_threads(device):
        for step in range(start, steps):
            batch = batches(step, model.batches_at(step))
            batch = tuple(b.to(device) for b in batch) if isinstance(batch, tuple) else batch.to(device)
            with step_precision(model, device):
                logs = model.train_step(batch, step)
            bad = {k: v for k, v in logs.items() if not math.isfinite(v)}
            if bad:
                if bar is not None:
                    bar.close()
                kept = (f"the last good checkpoint (step {torch.load(checkpoint, weights_only=False)['step']}) "
                        f"is kept at {checkpoint}" if checkpoint is not None and checkpoint.exists()
                        else "no checkpoint was written yet")
                err = TrainingDivergedError(
                    f"training diverged at step {step}: {', '.join(f'{k} = {v}' for k, v in bad.items())}; "
                    f"{kept}. Rerunning the same configuration resumes from there and diverges again: "
                    f"change a hyper-parameter (a lower lr, another seed) to start a new run."
                )
                err.step = step
                raise err
            sums["_n"] = sums.get("_n", 0) + 1
            for k, v in logs.items():
                sums[k] = sums.get(k, 0.0) + v
            for cb in callbacks:
                with torch.random.fork_rng(devices=forked):
                    event = cb(step, model, logs)
                if event:
                    history["events"].append({"step": step, **event})
            done = step + 1
            if done % log_every == 0 or done == steps:
                n = sums.pop("_n")
                history["step"].append(done)
                means = {k: total / n for k, total in sums.items()}
                for k, mean in means.items():
                    history.setdefault(k, []).append(mean)
                sums = {}
                for hook in log_hooks:
                    hook(done, means)
            if bar is not None:
                bar.update(1)
                if done % log_every == 0:
                    bar.set_postfix({k: f"{v:.3g}" for k, v in logs.items()}, refresh=False)
            if done % checkpoint_every == 0 or done == steps:
                save(done)
        if bar is not None:
            bar.close()
    history["seconds"] = seconds + time.perf_counter() - t0
    return history
