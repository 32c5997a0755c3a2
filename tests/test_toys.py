"""The shared toy mode-coverage protocol (gdm.toys): every model of its table trains on 2-D data
through the normal config/run path, the metric's known answers (real samples, a single mode, a
uniform cloud), determinism, errors, and the chapter-04 key format."""
import json
import math

import numpy as np
import pytest
import torch

from gdm import data, metrics, models, nets, plot, toys
from gdm.config import make_config
from gdm.errors import ConfigError, UnknownNameError

KEYS = {"modes_covered", "modes_covered_std", "modes_total", "high_quality", "high_quality_std", "seeds", "per_seed"}
HQ_REAL = 1 - math.exp(-9 / 2)  # P(|x - mu| <= 3 sigma) for an isotropic 2-D Gaussian

VARIANTS = [(m, {}) for m in toys.SETTINGS] + [("fgan", {"divergence": "kl"}), ("fgan", {"divergence": "reverse_kl"}),
                                                ("wae", {"regulariser": "gan"})]


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("GDM_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.mark.parametrize("model,overrides", VARIANTS, ids=[m + "".join(f"-{v}" for v in o.values()) for m, o in VARIANTS])
def test_every_model_trains_on_the_ring(model, overrides, home):
    r = toys.coverage(model, toys=("ring",), seeds=1, steps=2, samples=100, **overrides)
    x = r.samples["ring"]
    assert x.shape == (100, 2) and torch.isfinite(x).all()
    assert set(r.metrics) == {"ring"} and set(r.metrics["ring"]) == KEYS
    assert r.metrics["ring"]["modes_total"] == 8 and 0 <= r.metrics["ring"]["modes_covered"] <= 8
    (run,) = r.runs
    assert run.config["dataset"] == "ring_scaled" and run.config["steps"] == 2 and run.config["batch_size"] == toys.BATCH
    assert str(run.dir).startswith(str(home))  # the run went through gdm.runs, cached under GDM_HOME
    assert all(run.config[k] == v for k, v in {**toys.SETTINGS[model], **toys.TOY_SETTINGS.get((model, "ring"), {}),
                                                **overrides}.items())
    again = toys.coverage(model, toys=("ring",), seeds=1, steps=2, samples=100, **overrides)
    assert again.runs[0].reused and torch.equal(again.samples["ring"], x)


def test_standardised_toys_are_the_authors_scaling():
    """Modes' mean square 1 per coordinate: the ring times sqrt 2, the grid over 2 sqrt 2 (the
    WGAN-GP authors' 1.414 and 2.828), standard deviations scaled alike."""
    assert toys.scale("ring") == pytest.approx(math.sqrt(2)) and toys.scale("grid") == pytest.approx(1 / (2 * math.sqrt(2)))
    for toy, name in toys.TOYS.items():
        d, s = data.toy(toy), data.toy(name)
        assert (s.means**2).mean() == pytest.approx(1.0)
        assert s.std / d.std == pytest.approx(toys.scale(toy))
        x = s.sample(2000, torch.Generator().manual_seed(0))
        assert metrics.mode_coverage(x, s.means, s.std) == metrics.mode_coverage(x / toys.scale(toy), d.means, d.std)


@pytest.mark.parametrize("toy,total,chance_hq", [("ring", 8, 8 * math.pi * 0.03**2 / 2.5**2),
                                                  ("grid", 25, 25 * math.pi * 0.15**2 / 10.0**2)])
def test_reference_samplers(toy, total, chance_hq):
    ref = toys.reference(toys=(toy,))[toy]
    real, unif = ref["real"], ref["uniform"]
    assert real["modes_covered"] == total and real["modes_covered_std"] == 0 and real["modes_total"] == total
    assert real["high_quality"] == pytest.approx(HQ_REAL, abs=0.006)
    # a uniform cloud is high quality in proportion to the area of the 3-sigma discs
    assert unif["high_quality"] == pytest.approx(chance_hq, abs=0.006)
    assert unif["high_quality"] < 0.05 * real["high_quality"]
    # a sampler of one mode covers exactly that one, with the real share of high-quality samples
    d = data.toy(toy)
    one = torch.as_tensor(d.means[3]).float() + d.std * torch.randn(2500, 2, generator=torch.Generator().manual_seed(1))
    c = toys.score(one, toy)
    assert c["modes_covered"] == 1 and c["high_quality"] == pytest.approx(HQ_REAL, abs=0.006)
    assert metrics.mode_coverage(one, d.means, d.std)["per_mode"][3] == round(c["high_quality"] * 2500)
    # looser "near": every sample of the one mode within 10 of its standard deviations
    assert toys.score(one, toy, n_std=10)["high_quality"] == 1.0


def test_same_seed_same_numbers(tmp_path, monkeypatch):
    """Two fresh trainings (separate GDM_HOMEs, nothing reused) give identical metrics and samples."""
    out = []
    for home in ("a", "b"):
        monkeypatch.setenv("GDM_HOME", str(tmp_path / home))
        r = toys.coverage("wgan_gp", seeds=2, steps=3, samples=500)
        assert not r.runs[0].reused  # trained here, its group with it (seed 1 is then read from the cache)
        assert all(str(run.dir).startswith(str(tmp_path / home)) for run in r.runs)
        out.append(r)
    assert out[0].metrics == out[1].metrics
    assert all(torch.equal(out[0].samples[t], out[1].samples[t]) for t in ("ring", "grid"))
    assert not torch.equal(out[0].runs[0].model.sample(10, torch.Generator().manual_seed(0)),
                           out[0].runs[1].model.sample(10, torch.Generator().manual_seed(0)))  # seeds differ


def test_metrics_block_format(home):
    r = toys.coverage("gan", seeds=2, steps=2, samples=300)
    block = json.loads(json.dumps(r.metrics))
    assert block == r.metrics and set(block) == {"ring", "grid"}
    for toy, total in (("ring", 8), ("grid", 25)):
        b = block[toy]
        assert set(b) == KEYS and b["seeds"] == 2 and b["modes_total"] == total
        ps = b["per_seed"]
        assert len(ps["modes_covered"]) == 2 and b["modes_covered"] == pytest.approx(sum(ps["modes_covered"]) / 2)
        assert b["high_quality_std"] == pytest.approx(abs(ps["high_quality"][0] - ps["high_quality"][1]) / math.sqrt(2))
    assert r.seconds == pytest.approx(sum(run.seconds for run in r.runs))
    for toy in ("ring", "grid"):  # every seed's samples kept, seed 0's also as `samples`; they give the block's numbers
        assert len(r.all_samples[toy]) == 2 and torch.equal(r.all_samples[toy][0], r.samples[toy])
        assert [toys.score(x, toy)["modes_covered"] for x in r.all_samples[toy]] == block[toy]["per_seed"]["modes_covered"]
    loose = toys.coverage("gan", seeds=2, steps=2, samples=300, n_std=10)  # the same runs, read at 10 sd
    assert all(run.reused for run in loose.runs)
    assert all(loose.metrics[t]["high_quality"] >= r.metrics[t]["high_quality"] for t in ("ring", "grid"))
    fig = plot.toy_coverage(r)  # one panel per toy: seed 0's samples over the modes
    assert [ax.get_title().split(":")[0] for ax in fig.axes] == ["gan ring", "gan grid"]
    assert "/8 modes" in fig.axes[0].get_title() and "/25 modes" in fig.axes[1].get_title()
    assert len(fig.axes[1].collections[0].get_offsets()) == 300


def test_errors(home):
    with pytest.raises(UnknownNameError, match="wgan_gp"):
        toys.coverage("no_such_model", steps=1)
    with pytest.raises(UnknownNameError, match="classifier"):
        toys.coverage("classifier", steps=1)  # registered, but not a generative model of the table
    with pytest.raises(UnknownNameError, match="grid"):
        toys.coverage("gan", toys=("ring", "swissroll"), steps=1)
    with pytest.raises(ConfigError, match="no_such_param"):
        toys.coverage("gan", steps=1, no_such_param=1)
    with pytest.raises(ConfigError):
        toys.coverage("wgan_gp", steps=1, gp_weight="ten")
    with pytest.raises(UnknownNameError):
        toys.coverage("fgan", steps=1, divergence="no_such_divergence")
    assert not home.exists() or not any(home.rglob("config.json"))  # nothing trained before the errors


def test_infogan_image_nets_unchanged():
    """InfoGAN's MLP branch for vector data leaves its MNIST nets as they were: the same modules
    with the same initial weights as the DCGAN-style constructors called directly."""
    cfg = make_config("infogan")
    torch.manual_seed(0)
    m = models.build(cfg, (1, 28, 28))
    torch.manual_seed(0)
    g = nets.dcgan_generator_28(62 + 10 + 2, width=64, batchnorm=True, hidden=1024)
    d = nets.SharedBodyDiscriminator(nets.dcgan_body_28(64, batchnorm=True, hidden=1024), 1024, 10 + 2 * 2, aux_hidden=128)
    for mine, ref in ((m.generator, g), (m.discriminator, d)):
        a, b = mine.state_dict(), ref.state_dict()
        assert list(a) == list(b) and all(torch.equal(a[k], b[k]) for k in a)
    with pytest.raises(ConfigError, match="28x28 images or vectors"):
        make_config("infogan", dataset="dsprites32")


def _block(covered, hq, total=8, per_seed=None):
    return {"modes_covered": covered, "modes_covered_std": 0.0, "modes_total": total, "high_quality": hq,
            **({"per_seed": per_seed} if per_seed else {})}


def test_kinds_of_coverage():
    u = 0.005  # the uniform cloud's share near a ring mode
    assert toys.kind(0, 0.0, u) == "off" and toys.kind(1, 0.0099, u) == "off"  # few modes, not near them
    assert toys.kind(1, 0.01, u) == "collapsed" and toys.kind(1.5, 0.93, u) == "collapsed"
    assert toys.kind(7.3, 0.009, u) == "chance" and toys.kind(7.3, 0.01, u) == "near"
    assert toys.kind(7.3, 0.009, u, chance_ratio=1.5) == "near"
    assert toys.reading(_block(7.3, 0.2), _block(0.0, 0.0)).endswith("(7.3 of 8 covered, 20.0% of the samples near one, the cloud none)")


def test_reading_beside_the_uniform_cloud():
    uniform = _block(7.0, 0.005)
    assert toys.reading(_block(0.0, 0.0), uniform) == "on the ring, off the modes, so inconclusive about collapse (0.0 of 8 covered, 0.0% of the samples near one)"
    assert toys.reading(_block(1.0, 0.935, 25), uniform, "grid") == \
        "on the grid, collapsed onto few modes (1.0 of 25 covered, 93.5% of the samples near them)"
    assert toys.reading(_block(7.3, 0.009), uniform) == "on the ring, no nearer the modes than the uniform cloud, " \
        "so inconclusive about collapse (0.9% of the samples near one, the cloud 0.5%: its 7.3 of 8 covered are chance's)"
    assert toys.reading(_block(7.3, 0.047), uniform) == \
        "on the ring, nearer the modes than the uniform cloud (7.3 of 8 covered, 9 times the cloud's share of samples near one)"
    # seeds of one kind: read by their mean; of different kinds: each kind with its seeds
    same = _block(7.0, 0.05, per_seed={"modes_covered": [8, 6, 7], "high_quality": [0.06, 0.04, 0.05]})
    assert toys.reading(same, uniform) == toys.reading(_block(7.0, 0.05), uniform)
    mixed = _block(2.7, 0.058, per_seed={"modes_covered": [0, 8, 0], "high_quality": [0.0, 0.17, 0.004]})
    assert toys.reading(mixed, uniform) == ("on the ring, in 2 of 3 seeds off the modes, so inconclusive about collapse (0 and 0 of 8 covered), "
                                            "in 1 nearer the modes than the uniform cloud (8)")


def test_a_chapters_section(home):
    sec = toys.chapter({"wae_mmd": "wae", "wae_gan": ("wae", {"regulariser": "gan"})}, steps=2, seeds=2, show=False)
    direct = toys.coverage("wae", seeds=2, steps=2, regulariser="gan")  # the same runs, reused
    assert all(r.reused for r in direct.runs) and sec.metrics["wae_gan"] == direct.metrics
    assert sec.coverage["wae_gan"].runs[0].config["regulariser"] == "gan"
    assert sec.coverage["wae_mmd"].runs[0].config["regulariser"] == "mmd"
    assert len(sec.runs) == 8 and sec.seconds == pytest.approx(sum(r.seconds for r in sec.runs))
    assert sec.eval_seconds > 0 and sec.reference == toys.reference(seeds=2)
    g = sec.glue_values()
    m = sec.metrics["wae_gan"]["grid"]
    assert g["toy_grid_wae_gan"] == f"{m['modes_covered']:.1f} ± {m['modes_covered_std']:.1f}"
    assert g["toy_gridhq_wae_gan"] == f"{m['high_quality']:.0%}" and g["coverage_seeds_txt"] == "2"
    assert g["toy_read_wae_mmd"] == toys.reading(sec.metrics["wae_mmd"]["ring"], sec.reference["ring"]["uniform"], "ring") \
        + "; " + toys.reading(sec.metrics["wae_mmd"]["grid"], sec.reference["grid"]["uniform"], "grid")
    u = sec.reference["ring"]["uniform"]
    assert g["toy_uniform_txt"].startswith(f"{u['modes_covered']:.1f} of the ring's 8 modes with {u['high_quality']:.1%}")
    assert set(g) == {"coverage_seeds_txt", "toy_real_hq", "toy_uniform_txt"} | {
        f"toy_{t}_{k}" for t in ("ring", "grid", "ringhq", "gridhq", "read") for k in ("wae_mmd", "wae_gan")}
    table = sec.table({"wae_mmd": "WAE-MMD"}).splitlines()  # a row per model (named where a name is given), then the references
    assert [r.split(" | ")[0] for r in table[2:]] == ["| WAE-MMD", "| wae_gan", "| real samples", "| chance: uniform on the square"]
    assert "ring: modes (of 8)" in table[0] and "grid: modes (of 25)" in table[0]
    assert table[3].split(" | ")[1] == f"{sec.metrics['wae_gan']['ring']['modes_covered']:.3g}"
    fig = sec.figure()
    assert len(fig.axes) == 4 and fig.axes[0].get_title().startswith("wae_mmd")
    fewer = toys.chapter({"wae_mmd": "wae"}, steps=2, seeds=2, show=False, samples=150)  # the same runs, fewer samples scored
    assert all(r.reused for r in fewer.runs) and fewer.reference == toys.reference(seeds=2, samples=150)
    with pytest.raises(ValueError, match="at least one model"):
        toys.chapter({})
    with pytest.raises(UnknownNameError):
        toys.chapter({"x": "no_such_model"}, steps=1)


def test_short_reading():
    uniform = _block(7.0, 0.005)
    assert toys.short_reading(_block(7.3, 0.047), uniform) == "near the modes"
    assert toys.short_reading(_block(0.0, 0.0, per_seed={"modes_covered": [0, 0], "high_quality": [0, 0]}), uniform) == "off the modes (inconclusive)"
    mixed = _block(2.7, 0.058, per_seed={"modes_covered": [0, 8, 0], "high_quality": [0.0, 0.17, 0.004]})
    assert toys.short_reading(mixed, uniform) == "2 off the modes (inconclusive), 1 near the modes"


def test_infogan_codes_are_sized_to_the_toys_modes():
    for toy, modes in (("ring", 8), ("grid", 25)):
        assert toys.config("infogan", toy)["n_categories"] == modes == data.toy(toy).means.shape[0]
    assert toys.config("infogan", "ring", n_categories=10)["n_categories"] == 10  # an override still wins


def test_the_convergence_curve_ends_at_the_protocols_reading_of_the_same_run(home):
    curve = toys.convergence("gan", "ring", steps=20, every=10, samples=300)
    assert [c["step"] for c in curve] == [10, 20]
    r = toys.coverage("gan", toys=("ring",), seeds=1, steps=20, samples=300)
    last = {k: curve[-1][k] for k in ("modes_covered", "high_quality")}
    assert last == {k: r.metrics["ring"]["per_seed"][k][0] for k in last}
    assert not r.runs[0].reused  # convergence kept nothing: the protocol trained the run itself
    with pytest.raises(ValueError, match="every"):
        toys.convergence("gan", "ring", steps=5, every=10)


def test_the_protocol_trains_its_seeds_as_one_group(home):
    assert toys.seed_group("wgan_gp", 3) == 3 and toys.seed_group("gan", 1) == 1
    assert toys.seed_group("began", 3) == 1  # not groupable: each seed alone
    assert toys.seed_group("gan", 3, seed_group=1) == 1  # an explicit choice stands
    r = toys.coverage("gan", toys=("ring",), seeds=2, steps=6, samples=200)
    # groups of the protocol's 3 seeds whatever the number asked for: seeds 0 and 1 are members of 0-2
    assert [run.config["seed_group"] for run in r.runs] == [3, 3] and [run.config["seed"] for run in r.runs] == [0, 1]
    assert toys.seed_group("gan", 5) == toys.SEEDS  # 5 seeds share their first 3 runs with a reading of 3
    assert not torch.equal(r.all_samples["ring"][0], r.all_samples["ring"][1])  # two members, two runs
    alone = toys.coverage("gan", toys=("ring",), seeds=2, steps=6, samples=200, seed_group=1)
    assert [run.config["seed_group"] for run in alone.runs] == [1, 1]
    assert alone.runs[0].dir != r.runs[0].dir  # another identity
    b = toys.coverage("began", toys=("ring",), seeds=2, steps=3, samples=100)
    assert [run.config["seed_group"] for run in b.runs] == [1, 1]


@pytest.mark.parametrize("seeds", [3, 1])
def test_curves_end_at_the_protocols_reading_of_each_seed(seeds, home):
    # a group of 3 seeds, and a lone run: every member's curve recorded while it trains, its last point
    # the score coverage gives the finished run (the same weights, the same draw of samples)
    r = toys.coverage("gan", toys=("ring",), seeds=seeds, steps=60, samples=300, curve_every=30)
    curve = r.curves["ring"]
    assert [c["step"] for c in curve] == [30, 60]
    assert curve[-1]["modes_covered"] == r.metrics["ring"]["per_seed"]["modes_covered"]
    assert curve[-1]["high_quality"] == r.metrics["ring"]["per_seed"]["high_quality"]
    assert all(len(c["high_quality"]) == seeds for c in curve)
    again = toys.coverage("gan", toys=("ring",), seeds=seeds, steps=60, samples=300)  # read back: the curve is the run's
    assert all(run.reused for run in again.runs) and again.curves == r.curves
    plain = toys.coverage("gan", toys=("ring",), seeds=seeds, steps=30, samples=300)  # trained without the callback
    assert plain.curves == {"ring": []}
    with pytest.raises(ValueError, match="every"):
        toys.curve_callback(toys.config("gan", "ring"), "ring", 0)


def test_a_sections_texts_recompute_from_the_blocks_a_results_file_keeps():
    ring, grid = _block(7.3, 0.047), _block(24.0, 0.138, total=25)
    ref = {"ring": {"real": _block(8.0, 0.991), "uniform": _block(7.0, 0.005)},
           "grid": {"real": _block(25.0, 0.991, total=25), "uniform": _block(22.3, 0.0199, total=25)}}
    t = toys.texts({"wgan_gp": {"ring": ring, "grid": grid}}, ref, 3)
    assert t["coverage_seeds_txt"] == "3" and t["toy_real_hq"] == "99%"
    assert t["toy_uniform_txt"] == ("7.0 of the ring's 8 modes with 0.5% of its samples near one and "
                                    "22.3 of the grid's 25 modes with 2.0% of its samples near one")
    assert t["toy_ring_wgan_gp"] == "7.3 ± 0.0" and t["toy_gridhq_wgan_gp"] == "14%"
    assert t["toy_read_wgan_gp"] == (toys.reading(ring, ref["ring"]["uniform"], "ring") + "; "
                                     + toys.reading(grid, ref["grid"]["uniform"], "grid"))


def test_border_and_inner_count_the_samples_near_each_mode_of_the_grid():
    means = torch.as_tensor(data.toy("grid").means, dtype=torch.float32)
    border = means.abs().max(1).values == 4
    seed0 = means[border].repeat(2, 1)  # two samples on each of the 16 border modes, none inside
    seed1 = torch.cat([means, means[~border], torch.full((5, 2), 1.0)])  # one on each mode, a second inside, 5 between
    assert toys.border_and_inner([seed0, seed1]) == {"border": 1.5, "inner": 1.0, "n_border": 16, "n_inner": 9}


def test_geometry_gives_the_standardised_toys_mode_spacing_and_width():
    ring, grid = toys.geometry("ring"), toys.geometry("grid")
    radius = float(np.abs(data.toy(toys.TOYS["ring"]).means).max())  # modes at (±r, 0), (0, ±r) among them
    assert ring["spacing"] == pytest.approx(2 * radius * math.sin(math.pi / 8))  # 8 modes on a circle
    grid_means = data.toy(toys.TOYS["grid"]).means
    assert grid["spacing"] == pytest.approx(float(np.diff(np.unique(grid_means[:, 0])).min()))  # neighbours on the grid
    assert ring["mode_std"] == pytest.approx(float(data.toy(toys.TOYS["ring"]).std))
