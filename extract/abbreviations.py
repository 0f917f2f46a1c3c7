"""Runs of one-character abbreviations: 浙粤苏琼, 晋冀鲁豫, 川渝, 美欧日韩, 北上广深.

A run names one place per character. It is only believed when it is a word of its own (the
boundary check) and, for two characters, when a place context follows or precedes it (川渝地区,
、川渝): two abbreviation characters side by side are too often an ordinary word (新青, 云贵).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import DataError
from .gazetteer import PATTERNS, Gazetteer, read_tsv

RUN_RULE = "abbrev-run/v1"
COMPOUND_RULE = "city-compound/v1"
NAMED_RUN_RULE = "abbrev-named-run/v1"
DIRECTION_RUN_RULE = "direction-run/v1"
# a compound of provinces' abbreviations read as its provinces, one mention per character
# (港澳同胞, 吉浙对口合作: extract/resolve.py, `split_party_compounds`)
SPLIT_RULE = "abbrev-split/v1"
# a named grouping of provinces (东北三省一区: extract/resolve.py, `province_groups`)
GROUP_RULE = "province-group/v1"
# An overlap of equal length goes to a gazetteer name (3), then a shape name (2), then a run: a
# run is only a guess that characters are abbreviations.
RUN_PRIORITY = 1
# The longest run of abbreviations read as a list of places. The longest in the article and
# the 81 texts of ../shared/corpus-dev has 4 (湘鄂渝黔, 美欧日韩); 8 leaves room, and a longer
# string of these characters is a sentence, not a list.
MAX_RUN = 8


@dataclass(frozen=True, slots=True)
class Run:
    start: int
    end: int
    refs: tuple[str, ...]  # one per character, from `start` on (a suffix may follow them)
    rule: str


@dataclass(frozen=True, slots=True)
class RunRules:
    pattern: re.Pattern[str]
    province: dict[str, str]
    foreign: dict[str, str]
    follow: tuple[str, ...]
    precede: tuple[str, ...]
    named: dict[str, tuple[str, ...]]
    directions: tuple[tuple[re.Pattern[str], dict[str, str]], ...]
    # province ref -> character -> the cities and counties it may abbreviate, best first
    local: dict[str, dict[str, tuple[str, ...]]]
    known: frozenset[str]  # every gazetteer name: a compound holds none (武汉襄阳 is a list)


@lru_cache(maxsize=2)
def run_contexts(patterns: Path = PATTERNS) -> tuple[str, ...]:
    """The words after a run that make it a list of places (abbreviation_runs.tsv, `follow`)."""
    return tuple(r[1] for r in read_tsv(patterns / "abbreviation_runs.tsv") if r[0] == "follow")


def load_rules(gaz: Gazetteer, patterns: Path = PATTERNS) -> RunRules:
    chars = "".join(sorted(set(gaz.province_abbr) | set(gaz.foreign_abbr)))
    contexts = list(read_tsv(patterns / "abbreviation_runs.tsv"))
    named = {row[0]: tuple(row[1].split(";")) for row in read_tsv(patterns / "named_runs.tsv")}
    for run, refs in named.items():
        unknown = [r for r in refs if r not in gaz.entries]
        if len(refs) != len(run) or unknown:
            raise DataError(f"named_runs.tsv: {run} has a bad ref list {refs}")
    directions = []
    for suffix, mapping in read_tsv(patterns / "direction_runs.tsv"):
        regions = dict(pair.split("=", 1) for pair in mapping.split(";"))
        for ref in regions.values():
            if ref not in gaz.entries:
                raise DataError(f"direction_runs.tsv: unknown ref {ref}")
        allowed = re.escape("".join(regions))
        directions.append((re.compile(f"([{allowed}]{{2,{len(regions)}}}){re.escape(suffix)}"),
                           regions))
    return RunRules(
        pattern=(re.compile(f"[{re.escape(chars)}]{{2,{MAX_RUN}}}") if chars
                 else re.compile("(?!)")),
        province=dict(gaz.province_abbr),
        foreign=dict(gaz.foreign_abbr),
        follow=tuple(sorted((r[1] for r in contexts if r[0] == "follow"), key=len, reverse=True)),
        precede=tuple(r[1] for r in contexts if r[0] == "precede"),
        named=named,
        directions=tuple(directions),
        local=_local_abbreviations(gaz),
        known=frozenset(s for s in gaz.surfaces if len(s) >= 2),
    )


# The tiers of what one character of a compound of cities abbreviates, best first: a city
# whose short name begins with it (鄂 → 鄂州), a city whose two-character short name ends with
# it (汉 → 武汉), a county whose short name begins with it (万 → 万州).
def _local_abbreviations(gaz: Gazetteer) -> dict[str, dict[str, tuple[str, ...]]]:
    tiers: dict[str, dict[str, list[list[str]]]] = {}
    for ref, entry in gaz.entries.items():
        if entry.cls not in ("City", "County"):
            continue
        province = next((v for p, v in entry.facts if p == "partOf"), "")
        if province.startswith("city/"):
            province = next((v for p, v in gaz.entries[province].facts if p == "partOf"), "")
        short = min((entry.label_zh, *entry.aliases), key=len)
        by_char = tiers.setdefault(province, {})
        first = 0 if entry.cls == "City" else 2
        by_char.setdefault(short[0], [[], [], []])[first].append(ref)
        if entry.cls == "City" and len(short) == 2:
            by_char.setdefault(short[1], [[], [], []])[1].append(ref)
    return {p: {ch: tuple(r for tier in t for r in sorted(tier)) for ch, t in chars.items()}
            for p, chars in tiers.items()}


def _refs_of(run: str, rules: RunRules) -> tuple[str, ...] | None:
    """All province abbreviations, or all foreign ones; a run mixing the two is no run."""
    if all(c in rules.province for c in run):
        return tuple(rules.province[c] for c in run)
    if all(c in rules.foreign for c in run):
        return tuple(rules.foreign[c] for c in run)
    return None


def _has_context(text: str, start: int, end: int, rules: RunRules) -> bool:
    return _follow_pattern(rules.follow).match(text, end) is not None or (
        start > 0 and text[start - 1] in rules.precede)


@lru_cache(maxsize=8)
def _follow_pattern(follow: tuple[str, ...]) -> re.Pattern[str]:
    """One match instead of a startswith per context word: the compound rule asks at every
    position of the text."""
    return re.compile("|".join(map(re.escape, sorted(follow, key=len, reverse=True))) or "(?!)")


# The longest word read after a run to see whether the run's last character qualifies it
# (新时代: 新 is "new" before the noun 时代); 4 characters hold the nouns of policy prose.
NEXT_WORD_MAX = 4
ADJECTIVE_TAG = "a"  # jieba's tag of an adjective (新, 贵, 黑, 白, 老)


def _trim_adjective_end(text: str, start: int, end: int,
                        word_tag: Callable[[str], str | None]) -> int:
    """A run's last character that is an adjective before a noun (川渝新时代: 新 before 时代)
    qualifies the noun; it is no abbreviation of the run."""
    if end - start <= 2 or word_tag(text[end - 1]) != ADJECTIVE_TAG:
        return end
    nouns = [text[end:end + n] for n in range(2, NEXT_WORD_MAX + 1) if end + n <= len(text)]
    if any((word_tag(w) or "").startswith("n") or word_tag(w) == "vn" for w in nouns):
        return end - 1
    return end


def find_runs(text: str, rules: RunRules, base: int = 0,
              word_tag: Callable[[str], str | None] = lambda w: None) -> Iterable[Run]:
    """The runs of `text`; `word_tag` gives a word's part-of-speech tag in the dictionary
    (jieba's; None when it is no word), to end a run before an adjective that is no
    abbreviation."""
    for name, refs in rules.named.items():
        pos = text.find(name)
        while pos >= 0:
            yield Run(base + pos, base + pos + len(name), refs, NAMED_RUN_RULE)
            pos = text.find(name, pos + 1)
    for pattern, chars in rules.directions:
        for m in pattern.finditer(text):
            refs = tuple(chars[c] for c in m.group(1))
            if len(set(refs)) == len(refs):
                yield Run(base + m.start(), base + m.end(), refs, DIRECTION_RUN_RULE)
    for m in rules.pattern.finditer(text):
        for start, end in _homogeneous(m.start(), m.end(), text, rules):
            # a run found long and cut before its adjective (川渝|新时代) was a run by its length
            trimmed = _trim_adjective_end(text, start, end, word_tag)
            refs = _refs_of(text[start:trimmed], rules)
            if refs is None or len(set(refs)) != len(refs):
                continue
            if len(refs) == 2 and trimmed == end and not _has_context(text, start, end, rules):
                continue
            yield Run(base + start, base + trimmed, refs, RUN_RULE)


def _homogeneous(start: int, end: int, text: str, rules: RunRules) -> list[tuple[int, int]]:
    """A match split where it turns from provinces' abbreviations to foreign ones: 鄂湘赣中三角
    holds the run 鄂湘赣 (中 abbreviates China)."""
    if _refs_of(text[start:end], rules) is not None:
        return [(start, end)]
    spans = []
    a = start
    for i in range(start + 1, end + 1):
        if i == end or (text[i] in rules.province) != (text[a] in rules.province):
            if i - a >= 2:
                spans.append((a, i))
            a = i
    return spans


MIN_COMPOUND, MAX_COMPOUND = 3, 5  # characters of a compound of cities (宜荆荆, 汉孝随襄十)
# A compound of four or more characters that resolves in one province is believed without
# context (绥哈大齐生物制造集群) where it begins a clause or a list item (after 和, 、); a shorter
# one needs a context word after it or quotes around it.
BARE_COMPOUND = 4
ITEM_GLUE = frozenset("、和与及")
_CJK_RUN = re.compile("[\u4e00-\u9fff]{%d,}" % MIN_COMPOUND)  # noqa: UP031


def resolve_compound(chars: str, rules: RunRules,
                     cities_only: bool = False) -> tuple[str, ...] | None:
    """The cities (or counties) a compound names, one per character, all in one province: the
    best-tier reading in exactly one province, else None (no reading, or two provinces read it
    equally well)."""
    readings = []
    for province, by_char in rules.local.items():
        members: list[str] = []
        cost = 0
        for ch in chars:
            options = [r for r in by_char.get(ch, ()) if r not in members
                       and (not cities_only or r.startswith("city/"))]
            if not options:
                break
            members.append(options[0])
            cost += list(by_char[ch]).index(options[0])
        else:
            readings.append((cost, province, tuple(members)))
    if not readings:
        return None
    readings.sort()
    if len(readings) > 1 and readings[1][0] == readings[0][0]:
        return None
    return readings[0][2]


def find_city_compounds(text: str, rules: RunRules, quoted: Callable[[int, int], bool],
                        is_word: Callable[[str], bool], base: int = 0,
                        closes: Callable[[int], bool] = lambda end: True) -> Iterable[Run]:
    """宜荆荆, 汉孝随襄十, 绥哈大齐: one character per city of one province. Believed when it is
    quoted or followed by a context word, or when it is long (`BARE_COMPOUND`) and begins after
    punctuation; never when it holds a known name or is a word of the dictionary. `closes(end)`
    says whether a quotation may close at `end` (False spares asking `quoted` there)."""
    usable = {ch for by_char in rules.local.values() for ch in by_char}
    # every position where a context word begins (overlapping ones too: 等地区)
    follow_at = {m.start() for m in re.finditer(f"(?=(?:{_follow_pattern(rules.follow).pattern}))",
                                                text)}
    for m in _CJK_RUN.finditer(text):
        item_starts = [m.start()] + [i + 1 for i in range(m.start(), m.end())
                                     if text[i] in ITEM_GLUE]
        spans = [(s, e) for s in item_starts
                 for e in range(s + BARE_COMPOUND, min(m.end(), s + MAX_COMPOUND) + 1)]
        for end in range(m.start() + MIN_COMPOUND, m.end() + 1):
            context = end in follow_at or (end > 0 and text[end - 1] in rules.precede)
            if context or (closes(end) and any(
                    quoted(end - n, end) for n in range(MIN_COMPOUND, MAX_COMPOUND + 1))):
                spans += [(end - n, end) for n in range(MIN_COMPOUND, MAX_COMPOUND + 1)
                          if end - n >= m.start()]
        found = None
        for start, end in sorted(set(spans), key=lambda se: (se[0] - se[1], se[0])):
            if found is not None and start < found[1] and found[0] < end:
                continue
            if not usable.issuperset(text[start:end]):  # a character that abbreviates no city
                continue
            refs = _compound(text, start, end, rules, quoted, is_word)
            if refs is not None:
                found = (start, end)
                yield Run(base + start, base + end, refs, COMPOUND_RULE)


def _compound(text: str, start: int, end: int, rules: RunRules,
              quoted: Callable[[int, int], bool], is_word: Callable[[str], bool]
              ) -> tuple[str, ...] | None:
    chars = text[start:end]
    context = quoted(start, end) or _has_context(text, start, end, rules)
    if not context and len(chars) < BARE_COMPOUND:
        return None
    parts = [chars[i:j] for i in range(len(chars)) for j in range(i + 2, len(chars) + 1)]
    # 武汉襄阳 is a list of names, 五大安全 words
    if any(p in rules.known or is_word(p) for p in parts):
        return None
    return resolve_compound(chars, rules, cities_only=not context)
