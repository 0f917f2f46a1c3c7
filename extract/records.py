"""The plain records the pipeline produces. Frozen: pipeline steps return new ones."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Entry:
    """One gazetteer entity: `ref` is `kind/key` (e.g. `province/440000`)."""

    ref: str
    cls: str
    label_zh: str
    label_en: str = ""
    aliases: tuple[str, ...] = ()
    abbr: tuple[str, ...] = ()
    facts: tuple[tuple[str, str], ...] = ()  # (property local name, value) reference facts
    source: str = ""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A possible mention in NORMALISED coordinates, before boundary checks and overlap."""

    start: int
    end: int
    refs: tuple[str, ...]  # gazetteer refs the surface may name; empty for shape candidates
    cls: str  # the class the surface implies (shape type for unlinked names)
    rule: str
    priority: int  # higher wins an overlap of equal length


@dataclass(frozen=True, slots=True)
class Mention:
    """A mention in ORIGINAL coordinates: `text == original[start:end]`."""

    doc: str
    start: int
    end: int
    text: str
    type: str
    ref: str | None  # the gazetteer entity, `kind/key`; None when unlinked
    rule: str
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    title: str | None = None
    authors: tuple[str, ...] = ()
    date: str | None = None  # ISO date or year, as the text states it


@dataclass(frozen=True, slots=True)
class ExtractedDocument:
    doc: str
    path: str
    text: str
    meta: DocumentMeta
    mentions: tuple[Mention, ...]
    sentences: tuple[tuple[int, int], ...] = field(default=())  # original coordinates
    warnings: tuple[str, ...] = ()
