"""gdm.plot's helpers that compute what they draw."""


def test_seed_bands_draw_the_mean_and_the_range_over_seeds():
    from gdm import plot

    curves = {"a": {0: [[1, 10.0], [2, 4.0]], 1: [[1, 20.0], [2, 8.0], [3, 1.0]]}, "b": {0: [[1, 5.0], [2, 5.0]]}}
    ax = plot.seed_bands(curves, ylabel="FD").axes[0]
    (xa, ya), (xb, yb) = (line.get_data() for line in ax.lines)
    assert list(xa) == [1, 2] and list(ya) == [15.0, 6.0]  # update 3 is tracked by one seed only: left out
    assert list(yb) == [5.0, 5.0]
    band = ax.collections[0].get_paths()[0].vertices
    assert band[:, 1].min() == 4.0 and band[:, 1].max() == 20.0
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a (mean of 2)", "b (mean of 1)"]


def test_a_reference_bar_is_drawn_on_curves_and_bands():
    import matplotlib

    matplotlib.use("Agg")
    from gdm import plot

    curves = {"a": {0: [[1, 10.0], [2, 8.0]], 1: [[1, 12.0], [2, 6.0]]}}
    for draw in (plot.seed_curves, plot.seed_bands):
        ax = draw(curves, bar=(7.5, "blurred digits")).axes[0]
        assert [list(l.get_ydata()) for l in ax.lines if l.get_linestyle() == ":"] == [[7.5, 7.5]]
        assert [t.get_text() for t in ax.texts] == [" blurred digits"]


def test_the_gaussian_plane_draws_each_fit_at_its_absolute_mean_and_skips_diverged_runs():
    import matplotlib

    matplotlib.use("Agg")
    from gdm import plot

    fig = plot.gaussian_plane({"minimiser": (-0.1, 2.0)},
                              {"arm": ([(-1.5, 0.5), None, (0.5, 1.5)], dict(marker="o", color="tab:blue"))})
    ax = fig.axes[0]
    (ref, arm) = ax.lines
    assert list(ref.get_xdata()) == [0.1] and list(arm.get_xdata()) == [1.5, 0.5] and list(arm.get_ydata()) == [0.5, 1.5]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["minimiser", "arm"]
    fig = plot.gaussian_plane({}, {"all diverged": ([None, None], dict(marker="x"))})
    assert len(fig.axes[0].lines) == 0


def test_critic_surfaces_put_each_kind_in_a_row_and_each_toy_in_a_column():
    import matplotlib

    matplotlib.use("Agg")
    from types import SimpleNamespace

    import numpy as np
    import torch

    from gdm import plot

    g = np.linspace(-1, 1, 5)
    xx, yy = np.meshgrid(g, g)
    surface = lambda share: SimpleNamespace(xx=xx, yy=yy, values=xx + yy, real=torch.zeros(3, 2), share=share)
    fig = plot.critic_surfaces({(t, k): surface(0.25 if k == "clipping" else 0.5) for t in ("ring", "grid")
                                for k in ("clipping", "penalty")}, title="t")
    assert [a.get_title() for a in fig.axes] == ["ring, clipping: 25% of W1", "grid, clipping: 25% of W1",
                                                 "ring, penalty: 50% of W1", "grid, penalty: 50% of W1"]


def test_layer_norms_are_drawn_as_log10_with_zeros_at_the_floor():
    import matplotlib

    matplotlib.use("Agg")
    from gdm import plot

    ax = plot.layer_norms({"c": [100.0, 10.0, 0.0]}).axes[0]
    (line,) = ax.lines
    assert list(line.get_xdata()) == [1, 2, 3] and list(line.get_ydata()) == [2.0, 1.0, -30.0]


def test_share_curves_keep_each_labels_colour_and_draw_the_references():
    import matplotlib

    matplotlib.use("Agg")
    from gdm import plot

    ax = plot.share_curves({"a": [[1, 0.1], [2, 0.2]], "b": [], "c": [[1, 0.3]]}, chance=0.05, budget=2, bar=0.5).axes[0]
    a, c, chance, budget, bar = ax.lines
    assert a.get_color() == "C0" and c.get_color() == "C2" and list(a.get_ydata()) == [0.1, 0.2]
    assert list(chance.get_ydata()) == [0.05, 0.05] and list(budget.get_xdata()) == [2, 2]
    assert list(bar.get_ydata()) == [0.5, 0.5] and bar.get_linestyle() == "--"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "c", "uniform cloud"]


def test_densities_1d_draws_one_panel_per_sample_over_the_density_with_its_axis_cut():
    import matplotlib.pyplot as plt
    import numpy as np

    from gdm import data, plot

    mixture = data.toy("mixture1d")
    fig = plot.densities_1d(mixture.pdf, {"a": np.zeros(100), "b": np.array([-2.0, 2.0] * 50)}, ymax=0.9)
    assert [ax.get_title() for ax in fig.axes] == ["a", "b"]
    assert all(ax.get_ylim() == (0, 0.9) for ax in fig.axes)
    assert len(fig.axes[0].collections) == 1 and len(fig.axes[0].patches) == 1  # the density, one histogram
    plt.close(fig)
