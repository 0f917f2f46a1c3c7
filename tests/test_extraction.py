"""Extraction on sentences of our choosing: the expected entities at the expected offsets."""

from __future__ import annotations

import pytest


def found(extractor, text: str) -> list[tuple[int, int, str, str, str | None]]:
    doc = extractor.extract("t", text)
    for m in doc.mentions:
        assert text[m.start:m.end] == m.text  # offsets point into the ORIGINAL text
    return [(m.start, m.end, m.text, m.type, m.ref) for m in doc.mentions]


def refs(extractor, text: str) -> list[str | None]:
    return [m[4] for m in found(extractor, text)]


def test_provinces_cities_and_clusters_with_offsets(extractor):
    text = "安徽合肥承载8个大科学装置,京津冀地区和长三角城市群领先。"
    assert found(extractor, text) == [
        (0, 2, "安徽", "Province", "province/340000"),
        (2, 4, "合肥", "City", "city/340100"),
        (14, 19, "京津冀地区", "CityCluster", "city-cluster/jing-jin-ji"),
        (20, 26, "长三角城市群", "CityCluster", "city-cluster/chang-san-jiao"),
    ]


@pytest.mark.parametrize(("text", "absent"), [
    ("应推广东部地区的经验", "province/440000"),  # 广东 is not in 推广东部
    ("依托珠江西江经济带建设", "province/360000"),  # 江西 is not in 珠江西江
    ("其中东部地区占比高达51.8%", "world-region/zhong-dong"),  # 中东 is not in 其中东部
])
def test_a_name_inside_a_longer_word_is_not_a_mention(extractor, text, absent):
    assert absent not in refs(extractor, text)


def test_near_misses_still_find_the_real_names(extractor):
    assert refs(extractor, "应推广东部地区的经验") == ["macro-region/east"]
    assert refs(extractor, "其中东部地区占比") == ["macro-region/east"]


def test_a_name_split_by_a_pdf_line_break_is_found_with_original_offsets(extractor):
    prose = "东部地区与中部地区、西部地区、东北地区经济发展绝对差距拉大,与西部"
    text = prose + "地区相对差距缩小,粤 港澳地区上升。"
    mentions = found(extractor, text)
    assert (len(prose) - 2, len(prose) + 2, "西部地区", "MacroRegion",
            "macro-region/west") in mentions
    text = "东部地区相比中部地区和西部地区的社会消费品零售总额差距有所减小而中西\n\n部地区增长"
    m = found(extractor, text)[-1]
    assert m[2] == "中西\n\n部地区" and m[4] == "macro-region/central-west"


def test_a_dash_read_as_yi_inside_a_name(extractor):
    mentions = found(extractor, "加快推进中国一东盟自贸区 3.0 版建设")
    assert [m[2] for m in mentions] == ["中国一东盟自贸区"]
    assert mentions[0][3] == "Agreement"


@pytest.mark.parametrize(("text", "expected"), [
    ("浙粤苏琼人口持续聚集", ["province/330000", "province/440000", "province/320000",
                          "province/460000"]),
    ("晋冀鲁豫交界地区", ["province/140000", "province/130000", "province/370000",
                      "province/410000"]),
    ("川渝地区合作", ["province/510000", "province/500000"]),
    ("北上广深房价", ["province/110000", "province/310000", "city/440100", "city/440300"]),
    ("美欧日韩外贸进出口额", ["country/usa", "world-region/ou-zhou", "country/jpn",
                        "country/kor"]),
])
def test_abbreviation_runs_name_one_place_per_character(extractor, text, expected):
    # a run of provinces (or cities) is one AreaCompound mention whose members are the places
    mentions = extractor.extract("t", text).mentions
    assert [r for m in mentions for r in (m.members or (m.ref,))] == expected
    compounds = [m for m in mentions if m.members]
    assert all(m.type == "AreaCompound" and m.ref is None for m in compounds)


def test_direction_runs_list_macro_regions(extractor):
    assert refs(extractor, "东中西部地区义务教育") == [
        "macro-region/east", "macro-region/central", "macro-region/west"]
    assert refs(extractor, "南北方经济差距") == ["macro-region/south", "macro-region/north"]


def test_京津冀_is_the_region_not_three_provinces(extractor):
    assert refs(extractor, "京津冀协同发展") [0] != "province/110000"


def test_two_abbreviations_without_a_place_context_are_not_a_run(extractor):
    assert refs(extractor, "新青年杂志") == []


def test_weak_city_names_need_a_place_next_to_them(extractor):
    assert refs(extractor, "欢迎各位来宾") == []
    assert refs(extractor, "广西来宾、百色") == ["province/450000", "city/451300",
                                          "city/451000"]


def test_municipalities_link_to_the_province_level_entity(extractor):
    assert refs(extractor, "北京独角兽共66家") == ["province/110000"]


def test_free_trade_zone_names_in_their_short_forms(extractor):
    assert refs(extractor, "上海自贸试验区和中国（广东）自由贸易试验区") == [
        "platform/ftz-310000", "platform/ftz-440000"]


def test_shape_rules_find_names_the_gazetteer_lacks(extractor):
    mentions = found(extractor, "建设赣州都市圈和洋山港综合保税区")
    assert ("赣州都市圈", "MetropolitanArea", None) in [(m[2], m[3], m[4]) for m in mentions]


def test_every_mention_has_a_rule(extractor):
    doc = extractor.extract("t", "以昆明都市圈、南宁都市圈、北部湾城市群为支撑,浙粤苏琼")
    assert all(m.rule and m.rule.endswith("/v1") for m in doc.mentions)


def test_provincial_sub_regions_are_abbreviation_plus_direction(extractor):
    assert refs(extractor, "冀中南、皖北、鲁西南等地区") == [
        "sub-region/130000-zhong-nan", "sub-region/340000-bei", "sub-region/370000-xi-nan"]
    # a spelling that already names something else keeps that meaning
    assert refs(extractor, "云南和晋中") == ["province/530000", "city/140700"]
    # and the generated names never swallow a longer known name
    assert refs(extractor, "广西北部湾经济区") == ["city-cluster/bei-bu-wan-jing-ji-qu"]


def test_names_in_a_bibliography_are_not_mentions(extractor):
    text = "支持广西发展。\n\n参考文献\n\n[1]张三.论江苏发展[J].华东经济管理,2024(1).\n"
    assert refs(extractor, text) == ["province/450000"]


def test_a_shared_suffix_names_every_item_of_a_list(extractor):
    mentions = found(extractor, "川藏、新藏、滇藏铁路的建设,加快渝昆、贵南、隆黄铁路")
    assert [(m[2], m[4]) for m in mentions] == [
        ("川藏", "corridor/chuan-zang-tie-lu"), ("新藏", "corridor/xin-zang-tie-lu"),
        ("滇藏铁路", "corridor/dian-zang-tie-lu"), ("渝昆", "corridor/yu-kun-gao-su-tie-lu"),
        ("贵南", "corridor/gui-nan-gao-su-tie-lu"), ("隆黄铁路", "corridor/long-huang-tie-lu")]


def test_chunking_never_changes_the_result(extractor):
    """Chunks are cut only at line breaks the normaliser keeps, so no name is ever split."""
    from conftest import ARTICLE

    from extract.pipeline import Extractor

    text = ARTICLE.read_text(encoding="utf-8")
    small = Extractor(nlp=extractor.nlp, chunk_size=300)
    assert small.extract("a", text).mentions == extractor.extract("a", text).mentions


def test_spacy_pipeline_gives_entities_on_the_normalised_text():
    from extract.components import build_nlp

    original = "推广东部地区经验。浙粤苏琼人口,协调发 展广西来宾"
    doc = build_nlp()(original)
    assert [(e.text, e.label_, e.kb_id_) for e in doc.ents] == [
        ("东部地区", "MacroRegion", "macro-region/east"), ("浙粤苏琼", "AreaCompound", ""),
        ("广西", "Province", "province/450000"), ("来宾", "City", "city/451300")]
    assert [s.text for s in doc.sents] == ["推广东部地区经验。", "浙粤苏琼人口,协调发展广西来宾"]
    assert doc._.pkg_offsets.to_original(len(doc.text) - 1) == len(original) - 1


@pytest.fixture(scope="module")
def bulk_nlp():
    from extract.components import build_nlp

    return build_nlp(cut_doc=False)


def test_components_declare_what_they_require_and_assign(bulk_nlp):
    from extract.components import build_nlp

    for nlp in (build_nlp(), bulk_nlp):
        analysis = nlp.analyze_pipes()
        assert all(not problems for problems in analysis["problems"].values()), analysis
        assert all(nlp.get_pipe_meta(name).assigns for name in nlp.pipe_names)
    # the declarations mean something: without the gazetteer matcher, its readers are unmet
    nlp = build_nlp(cut_doc=False)
    nlp.remove_pipe("policy_kg_gazetteer_v1")
    problems = nlp.analyze_pipes()["problems"]
    assert problems["policy_kg_shapes_v1"] == ["doc._.pkg_candidates"]
    assert problems["policy_kg_boundaries_v1"] == ["doc._.pkg_candidates"]


def test_results_are_frozen_records_in_doc_extensions(bulk_nlp):
    from dataclasses import FrozenInstanceError

    from extract.components import LinkedName, Sentences

    doc = bulk_nlp("推广东部地区经验。浙粤苏琼人口")
    assert len(doc) == 1  # the bulk path does not re-cut the Doc
    assert doc._.pkg_sentences == Sentences((0, 9), (9, 15))
    assert doc._.pkg_mentions[:2] == (
        LinkedName(2, 6, "MacroRegion", "macro-region/east", "gazetteer/v1", 1.0),
        # a run of provinces' abbreviations is one area made of them, its places as members
        LinkedName(9, 13, "AreaCompound", None, "abbrev-run/v1", 0.8,
                   members=("province/330000", "province/440000", "province/320000",
                            "province/460000")))
    assert [c.rule for c in doc._.pkg_chosen] == ["gazetteer/v1", "abbrev-run/v1"]
    assert not [key for key in doc.user_data if isinstance(key, str)]  # no ad-hoc keys
    with pytest.raises(AttributeError):
        doc._.pkg_mentions[0].ref = "province/440000"
    with pytest.raises(FrozenInstanceError):
        doc._.pkg_chosen[0].refs = ()


def test_the_tokenizer_is_configured_once(bulk_nlp):
    from extract.components import ChunkTokenizer

    assert bulk_nlp.config["nlp"]["tokenizer"] == {"@tokenizers": "policy_kg_chunk_tokenizer_v1"}
    assert isinstance(bulk_nlp.tokenizer, ChunkTokenizer)
    assert bulk_nlp.config["initialize"]["tokenizer"] == {}


def test_components_get_their_data_from_initialize():
    from spacy.util import load_model_from_config

    from extract.components import NotInitialized, pipeline_config

    nlp = load_model_from_config(pipeline_config(), auto_fill=True)
    with pytest.raises(NotInitialized, match=r"policy_kg_gazetteer_v1 .*nlp\.initialize\(\)"):
        nlp("广东")
    nlp.initialize()
    assert [e.kb_id_ for e in nlp("广东").ents] == ["province/440000"]


def test_the_reference_dir_setting_reaches_every_component(tmp_path, bulk_nlp):
    """A name only the given tables know is found, and linked (the linker has those tables)."""
    import shutil

    import kgdata
    from extract.components import build_nlp

    tables = tmp_path / "reference"
    shutil.copytree(kgdata.reference_dir(), tables)
    with (tables / "entities" / "corridors.csv").open("a", encoding="utf-8") as f:
        f.write("ce-shi-tie-lu,Railway,测试铁路,Test Railway,,,,,,,a test\n")
    nlp = build_nlp(str(tables))
    assert nlp.config["paths"]["reference"] == str(tables)
    assert [(e.text, e.kb_id_) for e in nlp("建设测试铁路").ents] == [
        ("测试铁路", "corridor/ce-shi-tie-lu")]
    assert [n.ref for n in bulk_nlp("建设测试铁路")._.pkg_mentions] == []


@pytest.mark.parametrize(("text", "expected"), [
    # jieba's dictionary glues known names together or to 国家: still mentions
    ("加强与东盟国家合作", ["organization/dong-meng"]),
    ("广西北海、钦州三市", ["province/450000", "city/450500", "city/450700"]),
    ("支持云南昆明建设", ["province/530000", "city/530100"]),
    ("中国香港", ["country/chn", "province/810000"]),
    # a name that begins a longer word is not a mention
    ("发展大理石产业", []),
    ("与北京大学合作", []),
    # a bare direction after a province is part of that province
    ("湖北东部和广东西部沿海", ["province/420000", "province/440000"]),
    # abbreviation pairs that are words, not runs
    ("阿里巴巴、苏宁和京东", []),
    # three provinces counted as parties: one mention each (revision 2 of the gold, R3)
    ("湘鄂赣三省", ["province/430000", "province/420000", "province/360000"]),
    # a weak name next to an industry is not in a place context; next to 地区 it is
    ("发展黄金、白银、有色金属等产业", ["industry/you-se-jin-shu"]),
    ("推动大同地区发展", ["city/140200"]),
    # common nouns tagged as places by jieba are not shape anchors
    ("支持城市综合保税区,建设高原铁路", []),
])
def test_boundary_and_context_rules(extractor, text, expected):
    assert refs(extractor, text) == expected


def test_pdf_spaces_around_dashes_and_brackets_and_crlf_line_breaks(extractor):
    assert refs(extractor, "推进中国 — 东盟自贸区建设") == [
        "agreement/zhong-guo-dong-meng-zi-mao-qu"]
    assert refs(extractor, "中国 (广西) 自由贸易试验区") == ["platform/ftz-450000"]
    prose = "东部地区与中部地区、西部地区、东北地区经济发展绝对差距拉大,不影响广"
    mentions = found(extractor, prose + "\r\n东省发展")
    assert mentions[-1][2:] == ("广\r\n东省", "Province", "province/440000")


def test_a_table_of_contents_does_not_hide_the_body(extractor):
    text = "目录\n一、引言\n参考文献\n\n推动广东省发展。\n\n参考文献\n\n[1]论江苏[J]."
    assert refs(extractor, text) == ["province/440000"]
