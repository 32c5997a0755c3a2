"""The calibration of the standard block (gdm.metrics.calibration, results/calibration.json)."""
import json
from pathlib import Path

import numpy as np
import pytest
import torch
from scipy import ndimage

from gdm.metrics import calibration as C

REPO = Path(__file__).resolve().parent.parent
COMMITTED = json.loads((REPO / "results" / "calibration.json").read_text())


def test_box_blur_is_scipys_uniform_filter_with_zero_padding():
    x = torch.rand(2, 1, 9, 9, dtype=torch.float64)
    for size in (3, 5):
        ref = np.stack([ndimage.uniform_filter(x[i, 0].numpy(), size=size, mode="constant") for i in range(2)])
        assert np.allclose(C.box_blur(x, size)[:, 0].numpy(), ref, atol=1e-12)


def test_check_ranks_against_each_rows_own_floor():
    cal = {"references": {
        "uniform_noise": {"fd": 100.0, "fd_real": 10.0, "precision": 0.9, "precision_real": 0.8},
        "constant": {"fd": 50.0, "fd_real": 10.0, "precision": 0.1, "precision_real": 0.8},
        "blur3": {"fd": 20.0, "fd_real": 10.0, "precision": 0.5, "precision_real": 0.8},
        "blur5": {"fd": 30.0, "fd_real": 10.0, "precision": 0.5, "precision_real": 0.8},
        "one_digit": {"fd": 40.0, "fd_real": 10.0, "precision": 0.5, "precision_real": 0.8},
        "class_removed": [{"fd": 12.0, "fd_real": 11.0, "precision": 0.7, "precision_real": 0.8},
                          {"fd": 9.0, "fd_real": 11.0, "precision": 0.7, "precision_real": 0.8}],
    }}
    records = {(r["metric"], r["reference"]): r["holds"] for r in C.check(cal, ["fd", "precision"])}
    assert records[("fd", "uniform_noise")] and records[("fd", "blur3")]
    assert not records[("fd", "class_removed")]  # one class of the two scored better than its floor
    assert not records[("precision", "uniform_noise")] and records[("precision", "constant")]


def test_the_committed_calibration_trusts_every_quality_metric():
    trusted = C.trusted(COMMITTED)
    for metric in C.QUALITY:
        assert trusted[metric], f"{metric} ranks a degraded reference at or above real digits: it cannot be read as quality"
    # and what the page says is untrusted is untrusted, on the references it names
    assert not trusted["precision"] and not trusted["density"] and not trusted["sharpness"]
    ref = COMMITTED["references"]
    assert ref["blur5"]["precision"] > ref["real"]["precision_real"] and ref["one_digit"]["precision"] >= 0.999
    assert ref["uniform_noise"]["sharpness"] > ref["real"]["sharpness_real"]
    assert ref["uniform_noise"]["confident_share"] > 0.9 and ref["uniform_noise"]["recognised_share"] == 0
    assert trusted["recognised_sharpness"]
    assert COMMITTED["recognisable_fd"] == ref["blur3"]["fd"]
    assert COMMITTED["trusted"] == trusted and COMMITTED["quality"] == list(C.QUALITY)


def test_the_page_tables_are_generated_from_the_committed_calibration():
    assert (REPO / "book" / "_generated" / "calibration.md").read_text() == C.page(COMMITTED)


@pytest.mark.slow
def test_the_committed_calibration_is_what_the_code_measures(monkeypatch, tmp_path):
    """The blurred-digits row (the book's bar) recomputed with the store's feature network."""
    monkeypatch.setenv("GDM_STORE_DIR", str(REPO / "results" / "runs"))
    monkeypatch.setenv("GDM_RUNS", str(tmp_path / "empty-cache"))
    row = C.score(C.references("mnist5k")["blur3"], "mnist5k")
    for key in ("fd", "fd_real", "recall", "coverage", "recognised_share", "recognised_sharpness"):
        assert row[key] == pytest.approx(COMMITTED["references"]["blur3"][key], rel=1e-6), key
