"""What a build keeps of one document once its result is written: a small summary (its entries
of the build report, its violations), saved beside its cached graph and mention rows, so that
neither this build nor the next one holds or reads the whole record again.

A build streams: each document's result is saved (`save_document`) as it arrives and dropped;
the build report, mentions.jsonl, the store's N-Quads and graph.trig are then made from these
files, for a new document as for an unchanged one, so both give the same bytes.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from extract import gazetteer as gazetteer_module
from extract.claim_check import VERDICTS
from extract.records import ExtractedDocument
from kg.build.manifest import cache_file, save_record
from kg.build.open_world import entity_of, is_open_world
from kg.build.relations import conflict_rows
from kg.build.validate import Violation
from kg.store.atomic import write_atomic, write_text_atomic

if TYPE_CHECKING:  # run.py imports this module
    from kg.build.run import DocumentResult


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """One document's share of the build report and of its validation, as plain JSON values."""

    doc: str
    entry: dict  # report["documents"][doc]
    table_warnings: list[str]
    entities: dict[str, list[str]]  # mention class → the entities its linked mentions name
    mentions_per_class: dict[str, int]
    unlinked: list[dict]  # report["unlinked"] rows of this document
    observations: int
    recommendations: int
    relations: dict[str, int]  # predicate → relations
    conflicts: list[dict]
    claims: int
    claim_verdicts: dict[str, int]
    violations: list[Violation]

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> DocumentSummary:
        data = json.loads(text)
        data["violations"] = [Violation(**v) for v in data["violations"]]
        return cls(**data)


def mention_rows(doc: ExtractedDocument, gaz: gazetteer_module.Gazetteer) -> list[dict]:
    """The document's rows of mentions.jsonl."""
    rows = []
    for m in doc.mentions:
        # the column keeps its name `iri`: it holds the entity's full IRI, a reference
        # entry's or an open-world one's (`open_world` says which)
        known = m.ref is not None or is_open_world(m, gaz)
        rows.append({"doc": m.doc, "start": m.start, "end": m.end, "text": m.text,
                     "type": m.type, "iri": str(entity_of(m, gaz)) if known else None,
                     "open_world": m.ref is None, "rule": m.rule})
    return rows


def summarize(doc: ExtractedDocument, violations: tuple[Violation, ...],
              gaz: gazetteer_module.Gazetteer) -> DocumentSummary:
    """The document's summary, made from its record."""
    linked = [m for m in doc.mentions if m.ref or is_open_world(m, gaz)]
    entities: dict[str, set[str]] = {}
    for m in linked:
        entities.setdefault(m.type, set()).add(str(entity_of(m, gaz)))
    meta = doc.meta
    entry = {"path": doc.path, "title": meta.title, "authors": list(meta.authors),
             "date": meta.date, "type": meta.doc_type, "year": meta.year, "issuer": meta.issuer,
             "plan_periods": list(meta.plan_periods), "document_number": meta.doc_number,
             "language": meta.language, "characters": len(doc.text),
             "sentences": len(doc.sentences), "mentions": len(doc.mentions),
             "entities": len({entity_of(m, gaz) for m in linked})}
    unlinked = [{"doc": m.doc, "start": m.start, "end": m.end, "text": m.text, "type": m.type,
                 "rule": m.rule,
                 "iri": str(entity_of(m, gaz)) if is_open_world(m, gaz) else None}
                for m in doc.mentions if m.ref is None]
    verdicts = Counter(c.check.verdict for c in doc.claims)
    return DocumentSummary(
        doc=doc.doc, entry=entry,
        table_warnings=[f"{doc.path}: {w}" for t in doc.tables for w in t.warnings],
        entities={k: sorted(v) for k, v in entities.items()},
        mentions_per_class=dict(Counter(m.type for m in doc.mentions)),
        unlinked=unlinked,
        observations=sum(len(t.observations) for t in doc.tables),
        recommendations=len(doc.recommendations),
        relations=dict(sorted(Counter(r.predicate for r in doc.relations).items())),
        conflicts=conflict_rows(doc.relations, gaz),
        claims=len(doc.claims),
        claim_verdicts={v: verdicts.get(v, 0) for v in VERDICTS},
        violations=list(violations))


def save_document(out: Path, text_sha: str, result: DocumentResult,
                  gaz: gazetteer_module.Gazetteer) -> DocumentSummary:
    """Caches the result's record, graph, mention rows and summary (returned); the summary
    last, so a build killed before it has the document made again."""
    key = result.record.doc
    save_record(out, key, text_sha, result.record)
    write_text_atomic(cache_file(out, key, text_sha, "graph"), result.ntriples)
    lines = "".join(json.dumps(row, ensure_ascii=False) + "\n"
                    for row in mention_rows(result.record, gaz))
    write_atomic(cache_file(out, key, text_sha, "mentions"),
                 lambda tmp: tmp.write_text(lines, encoding="utf-8", newline="\n"))
    summary = summarize(result.record, result.violations, gaz)
    write_text_atomic(cache_file(out, key, text_sha, "summary"), summary.to_json())
    return summary


def load_summary(out: Path, key: str, text_sha: str) -> DocumentSummary | None:
    """The document's cached summary if it and the files it stands for are there, else None."""
    if not all(cache_file(out, key, text_sha, kind).is_file() for kind in ("graph", "mentions")):
        return None
    try:
        return DocumentSummary.from_json(
            cache_file(out, key, text_sha, "summary").read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError, KeyError):
        return None
