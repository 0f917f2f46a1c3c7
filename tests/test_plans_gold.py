"""The work plans of the 28 dev government work reports against the plans gold
(tests/gold/plans/, written by an annotator who never saw the pipeline): the figures the README
states ("Work plans")."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, shared_input

from extract.recommendations import Recommendation, find_recommendations
from kg.evaluate.plans import (
    GoldPlan,
    ratio,
    read_plan_gold,
    read_task_gold,
    score_plan,
    score_tasks,
)

GOLD = ROOT / "tests" / "gold" / "plans"


def _report(doc: str) -> Path:
    """03_guangxi-gwr-2025 lies beside the gwr-2025 folder."""
    if doc.startswith("gwr-2025-"):
        return shared_input("corpus-dev", "gwr-2025", f"{doc}.txt")
    return shared_input("corpus-dev", f"{doc}.txt")


@pytest.fixture(scope="module")
def plans() -> dict[str, tuple[GoldPlan, list[Recommendation]]]:
    gold = read_plan_gold(GOLD / "plans.tsv")
    return {doc: (g, find_recommendations(_report(doc).read_text(encoding="utf-8")))
            for doc, g in gold.items()}


def test_the_gold_covers_28_reports_and_257_groups(plans):
    assert len(plans) == 28
    assert sum(len(g.groups) for g, _ in plans.values()) == 257


def test_every_plan_is_found_with_all_its_task_groups_and_no_other(plans):
    scores = [score_plan(g, recs) for g, recs in plans.values()]
    assert [s.doc for s in scores if not s.plan_found] == []
    wrong = [(s.doc, s.gold_groups, s.our_groups, s.matched_groups) for s in scores
             if not s.gold_groups == s.our_groups == s.matched_groups]
    assert wrong == []
    # our plan (its groups' span) covers most of the gold plan in every report
    assert min(s.plan_coverage for s in scores) >= 0.75


def test_tasks_of_the_sample(plans):
    tasks = read_task_gold(GOLD / "tasks-sample.tsv")
    scores = [score_tasks(plans[doc][0], group, spans, plans[doc][1])
              for (doc, group), spans in tasks.items()]
    gold = sum(s.gold_tasks for s in scores)
    assert gold == 378
    recall = ratio(sum(s.found_tasks for s in scores), gold)
    precision = ratio(sum(s.right_actions for s in scores), sum(s.our_actions for s in scores))
    assert recall >= 0.85 and precision >= 0.95
