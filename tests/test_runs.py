"""gdm.runs: the side-by-side timing of updates."""
import pytest

from gdm.config import make_config


def test_update_seconds_times_each_model_in_turns_from_the_step_asked():
    from gdm.runs import update_seconds
    from gdm.models.wgan import critic_updates

    small = dict(dataset="mnist5k", batch_size=8, g_hidden=[8], seed=0)
    cfgs = {"gmmn": make_config("gmmn", **small),
            "mmd_gan": make_config("mmd_gan", arch="mlp", d_hidden=[8], code_dim=3, g_batchnorm=False, **small)}
    t = update_seconds(cfgs, updates=3, start=30, rounds=2)
    assert set(t) == {"gmmn", "mmd_gan"} and all(v > 0 for v in t.values())
    # MMD-GAN's update makes k critic updates and the generator's (from step 30, past the warm-up's first 25)
    assert critic_updates(30, 5, True) == 5 and t["mmd_gan"] > t["gmmn"]
    with pytest.raises(ValueError, match="at least 1"):
        update_seconds(cfgs, updates=0)
