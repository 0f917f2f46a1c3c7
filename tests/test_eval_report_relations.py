"""`kg eval --relations --gold-dir`: relations of the report gold, scored per document."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, kg_in_process, shared_input

from extract.records import Mention
from extract.relations import Relation, relation_key
from kg.evaluate.mentions import GoldMention
from kg.evaluate.relations import (
    ReportGoldRelation,
    rule_name,
    score_report,
    score_report_relations,
)

GOLD_DIR = ROOT / "tests" / "gold" / "gwr-2025"


def _m(start: int, text: str, ref: str | None, cls: str = "City") -> Mention:
    return Mention("d", start, start + len(text), text, cls, ref, "test")


def _g(start: int, text: str, canonical: str, kind: str = "City") -> GoldMention:
    return GoldMention(start, start + len(text), text, kind, canonical, "", True)


def _r(s: str, p: str, o: str, rule: str = "test") -> Relation:
    return Relation(s, p, o, 0, 1, 0, 1, f"relation/{rule}/v1", 0.8)


def _gr(s: str, p: str, o: str, in_name: bool = False) -> ReportGoldRelation:
    return ReportGoldRelation(s, p, o, 0, 1, in_name, False)


# 武汉港 … 武汉 … 湖北 … 鄂州花湖机场: refs of today's gazetteer; 涪陵 occurs only inside a name
def test_a_relation_matches_by_the_gold_mentions_its_endpoints_are_paired_with(gaz):
    wuhan = next(r for r, e in gaz.entries.items() if e.label_zh == "武汉市")
    hubei = next(r for r, e in gaz.entries.items() if e.label_zh == "湖北省")
    ezhou = next(r for r, e in gaz.entries.items() if e.label_zh == "鄂州市")
    mentions = [_m(0, "武汉", wuhan), _m(10, "湖北", hubei, "Province"), _m(20, "鄂州", ezhou)]
    gold_mentions = [_g(0, "武汉", "武汉市"), _g(10, "湖北", "湖北省", "Province"),
                     _g(20, "鄂州花湖机场", "鄂州花湖机场", "Platform")]
    gold = [_gr("武汉市", "partOf", "湖北省"), _gr("鄂州花湖机场", "locatedIn", "鄂州市", True),
            _gr("武汉市", "cooperatesWith", "湖北省")]
    predicted = [_r(wuhan, "partOf", hubei), _r(hubei, "cooperatesWith", wuhan),
                 _r(ezhou, "partOf", hubei)]
    scores = score_report_relations(predicted, mentions, gold_mentions, gold, gaz)
    # 鄂州市 is no gold mention (only inside 鄂州花湖机场): that gold row is not scored, and the
    # prediction whose subject occurs only inside the airport's name is not scored either
    assert "locatedIn" not in scores
    assert (scores["partOf"].gold, scores["partOf"].predicted, scores["partOf"].right) == (1, 1, 1)
    assert scores["partOf"].unscored == 1
    # symmetric predicates match either way round
    assert scores["cooperatesWith"].found == scores["cooperatesWith"].right == 1


def _wuhan_and_hubei(gaz):
    """武汉 at 0 and 湖北 at 10: their refs, our mentions and the gold's."""
    wuhan = _ref(gaz, "武汉市")
    hubei = _ref(gaz, "湖北省")
    return (wuhan, hubei, [_m(0, "武汉", wuhan), _m(10, "湖北", hubei, "Province")],
            [_g(0, "武汉", "武汉市"), _g(10, "湖北", "湖北省", "Province")])


def _ref(gaz, label_zh: str) -> str:
    return next(r for r, e in gaz.entries.items() if e.label_zh == label_zh)


def test_a_triple_of_a_gold_row_left_out_is_left_out_too(gaz):
    """The gold row 武汉港 locatedIn 武汉市 is not scored (武汉市 is written only inside the
    port's name, no gold mention); our triple stating it is not wrong but unscored, even where
    we also name 武汉 on its own somewhere the reader did not mark."""
    wuhan = _ref(gaz, "武汉市")
    port = _m(0, "武汉港", None, "Port")
    mentions = [port, _m(20, "武汉", wuhan)]
    gold_mentions = [_g(0, "武汉港", "武汉港", "Platform")]
    gold = [_gr("武汉港", "locatedIn", "武汉市", True)]
    scores = score_report_relations([_r(relation_key(port, gaz), "locatedIn", wuhan)], mentions,
                                    gold_mentions, gold, gaz)
    assert (scores["locatedIn"].gold, scores["locatedIn"].predicted) == (0, 0)
    assert scores["locatedIn"].unscored == 1
    # a triple no gold row states stays wrong
    scores = score_report_relations([_r(relation_key(port, gaz), "connects", wuhan)], mentions,
                                    gold_mentions, gold, gaz)
    assert (scores["connects"].predicted, scores["connects"].right) == (1, 0)


def test_a_wrong_relation_counts_against_precision(gaz):
    wuhan, hubei, mentions, gold_mentions = _wuhan_and_hubei(gaz)
    scores = score_report_relations([_r(hubei, "partOf", wuhan)], mentions, gold_mentions,
                                    [_gr("武汉市", "partOf", "湖北省")], gaz)
    assert (scores["partOf"].predicted, scores["partOf"].right, scores["partOf"].found) == (1, 0, 0)
    assert scores["partOf"].spurious == ["湖北省 partOf 武汉市 [test]"]  # with its rule
    assert scores["partOf"].missed == ["武汉市 partOf 湖北省 (0)"]


def test_an_open_world_endpoint_matches_the_gold_by_its_mention(gaz):
    """宜昌三峡机场 is in no reference table: the relation names it by the key its name mints,
    and that key stands for the gold mention its mention is paired with."""
    yichang = next(r for r, e in gaz.entries.items() if e.label_zh == "宜昌市")
    airport = _m(0, "宜昌三峡机场", None, "Airport")
    mentions = [airport, _m(10, "宜昌", yichang)]
    gold_mentions = [_g(0, "宜昌三峡机场", "宜昌三峡机场", "Platform"), _g(10, "宜昌", "宜昌市")]
    key = relation_key(airport, gaz)
    assert key is not None and key not in gaz.entries
    scores = score_report_relations([_r(key, "locatedIn", yichang)], mentions, gold_mentions,
                                    [_gr("宜昌三峡机场", "locatedIn", "宜昌市", True)], gaz)
    assert (scores["locatedIn"].predicted, scores["locatedIn"].right) == (1, 1)


def test_an_endpoint_with_no_mention_of_its_own_stands_for_the_gold_name_it_bears(gaz):
    """A rule may name an entity its own mentions do not (a place read inside a name): it stands
    for the gold canonical equal to its label, as a mentioned one does."""
    wuhan, hubei, mentions, gold_mentions = _wuhan_and_hubei(gaz)
    ours = [m for m in mentions if m.ref == wuhan]  # no mention of 湖北 of our own
    scores = score_report_relations([_r(wuhan, "partOf", hubei)], ours, gold_mentions,
                                    [_gr("武汉市", "partOf", "湖北省")], gaz)
    assert (scores["partOf"].predicted, scores["partOf"].right, scores["partOf"].unscored) == (
        1, 1, 0)


def test_a_predicate_the_report_gold_does_not_annotate_is_unscored(gaz):
    wuhan, hubei, mentions, gold_mentions = _wuhan_and_hubei(gaz)
    scores = score_report_relations([_r(wuhan, "componentOf", hubei)], mentions, gold_mentions,
                                    [], gaz)
    assert (scores["componentOf"].predicted, scores["componentOf"].unscored) == (0, 1)


def test_about_is_scored_only_from_a_strategy(gaz):
    """The guidelines' `about` ties a strategy to its region; a service's `about` its corridor
    was not asked for: unscored, not a false hit."""
    service = next(r for r, e in gaz.entries.items() if e.label_zh == "西部陆海新通道海铁联运班列")
    corridor = next(r for r, e in gaz.entries.items() if e.label_zh == "西部陆海新通道")
    strategy = next(r for r, e in gaz.entries.items() if e.label_zh == "长江经济带发展")
    belt = next(r for r, e in gaz.entries.items() if e.label_zh == "长江经济带")
    mentions = [_m(0, "西部陆海新通道海铁联运班列", service, "FreightTrainService"),
                _m(20, "西部陆海新通道", corridor, "LandSeaCorridor"),
                _m(30, "长江经济带发展", strategy, "Strategy"),
                _m(40, "长江经济带", belt, "EconomicBelt")]
    gold_mentions = [_g(0, "西部陆海新通道海铁联运班列", "西部陆海新通道海铁联运班列", "Corridor"),
                     _g(20, "西部陆海新通道", "西部陆海新通道", "Corridor"),
                     _g(30, "长江经济带发展", "长江经济带发展", "Strategy"),
                     _g(40, "长江经济带", "长江经济带", "EconomicBelt")]
    scores = score_report_relations(
        [_r(service, "about", corridor), _r(strategy, "about", belt)], mentions, gold_mentions,
        [], gaz)
    assert (scores["about"].predicted, scores["about"].unscored) == (1, 1)


def test_each_rule_is_scored_on_the_distinct_triples_it_states(gaz):
    """A triple two rules state counts for both; a rule's wrong triple counts against it
    alone."""
    wuhan, hubei, mentions, gold_mentions = _wuhan_and_hubei(gaz)
    relations = [_r(wuhan, "partOf", hubei, "member-list"),
                 _r(wuhan, "partOf", hubei, "qualified-place"),
                 _r(wuhan, "partOf", hubei, "member-list"),  # again, in another sentence
                 _r(hubei, "partOf", wuhan, "qualified-place")]
    scored = score_report(relations, mentions, gold_mentions, [_gr("武汉市", "partOf", "湖北省")],
                          gaz)
    member, qualified = scored.by_rule["member-list"], scored.by_rule["qualified-place"]
    assert (member.predicted, member.right, member.found) == (1, 1, 1)
    assert (qualified.predicted, qualified.right, qualified.found) == (2, 1, 1)
    assert qualified.spurious == ["湖北省 partOf 武汉市"]
    assert scored.by_predicate["partOf"].spurious == ["湖北省 partOf 武汉市 [qualified-place]"]
    assert (scored.by_predicate["partOf"].predicted, scored.by_predicate["partOf"].right) == (2, 1)


def test_a_rule_is_named_without_its_prefix_and_version():
    assert rule_name("relation/corridor-nearest/v1") == "corridor-nearest"
    assert rule_name("gold") == "gold"


def kg(kg_command, *args: str) -> subprocess.CompletedProcess:
    return kg_in_process(*args, cwd=ROOT)


@pytest.mark.slow
def test_kg_eval_relations_scores_each_document_and_the_split(kg_command):
    texts = shared_input("corpus-dev", "gwr-2025")
    result = kg(kg_command, "eval", "--relations", "--gold-dir", str(GOLD_DIR), "--texts",
                str(texts), "--split", "dev")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    docs = [line.split()[0] for line in lines if line.startswith("gwr-2025-")]
    assert docs == ["gwr-2025-hubei", "gwr-2025-heilongjiang", "gwr-2025-jilin"]
    split_row = next(line for line in lines if line.startswith("dev (all its documents)"))
    gold = int(split_row.split()[4])
    assert gold == sum(int(line.split()[2]) for line in lines if line.startswith("gwr-2025-"))
    assert any(line.strip().startswith("connects") for line in lines)
    # each rule's scored triples, for the split and for all
    assert "rule (dev)" in result.stdout and "rule (all)" in result.stdout
    name_place = next(line.split() for line in lines if line.strip().startswith("name-place"))
    predicted, right = int(name_place[1]), int(name_place[2])
    assert 0 < right <= predicted


def test_kg_eval_relations_refuses_a_missing_gold_folder(kg_command, tmp_path: Path):
    result = kg(kg_command, "eval", "--relations", "--gold-dir", str(tmp_path / "none"))
    assert result.returncode == 2
    assert result.stderr.startswith("kg: error: --gold-dir")
    assert "Traceback" not in result.stderr
