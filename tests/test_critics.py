"""gdm.critics: chapter 04's critics trained against a fixed generator, and deep critics' gradient norms."""
import numpy as np
import pytest
import torch

from gdm import critics, data, metrics


def test_a_critic_against_the_fixed_generator():
    s = critics.fixed_generator("penalty", "ring", steps=30, batch=64, lr=1e-3, hidden=[16, 16], seed=3, points=20)
    gen = torch.Generator().manual_seed(3)  # the samples the critic is scored on: real, then real plus noise
    real = data.toy("ring").sample(1000, gen)
    fake = data.toy("ring").sample(1000, gen) + critics.NOISE["ring"] * torch.randn(1000, 2, generator=gen)
    assert torch.equal(s.real, real)
    assert s.w1 == pytest.approx(metrics.wasserstein1_exact(real, fake))
    assert s.values.shape == s.xx.shape == (20, 20) and np.isfinite(s.values).all()
    assert 0 < s.share <= 1 + 1e-6  # Kantorovich-Rubinstein: no critic's bound exceeds W1
    again = critics.fixed_generator("penalty", "ring", steps=30, batch=64, lr=1e-3, hidden=[16, 16], seed=3, points=20)
    assert again.share == s.share and np.array_equal(again.values, s.values)
    clip = critics.fixed_generator("clipping", "ring", steps=30, batch=64, lr=1e-3, hidden=[16, 16], seed=3, points=20)
    assert clip.w1 == s.w1 and clip.share != s.share


def test_gradient_norms_through_a_deep_critic(tmp_path, monkeypatch):
    monkeypatch.setenv("GDM_HOME", str(tmp_path))
    norms, runs = critics.deep_gradient_norms(critics.GRADNORM_SETTINGS, steps=2, batch=32, g_hidden=[8], depth=5, width=16)
    assert list(norms) == list(critics.GRADNORM_SETTINGS) and all(len(g) == 5 for g in norms.values())
    assert [r.config["clip"] for r in runs[:3]] == [0.1, 0.01, 0.001] and runs[3].config["gp_weight"] == 0.1
    g = norms["clipping c = 0.001"]  # weights of at most 0.001: each layer shrinks the gradient towards the input
    assert g[0] < g[-1]


def test_proposition_1_and_theorem_1_measured_against_a_fixed_generator(tmp_path, monkeypatch):
    from gdm import losses
    from gdm.divergences import jsd_1d

    monkeypatch.setenv("GDM_HOME", str(tmp_path))
    d = critics.optimal_d(0.5, 1.5, seed=1, steps=300, batch=256)
    pd, pg = data.toy("mixture1d").pdf, data.gaussian(0.5, 1.5).pdf
    assert d.jsd == pytest.approx(jsd_1d(lambda x: pd(x.reshape(-1, 1)), lambda x: pg(x.reshape(-1, 1)), -12, 12))
    assert d.value_star == pytest.approx(losses.gan_value_at_optimum(d.jsd), abs=1e-6)  # Theorem 1
    assert d.value_learned <= d.value_star + 1e-9  # D* maximises V
    assert d.mean_error < 0.1 and d.mean_error <= d.max_error  # 300 updates: near D* on average already
    err = np.abs(d.d_learned - d.d_star)[d.support]
    assert d.max_error == pytest.approx(err.max()) and d.support.sum() < len(d.grid)
    assert d.run.config["freeze_generator"] and d.run.config["seed"] == 1
    poor = critics.saturation(critics.optimal_d(6.0, 0.5, seed=1, steps=300, batch=256).run, seed=1)
    assert poor["d_fake"] < 0.05  # D rejects the poor samples ...
    assert poor["grad_minimax"] < poor["grad_nonsaturating"] / 10  # ... and the minimax loss saturates


def test_the_figures_draw_what_they_are_given():
    import matplotlib

    matplotlib.use("Agg")
    from gdm import plot

    d = critics.optimal_d(0.5, 1.5, seed=1, steps=300, batch=256)
    ax = plot.optimal_d([d, d]).axes[0]
    blue = [l for l in ax.lines if l.get_color() == "tab:blue"]
    assert len(blue) == 2 and np.allclose(blue[0].get_ydata(), d.d_learned)
    curves = {"a": {0: [[1, 5.0], [2, 4.0]], 1: [[1, 6.0], [2, 3.0]]}, "b": {0: [[1, 1.0], [2, 2.0]], 1: []}}
    ax = plot.seed_curves(curves, log=True).axes[0]
    assert len(ax.lines) == 3 and ax.get_yscale() == "log"  # one line per seed with a curve
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]
    one = plot.seed_curves({"a": curves["a"]}).axes[0]
    assert [t.get_text() for t in one.get_legend().get_texts()] == ["seed 0", "seed 1"]
    along = {"wgan": {"step": [1, 2, 3], "fd": [9.0, 5.0, 4.0], "loss": [3.0, 2.0, 1.0], "spearman": 1.0}}
    ax = plot.along_run(along, {"wgan": "critic"}).axes[0]
    assert list(ax.lines[0].get_ydata()) == [3.0, 2.0, 1.0] and "ρ(loss, FD) = 1.00" in ax.get_title()
    block = {"wgan": {"seeds": [0, 1], "loss": [[1.0, 2.0], [1.5, None]], "fd": [[10.0, 20.0], [12.0, 30.0]],
                      "rho": [None, None]}}
    ax = plot.tracking_across(block, {"wgan": "critic"}, ["a", "b"]).axes[0]
    assert sum(len(c.get_offsets()) for c in ax.collections) == 3  # a run without a loss reading is not drawn
    fig = plot.sweep([0.3, 0.5, 1.0], {"recall": [[0.0, 0.1, 0.4], [0.0, None, 0.3]], "precision": [[0.9, 0.8, 0.7]] * 2},
                     xlabel="γ", seeds=[4, 5])
    rec, prec = fig.axes
    assert list(rec.lines[1].get_xdata()) == [0.3, 1.0] and list(rec.lines[1].get_ydata()) == [0.0, 0.3]  # None skipped
    assert [t.get_text() for t in rec.get_legend().get_texts()] == ["seed 4", "seed 5"] and prec.get_ylabel() == "precision"
    ax = plot.tracking_across(block, {"wgan": "critic"}, ["a", "b"], xscale="log").axes[0]
    assert ax.get_xscale() == "log"
    ax = plot.along_run({"seed 0": along["wgan"]}, {"seed 0": "M"}, title="{name}: {rho}", upper=False).axes[0]
    assert ax.get_title() == "seed 0: 1.00"
    h = {"step": [10, 20], "loss_real": [0.2, 0.1], "loss_fake": [0.1, 0.1], "k": [0.0, 0.01], "m_global": [0.3, 0.1]}
    fig = plot.began_controller(h, 0.5)
    assert list(fig.axes[1].lines[0].get_ydata()) == [0.5, 1.0] and list(fig.axes[2].lines[0].get_ydata()) == [0.0, 0.01]
    ax = plot.along_run({"s": along["wgan"]}, {"s": "M"}, xlabel="training step", log=True).axes[0]
    assert ax.get_yscale() == "log" and ax.get_xlabel() == "training step"
    with pytest.raises(ValueError, match="2 values against 3"):
        plot.sweep([0.3, 0.5, 1.0], {"recall": [[0.1, 0.2]]}, xlabel="γ")


def test_example_1_learned_on_the_parallel_lines():
    thetas = np.array([-1.0, -0.5, 0.0, 0.5, 1.0])
    r = critics.parallel_lines(thetas, seed=2, steps=40, batch=64, lr=1e-3)
    assert set(r.estimate) == set(r.gradient) == set(critics.LINE_CRITICS)
    assert all(v.shape == (5,) and np.isfinite(v).all() for v in (*r.estimate.values(), *r.gradient.values()))
    assert r.curve["gan"][0] == 0.5 and r.curve["wgan"][1].shape == r.curve["wgan"][2].shape == (301,)
    again = critics.parallel_lines(thetas, seed=2, steps=40, batch=64, lr=1e-3)
    assert all(np.array_equal(again.gradient[k], r.gradient[k]) for k in r.gradient)  # deterministic per seed
    # the GAN's estimate is (V + log 4) / 2 with V <= 0 ... in [0, log 2] up to the mini-batch's noise
    assert (r.estimate["gan"] < np.log(2) + 0.05).all() and (r.estimate["gan"] > -0.05).all()
    # 40 updates of the penalised critic already slope towards the data on both sides
    assert r.gradient["wgan_gp"][0] < 0 < r.gradient["wgan_gp"][-1]


def test_example_1_summary_reads_what_it_says():
    th = np.array([-1.0, -0.5, 0.0, 0.5, 1.0])
    r = critics.Lines(0, th, {"wgan": np.array([2.0, 1.0, 0.0, 1.0, 2.0]), "wgan_gp": np.abs(th) + [0, 0.1, 0, 0, 0],
                              "gan": np.array([0.69, 0.6, 0.0, 0.65, 0.7])},
                      {"wgan": np.array([-1.0, 0.5, 0.0, 1.0, 2.0]), "wgan_gp": np.array([-1.0, -0.9, 0.0, 1.1, 1.0]),
                       "gan": np.array([-0.01, -0.03, 0.0, 0.02, 0.001])}, {})
    m = r.summary()
    assert m["wgan_towards"] == 0.75  # θ = -0.5 points away from the data: 3 of the 4 θ ≠ 0
    assert m["gan_grad_max_off_zero"] == 0.03 and m["wgan_gp_grad_min_off_zero"] == 0.9
    assert m["gan_js_min_off_zero"] == 0.6 and m["w_gp_max_abs_error"] == pytest.approx(0.1)
    assert m["w_clip_corr"] == pytest.approx(1.0)


def test_a_surface_s_shares_of_the_distance_to_the_data_s_centre_and_to_the_data():
    g = np.linspace(-2, 2, 41)
    xx, yy = np.meshgrid(g, g)
    real = torch.tensor([[-1.0, -1.0], [1.0, 1.0]])  # their centre: the origin
    surface = lambda values: critics.Surface("penalty", "ring", 0.5, 1.0, xx, yy, values, real)
    cone = surface(3.0 - np.hypot(xx, yy))  # a function of the distance to the centre: blind to the two points
    assert cone.centre_share() == pytest.approx(1.0) and cone.data_share() < 0.5
    near = surface(1.0 - 2.0 * np.minimum(np.hypot(xx + 1, yy + 1), np.hypot(xx - 1, yy - 1)))  # falls away from each point
    assert near.data_share() == pytest.approx(1.0) and near.centre_share() < 0.5
    assert surface(np.ones_like(xx)).data_share() == 1.0 and np.isnan(cone.lipschitz)  # a constant: nothing to explain


def test_a_lipschitz_constant_is_the_largest_gradient_norm():
    w = torch.nn.Linear(2, 1, bias=False)
    with torch.no_grad():
        w.weight.copy_(torch.tensor([[3.0, 4.0]]))
    assert metrics.lipschitz_constant(w, torch.randn(5, 2)) == pytest.approx(5.0)
    s = critics.fixed_generator("penalty", "ring", steps=5, batch=32, lr=1e-3, hidden=[8], seed=1, points=10)
    assert 0 < s.lipschitz < float("inf")  # the constant its share of W1 was divided by
