"""A document's summary made from its record, and its result cached as files (kg/build/summary.py
says what the summary is and reads it back). Apart from summary.py, which a build with nothing
to redo reads without importing rdflib or the extraction."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from extract import gazetteer as gazetteer_module
from extract.claim_check import VERDICTS
from extract.records import ExtractedDocument
from kg.build.manifest import cache_file, save_record
from kg.build.open_world import entity_of, is_open_world
from kg.build.relations import conflict_rows
from kg.build.summary import DocumentSummary
from kg.build.violations import Violation
from kg.store.atomic import write_atomic, write_text_atomic

if TYPE_CHECKING:  # steps.py imports this module
    from kg.build.steps import DocumentResult


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
