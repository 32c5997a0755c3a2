"""The comparison chapter's tables, on synthetic results records."""
import pytest
import torch

from gdm import compare
from gdm.models import REGISTRY


def _record(chapter, fd, sharp=None, **extra):
    m = {"fd": fd, "fd_real": 28.0, "kid": 10 * fd, "precision": 0.5, "recall": 0.25, "classes_covered": 10,
         "precision_real": 0.9, "recall_real": 0.9, "kid_real": 20.0, "classes_covered_real": 10, "sharpness_real": 0.08,
         **({"sharpness": sharp} if sharp is not None else {}), **extra}
    return {"chapter": chapter, "config": {"steps": 1000, "batch_size": 64}, "seconds": 120.0, "metrics": m,
            "paper": {"score": [1.9, 0.1], "text": "a claim"}}


def test_every_model_of_the_book_has_its_facts():
    assert set(REGISTRY) - {"classifier"} == set(compare.MODELS)
    assert {f.family for f in compare.MODELS.values()} == {compare.ADVERSARIAL, compare.MOMENTS, compare.AUTOENCODER}


def test_standard_rows_keep_the_book_order_and_end_with_the_real_floor():
    records = {"gan": _record("01 GAN", 900.0, 0.05), "beta_vae": {"chapter": "11", "metrics": {"recon": 1.0}},
               "vae": _record("10 VAE", 600.0)}
    images = torch.zeros(4, 1, 8, 8)
    images[:, :, ::2] = 1.0  # stripes: sharp
    rows = compare.standard_rows(records, samples={"vae": images})
    assert list(rows) == ["GAN", "VAE", "real data"]  # beta_vae has no standard block
    assert rows["GAN"]["sharpness"] == 0.05 and rows["GAN"]["family"] == compare.ADVERSARIAL
    assert rows["VAE"]["sharpness"] == pytest.approx(compare.sharpness(images)["sharpness"])  # measured on kept samples
    assert rows["VAE"]["budget"] == "1,000 × 64, 2.0 min"
    assert rows["real data"]["fd"] == 28.0 and rows["real data"]["sharpness"] == 0.08
    sparse = {"gan": {"chapter": "01", "metrics": {"fd": 900.0, "fd_real": 30.0}}, "vae": _record("10 VAE", 600.0)}
    assert compare.standard_rows(sparse)["real data"]["precision"] == 0.9  # the fullest floor, not the first


def test_family_means():
    rows = {"a": {"family": compare.ADVERSARIAL, "x": 1.0}, "b": {"family": compare.ADVERSARIAL, "x": 3.0},
            "c": {"family": compare.AUTOENCODER, "x": float("nan")}, "d": {"family": compare.AUTOENCODER, "x": 5.0},
            "e": {"family": compare.MOMENTS}}
    assert compare.family_means(rows, "x") == {compare.ADVERSARIAL: 2.0, compare.AUTOENCODER: 5.0}


def test_toy_rows_first_chapter_wins_and_other_toy_keys_are_ignored():
    block = lambda n: {"ring": {"modes_covered": n, "modes_covered_std": 0.5, "modes_total": 8, "high_quality": 0.7,
                                "high_quality_std": 0.1, "seeds": 3},
                       "grid": {"modes_covered": 20.0, "modes_total": 25, "seeds": 3}}
    records = {"gan": {"chapter": "01", "metrics": {"toy": {"gan": block(2.0)}}},
               "wgan_gp": {"chapter": "04", "metrics": {"toy": {"gan": block(5.0), "wgan_gp": block(8.0)}}},
               "gmmn": {"chapter": "08", "metrics": {"toy": {"data": {"mean": 0.1}}}}}
    rows = compare.toy_rows(records)
    assert list(rows) == ["GAN", "WGAN-GP"]
    assert rows["GAN"]["ring_modes_covered"] == 2.0 and rows["GAN"]["chapter"] == "01"
    assert rows["WGAN-GP"]["grid_high_quality"] is None and rows["WGAN-GP"]["ring_seeds"] == 3
    assert "ring_reading" not in rows["GAN"]
    uniform = {t: {"uniform": {"modes_covered": 7.0, "high_quality": 0.005}} for t in ("ring", "grid")}
    read = compare.toy_rows(records, reference=uniform)
    assert read["GAN"]["ring_reading"] == "near the modes" and read["GAN"]["grid_reading"] is None  # no share on the grid
    assert read["GAN"]["ring_modes_covered"] == rows["GAN"]["ring_modes_covered"]


def test_paper_rows_read_both_numbers_from_the_record():
    records = {"aae": _record("12 AAE", 500.0, semi=0.146)}
    spec = [{"slug": "aae", "quantity": "error", "ours": {"paths": ["metrics.semi"], "fmt": "{:.1f} %", "scale": 100},
             "paper": {"paths": ["paper.score"], "fmt": "{0[0]} ± {0[1]} %"}, "data": "mnist5k", "why": "scale"},
            {"slug": "aae", "quantity": "claim", "ours": {"paths": ["metrics.missing"]}, "paper": {"paths": ["paper.text"]}},
            {"slug": "nope", "quantity": "x", "ours": "1", "paper": "2"}]
    rows = compare.paper_rows(records, spec)
    assert [r["quantity"] for r in rows] == ["error", "claim"]
    assert rows[0]["ours"] == "14.6 %" and rows[0]["paper"] == "1.9 ± 0.1 %" and rows[0]["chapter"] == "12 AAE"
    assert rows[1]["ours"] == "not measured" and rows[1]["paper"] == "a claim"
    per_seed = {"aae": {**records["aae"], "metrics": {"on": [0.8, 0.84, 0.79], "off": [0.756]}}}
    spec = [{"slug": "aae", "quantity": "q", "ours": {"paths": ["metrics.on", "metrics.off"], "each": "{:.2f}",
                                                      "fmt": "{} / {}"}, "paper": "p"}]
    assert compare.paper_rows(per_seed, spec)[0]["ours"] == "0.80, 0.84, 0.79 / 0.76"  # any number of seeds


def test_lookup():
    rec = {"a": {"b": {"c": 3}}, "gamma": {"0.5": {"fd": 7}, "0": {"x": 1}}}
    assert compare.lookup(rec, "a.b.c") == 3 and compare.lookup(rec, "a.x.c") is None and compare.lookup(rec, "a.b.c.d") is None
    assert compare.lookup(rec, "gamma.0.5.fd") == 7 and compare.lookup(rec, "gamma.0.x") == 1


def test_book_order():
    recs = {"vae": {"chapter": "10 VAE"}, "gan": {"chapter": "01 GAN"}, "wgan": {"chapter": "03 WGAN"}}
    assert list(compare.in_book_order(recs)) == ["gan", "wgan", "vae"]


def test_variant_keys_take_their_model_family():
    assert compare.facts_of("wae_gan").name == "WAE-GAN" and compare.facts_of("wae_gan").family == compare.AUTOENCODER
    assert compare.facts_of("wgan_gp").name == "WGAN-GP"  # a registry key, not WGAN's variant
    assert compare.facts_of("fgan_pearson").name == "f-GAN (pearson)"
    assert compare.facts_of("nothing") is None


def test_family_table_and_learned_nothing():
    rows = {"GAN": {"family": compare.ADVERSARIAL, "precision": 0.8, "classes_covered": 8, "recall": 0.4, "sharpness": 0.2},
            "WGAN-GP": {"family": compare.ADVERSARIAL, "precision": 0.01, "classes_covered": 1, "recall": 0.0},
            "VAE": {"family": compare.AUTOENCODER, "precision": 0.7, "classes_covered": 10, "recall": 0.5, "sharpness": 0.06},
            "real data": {"precision": 0.9, "classes_covered": 10, "recall": 0.9, "sharpness": 0.16}}
    toys = {"GAN": {"family": compare.ADVERSARIAL, "ring_modes_covered": 2.0, "ring_modes_covered_std": 1.0,
                    "grid_modes_covered": 5.0, "grid_modes_covered_std": 0.0},
            "VAE": {"family": compare.AUTOENCODER, "ring_modes_covered": 8.0, "ring_modes_covered_std": 0.0}}
    assert compare.learned_nothing(rows) == ["WGAN-GP"]
    t = compare.family_table(rows, toys)
    adv, ae = t[compare.ADVERSARIAL], t[compare.AUTOENCODER]
    assert adv["models"] == 2 and adv["learned nothing"] == 1 and ae["learned nothing"] == 0
    assert adv["recall"] == 0.2 and adv["classes covered (of 10)"] == 4.5 and adv["sharpness"] == 0.2
    assert adv["ring: share of modes covered"] == 0.25 and adv["ring: spread over seeds"] == 0.125
    assert ae["ring: share of modes covered"] == 1.0 and ae["grid: share of modes covered"] == 0.0
    assert t["real data"]["recall"] == 0.9
