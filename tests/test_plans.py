"""Work plans of government work reports (extract/recommendations.py): the plan section under
any of its headings, its task groups, and where it ends. Small texts written for each rule; the
measurement on the 28 dev reports is tests/test_plans_gold.py."""

from __future__ import annotations

from extract.recommendations import find_recommendations

REVIEW = "一、2024年工作回顾\n过去一年，我们推进改革，成绩显著。\n"
CLOSING = "各位代表！征程万里阔。让我们团结奋斗，再创佳绩！\n"


def groups(text: str) -> list[tuple[str, str]]:
    return [(r.number, r.title) for r in find_recommendations(text) if r.parent is None]


def test_a_plan_heading_without_a_task_keyword():
    text = (REVIEW + "二、2025年工作安排\n（一）扩大内需。推进消费升级。\n"
            "（二）发展产业。加快园区建设。\n" + CLOSING)
    assert groups(text) == [("二.(一)", "扩大内需"), ("二.(二)", "发展产业")]


def test_about_the_year_heading():
    text = REVIEW + "二、关于2025年工作\n（一）扩大内需。推进消费升级。\n" + CLOSING
    assert groups(text) == [("二.(一)", "扩大内需")]


def test_a_thematic_heading_is_a_plan_when_its_intro_states_the_targets():
    text = (REVIEW + "二、牢记使命，奋勇争先\n今年经济社会发展的主要预期目标是：增长5%。\n"
            "（一）坚持创新。推进科技攻关。\n" + CLOSING)
    assert groups(text) == [("二.(一)", "坚持创新")]
    # the same heading without the targets is not a plan
    assert groups(text.replace("主要预期目标是", "成绩")) == []


def test_an_unnumbered_plan_heading_on_its_own_line():
    text = ("2024年工作回顾\n(一)推进改革。加快发展。\n2025年工作安排\n"
            "(一)扩大内需。推进消费升级。\n(二)发展产业。加快园区建设。\n" + CLOSING)
    found = find_recommendations(text)
    assert [(r.number, r.title) for r in found if r.parent is None] == [
        ("(一)", "扩大内需"), ("(二)", "发展产业")]
    # the closing address ends the last group
    assert not text[found[-1].start:found[-1].end].count("让我们")


def test_a_stray_address_does_not_end_the_plan_but_a_closing_one_does():
    text = (REVIEW + "二、2025年工作安排\n（一）扩大内需。推进消费升级。\n"
            "各位代表！\n我们要支持国防建设。\n（二）发展产业。加快园区建设。\n"
            "各位代表，今年继续实施十项民生实事。\n（三）保障民生。办好民生实事。\n"
            "各位代表！\n新形势对政府自身建设提出更高要求。\n（四）不是任务。推进别的。\n")
    assert [n for n, _ in groups(text)] == ["二.(一)", "二.(二)", "二.(三)"]


def test_the_preamble_section_before_the_tasks_holds_no_groups():
    text = (REVIEW + "二、2025年工作总体要求和主要目标\n今年的主要预期目标是：增长5%。"
            "一是坚持稳中求进；二是坚持守正创新。\n"
            "三、2025年重点工作\n（一）扩大内需。推进消费升级。\n（二）发展产业。加快园区建设。\n"
            + CLOSING)
    from extract.recommendations import plan_sections

    secs = plan_sections(text)
    assert [(s.label, holds) for s, holds in secs] == [("二", False), ("三", True)]
    assert [n for n, _ in groups(text)] == ["三.(一)", "三.(二)"]


def test_a_lone_plan_section_with_requirements_in_its_heading_holds_its_groups():
    text = REVIEW + "二、2025年工作总体要求和重点任务\n（一）扩大内需。推进消费升级。\n" + CLOSING
    assert [n for n, _ in groups(text)] == ["二.(一)"]


def test_shi_lines_are_the_groups_of_a_plan_without_parenthesised_groups():
    text = (REVIEW + "二、2025年重点工作\n一是聚焦扩大内需。推进消费升级。\n"
            "二是坚持民生至上。办好实事：一是建设学校，二是改造道路。\n"
            "三是守牢安全底线。加强应急管理。\n" + CLOSING)
    found = find_recommendations(text)
    assert [(r.number, r.parent) for r in found] == [
        ("二.一是", None), ("二.二是", None), ("二.二是.一是", "二.二是"),
        ("二.二是.二是", "二.二是"), ("二.三是", None)]


def test_numbered_principles_before_the_first_group_are_not_tasks():
    text = (REVIEW + "二、2025年工作安排\n做好今年工作，一是坚持稳中求进，二是坚持守正创新。\n"
            "（一）扩大内需。一是推进消费升级；二是扩大有效投资。\n" + CLOSING)
    found = find_recommendations(text)
    assert [r.number for r in found] == ["二.(一)", "二.(一).一是", "二.(一).二是"]


def test_the_governments_own_conduct_is_not_a_task_group():
    text = (REVIEW + "二、2025年工作安排\n（一）扩大内需。推进消费升级。\n"
            "（二）全面加强政府自身建设。一是加强法治政府建设。\n" + CLOSING)
    found = find_recommendations(text)
    assert [r.number for r in found] == ["二.(一)"]
    assert "政府自身建设" not in text[found[0].start:found[0].end]
