import math

import torch

from gdm import results


def test_write_read_collect(tmp_path):
    path = results.write("toy", chapter="00 Toy", config={"steps": 3}, seconds=1.234, directory=tmp_path,
                         metrics={"a": torch.tensor(0.5), "b": float("nan"), "c": {"d": [1, 2]}},
                         paper={"a": 0.6})
    rec = results.read("toy", tmp_path)
    assert path.name == "toy.json" and set(results.REQUIRED) <= set(rec)
    assert rec["metrics"] == {"a": 0.5, "b": None, "c": {"d": [1, 2]}} and rec["seconds"] == 1.2
    assert list(results.collect(tmp_path)) == ["toy"]
    assert not math.isnan(rec["metrics"]["a"])
