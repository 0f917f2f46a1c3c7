"""What one chunk cannot know: choices made over the whole document's mentions.

The spaCy pass reads a document in chunks of ≈4,000 characters; some names can only be judged
against the whole text:

- **Home provinces.** A provincial report speaks of its own province's counties by their short
  names (钟祥, 麻城). A short name of a county elsewhere is far more often an ordinary word
  (新建 "newly built" is 新建区 of Nanchang). The home provinces are those named in the title
  line, else those that hold at least `HOME_SHARE` of the document's province-level places.
- **Short names of counties** count where the county lies in a home province and the short
  name is not an ordinary word, or where the text itself places them: right after the county's
  own city or province (荆州松滋), or in a list beside a place that counts (赤壁、当阳).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

import jieba.posseg

from .gazetteer import Gazetteer, written
from .records import Mention

HOME_SHARE = 0.4  # of the province-level places of the document (a province, its cities, …)
TITLE_CHARS = 40  # the title line is read for the document's own province
_LIST_GLUE = frozenset("、和与及")
_LOCAL = frozenset({"City", "County", "Town"})


# jieba's tags of proper names: a short name of a county tagged so is a name, not a word.
NAME_TAGS = frozenset({"ns", "nr", "nrt", "nrfg", "nz", "j"})


def ordinary_short_names(gaz: Gazetteer) -> frozenset[str]:
    """Short names of counties that are also ordinary words (合作, 通道, 振兴, 东方, 新建): a
    word of jieba's dictionary tagged as a common word, not as a name."""
    jieba.initialize()
    tags = jieba.posseg.dt.word_tag_tab
    return frozenset(name for entry in gaz.entries.values() if entry.cls == "County"
                     for name in (entry.label_zh, *entry.aliases)
                     if tags.get(name, "ns") not in NAME_TAGS)


def province_of(ref: str, gaz: Gazetteer) -> str | None:
    """The province a place lies in, by its reference facts (a county's city's province)."""
    seen = set()
    while ref in gaz.entries and ref not in seen:
        seen.add(ref)
        entry = gaz.entries[ref]
        if entry.cls == "Province":
            return ref
        parents = [v for p, v in entry.facts if p in ("partOf", "locatedIn")
                   and v.startswith(("province/", "city/", "county/"))]
        if not parents:
            return None
        ref = parents[0]
    return None


def home_provinces(mentions: Sequence[Mention], text: str, gaz: Gazetteer) -> frozenset[str]:
    title_end = text.find("\n")
    title_end = TITLE_CHARS if title_end < 0 else min(title_end, TITLE_CHARS)
    in_title = {m.iri for m in mentions if m.end <= title_end and m.iri
                and gaz.entries[m.iri].cls == "Province"}
    if in_title:
        return frozenset(in_title)
    counts = Counter(p for m in mentions if m.iri for p in [province_of(m.iri, gaz)] if p)
    total = sum(counts.values())
    return frozenset(p for p, n in counts.items() if total and n / total >= HOME_SHARE)


def is_short_name(m: Mention, gaz: Gazetteer, ordinary_words: frozenset[str]) -> bool:
    """A county written by its short name (钟祥 for 钟祥市), or by a full name that is an
    ordinary word (城区, 郊区)."""
    return bool(m.iri) and gaz.entries[m.iri].cls == "County" and (
        written(m.text) != written(gaz.entries[m.iri].label_zh) or m.text in ordinary_words)


def _placed_by_text(i: int, mentions: Sequence[Mention], text: str, gaz: Gazetteer,
                    kept: Sequence[bool]) -> bool:
    """After its own city or province (荆州松滋, 湖北仙桃), or listed beside a kept place."""
    m = mentions[i]
    parents = {v for p, v in gaz.entries[m.iri].facts if p == "partOf"}
    parents |= {province_of(m.iri, gaz)}
    for j in (i - 1, i + 1):
        if not 0 <= j < len(mentions) or not mentions[j].iri or not kept[j]:
            continue
        other = mentions[j]
        gap = text[other.end:m.start] if j < i else text[m.end:other.start]
        if j < i and gap == "" and other.iri in parents:
            return True
        # a list of places of the same level: not a county's short name among clusters
        # (成渝、长江中游、中原、山东半岛 lists clusters)
        if len(gap) == 1 and gap in _LIST_GLUE and gaz.entries[other.iri].cls in _LOCAL:
            return True
    return False


def resolve(mentions: Sequence[Mention], text: str, gaz: Gazetteer,
            ordinary_words: frozenset[str]) -> list[Mention]:
    """The document's mentions with the short names of counties judged (module docstring).
    `ordinary_words` are the short names that are also ordinary words."""
    ordered = sorted(mentions, key=lambda m: m.start)
    home = home_provinces(ordered, text, gaz)
    shorts = [is_short_name(m, gaz, ordinary_words) for m in ordered]
    kept = [not s or (province_of(m.iri, gaz) in home and m.text not in ordinary_words)
            for m, s in zip(ordered, shorts, strict=True)]
    # A list of short names may hang on one placed name: repeat until nothing changes.
    changed = True
    while changed:
        changed = False
        for i, s in enumerate(shorts):
            if s and not kept[i] and _placed_by_text(i, ordered, text, gaz, kept):
                kept[i] = changed = True
    return [replace(m, confidence=min(m.confidence, 0.9)) if s else m
            for m, s, k in zip(ordered, shorts, kept, strict=True) if k]
