"""Benchmark: parse the quantity column of a national-scale coding sheet.

Generates a synthetic sheet of ``--rows`` rows (default 1,000,000) over ``--places`` places (default
300) whose ``raw_text`` values follow the forms of the real coding sheets (``data/raw/indicators/*.csv``,
or a built-in list of forms when none is there), with the numbers varied so that a few thousand
distinct texts repeat the way coded data does. It then times

(a) ``parse_quantities`` on all rows (the vectorised path: factorise, parse each distinct text
    once, broadcast back), and
(b) the plain row-by-row baseline ``series.apply(parse_quantity)`` on a ``--sample``-row sample
    (default 50,000), extrapolated linearly to all rows,

and prints rows/second for both, their ratio, and PASS/FAIL against the targets: the full column in
under 10 s on one core, and at least 10x the baseline.

A second, high-cardinality case (national data repeat far less than five documents do): a column of
``--rows`` rows of which at least half are distinct texts (``--distinct-share``, default 0.6), mostly
Arabic-number forms varied from the real ones plus a share (``--other-share``, default 0.05) of the
other written forms (Chinese numerals, approximate numerals 两三万 / 十几个, traditional characters,
nouns after the classifier). It times ``parse_quantities`` on the whole column and the row-by-row
baseline on a sample of the same column, and checks that the two agree, with the target of under
10 s on one core.

Usage::

    python benchmarks/bench_quantities.py [--rows 1000000] [--seed 0] [--places 300] [--distinct 3000]
        [--distinct-share 0.6] [--other-share 0.05] [--sample 50000] [--skip-repeated]

``--distinct`` is the number of distinct texts the repeated case aims for.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time

# One core: keep numeric and Arrow libraries from spreading work over threads.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np
import pandas as pd

from kexie_research.errors import ParseError
from kexie_research.config import raw_dir
from kexie_research.parse.quantities import parse_quantities, parse_quantity

try:  # pandas' str columns are Arrow-backed: pin Arrow to one thread as well
    import pyarrow as pa

    pa.set_cpu_count(1)
    pa.set_io_thread_count(1)
except ImportError:  # pragma: no cover
    pass

TARGET_SECONDS = 10.0
TARGET_SPEEDUP = 10.0

#: The forms of the real texts, used when no coding sheet is present.
BUILT_IN_FORMS = [
    "51万元", "20.52万元", "1080.34亿元", "近20,000人", "480多次", "1650余万次", "58％", "70％以上",
    "三分之一", "四分之三以上", "不少于三分之一", "2—3个", "3—5年", "一名", "两天", "人均5.5元",
    "近6万元", "500多万元", "11,000多户", "16万余人", "31万余次", "40余篇", "231期", "超过30000平方米",
    "约3亿元", "没有超过10万元", "30人以上", "3名以上", "1个以上", "不少于2年", "5%", "265面（幅）",
    "500多条（张）", "2500多小时", "1次",
]  # fmt: skip

_NUMBER = re.compile(r"\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")


def real_forms() -> tuple[list[str], str]:
    """raw_text of the real coding sheets that parse, or the built-in forms."""
    sheets = sorted((raw_dir() / "indicators").glob("*.csv"))
    texts: list[str] = []
    for sheet in sheets:
        frame = pd.read_csv(sheet, dtype=str, keep_default_na=False, usecols=["raw_text"])
        texts.extend(frame["raw_text"].str.replace("\n", "", regex=False))
    forms = []
    for text in dict.fromkeys(texts):
        try:
            parse_quantity(text)
        except ParseError:
            continue  # the benchmark measures a clean column
        forms.append(text)
    if not forms:
        return BUILT_IN_FORMS, "built-in list of forms"
    return forms, f"{len(sheets)} coding sheets in {raw_dir() / 'indicators'} ({len(forms)} parsable forms)"


def _spell_like(template: str, number: float) -> str:
    """Write ``number`` the way ``template`` writes its number (decimals, thousands separators)."""
    decimals = len(template.split(".")[1]) if "." in template else 0
    text = f"{number:,.{decimals}f}" if ("," in template or "，" in template) else f"{number:.{decimals}f}"
    return text.replace(",", "，") if "，" in template else text


def vary(form: str, rng: np.random.Generator) -> str:
    """A variant of ``form`` with its Arabic numbers changed; a range keeps its order."""
    numbers = list(_NUMBER.finditer(form))
    if not numbers:
        return form  # Chinese numerals and fractions repeat as written
    if len(numbers) == 1:
        old = float(numbers[0].group().replace(",", "").replace("，", ""))
        new = max(old * rng.uniform(0.2, 5.0), 1.0)
        if "%" in form or "％" in form:
            new = min(new, 100.0)  # percentages stay within 0-100
        replacements = [new]
    else:  # ranges: shift both ends by the same amount
        shift = float(rng.integers(0, 20))
        replacements = [float(m.group().replace(",", "").replace("，", "")) + shift for m in numbers]
    out, last = [], 0
    for match, value in zip(numbers, replacements):
        out.append(form[last : match.start()])
        out.append(_spell_like(match.group(), value))
        last = match.end()
    out.append(form[last:])
    return "".join(out)


def synthetic_sheet(rows: int, places: int, distinct: int, seed: int) -> tuple[pd.DataFrame, str]:
    """A coding sheet of ``rows`` rows: place, indicator position and raw_text."""
    rng = np.random.default_rng(seed)
    forms, origin = real_forms()
    pool = dict.fromkeys(forms)
    attempts = 0
    while len(pool) < distinct and attempts < distinct * 20:
        pool.setdefault(vary(forms[attempts % len(forms)], rng))
        attempts += 1
    texts = np.array(list(pool), dtype=object)
    # Zipf-like weights: a few forms (1次, 2名 …) dominate real sheets, most are rare.
    weights = 1.0 / np.arange(1, len(texts) + 1) ** 0.8
    rng.shuffle(weights)
    picks = rng.choice(len(texts), size=rows, p=weights / weights.sum())
    sheet = pd.DataFrame(
        {
            "place": pd.Series(rng.integers(0, places, size=rows)).map(lambda i: f"place_{i:03d}"),
            "row": np.arange(rows),
            "raw_text": pd.Series(texts.take(picks), dtype="str"),
        }
    )
    return sheet, origin


#: Written forms beyond Arabic digits, each a template over a number n (Chinese numerals,
#: approximate numerals, traditional characters, nouns): read by the full grammar.
OTHER_TEMPLATES = [
    "{cn}人", "近{cn}元", "{cn}个学会", "{cn}家（所）", "{cn}多名", "{tw}個", "{tw}元", "超過{n}家",
    "{n}餘人", "{pair}万人", "十几个", "几百人", "数百家", "上千人", "三十点五万", "{n}个县（市、区）",
    "人均将达到{n}元", "至少要达到{n}%", "{cn}岁以下", "一年半", "负百分之{cn}", "{cn}元五角",
]  # fmt: skip
_PAIRS = ["一两", "两三", "三四", "四五", "五六", "六七", "七八", "八九", "二十五六", "三十七八"]


def high_cardinality_column(rows: int, distinct_share: float, other_share: float, seed: int) -> pd.Series:
    """A column of ``rows`` texts of which ``distinct_share`` are distinct (see the module docstring)."""
    import cn2an
    import opencc

    rng = np.random.default_rng(seed)
    forms, _ = real_forms()
    arabic = [f for f in forms if _NUMBER.search(f)]
    n_distinct = int(rows * distinct_share)
    n_other = int(n_distinct * other_share)
    pool: dict[str, None] = {}
    # Arabic-number forms: the real forms with their numbers drawn over a wide range.
    while len(pool) < n_distinct - n_other:
        for form in rng.choice(arabic, size=50_000):
            numbers = list(_NUMBER.finditer(form))
            out, last = [], 0
            shift = int(rng.integers(1, 10_000_000))
            for match in numbers:
                old = float(match.group().replace(",", "").replace("，", ""))
                new = old + shift if len(numbers) > 1 else shift * rng.choice([1, 0.01, 0.1])
                if "%" in form or "％" in form:
                    new = new % 100
                out.append(form[last : match.start()])
                out.append(_spell_like(match.group(), new))
                last = match.end()
            out.append(form[last:])
            pool.setdefault("".join(out))
            if len(pool) >= n_distinct - n_other:
                break
    to_traditional = opencc.OpenCC("s2t").convert
    templates = OTHER_TEMPLATES
    target = n_distinct
    attempts = 0
    while len(pool) < target and attempts < target * 10:
        attempts += 1
        n = int(rng.integers(1, 100_000_000))
        template = templates[attempts % len(templates)]
        text = template.format(
            n=n, cn=cn2an.an2cn(n), tw=to_traditional(cn2an.an2cn(n)), pair=_PAIRS[attempts % len(_PAIRS)]
        )
        pool.setdefault(text)
    texts = np.array(list(pool), dtype=object)
    # Every distinct text once, the remaining rows drawn with Zipf-like weights.
    weights = 1.0 / np.arange(1, len(texts) + 1) ** 0.8
    rng.shuffle(weights)
    extra = rng.choice(len(texts), size=rows - len(texts), p=weights / weights.sum())
    picks = np.concatenate([np.arange(len(texts)), extra])
    rng.shuffle(picks)
    return pd.Series(texts.take(picks), dtype="str", name="raw_text")


def _time_case(series: pd.Series, sample_rows: int, seed: int) -> tuple[float, float, float, bool]:
    """Seconds of parse_quantities on the column, baseline rows/s on a sample, and agreement."""
    t0 = time.perf_counter()
    fast = parse_quantities(series)
    fast_seconds = time.perf_counter() - t0
    sample = series.sample(n=min(sample_rows, len(series)), random_state=seed)
    t0 = time.perf_counter()
    baseline = sample.apply(parse_quantity)
    sample_seconds = time.perf_counter() - t0
    base_rate = len(sample) / sample_seconds
    # The two paths must agree on the sample before their speeds mean anything.
    columns = ["value", "low", "high", "unit", "qualifier", "classifier", "noun"]
    expected = pd.DataFrame({c: [getattr(q, c) for q in baseline] for c in columns}, index=sample.index)
    agree = fast.loc[sample.index, columns].equals(expected.astype(fast[columns].dtypes))
    return fast_seconds, base_rate, sample_seconds, agree


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the synthetic sheet")
    parser.add_argument("--seed", type=int, default=0, help="random seed")
    parser.add_argument("--places", type=int, default=300, help="places of the synthetic sheet")
    parser.add_argument("--distinct", type=int, default=3000, help="distinct texts to aim for (repeated case)")
    parser.add_argument("--distinct-share", type=float, default=0.6, help="distinct share (high-cardinality case)")
    parser.add_argument("--other-share", type=float, default=0.05, help="share of non-Arabic forms (high-cardinality)")
    parser.add_argument("--sample", type=int, default=50_000, help="rows of the row-by-row baseline sample")
    parser.add_argument("--skip-repeated", action="store_true", help="run the high-cardinality case only")
    args = parser.parse_args(argv)
    verdict = {True: "PASS", False: "FAIL"}
    ok = True

    if not args.skip_repeated:
        t0 = time.perf_counter()
        sheet, origin = synthetic_sheet(args.rows, args.places, args.distinct, args.seed)
        series = sheet["raw_text"]
        print(f"forms from: {origin}")
        print(
            f"[repeated] synthetic sheet: {len(sheet):,} rows, {sheet['place'].nunique()} places, "
            f"{series.nunique():,} distinct texts (generated in {time.perf_counter() - t0:.1f} s)"
        )
        fast_seconds, base_rate, sample_seconds, agree = _time_case(series, args.sample, args.seed)
        ratio = (len(series) / fast_seconds) / base_rate
        print(
            f"(a) parse_quantities, all {len(series):,} rows: {fast_seconds:.2f} s = {len(series) / fast_seconds:,.0f} rows/s"
        )
        print(
            f"(b) series.apply(parse_quantity), {min(args.sample, len(series)):,}-row sample: {sample_seconds:.2f} s = "
            f"{base_rate:,.0f} rows/s; extrapolated to {len(series):,} rows: {len(series) / base_rate:.1f} s"
        )
        print(f"speed-up (a)/(b): {ratio:.1f}x; results agree on the sample: {agree}")
        print(
            f"{verdict[fast_seconds < TARGET_SECONDS]}: full column in {fast_seconds:.2f} s (target < {TARGET_SECONDS:.0f} s, one core)"
        )
        print(
            f"{verdict[ratio >= TARGET_SPEEDUP]}: speed-up {ratio:.1f}x (target >= {TARGET_SPEEDUP:.0f}x the row-by-row baseline)"
        )
        ok &= fast_seconds < TARGET_SECONDS and ratio >= TARGET_SPEEDUP and agree

    t0 = time.perf_counter()
    series = high_cardinality_column(args.rows, args.distinct_share, args.other_share, args.seed)
    distinct = series.nunique()
    print(
        f"[high-cardinality] {len(series):,} rows, {distinct:,} distinct texts ({distinct / len(series):.0%}), "
        f"generated in {time.perf_counter() - t0:.1f} s"
    )
    fast_seconds, base_rate, sample_seconds, agree = _time_case(series, args.sample, args.seed)
    ratio = (len(series) / fast_seconds) / base_rate
    print(
        f"(c) parse_quantities, all {len(series):,} rows: {fast_seconds:.2f} s = {len(series) / fast_seconds:,.0f} rows/s"
    )
    print(
        f"(d) series.apply(parse_quantity), {min(args.sample, len(series)):,}-row sample: {sample_seconds:.2f} s = "
        f"{base_rate:,.0f} rows/s; extrapolated to {len(series):,} rows: {len(series) / base_rate:.1f} s"
    )
    print(f"speed-up (c)/(d): {ratio:.1f}x; results agree on the sample: {agree}")
    print(
        f"{verdict[fast_seconds < TARGET_SECONDS and distinct * 2 >= len(series)]}: high-cardinality column in "
        f"{fast_seconds:.2f} s (target < {TARGET_SECONDS:.0f} s on one core, at least half the rows distinct)"
    )
    ok &= fast_seconds < TARGET_SECONDS and agree and distinct * 2 >= len(series)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
