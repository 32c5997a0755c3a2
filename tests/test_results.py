import math
import re

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


def test_samples_kept_as_8_bit(tmp_path):
    g = torch.Generator().manual_seed(0)
    x = torch.rand(130, 1, 28, 28, generator=g)
    results.write("toy", chapter="00 Toy", config={}, metrics={}, paper={}, seconds=0, samples=x, directory=tmp_path)
    back = results.read_samples("toy", tmp_path)
    assert back.shape == (results.SAMPLES_KEPT, 1, 28, 28)
    assert (back - x[: results.SAMPLES_KEPT]).abs().max() <= 0.5 / 255 + 1e-7  # rounding to 8 bits, no more
    assert results.read_samples("missing", tmp_path) is None
    assert list(results.collect(tmp_path)) == ["toy"]  # the samples folder is not a results file


def test_samples_out_of_range_refused(tmp_path):
    import pytest

    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        results.write("toy", chapter="00 Toy", config={}, metrics={}, paper={}, seconds=0,
                      samples=torch.full((4, 1, 28, 28), 2.0), directory=tmp_path)
    assert not (tmp_path / "toy.json").exists()  # refused before anything is written


def test_markdown_table_escapes_pipes_inside_cells():
    """A header such as "share with |x| < 1" split its cell and the table rendered as a paragraph;
    pipes already escaped (chapter 10's "E[z | x]" headers) stay as they are."""
    from gdm.results import markdown_table

    table = markdown_table({"a|b": {"k": 0.5, "s": "p(z \\| x)"}}, {"k": "share with |x| < 1", "s": "E[z₁ \\| x]"})
    header, sep, row = table.splitlines()
    assert header == "| | share with \\|x\\| < 1 | E[z₁ \\| x] |" and sep == "|---|---|---|"
    assert row == "| a\\|b | 0.5 | p(z \\| x) |"
    unescaped = lambda line: len(re.findall(r"(?<!\\)\|", line))
    assert unescaped(header) == unescaped(sep) == unescaped(row) == 4


def test_seed_text_formats_each_seed_and_names_a_missing_value():
    from gdm.results import seed_text

    assert seed_text([0.1234, None, 2], ".2f") == "0.12 / n/a / 2.00"
    assert seed_text([None], ".1f", none="diverged") == "diverged" and seed_text([], "d") == ""


def test_a_chapters_seconds_count_each_run_once_and_this_process_training_not_twice():
    import time
    from types import SimpleNamespace

    from gdm.runs import chapter_seconds

    stored = SimpleNamespace(id="a", seconds=100.0, source="store")
    trained = SimpleNamespace(id="b", seconds=5.0, source="trained")
    t0 = time.perf_counter() - 7.0  # 7 s ago, 5 of them training run b
    total = chapter_seconds([stored, trained, stored], t0)
    assert 107.0 <= total < 107.5


def test_numbers_print_without_an_exponent_when_large():
    assert [results.significant(v) for v in (1092.3, 949.2, 0.0847, -1234.5)] == ["1,092", "949", "0.0847", "-1,234"]
    assert results.significant(290.0, 2) == "290" and results.significant(1.1e-15, 2) == "1.1e-15"
    table = results.markdown_table({"a": {"fd": 3045.6, "p": 0.874}}, {"fd": "FD", "p": "precision"})
    assert table.splitlines()[-1] == "| a | 3,046 | 0.874 |"
    from gdm.claims import _Formatter
    assert _Formatter().format("{a:.3g} ± {b:.2g} ({c:.0f})", a=1092.3, b=290.0, c=3.0) == "1,092 ± 290 (3)"
