"""Deprecated: the figure helpers now live in :mod:`kexie_research.viz.theme` (fonts, theme, saving),
:mod:`kexie_research.viz.labels` (bilingual labels) and :mod:`kexie_research.viz.charts` (chart
builders). This module re-exports them until 0.4, where it is removed. Per-case colours and names are data
(:func:`kexie_research.data.load_cases`), never written in code.

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
