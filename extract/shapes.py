"""Shape rules: names the gazetteer lacks, recognised as an anchor followed by a type suffix.

昆明都市圈 = a known place + 都市圈; 川藏铁路 = a run of abbreviations + 铁路; 平陆运河 = a jieba
place-name token + 运河; 南宁至深圳高铁 = place 至 place + 高铁. The suffixes, their classes and the
anchors each one accepts are data (`patterns/shapes.tsv`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .abbreviations import MAX_RUN
from .gazetteer import PATTERNS
from .normalize import is_cjk
from .records import Candidate

SHAPE_PRIORITY = 2  # an overlap of equal length: below a gazetteer name, above a run
# The text before a suffix read for a jieba place-name word as its anchor: 6 characters hold 98 %
# of the 17,700 place names (tag ns) of jieba's dictionary; the longer ones are full official
# names, not the short names a shape is built on.
PLACE_WORD_MAX = 6
# A platform or cluster takes its name from a province, a city or a cluster (赣州都市圈,
# 京津冀科技创新走廊); a country name before a platform word is generic (中国综合性国家科学中心).
ANCHOR_CLASSES = frozenset({"Province", "City", "CityCluster", "StrategicRegion"})
CONNECTORS = ("至", "—", "一")

# length of the place-name word (by jieba's dictionary tags) that ends a string, or 0
PlaceWord = Callable[[str], int]
# a full name -> (entity refs, class) when the gazetteer knows it
Lookup = Callable[[str], tuple[tuple[str, ...], str] | None]
ELLIPSIS_RULE = "ellipsis/v1"


@dataclass(frozen=True, slots=True)
class ShapeRule:
    suffix: str
    cls: str
    anchors: frozenset[str]


@dataclass(frozen=True, slots=True)
class ShapeRules:
    rules: dict[str, ShapeRule]
    pattern: re.Pattern[str]
    lengths: tuple[int, ...]  # of the suffixes, longest first


def load_rules(patterns: Path = PATTERNS) -> ShapeRules:
    rules: dict[str, ShapeRule] = {}
    for line in (patterns / "shapes.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        suffix, cls, anchors = line.split("\t")
        rules[suffix] = ShapeRule(suffix, cls, frozenset(anchors.split(",")))
    alternatives = "|".join(re.escape(s) for s in sorted(rules, key=len, reverse=True))
    lengths = tuple(sorted({len(s) for s in rules}, reverse=True))
    return ShapeRules(rules, re.compile(alternatives), lengths)


def shape_candidates(text: str, found: Sequence[Candidate], run_pattern: re.Pattern[str],
                     rules: ShapeRules, place_word: PlaceWord,
                     base: int = 0) -> Iterable[Candidate]:
    """Shape candidates in `text` (a chunk starting at `base`), anchored on `found` candidates."""
    places_ending: dict[int, list[Candidate]] = {}
    names_ending: set[int] = set()
    for c in found:
        names_ending.add(c.end - base)
        if c.cls in ANCHOR_CLASSES:
            places_ending.setdefault(c.end - base, []).append(c)
    for m in rules.pattern.finditer(text):
        rule = rules.rules[m.group()]
        start = _anchor_start(text, m.start(), rule, places_ending, names_ending, run_pattern,
                              place_word, base)
        if start is not None and start < m.start():
            yield Candidate(base + start, base + m.end(), (), rule.cls,
                            f"shape/{rule.suffix}/v1", SHAPE_PRIORITY)


def _anchor_start(text: str, at: int, rule: ShapeRule, places_ending: dict[int, list[Candidate]],
                  names_ending: set[int], run_pattern: re.Pattern[str], place_word: PlaceWord,
                  base: int) -> int | None:
    places = places_ending.get(at, [])
    if "pair" in rule.anchors and places:
        first = min(p.start for p in places) - base
        if first > 0 and text[first - 1] in CONNECTORS:
            before = places_ending.get(first - 1, [])
            if before:
                return min(p.start for p in before) - base
    if "place" in rule.anchors and places:
        return min(p.start for p in places) - base
    cities = [p for p in places if p.cls == "City"]
    if "city" in rule.anchors and cities:
        return min(p.start for p in cities) - base
    if "run" in rule.anchors:
        lo = max(0, at - MAX_RUN)  # no run is longer
        for m in run_pattern.finditer(text, lo, at):
            if m.end() == at:
                return m.start()
    # A jieba place-name token is an anchor only where no known name ends (东北地区 is a region,
    # not the name of a medical centre).
    if ("word" in rule.anchors and at not in names_ending and at > 0
            and is_cjk(text[at - 1])):
        n = place_word(text[max(0, at - PLACE_WORD_MAX):at])
        if n:
            return at - n
    return None


def ellipsis_candidates(text: str, found: Sequence[Candidate], run_pattern: re.Pattern[str],
                        rules: ShapeRules, lookup: Lookup) -> Iterable[Candidate]:
    """Names that share the suffix of the last one in a list: 川藏、新藏、滇藏铁路 names three
    railways; 渝昆、贵南、隆黄铁路 too. Each earlier item is as long as the last one's anchor,
    and is a name only if the gazetteer knows item + suffix or the item is an abbreviation run."""
    for c in found:
        if c.start == 0 or text[c.start - 1] != "、":
            continue
        surface = text[c.start:c.end]
        suffix = next((surface[-n:] for n in rules.lengths
                       if n < len(surface) and surface[-n:] in rules.rules), None)
        if suffix is None:
            continue
        width = len(surface) - len(suffix)
        pos = c.start
        while pos > width and text[pos - 1] == "、":
            item_start = pos - 1 - width
            item = text[item_start:pos - 1]
            known = lookup(item + suffix)
            if known is not None:
                refs, cls = known
            elif run_pattern.fullmatch(item) and not any(ch.isspace() for ch in item):
                refs, cls = (), c.cls
            else:
                break
            yield Candidate(item_start, pos - 1, refs, cls, ELLIPSIS_RULE, SHAPE_PRIORITY)
            pos = item_start
