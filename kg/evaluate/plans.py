"""Work plans of government work reports against the plans gold (tests/gold/plans/).

The gold gives, per report, the plan section's span and every task group's heading span
(`plans.tsv`), and every task of a sample of groups (`tasks-sample.tsv`); its conventions are in
`tests/gold/plans/README.md`. A report's plan as we read it is the span of its top-level
recommendations (those without a parent: the task groups); so

- the plan is found when that span overlaps the gold plan;
- a task group is found when one of our top-level recommendations starts inside its gold
  heading (precision over our top-level recommendations, recall over the gold groups);
- a gold task is found when one of our actions overlaps it (recall); one of our actions inside
  a sampled group is right when it overlaps a gold task of that group (precision).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from extract.recommendations import Recommendation
from kg.errors import InputError


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def holds(self, at: int) -> bool:
        return self.start <= at < self.end


@dataclass(frozen=True, slots=True)
class GoldPlan:
    doc: str
    plan: Span
    groups: tuple[Span, ...]  # heading spans, group 1 first


@dataclass(frozen=True, slots=True)
class PlanScore:
    doc: str
    plan_found: bool
    plan_coverage: float  # share of the gold plan our plan covers
    gold_groups: int
    our_groups: int
    matched_groups: int


@dataclass(frozen=True, slots=True)
class TaskScore:
    doc: str
    group: int
    gold_tasks: int
    found_tasks: int  # gold tasks an action of ours overlaps
    our_actions: int  # our actions inside the gold group
    right_actions: int  # of those, the ones overlapping a gold task


def _rows(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: cannot read the plans gold: {e}") from None
    if rows and not set(columns) <= set(rows[0]):
        raise InputError(f"{path}: not a plans gold table ({', '.join(columns)})")
    return rows


def read_plan_gold(path: Path) -> dict[str, GoldPlan]:
    """`plans.tsv`: one row per task group; the plan's span repeats on every row of a report."""
    plans: dict[str, tuple[Span, list[Span]]] = {}
    for r in _rows(path, ("doc", "plan_start", "plan_end", "group", "start", "end")):
        _, groups = plans.setdefault(
            r["doc"], (Span(int(r["plan_start"]), int(r["plan_end"])), []))
        groups.append(Span(int(r["start"]), int(r["end"])))
    return {doc: GoldPlan(doc, plan, tuple(groups)) for doc, (plan, groups) in plans.items()}


def read_task_gold(path: Path) -> dict[tuple[str, int], tuple[Span, ...]]:
    """`tasks-sample.tsv`: (doc, group number) -> the spans of its tasks, in text order."""
    tasks: dict[tuple[str, int], list[Span]] = {}
    for r in _rows(path, ("doc", "group", "start", "end")):
        tasks.setdefault((r["doc"], int(r["group"])), []).append(
            Span(int(r["start"]), int(r["end"])))
    return {key: tuple(spans) for key, spans in tasks.items()}


def task_groups(recommendations: Sequence[Recommendation]) -> list[Recommendation]:
    """The top-level recommendations: a plan's task groups."""
    return [r for r in recommendations if r.parent is None]


def score_plan(gold: GoldPlan, recommendations: Sequence[Recommendation]) -> PlanScore:
    groups = task_groups(recommendations)
    ours = Span(min(r.start for r in groups), max(r.end for r in groups)) if groups else None
    covered = (max(0, min(ours.end, gold.plan.end) - max(ours.start, gold.plan.start))
               if ours else 0)
    matched = sum(any(g.holds(r.start) for r in groups) for g in gold.groups)
    return PlanScore(gold.doc, bool(ours and ours.overlaps(gold.plan)),
                     covered / (gold.plan.end - gold.plan.start), len(gold.groups), len(groups),
                     matched)


def _group_span(gold: GoldPlan, group: int) -> Span:
    """From the group's heading to the next group's heading, or to the plan's end."""
    start = gold.groups[group - 1].start
    end = gold.groups[group].start if group < len(gold.groups) else gold.plan.end
    return Span(start, end)


def score_tasks(gold: GoldPlan, group: int, tasks: Sequence[Span],
                recommendations: Sequence[Recommendation]) -> TaskScore:
    span = _group_span(gold, group)
    actions = [Span(a.start, a.end) for r in recommendations for a in r.actions
               if span.holds(a.start)]
    found = sum(any(t.overlaps(a) for a in actions) for t in tasks)
    right = sum(any(a.overlaps(t) for t in tasks) for a in actions)
    return TaskScore(gold.doc, group, len(tasks), found, len(actions), right)


def ratio(part: int, whole: int) -> float:
    """part / whole, 1.0 for nothing out of nothing."""
    return part / whole if whole else 1.0
