"""Sections of lines (revision 2 of the gold, R9): G331吉林段, 大广高速吉安至南康段 and
沿江高铁武汉至宜昌段 are each ONE mention whose entity is the whole line; the places of the
section are read inside the name by the relation rules (connects, in_name), not as mentions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from .gazetteer import PATTERNS, Gazetteer, read_tsv
from .records import Mention

SECTION_RULE = "line-section/v1"
# the classes a section's ends may be (a section between two towns is written too)
_SECTION_ENDS = frozenset({"Province", "City", "County", "Town"})


@lru_cache(maxsize=1)
def _section_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the words that end a section, the words that join its two ends), from relation_words."""
    rows = list(read_tsv(PATTERNS / "relation_words.tsv"))
    return (tuple(f[1] for f in rows if f[0] == "section_word"),
            tuple(f[1] for f in rows if f[0] == "section_joiner"))


def _is_line(m: Mention, gaz: Gazetteer) -> bool:
    return m.type in gaz.class_parent and "Corridor" in gaz.lineage(m.type)


def _is_section_end(m: Mention, gaz: Gazetteer) -> bool:
    return m.type in gaz.class_parent and bool(_SECTION_ENDS & set(gaz.lineage(m.type)))


def _section_after(line: Mention, after: Sequence[Mention], text: str,
                   gaz: Gazetteer) -> tuple[int, int] | None:
    """(the number of place mentions, the end of the section word) when the line is followed,
    with nothing between, by one place or two joined by 至 (and the like) and then 段."""
    enders, joiners = _section_words()
    at, taken = line.end, 0
    for m in after[:2]:
        gap = text[at:m.start]
        if not _is_section_end(m, gaz) or (gap and not (taken == 1 and gap in joiners)):
            break
        at, taken = m.end, taken + 1
    ender = next((w for w in enders if text.startswith(w, at)), None)
    if taken == 0 or ender is None:
        return None
    return taken, at + len(ender)


def line_sections(mentions: Sequence[Mention], text: str, gaz: Gazetteer) -> list[Mention]:
    """The mentions (sorted by start) with each line's section merged into the line's mention:
    its span runs to 段, its entity stays the line's; the section's places are no mentions."""
    out: list[Mention] = []
    i = 0
    while i < len(mentions):
        m = mentions[i]
        section = _section_after(m, mentions[i + 1:], text, gaz) if _is_line(m, gaz) else None
        if section is None:
            out.append(m)
            i += 1
            continue
        taken, end = section
        out.append(replace(m, end=end, text=text[m.start:end], rule=SECTION_RULE))
        i += 1 + taken
    return out
