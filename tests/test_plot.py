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
