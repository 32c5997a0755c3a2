import pytest

from gdm.config import make_config
from gdm.errors import ConfigError, UnknownNameError


def test_defaults_and_overrides():
    cfg = make_config("gan", steps=10, lr=1)  # an int is a fine float
    assert cfg["steps"] == 10 and cfg["lr"] == 1.0 and isinstance(cfg["lr"], float)
    assert cfg["model"] == "gan" and cfg["g_hidden"] == [1200, 1200]


def test_unknown_model_lists_the_known_ones():
    with pytest.raises(UnknownNameError, match=r"unknown model 'gann'; known models: .*gan"):
        make_config("gann")


def test_unknown_parameter_lists_the_allowed_ones():
    with pytest.raises(ConfigError, match=r"unknown parameter\(s\) 'stepz'.*allowed:.*steps"):
        make_config("gan", stepz=3)


@pytest.mark.parametrize("name,value", [("steps", "abc"), ("steps", 2.5), ("steps", True), ("lr", "fast"),
                                        ("freeze_generator", 1), ("g_hidden", [12, "a"]), ("dataset", 3)])
def test_wrong_types_say_what_is_expected(name, value):
    with pytest.raises(ConfigError, match=f"parameter '{name}' must be"):
        make_config("gan", **{name: value})


@pytest.mark.parametrize("name,value,match", [("dataset", "cifar", "known data sets"),
                                              ("g_loss", "hinge", "nonsaturating"),
                                              ("optimizer", "adamw", "rmsprop"),
                                              ("g_arch", "resnet", None)])
def test_unknown_choices(name, value, match):
    if match is None:  # architectures are checked when the nets are built
        from gdm import models
        with pytest.raises(UnknownNameError, match="dcgan"):
            models.build(make_config("gan", **{name: value}), (1, 28, 28))
        return
    with pytest.raises(UnknownNameError, match=match):
        make_config("gan", **{name: value})


def test_ranges():
    with pytest.raises(ConfigError, match="at least 1"):
        make_config("gan", steps=0)
    with pytest.raises(ConfigError, match="positive"):
        make_config("gan", lr=0.0)


def test_number_lists_take_floats_and_keep_integer_ids():
    from gdm.runs import run_id

    cfg = make_config("mmd_gan", sigmas=[0.05, 0.1, 1])
    assert cfg["sigmas"] == [0.05, 0.1, 1] and isinstance(cfg["sigmas"][2], int)  # whole numbers as integers
    assert run_id(make_config("mmd_gan", sigmas=[1, 2, 4, 8, 16])) == run_id(make_config("mmd_gan"))
    assert run_id(make_config("mmd_gan", sigmas=[1.0, 2.0])) == run_id(make_config("mmd_gan", sigmas=[1, 2]))  # one computation, one id
    with pytest.raises(ConfigError, match="must be list of numbers"):
        make_config("mmd_gan", sigmas=[1, "2"])
    with pytest.raises(ConfigError, match="must be list of numbers"):
        make_config("mmd_gan", sigmas=[True])
    with pytest.raises(ConfigError, match="must be list of int"):  # the others stay integer lists
        make_config("gmmn", kernel_variances=[0.5, 1])
