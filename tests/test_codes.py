"""gdm.metrics.codes: what InfoGAN's codes carry, on models with known answers and on a trained run."""
import numpy as np
import pytest
import torch

from gdm import headline
from gdm.config import make_config
from gdm.errors import GdmError
from gdm.metrics import codes


class Oracle:
    """An InfoGAN-shaped model whose Q reads every code exactly: c1 is the label permuted by ``perm``,
    Q's means are the continuous codes (``noisy``: plus unit noise)."""

    def __init__(self, perm, noisy=False):
        self.perm, self.noisy = torch.as_tensor(perm), noisy
        self.cfg = {"n_categories": len(perm), "n_continuous": 2}

    def q_codes(self, x):
        # images here are (N, 3): label, c2, c3
        logits = torch.nn.functional.one_hot(self.perm[x[:, 0].long()], len(self.perm)).float()
        mean = x[:, 1:].clone()
        if self.noisy:
            mean += torch.randn(mean.shape, generator=torch.Generator().manual_seed(0))
        return logits, mean, torch.zeros_like(mean)

    def latent(self, n, generator=None):
        return {"z": torch.zeros(n, 1), "c_index": torch.randint(len(self.perm), (n,), generator=generator),
                "c_cont": torch.rand(n, 2, generator=generator) * 2 - 1}

    def generate(self, z, c_index, c_cont):
        return torch.cat([torch.argsort(self.perm)[c_index].float()[:, None], c_cont], 1)


def test_c1_accuracy_matches_categories_to_labels_and_counts_their_confusion():
    perm = [3, 0, 1, 2]
    y = torch.tensor([0, 1, 2, 3, 3, 2])
    x = torch.stack([y.float(), torch.zeros(6), torch.zeros(6)], 1)
    out = codes.c1_accuracy(Oracle(perm), x, y)
    assert out["accuracy"] == 1.0 and out["mapping"] == {3: 0, 0: 1, 1: 2, 2: 3}
    assert out["confusion"][3] == [1, 0, 0, 0] and out["confusion"][2] == [0, 0, 0, 2]
    half = Oracle([0, 0, 1, 1])  # two labels per category: at most half of them matched
    half.cfg["n_categories"] = 4
    assert codes.c1_accuracy(half, x, y)["accuracy"] == pytest.approx(3 / 6)


def test_lost_digits_are_those_their_matched_category_does_not_hold():
    # labels 0..2; category 0 holds most 0s, category 1 holds the 1s and most 2s, category 2 a few 2s
    c1 = {"confusion": [[8, 0, 1], [2, 9, 6], [0, 1, 3]], "mapping": {"0": 0, "1": 1, "2": 2}}
    assert codes.lost_digits(c1) == {2: {"share": 0.3, "to": 1}}  # 3 of 10 twos in their category; 6 in the ones'
    assert codes.lost_digits({**c1, "mapping": {0: 0, 1: 1}}) == {2: {"share": 0.0, "to": 1}}  # 2 matched to none
    spread = {"confusion": [[4, 0, 0], [3, 9, 0], [3, 1, 10]], "mapping": {"0": 0, "1": 1, "2": 2}}
    assert codes.lost_digits(spread) == {0: {"share": 0.4, "to": 1}}  # its own category holds most, but under half


def test_code_r2_is_one_for_an_exact_q_and_falls_with_its_error():
    assert codes.code_r2(Oracle([0, 1]), 4000, seed=1) == pytest.approx([1.0, 1.0])
    # Q's mean off by unit noise: R² = 1 − 1 / Var(U(−1, 1)) = 1 − 3 = −2
    assert codes.code_r2(Oracle([0, 1], noisy=True), 4000, seed=1) == pytest.approx([-2.0, -2.0], abs=0.15)


def test_style_split_gives_each_proxy_to_the_code_that_moves_it_alone():
    clean = [{"slant": 0.1, "width": -0.9}, {"slant": 0.95, "width": 0.2}]
    out = codes.style_split(clean)
    assert out["assignment"] == {"slant": "c3", "width": "c2"}
    assert out["specificity"] == pytest.approx([0.85, 0.7]) and out["split"] == pytest.approx(0.7)
    tangled = [{"slant": 0.9, "width": 0.9}, {"slant": -0.8, "width": 0.85}]
    assert codes.style_split(tangled)["split"] == pytest.approx(-0.05)
    with pytest.raises(ValueError, match="two continuous codes"):
        codes.style_split(clean[:1])


def test_the_callback_tracks_c1_and_records_every_measurement_after_the_last_update(tmp_path, monkeypatch):
    monkeypatch.setenv("GDM_HOME", str(tmp_path))
    cfg = make_config("infogan", dataset="mnist5k", steps=4, batch_size=16, g_width=8, d_width=8, g_hidden=0,
                      d_hidden=32, q_hidden=16, log_every=1, seed=0)
    run = headline.train(cfg, "mnist5k", every=2, n=50, feature_steps=20,
                         extra=[codes.codes_callback(2, 4, "mnist5k", n=50, n_sequences=5)])
    assert [u for u, _ in headline.tracked(run, "c1_accuracy")] == [2, 4]
    block = codes.recorded(run)
    x, y = codes.held_out("mnist5k")
    assert len(y) == 1000
    again = codes.measure(run.model, x, y, 50, 5, 0)  # the recorded block is what the finished nets give
    assert block["c1"]["accuracy"] == pytest.approx(again["c1"]["accuracy"])
    assert block["r2"] == pytest.approx(again["r2"]) and block["styles"][1]["width"] == pytest.approx(again["styles"][1]["width"])
    assert headline.tracked(run, "c1_accuracy")[-1][1] == block["c1"]["accuracy"]
    assert 0 <= block["bound"]["l_i"] <= 2.303 and sum(map(sum, block["c1"]["confusion"])) == 1000
    plain = headline.train({**cfg, "seed": 1}, "mnist5k", every=2, n=50, feature_steps=20)
    with pytest.raises(GdmError, match="codes_callback"):
        codes.recorded(plain)


def test_the_confusion_figure_orders_categories_by_their_matched_label_and_traversals_have_every_grid():
    import matplotlib

    matplotlib.use("Agg")
    from gdm import models, plot

    c1 = {"confusion": [[0, 5], [7, 1]], "mapping": {"0": 1, "1": 0}}  # as read back from JSON
    ax = plot.confusion(c1["confusion"], c1["mapping"], title="t").axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["c=1 → 0", "c=0 → 1"]
    assert ax.images[0].get_array()[0].tolist() == [7, 1]  # category 1's row first: matched cells on the diagonal
    cfg = make_config("infogan", dataset="mnist5k", g_width=4, d_width=4, g_hidden=0, d_hidden=8, q_hidden=4, z_dim=3)
    model = models.build(cfg, (1, 28, 28))
    fig = plot.code_traversals(model, order=list(range(10)), seed=0, n=5)
    assert [a.get_title() for a in fig.axes] == ["c1 (one category per row)", "c2 from -2 to 2", "c3 from -2 to 2"]
    assert fig.axes[1].images[0].get_array().shape == (10 * 30, 5 * 30)  # 10 rows × 5 columns of 28 + 2 pixels


def test_known_transformations_move_the_proxies_by_known_amounts():
    from gdm.metrics.styles import style_proxies

    bar = torch.zeros(1, 1, 28, 28)
    bar[0, 0, 4:24, 13:15] = 1.0  # a vertical stroke
    tilted = codes.transformed(bar, rotation=30.0)
    assert abs(style_proxies(tilted)["slant"][0]) == pytest.approx(30.0, abs=2.0)
    blob = torch.zeros(1, 1, 28, 28)
    blob[0, 0, 10:18, 11:17] = 1.0
    wide = codes.transformed(blob, widen=float(np.log(1.5)))
    assert style_proxies(wide)["width"][0] / style_proxies(blob)["width"][0] == pytest.approx(1.5, rel=0.05)
    assert style_proxies(codes.transformed(blob))["width"][0] == pytest.approx(style_proxies(blob)["width"][0], rel=1e-4)


def test_the_reference_split_gives_slant_to_the_rotation_and_width_to_the_stretch():
    x, _ = codes.held_out("mnist5k")
    ref = codes.reference_split(x[:200])
    assert ref["assignment"] == {"slant": "c2", "width": "c3"}
    assert 0.3 < ref["split"] < 1 and abs(ref["styles"][0]["slant"]) > 0.8 and abs(ref["styles"][1]["width"]) > 0.9


def test_kmeans_reference_recovers_separated_classes_and_a_style_row_formats_every_column():
    g = torch.Generator().manual_seed(0)
    y = torch.arange(3).repeat_interleave(20)
    x = (torch.nn.functional.one_hot(y, 3).float() * 10 + torch.randn(60, 3, generator=g) * 0.1).view(60, 1, 3, 1)
    assert codes.kmeans_accuracy(x, y, k=3) == 1.0
    row = codes.style_row([{"slant": 0.9, "width": 0.1, "ink": 0.0}, {"slant": -0.2, "width": 0.8, "ink": 0.5}],
                          {"split": 0.6, "assignment": {"slant": "c2", "width": "c3"}}, [0.5, 0.25])
    assert row == {"c2": "+0.90 / +0.10 / +0.00", "c3": "-0.20 / +0.80 / +0.50", "split": 0.6,
                   "who": "slant c2, width c3", "r2": "0.50 / 0.25"}
