"""extract/recommendations.py: the hierarchy of recommendations / measures and their actions."""

from __future__ import annotations

import dataclasses
from functools import cache
from pathlib import Path

import pytest
from conftest import ARTICLE, ROOT, shared_input

from extract.recommendations import (
    STRENGTHS,
    Action,
    Recommendation,
    find_actions,
    find_recommendations,
    load_rules,
)

NATIONAL = ("corpus-dev", "04_national-gwr-2024.txt")  # under ../shared/ (shared_input)
GUANGXI = ("corpus-dev", "03_guangxi-gwr-2025.txt")


def _parsed(source: Path | tuple[str, ...]) -> tuple[str, tuple[Recommendation, ...]]:
    """The text and its recommendations: ARTICLE, or a file of ../shared/ (skipped where it is
    absent)."""
    return _parsed_file(source if isinstance(source, Path) else shared_input(*source))


@cache
def _parsed_file(path: Path) -> tuple[str, tuple[Recommendation, ...]]:
    text = path.read_text(encoding="utf-8")
    return text, tuple(find_recommendations(text))


def _by_number(recs) -> dict[str, Recommendation]:
    return {r.number: r for r in recs}


def _check_spans(text: str, recs) -> None:
    ids = {r.id for r in recs}
    assert len(ids) == len(recs)
    assert [r.start for r in recs] == sorted(r.start for r in recs)
    for r in recs:
        marker = r.number.rsplit(".", 1)[-1]
        span = text[r.start:r.end]
        assert span.startswith((marker, marker.replace("(", "（").replace(")", "）"))), r.number
        assert span == span.rstrip()
        assert r.parent is None or r.parent in ids
        if r.parent is not None:
            parent = next(p for p in recs if p.id == r.parent)
            assert parent.start < r.start and r.end <= parent.end
        for a in r.actions:
            assert r.start <= a.start < a.end <= r.end
            assert "".join(text[a.start:a.end].split()).startswith(a.verb)
            assert a.strength in STRENGTHS
        assert r.strength == (max((a.strength for a in r.actions), key=STRENGTHS.index)
                              if r.actions else None)


# --- the article's section 五 -------------------------------------------------------------

def test_article_only_section_five():
    text, recs = _parsed(ARTICLE)
    heading = text.index("五、")
    notes = text.index("\n注释") + 1
    assert recs and all(r.number.startswith("五.") for r in recs)
    assert all(heading < r.start and r.end <= notes for r in recs)
    _check_spans(text, recs)


def test_article_groups_and_titles():
    _, recs = _parsed(ARTICLE)
    groups = [r for r in recs if r.level == "group"]
    assert [(g.number, g.title, g.parent) for g in groups] == [
        ("五.(一)", "推动形成优势互补、高质量发展的区域经济布局", None),
        ("五.(二)", "顺应人口聚散格局变动,优化区域城市治理能力", None),
        ("五.(三)", "促进创新要素多梯度布局和协调发展", None),
        ("五.(四)", "强化开放协同,优化开放布局和政策配置", None),
    ]


def test_article_items_per_group():
    _, recs = _parsed(ARTICLE)
    counts = {g.id: sum(1 for r in recs if r.level == "item" and r.parent == g.id)
              for g in recs if g.level == "group"}
    assert counts == {"五.(一)": 5, "五.(二)": 4, "五.(三)": 5, "五.(四)": 4}
    items = _by_number(r for r in recs if r.level == "item")
    assert items["五.(一).1"].title == "提升重要跨区域轴带牵引带动能力"
    # a heading broken by the PDF: the space inside it is not part of the title
    assert items["五.(一).3"].title == "依托国家战略腹地建设提升中西部地区战略支撑"
    # a heading on the same line as its group's heading, and one followed by 一是 on its line
    assert items["五.(四).1"].title == "着力优化区域开放布局"
    assert items["五.(二).1"].title == '以"大集聚、小分散"强化统筹发展和安全能力'
    assert items["五.(四).4"].title == "积极引导外贸外资大省拓展开放新空间"


def test_article_sub_points():
    _, recs = _parsed(ARTICLE)
    points = [(r.number, r.parent) for r in recs if r.level == "point"]
    assert points == [
        ("五.(一).5.一是", "五.(一).5"),
        ("五.(一).5.二是", "五.(一).5"),
        ("五.(一).5.三是", "五.(一).5"),
        ("五.(二).1.一是", "五.(二).1"),
        ("五.(二).1.二是", "五.(二).1"),
        ("五.(二).1.三是", "五.(二).1"),
        ("五.(四).1.宏观上", "五.(四).1"),
        ("五.(四).1.中观上", "五.(四).1"),
        ("五.(四).1.微观上", "五.(四).1"),
    ]
    by = _by_number(recs)
    assert by["五.(一).5.一是"].title == '推动"四极""四链"融合'
    assert by["五.(四).1.宏观上"].title == '拓展沿江沿海的"T"字形布局'
    # a sub-point ends where the next one starts
    assert by["五.(一).5.一是"].end <= by["五.(一).5.二是"].start


def test_article_actions():
    _, recs = _parsed(ARTICLE)
    by = _by_number(recs)

    def acts(number):
        return {(a.verb, a.object, a.strength) for a in by[number].actions}

    assert ("加快", "渝昆、贵南、隆黄铁路、北部湾国际门户港及平陆运河建设", "strong") \
        in acts("五.(一).1")
    assert ("推动", "北方钢铁产能向南方城市群疏解", "strong") in acts("五.(一).2")
    assert ("探索建立", "技术移民制度", "exploratory") in acts("五.(三).4")
    assert ("鼓励", "科研人员以职务科技成果进行自主创新创业", "supportive") in acts("五.(三).4")
    assert ("探索", "以负面清单为基础的更高水平金融业开放", "exploratory") in acts("五.(四).2")
    assert ("推动", "四极四链融合", "strong") in acts("五.(一).5.一是")
    # own actions only: the group's are those of its heading, not of its items
    assert [(a.verb, a.object) for a in by["五.(三)"].actions] == [
        ("促进", "创新要素多梯度布局和协调发展")]
    assert by["五.(三)"].strength == "supportive"
    assert by["五.(一)"].strength == "strong"
    # a verb inside another action's object belongs to that object
    assert ("支持", "中西部地区和东北地区加快复制推广东部地区自贸试验区改革试点经验",
            "supportive") in acts("五.(四).3")


# --- the government work reports -----------------------------------------------------------

def test_national_report_task_groups():
    text, recs = _parsed(NATIONAL)
    _check_spans(text, recs)
    groups = [r for r in recs if r.level == "group"]
    assert len(groups) == 10
    assert groups[0].title == "大力推进现代化产业体系建设，加快发展新质生产力"
    assert groups[1].title == "深入实施科教兴国战略，强化高质量发展的基础支撑"
    assert [g.number for g in groups[:2]] == ["三.(一)", "三.(二)"]
    assert all(g.actions for g in groups)
    # the closing address ("各位代表！") is not part of the last group
    assert "各位代表" not in text[groups[-1].start:groups[-1].end]


def test_guangxi_report_task_groups():
    text, recs = _parsed(GUANGXI)
    _check_spans(text, recs)
    groups = [r for r in recs if r.level == "group"]
    # the review of last year ("一、…工作回顾") has groups too, but is not a task section
    assert [g.number for g in groups] == [f"二.({n})" for n in "一二三四五六七八九十"]
    assert groups[0].title == "大力提振消费，更好发挥牵引带动作用"


# --- small texts ---------------------------------------------------------------------------

def test_no_numbered_structure():
    assert find_recommendations("") == []
    plain = "区域协调发展是推动高质量发展的关键支撑。\n要加快建设统一大市场。"
    assert find_recommendations(plain) == []


def test_no_recommendation_section():
    text = "一、引言\n\n(一)背景\n\n我们加快推进建设。\n\n二、研究方法\n\n1.数据\n\n一是加快发展。"
    assert find_recommendations(text) == []


def test_sequence_and_strength_on_a_small_text():
    text = ("一、背景\n\n略。\n\n二、对策建议\n\n（一）必须守住安全底线。严禁违规举债，"
            "适时推动改革试点。\n\n1.加快建设统一大市场\n\n增长 5.每年。"
            "一是支持企业出海；二是探索新模式。"
            "\n\n3.不是第二项\n\n2.鼓励创新\n\n参考文献\n\n（二）不算")
    recs = find_recommendations(text)
    assert [(r.number, r.level, r.parent) for r in recs] == [
        ("二.(一)", "group", None),
        ("二.(一).1", "item", "二.(一)"),
        ("二.(一).1.一是", "point", "二.(一).1"),
        ("二.(一).1.二是", "point", "二.(一).1"),
        ("二.(一).2", "item", "二.(一)"),
    ]
    by = _by_number(recs)
    assert by["二.(一)"].title == "必须守住安全底线"
    assert [(a.verb, a.object, a.strength) for a in by["二.(一)"].actions] == [
        ("必须守住", "安全底线", "mandatory"),  # a chain of verbs: 守住 is one too
        ("严禁", "违规举债", "mandatory"),
        ("适时推动", "改革试点", "exploratory"),
    ]
    assert by["二.(一)"].strength == "mandatory"
    assert by["二.(一).1.一是"].title == "支持企业出海"
    assert by["二.(一).1.二是"].strength == "exploratory"
    # "3." is out of sequence: it stays inside item 1, which ends where item 2 starts
    assert "5.每年" in text[by["二.(一).1"].start:by["二.(一).1"].end]
    assert "3.不是第二项" in text[by["二.(一).1"].start:by["二.(一).1"].end]
    _check_spans(text, recs)


def test_text_without_headings_is_one_section():
    recs = find_recommendations("（一）加快发展。\n1.推动改革\n2.支持创新，探索新模式")
    assert [r.number for r in recs] == ["(一)", "(一).1", "(一).2"]
    assert [(a.verb, a.object) for a in recs[2].actions] == [("支持", "创新"), ("探索", "新模式")]


def test_pdf_whitespace_inside_a_verb():
    actions = find_actions("要推 动区域 协调发展，")
    assert [(a.verb, a.object) for a in actions] == [("推动", "区域协调发展")]


def test_records_are_frozen_and_rules_are_data():
    recs = find_recommendations("（一）加快发展。")
    with pytest.raises(dataclasses.FrozenInstanceError):
        recs[0].title = "x"  # type: ignore[misc]
    assert isinstance(recs[0].actions[0], Action)
    rules = load_rules()
    assert rules.verbs["严禁"] == "mandatory" and rules.verbs["探索"] == "exploratory"
    source = (ROOT / "extract" / "recommendations.py").read_text(encoding="utf-8")
    assert "rdflib" not in source.replace("never imports rdflib", "")
