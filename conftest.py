"""Doctests of the library (``--doctest-modules``): figures are drawn off-screen, in the project's theme
(its CJK font, so Chinese labels draw without missing-glyph warnings), and closed after each example."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _doctest_figures(request: pytest.FixtureRequest) -> Iterator[None]:
    if type(request.node).__name__ != "DoctestItem":
        yield
        return
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from kexie_research.viz import theme

    theme.use_project_theme()
    yield
    plt.close("all")
