"""gdm.nets: building blocks that the models and chapters share."""
import torch

from gdm import nets


def test_data_plus_noise_draws_fresh_data_and_adds_noise_of_the_given_std():
    from gdm import data

    class Point:  # a distribution with all its mass at (1, -2)
        def sample(self, n, generator=None):
            return torch.tensor([[1.0, -2.0]]).repeat(n, 1)

    torch.manual_seed(0)
    x = nets.DataPlusNoise(Point(), 0.5)(torch.zeros(20000, 7))
    assert x.shape == (20000, 2)
    assert torch.allclose(x.mean(0), torch.tensor([1.0, -2.0]), atol=0.02)
    assert torch.allclose(x.std(0), torch.tensor([0.5, 0.5]), atol=0.01)
    ring = nets.DataPlusNoise(data.toy("ring"), 0.0)(torch.zeros(100, 2))  # no noise: data itself
    assert torch.allclose(ring.norm(dim=1), torch.ones(100), atol=0.05)
