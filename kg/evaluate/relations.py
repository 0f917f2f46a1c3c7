"""`kg eval --relations`: precision and recall of the distinct relations a text states.

A gold row is `subject, predicate, object` with zh labels (tests/gold/*.relations.tsv). A
predicted relation matches a gold one with the same predicate when each end shares a name (the
entity's label or an alias) with the gold label; symmetric predicates match either way round.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from extract.gazetteer import Gazetteer
from extract.relations import SYMMETRIC, Relation
from kg.errors import InputError
from kg.evaluate.entities import Score, name_key


@dataclass(frozen=True, slots=True)
class GoldRelation:
    subject: str
    predicate: str
    object: str


def read_relation_gold(path: Path) -> list[GoldRelation]:
    try:
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
        return [GoldRelation(r["subject"], r["predicate"], r["object"]) for r in rows]
    except (UnicodeDecodeError, KeyError, AttributeError) as e:
        raise InputError(
            f"{path}: not a relation gold table (subject, predicate, object): {e}") from None


def _names(ref: str, gaz: Gazetteer) -> frozenset[str]:
    entry = gaz.entries[ref]
    return frozenset(name_key(n) for n in (entry.label_zh, *entry.aliases))


def _matches(pred: tuple[str, str, str], gold: GoldRelation, gaz: Gazetteer) -> bool:
    s, p, o = pred
    if p != gold.predicate:
        return False
    gs, go = name_key(gold.subject), name_key(gold.object)
    subject, obj = _names(s, gaz), _names(o, gaz)
    return (gs in subject and go in obj) or (p in SYMMETRIC and gs in obj and go in subject)


def score_relations(relations: Sequence[Relation], gold: list[GoldRelation],
                    gaz: Gazetteer) -> list[Score]:
    """Scores per predicate over distinct triples."""
    predicted = {(r.subject, r.predicate, r.object) for r in relations}
    scores = []
    for predicate in sorted({g.predicate for g in gold} | {p for _, p, _ in predicted}):
        golds = [g for g in gold if g.predicate == predicate]
        preds = sorted(t for t in predicted if t[1] == predicate)
        matched_gold = [any(_matches(t, g, gaz) for t in preds) for g in golds]
        matched_pred = [any(_matches(t, g, gaz) for g in golds) for t in preds]
        scores.append(Score(
            predicate, len(golds), len(preds), sum(matched_gold), sum(matched_pred),
            tuple(f"{g.subject}→{g.object}" for g, ok in zip(golds, matched_gold, strict=True)
                  if not ok),
            tuple(f"{gaz.entries[s].label_zh}→{gaz.entries[o].label_zh}"
                  for (s, _, o), ok in zip(preds, matched_pred, strict=True) if not ok)))
    return scores
