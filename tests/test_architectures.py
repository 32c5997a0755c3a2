"""gdm.architectures: chapter 04's architecture study, per seed, with its criterion."""
import pytest
import torch

from gdm import architectures as arch
from gdm import toys
from gdm.errors import ConfigError
from gdm.runs import run_id


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("GDM_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("GDM_STORE", "0")
    return tmp_path / "home"


def test_the_baseline_cell_is_the_protocols_run():
    for m in arch.METHODS:
        for s in range(3):
            assert run_id(arch.toy_config(m, "baseline", "ring", s)) == run_id(
                toys.config(m, "ring", s, seed_group=toys.seed_group(m, 3)))
    assert arch.toy_config("wgan_gp", "batchnorm", "ring", 0)["d_batchnorm"] is False  # per-sample penalty: no critic norm
    assert arch.toy_config("gan", "batchnorm", "ring", 0)["d_batchnorm"] is True
    img = arch.image_config("wgan_gp", "baseline", "mnist5k", 10, 64, 0, 64, 16, 16)
    assert (img["g_arch"], img["d_arch"], img["g_batchnorm"], img["d_batchnorm"]) == ("dcgan", "dcgan", True, False)
    assert arch.image_config("lsgan", "tanh", "mnist5k", 10, 64, 0, 64, 16, 16)["optimizer"] == "rmsprop"


def test_a_toy_study_per_seed(home):
    s = arch.toy_study(["baseline", "tanh"], seeds=2, steps=4, samples=200)
    assert set(s.cells) == {(a, m) for a in ("baseline", "tanh") for m in arch.METHODS}
    for (a, m), cell in s.cells.items():
        assert len(cell["per_seed"]) == 2 and cell["successes"] == sum(p["success"] for p in cell["per_seed"])
    counts = s.counts
    assert counts["wgan_gp"] == [sum(s.cells[a, "wgan_gp"]["per_seed"][k]["success"] for a in ("baseline", "tanh"))
                                 for k in range(2)]
    assert s.best_other() == [max(counts[m][k] for m in ("gan", "lsgan", "wgan")) for k in range(2)]
    assert s.reference["real"]["modes_covered"] == 8 and s.metrics()["counts"] == counts
    # the criterion decides: with no bar every run succeeds, with a bar above real samples' none does
    easy = arch.toy_study(["baseline"], seeds=2, steps=4, samples=200, modes=0.0, hq=0.0)
    assert all(c["successes"] == 2 for c in easy.cells.values())
    hard = arch.toy_study(["baseline"], seeds=2, steps=4, samples=200, modes=1.01)
    assert all(c["successes"] == 0 for c in hard.cells.values())
    assert all(r.reused for r in hard.runs)  # the same runs, read again under another criterion
    assert torch.equal(s.samples["baseline", "gan"], easy.samples["baseline", "gan"])


def test_unknown_architectures():
    with pytest.raises(ConfigError, match="known: baseline"):
        arch.toy_study(["resnet"])
    with pytest.raises(ConfigError, match="g_mlp"):
        arch.image_config("gan", "batchnorm", "mnist5k", 10, 64, 0, 64, 16, 16)


def test_an_image_study(tmp_path, monkeypatch):
    monkeypatch.setenv("GDM_HOME", str(tmp_path / "home"))
    s = arch.image_study(["no_norm"], "mnist5k", seeds=1, steps=2, batch_size=16, z_dim=8, g_width=4, d_width=4,
                         samples=100, feature_steps=20)  # a feature network of 20 steps: the numbers mean little
    for m in arch.METHODS:
        (p,) = s.cells["no_norm", m]["per_seed"]
        assert p["fd"] > 0 and p["fd_untrained"] > 0
        assert p["success"] == (p["fd"] <= 0.75 * p["fd_untrained"] and p["classes_covered"] >= 3)


def test_a_studys_table_and_figure_read_every_seed_of_every_cell():
    import matplotlib

    matplotlib.use("Agg")
    ok = {"modes_covered": 8, "modes_total": 8, "near_mode": 0.5, "success": True}
    cells = {("tanh", m): {"per_seed": [ok, {"status": "diverged", "success": False}], "successes": 1,
                           "status": "diverged"} for m in arch.METHODS}
    study = arch.Study(["tanh"], "ring", 2, "", cells, {("tanh", "gan"): torch.zeros(10, 2)}, [])
    rows = study.table(arch.NAMES).splitlines()
    assert rows[0] == "| | per seed: modes, near a mode | seeds that succeed |"
    assert rows[2] == "| tanh / GAN | 8/8, 50%; diverged | 1 of 2 |"
    assert len(rows) == 2 + len(arch.METHODS) and rows[-1].startswith("| tanh / WGAN-GP |")
    fig = study.figure(arch.NAMES)
    assert len(fig.axes) == len(arch.METHODS)
    assert fig.axes[0].get_title() == "tanh / GAN: 1 of 2 seeds succeed" and fig.axes[0].axison
    assert not fig.axes[1].axison  # a cell without seed 0's samples: an empty panel
