"""Numeric claims: extraction (extract/claims.py), checking (extract/claim_check.py), the graph
(kg/build/claims.py), `kg claims` and `kg export claims` (kg/inspect/claims.py)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from decimal import ROUND_HALF_UP, Decimal

import pytest
from conftest import ARTICLE, DEV_CORPUS, kg_in_process
from hypothesis import example, given, settings
from hypothesis import strategies as st

from extract.claim_check import Cell, check_claim, check_claims
from extract.claims import NumericClaim, find_claims
from extract.records import Mention

EAST, CENTRAL, WEST, NE = (f"macro-region/{k}" for k in ("east", "central", "west", "northeast"))
FOUR = (EAST, CENTRAL, WEST, NE)


@pytest.fixture(scope="module")
def article(extractor):
    text = ARTICLE.read_text(encoding="utf-8")
    return extractor.extract("lu-li", text, str(ARTICLE))


@pytest.fixture(scope="module")
def checked(article):
    from extract.claim_check import cells_from_tables
    from extract.tables import find_tables

    claims = find_claims(article.text, article.mentions, article.sentences)
    checks = check_claims(claims, cells_from_tables(find_tables(article.text)))
    return list(zip(claims, checks, strict=True))


def in_sentence(checked, words: str) -> list[tuple[NumericClaim, object]]:
    """The claims of the sentence whose whitespace-free text contains `words`."""
    return [(c, k) for c, k in checked if words in "".join(c.quote.split())]


def key(c: NumericClaim) -> tuple:
    return (c.kind, c.region, c.compared, c.indicator, c.start_year, c.end_year, str(c.value),
            c.unit)


# --- extraction on the article -----------------------------------------------------------------

def test_gdp_gap_sentence_spreads_over_three_region_pairs(checked):
    claims = [c for c, _ in in_sentence(checked, "GDP绝对差距分别扩大78680.3亿元")
              if c.indicator == "GDP"]
    assert [key(c) for c in claims] == [
        ("gap_change", EAST, CENTRAL, "GDP", 2020, 2023, "78680.3", "亿元"),
        ("gap_change", EAST, WEST, "GDP", 2020, 2023, "70299.9", "亿元"),
        ("gap_change", EAST, NE, "GDP", 2020, 2023, "117832.2", "亿元"),
    ]


def test_ratio_changes_are_signed_by_their_verb(checked):
    claims = [c for c, _ in checked if c.kind == "ratio_change" and c.indicator == "GDP"]
    assert [(c.compared, str(c.value)) for c in claims] == [
        (CENTRAL, "0.050"), (NE, "0.653"), (WEST, "-0.044"), (WEST, "-0.040")]
    assert all(c.region == EAST for c in claims)


def test_a_clause_without_subject_takes_the_previous_pair_subject(checked):
    (c, _), = in_sentence(checked, "与东北地区比值差距上升0.041")
    assert key(c) == ("ratio_change", EAST, NE, "人均可支配收入", 2020, 2023, "0.041", None)


def test_fenbie_lists_give_one_change_and_one_value_per_region(checked):
    changes = [c for c, _ in checked if c.indicator == "每万人口卫生技术人员数"
               and c.kind == "change"]
    values = [c for c, _ in checked if c.indicator == "每万人口卫生技术人员数"
              and c.kind == "value"]
    assert [(c.region, str(c.value), c.unit) for c in changes] == [
        (EAST, "12.39", "人"), (CENTRAL, "14.03", "人"), (WEST, "12.49", "人"),
        (NE, "11.43", "人")]
    assert {(c.start_year, c.end_year) for c in changes} == {(2020, 2023)}
    assert [(c.region, str(c.value)) for c in values] == [
        (EAST, "89.39"), (CENTRAL, "85.31"), (WEST, "90.03"), (NE, "89.49")]
    assert {(c.start_year, c.end_year) for c in values} == {(None, 2023)}


def test_share_change_with_the_level_reached(checked):
    rd = [key(c) for c, _ in checked if c.indicator_text == "R&D经费投入"]
    assert rd == [
        ("share_change", EAST, None, None, 2020, 2023, "-0.08", "个百分点"),
        ("share", EAST, None, None, None, 2023, "65.4", "%"),
        ("share_change", WEST, None, None, 2020, 2023, "-0.1", "个百分点"),
        ("share_change", NE, None, None, 2020, 2023, "-0.27", "个百分点"),
        ("share", WEST, None, None, None, 2023, "13.07", "%"),
        ("share", NE, None, None, None, 2023, "3.35", "%"),
        ("share_change", CENTRAL, None, None, 2020, 2023, "0.45", "个百分点"),
        ("share", CENTRAL, None, None, None, 2023, "18.2", "%"),
    ]


def test_jun_gives_one_value_to_every_listed_region(checked):
    claims = [c for c, _ in in_sentence(checked, "占全国比重均下降0.2个百分点")]
    assert {(c.region, str(c.value)) for c in claims} == {(EAST, "-0.2"), (WEST, "-0.2")}


def test_evidence_is_the_original_text(article, checked):
    assert len(checked) > 150
    for c, _ in checked:
        assert article.text[c.start:c.end] == c.quote
        digits = str(abs(c.value)).replace(".", "")
        assert digits in "".join(ch for ch in c.quote if ch.isdigit()), c.quote
    # PDF line breaks and spaces inside the span stay in the quote
    assert any("\n" in c.quote for c, _ in checked)


# --- checking on the article -------------------------------------------------------------------

def verdict_of(checked, region, kind, indicator, value):
    found = [(c, k) for c, k in checked if c.region == region and c.kind == kind
             and c.indicator == indicator and c.value == Decimal(value)]
    assert len(found) == 1, found
    return found[0]


def test_gap_change_off_by_one_is_found(checked):
    c, k = verdict_of(checked, EAST, "gap_change", "GDP", "70299.9")
    assert (k.verdict, k.computed) == ("does_not_hold", Decimal("70298.900"))
    assert c.value - k.computed == 1
    for value in ("78680.3", "117832.2"):
        assert verdict_of(checked, EAST, "gap_change", "GDP", value)[1].verdict == "holds"


def test_fdi_share_stated_as_a_tenth_is_found(checked):
    c, k = verdict_of(checked, EAST, "share", "实际使用外资金额", "8.5")
    assert c.qualifier == "at_least"
    assert k.verdict == "does_not_hold"
    assert Decimal("85.05") < k.computed < Decimal("85.07")


def test_import_share_stated_as_export_share_is_found(checked):
    """'东部地区出口占比提高 0.751 百分点至 80.9%' sits in the import sentence: 80.9 % is the
    import share; the export share fell."""
    _, k = verdict_of(checked, EAST, "share", "出口总额", "80.9")
    assert (k.verdict, k.computed) == ("does_not_hold", Decimal("78.332"))
    _, k = verdict_of(checked, EAST, "share_change", "出口总额", "0.751")
    assert (k.verdict, k.computed) == ("does_not_hold", Decimal("-0.77530"))
    # the other regions of that sentence take its topic, the import total, and hold
    for region, value in ((CENTRAL, "-0.030"), (WEST, "-0.580"), (NE, "-0.141")):
        _, k = verdict_of(checked, region, "share_change", "进口总额", value)
        assert k.verdict in ("holds", "holds_within_rounding")
    # and the export sentence's own share change holds within rounding
    assert verdict_of(checked, EAST, "share_change", "出口总额", "-0.771")[1].verdict == \
        "holds_within_rounding"


def test_claims_that_hold_are_not_flagged(checked):
    holding = [k.verdict for c, k in checked
               if c.indicator in ("每万人口卫生技术人员数", "人均可支配收入", "进出口总额",
                                  "国家区域医疗中心数量", "外商投资企业数")]
    assert len(holding) == 8 + 6 + 7 + 4 + 4
    assert set(holding) <= {"holds", "holds_within_rounding"}
    # 人均GDP (表1 in 万元, 2020 with one decimal) checked in 元, within the cells' rounding
    _, k = verdict_of(checked, EAST, "gap_change", "人均GDP", "8502")
    assert (k.verdict, k.computed) == ("holds_within_rounding", Decimal("8800.00"))
    assert k.low <= Decimal(8502) + 1


def test_claims_without_data_are_unchecked(checked):
    for c, k in checked:
        if c.indicator is None:
            assert (k.verdict, k.computed) == ("unchecked", None)
    _, k = verdict_of(checked, NE, "change", "客运量", "7.95")  # a missing cell of 表3
    assert k.verdict == "unchecked"
    north = [k for c, k in checked if c.region == "macro-region/north"]
    assert north and {k.verdict for k in north} == {"unchecked"}


def test_verdict_counts_on_the_article(checked):
    counts = {}
    for _, k in checked:
        counts[k.verdict] = counts.get(k.verdict, 0) + 1
    assert counts["does_not_hold"] == 8
    assert counts["holds"] + counts["holds_within_rounding"] == 66


# --- rules on made-up text ---------------------------------------------------------------------

NAMES = {"东部地区": EAST, "中部地区": CENTRAL, "西部地区": WEST, "东北地区": NE}


def claims_of(text: str) -> list[NumericClaim]:
    mentions = []
    for name, ref in NAMES.items():
        i = text.find(name)
        while i != -1:
            mentions.append(Mention("t", i, i + len(name), name, "MacroRegion", ref, "test"))
            i = text.find(name, i + 1)
    sentences, start = [], 0
    for i, ch in enumerate(text):
        if ch == "。":
            sentences.append((start, i + 1))
            start = i + 1
    return find_claims(text, sorted(mentions, key=lambda m: m.start), sentences)


@pytest.mark.parametrize("period", ["2020—2023年", "2020-2023年", "2020一2023年", "2020 — 2023年"])
def test_dash_variants_and_the_preceding_sentence_give_the_period(period):
    text = f"{period}变化较大。东部地区与中部地区GDP绝对差距扩大 7 8 6 8 0.3亿元。"
    (c,) = claims_of(text)
    assert key(c) == ("gap_change", EAST, CENTRAL, "GDP", 2020, 2023, "78680.3", "亿元")
    assert c.quote == "东部地区与中部地区GDP绝对差距扩大 7 8 6 8 0.3亿元"


def test_line_breaks_inside_a_list_keep_offsets():
    text = "2020—2023年，东部地区、中部\n地区客运量分别减少1.5亿人、\n2.25亿人。"
    claims = claims_of(text.replace("中部\n地区", "中部地区")) + claims_of(text)
    assert [str(c.value) for c in claims[:2]] == ["-1.5", "-2.25"]
    for c in claims_of(text):
        assert text[c.start:c.end] == c.quote


def test_sentences_without_regions_or_numbers_give_nothing():
    assert claims_of("2023年全国GDP增长5.2%。推动东部地区率先实现现代化。") == []


PIECES = ["东部地区", "中部地区", "西部地区", "东北地区", "与", "、", "和", "，", "。", ",", ".",
          "GDP", "人均GDP", "比值", "差距", "占全国比重", "占比", "分别", "均", "扩大", "缩小",
          "下降", "为", "至", "从", "2020—2023年", "2023年", "2020一2023年", "12.5", "0.050",
          "7", "-3", "亿元", "个百分点", "%", "个", "万", "以上", "近", " ", "\n", "(见表1)"]


@settings(max_examples=300, deadline=None)
@given(before=st.lists(st.sampled_from(PIECES), max_size=40),
       after=st.lists(st.sampled_from(PIECES), max_size=40),
       region=st.sampled_from(list(NAMES)),
       value=st.decimals("0.1", "99999.9", places=1),
       verb=st.sampled_from([("增加", 1), ("扩大", 1), ("下降", -1), ("减少", -1)]))
def test_claim_words_around_a_stated_change_neither_hide_nor_alter_it(before, after, region,
                                                                      value, verb):
    """Any sequence of claim words reads without error, and the sentences around one that
    states a change do not change what is read from it: it gives exactly that claim, with its
    signed value. (Random words alone almost never make a claim, so a bare "finds nothing and
    does not crash" would check nothing.) Whatever else is read quotes the text where it is."""
    head = "".join(before) + "。"
    stated = f"2020—2023年，{region}GDP{verb[0]}{value}亿元。"
    text = head + stated + "".join(after)
    claims = claims_of(text)
    inside = [c for c in claims if len(head) <= c.start and c.end <= len(head) + len(stated)]
    assert [(c.kind, c.region, c.indicator, c.start_year, c.end_year, c.value, c.unit)
            for c in inside] == [("change", NAMES[region], "GDP", 2020, 2023, value * verb[1],
                                  "亿元")]
    for c in claims:
        assert text[c.start:c.end] == c.quote
        assert c.kind in ("value", "change", "gap", "gap_change", "ratio", "ratio_change",
                          "share", "share_change")
        assert (c.compared is not None) == c.kind.startswith(("gap", "ratio"))


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(regions=st.lists(st.sampled_from(list(NAMES)), min_size=1, max_size=4, unique=True),
       values=st.lists(st.decimals("0.01", "99999", places=2), min_size=4, max_size=4),
       verb=st.sampled_from([("增加", 1), ("扩大", 1), ("下降", -1), ("减少", -1)]),
       indicator=st.sampled_from(["GDP", "客运量", "每万人口卫生技术人员数"]),
       breaks=st.lists(st.sampled_from(["", " ", "\n", " \n "]), min_size=200, max_size=200))
def test_a_fenbie_list_spreads_over_its_regions_whatever_the_pdf_whitespace(regions, values,
                                                                          verb, indicator,
                                                                          breaks):
    values = values[:len(regions)]
    clean = (f"2020—2023年，{'、'.join(regions)}{indicator}分别{verb[0]}"
             f"{'、'.join(f'{v}亿元' for v in values)}。")
    # whitespace after any character, as the PDF puts it, inside names and numbers too; the
    # mentions are where the gazetteer finds them (it reads through such whitespace)
    text, where = "", []
    for i, ch in enumerate(clean):
        where.append(len(text))
        text += ch + breaks[i % len(breaks)]
    mentions = [Mention("t", where[m], where[m + len(r) - 1] + 1, "", "MacroRegion", NAMES[r],
                        "test") for r in regions for m in [clean.find(r)]]
    claims = find_claims(text, sorted(mentions, key=lambda m: m.start), [(0, len(text))])
    assert [(c.region, c.value, c.start_year, c.end_year) for c in claims] == [
        (NAMES[r], v * verb[1], 2020, 2023) for r, v in zip(regions, values, strict=True)]
    for c in claims:
        assert text[c.start:c.end] == c.quote


# --- the checker on made-up cells --------------------------------------------------------------

def cells(indicator: str, unit: str, values: dict[tuple[str, int], str]) -> list[Cell]:
    return [Cell(r, y, indicator, unit, Decimal(v), max(0, -Decimal(v).as_tuple().exponent))
            for (r, y), v in values.items()]


def claim(kind, value, region=EAST, compared=None, indicator="GDP", years=(2020, 2023),
          unit="亿元", qualifier=None) -> NumericClaim:
    start = years[0] if "change" in kind else None
    return NumericClaim(0, 1, "x", kind, region, compared, indicator, indicator, start,
                        years[1], Decimal(value), unit, qualifier)


def test_units_convert_between_scales():
    data = cells("人均GDP", "万元", {(EAST, 2020): "9.30", (EAST, 2023): "11.51"})
    k = check_claim(claim("change", "22100", indicator="人均GDP", unit="元"), data)
    assert (k.verdict, k.computed) == ("holds", Decimal("22100.00"))
    k = check_claim(claim("change", "2.21", indicator="人均GDP", unit="万元"), data)
    assert k.verdict == "holds"
    k = check_claim(claim("change", "2.21", indicator="人均GDP", unit="亿吨"), data)
    assert k.verdict == "unchecked"


def test_share_needs_the_whole_set_of_regions():
    data = cells("GDP", "亿元", {(EAST, 2023): "50", (CENTRAL, 2023): "30", (WEST, 2023): "15",
                                (NE, 2023): "5"})
    assert check_claim(claim("share", "50.0", unit="%"), data).verdict == "holds"
    assert check_claim(claim("share", "50.0", unit="%"), data[:3]).verdict == "unchecked"
    assert check_claim(claim("share", "50", unit="%", qualifier="at_least"),
                       data).verdict == "holds"
    assert check_claim(claim("share", "5", unit="%", qualifier="at_least"),
                       data).verdict == "does_not_hold"


def test_missing_region_or_year_is_unchecked():
    data = cells("GDP", "亿元", {(EAST, 2020): "1.0", (EAST, 2023): "2.0"})
    assert check_claim(claim("change", "1.0", years=(2019, 2023)), data).verdict == "unchecked"
    assert check_claim(claim("gap", "1.0", compared=WEST), data).verdict == "unchecked"
    assert check_claim(claim("change", "1.0", indicator=None), data).verdict == "unchecked"


@settings(max_examples=200, deadline=None)
@given(a0=st.integers(1, 10**6), a1=st.integers(1, 10**6), b0=st.integers(1, 10**6),
       b1=st.integers(1, 10**6), d=st.integers(0, 2))
def test_a_correctly_rounded_gap_change_holds_and_one_off_by_two_units_does_not(a0, a1, b0, b1,
                                                                                  d):
    scale = Decimal(1).scaleb(-d)
    v = {(EAST, 2020): a0, (EAST, 2023): a1, (WEST, 2020): b0, (WEST, 2023): b1}
    data = cells("GDP", "亿元", {k: str(Decimal(x) * scale) for k, x in v.items()})
    exact = ((a1 - b1) - (a0 - b0)) * scale
    k = check_claim(claim("gap_change", str(exact), compared=WEST), data)
    assert (k.verdict, k.computed) == ("holds", exact.quantize(scale / 100))
    # four cells each ±½ unit, plus one unit of the stated last decimal: 3 units is the edge
    off = exact + 4 * scale
    assert check_claim(claim("gap_change", str(off), compared=WEST), data).verdict == \
        "does_not_hold"
    near = exact + 2 * scale
    assert check_claim(claim("gap_change", str(near), compared=WEST), data).verdict == \
        "holds_within_rounding"


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(1, 10**5), min_size=4, max_size=4), st.integers(0, 3))
@example([1, 3, 2, 2], 0)  # 12.5 %: a tie, which the texts round up (四舍五入) to 13
def test_a_share_rounded_to_its_stated_decimals_holds(values, d):
    data = cells("GDP", "亿元", {(r, 2023): str(v) for r, v in zip(FOUR, values, strict=True)})
    share = (Decimal(100) * values[0] / sum(values)).quantize(Decimal(1).scaleb(-d),
                                                              rounding=ROUND_HALF_UP)
    assert check_claim(claim("share", str(share), unit="%"), data).verdict == "holds"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(1, 10**6), min_size=8, max_size=8), st.integers(0, 2),
       st.sampled_from(["value", "change", "gap", "gap_change", "ratio", "ratio_change",
                        "share", "share_change"]))
def test_the_recomputed_value_lies_in_its_rounding_interval(values, d, kind):
    scale = Decimal(1).scaleb(-d)
    keys = [(r, y) for r in FOUR for y in (2020, 2023)]
    data = cells("GDP", "亿元", {k: str(v * scale) for k, v in zip(keys, values, strict=True)})
    unit = "%" if kind == "share" else "个百分点" if kind == "share_change" else "亿元"
    pair = kind.startswith(("gap", "ratio"))
    k = check_claim(claim(kind, "1.000", compared=WEST if pair else None, unit=unit), data)
    assert k.verdict != "unchecked"
    assert k.low <= k.computed.quantize(Decimal("0.00001")) + Decimal("0.00001")
    assert k.computed.quantize(Decimal("0.00001")) - Decimal("0.00001") <= k.high


# --- other genres ------------------------------------------------------------------------------

@pytest.mark.skipif(not DEV_CORPUS.is_dir(), reason="../shared/corpus-dev is not here")
@pytest.mark.parametrize("name", sorted(p.name for p in DEV_CORPUS.glob("*.txt"))
                         if DEV_CORPUS.is_dir() else [])
def test_other_genres_give_sensible_claims_or_none(extractor, name):
    from extract.claim_check import cells_from_tables
    from extract.tables import find_tables
    from kg.inputs.files import read_sources

    source = read_sources([DEV_CORPUS / name])[0]
    doc = extractor.extract(source.doc, source.text, str(source.path))
    claims = find_claims(doc.text, doc.mentions, doc.sentences)
    checks = check_claims(claims, cells_from_tables(find_tables(doc.text)))
    assert len(claims) < 20
    for c, k in zip(claims, checks, strict=True):
        assert doc.text[c.start:c.end] == c.quote and c.region
        assert k.verdict != "does_not_hold"
    # nor do the checks from the text (sums, restated figures, shares of a year's count)
    assert [c.check.verdict for c in doc.claims].count("does_not_hold") == 0


GWR_2025 = DEV_CORPUS / "gwr-2025"


@pytest.mark.slow
@pytest.mark.skipif(not GWR_2025.is_dir(), reason="../shared/corpus-dev/gwr-2025 is not here")
def test_the_27_work_reports_give_no_false_alarm_from_the_text(extractor):
    """The provincial reports state their figures about the province as a whole (全省, which no
    claim is about) and as growth rates (not read): the checks from the text find nothing to
    check there, and so raise no alarm."""
    from kg.inputs.files import read_sources

    sources = read_sources(sorted(GWR_2025.glob("*.txt")))
    claims = [c for s in sources
              for c in extractor.extract(s.doc, s.text, str(s.path)).claims]
    assert len(sources) == 27 and len(claims) < 60
    assert not [c for c in claims if c.check.verdict == "does_not_hold"]
    assert not [c for c in claims if c.claim.parts or c.check.against is not None]


# --- the graph, kg claims, kg export claims ---------------------------------------------------

@pytest.fixture(scope="module")
def built(article_build):
    result, out = article_build
    assert result.returncode == 0, result.stderr
    return out


def kg(kg_command, *args: str) -> subprocess.CompletedProcess:
    return kg_in_process(*args)


@pytest.mark.slow
def test_build_report_counts_claims_and_verdicts(built):
    report = json.loads((built / "report.json").read_text(encoding="utf-8"))
    (n,) = report["claims_per_document"].values()
    assert n == sum(report["claim_verdicts"].values()) > 150
    # 8 against the tables, 5 shares and a total against their own sentence, a share against
    # the count of the sentence before (tests/test_claim_text.py, tests/test_claim_sums.py)
    assert report["claim_verdicts"]["does_not_hold"] == 15
    assert report["validation"]["conforms"]


@pytest.mark.slow
def test_kg_claims_lists_the_claims_that_do_not_hold(kg_command, built):
    r = kg(kg_command, "claims", "--graph", str(built / "graph.trig"), "--verdict",
           "does_not_hold", "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert [(row["stated"], row["computed"]) for row in rows] == [
        ("70299.9", "70298.900"), ("-0.040", "-0.04376"), ("24.79", "0.8000"),
        ("12.22", "-2.5700"), ("13.80", "-3.6200"),
        # shares against the counts of their own sentence: 2369/12183, 66/371 …
        # the whole against its parts: 7877 + 2369 + 1315 + 422 is 200 short of 12183
        ("12183", "11983.0"),
        ("21.1", "19.445"), ("23", "17.79"), ("19.9", "15.364"), ("7.3", "5.660"),
        ("10.1", "7.817"),
        ("0.751", "-0.77530"), ("80.9", "78.332"), ("8.5", "85.059"),
        # 东北's share of 2020 against the 103 zones of the sentence before: 7/103 is 6.80 %
        ("6.85", "6.7961")]
    assert rows[0]["region"] == "东部地区" and rows[0]["compared"] == "西部地区"
    assert rows[0]["kind"] == "gap_change" and rows[0]["start_year"] == 2020
    against = [(row["kind"], row["against"], row["against_spans"]) for row in rows]
    assert against[0] == ("gap_change", "table", None)
    # a sum names its four parts (the counts of its list), where they are in the text
    assert against[5][:2] == ("sum_of_parts", "same_sentence")
    assert len(against[5][2].split()) == 4
    assert against[-1] == ("share", "other_sentence", None)


@pytest.mark.slow
def test_kg_claims_says_where_a_restated_figure_was_first_stated(kg_command, built):
    r = kg(kg_command, "claims", "--graph", str(built / "graph.trig"), "--format", "jsonl")
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    restated = [row for row in rows if row["kind"] not in ("shares_sum", "sum_of_parts")
                and row["against"] == "same_sentence" and row["against_spans"]]
    # "东部地区仍占全国比重70.8%" twice in one sentence
    assert [(row["stated"], row["verdict"]) for row in restated] == [("70.8", "holds")]
    first = next(row for row in rows if f'{row["start"]}:{row["end"]}'
                 == restated[0]["against_spans"])
    assert first["stated"] == "70.8" and first["start"] < restated[0]["start"]


@pytest.mark.slow
def test_kg_claims_recomputes_what_the_build_stored(kg_command, built):
    r = kg(kg_command, "claims", "--graph", str(built / "graph.trig"), "--format", "csv")
    assert r.returncode == 0, r.stderr
    recomputed = list(csv.DictReader(io.StringIO(r.stdout)))
    x = kg(kg_command, "export", "claims", "--graph", str(built / "graph.trig"), "--format",
           "csv")
    stored = list(csv.DictReader(io.StringIO(x.stdout)))
    assert list(stored[0]) == ["doc", "start", "end", "quote", "stated", "computed", "verdict"]
    assert len(recomputed) == len(stored) > 150
    assert [r["verdict"] for r in recomputed] == [s["verdict"] for s in stored]
    assert {s["verdict"] for s in stored} == {"holds", "holds_within_rounding", "does_not_hold",
                                              "unchecked"}


@pytest.mark.slow
def test_kg_claims_table_ends_with_a_summary(kg_command, built):
    r = kg(kg_command, "claims", "--graph", str(built / "graph.trig"))
    assert r.returncode == 0, r.stderr
    last = r.stdout.strip().splitlines()[-1]
    assert last.startswith("holds: 78  holds_within_rounding: 21  does_not_hold: 15  unchecked:")
    assert "8.5%" in r.stdout and "does_not_hold" in r.stdout
    # each row ends with what its verdict was checked against
    assert "\tdoes_not_hold\tsame_sentence [9278:9305 " in r.stdout


@pytest.mark.parametrize("content", [None, "this is not turtle {"])
def test_kg_claims_on_a_bad_graph_exits_2_with_one_line(kg_command, tmp_path, content):
    path = tmp_path / "graph.trig"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    r = kg(kg_command, "claims", "--graph", str(path))
    assert r.returncode == 2
    assert r.stdout == "" and len(r.stderr.strip().splitlines()) == 1
    assert "Traceback" not in r.stderr
