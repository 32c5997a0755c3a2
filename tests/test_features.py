import numpy as np
import pytest
import torch
from scipy import linalg

from gdm import data, models
from gdm.config import make_config
from gdm.metrics import features


def closed_form_fd(mu1, s1, mu2, s2):
    covmean = linalg.sqrtm(s1 @ s2).real
    return float(((mu1 - mu2) ** 2).sum() + np.trace(s1 + s2 - 2 * covmean))


def test_fd_matches_the_closed_form_between_gaussians():
    g = torch.Generator().manual_seed(0)
    a = torch.randn(4000, 5, generator=g, dtype=torch.float64)
    b = torch.randn(4000, 5, generator=g, dtype=torch.float64) @ torch.diag(torch.tensor([1.0, 2, 0.5, 1, 1.5],
                                                                                      dtype=torch.float64)) + 0.7
    na, nb = a.numpy(), b.numpy()
    exact_on_samples = closed_form_fd(na.mean(0), np.cov(na.T), nb.mean(0), np.cov(nb.T))
    assert features.frechet_distance(a, b) == pytest.approx(exact_on_samples, rel=1e-6)
    population = closed_form_fd(np.zeros(5), np.eye(5), np.full(5, 0.7), np.diag([1.0, 4, 0.25, 1, 2.25]))
    assert features.frechet_distance(a, b) == pytest.approx(population, rel=0.05)


def test_fd_and_kd_of_a_set_with_itself_vanish_and_grow_with_a_shift():
    g = torch.Generator().manual_seed(1)
    a = torch.randn(1500, 8, generator=g, dtype=torch.float64)
    b = torch.randn(1500, 8, generator=g, dtype=torch.float64)
    assert abs(features.frechet_distance(a, a)) < 1e-8
    fds = [features.frechet_distance(a, b + s) for s in (0.0, 0.3, 1.0)]
    kds = [features.kernel_distance(a, b + s, subsets=20, subset_size=500)[0] for s in (0.0, 0.3, 1.0)]
    assert fds[0] < 0.15 and fds[0] < fds[1] < fds[2]  # FD of two finite samples is biased upwards (~d^2/n)
    assert abs(kds[0]) < 0.03 and 10 * kds[0] < kds[1] < kds[2]  # KD is unbiased: ~0 up to its noise
    assert fds[2] == pytest.approx(8 * 1.0, rel=0.1)  # |shift|^2 = 8 dims x 1^2
    assert features.kernel_distance(a, b, subsets=20, subset_size=500, seed=3) == \
        features.kernel_distance(a, b, subsets=20, subset_size=500, seed=3)


def test_precision_recall_density_coverage_known_answers():
    g = torch.Generator().manual_seed(2)
    a = torch.randn(600, 4, generator=g)
    same = features.precision_recall(a, a.clone())
    assert same["precision"] == 1 and same["recall"] == 1 and same["coverage"] == 1
    assert same["density"] == pytest.approx(1 + 1 / 3, abs=1e-9)  # each point is in its own ball and k others
    far = features.precision_recall(a, a + 100)
    assert far == {"precision": 0.0, "recall": 0.0, "density": 0.0, "coverage": 0.0}
    # a model that covers half of the data: precision stays high, recall drops
    half = a[a[:, 0] > 0]
    pr = features.precision_recall(a, half)
    assert pr["precision"] == 1 and 0.4 < pr["recall"] < 0.75 and 0.4 < pr["coverage"] < 0.75


def test_classifier_scores_known_answers():
    eye = torch.eye(10).repeat(50, 1)  # confident and balanced over 10 classes
    s = features.classifier_scores(eye)
    assert s["classifier_score"] == pytest.approx(10, rel=1e-6) and s["classes_covered"] == 10
    one = torch.zeros(500, 10)
    one[:, 3] = 1
    s = features.classifier_scores(one)
    assert s["classifier_score"] == pytest.approx(1.0, abs=1e-6) and s["classes_covered"] == 1
    assert s["class_histogram"][3] == 500
    uniform = torch.full((100, 10), 0.1)
    assert features.classifier_scores(uniform)["classifier_score"] == pytest.approx(1.0, abs=1e-6)


def test_classifier_augmentation_is_an_integer_translation():
    net = models.build(make_config("classifier", dataset="mnist5k", shift=2), (1, 28, 28))
    x = torch.zeros(64, 1, 28, 28)
    x[:, 0, 10, 12] = 1.0
    y = net.augment(x)
    assert torch.all(y.sum((1, 2, 3)) == 1)  # the single pixel moved, not blurred
    pos = y[:, 0].flatten(1).argmax(1)
    rows, cols = pos // 28, pos % 28
    assert (rows - 10).abs().max() <= 2 and (cols - 12).abs().max() <= 2 and len(set(pos.tolist())) > 5
    assert net.features(torch.rand(5, 1, 28, 28)).shape == (5, 128)
    p = net.probabilities(torch.rand(5, 1, 28, 28))
    assert p.shape == (5, 10) and torch.allclose(p.sum(1), torch.ones(5))


def test_evaluate_returns_the_standard_block_for_samples_or_a_model():
    from gdm import data
    from gdm.runs import load_or_train

    run = load_or_train(make_config("gan", steps=5, batch_size=16, g_hidden=[32], d_hidden=[16]))
    block = features.evaluate(run.model, "mnist5k", n=200, feature_steps=30)
    for key in ("fd", "fd_real", "kid", "precision", "recall", "classes_covered", "classifier_accuracy",
                "n_samples", "density", "coverage", "classifier_score"):
        assert key in block
    assert block["n_samples"] == 200 and block["n_reference"] == 4000
    real = data.load("mnist5k", "test").x[:200]
    same = features.evaluate(real, "mnist5k", n=200, feature_steps=30)  # the feature net is reused
    assert same["fd"] < block["fd"] and same["recall"] > block["recall"]


def test_evaluate_computes_the_real_side_once_and_gives_the_same_numbers_as_without_the_cache(monkeypatch):
    x = data.load("mnist5k", "valid").x[:150]
    features._REAL_SIDE.clear()
    first = features.evaluate(x, "mnist5k", n=150, feature_steps=25)
    calls = []
    real_kd = features.kernel_distance
    monkeypatch.setattr(features, "kernel_distance", lambda *a, **k: calls.append(1) or real_kd(*a, **k))
    again = features.evaluate(x.flip(-1), "mnist5k", n=150, feature_steps=25)
    assert len(calls) == 1  # only the samples' KD: the held-out floor came from the cache
    features._REAL_SIDE.clear()
    fresh = features.evaluate(x.flip(-1), "mnist5k", n=150, feature_steps=25)
    assert len(calls) == 3 and again == fresh  # every number, floor included, as without the cache
    assert first["fd_real"] == again["fd_real"] and first["fd"] != again["fd"]
    # another feature network (another run) is another key
    features.evaluate(x, "mnist5k", n=150, feature_steps=26)
    assert len({k[0] for k in features._REAL_SIDE}) == 2


def test_fd_to_data_is_the_frechet_distance_of_the_features():
    from gdm import data, metrics

    net = metrics.feature_net("mnist5k", steps=20).model
    x = data.load("mnist5k", "valid").x[:300]
    expected = metrics.frechet_distance(net.features(data.load("mnist5k", "train").x[:1000]), net.features(x))
    assert metrics.fd_to_data(x, "mnist5k", reference=1000, feature_steps=20) == pytest.approx(expected)


def test_fd_callback_measures_every_n_steps():
    from gdm import metrics

    class Fixed:
        def sample(self, n, generator=None):
            return data.load("mnist5k", "valid").x[:n]

    cb = metrics.fd_callback(3, "mnist5k", n=200, reference=1000, feature_steps=20)
    events = {s: cb(s, Fixed(), {}) for s in range(6)}
    assert [s for s, e in events.items() if e] == [2, 5]
    assert events[2]["fd"] == pytest.approx(metrics.fd_to_data(Fixed().sample(200), "mnist5k", reference=1000,
                                                               feature_steps=20))


def test_d_gap_callback_reads_d_on_the_runs_own_training_digits_and_on_held_out_ones():
    from gdm import metrics

    train, held = data.load("mnist5k", "train").x, data.load("mnist5k", "valid").x

    class Memoriser:  # D = 1 on the first 100 training digits, 0 elsewhere
        def d_prob(self, x):
            first = train[:100].flatten(1)
            d = torch.cdist(x.flatten(1), first, compute_mode="donot_use_mm_for_euclid_dist")
            return (d.min(1).values < 1e-6).float()

    cb = metrics.d_gap_callback(2, "mnist5k", n=200, train_size=100)
    events = {s: cb(s, Memoriser(), {}) for s in range(4)}
    assert [s for s, e in events.items() if e] == [1, 3]
    assert events[1] == {"d_train": 1.0, "d_heldout": 0.0}  # its 100 training digits, not the first 200
    whole = metrics.d_gap_callback(1, "mnist5k", n=200)(0, Memoriser(), {})
    assert whole["d_train"] == pytest.approx(0.5) and whole["d_heldout"] == 0.0


def test_nearer_training_tells_copies_from_new_digits():
    from gdm import metrics

    train, held, test = (data.load("mnist5k", s).x for s in ("train", "valid", "test"))
    copies = metrics.nearer_training(train[:200], "mnist5k", n=500)  # training digits themselves: distance 0
    assert copies["share"] == 1.0 and 0.3 < copies["share_real"] < 0.7  # test digits: about one half
    assert metrics.nearer_training(held[:200], "mnist5k", n=500)["share"] == 0.0  # the validation digits themselves
    assert metrics.nearer_training(test, "mnist5k", n=500)["share"] == copies["share_real"]
    with pytest.raises(ValueError, match="fewer than"):
        metrics.nearer_training(test, "mnist5k", n=600)  # the validation split has 500
