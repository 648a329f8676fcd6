"""Chart layout: labels fit beside their axes, tick labels do not touch, intervals are not clipped,
context labels give way. Measured on the drawn figure (matplotlib window extents)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from kexie_research.viz import charts, theme
import itertools

LONG_UNIT = "人次 person-times (attendances; one person at three events counts 3)"


@pytest.fixture(autouse=True)
def _project_theme():
    theme.use_project_theme()  # the project's CJK font, as the notebooks draw
    yield
    plt.close("all")


def _extent(artist, fig):
    fig.canvas.draw()
    return artist.get_window_extent(fig.canvas.get_renderer())


def test_series_chart_y_label_is_no_taller_than_its_axes_and_the_unit_goes_into_the_note():
    frame = pd.DataFrame(
        {
            "year": [2018, 2019, 2020],
            "value": [1.0, 2.0, 3.0],
            "is_target": [False, False, True],
            "raw_text": ["1次", "2次", "3次"],
            "label": ["2018", "2019", "2020 目标"],
        }
    )
    fig = charts.series_chart(frame, "标题 title", LONG_UNIT, "src")
    ax = fig.axes[0]
    assert _extent(ax.yaxis.label, fig).height <= _extent(ax, fig).height
    assert "attendances" not in ax.get_ylabel() and "attendances" in fig.texts[-1].get_text()


@pytest.mark.parametrize(
    "columns",
    [
        ["梧州\nWuzhou", "荣昌\nRongchang", "成都\nChengdu", "柳州\nLiuzhou", "遵义\nZunyi"],
        [f"地方{i}\nA long place name {i}" for i in range(7)],
    ],
)
def test_heatmap_tick_labels_do_not_touch(columns):
    grid = pd.DataFrame(
        [[1.0] * len(columns)] * 12,
        columns=columns,
        index=[f"维度{i} A rather long reform dimension label number {i} of the lexicon" for i in range(12)],
    )
    fig = charts.value_heatmap(grid, "t", 1, "s", "hits", figsize=(9, 6.5))
    ax = fig.axes[0]
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    for ticks, lo, hi in ((ax.get_xticklabels(), "x0", "x1"), (ax.get_yticklabels(), "y0", "y1")):
        boxes = sorted((t.get_window_extent(renderer) for t in ticks if t.get_text()), key=lambda b: getattr(b, lo))
        assert all(getattr(a, hi) <= getattr(b, lo) + 0.5 for a, b in itertools.pairwise(boxes))


def test_interval_bars_show_every_whisker_and_put_notes_above_them():
    fig = charts.interval_bars(
        ["a", "b"],
        [58.0, 5.0],
        [34.0, 0.5],
        [103.0, 66.0],
        ["#0072B2", "0.5"],
        "t",
        LONG_UNIT,
        2,
        "s",
        notes=["12/2,036", "1/848"],
    )
    ax = fig.axes[0]
    assert ax.get_ylim()[1] > 103.0
    notes = [t for t in ax.texts if "/" in t.get_text()]
    assert [t.xy[1] for t in notes] == [103.0, 66.0]


def test_context_labels_give_way_to_data_labels():
    fig, ax = plt.subplots()
    ax.text(0.5, 0.5, "梧州市 Wuzhou")
    hidden = ax.text(0.52, 0.5, "广西 Guangxi", gid=theme.YIELDING_LABEL)
    kept = ax.text(0.1, 0.1, "22°N", gid=theme.YIELDING_LABEL)
    assert theme.yield_colliding_labels(fig) == 1
    assert not hidden.get_visible() and kept.get_visible()


def test_a_growth_fit_too_wide_for_a_float_draws_within_finite_axes():
    """Values of very different size (found by the generated datasets of tests/notebooks): the fit's
    upper band overflows to inf; the axis stops at the largest finite value and the band at its edge."""
    import warnings

    import numpy as np

    from kexie_research.analysis import stats

    frame = pd.DataFrame(
        {
            "year": [2019, 2020, 2021],
            "value": [3.99e-170, 1.0, 1.6e6],
            "is_target": [False, False, False],
            "raw_text": ["a", "b", "c"],
            "label": ["2019", "2020", "2021"],
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # the overflow is expected, not warned about
        fit = stats.log_linear_growth(frame["year"], frame["value"])
    assert np.isinf(fit.fitted["upper"]).any()
    fig = charts.series_chart(frame, "t", "u", "s", fit=fit)
    bottom, top = fig.axes[0].get_ylim()
    assert (bottom, top) == (0.0, 1.6e6 * 1.3)
    band = fig.axes[0].collections[-1].get_paths()[0].vertices[:, 1]
    assert np.isfinite(band).all() and band.max() <= top


def test_a_finite_growth_fit_sets_the_axis_top_by_its_upper_band():
    from kexie_research.analysis import stats

    frame = pd.DataFrame(
        {
            "year": [2017, 2018, 2019, 2020],
            "value": [1.0, 2.0, 4.0, 4.0],
            "is_target": [False] * 4,
            "raw_text": ["1", "2", "4", "4"],
            "label": ["2017", "2018", "2019", "2020"],
        }
    )
    fit = stats.log_linear_growth(frame["year"], frame["value"])
    fig = charts.series_chart(frame, "t", "u", "s", fit=fit)
    assert fig.axes[0].get_ylim()[1] == pytest.approx(max(4.0 * 1.3, fit.fitted["upper"].max() * 1.05))
