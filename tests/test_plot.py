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
