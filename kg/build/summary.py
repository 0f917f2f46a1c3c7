"""What a build keeps of one document once its result is written: a small summary (its entries
of the build report, its violations), saved beside its cached graph and mention rows, so that
neither this build nor the next one holds or reads the whole record again. This module reads
summaries back with light imports (a build with nothing to redo reads every one);
kg/build/summarize.py makes them from the records.

A build streams: each document's result is saved (`save_document`) as it arrives and dropped;
the build report, mentions.jsonl, the store's N-Quads and graph.trig are then made from these
files, for a new document as for an unchanged one, so both give the same bytes.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from kg.build.manifest import cache_file
from kg.build.violations import Violation


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


def load_summary(out: Path, key: str, text_sha: str) -> DocumentSummary | None:
    """The document's cached summary if it and the files it stands for are there, else None."""
    if not all(cache_file(out, key, text_sha, kind).is_file() for kind in ("graph", "mentions")):
        return None
    try:
        return DocumentSummary.from_json(
            cache_file(out, key, text_sha, "summary").read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError, KeyError):
        return None
