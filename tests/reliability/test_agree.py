"""``kexie agree``: α against Krippendorff's worked examples and the package, units matched by span,
every failure path named by sheet and line."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import krippendorff
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kexie_research.cli import main
from kexie_research.errors import SheetError
from kexie_research.reliability import bootstrap_interval, field_alpha
from kexie_research.reliability.agree import agree
from kexie_research.reliability.agree import AGREEMENT_COLUMNS, agree_sheets
from kexie_research.reliability.sheets import read_coder_sheet
from kexie_research.reliability.units import match_units

N = np.nan
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", p. 8 (4 coders × 12 units, missing values).
K2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]
# Krippendorff's three-coder example (15 units) as in the Wikipedia article on α.
WIKI = [
    [N, N, N, N, N, 3, 4, 1, 2, 1, 1, 3, 3, N, 3],
    [1, N, 2, 1, 3, 3, 4, 3, N, N, N, N, N, N, N],
    [N, N, 2, 1, 3, 4, 4, N, 2, 1, 1, 3, 3, N, 4],
]
HEADER = "record_id,indicator_id,scope_zh,scope_level,raw_text,period_text,status,quote,note\n"
DOCUMENT = "全国有学会12个，\n会员近5000名。2020年全县建立乡镇科协8个，2021年计划新增3个。经费20.52万元。"


@pytest.mark.parametrize(
    ("level", "expected"), [("nominal", 0.743), ("interval", 0.849), ("ratio", 0.797), ("ordinal", 0.815)]
)
def test_alpha_matches_krippendorff_2011_worked_example(level, expected):
    assert round(field_alpha(K2011, level), 3) == expected


@pytest.mark.parametrize(("level", "expected"), [("nominal", 0.691), ("interval", 0.811)])
def test_alpha_matches_the_three_coder_example(level, expected):
    assert round(field_alpha(WIKI, level), 3) == expected


def test_alpha_is_undefined_without_variation_or_pairs():
    assert math.isnan(field_alpha([[2, 2, 2], [2, 2, 2]], "nominal"))  # one value: 0/0
    assert math.isnan(field_alpha([[1, N], [N, 2]], "nominal"))  # no unit with two values
    assert field_alpha([[1, 2], [1, 2]], "nominal") == 1.0
    with pytest.raises(ValueError, match="level of measurement"):
        field_alpha(K2011, "cardinal")


def test_bootstrap_is_deterministic_and_brackets_alpha():
    first = bootstrap_interval(K2011, "interval", replicates=300, seed=7)
    assert first == bootstrap_interval(K2011, "interval", replicates=300, seed=7)
    assert first != bootstrap_interval(K2011, "interval", replicates=300, seed=8)
    assert first[0] <= field_alpha(K2011, "interval") <= first[1] <= 1.0
    assert all(math.isnan(v) for v in bootstrap_interval([[1, N], [N, 1]], "nominal", replicates=10))


def test_spans_overlapping_make_one_unit_and_touching_do_not():
    units = match_units([[("d", 0, 5), ("d", 9, 11)], [("d", 2, 6), ("d", 11, 12)], [("e", 0, 5)]])
    assert [(u.document, u.start, u.end, len(u.coders())) for u in units] == [
        ("d", 0, 6, 2),
        ("d", 9, 11, 1),
        ("d", 11, 12, 1),
        ("e", 0, 5, 1),
    ]


def _sheet(folder: Path, name: str, rows: list[str], header: str = HEADER) -> Path:
    path = folder / name
    path.write_text(header + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


@pytest.fixture()
def document(tmp_path: Path) -> Path:
    path = tmp_path / "doc.txt"
    path.write_text(DOCUMENT, encoding="utf-8")
    return path


def test_agree_matches_facts_by_position_not_record_id(tmp_path, document):
    a = _sheet(
        tmp_path,
        "a.csv",
        [
            "A-001,society_count,全国,national,12个,,achieved,全国有学会12个,",
            "A-002,members,全国,national,近5000名,,achieved,会员近5000名,",
            "A-003,township_kexie_count,全国,national,8个,2020年,achieved,2020年全县建立乡镇科协8个,",
            "A-004,township_kexie_count,全国,national,3个,2021年,target,2021年计划新增3个,",
        ],
    )
    b = _sheet(
        tmp_path,
        "b.csv",
        [
            "X-9,township_kexie_count,全国,national,3个,2021年,achieved,2021年计划新增3个,",  # other order and ids
            "X-1,society_count,全国,national,12个,,achieved,全国有学会12个,",
            "X-2,members,全国,national,5000名,,achieved,会员近5000名,",  # a shorter span of the same number
            "X-5,budget,全国,national,20.52万元,,achieved,经费20.52万元,",
        ],
    )
    result = agree([a, b], document=document, replicates=200)
    assert result.unitizing == {"units": 5, "coded_by_all": 3, "coded_by_some": 0, "coded_by_one": 2, "coders": 2}
    table = result.table.set_index("field")
    assert list(result.table.columns) == list(AGREEMENT_COLUMNS)
    assert table.loc["indicator_id", "alpha"] == 1.0 and table.loc["indicator_id", "units"] == 3
    expected_status = krippendorff.alpha([[0, 0, 1], [0, 0, 0]], level_of_measurement="nominal")
    assert table.loc["status", "alpha"] == pytest.approx(expected_status)
    assert table.loc["period_start", "units"] == 1 and math.isnan(table.loc["period_start", "alpha"])
    rows = result.disagreements
    status = rows[rows["field"] == "status"].iloc[0]
    assert (status[str(a)], status[str(b)], status["lines"]) == ("target", "achieved", f"{a}:5; {b}:2")
    assert sorted(rows.loc[rows["field"] == "unit", str(a)]) == ["", "8个"]
    value = rows[rows["field"] == "value"].iloc[0]  # same number, different text: shown to resolve
    assert (value[str(a)], value[str(b)]) == ("近5000名", "5000名")


def test_a_draft_against_a_sheet_leaves_out_non_facts_and_rejected_rows(tmp_path, document):
    draft = tmp_path / "draft.csv"
    pd.DataFrame(
        {
            "document": ["doc.txt"] * 3,
            "path": [str(document)] * 3,
            "record_id": ["DR-1", "DR-2", "DR-3"],
            "indicator_id": ["society_count", "", "members"],
            "scope_zh": ["全国"] * 3,
            "scope_level": ["national"] * 3,
            "raw_text": ["12个", "2020年", "近5000名"],
            "period_text": [""] * 3,
            "status": ["achieved"] * 3,
            "quote": ["全国有学会12个", "2020年全县建立乡镇科协8个", "会员近5000名"],
            "note": [""] * 3,
            "offset": ["5", "17", "12"],
            "kind": ["fact", "date", "fact"],
            "decision": ["accepted", "", "rejected"],
        }
    ).to_csv(draft, index=False)
    sheet = _sheet(tmp_path, "a.csv", ["A-001,society_count,全国,national,12个,,achieved,全国有学会12个,"])
    result = agree([sheet, draft], document=document, replicates=10)
    assert result.unitizing["units"] == 1 and result.unitizing["coded_by_all"] == 1


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.lists(
            st.tuples(st.booleans(), st.sampled_from(["a", "b", "c"]), st.sampled_from(["2019年", "2020年", "2021年"])),
            min_size=6,
            max_size=6,
        ),
        min_size=2,
        max_size=4,
    )
)
def test_alpha_of_generated_sheets_equals_the_package(tmp_path_factory, coders):
    """Random coders each code some of six facts; α of agree equals krippendorff.alpha on the same matrix."""
    folder = tmp_path_factory.mktemp("generated")
    facts = [f"第{i}项有{i + 2}个" for i in range(6)]
    document = folder / "doc.txt"
    document.write_text("，".join(facts) + "。", encoding="utf-8")
    paths = []
    for index, coder in enumerate(coders):
        rows = [
            f"C-{row:03d},{indicator},全国,national,{row + 2}个,{period},achieved,{facts[row]},"
            for row, (coded, indicator, period) in enumerate(coder)
            if coded
        ]
        paths.append(_sheet(folder, f"coder{index}.csv", rows))
    result = agree(paths, document=document, replicates=5).table.set_index("field")
    indicator = np.array(
        [[{"a": 0, "b": 1, "c": 2}[i] if coded else N for coded, i, _ in coder] for coder in coders], dtype=float
    )
    day = np.array(
        [[float(dt.date(int(p[:4]), 1, 1).toordinal()) if coded else N for coded, _, p in coder] for coder in coders]
    )
    for field, matrix, level in (("indicator_id", indicator, "nominal"), ("period_start", day, "interval")):
        pairable = matrix[:, np.sum(~np.isnan(matrix), axis=0) >= 2]
        values = pairable[~np.isnan(pairable)]
        if pairable.shape[1] == 0 or len(np.unique(values)) < 2:
            assert math.isnan(result.loc[field, "alpha"])
        else:
            expected = krippendorff.alpha(pairable, level_of_measurement=level)
            assert result.loc[field, "alpha"] == pytest.approx(expected, abs=1e-9)
        assert result.loc[field, "units"] == pairable.shape[1]


# -- failure paths ----------------------------------------------------------------------------------
def test_sheets_of_different_documents_are_refused(tmp_path, document):
    other = tmp_path / "other.txt"
    other.write_text("全国有学会12个。", encoding="utf-8")
    row = ["A-001,society_count,全国,national,12个,,achieved,全国有学会12个,"]
    a, b = _sheet(tmp_path, "a.csv", row), tmp_path / "b.csv"
    pd.DataFrame(
        {
            "document": ["other.txt"],
            "path": [str(other)],
            "indicator_id": ["x"],
            "scope_zh": ["全国"],
            "raw_text": ["12个"],
            "period_text": [""],
            "status": ["achieved"],
            "quote": ["全国有学会12个"],
            "kind": ["fact"],
        }
    ).to_csv(b, index=False)
    with pytest.raises(
        SheetError, match=r"sheets of different documents: .*a\.csv codes doc\.txt; .*b\.csv codes other\.txt"
    ):
        agree_sheets([read_coder_sheet(a, document), read_coder_sheet(b)], replicates=5)


@pytest.mark.parametrize(
    ("rows", "header", "message"),
    [
        (
            ["A-001,x,全国,national,12个,,achieved,全国有学会13个,"],
            HEADER,
            r"a\.csv line 2: quote '全国有学会13个' not found in doc\.txt",
        ),
        (
            [
                "A-001,x,全国,national,12个,,achieved,全国有学会12个,",
                "A-002,x,全国,national,2个,,achieved,全国有学会12个,",
            ],
            HEADER,
            r"a\.csv line 3: raw_text '2个' not found in its quote",
        ),
        (
            ["A-001,x,全国,national,12个,,achieved,全国有学会12个,,extra"],
            HEADER.strip() + ",colour\n",
            r"a\.csv: unknown column\(s\) colour",
        ),
        (
            ["A-001,x,12个,全国有学会12个"],
            "record_id,indicator_id,raw_text,quote\n",
            r"a\.csv: missing column\(s\) scope_zh, period_text, status",
        ),
        (["A-001,x,全国,national,12个,,achieved,全国有学会12个"], HEADER, r"a\.csv line 2: 8 fields, the header has 9"),
        (['A-001,x,全国,national,12个,,achieved,"全国有学会12个,'], HEADER, r"a\.csv line \d+: broken CSV quoting"),
    ],
)
def test_bad_sheets_are_named_with_their_line(tmp_path, document, rows, header, message):
    a = _sheet(tmp_path, "a.csv", rows, header)
    b = _sheet(tmp_path, "b.csv", ["B-001,x,全国,national,12个,,achieved,全国有学会12个,"])
    with pytest.raises(SheetError, match=message):
        agree([a, b], document=document, replicates=5)


def test_a_sheet_without_a_known_document_is_named(tmp_path):
    a = _sheet(tmp_path, "not_a_source.csv", ["A-001,x,全国,national,12个,,achieved,全国有学会12个,"])
    b = _sheet(tmp_path, "b.csv", ["B-001,x,全国,national,12个,,achieved,全国有学会12个,"])
    with pytest.raises(SheetError, match=r"not_a_source\.csv: no document: .*give --document PATH"):
        agree([a, b], replicates=5)


def test_cli_writes_the_agreement_and_disagreements_and_refuses_bad_use(tmp_path, document, capsys):
    a = _sheet(
        tmp_path,
        "a.csv",
        [
            "A-001,x,全国,national,12个,,achieved,全国有学会12个,",
            "A-002,y,全国,national,8个,2020年,achieved,2020年全县建立乡镇科协8个,",
        ],
    )
    b = _sheet(
        tmp_path,
        "b.csv",
        [
            "B-001,x,全国,national,12个,,achieved,全国有学会12个,",
            "B-002,x,全国,national,8个,2020年,target,2020年全县建立乡镇科协8个,",
        ],
    )
    out, disagreements = tmp_path / "agreement.csv", tmp_path / "dis.csv"
    argv = [
        "agree",
        str(a),
        str(b),
        "-o",
        str(out),
        "-d",
        str(disagreements),
        "--document",
        str(document),
        "--replicates",
        "50",
    ]
    assert main(argv) == 0
    assert "2 coders, 2 facts: 2 coded by all, 0 by some, 0 by one" in capsys.readouterr().out
    table = pd.read_csv(out)
    assert list(table.columns) == list(AGREEMENT_COLUMNS) and next(iter(table["field"])) == "indicator_id"
    first = out.read_bytes()
    assert main(argv) == 0 and out.read_bytes() == first  # deterministic bootstrap
    assert set(pd.read_csv(disagreements)["field"]) == {"indicator_id", "status"}
    assert main(["agree", str(a), "-o", str(out), "--document", str(document)]) == 2
    assert "at least two sheets" in capsys.readouterr().err
    assert main(["agree", str(a), str(a), "-o", str(out), "--document", str(document)]) == 2
    assert "given twice" in capsys.readouterr().err
    assert main(["agree", str(a), str(b), "-o", str(a), "--document", str(document)]) == 2
    assert "would overwrite a sheet" in capsys.readouterr().err
    assert main(["agree", str(a), str(tmp_path / "missing.csv"), "-o", str(out), "--document", str(document)]) == 2
    assert "missing.csv" in capsys.readouterr().err
