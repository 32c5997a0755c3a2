import numpy as np
import pytest
import torch
from scipy import ndimage

from gdm import metrics


def test_laplacian_matches_scipy():
    x = torch.rand(5, 2, 13, 11, generator=torch.Generator().manual_seed(0))
    ours = metrics.laplacian(x).numpy()
    for i in range(5):
        for c in range(2):
            ref = ndimage.laplace(x[i, c].double().numpy(), mode="reflect")
            np.testing.assert_allclose(ours[i, c], ref, atol=1e-12)


def test_sharpness_is_the_mean_per_image_variance():
    x = torch.rand(7, 1, 28, 28, generator=torch.Generator().manual_seed(1))
    per = [ndimage.laplace(img[0].double().numpy(), mode="reflect").var() for img in x]
    s = metrics.sharpness(x)
    assert s["sharpness"] == pytest.approx(np.mean(per), rel=1e-12)
    assert s["sharpness_std"] == pytest.approx(np.std(per), rel=1e-10)


def test_constant_and_linear_images_have_no_sharpness_and_blur_lowers_it():
    flat = torch.full((3, 1, 16, 16), 0.3)
    assert metrics.sharpness(flat)["sharpness"] == 0.0
    ramp = torch.linspace(0, 1, 16, dtype=torch.float64).repeat(16, 1)[None, None]  # linear in x: Laplacian 0 inside
    assert metrics.laplacian(ramp)[..., 1:-1, 1:-1].abs().max() < 1e-12
    edges = (torch.rand(8, 1, 28, 28, generator=torch.Generator().manual_seed(2)) > 0.5).float()
    box = torch.nn.functional.avg_pool2d(edges, 3, stride=1, padding=1, count_include_pad=False)
    assert metrics.sharpness(box)["sharpness"] < 0.2 * metrics.sharpness(edges)["sharpness"]


def test_bad_shape_is_refused():
    with pytest.raises(ValueError, match="N, C, H, W"):
        metrics.laplacian(torch.zeros(28, 28))
