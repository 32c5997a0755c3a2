import pytest
import torch


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    """Every test writes runs and results under its own temporary GDM_HOME."""
    monkeypatch.setenv("GDM_HOME", str(tmp_path / "gdm-home"))
    monkeypatch.setenv("GDM_PROGRESS", "0")
    torch.manual_seed(0)
