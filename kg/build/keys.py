"""Readable, stable document keys from what the text says about itself: gwr-2025-yunnan (a
provincial government work report: type-year-place), gwr-national-1954 (the State Council's),
article-2025-shisiwu-shiqi-zhongguo-quyu-xietiao-fazhan (type-year-title words). The templates
are data (extract/patterns/document_types.tsv). A text that states neither its type nor its year
keeps the key of its file name. Keys that clash within a build get the first six hex digits of
their file's SHA-256 (and -2, -3 … for identical files, in path order): the same files give the
same keys on every build."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace

from extract.gazetteer import Gazetteer
from extract.metadata import document_meta, document_types
from extract.normalize import fold_lookalikes
from extract.records import DocumentMeta
from extract.slugs import ascii_slug, title_slug
from kg.inputs.files import SourceText

# An English name's administrative suffix, left out of a place's slug (Tibet Autonomous Region →
# tibet); the key says the place, not its rank.
_RANK = re.compile(r"\s+(?:Autonomous Region|Special Administrative Region|Province|"
                   r"Municipality|City)$")
_TITLE_HEAD = re.compile(r"^\s*(?:(?:19|20)\d{2}\s*年)?")
_TITLE_VERBS = re.compile(r"^(?:关于)?(?:印发|转发|发布)?")


def place_slug(ref: str | None, gaz: Gazetteer) -> str:
    if not ref or ref not in gaz.entries:
        return ""
    entry = gaz.entries[ref]
    return ascii_slug(_RANK.sub("", entry.label_en)) if entry.label_en else ref.split("/")[-1]


def name_readings(gaz: Gazetteer) -> dict[str, str]:
    """The readings the reference data's keys give its names, where a key is the name's Pinyin
    one syllable a character (长三角: city-cluster/chang-san-jiao → changsanjiao): names whose
    first character Pinyin's dictionary reads otherwise (长 as zhang)."""
    out = {}
    for surface, refs in gaz.surfaces.items():
        syllables = refs[0].split("/")[-1].split("-") if len(refs) == 1 else []
        if len(syllables) == len(surface) and all(s.isalpha() for s in syllables):
            out[surface] = "".join(syllables)
    return out


def key_title(meta: DocumentMeta, readings: dict[str, str] | None = None) -> str:
    """The title's words that tell it apart: without its leading year, issuer and 关于印发."""
    title = _TITLE_HEAD.sub("", fold_lookalikes(meta.title or ""))
    if meta.issuer and title.startswith(meta.issuer):
        title = title[len(meta.issuer):]
    return title_slug(_TITLE_VERBS.sub("", title), readings=readings)


def metadata_key(meta: DocumentMeta, gaz: Gazetteer) -> str | None:
    """The key the metadata makes; None when the text states neither a type nor a year."""
    if meta.doc_type == "document" and meta.year is None:
        return None
    doc_type = next(t for t in document_types() if t.key == meta.doc_type)
    template = doc_type.national_key_template if meta.national else doc_type.key_template
    place = place_slug(meta.place, gaz)
    if "{place}" in template and not place:
        template = template.replace("{place}", "{title}")
    title = key_title(meta, name_readings(gaz)) if "{title}" in template else ""
    if "{title}" in template and not title:
        return None
    return template.format(year=meta.year or "undated", place=place, title=title)


def assign_keys(sources: list[SourceText], gaz: Gazetteer) -> list[SourceText]:
    """`sources` under their metadata keys (else their file-name keys), made unique."""
    keys = [metadata_key(document_meta(s.text, gaz), gaz) or s.doc for s in sources]
    groups: dict[str, list[int]] = defaultdict(list)
    for i, key in enumerate(keys):
        groups[key].append(i)
    for key, members in groups.items():
        if len(members) > 1:
            for i in members:
                keys[i] = f"{key}-{sources[i].source_sha256[:6]}"
    repeated: dict[str, list[int]] = defaultdict(list)
    for i, key in enumerate(keys):
        repeated[key].append(i)
    for key, members in repeated.items():
        for n, i in enumerate(sorted(members, key=lambda i: str(sources[i].path))[1:], 2):
            keys[i] = f"{key}-{n}"
    return [replace(s, doc=key) for s, key in zip(sources, keys, strict=True)]
