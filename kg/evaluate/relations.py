"""`kg eval --relations`: precision and recall of the distinct relations a text states.

A gold row is `subject, predicate, object` with zh labels (tests/gold/*.relations.tsv). A
predicted relation matches a gold one with the same predicate when each end shares a name (the
entity's label or an alias) with the gold label; symmetric predicates match either way round.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from extract.gazetteer import Gazetteer
from extract.records import Mention
from extract.relations import SYMMETRIC, Relation, family, keyed_mention
from kg.errors import InputError
from kg.evaluate.entities import Score, name_key
from kg.evaluate.mentions import (
    GoldMention,
    gold_documents,
    pairs,
    predicted,
    read_gold_rows,
    read_gold_text,
    read_mention_gold,
)


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


# --- the report gold (tests/gold/gwr-2025/): relations with offsets, scored per document --------

REPORT_COLUMNS = ("subject", "predicate", "object", "start", "end", "in_name", "implicit")
# The predicates the report gold's guidelines define (README.md there): a prediction of another
# (componentOf, comparedWith, listedWith) is one the annotators were not asked for, so unscored.
REPORT_PREDICATES = frozenset({"partOf", "memberOf", "locatedIn", "connects", "builtOn",
                               "cooperatesWith", "about"})
# The guidelines' `about` ties a Strategy to the region it concerns; `about` from a service to
# its corridor (service-corridor) is one the annotators were not asked for, so unscored.
ABOUT_SUBJECT_FAMILY = "Strategy"


@dataclass(frozen=True, slots=True)
class ReportGoldRelation:
    subject: str  # the gold canonical name
    predicate: str
    object: str
    start: int
    end: int
    in_name: bool  # stated only by an entity's own name (武汉港 locatedIn 武汉市)
    implicit: bool  # the subject is the report's own province, not written in the clause


def read_report_relation_gold(path: Path) -> list[ReportGoldRelation]:
    return read_gold_rows(path, REPORT_COLUMNS, "relation gold table", lambda r:
                          ReportGoldRelation(r["subject"], r["predicate"], r["object"],
                                             int(r["start"]), int(r["end"]),
                                             r["in_name"] == "yes", r["implicit"] == "yes"))


@dataclass(slots=True)
class RelationCounts:
    """Counts that add up over documents, for one predicate or all."""

    gold: int = 0  # scored gold relations (both endpoints are gold mentions)
    predicted: int = 0  # scored predicted triples
    found: int = 0  # gold relations a prediction matches
    right: int = 0  # predictions that match a gold relation
    unscored: int = 0  # predictions with an endpoint named only inside another name
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)

    def add(self, other: RelationCounts) -> None:
        for name in ("gold", "predicted", "found", "right", "unscored"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.missed.extend(other.missed)
        self.spurious.extend(other.spurious)

    @property
    def precision(self) -> float:
        return self.right / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0


@dataclass(slots=True)
class DocumentRelationScore:
    doc: str
    split: str
    chars: int
    by_predicate: dict[str, RelationCounts]
    total: RelationCounts
    by_rule: dict[str, RelationCounts] = field(default_factory=dict)

    @property
    def per_1000_chars(self) -> float:
        """Scored predicted relations per 1,000 characters of the text."""
        return 1000 * self.total.predicted / self.chars if self.chars else 0.0


def _names_of(ref: str, gaz: Gazetteer) -> set[str]:
    entry = gaz.entries.get(ref)
    return {name_key(n) for n in (entry.label_zh, *entry.aliases)} if entry else set()


def endpoint_canonicals(mentions: Sequence[Mention], gold: Sequence[GoldMention],
                        gaz: Gazetteer, endpoints: Iterable[str] = ()) -> dict[str, set[str]]:
    """ref -> the gold canonicals it stands for: the canonical of each gold mention one of its
    mentions is paired with (one to one, the largest overlap first, covering at least half of
    the gold span, so 武汉 inside the gold 武汉港 does not take the port's name), and any gold
    canonical equal to one of its names. `endpoints` are refs of relations that may have no
    mention of their own (俄罗斯, read from the initials of 中蒙俄经济走廊): they stand for the
    gold canonical equal to one of their names."""
    linked = [m for m in mentions if m.ref]
    preds = predicted(linked, gaz)
    written_as: dict[str, set[str]] = {}  # an open-world entity's names are its mentions'
    for m in linked:
        if m.ref not in gaz.entries:
            written_as.setdefault(m.ref, set()).add(name_key(m.text))
    out: dict[str, set[str]] = {}
    for i, j in pairs(preds, gold):
        p, g = preds[i], gold[j]
        if 2 * (min(p.end, g.end) - max(p.start, g.start)) >= g.end - g.start:
            out.setdefault(linked[i].ref, set()).add(g.canonical)
    by_name: dict[str, set[str]] = {}
    for g in gold:
        by_name.setdefault(name_key(g.canonical), set()).add(g.canonical)
    for ref in {m.ref for m in linked} | set(endpoints):
        for n in _names_of(ref, gaz) | written_as.get(ref, set()):
            out.setdefault(ref, set()).update(by_name.get(n, ()))
    return out


def _inside_other_names(ref: str, mentions: Sequence[Mention],
                        gold: Sequence[GoldMention]) -> bool:
    """Is every mention of `ref` inside a longer gold mention (or has it none)? Such an endpoint
    is named only inside another name, where the annotators differ (README.md there)."""
    return all(any(g.start <= m.start and m.end <= g.end and (g.end - g.start) > (m.end - m.start)
                   for g in gold) for m in mentions if m.ref == ref)


def rule_name(rule: str) -> str:
    """relation/corridor-nearest/v1 -> corridor-nearest."""
    parts = rule.split("/")
    return parts[1] if len(parts) == 3 else rule


@dataclass(slots=True)
class ReportRelationScore:
    """One document's counts per predicate, and per rule: a distinct triple counts once for
    each rule that stated it (in any sentence), so a rule's precision is that of the triples it
    gives, whether or not another rule gives them too."""

    by_predicate: dict[str, RelationCounts]
    by_rule: dict[str, RelationCounts]


def score_report_relations(relations: Sequence[Relation], mentions: Sequence[Mention],
                           gold_mentions: Sequence[GoldMention],
                           gold: Sequence[ReportGoldRelation],
                           gaz: Gazetteer) -> dict[str, RelationCounts]:
    """predicate -> counts (`score_report`)."""
    return score_report(relations, mentions, gold_mentions, gold, gaz).by_predicate


def score_report(relations: Sequence[Relation], mentions: Sequence[Mention],
                 gold_mentions: Sequence[GoldMention], gold: Sequence[ReportGoldRelation],
                 gaz: Gazetteer) -> ReportRelationScore:
    """Counts per predicate and per rule. A relation is scored only when both its endpoints are
    mentions of the gold: a gold relation whose endpoint occurs only inside another name is left
    out, and so is a predicted one whose endpoint maps to no gold mention and occurs only inside
    names."""
    # open-world names take part in relations by the key their name mints
    mentions = [keyed_mention(m, gaz) for m in mentions]
    endpoints = {ref for r in relations for ref in (r.subject, r.object)}
    canon = endpoint_canonicals(mentions, gold_mentions, gaz, endpoints)
    mentioned = {g.canonical for g in gold_mentions}
    out: dict[str, RelationCounts] = {}
    by_rule: dict[str, RelationCounts] = {}
    golds = [g for g in gold if g.subject in mentioned and g.object in mentioned]
    left_out = [g for g in gold if g.subject not in mentioned or g.object not in mentioned]
    for g in golds:
        out.setdefault(g.predicate, RelationCounts()).gold += 1
    rules_of: dict[tuple[str, str, str], set[str]] = {}
    for r in relations:
        rules_of.setdefault((r.subject, r.predicate, r.object), set()).add(rule_name(r.rule))
    matched: set[int] = set()
    for (s, p, o), rules in sorted(rules_of.items()):
        counts = out.setdefault(p, RelationCounts())
        per_rule = [by_rule.setdefault(rule, RelationCounts()) for rule in sorted(rules)]
        subjects, objects = canon.get(s, set()), canon.get(o, set())
        unscorable = [ref for ref, names in ((s, subjects), (o, objects))
                      if not names and _inside_other_names(ref, mentions, gold_mentions)]
        if unscorable or not _annotated(s, p, mentions, gaz):
            for c in (counts, *per_rule):
                c.unscored += 1
            continue
        hits = [i for i, g in enumerate(golds) if _same_triple(g, p, subjects, objects)]
        if not hits and any(_same_triple(g, p, _all_names(s, canon, mentions, gaz),
                                         _all_names(o, canon, mentions, gaz)) for g in left_out):
            # a row of the gold the scorer left out (an end only inside another name) is no
            # more wrong when we state it than right: unscored, as the gold row is
            for c in (counts, *per_rule):
                c.unscored += 1
            continue
        matched.update(hits)
        triple = f"{_label(s, gaz, mentions)} {p} {_label(o, gaz, mentions)}"
        for c in (counts, *per_rule):
            c.predicted += 1
            if hits:
                c.right += 1
        if not hits:
            counts.spurious.append(f"{triple} [{', '.join(sorted(rules))}]")
            for c in per_rule:
                c.spurious.append(triple)
        for c in per_rule:  # a rule's `found`: the gold rows its triples match
            c.found += len(hits)
    for i, g in enumerate(golds):
        if i in matched:
            out[g.predicate].found += 1
        else:
            out[g.predicate].missed.append(f"{g.subject} {g.predicate} {g.object} ({g.start})")
    return ReportRelationScore(out, by_rule)


def _same_triple(g: ReportGoldRelation, predicate: str, subjects: set[str],
                 objects: set[str]) -> bool:
    return g.predicate == predicate and (
        (g.subject in subjects and g.object in objects)
        or (predicate in SYMMETRIC and g.subject in objects and g.object in subjects))


def _all_names(ref: str, canon: dict[str, set[str]], mentions: Sequence[Mention],
               gaz: Gazetteer) -> set[str]:
    """Every name `ref` goes by: the gold canonicals it stands for, its label and aliases, the
    text of its mentions; for matching gold rows whose ends are no gold mention."""
    written = {name_key(m.text) for m in mentions if m.ref == ref}
    entry = gaz.entries.get(ref)
    labels = {entry.label_zh, *entry.aliases} if entry else set()
    names = canon.get(ref, set()) | labels | written | _names_of(ref, gaz)
    return names | {name_key(n) for n in names}


def _annotated(subject: str, predicate: str, mentions: Sequence[Mention],
               gaz: Gazetteer) -> bool:
    """Were the annotators asked for this predicate with this kind of subject?"""
    if predicate not in REPORT_PREDICATES:
        return False
    if predicate != "about":
        return True
    entry = gaz.entries.get(subject)
    cls = entry.cls if entry else next((m.type for m in mentions if m.ref == subject), "")
    return family(cls, gaz) == ABOUT_SUBJECT_FAMILY


def _label(ref: str, gaz: Gazetteer, mentions: Sequence[Mention]) -> str:
    """The reference label, else (an open-world entity) the text of its first mention."""
    entry = gaz.entries.get(ref)
    return entry.label_zh if entry else next((m.text for m in mentions if m.ref == ref), ref)


def score_report_folder(gold_dir: Path, texts_dir: Path, extract, gaz: Gazetteer,
                        split: str | None = None) -> list[DocumentRelationScore]:
    """Each gold document's text (`texts_dir/<doc>.txt`) extracted by `extract(doc, text,
    path)` and its relations scored against `<doc>.relations.tsv`."""
    scores = []
    for doc, part, entities_path in gold_documents(gold_dir, split):
        text = read_gold_text(texts_dir, doc, entities_path)
        gold_mentions = read_mention_gold(entities_path)
        gold = read_report_relation_gold(gold_dir / f"{doc}.relations.tsv")
        result = extract(doc, text, str(texts_dir / f"{doc}.txt"))
        scored = score_report(result.relations, result.mentions, gold_mentions, gold, gaz)
        total = RelationCounts()
        for counts in scored.by_predicate.values():
            total.add(counts)
        scores.append(DocumentRelationScore(doc, part, len(text), scored.by_predicate, total,
                                            scored.by_rule))
    return scores


def relation_totals(scores: Sequence[DocumentRelationScore]
                    ) -> dict[str, tuple[int, dict[str, RelationCounts], RelationCounts]]:
    """split (and `all`) -> (characters, counts per predicate, counts of all predicates)."""
    out: dict[str, tuple[int, dict[str, RelationCounts], RelationCounts]] = {}
    for s in scores:
        for key in (s.split, "all"):
            chars, by_predicate, total = out.get(key, (0, {}, RelationCounts()))
            for p, counts in s.by_predicate.items():
                by_predicate.setdefault(p, RelationCounts()).add(counts)
            total.add(s.total)
            out[key] = (chars + s.chars, by_predicate, total)
    return out


def rule_totals(scores: Sequence[DocumentRelationScore]) -> dict[str, dict[str, RelationCounts]]:
    """split (and `all`) -> rule -> its counts over the split's documents."""
    out: dict[str, dict[str, RelationCounts]] = {}
    for s in scores:
        for key in (s.split, "all"):
            for rule, counts in s.by_rule.items():
                out.setdefault(key, {}).setdefault(rule, RelationCounts()).add(counts)
    return out
