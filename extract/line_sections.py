"""Sections of lines (revision 2 of the gold, R9): G331吉林段, 大广高速吉安至南康段 and
沿江高铁武汉至宜昌段 are each ONE mention whose entity is the whole line; the places of the
section are read inside the name by the relation rules (connects, in_name), not as mentions."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from .gazetteer import PATTERNS, Gazetteer, read_tsv, written
from .records import Mention

SECTION_RULE = "line-section/v1"
# the classes a section's ends may be (a section between two towns is written too)
_SECTION_ENDS = frozenset({"Province", "City", "County", "Town"})


# The end of a line's own name in a section's name: its head word or its road code (G331).
_ROAD_CODE = re.compile(r"[GS]\d{1,4}")
# The shortest own name of a line with no head word (万里茶道河南段: 万里茶道).
_MIN_LINE_NAME = 2


@lru_cache(maxsize=1)
def _relation_words() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for fields in read_tsv(PATTERNS / "relation_words.tsv"):
        out.setdefault(fields[0], []).append(fields[1])
    return {role: tuple(ws) for role, ws in out.items()}


def _section_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the words that end a section, the words that join its two ends), from relation_words."""
    words = _relation_words()
    return words["section_word"], words["section_joiner"]


def line_name_end(name: str) -> int | None:
    """Where the line's own name ends in a section's name (G331吉林段: 4, 大广高速吉安至南康段: 4),
    None when the name is no section."""
    if not name.endswith(_section_words()[0]):
        return None
    heads = [name.rfind(w) + len(w) for w in _relation_words()["line_head"] if w in name]
    heads += [c.end() for c in _ROAD_CODE.finditer(name)]
    return max(heads, default=_MIN_LINE_NAME)


def line_own_name(name: str) -> str:
    """The line's own name, without its section (中开高速中山段: 中开高速)."""
    end = line_name_end(name)
    return name if end is None else name[:end]


def entity_name(m: Mention) -> str:
    """The written name of the entity a mention names: a section's is its whole line's (R9:
    G331吉林段 names G331), every other mention's its own text."""
    name = written(m.text)
    return line_own_name(name) if m.rule == SECTION_RULE else name


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
