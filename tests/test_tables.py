"""Tables of the regional-coordination article (PDF text) and the geography paper (HTML)."""

from __future__ import annotations

import pytest
from conftest import ARTICLE, shared_input

from extract.tables import find_tables


@pytest.fixture(scope="module")
def article() -> tuple[str, dict]:
    text = ARTICLE.read_text(encoding="utf-8")
    return text, {t.label: t for t in find_tables(text)}


def _cell(table, region, year, indicator):
    found = [o for o in table.observations
             if o.region == region and o.year == year and o.indicator == indicator]
    assert len(found) == 1, found
    return found[0]


def test_four_tables_with_captions_and_sources(article):
    text, tables = article
    assert list(tables) == ["表1", "表2", "表3", "表4"]
    assert tables["表1"].caption == "2020年和2023年四大板块主要经济指标对比"
    assert tables["表2"].caption == "2020年、2023年和2024年四大板块医疗卫生指标对比"
    assert tables["表3"].caption == "2020年、2022年和2023年四大板块主要交通基础设施和流通指标对比"
    assert tables["表4"].caption == "2020年和2023年四大板块对外贸易和吸引外资指标对比"
    assert tables["表3"].source == "数据来源:相应年份《中国统计年鉴》。"
    for label in ("表1", "表2", "表4"):
        assert tables[label].source == "数据来源:国家统计局网站。"
    for t in tables.values():
        assert t.caption in text[t.start:t.end] and t.source in text[t.start:t.end]


def test_observation_counts(article):
    _, tables = article
    counts = {label: len(t.observations) for label, t in tables.items()}
    assert counts == {"表1": 24, "表2": 20, "表3": 32, "表4": 40}


def test_exact_values(article):
    _, t = article
    o = _cell(t["表1"], "macro-region/east", 2020, "GDP")
    assert (o.value, o.unit, o.raw, o.status) == (525752.3, "亿元", "525752.3", "ok")
    o = _cell(t["表1"], "macro-region/northeast", 2023, "人均可支配收入")
    assert (o.value, o.unit) == (33207, "元")
    o = _cell(t["表4"], "macro-region/northeast", 2023, "实际使用外资金额")
    assert (o.value, o.unit) == (42, "亿美元")
    o = _cell(t["表2"], "macro-region/central", 2024, "国家区域医疗中心数量")
    assert (o.value, o.unit, o.status) == (36, "个", "ok")
    o = _cell(t["表3"], "macro-region/west", 2022, "铁路营业里程")
    assert (o.value, o.unit) == (6.30, "万千米")


def test_table2_repairs(article):
    _, t = article
    # "202" under the 2023 group is completed from the caption's years
    o = _cell(t["表2"], "macro-region/west", 2023, "每万人口卫生技术人员数")
    assert (o.value, o.status) == (90.03, "recovered") and o.confidence < 1
    # "77.00 56.27" followed by an empty cell is split over the two columns
    a = _cell(t["表2"], "macro-region/east", 2020, "每万人口卫生技术人员数")
    b = _cell(t["表2"], "macro-region/east", 2020, "每万人口医疗卫生机构床位数")
    assert (a.value, b.value) == (77.00, 56.27)
    assert a.status == b.status == "recovered" and a.confidence < 1
    assert any("not read" in w for w in t["表2"].warnings)  # the garbled first line


def test_damaged_row(article):
    _, t = article
    row = [o for o in t["表3"].observations if o.row_text == "左北地区"]
    assert len(row) == 8
    assert {o.region for o in row} == {"macro-region/northeast"}
    assert all(o.confidence < 1 for o in row)
    assert all("东北地区" in o.note for o in row)
    readable = [o for o in row if o.value is not None]
    assert [o.value for o in readable] == [1.21, 1.04, 26.00, 1.24, 1.01, 20.06]
    assert {o.status for o in readable} == {"recovered"}
    missing = [o for o in row if o.value is None]
    assert [o.raw for o in missing] == ["6 1 1", "5 00"]
    assert {o.status for o in missing} == {"missing"}
    warnings = t["表3"].warnings
    assert any("'6 1 1'" in w for w in warnings) and any("'5 00'" in w for w in warnings)
    assert any("左北地区" in w for w in warnings)


def test_offsets_are_exact(article):
    text, tables = article
    for t in tables.values():
        for o in t.observations:
            assert text[o.start:o.end] == o.raw
            assert o.status in {"ok", "recovered", "missing"}
            assert (o.value is None) == (o.status == "missing")


def test_html_tables():
    text = shared_input("corpus-dev", "05_western-dev-zones-2020.txt").read_text(encoding="utf-8")
    tables = find_tables(text)
    assert [t.label for t in tables] == ["表1", "表2"]
    assert tables[0].caption == "西部地区开发区主导产业的数量以及空间分布"
    assert tables[1].caption == "三大类型产业集聚区"
    assert len(tables[0].observations) == 12 and len(tables[1].observations) == 6
    for t in tables:
        for o in t.observations:
            assert text[o.start:o.end] == o.raw
            assert o.region is None  # industries, not places
    o = next(o for o in tables[0].observations if o.row_text == "国家级开发区 / 装备制造")
    assert (o.indicator, o.value) == ("频次", 34)
    o = next(o for o in tables[1].observations if o.row_text == "省级开发区 / 资金密集型")
    assert (o.indicator, o.value) == ("数量", 278)


def test_no_tables():
    assert find_tables("西部地区经济发展。\n表1显示东部地区增长较快。\n数据来源:国家统计局。") == []
    assert find_tables("") == []
