"""Labels, theme and charts (kexie_research.viz): names and colours from the cases table, counts in words."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from kexie_research.viz import charts, labels, plotting, theme

CASES = pd.DataFrame(
    {"case": ["a", "b"], "case_zh": ["甲", "乙"], "case_en": ["Alpha", "Beta"], "colour": ["#0072B2", ""]}
)


@pytest.fixture(autouse=True)
def project_theme():
    theme.use_project_theme()
    yield
    plt.close("all")


def test_labels_come_from_the_cases_table():
    both = theme.has_cjk_font()
    assert labels.case_label("a", CASES) == ("甲 Alpha" if both else "Alpha")
    assert labels.case_label("zz", CASES) == "zz"
    assert labels.case_labels(CASES, sep="\n")["b"] == ("乙\nBeta" if both else "Beta")
    assert labels.count_phrase(6, "place") == "6 places" and labels.count_phrase(1, "place") == "1 place"


def test_case_colours_default_to_neutral_for_a_case_without_one():
    assert charts.case_colours(CASES) == {"a": "#0072B2", "b": charts.NEUTRAL}
    assert charts.case_colours(CASES, ["b", "a", "new"]) == [charts.NEUTRAL, "#0072B2", charts.NEUTRAL]


def test_count_bars_note_and_colours():
    fig = charts.count_bars(["x", "y"], [3, 1], "T", "rows", n="2 places", sources="S", colours=["#0072B2", "#D55E00"])
    assert [mcolors.to_hex(p.get_facecolor()) for p in fig.axes[0].patches] == ["#0072b2", "#d55e00"]
    assert fig.texts[-1].get_text().startswith("n = 2 places. Sources: S")


def test_save_figure_rejects_paths(tmp_path):
    fig, _ = plt.subplots()
    with pytest.raises(ValueError, match="plain file stem"):
        theme.save_figure(fig, "../x", tmp_path)
    assert [p.name for p in theme.save_figure(fig, "ok", tmp_path)] == ["ok.png", "ok.svg", "figure-01-ok.pdf"]


def test_plotting_is_a_deprecated_alias_that_holds_no_case_colours():
    assert plotting.publish is theme.publish and plotting.label is labels.label
    for removed in ("CITY_COLOURS", "CITY_NAMES", "NOT_THERE"):  # case colours and names: load_cases()
        with pytest.raises(AttributeError):
            getattr(plotting, removed)


def test_save_figure_lays_out_once_with_the_tight_box_savefig_finds(tmp_path):
    import matplotlib as mpl
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure
    from PIL import Image

    with mpl.rc_context({"savefig.bbox": "tight"}):
        fig, ax = plt.subplots()
        ax.bar(["甲", "乙"], [1, 2])
        ax.set_title("一个标题 A title")
        png, svg, _pdf = theme.save_figure(fig, "ours", tmp_path)
        fig.savefig(tmp_path / "plain.png", dpi=theme.PNG_DPI, bbox_inches="tight")
        plt.close(fig)
        ours, plain = Image.open(png), Image.open(tmp_path / "plain.png")
        assert ours.size == plain.size and ours.tobytes() == plain.tobytes()  # pixel for pixel
        assert svg.read_text().startswith("<?xml")
        # a figure without pyplot has a canvas with no renderer of its own: saved all the same
        bare = Figure()
        bare.add_subplot().plot([1, 2])
        assert [p.name for p in theme.save_figure(bare, "bare", tmp_path)] == [
            "bare.png",
            "bare.svg",
            "figure-02-bare.pdf",
        ]


def test_figures_are_numbered_in_saving_order_and_keep_their_number(tmp_path):
    fig, _ = plt.subplots(figsize=(4, 3))
    theme.save_figure(fig, "b_first", tmp_path)
    theme.save_figure(fig, "a_second", tmp_path)
    again = theme.save_figure(fig, "b_first", tmp_path)
    assert again[-1].name == "figure-01-b_first.pdf"
    listed = pd.read_csv(tmp_path / "figures.csv")
    assert listed[["number", "name"]].values.tolist() == [[1, "b_first"], [2, "a_second"]]
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == ["figure-01-b_first.pdf", "figure-02-a_second.pdf"]


def test_stated_size_is_the_size_of_the_pdf(tmp_path):
    import re

    fig, ax = plt.subplots(figsize=(6, 3))
    ax.set_title("宽度, with a comma")
    pdf = theme.save_figure(fig, "sized", tmp_path)[-1]
    box = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf.read_bytes())
    width_cm, height_cm = (float(v) / 72 * 2.54 for v in box.groups())
    row = pd.read_csv(tmp_path / "figures.csv").iloc[0]
    assert row["title"] == "宽度, with a comma"
    assert abs(row["width_cm"] - width_cm) < 0.1 and abs(row["height_cm"] - height_cm) < 0.1
    assert 10 < width_cm < 6 * 2.54 + 1  # tight box: about the figure's own width
