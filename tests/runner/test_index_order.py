"""The index page lists reports in reading order and tells the case profiles apart."""

from __future__ import annotations

import re

from kexie_research.runner.discover import discover_notebooks
from kexie_research.runner.index import case_descriptions, render_index


def _entry(run_name: str, notebook: str, case: str | None = None) -> dict:
    parameters = {"case": case} if case else {}
    return {
        "run_name": run_name,
        "notebook": notebook,
        "parameters": parameters,
        "status": "ok",
        "html": f"{run_name}.html",
        "started": "2026-01-01T00:00:00",
        "duration": 1.0,
        "figures": [],
    }


def test_case_profiles_follow_the_cases_table_each_with_its_own_description():
    cases = case_descriptions()
    assert len(cases) >= 2
    order = sorted(cases, key=lambda key: cases[key]["order"])
    runs = {f"10_case_profile-{key}": _entry(f"10_case_profile-{key}", "10_case_profile", key) for key in sorted(cases)}
    runs["00_dataset_overview"] = _entry("00_dataset_overview", "00_dataset_overview")
    page = render_index({"runs": runs}, [], discover_notebooks(), {"version": "x", "built": "y"})
    listed = re.findall(r"<code>(10_case_profile-\w+|00_dataset_overview)</code>", page)
    assert listed == ["00_dataset_overview"] + [f"10_case_profile-{key}" for key in order]
    summaries = re.findall(r'<div class="summary">(.*?)</div>', page, re.S)
    assert len(summaries) == len(cases) + 1 and len(set(summaries)) == len(summaries)
    for key in cases:
        assert cases[key]["title"].split()[0] in page


def test_index_escapes_a_case_name(monkeypatch):
    from kexie_research.runner import index

    hostile = "<img src=x onerror=alert(1)>"
    monkeypatch.setattr(index, "case_descriptions", lambda: {"x": {"title": hostile, "summary": hostile, "order": 0}})
    page = render_index(
        {"runs": {"10_case_profile-x": _entry("10_case_profile-x", "10_case_profile", "x")}},
        [],
        discover_notebooks(),
        {"version": "x", "built": "y"},
    )
    assert "<img src=x" not in page and page.count("&lt;img src=x onerror=alert(1)&gt;") >= 2
