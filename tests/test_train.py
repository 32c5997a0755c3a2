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


def test_a_checkpoint_whose_rng_states_are_not_cpu_byte_tensors_resumes(tmp_path):
    """torch.load(map_location=device) moves the saved RNG states to the GPU, where
    torch.set_rng_state refuses them (it takes CPU uint8 tensors only): every interrupted run on a
    GPU failed to resume. Here the states are stored in another dtype, which set_rng_state refuses
    the same way; the resumed run must still equal the uninterrupted one."""
    cfg = make_config("gan", steps=30, **SMALL)
    batches = data.Batches(cfg["dataset"], cfg["batch_size"], cfg["seed"])
    straight = fresh(cfg)
    train(straight, batches, 30)
    ckpt = tmp_path / "ckpt.pt"
    train(fresh(cfg), batches, 15, checkpoint=ckpt, checkpoint_every=15)
    state = torch.load(ckpt, weights_only=False)
    state["rng"] = {k: (v.to(torch.int64) if torch.is_tensor(v) else [t.to(torch.int64) for t in v])
                    for k, v in state["rng"].items()}
    torch.save(state, ckpt)
    resumed = fresh(cfg)
    train(resumed, batches, 30, checkpoint=ckpt, checkpoint_every=15)
    assert torch.equal(params(straight), params(resumed))


def test_the_resume_path_takes_rng_states_from_any_device_map(tmp_path, monkeypatch):
    """The load path with a device map: whatever ``map_location`` makes of the RNG tensors, the
    states set are CPU byte tensors."""
    from gdm import train as train_module

    cfg = make_config("gan", steps=20, **SMALL)
    batches = data.Batches(cfg["dataset"], cfg["batch_size"], cfg["seed"])
    ckpt = tmp_path / "ckpt.pt"
    train(fresh(cfg), batches, 10, checkpoint=ckpt, checkpoint_every=10)
    real_load, seen = torch.load, []

    def mapped_load(path, map_location=None, **kw):  # as if the map had moved every tensor away
        state = real_load(path, map_location=map_location, **kw)
        seen.append(map_location)
        state["rng"]["torch"] = state["rng"]["torch"].to(torch.int32)
        return state

    real_set = torch.set_rng_state
    set_with = []
    monkeypatch.setattr(train_module.torch, "load", mapped_load)
    monkeypatch.setattr(train_module.torch, "set_rng_state", lambda t: (set_with.append(t), real_set(t)))
    train(fresh(cfg), batches, 20, checkpoint=ckpt, checkpoint_every=10)
    assert seen and set_with and all(t.dtype == torch.uint8 and t.device.type == "cpu" for t in set_with)


def _dropout_gan(steps):
    return make_config("gan", steps=steps, dataset="ring", batch_size=32, z_dim=2, z_prior="normal", g_hidden=[16],
                       d_arch="mlp", d_hidden=[16], d_dropout=0.3, d_input_dropout=0.1, log_every=5)


def test_a_callback_that_loads_finished_runs_does_not_change_training(tmp_path):
    """metrics.fd_callback reads the feature network through load_or_train, which seeded torch's
    global RNG even for a finished run: generator noise and dropout masks then repeated every
    ``every`` steps, and a run trained with the callback differed from the same run (same id)
    without it. A callback that loads finished runs (and one that reseeds outright) must leave the
    run bit-identical."""
    finished = make_config("gan", steps=3, **SMALL)
    load_or_train(finished, root=tmp_path / "store")

    def loads(step, model, logs):
        if step % 4 == 0:
            load_or_train(finished, root=tmp_path / "store")
            return {"loaded": True}

    def reseeds(step, model, logs):
        torch.manual_seed(step % 3)
        torch.rand(7)

    cfg = _dropout_gan(25)
    plain = load_or_train(cfg, root=tmp_path / "plain")
    with_cb = load_or_train(cfg, root=tmp_path / "cb", callbacks=[loads, reseeds])
    assert torch.equal(params(plain.model), params(with_cb.model))
    assert plain.history["d_loss"] == with_cb.history["d_loss"]
    assert [e["step"] for e in with_cb.history["events"]] == [0, 4, 8, 12, 16, 20, 24]


def test_fd_callback_does_not_change_training(tmp_path):
    """The case of chapters 03, 06 and 09: an FD callback (its feature network trained first, then
    read at every call) leaves the training bit-identical."""
    from gdm import metrics

    cfg = make_config("gan", steps=12, dataset="mnist5k", batch_size=16, z_dim=8, g_hidden=[32], d_arch="mlp",
                      d_hidden=[32], d_dropout=0.3, d_input_dropout=0.1, log_every=4)
    metrics.feature_net("mnist5k", steps=2)  # finished before the run, as in the book
    cb = metrics.fd_callback(every=4, dataset="mnist5k", n=50, reference=100, feature_steps=2)
    plain = load_or_train(cfg, root=tmp_path / "plain")
    with_cb = load_or_train(cfg, root=tmp_path / "cb", callbacks=[cb])
    assert len(with_cb.history["events"]) == 3
    assert torch.equal(params(plain.model), params(with_cb.model))


def test_load_or_train_leaves_the_callers_rng_alone(tmp_path):
    """Reused or trained, a run leaves torch's global RNG where it was: a notebook's later draws
    do not depend on whether its runs were cached."""
    cfg = _dropout_gan(5)
    torch.manual_seed(7)
    load_or_train(cfg, root=tmp_path)  # trained
    after_training = torch.rand(3)
    torch.manual_seed(7)
    load_or_train(cfg, root=tmp_path)  # reused
    after_reuse = torch.rand(3)
    torch.manual_seed(7)
    assert torch.equal(after_training, torch.rand(3)) and torch.equal(after_reuse, after_training)


def test_a_run_comes_out_the_same_whatever_the_processs_thread_count():
    """The feature network trained by `make benchmark` (two threads) differed from the one the
    book's executor trains (one thread), and every FD and KD moved with it. Training runs with
    TRAIN_THREADS threads on the CPU, whatever the process's setting, and gives it back after."""
    from gdm.train import TRAIN_THREADS

    cfg = make_config("classifier", dataset="mnist5k", steps=15, batch_size=128)
    before = torch.get_num_threads()
    out, seen = [], []
    try:
        for threads in (1, 2):
            torch.set_num_threads(threads)
            model = fresh(cfg)
            train(model, data.Batches("mnist5k", 128, 0, labels=True), 15,
                  callbacks=[lambda step, m, logs: seen.append(torch.get_num_threads())])
            assert torch.get_num_threads() == threads  # the process's setting, given back
            out.append(params(model))
    finally:
        torch.set_num_threads(before)
    assert set(seen) == {TRAIN_THREADS}
    assert torch.equal(out[0], out[1])


def test_bfloat16_is_opt_in_and_keeps_float32_run_ids():
    from gdm.errors import UnknownNameError

    assert run_id(make_config("gan", precision="float32")) == run_id(make_config("gan"))
    assert run_id(make_config("gan", precision="bfloat16")) != run_id(make_config("gan"))
    with pytest.raises(UnknownNameError, match="bfloat16"):
        make_config("gan", precision="float16")


def test_bfloat16_steps_multiply_in_bfloat16_and_resume_exactly(tmp_path):
    cfg = make_config("gan", steps=30, precision="bfloat16", **SMALL)
    seen, outside = [], []
    model = fresh(cfg)
    start = params(model)
    hook = model.generator[0].register_forward_hook(lambda m, i, o: seen.append(o.dtype))
    batches = data.Batches(cfg["dataset"], cfg["batch_size"], cfg["seed"])

    def callback(step, m, logs):  # what evaluation inside training (an FD callback) sees
        outside.append((torch.is_autocast_enabled("cpu"), m.sample(4).dtype))

    train(model, batches, 30, log_every=7, callbacks=[callback])
    hook.remove()
    assert seen and all(d == torch.bfloat16 for d in seen[:3])  # the step's products, under autocast
    assert outside and all(not on and d == torch.float32 for on, d in outside)  # callbacks are not autocast
    assert all(p.dtype == torch.float32 for p in model.parameters())  # weights stay float32
    g0 = sum(p.numel() for p in model.generator.parameters())
    assert not torch.equal(params(model)[:g0], start[:g0])  # the generator trained
    first = fresh(cfg)
    train(first, batches, 13, checkpoint=tmp_path / "c.pt", log_every=7)
    resumed = fresh(cfg)
    train(resumed, batches, 30, checkpoint=tmp_path / "c.pt", log_every=7)
    assert torch.equal(params(resumed), params(model))
    float32 = fresh(make_config("gan", steps=30, **SMALL))
    train(float32, batches, 30, log_every=7)
    assert not torch.equal(params(float32), params(model))  # another arithmetic, another run


def test_a_bfloat16_step_sees_the_weights_its_own_updates_left():
    """k critic updates, then the generator's, in one step: each forward must read the weights as
    the previous update left them (autocast's cache of cast weights would serve the step's first)."""
    from types import SimpleNamespace

    from gdm.train import step_precision

    lin, x = torch.nn.Linear(4, 4), torch.randn(2, 4)
    with step_precision(SimpleNamespace(cfg={"precision": "bfloat16"}), "cpu"):
        before = lin(x)
        with torch.no_grad():
            lin.weight.add_(1.0)
        after = lin(x)
    assert before.dtype == torch.bfloat16 and not torch.equal(before, after)


def test_distances_stay_float32_under_bfloat16():
    """MMD's squared distances cancel (xx + yy - 2 x·y): in bfloat16 nearby points would be 0 apart."""
    from gdm import kernels
    from gdm.train import step_precision
    from types import SimpleNamespace

    x = 0.03 * torch.randn(64, 10, generator=torch.Generator().manual_seed(0))
    with step_precision(SimpleNamespace(cfg={"precision": "bfloat16"}), "cpu"):
        d = kernels.squared_distances(x)
    assert d.dtype == torch.float32
    assert torch.allclose(d, torch.cdist(x, x) ** 2, atol=1e-6)
    assert (d + torch.eye(64) > 0).all()


def test_the_history_is_written_as_it_grows_and_a_resumed_run_rewrites_its_tail(tmp_path):
    """The live history (``history.jsonl``) holds every logged mean as soon as it is logged; a run
    interrupted after its checkpoint drops the lines past it when it resumes, so that the file
    ends equal to the finished history, with no step twice."""
    from gdm.train import LiveHistory

    cfg = make_config("gan", steps=60, **SMALL)
    batches = data.Batches(cfg["dataset"], cfg["batch_size"], cfg["seed"])
    live = tmp_path / "history.jsonl"
    seen = []

    def interrupt(step, model, logs):
        seen.append(len(live.read_text().splitlines()))  # what a reader sees during the run
        if step == 30:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        train(fresh(cfg), batches, 60, checkpoint=tmp_path / "ckpt.pt", checkpoint_every=10, log_every=7,
              callbacks=[interrupt], live=live)
    assert seen[7] == 1 and seen[30] == 4  # after step 7 (the 8th call) one line; at step 30, four (7 ... 28)
    assert LiveHistory.read(live)["step"] == [7, 14, 21, 28]
    points = []
    h = train(fresh(cfg), batches, 60, checkpoint=tmp_path / "ckpt.pt", checkpoint_every=10, log_every=7, live=live,
              on_log=[lambda step, means: points.append((step, means["d_loss"]))])
    written = LiveHistory.read(live)
    assert written["step"] == h["step"] == [7, 14, 21, 28, 35, 42, 49, 56, 60]
    assert written["d_loss"] == h["d_loss"] and written["g_loss"] == h["g_loss"]
    assert points[0][0] == 35 and [p[1] for p in points] == h["d_loss"][4:]  # the hooks see the resumed part


def test_load_or_train_writes_the_live_history_in_the_run_directory(tmp_path):
    from gdm.runs import LIVE_HISTORY
    from gdm.train import LiveHistory

    run = load_or_train(make_config("gan", steps=20, **SMALL), root=tmp_path)
    assert LiveHistory.read(run.dir / LIVE_HISTORY)["d_loss"] == run.history["d_loss"]


def test_tensorboard_receives_every_logged_mean(tmp_path):
    pytest.importorskip("tensorboard", reason="the optional tensorboard package (requirements.txt pins it)")
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    from gdm.train import TensorBoard

    tb = TensorBoard(tmp_path / "tb")
    run = load_or_train(make_config("gan", steps=20, **SMALL), root=tmp_path / "runs", on_log=[tb])
    tb.close()
    acc = EventAccumulator(str(tmp_path / "tb"))
    acc.Reload()
    assert set(acc.Tags()["scalars"]) == {"d_loss", "d_real", "d_fake", "g_loss"}
    events = acc.Scalars("d_loss")
    assert [e.step for e in events] == run.history["step"]
    assert [e.value for e in events] == pytest.approx(run.history["d_loss"], rel=1e-6)
    again = TensorBoard(tmp_path / "tb2")
    load_or_train(make_config("gan", steps=20, **SMALL), root=tmp_path / "runs", on_log=[again])  # reused: nothing
    again.close()
    assert not (tmp_path / "tb2").exists()


@pytest.mark.parametrize("name", ["adam", "sgd", "rmsprop", "adagrad"])
def test_the_multi_tensor_optimisers_compute_what_the_per_tensor_ones_do(name):
    """gdm's optimisers update all their tensors at once (``foreach``); every run of the store was
    trained with the per-tensor loop, so the two must agree bit for bit, over many steps."""
    from gdm.models.base import make_optimizer

    cfg = {"optimizer": name, "lr": 0.01, "beta1": 0.5, "beta2": 0.999, "momentum": 0.5}
    shapes = [(128, 2), (128,), (128, 128), (128,), (1, 128), (1,)]
    torch.manual_seed(0)
    a = [torch.randn(s, requires_grad=True) for s in shapes]
    b = [p.detach().clone().requires_grad_() for p in a]
    ours = make_optimizer(a, cfg)
    loop = type(ours)(b, **{k: v for k, v in ours.defaults.items() if k not in ("foreach", "fused")}, foreach=False)
    assert ours.defaults["foreach"] is True
    g = torch.Generator().manual_seed(1)
    for step in range(100):
        for p, q in zip(a, b):
            p.grad = torch.randn(p.shape, generator=g) * (1 + step % 7)
            q.grad = p.grad.clone()
        ours.step()
        loop.step()
    assert all(torch.equal(p, q) for p, q in zip(a, b))


def test_a_lost_live_history_is_written_again_from_the_checkpoint(tmp_path):
    from gdm.train import LiveHistory

    cfg = make_config("gan", steps=40, **SMALL)
    batches = data.Batches(cfg["dataset"], cfg["batch_size"], cfg["seed"])
    live = tmp_path / "history.jsonl"

    def interrupt(step, model, logs):
        if step == 25:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        train(fresh(cfg), batches, 40, checkpoint=tmp_path / "ckpt.pt", checkpoint_every=10, log_every=7,
              callbacks=[interrupt], live=live)
    live.unlink()  # e.g. a checkpoint written before gdm kept the file
    h = train(fresh(cfg), batches, 40, checkpoint=tmp_path / "ckpt.pt", checkpoint_every=10, log_every=7, live=live)
    assert LiveHistory.read(live)["step"] == h["step"] == [7, 14, 21, 28, 35, 40]
    assert LiveHistory.read(live)["d_loss"] == h["d_loss"]
