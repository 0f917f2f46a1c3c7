"""The plain records the pipeline produces. Frozen: pipeline steps return new ones.

`ExtractedDocument` is the one record of everything a document says; the records of its parts
(tables, recommendations, relations, numeric claims) are defined beside the rules that read
them and only named here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the modules of the parts import this one; annotations are strings here
    from .claim_check import Check
    from .claims import NumericClaim
    from .recommendations import Recommendation
    from .relations import Relation
    from .tables import Table


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
    # An open-world name (ref None) may say more of its entity than its text: the places a
    # compound is made of (川渝 → province/510000, province/500000), and the place its own name
    # states (昆明片区 → city/530100).
    members: tuple[str, ...] = ()
    place: str | None = None


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    """What a document's text says about itself (extract/metadata.py)."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    date: str | None = None  # ISO date or year, as the text states it
    doc_type: str = "document"  # a type of patterns/document_types.tsv
    issuer: str | None = None  # the issuing body (发文机关), e.g. 安徽省人民政府, 国务院
    place: str | None = None  # the gazetteer ref of the place the document is of
    national: bool = False  # of the whole country (the State Council, the NPC)
    year: int | None = None
    plan_periods: tuple[str, ...] = ()  # five-year plans, e.g. ("十四五",)
    doc_number: str | None = None  # 文号, e.g. 国发〔2024〕12号
    language: str = "zh-Hans"  # BCP 47: zh-Hans or zh-Hant


@dataclass(frozen=True, slots=True)
class Entities:
    """What the spaCy pass over a document's body finds, in ORIGINAL coordinates."""

    mentions: tuple[Mention, ...]
    sentences: tuple[tuple[int, int], ...]  # (start, end) of each sentence


@dataclass(frozen=True, slots=True)
class CheckedClaim:
    """A numeric claim and its verdict against the document's own statistics tables."""

    claim: NumericClaim
    check: Check


@dataclass(frozen=True, slots=True)
class ExtractedDocument:
    """Everything one document says, read in one pass (`extract.pipeline.Extractor.extract`);
    all offsets are ORIGINAL offsets into `text`. The mentions and sentences come from the
    body (the bibliography is left out); tables and recommendations from the whole text."""

    doc: str  # the document key
    path: str
    text: str
    meta: DocumentMeta
    mentions: tuple[Mention, ...]
    sentences: tuple[tuple[int, int], ...]
    tables: tuple[Table, ...]
    recommendations: tuple[Recommendation, ...]
    relations: tuple[Relation, ...]  # the most confident rule's, in text order
    claims: tuple[CheckedClaim, ...]  # in text order
