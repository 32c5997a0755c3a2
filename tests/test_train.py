import json

import pytest
import torch

from gdm import data, models
from gdm.config import make_config
from gdm.errors import GdmError, TrainingDivergedError
from gdm.runs import load_or_train, run_id
from gdm.train import train

# a small GAN on the ring, with dropout so that the RNG state matters for resuming
SMALL = dict(dataset="ring", batch_size=32, z_dim=2, z_prior="normal", g_hidden=[32, 32], d_arch="mlp",
             d_hidden=[32, 32], d_dropout=0.2, d_input_dropout=0.0, k=2, log_every=7)


def fresh(cfg):
    torch.manual_seed(cfg["seed"])
    return models.build(cfg, data.shape_of(cfg["dataset"]))


def params(model):
    return torch.cat([p.detach().flatten() for p in model.parameters()])


def test_resume_equals_uninterrupted(tmp_path):
    cfg = make_config("gan", steps=60, **SMALL)
    batches = data.Batches(cfg["dataset"], cfg["batch_size"], cfg["seed"])
    straight = fresh(cfg)
    h_straight = train(straight, batches, 60, log_every=7)

    def interrupt(step, model, logs):
        if step == 27:
            raise KeyboardInterrupt  # killed mid-run; the checkpoint of step 25 is on disk

    with pytest.raises(KeyboardInterrupt):
        train(fresh(cfg), batches, 60, checkpoint=tmp_path / "ckpt.pt", checkpoint_every=5, log_every=7,
              callbacks=[interrupt])
    assert torch.load(tmp_path / "ckpt.pt", weights_only=False)["step"] == 25
    torch.manual_seed(12345)  # the resumed process starts from another RNG state
    resumed = fresh(cfg)
    h_resumed = train(resumed, batches, 60, checkpoint=tmp_path / "ckpt.pt", checkpoint_every=5, log_every=7)

    assert torch.equal(params(straight), params(resumed))
    for k in ("step", "d_loss", "g_loss"):
        assert h_resumed[k] == h_straight[k]
    for k, opt in straight.optimizers.items():
        s1, s2 = opt.state_dict()["state"], resumed.optimizers[k].state_dict()["state"]
        assert all(torch.equal(s1[i]["exp_avg"], s2[i]["exp_avg"]) for i in s1)


def test_history_means_over_log_intervals():
    cfg = make_config("gan", steps=20, **SMALL)
    h = train(fresh(cfg), data.Batches("ring", 32, 0), 20, log_every=7)
    assert h["step"] == [7, 14, 20] and len(h["d_loss"]) == 3 and h["seconds"] > 0


def test_same_seed_same_run_other_seed_other_run(tmp_path):
    cfg = make_config("gan", steps=30, **SMALL)
    a = load_or_train(cfg, root=tmp_path / "a")
    b = load_or_train(cfg, root=tmp_path / "b")
    assert a.history["d_loss"] == b.history["d_loss"] and torch.equal(params(a.model), params(b.model))
    c = load_or_train({**cfg, "seed": 1}, root=tmp_path / "a")
    assert c.id != a.id and c.history["d_loss"] != a.history["d_loss"]


def test_finished_runs_are_reused_and_never_overwritten(tmp_path):
    cfg = make_config("gan", steps=20, **SMALL)
    first = load_or_train(cfg, root=tmp_path)
    again = load_or_train(cfg, root=tmp_path)
    assert not first.reused and again.reused and again.id == first.id == run_id(cfg)
    assert torch.equal(params(first.model), params(again.model))
    assert again.history["d_loss"] == first.history["d_loss"]
    # the device and the checkpoint interval are not part of a run's identity
    assert run_id({**cfg, "checkpoint_every": 3}) == first.id
    # a directory whose stored config differs is refused
    (first.dir / "done.json").unlink()
    stored = json.loads((first.dir / "config.json").read_text())
    (first.dir / "config.json").write_text(json.dumps({**stored, "lr": 0.5}))
    with pytest.raises(GdmError, match="refusing to overwrite"):
        load_or_train(cfg, root=tmp_path)


def test_nan_guard_stops_and_keeps_the_last_good_checkpoint(tmp_path, monkeypatch):
    cfg = make_config("gan", steps=40, checkpoint_every=10, **SMALL)
    model = fresh(cfg)
    real_step = type(model).train_step

    def poisoned(self, batch, step):
        logs = real_step(self, batch, step)
        return {**logs, "d_loss": float("nan")} if step == 23 else logs

    monkeypatch.setattr(type(model), "train_step", poisoned)
    ckpt = tmp_path / "ckpt.pt"
    with pytest.raises(TrainingDivergedError, match=r"step 23: d_loss = nan.*last good checkpoint \(step 20\)"):
        train(model, data.Batches("ring", 32, 0), 40, checkpoint=ckpt, checkpoint_every=10)
    assert torch.load(ckpt, weights_only=False)["step"] == 20
