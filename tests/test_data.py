import gzip
import struct
import urllib.error

import numpy as np
import pytest
import torch

from gdm import data
from gdm.config import identity
from gdm.errors import ConfigError, DataUnavailableError, UnknownNameError


def write_idx(path, array, compress=True):
    array = np.asarray(array, dtype=np.uint8)
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim) + struct.pack(">" + "I" * array.ndim, *array.shape)
    raw = header + array.tobytes()
    if compress:
        with gzip.open(path, "wb") as f:
            f.write(raw)
    else:
        path.write_bytes(raw)


def tiny_set(n, seed):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8), rng.integers(0, 10, size=n, dtype=np.uint8)


@pytest.mark.parametrize("compress", [True, False])
def test_read_idx_roundtrip(tmp_path, compress):
    images, labels = tiny_set(7, 0)
    write_idx(tmp_path / "i", images, compress)
    write_idx(tmp_path / "l", labels, compress)
    assert np.array_equal(data.read_idx(tmp_path / "i"), images)
    assert np.array_equal(data.read_idx(tmp_path / "l"), labels)


def test_read_idx_rejects_garbage(tmp_path):
    (tmp_path / "bad").write_bytes(b"\x12\x34\x08\x01\x00\x00\x00\x01\x00")
    with pytest.raises(ValueError, match="magic"):
        data.read_idx(tmp_path / "bad")
    (tmp_path / "short").write_bytes(struct.pack(">BBBBI", 0, 0, 8, 1, 10) + b"\x00" * 3)
    with pytest.raises(ValueError, match="expected 10"):
        data.read_idx(tmp_path / "short")


@pytest.fixture
def fashion_dir(tmp_path, monkeypatch):
    d = tmp_path / "fashion"
    d.mkdir()
    train, test = tiny_set(12, 1), tiny_set(5, 2)
    for prefix, (x, y) in (("train", train), ("t10k", test)):
        write_idx(d / f"{prefix}-images-idx3-ubyte.gz", x)
        write_idx(d / f"{prefix}-labels-idx1-ubyte.gz", y)
    monkeypatch.setenv("GDM_FASHION_MNIST_DIR", str(d))
    monkeypatch.setattr(data, "VALID_SIZE", 4)
    data._fashion.cache_clear()
    yield train, test
    data._fashion.cache_clear()


def test_fashion_mnist_from_idx_files(fashion_dir):
    (xtr, ytr), (xte, yte) = fashion_dir
    tr, va, te = (data.load("fashion-mnist", s) for s in ("train", "valid", "test"))
    assert (len(tr), len(va), len(te)) == (8, 4, 5)
    assert tr.x.dtype == torch.float32 and tr.x.shape == (8, 1, 28, 28)
    assert torch.allclose(tr.x[3, 0], torch.from_numpy(xtr[3]).float() / 255)
    assert torch.equal(va.y, torch.from_numpy(ytr[8:]).long())
    assert torch.equal(te.y, torch.from_numpy(yte).long())


def test_mnist_through_torchvision_reads_raw_idx_files(tmp_path):
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    train, test = tiny_set(10_003, 3), tiny_set(6, 4)
    for prefix, (x, y) in (("train", train), ("t10k", test)):
        write_idx(raw / f"{prefix}-images-idx3-ubyte", x, compress=False)
        write_idx(raw / f"{prefix}-labels-idx1-ubyte", y, compress=False)
    data._mnist.cache_clear()
    tr, va, te = (data.load("mnist", s, root=tmp_path) for s in ("train", "valid", "test"))
    data._mnist.cache_clear()
    assert (len(tr), len(va), len(te)) == (3, 10_000, 6)
    assert torch.allclose(te.x[5, 0], torch.from_numpy(test[0][5]).float() / 255)
    assert torch.equal(va.y[:4], torch.from_numpy(train[1][3:7]).long())


def test_mnist_without_network_names_the_offline_choices(tmp_path, monkeypatch):
    import torchvision

    def no_network(self):
        raise urllib.error.URLError("no route to host")

    monkeypatch.setattr(torchvision.datasets.MNIST, "download", no_network)
    data._mnist.cache_clear()
    with pytest.raises(DataUnavailableError, match="mnist5k") as err:
        data.load("mnist", root=tmp_path / "empty")
    data._mnist.cache_clear()
    assert "fashion-mnist" in str(err.value) and "raw" in str(err.value)


def test_mnist5k_split_is_fixed_and_disjoint():
    splits = {s: data.load("mnist5k", s) for s in data.SPLITS}
    assert {s: len(d) for s, d in splits.items()} == {"train": 4000, "valid": 500, "test": 500}
    assert all(0.0 <= float(d.x.min()) and float(d.x.max()) <= 1.0 for d in splits.values())
    assert set(splits["train"].y.tolist()) == set(range(10))
    flat = {s: {bytes(x.numpy().tobytes()) for x in (d.x * 255).round().to(torch.uint8)} for s, d in splits.items()}
    assert not flat["train"] & flat["test"] and not flat["valid"] & flat["test"]
    again = data.load("mnist5k", "test")
    assert torch.equal(again.x, splits["test"].x)


@pytest.mark.parametrize("name", ["cifar", "MNIST", ""])
def test_unknown_data_set_lists_known_names(name):
    with pytest.raises(UnknownNameError, match="mnist5k") as err:
        data.load(name)
    assert "ring" in str(err.value)
    with pytest.raises(UnknownNameError):
        data.Batches(name, 8, 0)


def test_unknown_split():
    with pytest.raises(UnknownNameError, match="valid"):
        data.load("mnist5k", "validation")


def test_ring_and_grid_follow_the_protocol():
    ring, grid = data.toy("ring"), data.toy("grid")
    assert ring.means.shape == (8, 2) and np.allclose(np.linalg.norm(ring.means, axis=1), 1.0)
    assert ring.std == pytest.approx(0.01) and grid.std == pytest.approx(0.05)
    assert grid.means.shape == (25, 2) and grid.means.min() == -4 and grid.means.max() == 4
    x = ring.sample(20_000, torch.Generator().manual_seed(0))
    nearest = torch.cdist(x.double(), torch.as_tensor(ring.means)).min(1).values
    assert nearest.mean().item() == pytest.approx(0.01 * np.sqrt(np.pi / 2), rel=0.03)  # Rayleigh mean


def test_mixture_density_is_normalised_and_matches_samples():
    from gdm.divergences import integrate_1d

    m = data.toy("mixture1d")
    assert integrate_1d(m.pdf, -10, 10) == pytest.approx(1.0, abs=1e-8)
    x = m.sample(50_000, torch.Generator().manual_seed(1))
    assert x.mean().item() == pytest.approx(0.0, abs=0.03)
    assert x.var().item() == pytest.approx(4 + 0.25, rel=0.03)  # mixture variance


def test_mixture2d_moments():
    """Three modes of σ = 0.5 at radius 2: mean 0, covariance 0.25 I + the modes' spread (2 I)."""
    m = data.toy("mixture2d")
    assert np.allclose(np.linalg.norm(m.means, axis=1), 2.0) and np.allclose(m.means.mean(0), 0.0)
    x = m.sample(60_000, torch.Generator().manual_seed(2)).double()
    assert np.allclose(x.mean(0).numpy(), 0.0, atol=0.03)
    assert np.allclose(np.cov(x.numpy().T), (0.25 + 2.0) * np.eye(2), atol=0.06)


def test_swiss_roll_range():
    x = data.toy("swissroll").sample(5000, torch.Generator().manual_seed(0))
    assert x.shape == (5000, 2) and x.abs().max() < 2.5


def test_batches_are_a_function_of_seed_and_step():
    b1, b2 = data.Batches("mnist5k", 100, seed=3), data.Batches("mnist5k", 100, seed=3)
    assert torch.equal(b1(17), b2(17)) and not torch.equal(b1(17), b1(18))
    assert not torch.equal(b1(17), data.Batches("mnist5k", 100, seed=4)(17))
    assert torch.equal(data.Batches("ring", 64, 0)(5), data.Batches("ring", 64, 0)(5))


def test_an_epoch_visits_every_example_once():
    b = data.Batches("mnist5k", 100, seed=0, labels=True)
    seen = torch.cat([b(step)[0] for step in range(40)])  # 40 x 100 = the 4,000 training digits
    train = data.load("mnist5k", "train").x
    key = lambda t: sorted(map(bytes, (t * 255).round().to(torch.uint8).flatten(1).numpy()))
    assert key(seen) == key(train)
    pairs = data.Batches("mnist5k", 100, seed=0, labels=True, counts=lambda step: 2)
    assert torch.equal(pairs(3)[0], torch.cat([b(6)[0], b(7)[0]]))


def _warmup(step):  # WGAN's and MMD-GAN's critic warm-up: 100 mini-batches for 25 steps and every 500th, else 5 (+ 0)
    return 100 if step < 25 or step % 500 == 0 else 5


def test_a_varying_number_of_batches_per_step_follows_the_epochs_without_overlap():
    """Step s starts where step s - 1 ended: with WGAN's warm-up (100 batches, then 5) the served
    examples are the epochs' permutations in order, each example once per epoch (the windows at
    s x count overlapped and skipped: step 1 repeated 95 of step 0's batches)."""
    b = data.Batches("mnist5k", 16, seed=0, counts=_warmup)
    steps = 40  # 25 x 100 + 15 x 5 = 2,575 batches of 16: 41,200 examples, about 10.3 epochs of 4,000
    served = torch.cat([b(s) for s in range(steps)])
    assert len(served) == 16 * sum(_warmup(s) for s in range(steps))
    x = data.load("mnist5k", "train").x
    order = torch.cat([b._perm(e) if e in b._perms else data.Batches("mnist5k", 16, seed=0)._perm(e) for e in range(11)])
    assert torch.equal(served, x[order[:len(served)]])
    # random access (a resumed run) gives the same step as the sequential stream
    again = data.Batches("mnist5k", 16, seed=0, counts=_warmup)
    assert torch.equal(again(37), served[16 * sum(_warmup(s) for s in range(37)):][:16 * 5])


def test_a_count_that_varies_without_counts_is_an_error():
    b = data.Batches("mnist5k", 16, seed=0)
    b(0, 100)
    with pytest.raises(ValueError, match="counts=model.batches_at"):
        b(1, 5)
    with pytest.raises(ValueError, match="takes 100 mini-batches"):
        data.Batches("mnist5k", 16, seed=0, counts=_warmup)(3, 5)


def test_mixture_pdf_agrees_with_log_prob():
    for name in ("mixture1d", "mixture2d", "ring", "grid"):
        m = data.toy(name)
        x = m.sample(300, torch.Generator().manual_seed(0)).numpy() + 0.01
        assert np.allclose(m.pdf(x), m.log_prob(x).exp().numpy(), rtol=1e-10)


def test_a_training_set_of_n_images_is_the_first_n_and_epochs_cycle_over_them():
    b = data.Batches("mnist5k", 100, seed=0, train_size=1000)
    train = data.load("mnist5k", "train").x[:1000]
    seen = torch.cat([b(step) for step in range(10)])  # one epoch of the 1,000
    key = lambda t: sorted(map(bytes, (t * 255).round().to(torch.uint8).flatten(1).numpy()))
    assert key(seen) == key(train)
    assert not torch.equal(b(10), b(0))  # the next epoch: a fresh permutation of the same 1,000
    assert key(torch.cat([b(s) for s in range(10, 20)])) == key(train)
    with pytest.raises(ConfigError, match="at most 4000"):
        data.Batches("mnist5k", 100, seed=0, train_size=4001)


def test_train_size_enters_a_runs_identity_only_when_set():
    from gdm.config import make_config
    from gdm.runs import run_id

    whole = make_config("gan", dataset="mnist5k")
    assert "train_size" not in identity(whole) and run_id(whole) == run_id({**whole, "train_size": 0})
    assert run_id(make_config("gan", dataset="mnist5k", train_size=1000)) != run_id(whole)
    with pytest.raises(ConfigError, match="image data sets"):
        make_config("gan", dataset="ring", train_size=100)
    with pytest.raises(ConfigError, match="must be 0"):
        make_config("gan", train_size=-1)
