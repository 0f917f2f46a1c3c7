"""Matching another graph's entities to ours (`kg link`, docs/linking.md): identifiers first
(Wikidata QID, adcode), then names, read the way the gazetteer reads names in a text.

Pure: the other graph's entities come in as `Candidate`s, our entities are the gazetteer's, and
the result is one `Match` per candidate that names something of ours.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import kgdata
from extract.gazetteer import Gazetteer, read_tsv, spellings, written
from extract.linking import choose_ref

IDENTIFIER_KINDS = ("wikidata", "adcode")
_QID = re.compile(r"(?:https?://(?:www\.)?wikidata\.org/(?:entity|wiki)/)?(Q[1-9][0-9]*)")
_ADCODE = re.compile(r"[0-9]{6}")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(slots=True)
class Candidate:
    """An entity of the other graph: its IRI, its names (text, language tag) and identifiers."""

    iri: str
    labels: list[tuple[str, str | None]] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Evidence:
    kind: str  # a row of queries/link/reasons.tsv
    value: str  # the other graph's value that matched
    lang: str | None
    refs: frozenset[str]  # our entities it names


@dataclass(frozen=True, slots=True)
class Match:
    theirs: str
    ours: str  # `kind/key`
    confidence: Decimal
    matched_by: tuple[str, ...]  # evidence kinds naming `ours`, strongest first
    values: tuple[tuple[str, str | None], ...]  # (value, language tag) that named `ours`
    alternatives: tuple[str, ...]  # other refs of ours the evidence names


@lru_cache(maxsize=1)
def reasons(path: Path | None = None) -> dict[str, Decimal]:
    path = path or kgdata.queries_dir() / "link" / "reasons.tsv"
    return {row[0]: Decimal(row[1]) for row in read_tsv(path)}


@dataclass(frozen=True, slots=True)
class Index:
    """Our entities by identifier and by name, from the gazetteer."""

    gaz: Gazetteer
    qids: dict[str, frozenset[str]]
    adcodes: dict[str, frozenset[str]]
    english: dict[str, frozenset[str]]
    abbreviations: dict[str, frozenset[str]]

    @classmethod
    def of(cls, gaz: Gazetteer) -> Index:
        qids, adcodes, english, abbr = (defaultdict(set) for _ in range(4))
        for ref, entry in gaz.entries.items():
            for prop, value in entry.facts:
                if prop == "wikidata":
                    qids[value].add(ref)
                elif prop == "adcode":
                    adcodes[value].add(ref)
            if entry.label_en:
                english[_english(entry.label_en)].add(ref)
            for ch in entry.abbr:
                abbr[ch].add(ref)
        frozen = [{k: frozenset(v) for k, v in d.items()} for d in (qids, adcodes, english, abbr)]
        return cls(gaz, *frozen)


def _english(name: str) -> str:
    """Case, spacing and dash variants aside (China–Laos = china-laos = CHINA — LAOS)."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = re.sub(r"\s*[‐‑‒–—―-]\s*", "-", text)
    return " ".join(text.split())


def evidence(candidate: Candidate, index: Index) -> list[Evidence]:
    out: list[Evidence] = []
    for value in candidate.ids:
        qid = _QID.fullmatch(value)
        if qid and qid.group(1) in index.qids:
            out.append(Evidence("wikidata", qid.group(1), None, index.qids[qid.group(1)]))
        elif _ADCODE.fullmatch(value) and value in index.adcodes:
            out.append(Evidence("adcode", value, None, index.adcodes[value]))
    for text, lang in candidate.labels:
        chinese = (lang or "").lower().startswith("zh") or (not lang and _CJK.search(text))
        out += _chinese(text, lang, index) if chinese else _english_evidence(text, lang, index)
    return out


def _chinese(text: str, lang: str | None, index: Index) -> list[Evidence]:
    """A Chinese name through the gazetteer's own spellings (dash variants, full-width forms,
    no spaces or quotes); the kind says which of our names it equals."""
    gaz = index.gaz
    base = written(text)
    if len(base) == 1:
        refs = index.abbreviations.get(base, frozenset())
        return [Evidence("abbreviation", text, lang, refs)] if refs else []
    by_kind: dict[str, set[str]] = defaultdict(set)
    for form in spellings(text):
        for ref in gaz.surfaces.get(form, ()):
            entry = gaz.entries[ref]
            if base == written(entry.label_zh):
                by_kind["label-zh"].add(ref)
            elif base in {written(a) for a in entry.aliases}:
                by_kind["alias-zh"].add(ref)
            else:
                by_kind["variant-zh"].add(ref)
    return [Evidence(kind, text, lang, frozenset(refs)) for kind, refs in by_kind.items()]


def _english_evidence(text: str, lang: str | None, index: Index) -> list[Evidence]:
    refs = index.english.get(_english(text))
    return [Evidence("label-en", text, lang, refs)] if refs else []


def match(candidate: Candidate, index: Index) -> Match | None:
    """Identifiers outrank names: our entity named by the most identifiers wins, then by the
    most names; a tie is settled as the gazetteer settles an ambiguous name (class preference)
    and lowers the confidence, as does evidence that names another of ours instead."""
    found = evidence(candidate, index)
    if not found:
        return None
    base = reasons()

    def support(ref: str) -> tuple[int, int]:
        named = [e for e in found if ref in e.refs]
        return (sum(e.kind in IDENTIFIER_KINDS for e in named),
                sum(e.kind not in IDENTIFIER_KINDS for e in named))

    refs = sorted({r for e in found for r in e.refs})
    best = max(support(r) for r in refs)
    tied = [r for r in refs if support(r) == best]
    ours, _ = choose_ref(tied, index.gaz)
    named = sorted((e for e in found if ours in e.refs), key=lambda e: -base[e.kind])
    conflicting = {r for e in found if ours not in e.refs for r in e.refs}
    alternatives = tuple(sorted((set(tied) | conflicting) - {ours}))
    _, factor = choose_ref([ours, *alternatives], index.gaz)
    confidence = base[named[0].kind] * min(Decimal(str(factor)), Decimal(1))
    kinds = tuple(dict.fromkeys(e.kind for e in named))
    values = tuple(dict.fromkeys((e.value, e.lang) for e in named))
    return Match(candidate.iri, ours, confidence.quantize(Decimal("0.01")), kinds, values,
                 alternatives)


def match_all(candidates: Iterable[Candidate], index: Index) -> list[Match]:
    found = (match(c, index) for c in candidates)
    return sorted((m for m in found if m is not None), key=lambda m: (m.ours, m.theirs))
