"""The codebook as a document: one entry per indicator with its definition, unit, frame indicator and
an example quote from the data, as an offline HTML page and as a PDF.

A reviewer asks what each variable means and how it was read; this document answers with the
codebook's own words and one real quote per indicator (the first coded fact in ``record_id`` order),
so it can go into a paper's appendix or a replication package. The content is computed once
(:func:`codebook_entries`) and laid out twice (:func:`codebook_html`, :func:`write_codebook_pdf`).
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import string
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kexie_research import __version__, config
from kexie_research.data import load_codebook, load_indicators
from kexie_research.publish.datasets import atomic_write

# Where the codebook has a frame level, these columns name it (absent columns are shown as "–").
FRAME_COLUMNS = ("frame", "frame_indicator", "frame_id")
MISSING = "–"


@dataclass(frozen=True)
class CodebookEntry:
    """One indicator as the document shows it (all text; ``MISSING`` where there is none).

    Examples
    --------
    >>> entry = CodebookEntry("x", "X", "某", "d", "number", "def", MISSING, 0, MISSING, "", MISSING)
    >>> entry.frame
    '–'
    """

    indicator_id: str
    label_en: str
    label_zh: str
    dimension: str
    unit: str
    definition: str
    frame: str
    facts: int
    example_quote: str
    example_raw: str
    example_source: str


def _frame_of(row: pd.Series) -> str:
    for column in FRAME_COLUMNS:
        value = row.get(column)
        if isinstance(value, str) and value:
            return value
    return MISSING


def codebook_entries(processed_dir: Path | None = None) -> list[CodebookEntry]:
    """Every codebook indicator in dimension order, with its count of facts and an example quote.

    Examples
    --------
    >>> entries = codebook_entries()
    >>> budget = next(e for e in entries if e.indicator_id == "kexie_annual_work_budget")
    >>> budget.unit.startswith("CNY"), budget.facts > 0, budget.example_raw in budget.example_quote
    (True, True, True)
    """
    codebook = load_codebook(processed_dir)
    table = pd.read_csv(config.processed_path("codebook", processed_dir), dtype=str, keep_default_na=False)
    table = table.set_index("id", drop=False)
    facts = load_indicators(processed_dir).sort_values("record_id", kind="stable")
    counts = facts["indicator_id"].value_counts()
    first = facts.drop_duplicates("indicator_id").set_index("indicator_id")
    dimension_order = {name: number for number, name in enumerate(codebook.dimensions.index)}
    ordered = sorted(
        table.index, key=lambda i: (dimension_order.get(table.loc[i, "dimension"], len(dimension_order)), i)
    )
    entries = []
    for indicator_id in ordered:
        row = table.loc[indicator_id]
        unit = row["unit"]
        unit_label = (
            f"{unit} ({codebook.units.loc[unit, 'en']}, {codebook.units.loc[unit, 'zh']})"
            if unit in codebook.units.index
            else unit
        )
        dimension = row["dimension"]
        if dimension in codebook.dimensions.index:
            dimension = f"{codebook.dimensions.loc[dimension, 'en']} {codebook.dimensions.loc[dimension, 'zh']}"
        example = first.loc[indicator_id] if indicator_id in first.index else None
        entries.append(
            CodebookEntry(
                indicator_id=indicator_id,
                label_en=row["en"],
                label_zh=row["zh"],
                dimension=dimension,
                unit=unit_label,
                definition=row.get("definition") or MISSING,
                frame=_frame_of(row),
                facts=int(counts.get(indicator_id, 0)),
                example_quote=example["quote"] if example is not None else MISSING,
                example_raw=example["raw_text"] if example is not None else "",
                example_source=f"{example['record_id']}, {example['source_id']}" if example is not None else MISSING,
            )
        )
    return entries


def _marked_quote(entry: CodebookEntry) -> str:
    """The example quote, escaped, with its number in ``<mark>``."""
    quote = entry.example_quote
    at = quote.find(entry.example_raw) if entry.example_raw else -1
    if at < 0:
        return html.escape(quote)
    end = at + len(entry.example_raw)
    return f"{html.escape(quote[:at])}<mark>{html.escape(quote[at:end])}</mark>{html.escape(quote[end:])}"


def _font_css(entries: list[CodebookEntry]) -> str:
    """An ``@font-face`` rule with the CJK subset the page needs inlined (the page stands alone)."""
    from kexie_research.runner.fonts import FONT_FAMILY, UNICODE_RANGE, collect_characters, is_cjk, subset_font

    text = [value for entry in entries for value in entry.__dict__.values() if isinstance(value, str)]
    characters = {c for c in collect_characters(text) if is_cjk(c)}
    data = base64.b64encode(subset_font(characters)).decode("ascii")
    return (
        f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url(data:font/woff2;base64,{data}) format("woff2"); '
        f"font-display: block; unicode-range: {UNICODE_RANGE}; }}"
    )


def codebook_html(entries: list[CodebookEntry], title: str = "kexie-research codebook") -> str:
    """A standalone HTML page of ``entries`` (every data-derived string escaped, font inlined).

    Examples
    --------
    >>> entry = CodebookEntry("x", "<b>X</b>", "某", "d", "number", "def", "–", 1, "共3个", "3个", "R-001, s")
    >>> page = codebook_html([entry])
    >>> "&lt;b&gt;X&lt;/b&gt;" in page and "<mark>3个</mark>" in page and "<b>X" not in page
    True
    """
    from kexie_research.runner.fonts import FONT_FAMILY

    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; font-src data:\">",
        f"<title>{html.escape(title)}</title><style>",
        _font_css(entries),
        f'body {{ font-family: system-ui, sans-serif, "{FONT_FAMILY}"; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }}',
        "section { border-top: 1px solid #ccc; padding: .5rem 0; } dt { font-weight: 600; } dd { margin: 0 0 .4rem 1rem; }",
        "blockquote { margin: .3rem 0 .3rem 1rem; padding-left: .6rem; border-left: 3px solid #8aa; overflow-wrap: anywhere; }",
        "mark { background: #ffe58a; } code { font-size: .95em; }",
        "</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        (
            f"<p>kexie-research {html.escape(__version__)}: {len(entries)} indicators. Each entry gives the codebook's "
            "definition and one fact of the dataset as an example, quoted verbatim from its source document "
            "(record id and source in brackets).</p>"
        ),
    ]
    for entry in entries:
        parts.append(f'<section id="{html.escape(entry.indicator_id)}">')
        parts.append(
            f"<h2><code>{html.escape(entry.indicator_id)}</code> — {html.escape(entry.label_en)} "
            f'<span lang="zh">{html.escape(entry.label_zh)}</span></h2><dl>'
        )
        for name, value in (
            ("Dimension", entry.dimension),
            ("Unit", entry.unit),
            ("Definition", entry.definition),
            ("Frame indicator", entry.frame),
            ("Facts in the dataset", f"{entry.facts:,}"),
        ):
            parts.append(f"<dt>{name}</dt><dd>{html.escape(value)}</dd>")
        parts.append("<dt>Example</dt><dd>")
        if entry.example_quote == MISSING:
            parts.append("no fact coded yet")
        else:
            parts.append(
                f'<blockquote lang="zh">{_marked_quote(entry)}</blockquote>({html.escape(entry.example_source)})'
            )
        parts.append("</dd></dl></section>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def write_codebook_html(out_dir: Path, processed_dir: Path | None = None) -> Path:
    """``codebook.html`` in ``out_dir`` (see :func:`codebook_html`).

    Examples
    --------
    >>> path = write_codebook_html(Path(tempfile.mkdtemp()))
    >>> "kexie_annual_work_budget" in path.read_text(encoding="utf-8")
    True
    """
    page = codebook_html(codebook_entries(processed_dir))
    return atomic_write(Path(out_dir) / "codebook.html", lambda p: p.write_text(page, encoding="utf-8"))


def write_codebook_pdf(out_dir: Path, processed_dir: Path | None = None) -> Path:
    """``codebook.pdf`` in ``out_dir``: A4, the CJK font subset embedded, the same content as the HTML.

    The file is the same for the same data (fixed creation date).

    Examples
    --------
    >>> path = write_codebook_pdf(Path(tempfile.mkdtemp()))
    >>> path.read_bytes()[:5]
    b'%PDF-'
    """
    from fpdf import FPDF

    from kexie_research.runner.fonts import collect_characters, subset_font

    entries = codebook_entries(processed_dir)
    text = [value for entry in entries for value in entry.__dict__.values() if isinstance(value, str)]
    # The whole text's characters (Latin too): the PDF draws everything with this one font.
    characters = (
        collect_characters(text)
        | {c for value in text for c in value}
        | set(string.printable.strip())
        | {"「", "」", "—", " "}
    )
    with tempfile.TemporaryDirectory() as folder:
        font_path = Path(folder) / "kexie-cjk.otf"
        font_path.write_bytes(subset_font(characters, flavor=None))
        pdf = FPDF(format="A4")
        pdf.set_creation_date(dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
        pdf.set_title("kexie-research codebook")
        pdf.set_author("kexie-research")
        pdf.add_font("KexieCJK", fname=str(font_path))
        pdf.set_auto_page_break(True, margin=15)
        pdf.add_page()
        width = pdf.epw
        pdf.set_font("KexieCJK", size=16)
        pdf.multi_cell(width, 9, "kexie-research codebook", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("KexieCJK", size=9)
        pdf.multi_cell(
            width,
            5,
            f"kexie-research {__version__}: {len(entries)} indicators, each with the codebook's "
            "definition and one fact of the dataset quoted verbatim from its source document.",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        for entry in entries:
            pdf.ln(3)
            pdf.set_font("KexieCJK", size=11)
            pdf.multi_cell(
                width, 6, f"{entry.indicator_id} — {entry.label_en} {entry.label_zh}", new_x="LMARGIN", new_y="NEXT"
            )
            pdf.set_font("KexieCJK", size=9)
            for name, value in (
                ("Dimension", entry.dimension),
                ("Unit", entry.unit),
                ("Definition", entry.definition),
                ("Frame indicator", entry.frame),
                ("Facts", f"{entry.facts:,}"),
                (
                    "Example",
                    f"「{entry.example_quote}」 ({entry.example_source})"
                    if entry.example_quote != MISSING
                    else "no fact coded yet",
                ),
            ):
                pdf.multi_cell(width, 4.6, f"{name}: {value}", new_x="LMARGIN", new_y="NEXT")
        data = bytes(pdf.output())
    return atomic_write(Path(out_dir) / "codebook.pdf", lambda p: p.write_bytes(data))
