"""`kg documents`: the documents of a built graph, what each says about itself and how much the
graph holds of it. The rows come from `queries/answers/documents.rq`, so `kg documents` and the
catalogue answer alike; the filters (type, years) are applied to its rows."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import kgdata
from extract.metadata import document_types
from kg.errors import InputError

QUERY = "answers/documents.rq"
COUNTS = ("mentions", "relations", "recommendations", "claims")


@dataclass(frozen=True, slots=True)
class DocumentRow:
    doc: str  # the document key
    type: str
    year: int | None
    place: str | None
    issuer: str | None
    title: str
    mentions: int
    relations: int
    recommendations: int
    claims: int

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class DocumentFilter:
    """Which rows to keep: a type (None: all), the first and last year (inclusive)."""

    type: str | None = None
    first_year: int | None = None
    last_year: int | None = None

    def keeps(self, row: DocumentRow) -> bool:
        if self.type is not None and row.type != self.type:
            return False
        if self.first_year is None and self.last_year is None:
            return True
        if row.year is None:
            return False
        return ((self.first_year is None or row.year >= self.first_year)
                and (self.last_year is None or row.year <= self.last_year))


def checked_type(name: str | None) -> str | None:
    """`name` when it is a document type of extract/patterns/document_types.tsv."""
    known = [t.key for t in document_types()]
    if name is not None and name not in known:
        raise InputError(f"--type {name}: not a document type (one of {', '.join(known)})")
    return name


def _int(value) -> int | None:
    return None if value is None else int(str(value))


def documents(store, keep: DocumentFilter = DocumentFilter()) -> list[DocumentRow]:
    """The documents of the graph in `store`, by year then key, those `keep` keeps."""
    query = (kgdata.queries_dir() / QUERY).read_text(encoding="utf-8")
    rows = []
    for doc, kind, year, place, issuer, title, *counts in store.query(query):
        row = DocumentRow(str(doc), str(kind), _int(year),
                          None if place is None else str(place),
                          None if issuer is None else str(issuer), str(title),
                          *(int(str(c)) for c in counts))
        if keep.keeps(row):
            rows.append(row)
    return rows


def render(rows: list[DocumentRow]) -> str:
    """A table: key, type, year, place or issuer, the four counts, the title."""
    width = max([len("document"), *(len(r.doc) for r in rows)])
    head = (f"{'document':<{width}}  {'type':<22}{'year':>5}  "
            + "".join(f"{c:>{len(c) + 1}}" for c in COUNTS) + "  title")
    lines = [head]
    for r in rows:
        counts = "".join(f"{getattr(r, c):>{len(c) + 1}}" for c in COUNTS)
        lines.append(f"{r.doc:<{width}}  {r.type:<22}{r.year or '':>5}  {counts}  {r.title}")
    lines.append(f"{len(rows)} document(s)")
    return "\n".join(lines)
