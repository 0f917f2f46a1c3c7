"""Wrong links of issue 12 gone by general rules: each rule is shown on the issue's case and
on another text it was not written for."""

from __future__ import annotations

import pytest


def found(extractor, text: str) -> list[tuple[str, str | None]]:
    return [(m.text, m.ref) for m in extractor.extract("t", text).mentions]


def test_a_provinces_own_sub_region_is_not_a_macro_region(extractor):
    # 渝东北 is Chongqing's north-east, not 东北地区 (Chongqing keeps its sub-regions)
    names = found(extractor, "推动渝东北三峡库区城镇群发展。")
    assert ("渝东北", "sub-region/500000-dong-bei") in names
    assert not any(ref == "macro-region/northeast" for _, ref in names)


@pytest.mark.parametrize("text, place", [("坚持中国特色社会主义，推进中国式现代化。", "中国"),
                                          ("实现中国梦。", "中国")])
def test_a_place_inside_a_fixed_phrase_is_no_mention(extractor, text, place):
    assert place not in [t for t, _ in found(extractor, text)]


@pytest.mark.parametrize("text, place", [("支持企业在北京证券交易所上市。", "北京"),
                                          ("湖南大学与长沙银行合作。", "长沙")])
def test_a_place_opening_an_organisations_name_is_no_mention(extractor, text, place):
    assert place not in [t for t, _ in found(extractor, text)]


def test_a_run_ends_before_an_adjective_of_the_noun_after_it(extractor):
    names = found(extractor, "深化川渝新时代合作，推进黔桂新发展。")
    texts = [t for t, _ in names]
    assert "川渝" in texts and "川渝新" not in texts and "黔桂新" not in texts


def test_a_line_named_by_two_places_is_a_line_not_their_cluster(extractor):
    text = "建设成渝中线高铁，扩容成渝高速，壮大成渝地区双城经济圈。"
    mentions = extractor.extract("t", text).mentions
    by_text = {m.text: m for m in mentions}
    assert by_text["成渝中线高铁"].type == "Railway" and by_text["成渝中线高铁"].ref is None
    assert by_text["成渝高速"].type == "Highway" and by_text["成渝高速"].ref is None
    assert by_text["成渝地区双城经济圈"].ref is not None


def test_the_longer_name_wins(extractor):
    names = found(extractor, "共建巴蜀文化旅游走廊。")
    assert [t for t, _ in names] == ["巴蜀文化旅游走廊"]
