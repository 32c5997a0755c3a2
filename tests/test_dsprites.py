"""dSprites rendered from its factors: the original's factor sizes, binary images whose geometry
follows the factors (area, centre of mass, rotation), determinism, and the disentanglement
metrics' known answers on it."""
import math

import numpy as np
import pytest
import torch

from gdm import config, data
from gdm.errors import UnknownNameError
from gdm.metrics import beta_vae_score, factor_vae_score, mig

D64 = data.dsprites("dsprites")
D32 = data.dsprites("dsprites32")
SQUARE, ELLIPSE, HEART = 0, 1, 2


def one(ds, shape, scale, angle, x, y):
    return ds.render([shape], [scale], [angle], [x], [y])[0, 0]


def test_factor_sizes_and_values_are_the_originals():
    assert D64.factor_sizes == [3, 6, 40, 32, 32]
    assert math.prod(D64.factor_sizes) == 737_280
    assert D64.factor_names == ("shape", "scale", "orientation", "pos_x", "pos_y")
    top = D64.values([[2, 5, 39, 31, 31]])[0]
    bottom = D64.values([[0, 0, 0, 0, 0]])[0]
    assert np.allclose(bottom, [0, 0.5, 0, 0, 0]) and np.allclose(top, [2, 1.0, 2 * np.pi, 1, 1])
    assert np.allclose(D64.values([[0, k, 0, 0, 0] for k in range(6)])[:, 1], np.linspace(0.5, 1, 6))
    assert np.allclose(D64.values([[0, 0, k, 0, 0] for k in range(40)])[:, 2], np.linspace(0, 2 * np.pi, 40))
    with pytest.raises(ValueError, match="factors"):
        D64.observe([[3, 0, 0, 0, 0]])


def test_images_are_binary_of_the_stated_shape():
    rng = np.random.default_rng(0)
    for ds, size in ((D64, 64), (D32, 32)):
        x = ds.observe(ds.sample_factors(200, rng))
        assert x.shape == (200, 1, size, size) and x.dtype == torch.float32
        assert set(x.unique().tolist()) == {0.0, 1.0}
        assert (x.sum((1, 2, 3)) > 0).all()  # every sprite is visible
        assert data.shape_of(ds.name) == (1, size, size)


def test_every_sprite_stays_inside_the_image():
    # The largest sprites at every orientation, at the four extreme corners: nothing touches
    # the border rows/columns, so nothing was cut off.
    f = np.array([[s, 5, o, px, py] for s in range(3) for o in range(40) for px in (0, 31) for py in (0, 31)])
    x = D64.observe(f)[:, 0]
    border = x[:, 0].sum() + x[:, -1].sum() + x[:, :, 0].sum() + x[:, :, -1].sum()
    assert border == 0


def analytic_area(shape, scale, size):
    r = scale * D64.half_size * size  # the sprite frame's unit, in pixels
    return {SQUARE: 4 * r**2, ELLIPSE: math.pi * 1.2 * 0.6 * r**2}[shape]


@pytest.mark.parametrize("shape", [SQUARE, ELLIPSE])
def test_area_matches_the_analytic_area(shape):
    # Mean pixel count over random orientations and sub-pixel positions: the rasterised area
    # is an unbiased estimate of the true area up to the boundary's discretisation.
    rng = np.random.default_rng(1)
    n = 300
    for scale in (0.5, 1.0):
        x = D64.render(np.full(n, shape), np.full(n, scale), rng.uniform(0, 2 * np.pi, n), rng.uniform(0.3, 0.7, n),
                       rng.uniform(0.3, 0.7, n))
        area = x.sum((1, 2, 3)).double().mean().item()
        assert area == pytest.approx(analytic_area(shape, scale, 64), rel=0.02)


@pytest.mark.parametrize("shape", [SQUARE, ELLIPSE, HEART])
def test_area_scales_with_scale_squared(shape):
    f = np.array([[shape, k, o, p, p] for k in range(6) for o in range(0, 40, 3) for p in (9, 20)])
    area = D64.observe(f).sum((1, 2, 3)).double().reshape(6, -1).mean(1).numpy()
    scales = np.linspace(0.5, 1, 6)
    assert np.allclose(area / area[-1], scales**2, rtol=0.03)


def test_heart_area_matches_its_curve():
    # The curve's area in its own coordinates, by a fine grid, divided by 1.139² (the frame).
    g = np.linspace(-1.5, 1.5, 3001)
    X, Y = np.meshgrid(g, g)
    curve = ((X**2 + Y**2 - 1) ** 3 - X**2 * Y**3 <= 0).mean() * 9 / 1.139**2
    n = 200
    rng = np.random.default_rng(2)
    x = D64.render(np.full(n, HEART), np.ones(n), rng.uniform(0, 2 * np.pi, n), rng.uniform(0.3, 0.7, n), rng.uniform(0.3, 0.7, n))
    r = D64.half_size * 64
    assert x.sum((1, 2, 3)).double().mean().item() == pytest.approx(curve * r**2, rel=0.02)


def centre_of_mass(img):
    rows, cols = torch.meshgrid(torch.arange(img.shape[-2]), torch.arange(img.shape[-1]), indexing="ij")
    m = img.sum()
    return (img * cols).sum().item() / m.item(), (img * rows).sum().item() / m.item()


@pytest.mark.parametrize("shape", [SQUARE, ELLIPSE, HEART])
def test_translation_moves_the_centre_of_mass(shape):
    # pos_x (pos_y) from index 0 to 31 moves the centre by (1 - 2 margin) * size pixels to the
    # right (downwards); the shape itself is the same image shifted, up to sub-pixel rounding.
    span = (1 - 2 * D64.margin) * 64
    base = D64.observe([[shape, 5, 7, 0, 0]])[0, 0]
    right = D64.observe([[shape, 5, 7, 31, 0]])[0, 0]
    down = D64.observe([[shape, 5, 7, 0, 31]])[0, 0]
    mid = D64.observe([[shape, 5, 7, 10, 20]])[0, 0]
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = map(centre_of_mass, (base, right, down, mid))
    assert x1 - x0 == pytest.approx(span, abs=0.5) and y1 == pytest.approx(y0, abs=0.5)
    assert y2 - y0 == pytest.approx(span, abs=0.5) and x2 == pytest.approx(x0, abs=0.5)
    assert (x3 - x0, y3 - y0) == pytest.approx((span * 10 / 31, span * 20 / 31), abs=0.5)


@pytest.mark.parametrize("shape", [SQUARE, ELLIPSE, HEART])
def test_rotation_by_a_quarter_turn_is_rot90(shape):
    # At the image's centre the pixel grid is symmetric under quarter turns, so a sprite turned
    # by pi/2 counter-clockwise is the image turned by torch.rot90 (counter-clockwise as displayed).
    for ds in (D64, D32):
        a = one(ds, shape, 1.0, 0.3, 0.5, 0.5)
        b = one(ds, shape, 1.0, 0.3 + np.pi / 2, 0.5, 0.5)
        assert torch.equal(torch.rot90(a, 1, (0, 1)), b)
    # and the square has the symmetry of quarter turns
    assert torch.equal(one(D64, SQUARE, 0.8, 0.2, 0.5, 0.5), one(D64, SQUARE, 0.8, 0.2 + np.pi / 2, 0.5, 0.5))
    # the first and last of the 40 orientations (0 and 2 pi) give one image, as in the original
    assert torch.equal(D64.observe([[shape, 3, 0, 5, 9]]), D64.observe([[shape, 3, 39, 5, 9]]))


def test_heart_is_upright_and_ellipse_is_horizontal_at_orientation_zero():
    heart = one(D64, HEART, 1.0, 0.0, 0.5, 0.5)
    rows = heart.sum(1).nonzero().squeeze(1)
    top, bottom = heart[rows[0] + 2], heart[rows[-1] - 2]
    assert top.sum() > bottom.sum()  # lobes on top, point at the bottom
    assert torch.equal(heart, heart.flip(1))  # mirror symmetric
    ellipse = one(D64, ELLIPSE, 1.0, 0.0, 0.5, 0.5)
    assert (ellipse.sum(0) > 0).sum() == pytest.approx(2 * (ellipse.sum(1) > 0).sum(), abs=2)


def test_determinism_and_batches():
    f = D64.sample_factors(50, np.random.default_rng(3))
    assert np.array_equal(f, D64.sample_factors(50, np.random.default_rng(3)))
    assert torch.equal(D64.observe(f), D64.observe(f))
    b = data.Batches("dsprites32", 16, seed=4)
    assert torch.equal(b(7), data.Batches("dsprites32", 16, seed=4)(7))
    assert not torch.equal(b(7), b(8))
    assert b(3, count=2).shape == (32, 1, 32, 32) and b.shape == (1, 32, 32)
    x, f = data.Batches("dsprites", 8, seed=4, labels=True)(2)
    assert torch.equal(x, D64.observe(f.numpy()))
    assert torch.equal(x, data.Batches("dsprites", 8, seed=4)(2))
    # the 32x32 and 64x64 streams draw the same factors
    _, f32 = data.Batches("dsprites32", 8, seed=4, labels=True)(2)
    assert torch.equal(f, f32)


def test_factor_frequencies_are_uniform():
    _, f = data.Batches("dsprites32", 6000, seed=0, labels=True)(0)
    for k, s in enumerate(D32.factor_sizes):
        counts = np.bincount(f[:, k].numpy(), minlength=s)
        assert len(counts) == s and counts.min() > 0.6 * 6000 / s and counts.max() < 1.4 * 6000 / s


def test_names_and_errors():
    assert {"dsprites", "dsprites32"} <= set(data.names())
    assert config.make_config("gan", dataset="dsprites32")["dataset"] == "dsprites32"
    with pytest.raises(UnknownNameError, match="dsprites32"):
        data.dsprites("dsprites16")
    with pytest.raises(UnknownNameError, match="dsprites"):
        data.Batches("dsprite", 4, 0)
    with pytest.raises(UnknownNameError, match="gdm.data.dsprites"):
        data.load("dsprites")


class Recording:
    """dSprites that remembers the factors of the images it rendered last, so that an encoder
    can return the true factors of the images it is given (the metrics encode each chunk right
    after rendering it)."""

    def __init__(self, ds):
        self.ds, self.factor_sizes, self.last = ds, ds.factor_sizes, None

    def sample_factors(self, n, rng):
        return self.ds.sample_factors(n, rng)

    def observe(self, f):
        self.last = np.array(f)
        return self.ds.observe(f)


def test_true_factors_score_near_one_and_random_codes_at_chance():
    rng = np.random.default_rng(0)
    source = Recording(D32)

    def truth(x):
        assert len(x) == len(source.last)
        return torch.as_tensor(source.last, dtype=torch.float64)

    bv = beta_vae_score(truth, source, rng, n_train=300, n_eval=200, batch_size=16)
    fv = factor_vae_score(truth, source, rng, n_var=1000, n_train=200, n_eval=200, batch_size=16)
    mg = mig(truth, source, rng, n=3000)
    assert bv["beta_vae"] >= 0.99 and fv["factor_vae"] >= 0.99
    # MIG: 20 bins hold the 3 shapes and 6 scales exactly (gap 1), but 40 orientations and 32
    # positions share bins (I = log 20 at most): (1 + 1 + log 20 / log 40 + 2 log 20 / log 32) / 5 ~ 0.91
    assert 0.85 <= mg["mig"] <= 0.95
    # the normalised information matrix: factor k is carried by code dimension k alone (the
    # diagonal is at least log 20 / log 40 = 0.81; off it, only the plug-in bias, at most
    # 19 * 31 / (2 * 3000) nats over H(v_k) >= log 32 for positions, i.e. about 0.03), and the
    # gap is the largest entry of a row minus the second largest
    mi = np.array(mg["mig_matrix"])
    assert mi.shape == (5, 5) and np.diag(mi).min() >= 0.78 and (mi - np.diag(np.diag(mi))).max() <= 0.06
    srt = np.sort(mi, 1)
    assert np.allclose(srt[:, -1] - srt[:, -2], mg["mig_per_factor"])

    gen = np.random.default_rng(5)

    def noise(x):
        return gen.normal(size=(len(x), 10))

    bv = beta_vae_score(noise, D32, rng, n_train=300, n_eval=400, batch_size=8)
    fv = factor_vae_score(noise, D32, rng, n_var=500, n_train=200, n_eval=400, batch_size=8)
    mg = mig(noise, D32, rng, n=2000)
    # 400 evaluation points, labels uniform over 5 factors: accuracy ~ Binomial(400, 0.2) / 400,
    # standard deviation 0.02, so 0.32 is six deviations above chance
    assert bv["beta_vae"] < 0.32 and fv["factor_vae"] < 0.32
    assert mg["mig"] < 0.05
