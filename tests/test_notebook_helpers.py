import pytest
import torch

from gdm import data, models
from gdm.config import make_config
from gdm.notebook import parameters


def test_parameters_are_the_names_defined_after_the_snapshot():
    ns = {"np": object(), "gdm": object()}
    before = set(ns)
    ns.update(steps=10, lr=0.5, name="x", hidden=[1, 2], _private=3)
    assert parameters(ns, before) == {"steps": 10, "lr": 0.5, "name": "x", "hidden": [1, 2]}
    ns["derived"] = torch.zeros(1)
    with pytest.raises(TypeError, match="flat literals.*derived"):
        parameters(ns, before)


def test_generator_output_bias_starts_at_the_data_mean():
    cfg = make_config("gan", g_hidden=[16], d_hidden=[8], g_init_output_bias=True)
    model = models.build(cfg, (1, 28, 28))
    x = data.load("mnist5k", "train").x
    model.init_from_data(x)
    last = [m for m in model.generator.modules() if isinstance(m, torch.nn.Linear)][-1]
    assert torch.allclose(torch.sigmoid(last.bias), x.mean(0).flatten().clamp(1e-3, 1 - 1e-3), atol=1e-6)
    off = models.build(make_config("gan", g_hidden=[16], d_hidden=[8]), (1, 28, 28))
    before = [p.clone() for p in off.parameters()]
    off.init_from_data(x)
    assert all(torch.equal(a, b) for a, b in zip(before, off.parameters()))


def test_imports_after_the_snapshot_are_not_parameters():
    import math

    ns = {}
    before = set(ns)
    ns.update(steps=3, math=math, sqrt=math.sqrt, parameters=parameters)
    assert parameters(ns, before) == {"steps": 3}
