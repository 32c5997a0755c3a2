import os

import pytest
import torch


def pytest_configure(config):
    """Under pytest-xdist each worker process gets its own GDM_HOME (a subfolder of the one given): the
    notebooks it runs (nbval starts their kernels with this process's environment) then train and
    cache their runs apart from another worker's, with no two processes writing one run."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker and os.environ.get("GDM_HOME"):
        os.environ["GDM_HOME"] = os.path.join(os.environ["GDM_HOME"], worker)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    """Every test writes runs and results under its own temporary GDM_HOME."""
    monkeypatch.setenv("GDM_HOME", str(tmp_path / "gdm-home"))
    monkeypatch.setenv("GDM_PROGRESS", "0")
    torch.manual_seed(0)


@pytest.fixture
def train_in_stops():
    """``train_in_stops(cfg, shape, dataset, ckpt, stops, init=False)``: a model trained to
    ``stops[-1]`` steps, stopping (and rebuilding it from the checkpoint ``ckpt``) at each of
    ``stops``, seeded alike each time; the resume tests compare ``[n]`` with ``[k, n]``.
    ``init``: call ``init_from_data(None)`` before a run's first step (models that draw state,
    e.g. the AAE's labelled subset, there)."""
    from gdm import data, models
    from gdm.train import train

    def run(cfg, shape, dataset, ckpt, stops, init=False):
        for stop in stops:
            torch.manual_seed(0)
            model = models.build(cfg, shape)
            if init and not ckpt.exists():
                model.init_from_data(None)
            batches = data.Batches(dataset, cfg["batch_size"], 0, labels=model.needs_labels)
            train(model, batches, stop, checkpoint=ckpt, checkpoint_every=3, progress=False)
        return model

    return run
