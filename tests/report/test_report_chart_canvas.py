"""The PNG charts are drawn on one figure kept per process: each must come out exactly as
on a new figure, whatever was drawn on the kept one before (the files of ``--jobs 1`` and
``--jobs N`` depend on it, as each worker draws its own sequence of charts)."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from planwatch.report import charts
from planwatch.report.model import Chart, Series

YEARS = [2020, 2021, 2022, 2023, 2024]


def _kinds() -> list[Chart]:
    return [
        Chart("孕产妇死亡率（2020—2024年）", YEARS, [Series("市中区", [8.1, 9.3, 8.2, 8.8, 7.9])],
              unit="/10万", target=8.0, target_label="2025年目标 不高于8/10万"),
        Chart("街道党政正职中配备女干部", YEARS, [Series("市中区", [1, 1, None, None, None])],
              unit="名", target=1.0),
        Chart("义务教育巩固率", YEARS,
              [Series("市中区", [94.0, 93.0, 92.1, 91.1, None]),
               Series("市中区（女）", [94.8, 93.9, 93.1, 92.2, None]),
               Series("市中区（男）", [93.3, 92.2, 91.2, 90.1, None])],
              unit="%", target=100.0, pending_years=[2024]),
        Chart("家庭数", [2022, 2023], [Series("区", [3.0, 7.0]), Series("县", [2.0, 5.0])],
              kind="bar"),
        Chart("常住人口", [2021, 2022, 2023],
              [Series("区", [1_204_561.0, 1_204_563.0, 1_204_566.0])], unit="万元"),
        Chart("无数据", [2023, 2024], [Series("区", [None, None])], unit="%"),
    ]


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def _fresh(chart: Chart, monkeypatch: pytest.MonkeyPatch) -> bytes:
    monkeypatch.setattr(charts, "_canvas", None)
    return charts._draw(chart, "png")


def test_kept_figure_draws_what_a_new_one_draws_in_any_order(
        monkeypatch: pytest.MonkeyPatch) -> None:
    kinds = _kinds()
    fresh = [_fresh(c, monkeypatch) for c in kinds]
    assert len(set(fresh)) == len(kinds)
    monkeypatch.setattr(charts, "_canvas", None)
    for order in (list(range(len(kinds))), list(reversed(range(len(kinds)))), [2, 0, 3, 1, 5, 4]):
        for i in order:
            assert charts._draw(kinds[i], "png") == fresh[i], kinds[i].title


def test_a_failed_chart_leaves_no_half_drawn_figure(monkeypatch: pytest.MonkeyPatch) -> None:
    good = _kinds()[0]
    expected = _fresh(good, monkeypatch)
    broken = Chart("坏图", [2023, 2024], [Series("区", [1.0, 2.0])])
    broken.series.append(Series("错", [1.0]))  # bypasses the model's own check

    with pytest.raises(ValueError):
        charts._draw(broken, "png")
    assert charts._draw(good, "png") == expected


def test_png_chart_is_print_resolution_rgb() -> None:
    image = Image.open(io.BytesIO(charts._draw(_kinds()[0], "png")))
    assert image.mode == "RGB"
    assert image.size == (charts.WIDTH_IN * charts.PNG_DPI, charts.HEIGHT_IN * charts.PNG_DPI)
    assert _pixels(charts._draw(_kinds()[0], "png")).min() < 100  # something is drawn


def test_point_labels_and_the_target_key_print_figures_as_the_tables_do() -> None:
    """The indicator tables print figures to two decimals: a point whose table cell reads 5.25
    is labelled 5.25 on its chart, not 5.3 (the Word chart's figures: test_report_docx_chart.py)."""
    chart = Chart("孕产妇死亡率（2022—2024年）", [2022, 2023, 2024], [Series("全区", [5.25, 4.8, 7.0])],
                  unit="/10万", target=8.125)
    fig = charts.figure(chart)
    written = [t.get_text() for ax in fig.axes for t in ax.texts] + [t.get_text() for t in fig.texts]
    assert {"5.25", "4.8", "7"} <= set(written), written
    assert "目标值 8.13/10万" in written, written
