"""gdm.headline: a headline image model over seeds, its FD and D's train/held-out outputs tracked."""
import pytest
import torch

from gdm import headline, metrics
from gdm.config import make_config
from gdm.errors import GdmError

TINY = dict(dataset="mnist5k", steps=4, batch_size=16, g_arch="mlp", g_hidden=[16], d_arch="maxout", d_hidden=[8],
            d_pieces=2, z_dim=4, log_every=1)


def test_seeds_tracks_and_scores_each_seed_and_reads_a_finished_run_from_its_history(tmp_path, monkeypatch):
    monkeypatch.setenv("GDM_HOME", str(tmp_path))
    cfgs = {s: make_config("gan", seed=s, **TINY) for s in (0, 1)}
    h = headline.seeds(cfgs, "mnist5k", every=2, n=50, feature_steps=20, gap=True)
    assert list(h.runs) == [0, 1] and [len(h.samples[s]) for s in h.runs] == [50, 50]
    assert [u for u, _ in h.curves["fd"][1]] == [2, 4] and len(h.curves["d_gap"][0]) == 2
    (u, gap), (_, tr), (_, ho) = h.curves["d_gap"][0][-1], h.curves["d_train"][0][-1], h.curves["d_heldout"][0][-1]
    assert gap == pytest.approx(tr - ho) and 0 <= tr <= 1
    # the tracked FD is the standard block's FD of the seed's own draw (the same samples, the same features)
    x = h.runs[1].model.sample(50, torch.Generator().manual_seed(1))
    assert torch.equal(x, h.samples[1])
    assert h.curves["fd"][1][-1][1] == pytest.approx(metrics.fd_to_data(x, "mnist5k", reference=4000, feature_steps=20))
    assert h.per_seed("fd", "recall")["recall"] == [h.blocks[0]["recall"], h.blocks[1]["recall"]]
    again = headline.seeds(cfgs, "mnist5k", every=2, n=50, feature_steps=20, gap=True, evaluate=False)
    # the training done by each call: all of the first's, none of the second's (read from the run cache)
    assert h.trained_seconds == pytest.approx(h.seconds) and h.seconds > 0 and again.trained_seconds == 0
    for s in (0, 1):  # the block recorded at the end of training is the one the finished run's weights give
        assert again.blocks[s]["fd"] == pytest.approx(h.blocks[s]["fd"]) and again.samples == {}
    assert len(h.late("fd")) == 2 and h.plateau("fd") in ("levelled", "falling", "rising")
    assert h.text("classes_covered", "d") == f"{h.blocks[0]['classes_covered']} / {h.blocks[1]['classes_covered']}"
    table = headline.table({"A": h, "B": again}, real=h.blocks[0]).splitlines()
    assert len(table) == 5 and table[2].startswith("| A |") and table[4].startswith("| held-out real digits |")
    assert f"{h.blocks[0]['fd']:.0f} / {h.blocks[1]['fd']:.0f}" in table[2]
    assert f"| {h.blocks[0]['fd_real']:.0f} |" in table[4]


def test_a_run_without_its_final_block_cannot_be_read_from_its_history_alone(tmp_path, monkeypatch):
    from gdm.runs import load_or_train

    monkeypatch.setenv("GDM_HOME", str(tmp_path))
    cfg = make_config("gan", seed=2, **TINY)
    load_or_train(cfg)  # trained without the chapter's callbacks
    with pytest.raises(GdmError, match="evaluate=True"):
        headline.seeds({2: cfg}, "mnist5k", every=2, n=50, feature_steps=20, evaluate=False)


def test_a_run_shared_with_the_tracking_study_is_read_without_its_nets(tmp_path, monkeypatch):
    from functools import partial

    from gdm.metrics import tracking

    monkeypatch.setenv("GDM_HOME", str(tmp_path))
    cfg = make_config("gan", seed=0, **TINY)
    h = headline.seeds({0: cfg}, "mnist5k", every=2, n=50, feature_steps=20)
    train = partial(headline.train, dataset="mnist5k", every=2, n=50, feature_steps=20)
    assert train(cfg).id == h.runs[0].id and headline.recorded(train(cfg))["fd"] == pytest.approx(h.blocks[0]["fd"])

    def no_sampling(self, *a, **k):
        raise AssertionError("fd_of reads the history: no net is run")

    settings = {"base": {}, "short": {"steps": 2}, "narrow": {"g_hidden": [4]}}
    seen = []

    def fd_of(run):
        seen.append(run.id)
        return headline.recorded(run)["fd"]

    study = tracking.across_runs(lambda over, s: make_config("gan", **{**TINY, "seed": s, **over}), settings, [0],
                                 tracking.last("d_loss", 1), "mnist5k", train=train, fd_of=fd_of)
    assert study.runs[0].id == h.runs[0].id and len(seen) == 3
    assert study.metrics["fd"][0][0] == pytest.approx(h.blocks[0]["fd"])
    monkeypatch.setattr(type(study.runs[1].model), "sample", no_sampling)
    again = tracking.across_runs(lambda over, s: make_config("gan", **{**TINY, "seed": s, **over}), settings, [0],
                                 tracking.last("d_loss", 1), "mnist5k", train=train, fd_of=fd_of)
    assert again.metrics["fd"] == study.metrics["fd"] and again.metrics["loss"] == study.metrics["loss"]


def test_seeds_can_leave_out_a_seed_that_diverges_and_say_so(tmp_path, monkeypatch):
    from gdm.errors import TrainingDivergedError

    monkeypatch.setenv("GDM_HOME", str(tmp_path))
    real_train = headline.train

    def train(cfg, *a, **k):
        if cfg["seed"] == 1:
            raise TrainingDivergedError("training diverged at step 3: d_loss = nan")
        return real_train(cfg, *a, **k)

    monkeypatch.setattr(headline, "train", train)
    cfgs = {s: make_config("gan", seed=s, **TINY) for s in (0, 1)}
    with pytest.raises(TrainingDivergedError):
        headline.seeds(cfgs, "mnist5k", every=2, n=50, feature_steps=20)
    failed = {}
    h = headline.seeds(cfgs, "mnist5k", every=2, n=50, feature_steps=20, diverged=failed)
    assert list(h.runs) == [0] and list(h.blocks) == [0] and list(failed) == [1]
    assert "step 3" in str(failed[1]) and list(h.curves["fd"]) == [0]
