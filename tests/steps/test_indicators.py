"""The coding-sheet step: real data, every failure path, and equality with the row-by-row reference."""

from __future__ import annotations

import csv
import importlib.util
import io
import re
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kexie_research import config, load_documents
from kexie_research.build import build
from kexie_research.cli import main as cli_main
from kexie_research.errors import SheetError
from kexie_research.parse.provenance import find_number, normalise_for_matching
from kexie_research.steps import indicators as step
from kexie_research.steps import row_checks
from kexie_research.steps.codebook import read_codebook
from kexie_research.steps.places import PlaceResolver
from kexie_research.steps.sources import read_document, verify_sources

CASES = ["wuzhou", "rongchang", "chengdu", "liuzhou", "zunyi"]
HEADER = list(step.SHEET_COLUMNS)


def _load_reference():
    path = Path(__file__).with_name("rowwise_reference.py")
    spec = importlib.util.spec_from_file_location("kexie_rowwise_reference", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


reference = _load_reference()


# ------------------------------------------------------------------------------------------------
# Helpers: small sheets cleaned against the real codebook, places and manifest
# ------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def context():
    raw = config.raw_dir()
    sources = verify_sources(raw)
    return {
        "raw": raw,
        "sources": sources,
        "by_id": {entry["source_id"]: entry for entry in sources},
        "documents": {entry["source_id"]: read_document(entry["source_id"], raw) for entry in sources},
        "codebook": read_codebook(raw),
        # one resolver for the module's examples (reading the reference tables was a third of their time);
        # it only records which aliases were used, which no test here reads
        "resolver": PlaceResolver.from_raw(raw),
    }


def _row(**cells: str) -> dict[str, str]:
    """The worked example row of the row checks, quoting a longer sentence of the same document."""
    return {**row_checks.EXAMPLE_ROW, "record_id": "WZ-901", "quote": "梧州市科协51万元、藤县科协26万元", **cells}


def _write(path: Path, rows: list[dict[str, str]], *, text: str | None = None) -> Path:
    if text is None:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=HEADER, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        text = buffer.getvalue()
    path.write_text(text, encoding="utf-8", newline="")
    return path


def _clean(context, sheet: Path, module=step, documents=None):
    frame = step.read_sheet(sheet)
    frame["source_id"] = pd.array([sheet.stem] * len(frame), dtype="str")
    return module.clean(
        frame,
        context["codebook"],
        PlaceResolver.from_raw(context["raw"]),
        context["by_id"],
        documents or context["documents"],
    )


def _reasons(context, tmp_path, rows, **kwargs) -> list[str]:
    sheet = _write(tmp_path / "wuzhou_article.csv", rows, **kwargs)
    processed, quarantined = _clean(context, sheet)
    ref_processed, ref_quarantined = _clean(context, sheet, module=reference)
    pd.testing.assert_frame_equal(processed, ref_processed)
    pd.testing.assert_frame_equal(quarantined, ref_quarantined)
    return quarantined["reason"].tolist()


# ------------------------------------------------------------------------------------------------
# Real data
# ------------------------------------------------------------------------------------------------
def test_every_place_has_facts_and_rows_are_accounted_for(built):
    result, _ = built
    counts = result.counts
    assert list(counts.index) == [*CASES, "total"]
    assert (counts["coded"] == counts["processed"] + counts["quarantined"]).all()
    assert (counts.loc[CASES, "processed"] > 0).all()
    assert counts.loc["total", "coded"] > 100


def test_every_processed_quote_is_in_its_document(built):
    result, _ = built
    texts = load_documents().set_index("source_id")["text"].map(normalise_for_matching)
    for row in result.indicators.itertuples():
        assert row.quote in texts[row.source_id], row.record_id
        assert find_number(normalise_for_matching(row.raw_text), row.quote) is not None, row.record_id


def test_quote_offsets_point_into_the_original_file(built):
    result, _ = built
    texts = load_documents().set_index("source_id")["text"]
    for row in result.indicators.itertuples():
        original = texts[row.source_id]
        window = original[row.quote_offset : row.quote_offset + len(row.quote) * 2]
        assert normalise_for_matching(window).startswith(row.quote), row.record_id


@pytest.mark.parametrize(
    ("record_id", "value", "unit", "qualifier"),
    [
        ("WZ-004", 205_200.0, "CNY", "exact"),  # 20.52万元
        ("WZ-022", 20_000.0, "person", "approx"),  # 近20,000人
        ("WZ-005", 100_000.0, "CNY", "at_most"),  # 没有超过10万元
        ("RC-021", 2.0, "CNY_per_capita", "exact"),  # 人均2元
        ("CD-013", 16_500_000.0, "event", "at_least"),  # 1650余万次
        ("LZ-008", 75.0, "percent", "at_least"),  # 四分之三以上 -> harmonised to percent
    ],
)
def test_known_values_are_cleaned(built, record_id, value, unit, qualifier):
    result, _ = built
    row = result.indicators.set_index("record_id").loc[record_id]
    assert row["value"] == pytest.approx(value)
    assert (row["unit"], row["qualifier"]) == (unit, qualifier)


def test_targets_and_periods(built):
    result, _ = built
    rows = result.indicators.set_index("record_id")
    assert bool(rows.loc["RC-022", "is_target"]) and rows.loc["RC-022", "period_end"] == "2021-12-31"
    assert rows.loc["WZ-010", ["period_start", "period_end"]].tolist() == ["2018-01-01", "2018-12-31"]
    assert not rows.loc["WZ-010", "is_target"]


def test_national_facts_keep_their_scope(built):
    result, _ = built
    national = result.indicators[result.indicators.scope_level == "national"]
    assert not national.empty and (national.admin_code == "100000").all()


def test_case_columns_come_from_the_manifest_and_end_with_the_coders_note(built, context):
    result, _ = built
    columns = list(result.indicators.columns)
    assert columns[2:4] == ["case", "case_zh"] and columns[-1] == "note"  # no aliases after note (0.7.0)
    entry = {source["source_id"]: source for source in context["sources"]}
    for row in result.indicators[["source_id", "case", "case_zh"]].drop_duplicates().itertuples():
        assert (row.case, row.case_zh) == (entry[row.source_id]["case"], entry[row.source_id]["place_zh"])


def test_column_wise_step_equals_row_by_row_reference_byte_for_byte(context, tmp_path):
    """The real data give the same indicators.csv/.parquet and quarantine.csv both ways."""
    args = (context["raw"], context["sources"], context["codebook"])
    fast = step.run(*args, PlaceResolver.from_raw(context["raw"]))
    slow = reference.run(*args, PlaceResolver.from_raw(context["raw"]))
    for name, result in (("fast", fast), ("slow", slow)):
        result.indicators.to_csv(tmp_path / f"{name}.csv", index=False, encoding="utf-8", lineterminator="\n")
        result.indicators.to_parquet(tmp_path / f"{name}.parquet", index=False, engine="pyarrow")
        result.quarantine.to_csv(tmp_path / f"{name}_q.csv", index=False, encoding="utf-8", lineterminator="\n")
    for suffix in (".csv", ".parquet", "_q.csv"):
        assert (tmp_path / f"fast{suffix}").read_bytes() == (tmp_path / f"slow{suffix}").read_bytes(), suffix
    assert fast.counts.equals(slow.counts) and fast.warnings == slow.warnings


# ------------------------------------------------------------------------------------------------
# Failure paths through the whole build (a private copy of data/raw)
# ------------------------------------------------------------------------------------------------
def _edit_sheet(raw: Path, source_id: str, target_id: str, **changes: str) -> None:
    path = raw / "indicators" / f"{source_id}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["record_id"] == target_id:
            row.update(changes)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _quarantined(raw: Path, tmp_path: Path) -> pd.DataFrame:
    result = build(raw_dir=raw, out_dir=tmp_path / "out", echo=None)
    assert (result.counts["coded"] == result.counts["processed"] + result.counts["quarantined"]).all()
    on_disk = pd.read_csv(tmp_path / "out" / "quarantine.csv", dtype=str)
    assert len(on_disk) == len(result.quarantine)
    return result.quarantine.set_index("record_id")


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        (
            {"quote": "梧州市科协99万元"},
            r"wuzhou_article\.csv row 3 \(document 000_8f4cdd9b00102f1f\.txt\): quote not found",
        ),
        ({"indicator_id": "no_such_indicator"}, "unknown indicator_id 'no_such_indicator'"),
        ({"raw_text": "51万元", "quote": "梧州市科协51万元", "scope_zh": "火星科协"}, "names no known place"),
        ({"status": "maybe"}, "status 'maybe' is not one of achieved, target"),
        ({"period_text": "到2021年底"}, "states a target but status is 'achieved'"),
        ({"scope_level": "national"}, "does not fit scope_level 'national'"),
        ({"raw_text": "1万元"}, r"raw_text '1万元' does not occur in its quote .* \(outside a longer number\)"),
        ({"note": '=HYPERLINK("http://x")'}, "column 'note' starts with '='"),
        ({"scope_zh": "梧州市科协\x00"}, "column 'scope_zh' holds the control character U\\+0000"),
    ],
)
def test_bad_rows_go_to_quarantine_with_their_reason(raw_copy, tmp_path, changes, reason):
    _edit_sheet(raw_copy, "wuzhou_article", "WZ-002", **changes)
    quarantine = _quarantined(raw_copy, tmp_path)
    assert "WZ-002" in quarantine.index
    assert re.search(reason, quarantine.loc["WZ-002", "reason"]), quarantine.loc["WZ-002", "reason"]
    assert quarantine.loc["WZ-002", "row"] == 3


def test_unparseable_value_is_quarantined_naming_the_text(raw_copy, tmp_path):
    _edit_sheet(raw_copy, "wuzhou_article", "WZ-002", raw_text="科协51")
    quarantine = _quarantined(raw_copy, tmp_path)
    assert "科协51" in quarantine.loc["WZ-002", "reason"]


def test_duplicate_record_id_is_quarantined(raw_copy, tmp_path):
    _edit_sheet(raw_copy, "wuzhou_article", "WZ-003", record_id="WZ-002")
    result = build(raw_dir=raw_copy, out_dir=tmp_path / "out", echo=None)
    assert (
        result.quarantine["reason"]
        .str.contains(r"duplicate record_id 'WZ-002' \(first in wuzhou_article\.csv row 3\)")
        .sum()
        == 1
    )


def test_schema_failures_are_quarantined_not_dropped(raw_copy, tmp_path):
    """A row that passes the row checks but fails the pandera schema still lands in quarantine."""
    _edit_sheet(raw_copy, "wuzhou_article", "WZ-002", record_id="WZ-2")
    result = build(raw_dir=raw_copy, out_dir=tmp_path / "out", echo=None)
    quarantine = result.quarantine.set_index("record_id")
    assert "WZ-2" in quarantine.index
    assert re.search(r"wuzhou_article\.csv row 3: schema: record_id fails", quarantine.loc["WZ-2", "reason"])
    assert "WZ-2" not in set(result.indicators["record_id"])
    assert result.counts.loc["wuzhou", "quarantined"] == 1


def test_schema_failure_of_an_id_used_twice_is_quarantined_once(raw_copy, tmp_path):
    _edit_sheet(raw_copy, "wuzhou_article", "WZ-002", record_id="WZ-2")
    _edit_sheet(raw_copy, "wuzhou_article", "WZ-003", record_id="WZ-2")
    result = build(raw_dir=raw_copy, out_dir=tmp_path / "out", echo=None)  # row accounting holds
    assert result.quarantine["record_id"].eq("WZ-2").sum() == 2


def test_record_ids_take_any_number_of_digits(raw_copy, tmp_path):
    _edit_sheet(raw_copy, "wuzhou_article", "WZ-002", record_id="WZ-1234567")
    result = build(raw_dir=raw_copy, out_dir=tmp_path / "out", echo=None)
    assert "WZ-1234567" in set(result.indicators["record_id"]) and result.quarantine.empty


def test_gbk_sheet_is_rejected_with_a_fix(raw_copy, tmp_path):
    path = raw_copy / "indicators" / "zunyi_meeting.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    with pytest.raises(SheetError, match=r"zunyi_meeting\.csv: not valid UTF-8 .*GB18030"):
        build(raw_dir=raw_copy, out_dir=tmp_path, echo=None)


def test_a_sheet_saved_by_excel_with_a_byte_order_mark_reads_as_without(raw_copy):
    path = raw_copy / "indicators" / "zunyi_meeting.csv"
    plain = step.read_sheet(path)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    pd.testing.assert_frame_equal(step.read_sheet(path), plain)  # same fields, same line numbers


def test_missing_column_is_named(raw_copy, tmp_path):
    path = raw_copy / "indicators" / "zunyi_meeting.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns=["quote"])
    frame.to_csv(path, index=False, lineterminator="\n")
    with pytest.raises(SheetError, match=r"zunyi_meeting\.csv: missing required column\(s\) quote"):
        build(raw_dir=raw_copy, out_dir=tmp_path, echo=None)


def test_sheet_for_unknown_source_is_rejected(raw_copy, tmp_path):
    (raw_copy / "indicators" / "atlantis.csv").write_text("record_id\n", encoding="utf-8")
    with pytest.raises(SheetError, match=r"atlantis.csv match no source_id"):
        build(raw_dir=raw_copy, out_dir=tmp_path, echo=None)


@pytest.mark.parametrize("content", [b"", b"\n\n"])
def test_empty_sheet_is_one_error_naming_the_file(raw_copy, tmp_path, content, capsys, monkeypatch):
    path = raw_copy / "indicators" / "zunyi_meeting.csv"
    path.write_bytes(content)
    with pytest.raises(SheetError, match=r"zunyi_meeting\.csv: the sheet is empty"):
        build(raw_dir=raw_copy, out_dir=tmp_path, echo=None)
    monkeypatch.setenv("KEXIE_DATA_DIR", str(raw_copy.parent))
    assert cli_main(["validate"]) == 2
    assert "zunyi_meeting.csv: the sheet is empty" in capsys.readouterr().err


def test_malformed_csv_is_one_error_naming_file_and_line(context, tmp_path):
    sheet = _write(tmp_path / "wuzhou_article.csv", [], text=",".join(HEADER) + '\nWZ-1,"a"b,c\n')
    with pytest.raises(SheetError, match=r"wuzhou_article\.csv: malformed CSV at line 2"):
        step.read_sheet(sheet)


# ------------------------------------------------------------------------------------------------
# Rows, lines and reasons (each also checked against the row-by-row reference)
# ------------------------------------------------------------------------------------------------
def test_blank_lines_and_multi_line_cells_keep_the_files_line_numbers(context, tmp_path):
    header = ",".join(HEADER)
    good = 'WZ-901,kexie_annual_work_budget,梧州市科协,city,51万元,2020年,achieved,"梧州市科协51\n万元、藤县科协26万元","two\nlines"'
    bad = "WZ-902,no_such,梧州市科协,city,51万元,2020年,achieved,梧州市科协51万元,"
    text = f"{header}\n\n{good}\n\n\n{bad}\n"
    reasons = _reasons(context, tmp_path, [], text=text)
    assert reasons == ["wuzhou_article.csv row 8: unknown indicator_id 'no_such' (not in data/raw/codebook.yaml)"]
    frame = step.read_sheet(tmp_path / "wuzhou_article.csv")
    assert frame["row"].tolist() == [3, 8]  # the header is line 1; the good record spans lines 3-5


def test_crlf_sheet_keeps_line_numbers(context, tmp_path):
    rows = [_row(record_id="WZ-901"), _row(record_id="WZ-902", status="maybe")]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HEADER, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    assert _reasons(context, tmp_path, [], text=buffer.getvalue()) == [
        "wuzhou_article.csv row 3: status 'maybe' is not one of achieved, target"
    ]


def test_wrong_number_of_fields_is_a_quarantined_row(context, tmp_path):
    text = (
        ",".join(HEADER)
        + "\nWZ-901,kexie_annual_work_budget\n"
        + ",".join(_row(record_id="WZ-902").values())
        + ",extra\n"
    )
    assert _reasons(context, tmp_path, [], text=text) == [
        "wuzhou_article.csv row 2: 2 field(s), but the header has 9",
        "wuzhou_article.csv row 3: 10 field(s), but the header has 9",
    ]


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        ({"raw_text": "1万元"}, "raw_text '1万元' does not occur in its quote"),
        ({"raw_text": "26万", "quote": "藤县科协26万5千元"}, "raw_text '26万' does not occur"),
        (
            {"raw_text": "52万元", "quote": "龙圩区科协20.52万元", "scope_zh": "龙圩区科协", "scope_level": "county"},
            "raw_text '52万元' does not occur",
        ),
        ({"quote": "=梧州市科协51万元"}, "column 'quote' starts with '='"),
        ({"note": "+cmd"}, "column 'note' starts with '\\+'"),
        ({"note": "-see above"}, "column 'note' starts with '-'"),
        ({"scope_zh": "@梧州市科协"}, "column 'scope_zh' starts with '@'"),
        ({"raw_text": "@51万元"}, "column 'raw_text' starts with '@'"),
        ({"period_text": "2020\x1b年"}, "column 'period_text' holds the control character U\\+001B"),
        ({"quote": "梧州市科协51万元\x7f"}, "column 'quote' holds the control character U\\+007F"),
    ],
)
def test_row_level_input_checks(context, tmp_path, cells, reason):
    doc = {"wuzhou_article": "梧州市科协51万元、藤县科协26万元、藤县科协26万5千元、龙圩区科协20.52万元"}
    sheet = _write(tmp_path / "wuzhou_article.csv", [_row(**cells)])
    _, quarantined = _clean(context, sheet, documents=doc)
    _, ref = _clean(context, sheet, module=reference, documents=doc)
    assert quarantined["reason"].tolist() == ref["reason"].tolist()
    assert len(quarantined) == 1 and re.search(reason, quarantined["reason"].iloc[0]), quarantined["reason"].tolist()
    assert quarantined["reason"].iloc[0].startswith("wuzhou_article.csv row 2")


def test_a_signed_raw_text_is_not_a_formula(context, tmp_path):
    doc = {"wuzhou_article": "增长率为-5%。"}
    sheet = _write(tmp_path / "wuzhou_article.csv", [_row(raw_text="-5%", quote="增长率为-5%。")])
    _, quarantined = _clean(context, sheet, documents=doc)
    assert "formula" not in quarantined["reason"].iloc[0]  # refused (if at all) for another reason


def test_a_non_finite_quantity_is_quarantined(context, tmp_path):
    nines = "9" * 400 + "万元"
    doc = {"wuzhou_article": f"梧州市科协{nines}"}
    sheet = _write(tmp_path / "wuzhou_article.csv", [_row(raw_text=nines, quote=f"梧州市科协{nines}")])
    processed, quarantined = _clean(context, sheet, documents=doc)
    assert processed.empty
    assert re.search(
        r"row 2: (raw_text .* reads as a non-finite value|cannot parse quantity)", quarantined["reason"].iloc[0]
    )


@pytest.mark.parametrize(
    "exception",
    [
        OverflowError("signed integer is greater than maximum"),
        ValueError("year 11511 is out of range"),
        RecursionError("deep"),
    ],
)
def test_any_parser_exception_becomes_a_quarantine_reason(context, tmp_path, monkeypatch, exception):
    import kexie_research.parse.periods as periods

    real = periods.parse_period

    def exploding(text, reference_date=None):
        if text == "二九二五二九二五二九二五二九二五":
            raise exception
        return real(text, reference_date)

    monkeypatch.setattr(row_checks, "parse_period", exploding)
    rows = [_row(record_id="WZ-901", period_text="二九二五二九二五二九二五二九二五"), _row(record_id="WZ-902")]
    reasons = _reasons(context, tmp_path, rows)
    assert reasons == [
        (
            f"wuzhou_article.csv row 2: cannot parse period '二九二五二九二五二九二五二九二五': "
            f"{type(exception).__name__}: {exception}"
        )
    ]


def test_a_quantity_parser_exception_becomes_a_quarantine_reason(context, tmp_path, monkeypatch):
    import kexie_research.parse.quantities as quantities

    def exploding(text):
        if "51" in text:
            raise OverflowError("too big")
        return quantities.parse_quantity(text)

    def exploding_batch(series, errors="raise"):
        if series.str.contains("51").any():
            raise OverflowError("too big")
        return quantities.parse_quantities(series, errors=errors)

    monkeypatch.setattr(row_checks, "parse_quantity", exploding)
    monkeypatch.setattr(row_checks, "parse_quantities", exploding_batch)
    monkeypatch.setattr(reference, "parse_quantity", exploding)
    rows = [
        _row(record_id="WZ-901"),
        _row(record_id="WZ-902", raw_text="26万元", scope_zh="藤县科协", scope_level="county"),
    ]
    assert _reasons(context, tmp_path, rows) == [
        "wuzhou_article.csv row 2: cannot parse quantity '51万元': OverflowError: too big"
    ]


def test_real_bad_period_cells_never_stop_the_build(raw_copy, tmp_path):
    for record_id, period in (
        ("WZ-002", "二九二五二九二五二九二五二九二五"),
        ("WZ-003", "一九一二五"),
        ("WZ-004", "近2022年"),
    ):
        _edit_sheet(raw_copy, "wuzhou_article", record_id, period_text=period)
    result = build(raw_dir=raw_copy, out_dir=tmp_path / "out", echo=None)
    assert (result.counts["coded"] == result.counts["processed"] + result.counts["quarantined"]).all()
    assert set(result.quarantine["record_id"]) >= {"WZ-002", "WZ-003"}


# ------------------------------------------------------------------------------------------------
# Property-based: the column-wise step equals the row-by-row reference; fuzzed sheets never crash
# ------------------------------------------------------------------------------------------------
_REAL_ROWS = pd.read_csv(
    config.raw_dir() / "indicators" / "wuzhou_article.csv", dtype=str, keep_default_na=False
).to_dict("records")
_FAULTS = {
    "none": {},
    "bad quote": {"quote": "梧州市科协99万元"},
    "unknown indicator": {"indicator_id": "no_such_indicator"},
    "unparseable value": {"raw_text": "科协"},
    "number inside a longer number": {"raw_text": "1万元", "quote": "梧州市科协51万元"},
    "unknown place": {"scope_zh": "火星科协"},
    "status/period conflict": {"period_text": "到2021年底", "status": "achieved"},
    "scope-level mismatch": {"scope_level": "national"},
    "bad status": {"status": "maybe"},
    "bad scope level": {"scope_level": "galaxy"},
    "empty required": {"raw_text": " "},
    "formula note": {"note": "=1+1"},
    "formula quote": {"quote": "+梧州市科协51万元"},
    "formula raw_text": {"raw_text": "@51万元"},
    "control character": {"scope_zh": "梧州市\x00科协"},
    "multi-line note": {"note": "first line\nsecond line"},
    "unparseable period": {"period_text": "某年"},
    "schema: short id": {"record_id": "WZ-7"},
    "line break in quote": {"quote": "梧州市科协51\n万元", "raw_text": "51万元"},
}
_cell_text = st.text(
    alphabet=st.sampled_from(list('梧州市科协51万元藤县26、-=+@,."\n\r \x00\x1b年到底近3个人以上约')), max_size=12
)


@st.composite
def _sheets(draw):
    """A sheet of real rows, each with one fault (or none), ids possibly repeated, blank lines between."""
    size = draw(st.integers(min_value=1, max_value=12))
    lines = [",".join(HEADER)]
    for number in range(size):
        row = dict(_REAL_ROWS[draw(st.integers(0, len(_REAL_ROWS) - 1))])
        row["record_id"] = f"WZ-{900 + number}"
        row.update(_FAULTS[draw(st.sampled_from(sorted(_FAULTS)))])
        if number and draw(st.booleans()) and draw(st.booleans()):
            row["record_id"] = f"WZ-{900 + draw(st.integers(0, number - 1))}"  # duplicate id
        if draw(st.integers(0, 9)) == 0:
            row[draw(st.sampled_from(HEADER))] = draw(_cell_text)  # anything at all in one cell
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow([row[name] for name in HEADER])
        line = buffer.getvalue()[:-1]
        if draw(st.integers(0, 15)) == 0:
            line = ",".join(line.split(",")[:3])  # too few fields
        lines.extend([""] * draw(st.integers(0, 2)))  # blank lines before the record
        lines.append(line)
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n"]))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(text=_sheets())
def test_property_column_wise_equals_row_by_row(context, tmp_path, text):
    sheet = tmp_path / "wuzhou_article.csv"
    sheet.write_text(text, encoding="utf-8", newline="")
    data = sheet.read_bytes()
    fast_read = step._read_fast(data, sheet)
    exact_read = step._read_exact(data.decode("utf-8"), sheet)
    if fast_read is not None:
        pd.testing.assert_frame_equal(fast_read, exact_read)
    frame = step.read_sheet(sheet)
    frame["source_id"] = pd.array(["wuzhou_article"] * len(frame), dtype="str")
    results = []
    for module in (step, reference):
        processed, quarantined = module.clean(
            frame, context["codebook"], context["resolver"], context["by_id"], context["documents"]
        )
        results.append((processed, quarantined))
        finished = step.finish(frame, processed, quarantined, [context["by_id"]["wuzhou_article"]], context["codebook"])
        results.append(finished)
    (fast_p, fast_q), fast_f, (slow_p, slow_q), slow_f = results
    pd.testing.assert_frame_equal(fast_p, slow_p)
    pd.testing.assert_frame_equal(fast_q, slow_q)
    pd.testing.assert_frame_equal(fast_f.indicators, slow_f.indicators)
    pd.testing.assert_frame_equal(fast_f.quarantine, slow_f.quarantine)
    # every quarantine reason names the sheet and the line the record starts on
    for row, reason in zip(fast_f.quarantine["row"], fast_f.quarantine["reason"]):
        assert reason.startswith(f"wuzhou_article.csv row {row}")
    assert len(fast_f.indicators) + len(fast_f.quarantine) == len(frame)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(
    content=st.one_of(
        st.binary(max_size=400),
        _sheets().map(lambda text: text.encode("utf-8")),
        st.lists(st.lists(_cell_text, min_size=0, max_size=11), max_size=6).map(
            lambda rows: (",".join(HEADER) + "\n" + "\n".join(",".join(cells) for cells in rows)).encode("utf-8")
        ),
    )
)
def test_fuzzed_sheets_give_quarantine_rows_or_one_sheet_error(context, tmp_path, content):
    sheet = tmp_path / "wuzhou_article.csv"
    sheet.write_bytes(content)
    try:
        frame = step.read_sheet(sheet)
    except SheetError as exc:
        assert str(exc).startswith(str(sheet))
        return
    frame["source_id"] = pd.array(["wuzhou_article"] * len(frame), dtype="str")
    processed, quarantined = step.clean(
        frame, context["codebook"], context["resolver"], context["by_id"], context["documents"]
    )
    result = step.finish(frame, processed, quarantined, [context["by_id"]["wuzhou_article"]], context["codebook"])
    assert len(result.indicators) + len(result.quarantine) == len(frame)
    assert result.quarantine["reason"].str.startswith("wuzhou_article.csv row ").all()
