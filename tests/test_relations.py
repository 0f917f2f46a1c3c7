"""Relations from text: each rule on sentences it has never seen, the article's conflict with the
reference data, the evidence in the graph, `kg why`, and the score against the gold list."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import ARTICLE, kg_in_process
from rdflib import Dataset
from rdflib.namespace import RDF

from extract.line_sections import entity_name
from extract.relations import find_relations, relation_key
from kg.build.steps import assemble
from kg.evaluate.entities import overall
from kg.evaluate.relations import read_relation_gold, score_relations
from kg.vocab import PKG

GOLD = Path(__file__).parent / "gold" / "lu-li-2025.relations.tsv"


def labels(gaz, mentions) -> dict[str, str]:
    """ref -> its label: the reference entry's, or an open-world entity's name (a section's
    is its line's: G331吉林段 names G331)."""
    out = {relation_key(m, gaz): entity_name(m) for m in mentions if relation_key(m, gaz)}
    return out | {ref: e.label_zh for ref, e in gaz.entries.items()}


def triples(extractor, gaz, text: str) -> set[tuple[str, str, str]]:
    doc = extractor.extract("t", text)
    label = labels(gaz, doc.mentions)
    return {(label[r.subject], r.predicate, label[r.object])
            for r in find_relations(doc.text, doc.mentions, doc.sentences, gaz)}


@pytest.mark.parametrize(("text", "expected", "absent"), [
    # the nearest corridor before a place, not every corridor of the clause
    ("中老铁路向泰国延伸、中吉乌铁路联动西亚市场。",
     {("中老铁路", "connects", "泰国"), ("中吉乌铁路", "connects", "西亚")},
     {("中老铁路", "connects", "西亚"), ("中吉乌铁路", "connects", "泰国")}),
    # a place just before its corridor; 中国 qualifies 西部地区 and links nothing
    ("中国西部地区依托中欧班列扩大开放。",
     {("中欧班列", "connects", "西部地区"), ("西部地区", "builtOn", "中欧班列")},
     {("中欧班列", "connects", "中国")}),
    # places written in a name
    ("加快建设南宁国际铁路港和贺州至连山高速。",
     {("南宁国际铁路港", "locatedIn", "南宁市"), ("贺州至连山高速公路", "connects", "贺州市")},
     set()),
    ("四川拥有高海拔宇宙线观测站。",
     {("高海拔宇宙线观测站", "locatedIn", "四川省")}, set()),
    # members of a macro-region, in three shapes
    ("河北、山西、内蒙古等北方省份冬季供暖需求大。",
     {("河北省", "partOf", "北方地区"), ("山西省", "partOf", "北方地区"),
      ("内蒙古自治区", "partOf", "北方地区")}, set()),
    ("东北地区的沈阳和大连人口回流。",
     {("沈阳市", "partOf", "东北地区"), ("大连市", "partOf", "东北地区")}, set()),
    ("中部地区有3个(河南、湖北、湖南)省份增速较快。",
     {("河南省", "partOf", "中部地区"), ("湖南省", "partOf", "中部地区")}, set()),
    # 依托 X，以 Y 为支撑
    # (长沙都市圈 is not in the gazetteer: the frame still closes after it)
    ("依托长江经济带，以武汉都市圈、长沙都市圈为支撑，强化产业协作。",
     {("武汉都市圈", "builtOn", "长江经济带")}, set()),
    # comparisons; a list is not a comparison without a comparing word
    ("西部地区人均收入仍低于东部地区。", {("西部地区", "comparedWith", "东部地区")}, set()),
    ("东部地区与中部地区、东北地区收入比值分别缩小0.1和0.2。",
     {("东部地区", "comparedWith", "中部地区"), ("东部地区", "comparedWith", "东北地区"),
      ("中部地区", "listedWith", "东北地区")},
     {("中部地区", "comparedWith", "东北地区"), ("东部地区", "listedWith", "中部地区")}),
    ("东部地区与中部地区加强合作。", set(), {("东部地区", "comparedWith", "中部地区")}),
    # one predicate distributed over a list; 均等化 distributes nothing
    ("广东、江苏、浙江常住人口分别增长5万人、4万人、3万人。",
     {("广东省", "listedWith", "江苏省"), ("广东省", "listedWith", "浙江省"),
      ("江苏省", "listedWith", "浙江省")}, set()),
    ("西藏、青海等西部省份教育均等化程度提升。", {("西藏自治区", "partOf", "西部地区")},
     {("西藏自治区", "listedWith", "青海省")}),
    # names in different clauses are not related
    ("中老铁路加快建设，泰国经济增长较快。", set(), {("中老铁路", "connects", "泰国")}),
    # a list before 等 is a member of the region only when the region follows 等 at once: these
    # cities are linked to the region, not part of it (the railway study of issue 12)
    ("开通哈尔滨、广州、营口等城市至中西部地区的班列。", set(),
     {("哈尔滨市", "partOf", "中西部地区"), ("营口市", "partOf", "中西部地区")}),
    ("哈尔滨、广州、营口等地与中西部地区联系紧密。", set(),
     {("哈尔滨市", "partOf", "中西部地区"), ("广州市", "partOf", "中西部地区")}),
    # cooperation: A与B合作, a list that cooperates, and 对口合作
    ("东部地区与中部地区加强合作。", {("东部地区", "cooperatesWith", "中部地区")}, set()),
    ("深化黑龙江与广东对口合作。", {("黑龙江省", "cooperatesWith", "广东省")}, set()),
    ("推动延安、榆林协同发展。", {("延安市", "cooperatesWith", "榆林市")}, set()),
    ("支持赣州与深圳、吉安与东莞对口合作。",
     {("赣州市", "cooperatesWith", "深圳市"), ("吉安市", "cooperatesWith", "东莞市")},
     {("赣州市", "cooperatesWith", "东莞市"), ("赣州市", "cooperatesWith", "吉安市")}),
    ("推进面向港澳台合作平台建设。", set(),
     {("香港特别行政区", "cooperatesWith", "澳门特别行政区")}),
    # 合作平台 names a kind of platform; it states no cooperation of the list before it
    ("发挥深圳、珠海等合作平台作用。", set(), {("深圳市", "cooperatesWith", "珠海市")}),
    # a province qualifies its city: 安徽合肥
    ("安徽合肥建成综合性国家科学中心。", {("合肥市", "partOf", "安徽省")}, set()),
    ("四川重庆两地合作。", set(), {("重庆市", "partOf", "四川省")}),
    # the cities a metropolitan area or cluster is named after are its members
    ("推进武汉都市圈和兰州—西宁城市群建设。",
     {("武汉市", "memberOf", "武汉都市圈"), ("兰州市", "memberOf", "兰州—西宁城市群"),
      ("西宁市", "memberOf", "兰州—西宁城市群")}, set()),
    # a metropolitan area in no reference table is still named after its city (a cluster
    # guessed from another head word is not: 湛江临港经济区)
    ("推进宝鸡都市圈建设。", {("宝鸡市", "memberOf", "宝鸡都市圈")}, set()),
    # a section named by one place (G331吉林段) is where the line runs: it joins the place (the
    # convention of annotators i and j, decided in the seventh session); so does a section
    # between two places (武汉至宜昌段)
    ("实现G331吉林段全线贯通，加快宝中铁路宁夏段扩能改造。",
     {("G331", "connects", "吉林省"), ("宝中铁路", "connects", "宁夏回族自治区")}, set()),
    ("推进沿江高铁武汉至宜昌段建设。",
     {("沿江高速铁路", "connects", "武汉市"), ("沿江高速铁路", "connects", "宜昌市")}, set()),
    # a line's facility (集结中心) is built in the place; the line is not linked to it there
    ("支持沈阳建设国家中欧班列集结中心。", set(), {("中欧班列", "connects", "沈阳市")}),
    ("沈阳加快中欧班列开行。", {("中欧班列", "connects", "沈阳市")}, set()),
    # a service of its corridor
    ("推进西部陆海新通道海铁联运班列常态化运行。",
     {("西部陆海新通道海铁联运班列", "about", "西部陆海新通道")}, set()),
    ("中欧班列开行量增长。", set(), {("中欧班列", "about", "中欧班列")}),
    # a strategy about the region its name starts with
    ("推动长三角一体化发展。", {("长三角一体化发展", "about", "长三角城市群")}, set()),
    # a county's short name inside a line's name, with no province or city of that county in
    # the sentence or the document's title: 平陆 is a county of Shanxi, 平陆运河 a canal of Guangxi
    ("加快平陆运河建设，促进广西发展。", set(), {("平陆运河", "connects", "平陆县")}),
    # the lines and ports a clause builds right after a corridor's clause are its components
    ("增强西部陆海新通道发展能级，加快渝昆、贵南、隆黄铁路、北部湾国际门户港及平陆运河建设，"
     "更好衔接中老铁路经济带。",
     {(part, "componentOf", "西部陆海新通道")
      for part in ("渝昆高速铁路", "贵南高速铁路", "隆黄铁路", "北部湾港", "平陆运河")},
     {("中老铁路经济带", "componentOf", "西部陆海新通道")}),
    # a city's own transit line or ring road connects its city, never lies in it (R8)
    ("加快长春轨道交通建设，推进萍乡绕城高速建设。",
     {("长春轨道交通", "connects", "长春市"), ("萍乡绕城高速", "connects", "萍乡市")},
     {("长春轨道交通", "locatedIn", "长春市"), ("萍乡绕城高速", "locatedIn", "萍乡市")}),
    # a place that links itself to regions (联接, 衔接 as 融入, 对接)
    ("强化安徽联接长三角和中部地区枢纽功能。",
     {("安徽省", "connects", "长三角城市群"), ("安徽省", "connects", "中部地区")}, set()),
    # a hub: the corridors and belts the sentence runs along (沿 …) connect it
    ("以成渝地区双城经济圈为西枢纽，向北沿中欧班列强化对接能力，"
     "向南沿中老铁路经济带和西部陆海新通道强化联动东盟能力。",
     {(line, "connects", "成渝地区双城经济圈")
      for line in ("中欧班列", "中老铁路经济带", "西部陆海新通道")}, set()),
    ("以重庆为中心，沿中欧班列强化对接能力。", set(), {("中欧班列", "connects", "重庆市")}),
    # one facility of the next clause is no enumeration of the corridor's parts
    ("共建西部陆海新通道，实施格尔木陆港扩能工程，提升吉隆口岸能级。", set(),
     {("格尔木陆港", "componentOf", "西部陆海新通道"),
      ("吉隆口岸", "componentOf", "西部陆海新通道")}),
])
def test_rules_on_unseen_sentences(extractor, gaz, text, expected, absent):
    found = triples(extractor, gaz, text)
    assert expected <= found, expected - found
    assert not absent & found


def test_every_relation_keeps_its_evidence(extractor, gaz):
    text = ARTICLE.read_text(encoding="utf-8")
    doc = extractor.extract("lu-li", text)
    relations = find_relations(doc.text, doc.mentions, doc.sentences, gaz)
    assert len(relations) > 200
    for r in relations:
        assert r.sentence_start <= r.start < r.end <= r.sentence_end
        assert r.rule.startswith("relation/") and r.rule.endswith("/v1")
        assert 0 < r.confidence <= 1
        # the evidence span covers a mention of each end (one name holds both for name-place)
        # (an area compound names its members: 京津冀)
        inside = {ref for m in doc.mentions if r.start <= m.start and m.end <= r.end
                  for ref in (m.ref, *m.members)}
        # the named entity; the other is in its name (name-place), or abbreviated in it
        if r.rule.startswith(("relation/name-place", "relation/name-abbreviations")):
            assert {r.subject, r.object} & inside, r
        else:
            assert {r.subject, r.object} <= inside, r


@pytest.mark.slow
def test_the_article_conflict_with_the_reference_is_kept_and_marked(extractor, gaz):
    doc = extractor.extract("lu-li", ARTICLE.read_text(encoding="utf-8"))
    ds = assemble([doc], gaz)
    ds.default_union = True
    shanxi, west, central = (PKG.partOf.__class__(f"https://w3id.org/policy-kg/id/{k}")
                             for k in ("province/140000", "macro-region/west",
                                       "macro-region/central"))
    assert (shanxi, PKG.partOf, west) in ds
    assert (shanxi, PKG.partOf, central) in ds
    marked = [a for a in ds.subjects(RDF.subject, shanxi)
              if (a, RDF.object, west) in ds and (a, PKG.contradicts, None) in ds]
    assert len(marked) == 1
    fact = ds.value(marked[0], PKG.contradicts)
    assert ds.value(fact, RDF.object) == central
    # without its mark, the check query reports it
    from kg.sparql.catalogue import catalogue
    check = catalogue()["checks/unmarked-reference-conflict-violation"].read_text(encoding="utf-8")
    assert list(ds.query(check)) == []
    for g in ds.graphs():
        g.remove((marked[0], PKG.contradicts, None))
    rows = list(ds.query(check))
    assert [(r[1], r[2], r[3]) for r in rows] == [(shanxi, west, central)]


def test_relations_score_against_the_independent_gold(extractor, gaz):
    """The gold list was written from the text alone (tests/gold/lu-li-2025.relations.README.md).
    Floors sit just under what the rules reach today, so a regression fails."""
    doc = extractor.extract("lu-li", ARTICLE.read_text(encoding="utf-8"))
    relations = find_relations(doc.text, doc.mentions, doc.sentences, gaz)
    scores = {s.family: s for s in score_relations(relations, read_relation_gold(GOLD), gaz)}
    # the gold annotates partOf of a member in its macro-region only (its README); the one
    # partOf beyond it is 安徽合肥, which the text states and the issue asks for
    assert scores["partOf"].recall == 1.0
    assert scores["partOf"].spurious == ("合肥市→安徽省",)
    assert scores["listedWith"].precision >= 0.95 and scores["listedWith"].recall >= 0.95
    assert scores["builtOn"].precision >= 0.85 and scores["builtOn"].recall >= 0.85
    assert scores["connects"].precision >= 0.7 and scores["connects"].recall >= 0.65
    # over the predicates the gold annotates (its README: not memberOf, cooperatesWith, about)
    annotated = tuple(name for name, s in scores.items() if s.gold)
    p, r = overall(list(scores.values()), annotated)
    assert p >= 0.84 and r >= 0.78
    structural = [scores[name] for name in ("partOf", "memberOf", "locatedIn", "connects")
                  if name in scores]
    found = sum(s.matched_gold for s in structural)
    assert found / sum(s.gold for s in structural) >= 0.6


def why(kg_command, graph: Path, *terms: str) -> subprocess.CompletedProcess:
    return kg_in_process("why", *terms, "--graph", str(graph))


@pytest.mark.slow
def test_kg_why_prints_the_sentence_rule_and_conflict(kg_command, article_graph):
    r = why(kg_command, article_graph, "山西", "partOf", "西部地区")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "山西省 partOf 西部地区"
    assert "relation/member-list/v1 confidence 0.80" in lines[2]
    assert "【山西、内蒙古、贵州、云南、青海等西部地区】省份综合科技创新水平" in lines[3]
    assert lines[4].strip() == "conflicts with the reference data: 山西省 partOf 中部地区"


@pytest.mark.slow
def test_kg_why_accepts_refs_and_english_labels_and_reports_reference_facts(kg_command,
                                                                           article_graph):
    r = why(kg_command, article_graph, "province/140000", "pkg:partOf", "Central Region")
    assert r.returncode == 0, r.stderr
    assert "reference fact (graph/reference): ontology/reference/provinces.csv" in r.stdout
    # a symmetric predicate answers in either direction
    r = why(kg_command, article_graph, "东部地区", "comparedWith", "西部地区")
    assert r.returncode == 0 and "relation/comparison/v1" in r.stdout


@pytest.mark.slow
@pytest.mark.parametrize(("terms", "code", "message"), [
    (("山西", "partOf", "东部地区"), 1, "does not state"),
    (("不存在的地方", "partOf", "西部地区"), 2, "no entity has this label"),
    (("山西", "Province", "西部地区"), 2, "not a property"),
])
def test_kg_why_on_what_the_graph_cannot_answer(kg_command, article_graph, terms, code, message):
    r = why(kg_command, article_graph, *terms)
    assert r.returncode == code
    assert message in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


@pytest.mark.slow
def test_export_relations_rows(kg_command, article_graph):
    import json
    r = kg_in_process("export", "relations", "--graph", str(article_graph))
    assert r.returncode == 0, r.stderr
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert set(rows[0]) == {"doc", "subject", "predicate", "object", "start", "end", "sentence",
                            "rule"}
    shanxi = [x for x in rows if x["subject"] == "山西省" and x["object"] == "西部地区"]
    assert len(shanxi) == 1
    text = ARTICLE.read_text(encoding="utf-8")
    row = shanxi[0]
    assert row["predicate"] == "partOf" and row["rule"] == "relation/member-list/v1"
    assert text[row["start"]:row["end"]] in row["sentence"]
    assert row["sentence"].startswith("但根据《中国区域科技创新评价报告")
    # the article states no cooperation and names no strategy after its region
    # and the lines and port of 西部陆海新通道 are its components
    assert {x["predicate"] for x in rows} == {"connects", "locatedIn", "partOf", "memberOf",
                                              "builtOn", "comparedWith", "listedWith",
                                              "componentOf"}
    parts = {x["subject"] for x in rows if x["predicate"] == "componentOf"}
    assert parts == {"渝昆高速铁路", "贵南高速铁路", "隆黄铁路", "北部湾港", "平陆运河"}


def test_dataset_is_reusable(extractor, gaz):
    """assemble reads relations itself when not given them, as build does."""
    doc = extractor.extract("t", "中老铁路向泰国延伸。")
    ds: Dataset = assemble([doc], gaz)
    ds.default_union = True
    assert len(list(ds.subjects(RDF.type, PKG.Assertion))) == 1


def test_a_report_s_own_province_is_the_subject_its_clauses_leave_unwritten(extractor, gaz):
    text = ("2025年湖北省政府工作报告\n各位代表：\n"
            "主动融入长江经济带，深度融入高质量共建“一带一路”，融入国内国际双循环。"
            "深化与京津冀、长三角等地区对接合作。广东与广西加强合作。\n")
    doc = extractor.extract("t", text)
    label = labels(gaz, doc.mentions)
    found = {(label[r.subject], r.predicate, label[r.object]) for r in doc.relations}
    assert not {r for r in doc.relations if label[r.object] == "新发展格局"}
    assert {("湖北省", "connects", "长江经济带"), ("湖北省", "connects", "一带一路"),
            ("湖北省", "cooperatesWith", "京津冀"),
            ("湖北省", "cooperatesWith", "长三角城市群"),
            ("广东省", "cooperatesWith", "广西壮族自治区")} <= found
    # a clause that names its own subject keeps it
    assert ("湖北省", "cooperatesWith", "广西壮族自治区") not in found
    for r in doc.relations:  # the unwritten subject is not part of the evidence
        assert r.sentence_start <= r.start < r.end <= r.sentence_end, r


def test_a_platform_before_the_join_verb_is_its_subject_not_the_report_s_province(extractor,
                                                                                 gaz):
    found = _doc_triples(extractor, gaz, "2025年湖南省政府工作报告\n"
                         "推进怀化国际陆港全面融入西部陆海新通道。\n")
    assert ("怀化国际陆港", "connects", "西部陆海新通道") in found
    assert ("湖南省", "connects", "西部陆海新通道") not in found


def test_a_list_after_与_and_before_对接_is_joined_by_the_report_s_province(extractor, gaz):
    """做好与京津冀等国家重大战略对接: the province connects what it docks with (the strategy
    named after 京津冀, in a list of strategies: annotator a); 对接合作 stays a cooperation."""
    found = _doc_triples(extractor, gaz, "2025年吉林省政府工作报告\n"
                         "做好与京津冀等国家重大战略对接。深化与长三角等地区对接合作。\n")
    assert ("吉林省", "connects", "京津冀协同发展") in found
    assert ("吉林省", "cooperatesWith", "长三角城市群") in found
    assert ("吉林省", "connects", "长三角城市群") not in found


def test_a_line_named_by_abbreviations_connects_the_places_the_document_names(extractor, gaz):
    """昌九高铁 (南昌–九江), 汉宜高速 (武汉–宜昌): each character stands for one place the report
    names; a county yields to a city (江汉区, 宜城); a character of two named places (荆州,
    荆门) reads as nothing; the report's own 苏 in 沪苏湖高铁 is not its province (湖 is no
    province's abbreviation: the run joins cities)."""
    jiangxi = _doc_triples(extractor, gaz, "2025年江西省政府工作报告\n"
                           "南昌、九江加快发展，推进昌九高铁建设。\n")
    assert {("昌九高铁", "connects", "南昌市"), ("昌九高铁", "connects", "九江市")} <= jiangxi
    hubei = _doc_triples(extractor, gaz, "2025年湖北省政府工作报告\n"
                         "江汉区、宜城、武汉、宜昌、荆州、荆门协同发展，加快汉宜高速、荆荆高铁建设。\n")
    assert {("汉宜高速", "connects", "武汉市"), ("汉宜高速", "connects", "宜昌市")} <= hubei
    assert not {t for t in hubei if t[0] == "荆荆高铁" and t[1] == "connects"}, hubei
    # the places must be named in the document: 秦 (秦皇岛) is not (沈, the report's own city,
    # is read by `home-abbreviation`)
    liaoning = _doc_triples(extractor, gaz, "2025年辽宁省政府工作报告\n"
                            "沈阳加快建设，建成秦沈高速。\n")
    assert {t for t in liaoning if t[0] == "秦沈高速"} == {("秦沈高速", "connects", "沈阳市")}
    jiangsu = _doc_triples(extractor, gaz, "2025年江苏省政府工作报告\n"
                           "建湖、苏州发展，推进沪苏湖高铁建设。\n")
    assert not {t for t in jiangsu if t[2] in ("建湖县", "江苏省") and "湖高铁" in t[0]}, jiangsu


def test_a_text_without_a_place_in_its_title_has_no_unwritten_subject(extractor, gaz):
    doc = extractor.extract("t", "区域协调发展研究\n主动融入长江经济带。\n")
    assert [r for r in doc.relations if r.predicate == "connects"] == []


def _doc_triples(extractor, gaz, text: str) -> set[tuple[str, str, str]]:
    """The triples of a whole document (its title gives the unwritten place)."""
    doc = extractor.extract("t", text)
    label = labels(gaz, doc.mentions)
    return {(label[r.subject], r.predicate, label[r.object]) for r in doc.relations}


def test_names_recognised_by_shape_take_part_in_relations(extractor, gaz):
    """Open-world names (in no reference table) are endpoints like listed ones: a line named
    after the places it joins, an airport named after its city."""
    found = _doc_triples(extractor, gaz, "2025年吉林省政府工作报告\n"
                         "推进珲春至防川高速公路建设，新建宜昌三峡机场。\n")
    assert {("珲春至防川高速公路", "connects", "珲春市"),
            ("宜昌三峡机场", "locatedIn", "宜昌市")} <= found


def test_a_county_inside_a_name_needs_its_city_or_province_in_context(extractor, gaz):
    """崂山 is a district of Qingdao (Shandong), 太湖 a county of Anhui: in Jiangsu's report the
    labs named so are not placed in them; in Shandong's, 崂山实验室 is in 崂山区."""
    jiangsu = _doc_triples(extractor, gaz,
                           "2025年江苏省政府工作报告\n建设太湖实验室、崂山实验室。\n")
    assert not {t for t in jiangsu if t[1] == "locatedIn"}, jiangsu
    # 中国 (or a macro-region) in the sentence is no context: every county is in them
    jiangsu = _doc_triples(extractor, gaz, "2025年江苏省政府工作报告\n"
                           "成功举办2024中国高校科技成果交易会，太湖实验室加快建设。\n")
    assert not {t for t in jiangsu if t[1] == "locatedIn" and t[0] == "太湖实验室"}, jiangsu
    shandong = _doc_triples(extractor, gaz, "2025年山东省政府工作报告\n建设崂山实验室。\n")
    assert ("崂山实验室", "locatedIn", "崂山区") in shandong


def test_a_county_before_a_mountain_word_names_the_mountain_not_the_county(extractor, gaz):
    """长白 is a county of Jilin and 贺兰 one of Ningxia, each in its own province's report; but
    长白山 and 贺兰山 are mountains, and the labs named after them are not in those counties. A
    county's own name ending in the word (武夷山市) is a longer name and still places."""
    jilin = _doc_triples(extractor, gaz, "2025年吉林省政府工作报告\n"
                         "加快长白山实验室建设，推进长白重点开发开放试验区建设。\n"
                         "推进长白山、三江、吉光3个省实验室建设。\n")
    placed = {(s, o) for s, p, o in jilin if p == "locatedIn"}
    assert not {(s, o) for s, o in placed if s.startswith("长白山")}, jilin
    assert ("长白重点开发开放试验区", "长白朝鲜族自治县") in placed, jilin
    ningxia = _doc_triples(extractor, gaz, "2025年宁夏回族自治区政府工作报告\n建设贺兰山实验室。\n")
    assert not {t for t in ningxia if t[1] == "locatedIn" and t[0] == "贺兰山实验室"}, ningxia
    fujian = _doc_triples(extractor, gaz, "2025年福建省政府工作报告\n建设武夷山国家公园研究院。\n")
    assert not {t for t in fujian if t[2] == "武夷山市" and t[1] != "locatedIn"}, fujian


def test_a_place_does_not_cooperate_with_a_place_that_contains_it(extractor, gaz):
    """深化与中国商飞合作: 中国 (inside an organisation's name the recogniser keeps) is no partner
    of a province in it; a province cooperates with another province, not with its country."""
    found = _doc_triples(extractor, gaz, "2025年贵州省政府工作报告\n"
                         "深化与中国商飞合作。深化与广东合作。\n")
    assert ("贵州省", "cooperatesWith", "中国") not in found, found
    assert ("中国", "cooperatesWith", "贵州省") not in found, found
    assert ("贵州省", "cooperatesWith", "广东省") in found, found


def test_the_members_of_an_area_compound_cooperate_when_a_cooperation_word_follows(extractor,
                                                                                    gaz):
    """吉浙对口合作, 粤黔东西部协作: the two provinces the compound is made of cooperate; a
    compound that opens a name of a cooperation park or an event (湘赣产业合作园, 赣台经贸合作
    交流大会) states no cooperation of its members."""
    jilin = _doc_triples(extractor, gaz, "2025年吉林省政府工作报告\n深化吉浙对口合作。\n")
    assert ("吉林省", "cooperatesWith", "浙江省") in jilin, jilin
    guizhou = _doc_triples(extractor, gaz, "贵州省2025年政府工作报告\n共建粤黔东西部协作升级版。\n")
    assert ("广东省", "cooperatesWith", "贵州省") in guizhou, guizhou
    jiangxi = _doc_triples(extractor, gaz, "2025年江西省政府工作报告\n"
                           "建设湘赣产业合作园，举办赣台经贸合作交流大会。\n")
    assert not {t for t in jiangxi if t[1] == "cooperatesWith"}, jiangxi
    # after 与 the compound is the partner of the report's place, its members are not partners
    beijing = _doc_triples(extractor, gaz, "2025年北京市政府工作报告\n积极开展与港澳台交流合作。\n")
    assert ("香港特别行政区", "cooperatesWith", "澳门特别行政区") not in beijing, beijing


def test_an_agreement_signed_with_a_list_is_a_cooperation_with_it(extractor, gaz):
    """与 LIST 签署…协议 / 建立…机制 (the clause opens with 与: its subject is the report's own
    place) states a cooperation; 签署 with no agreement after it states none."""
    jiangxi = _doc_triples(extractor, gaz, "2025年江西省政府工作报告\n"
                           "碳汇交易落地，与湖北、安徽签署长江流域横向生态保护补偿协议。\n")
    assert {("江西省", "cooperatesWith", "湖北省"),
            ("江西省", "cooperatesWith", "安徽省")} <= jiangxi, jiangxi
    guizhou = _doc_triples(extractor, gaz, "2025年贵州省政府工作报告\n"
                           "出访26个国家和地区，与泰国、老挝等建立省部级沟通对接机制。\n")
    assert {("贵州省", "cooperatesWith", "泰国"), ("贵州省", "cooperatesWith", "老挝")} <= guizhou
    # the subject written before 与 is the partner, not the report's place
    hubei = _doc_triples(extractor, gaz, "2025年湖北省政府工作报告\n武汉与长沙签署合作协议。\n")
    assert ("武汉市", "cooperatesWith", "长沙市") in hubei, hubei
    assert ("湖北省", "cooperatesWith", "长沙市") not in hubei, hubei
    # a verb with no agreement after it: no cooperation
    assert not {t for t in _doc_triples(extractor, gaz, "2025年江西省政府工作报告\n"
                                        "与湖北签署后，项目落地。\n") if t[1] == "cooperatesWith"}


def test_a_line_named_by_the_report_s_own_abbreviation_connects_its_province(extractor, gaz):
    """津潍高铁 in Tianjin's report, 黔桂铁路 in Guizhou's, 秦沈高速 in Liaoning's: the characters
    that stand for the report's province or one of its cities are read even where the other end
    is a place the report does not name (潍坊, 广西, 秦皇岛); a county of the province (江 of
    江夏区 in 沿江高铁) and a place outside it (广 of 广州 in 大广高速) are not read so."""
    tianjin = _doc_triples(extractor, gaz, "2025年天津市政府工作报告\n加快津潍高铁建设。\n")
    assert ("津潍高铁", "connects", "天津市") in tianjin, tianjin
    liaoning = _doc_triples(extractor, gaz, "2025年辽宁省政府工作报告\n"
                            "沈阳加快建设，开工建设秦沈高速二期。\n")
    assert ("秦沈高速", "connects", "沈阳市") in liaoning, liaoning
    hubei = _doc_triples(extractor, gaz, "2025年湖北省政府工作报告\n"
                         "江夏区加快发展，推进沿江高铁建设。\n")
    assert not {t for t in hubei if t[0] == "沿江高铁" and t[2] == "江夏区"}, hubei
    jiangxi = _doc_triples(extractor, gaz, "2025年江西省政府工作报告\n"
                           "广州、吉安加快发展，推进大广高速扩容。\n")
    assert not {t for t in jiangxi if t[0].startswith("大广") and t[1] == "connects"}, jiangxi
    # 中 of an international line is China's initial, not 中山's; a city's own ring road is not
    # read for abbreviations; a name cut after a city's character (广佛|东环城际) is not read
    guangdong = _doc_triples(extractor, gaz, "2025年广东省政府工作报告\n"
                             "中山、东莞、佛山加快发展，开行中欧班列，建成广佛东环城际。\n")
    assert not {t for t in guangdong if t[2] in ("中山市", "东莞市") and t[1] == "connects"}, \
        guangdong
    jiangxi = _doc_triples(extractor, gaz, "2025年江西省政府工作报告\n建成萍乡绕城高速。\n")
    assert {t for t in jiangxi if t[0] == "萍乡绕城高速"} == {
        ("萍乡绕城高速", "connects", "萍乡市")}, jiangxi


def test_a_city_s_own_line_connects_its_city(extractor, gaz):
    """长春轨道交通6号线, 萍乡绕城高速: a line inside its city connects it, never lies in it
    (revision 2, R8); a line between two places still connects both."""
    jilin = _doc_triples(extractor, gaz, "2025年吉林省政府工作报告\n"
                         "长春轨道交通6号线投入运行，建成珲春至防川高速。\n")
    assert {t for t in jilin if t[0].startswith("长春轨道交通")} == {
        ("长春轨道交通6号线", "connects", "长春市")}, jilin
    assert ("珲春至防川高速", "connects", "珲春市") in jilin, jilin


def test_an_industry_is_built_on_nothing(extractor, gaz):
    """依托拉萨高新区打造数字经济集聚区: what is built is the cluster, no named entity; the
    industry word 数字经济 is not the subject of `builtOn`."""
    found = _doc_triples(extractor, gaz, "2025年西藏自治区政府工作报告\n"
                         "升级布局数字基础设施，依托拉萨高新区打造数字经济集聚区。\n")
    assert not {t for t in found if t[1] == "builtOn"}, found


def test_a_run_of_abbreviations_names_places_of_one_level(extractor, gaz):
    """赣 is Jiangxi's abbreviation and 赣州's first character: beside 粤 (a province) it is the
    province (赣粤运河, 浙赣运河), beside 九 (九江, a city) the city."""
    jiangxi = _doc_triples(extractor, gaz, "2025年江西省政府工作报告\n"
                           "赣州、九江、广东、浙江加快发展，推进赣粤运河、浙赣运河、赣九高铁前期工作。\n")
    assert {("赣粤运河", "connects", "江西省"), ("赣粤运河", "connects", "广东省"),
            ("浙赣运河", "connects", "浙江省"), ("浙赣运河", "connects", "江西省"),
            ("赣九高铁", "connects", "赣州市"), ("赣九高铁", "connects", "九江市")} <= jiangxi, \
        jiangxi
    assert ("赣粤运河", "connects", "赣州市") not in jiangxi, jiangxi


def test_a_clause_opening_with_与_after_a_region_qualifier_has_the_report_s_subject(extractor,
                                                                                  gaz):
    """中部地区首单…落地，与湖北、安徽签署…协议: a macro-region earlier in the sentence is no
    partner that could sign; a province written earlier (湖南…，与湖北…) is."""
    jiangxi = _doc_triples(extractor, gaz, "2025年江西省政府工作报告\n"
                           "中部地区首单碳汇交易落地，与湖北、安徽签署长江流域横向生态保护补偿协议。\n")
    assert ("江西省", "cooperatesWith", "湖北省") in jiangxi, jiangxi
    jiangxi = _doc_triples(extractor, gaz, "2025年江西省政府工作报告\n"
                           "湖南加快发展，与湖北签署合作协议。\n")
    assert ("江西省", "cooperatesWith", "湖北省") not in jiangxi, jiangxi


def test_a_compound_of_counties_is_the_subject_of_its_join_verb(extractor, gaz):
    """推动“黎从榕”打造对接融入粤港澳大湾区桥头堡: the compound (of three counties) joins the
    cluster, not the report's province."""
    found = _doc_triples(extractor, gaz, "2025年贵州省政府工作报告\n"
                         "推动“黎从榕”打造对接融入粤港澳大湾区桥头堡。\n")
    assert ("黎从榕", "connects", "粤港澳大湾区") in found, found
    assert ("贵州省", "connects", "粤港澳大湾区") not in found, found


def test_an_item_of_a_counted_list_of_lines_connects_both_its_ends(extractor, gaz):
    """加快盘州至兴义、黄桶至百色等铁路建设: the item 盘州至兴义 (its head word 铁路 shared)
    ends with its second place, which is read too."""
    found = _doc_triples(extractor, gaz, "2025年贵州省政府工作报告\n"
                         "加快盘州至兴义、铜仁至遵义等铁路建设。\n")
    ends = {(s, o) for s, p, o in found if p == "connects"}
    assert {("盘州至兴义", "盘州市"), ("盘州至兴义", "兴义市"),
            ("铜仁至遵义", "遵义市")} <= ends, found


def test_a_city_s_name_inside_a_name_is_the_city_not_its_namesake_county(extractor, gaz):
    """南昌 is a city and a county of that city (南昌县); a name starting with the bare short
    name is the city's, as the county is written with its suffix (南昌县…)."""
    jiangxi = _doc_triples(extractor, gaz, "2025年江西省政府工作报告\n"
                           "加快南昌瑶湖科学岛建设，推进长沙临空经济示范区发展。\n")
    assert ("南昌瑶湖科学岛", "locatedIn", "南昌市") in jiangxi, jiangxi
    assert not {t for t in jiangxi if t[2] in ("南昌县", "长沙县")}, jiangxi


# --- the sixth session's precision classes (docs/extraction.md, "Relations: every relation read
# on the reports without gold"): each was a false hit on a report without gold or on dev2 ----------


def test_a_place_that_opens_an_unread_name_is_no_subject_of_与(extractor, gaz):
    """河套深圳园区与香港园区联动发展, 中原农谷与…合作: the place opens a name the recogniser did
    not read (a park, a platform); the subject of 与 is written right before it."""
    found = triples(extractor, gaz, "推动河套深圳园区与香港园区联动发展。")
    assert not {t for t in found if t[1] == "cooperatesWith"}, found
    assert ("深圳市", "cooperatesWith", "香港特别行政区") in triples(
        extractor, gaz, "推动深圳与香港联动发展。")


def test_bilateral_parks_of_a_list_do_not_cooperate_with_each_other(extractor, gaz):
    """中德、中日产业园…双向合作: each park cooperates with its own partner country."""
    found = triples(extractor, gaz, "推动中法、中韩产业园开放合作。")
    assert not {t for t in found if t[1] == "cooperatesWith"}, found
    found = triples(extractor, gaz, "健全光明科学城、松山湖科学城等联动发展机制。")
    assert ("光明科学城", "cooperatesWith", "松山湖科学城") in found, found


def test_a_section_of_the_last_line_of_a_list_links_only_that_line(extractor, gaz):
    """漳汕高铁、龙龙铁路武平至梅州段: the section's places are on the line it follows."""
    found = triples(extractor, gaz, "加快贵南高铁、渝昆高铁宜宾至昆明段建设。")
    assert {("渝昆高速铁路", "connects", "宜宾市"), ("渝昆高速铁路", "connects", "昆明市")} <= found
    assert not {t for t in found if t[0] == "贵南高速铁路"}, found


def test_a_line_s_name_before_a_facility_word_states_no_place_it_joins(extractor, gaz):
    """深圳西丽高铁枢纽 read short as a line: a station in the city, not a line joining it."""
    found = triples(extractor, gaz, "建设杭州西高铁枢纽。")
    assert not {t for t in found if t[1] == "connects"}, found


def test_a_county_named_like_a_region_needs_its_city_in_the_sentence(extractor, gaz):
    """中原 is the Central Plains (中原城市群) before it is a district of Zhengzhou: the province of
    the report is no context for it (中原科技城); 兰西 (兰西城市群, 兰西县) needs its city 绥化."""
    henan = _doc_triples(extractor, gaz, "2025年河南省政府工作报告\n建设中原科技城。\n")
    assert not {t for t in henan if t[1] == "locatedIn"}, henan
    heilongjiang = _doc_triples(extractor, gaz, "2025年黑龙江省政府工作报告\n"
                                "绥化加快建设兰西产业园。\n")
    assert ("兰西产业园", "locatedIn", "兰西县") in heilongjiang, heilongjiang
    heilongjiang = _doc_triples(extractor, gaz, "2025年黑龙江省政府工作报告\n建设兰西产业园。\n")
    assert not {t for t in heilongjiang if t[1] == "locatedIn"}, heilongjiang


def test_a_ring_road_is_a_city_s_own_line(extractor, gaz):
    # R8: it connects its city, never lies in it
    found = triples(extractor, gaz, "推进昆明环城高速建设。")
    assert {t for t in found if t[2] == "昆明市"} == {("昆明环城高速", "connects", "昆明市")}, found


def test_a_county_before_a_bay_word_names_the_bay_not_a_part_of_the_city(extractor, gaz):
    """厦门同安湾, 大连金州湾: bays of the cities; 厦门同安 is the district in its city."""
    found = triples(extractor, gaz, "推进厦门同安湾、大连金州湾整治，厦门同安发展。")
    assert ("同安区", "partOf", "厦门市") in found, found
    assert ("金州区", "partOf", "大连市") not in found, found


def test_a_place_that_makes_itself_into_a_zone_hosts_nothing(extractor, gaz):
    """支持上饶打造对接融入长三角一体化先行区: 打造 makes the city into the zone it names."""
    found = triples(extractor, gaz, "支持衢州打造对接融入长三角一体化先行区。")
    assert not {t for t in found if t[1] == "locatedIn"}, found


def test_a_project_serves_the_places_a_later_clause_says_it_serves(extractor, gaz):
    """平陆运河…等项目的建设，…促进广西、湖南…发展: the projects serve the places after 促进; a
    later clause that says what the line brings closer (…与大湾区联系更加紧密) names no place it
    runs through."""
    found = triples(extractor, gaz, "赣深高铁开通运营，赣州等老区与大湾区联系更加紧密。")
    assert not {t for t in found if t[1] == "connects" and t[2] == "粤港澳大湾区"}, found
    found = triples(extractor, gaz, "平陆运河等项目的建设，有助于承接产业，促进广西、湖南发展。")
    assert {("平陆运河", "connects", "广西壮族自治区"),
            ("平陆运河", "connects", "湖南省")} <= found, found


def test_an_item_of_a_list_of_platforms_that_is_a_place_s_name_is_in_it(extractor, gaz):
    """厦门、福州机场, 临汾、运城机场: the first item is 厦门机场 written short (the items share
    the last one's head word), in its place like the last."""
    found = triples(extractor, gaz, "推进临汾、运城机场改扩建。")
    assert {("临汾", "locatedIn", "临汾市"), ("运城机场", "locatedIn", "运城市")} <= found, found


# --- the seventh session's classes (docs/extraction.md, "Relations: dev3's readers, conventions
# decided once"): each was a miss or a false hit on dev3 or a report without gold ---------------


def test_places_listed_before_联动_协同_or_一体推进_cooperate(extractor, gaz):
    """商丘、周口联动放大…, 南阳、信阳、驻马店协同开展…, 焦作、新乡一体推进…: the listed places
    act together, each pair cooperates (as before 协同发展)."""
    found = triples(extractor, gaz, "支持芜湖、马鞍山联动提升港口能级。")
    assert ("芜湖市", "cooperatesWith", "马鞍山市") in found, found
    found = triples(extractor, gaz, "支持开封、商丘、周口协同开展黄河故道治理。")
    assert {("开封市", "cooperatesWith", "商丘市"), ("开封市", "cooperatesWith", "周口市"),
            ("商丘市", "cooperatesWith", "周口市")} <= found, found
    found = triples(extractor, gaz, "支持株洲、湘潭一体推进产业布局。")
    assert ("株洲市", "cooperatesWith", "湘潭市") in found, found


def test_a_place_right_before_a_line_or_before_its_facility_word_links_nothing(extractor, gaz):
    """浙江中欧班列（义新欧）: the place says whose service it is; 中欧班列华中区域集结中心: the
    place says where the line's hub is. A place the line joins is linked by a word."""
    found = triples(extractor, gaz, "湖南中欧班列开行1200列。")
    assert not {t for t in found if t[1] == "connects"}, found
    found = triples(extractor, gaz, "建设中欧班列西北区域集结中心。")
    assert not {t for t in found if t[1] == "connects"}, found
    assert ("中欧班列", "connects", "西部地区") in triples(
        extractor, gaz, "西部地区依托中欧班列扩大开放。")


def test_an_item_of_a_counted_list_of_platforms_that_is_a_place_s_name_is_in_it(extractor, gaz):
    """周口、潢川、鲁山等机场, 武汉东湖、襄阳、宜昌3家高新区: each item is the head's kind of
    platform of its place, written short; it is in that place."""
    found = triples(extractor, gaz, "加快安阳、信阳等机场前期工作。")
    assert {("安阳", "locatedIn", "安阳市"), ("信阳", "locatedIn", "信阳市")} <= found, found
    found = triples(extractor, gaz, "支持株洲、常德2家高新区争先进位。")
    assert {("株洲", "locatedIn", "株洲市"), ("常德", "locatedIn", "常德市")} <= found, found


def test_a_place_right_before_a_branch_word_ending_a_platform_s_name_is_where_it_is(extractor,
                                                                                     gaz):
    """航空动力领域国家实验室贵州创新中心: the lab's branch stands in the place its name gives
    before the branch word."""
    found = triples(extractor, gaz, "推动先进材料国家实验室四川创新中心落地。")
    assert ("国家实验室四川创新中心", "locatedIn", "四川省") in found, found
    found = triples(extractor, gaz, "支持清洁能源国家实验室成都创新中心建设。")
    assert ("国家实验室成都创新中心", "locatedIn", "成都市") in found, found


def test_a_cluster_named_by_abbreviations_has_the_places_they_stand_for_as_members(extractor,
                                                                                  gaz):
    """厦漳泉都市圈, 金义都市区: the run of abbreviations names the cluster's members, read one to
    one against the places the document names, as a line's run is."""
    found = triples(extractor, gaz, "支持长沙、株洲、湘潭加快长株潭城市群一体化发展。")
    assert {("长沙市", "memberOf", "长株潭城市群"), ("株洲市", "memberOf", "长株潭城市群"),
            ("湘潭市", "memberOf", "长株潭城市群")} <= found, found
    # 株 stands for no place this text names: nothing is read from the run
    found = triples(extractor, gaz, "支持长沙加快长株潭城市群一体化发展。")
    assert not {t for t in found if t[1] == "memberOf"}, found


def test_a_facility_named_after_its_city_and_a_county_of_another_city_is_not_in_the_first(
        extractor, gaz):
    """拉萨贡嘎机场 stands in 贡嘎县 of 山南 (annotator j): its name gives the city it serves,
    then its site. A site in the city (杭州萧山) or a county of another province (铜仁凤凰:
    凤凰县 is in Hunan, the place served) leaves the city its place."""
    found = triples(extractor, gaz, "规划建设西宁贵德机场。")
    assert not {t for t in found if t[1] == "locatedIn"}, found
    found = triples(extractor, gaz, "推动杭州萧山国际机场、铜仁凤凰机场、哈尔滨太平国际机场扩能。")
    assert {("杭州萧山国际机场", "locatedIn", "杭州市"), ("铜仁凤凰机场", "locatedIn", "铜仁市"),
            ("哈尔滨太平国际机场", "locatedIn", "哈尔滨市")} <= found, found


def test_the_report_s_abbreviation_beside_another_province_s_is_its_province(extractor, gaz):
    """黔粤班列, 黔桂铁路 in Guizhou's report: 黔 opens 黔南's name too, but beside 粤 (a
    province's abbreviation) the run joins provinces; beside a city's character it stays
    unread (长赣高铁 in Jiangxi's report: 赣 is 赣州 there)."""
    found = _doc_triples(extractor, gaz, "2025年广西壮族自治区政府工作报告\n"
                         "支持桂林发展，稳定开行桂粤班列。\n")
    assert ("桂粤班列", "connects", "广西壮族自治区") in found, found
    found = _doc_triples(extractor, gaz, "2025年广西壮族自治区政府工作报告\n"
                         "支持桂林发展，推进桂邕高速建设。\n")
    assert not {t for t in found if t[1] == "connects"}, found


def test_a_city_made_a_centre_of_a_cluster_or_belt_is_its_member(extractor, gaz):
    """建强洛阳中原城市群副中心城市, 九江打造长江经济带重要节点城市: the city is a member of the
    cluster or belt it is a centre or a node city of."""
    found = triples(extractor, gaz, "支持芜湖打造长江经济带重要节点城市。")
    assert ("芜湖市", "memberOf", "长江经济带") in found, found
    found = triples(extractor, gaz, "建强宜昌长江中游城市群副中心城市。")
    assert ("宜昌市", "memberOf", "长江中游城市群") in found, found
    found = triples(extractor, gaz, "支持郑州、洛阳建设国际消费中心城市。")
    assert not {t for t in found if t[1] == "memberOf"}, found


def test_an_item_of_a_counted_list_of_lines_is_a_run_of_abbreviations(extractor, gaz):
    """广惠、广深、广韶北等高速, 赣龙厦、昌福厦等高铁, 本桓、凌绥4条高速公路: each item is a
    line's run of abbreviations without the head word the list shares."""
    found = triples(extractor, gaz,
                    "支持长沙、株洲、湘潭、岳阳发展，争取长株、湘岳等城际铁路纳入规划。")
    assert {("长株", "connects", "长沙市"), ("长株", "connects", "株洲市"),
            ("湘岳", "connects", "湘潭市"), ("湘岳", "connects", "岳阳市")} <= found, found


def test_a_foreign_region_is_not_joined(extractor, gaz):
    """强化与中东国家经贸对接: trade with a foreign region, not a region, belt, corridor or
    strategy the province joins."""
    found = _doc_triples(extractor, gaz, "2025年福建省政府工作报告\n深化与中亚国家经贸对接。\n")
    assert not {t for t in found if t[1] == "connects"}, found
    found = _doc_triples(extractor, gaz, "2025年福建省政府工作报告\n强化与长三角等战略对接。\n")
    assert ("福建省", "connects", "长三角城市群") in found, found


# --- the eighth session's classes (docs/extraction.md, "Relations: bare compounds, recall by
# class, the readers' conventions")


def test_an_area_compound_is_joined_and_listed_like_a_region(extractor, gaz):
    """对接京津冀: the report's province connects the area, as it does a region (gold R5); in a
    list of areas and clusters the compound is an item (深化与京津冀、长三角等地区对接合作); a
    pair of provinces after 对接 or 与 … 对接 names partners (对接京津, 与港澳规则衔接、机制对接:
    gold R3), cooperatesWith each, and is no region joined."""
    shandong = _doc_triples(extractor, gaz,
                            "2025年山东省政府工作报告\n主动对接京津冀，承接疏解。\n")
    assert ("山东省", "connects", "京津冀") in shandong, shandong
    hebei = _doc_triples(extractor, gaz, "2025年河北省政府工作报告\n主动对接京津，承接疏解。\n")
    assert {("河北省", "cooperatesWith", "北京市"),
            ("河北省", "cooperatesWith", "天津市")} <= hebei, hebei
    assert not {t for t in hebei if t[1] == "connects"}, hebei
    heilongjiang = _doc_triples(extractor, gaz, "2025年黑龙江省政府工作报告\n"
                                "深化与京津冀、长三角等地区对接合作。\n")
    assert {("黑龙江省", "cooperatesWith", "京津冀"),
            ("黑龙江省", "cooperatesWith", "长三角城市群")} <= heilongjiang, heilongjiang
    guangdong = _doc_triples(extractor, gaz, "2025年广东省政府工作报告\n"
                             "我们强化与港澳规则衔接、机制对接。\n")
    assert not {t for t in guangdong if t[1] == "connects"}, guangdong


def test_an_area_compound_in_a_list_of_partners_is_a_partner_not_a_pair(extractor, gaz):
    """与京津冀、粤港澳等区域合作全面深化 (annotator l): the report's province cooperates with
    each area; the members of 粤港澳 do not cooperate with each other by it."""
    found = _doc_triples(extractor, gaz, "2025年江苏省政府工作报告\n"
                         "与京津冀、粤港澳等区域合作全面深化。\n")
    assert ("香港特别行政区", "cooperatesWith", "澳门特别行政区") not in found, found
    assert {("江苏省", "cooperatesWith", "京津冀"),
            ("江苏省", "cooperatesWith", "粤港澳")} <= found, found


def test_a_direct_current_line_named_by_abbreviations_connects_its_provinces(extractor, gaz):
    """青豫直流, 粤藏直流 (annotators l, k): a power line named by the provinces it joins, read
    as a railway's run is (the report's own end, and the others the document names)."""
    found = _doc_triples(extractor, gaz, "2025年青海省政府工作报告\n"
                         "支持河南发展，稳步提升“青豫直流”送电能力。\n")
    assert {("青豫直流", "connects", "青海省"), ("青豫直流", "connects", "河南省")} <= found, found


def test_a_county_yields_to_a_city_in_a_run_read_for_the_report_s_end(extractor, gaz):
    """太绥高铁 in Shanxi's report (l): 太 is 太原, not its district 太谷区, though the report
    names both; 绥 stands for no place the report names."""
    found = _doc_triples(extractor, gaz, "2025年山西省政府工作报告\n"
                         "支持太原、太谷发展，启动太绥高铁建设。\n")
    assert ("太绥高铁", "connects", "太原市") in found, found


def test_places_joined_by_与_before_一体化_or_融合发展_cooperate(extractor, gaz):
    """A与B一体化 / 融合发展 (i, k): the two cooperate; without 与 the word names a thing or a
    policy (京津冀一体化算力网, 城乡融合发展) and states no cooperation."""
    found = triples(extractor, gaz, "支持珠海与澳门一体化高质量发展，推动深圳与香港融合发展。")
    assert {("珠海市", "cooperatesWith", "澳门特别行政区"),
            ("深圳市", "cooperatesWith", "香港特别行政区")} <= found, found
    found = triples(extractor, gaz, "建设长三角一体化算力网，促进南京城乡融合发展。")


def test_a_named_grouping_of_provinces_states_no_cooperation_of_its_members(extractor, gaz):
    """强化东北三省一区战略合作: the grouping names no partner (revision 2 of the gold, R4)."""
    found = _doc_triples(extractor, gaz, "2025年吉林省政府工作报告\n强化东北三省一区战略合作。\n")
    assert not {t for t in found if t[1] == "cooperatesWith"}, found


@pytest.mark.parametrize("text, places", [
    ("加快G331吉林段建设。", {"province/220000"}),
    ("建设沿江高铁武汉至宜昌段。", {"city/420100", "city/420500"}),
    ("推进京港澳高速湖南段改扩建。", {"province/430000"}),
])
def test_a_lines_section_connects_the_places_in_its_name(extractor, text, places):
    # R9: the section is one mention of the line; its places are read inside the name
    rels = extractor.extract("t", text).relations
    assert {r.object for r in rels if r.predicate == "connects"} == places
    assert {r.rule for r in rels} == {"relation/name-place/v1"}



def test_a_line_named_after_a_cluster_connects_the_cluster_not_its_city(extractor, gaz):
    # R8: 长春都市圈西环线 connects 长春都市圈 (the area named in it), not 长春市
    found = triples(extractor, gaz, "推进长春都市圈西环线建设。")
    assert {t for t in found if t[0] == "长春都市圈西环线"} == {
        ("长春都市圈西环线", "connects", "长春都市圈")}, found
