"""gdm.group: several seeds trained as one batched model, each member as its lone run.

With the random draws made equal (each member's noise drawn from its own generator, as its lone
run's), a group's members must follow their lone runs: in float64 to rounding over many steps
(the grouping is exact algebra), in float32 to rounding after one step (later, Adam's division by
the root of tiny second moments amplifies float32 rounding, as it would between two BLAS builds).
"""
import json

import pytest
import torch

from gdm import group, models, toys
from gdm.config import make_config
from gdm.errors import ConfigError
from gdm.runs import fresh, group_seeds, load_or_train, run_id
from gdm.train import train

_REAL = {n: getattr(torch, n) for n in ("randn", "rand", "randint", "randn_like", "rand_like")}


class BlockRNG:
    """torch's global draws replaced by per-member ones: call ``c`` of member ``m`` is drawn from a
    generator seeded by (c, m), and a group's call of ``S · B`` rows is its members' blocks."""

    def __init__(self, members):
        self.members, self.calls = list(members), 0

    def draw(self, name, shape, dtype=None, low=0, high=None):
        c, self.calls = self.calls, self.calls + 1
        rows = shape[0] // len(self.members)
        out = []
        for m in self.members:
            g = torch.Generator().manual_seed(7919 * c + m)
            if name == "randint":
                out.append(_REAL["randint"](low, high, (rows, *shape[1:]), generator=g))
            else:
                out.append(_REAL[name](rows, *shape[1:], generator=g, dtype=dtype or torch.get_default_dtype()))
        return torch.cat(out)


@pytest.fixture
def block_rng(monkeypatch):
    def install(members):
        rng = BlockRNG(members)

        def plain(name):
            def f(*a, generator=None, **kw):
                if generator is not None:
                    return _REAL[name](*a, generator=generator, **kw)
                shape = tuple(a[0]) if len(a) == 1 and isinstance(a[0], (tuple, list, torch.Size)) else tuple(a)
                return rng.draw(name, shape, kw.get("dtype")).to(kw.get("device") or "cpu")
            return f

        def randint(*a, generator=None, **kw):
            if generator is not None:
                return _REAL["randint"](*a, generator=generator, **kw)
            low, high, size = (0, a[0], a[1]) if len(a) == 2 else a
            return rng.draw("randint", tuple(size), low=low, high=high).to(kw.get("device") or "cpu")

        def like(name):
            return lambda t, **kw: rng.draw(name, tuple(t.shape), t.dtype).to(t.device)

        monkeypatch.setattr(torch, "randn", plain("randn"))
        monkeypatch.setattr(torch, "rand", plain("rand"))
        monkeypatch.setattr(torch, "randint", randint)
        monkeypatch.setattr(torch, "randn_like", like("randn"))
        monkeypatch.setattr(torch, "rand_like", like("rand"))
    return install


def _build(cfg, dtype):
    m, b = fresh(cfg)
    if dtype == torch.float64:
        m = m.double()
        stream = b
        b = lambda step, count=None: stream(step, count).double()  # noqa: E731
    return m, b


def _worst(model_a, model_b) -> float:
    worst = 0.0
    for (k, p), (_, q) in zip(model_a.state_dict().items(), model_b.state_dict().items()):
        if p.is_floating_point():
            worst = max(worst, ((p - q).abs().max() / (q.abs().max() + 1e-12)).item())
    return worst


def _compare(name, steps, dtype, block_rng, monkeypatch, members=3, **overrides):
    before = torch.get_default_dtype()
    torch.set_default_dtype(dtype)
    try:
        cfgs = [toys.config(name, "ring", s, steps, batch_size=32, **overrides) for s in range(members)]
        lone = []
        for s, cfg in enumerate(cfgs):
            m, b = _build(cfg, dtype)
            block_rng([s])
            train(m, b, steps, progress=False)
            monkeypatch.undo()
            lone.append(m)
        built = [_build(c, dtype) for c in cfgs]
        g = group.stack([m for m, _ in built])
        block_rng(range(members))
        train(g, group.Batches([b for _, b in built], 32), steps, progress=False)
        monkeypatch.undo()
        fresh = [_build(c, dtype)[0] for c in cfgs]
        return max(_worst(a, b) for a, b in zip(group.unstack(g, fresh), lone)), lone
    finally:
        torch.set_default_dtype(before)


@pytest.mark.parametrize("name, overrides", [
    ("gan", {}), ("wgan", {}), ("wgan_gp", {}), ("ebgan", {}), ("infogan", {}), ("gmmn", {}), ("mmd_gan", {}),
    ("vae", {}), ("aae", {}), ("wae", {}), ("wae", {"regulariser": "gan"}),
])
def test_members_follow_their_lone_runs_in_float64(name, overrides, block_rng, monkeypatch):
    worst, lone = _compare(name, 8, torch.float64, block_rng, monkeypatch, **overrides)
    assert worst < 1e-7  # a layout or scaling error gives differences of order 1e-2 and more
    assert _worst(lone[0], lone[1]) > 1e-3  # the members are different runs


def test_one_float32_step_matches_to_rounding(block_rng, monkeypatch):
    worst, _ = _compare("wgan_gp", 1, torch.float32, block_rng, monkeypatch)
    assert worst < 1e-5


def test_batches_interleave_each_members_minibatches():
    streams = [lambda step, count, s=s: torch.full((count * 2, 1), float(10 * s + step)) + torch.arange(count * 2)[:, None] // 2 * 0.1
               for s in range(3)]
    x = group.Batches(streams, 2)(4, 2)
    first, second = x.chunk(2)  # the model's chunk(k): mini-batch j of every member
    assert first[:, 0].tolist() == pytest.approx([4, 4, 14, 14, 24, 24])
    assert second[:, 0].tolist() == pytest.approx([4.1, 4.1, 14.1, 14.1, 24.1, 24.1])


def test_models_that_cannot_group_say_so():
    assert not group.groupable(make_config("began"))
    assert not group.groupable(make_config("gmmn", space="code", steps=3000))
    assert not group.groupable(make_config("gan"))  # the MNIST discriminator has dropout
    with pytest.raises(ConfigError, match="seed_group = 1"):
        toys.config("began", "ring", seed_group=3)
    m = models.build(make_config("began", dataset="ring", d_arch="mlp", d_hidden=[8], g_hidden=[8], code_dim=2,
                                 z_dim=2), (2,))
    with pytest.raises(ConfigError, match="outside its nets"):
        group.stack([m, m])


def test_seed_group_one_keeps_every_run_id():  # and train_size = 0, precision float32: the ids of before the keys
    cfg = make_config("gan", seed=3)
    blob = {k: v for k, v in cfg.items() if k not in ("device", "checkpoint_every", "seed_group", "precision", "train_size")}
    import hashlib
    want = "gan-" + hashlib.sha256(json.dumps(blob, sort_keys=True, separators=(",", ":")).encode()).hexdigest()[:12]
    assert run_id(cfg) == want
    assert run_id(make_config("gan", seed=3, seed_group=1)) == want
    assert run_id(toys.config("gan", "ring", 3, seed_group=2)) != run_id(toys.config("gan", "ring", 3))


def test_load_or_train_trains_the_whole_group_once(tmp_path):
    cfg = toys.config("gan", "ring", 3, 12, seed_group=2, checkpoint_every=5)
    assert group_seeds(cfg) == [2, 3]
    run = load_or_train(cfg, root=tmp_path, use_store=False, progress=False)
    assert run.source == "trained" and run.config["seed"] == 3
    other = load_or_train({**cfg, "seed": 2}, root=tmp_path, use_store=False, progress=False)
    assert other.source == "cache"
    assert other.record["group"]["seeds"] == [2, 3]
    assert other.seconds == pytest.approx(other.record["group"]["seconds"] / 2)
    assert _worst(run.model, other.model) > 1e-3
    again = load_or_train(cfg, root=tmp_path, use_store=False, progress=False)  # deterministic: a second group
    assert again.source == "cache"
    fresh = tmp_path / "fresh"
    rerun = load_or_train(cfg, root=fresh, use_store=False, progress=False)
    assert _worst(rerun.model, run.model) == 0.0


def test_an_interrupted_group_resumes_to_the_same_members(tmp_path):
    cfg = toys.config("wgan_gp", "ring", 0, 10, seed_group=2, checkpoint_every=4)
    whole = load_or_train(cfg, root=tmp_path / "whole", use_store=False, progress=False)

    class Stop(Exception):
        pass

    def stop(step, model, logs):
        if step == 5:
            raise Stop

    from gdm.runs import train_group
    with pytest.raises(Stop):
        train_group(cfg, root=tmp_path / "cut", callbacks=[stop], progress=False)
    resumed = load_or_train(cfg, root=tmp_path / "cut", use_store=False, progress=False)
    assert _worst(resumed.model, whole.model) == 0.0
