"""Deprecated: the figure helpers now live in :mod:`kexie_research.viz.theme` (fonts, theme, saving),
:mod:`kexie_research.viz.labels` (bilingual labels) and :mod:`kexie_research.viz.charts` (chart
builders). This module re-exports them until 0.4, where it is removed. Per-case colours and names are data
(:func:`kexie_research.data.load_cases`): the deprecated ``CITY_COLOURS`` and ``CITY_NAMES`` are read
from there (with a ``FutureWarning``), never written in code.

Example::

    >>> from kexie_research.viz import plotting, theme
    >>> plotting.publish is theme.publish
    True
"""

from __future__ import annotations

from kexie_research.viz.charts import (
    breakdown_chart,
    count_bars,
    count_heatmap,
    figure_note,
    rate_chart,
    series_chart,
    source_note,
    timeline_chart,
)
from kexie_research.viz.labels import case_label, label
from kexie_research.viz.theme import (
    PALETTE,
    PREFERRED_FAMILIES,
    has_cjk_font,
    publish,
    register_cjk_font,
    save_figure,
    use_project_theme,
)

__all__ = [
    "PALETTE",
    "PREFERRED_FAMILIES",
    "breakdown_chart",
    "case_label",
    "count_bars",
    "count_heatmap",
    "figure_note",
    "has_cjk_font",
    "label",
    "publish",
    "rate_chart",
    "register_cjk_font",
    "save_figure",
    "series_chart",
    "source_note",
    "timeline_chart",
    "use_project_theme",
]


def __getattr__(name: str):
    """``CITY_COLOURS`` / ``CITY_NAMES``: deprecated views of the cases table (removed in 0.4)."""
    if name in ("CITY_COLOURS", "CITY_NAMES"):
        import warnings

        from kexie_research import data

        warnings.warn(
            f"plotting.{name} is deprecated: use kexie_research.data.load_cases() (colour, case_zh, case_en)",
            FutureWarning,
            stacklevel=2,
        )
        cases = data.load_cases()
        if name == "CITY_COLOURS":
            return dict(zip(cases["case"], cases["colour"]))
        return {case: (zh, en) for case, zh, en in zip(cases["case"], cases["case_zh"], cases["case_en"])}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
