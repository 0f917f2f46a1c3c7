"""Runs of one-character abbreviations: 浙粤苏琼, 晋冀鲁豫, 川渝, 美欧日韩, 北上广深.

A run names one place per character. It is only believed when it is a word of its own (the
boundary check) and, for two characters, when a place context follows or precedes it (川渝地区,
、川渝): two abbreviation characters side by side are too often an ordinary word (新青, 云贵).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import DataError
from .gazetteer import PATTERNS, Gazetteer, read_tsv

RUN_RULE = "abbrev-run/v1"
NAMED_RUN_RULE = "abbrev-named-run/v1"
DIRECTION_RUN_RULE = "direction-run/v1"
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
    )


def _refs_of(run: str, rules: RunRules) -> tuple[str, ...] | None:
    """All province abbreviations, or all foreign ones; a run mixing the two is no run."""
    if all(c in rules.province for c in run):
        return tuple(rules.province[c] for c in run)
    if all(c in rules.foreign for c in run):
        return tuple(rules.foreign[c] for c in run)
    return None


def _has_context(text: str, start: int, end: int, rules: RunRules) -> bool:
    return any(text.startswith(f, end) for f in rules.follow) or (
        start > 0 and text[start - 1] in rules.precede)


def find_runs(text: str, rules: RunRules, base: int = 0) -> Iterable[Run]:
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
        refs = _refs_of(m.group(), rules)
        if refs is None or len(set(refs)) != len(refs):
            continue
        if len(refs) == 2 and not _has_context(text, m.start(), m.end(), rules):
            continue
        yield Run(base + m.start(), base + m.end(), refs, RUN_RULE)
