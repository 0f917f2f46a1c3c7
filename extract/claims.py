"""Quantitative claims in running text: "2020—2023年，东部地区与中部地区、西部地区GDP绝对差距分别
扩大78680.3亿元、70299.9亿元" states two numbers about pairs of regions over a period.

`find_claims(text, mentions, sentences)` reads each sentence clause by clause (clauses end at
，；: and at a full stop), on a view of the text without whitespace (the PDF puts spaces inside
numbers and words and breaks lines mid-sentence) whose characters keep their ORIGINAL offsets.
A clause yields claims when it has, in this order:

- a list of regions (linked mentions joined by 、和与及), or a pair "A与B、C" (the first region
  compared with the others) when it measures a gap (差距) or a ratio (比值); a clause without
  regions continues the previous clause's (…，但仍占全国的8.5%以上);
- an indicator phrase up to the first structure word; a clause without one takes the
  sentence's first (its topic: 货物进口总额分别增长…，中部地区…分别降低…);
- a verb with its sign (扩大/增长 +, 缩小/下降 −) or a level word (为, 占);
- numbers with units, spread over the regions in order (分别), or one for all (均), and after a
  change the level reached (…下降0.08个百分点至65.4%); or a from-to pair (从A上升至B).

The period of a change is the nearest "2020—2023年" before it in the sentence or, failing
that, in the preceding sentence; a level takes the nearest single year, else the period's end.
All words are data: `patterns/claim_words.tsv`, `claim_units.tsv`, `claim_indicators.tsv`.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from .gazetteer import read_tsv
from .normalize import translate_chars
from .records import Mention

__all__ = ["CHANGE_KINDS", "LEVEL_KINDS", "NumericClaim", "Rules", "find_claims", "load_rules"]

RULE = "claims/v1"
PATTERNS = Path(__file__).resolve().parent / "patterns"

# kind of a level (a value at one year) and of its change over a period
LEVEL_KINDS = {"plain": "value", "gap": "gap", "ratio": "ratio", "share": "share"}
CHANGE_KINDS = {"plain": "change", "gap": "gap_change", "ratio": "ratio_change",
                "share": "share_change"}
PERCENT, POINTS = "%", "百分点"
# the confidence of a claim whose regions, pair subject or indicator come from an earlier
# clause of its sentence rather than its own words
INFERRED = 0.8


@dataclass(frozen=True, slots=True)
class NumericClaim:
    """One number the text states. `start`/`end` are ORIGINAL offsets of the evidence (the
    clause up to the number and its unit), `quote == text[start:end]`. `value` is signed by the
    verb (缩小 0.044 -> -0.044); `compared` is the second region of a gap or ratio."""

    start: int
    end: int
    quote: str
    kind: str  # value change gap gap_change ratio ratio_change share share_change
    region: str | None
    compared: str | None
    indicator_text: str | None  # as the text states it
    indicator: str | None  # the table indicator it maps to
    start_year: int | None  # changes only
    end_year: int | None  # the year of a level, the end of a change's period
    value: Decimal
    unit: str | None
    qualifier: str | None = None  # at_least, at_most, about (以上, 近, 左右)
    rule: str = RULE
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class Rules:
    words: dict[str, frozenset[str]]  # role -> words
    qualifiers: dict[str, tuple[str, str]]  # word -> (before|after, qualifier)
    units: dict[str, tuple[str, Decimal]]  # unit -> (base, scale)
    indicators: dict[str, str]  # text phrase -> table indicator
    region_kinds: frozenset[str]

    def has(self, role: str, word: str) -> bool:
        return word in self.words.get(role, ())


@lru_cache(maxsize=4)
def load_rules(patterns: Path = PATTERNS) -> Rules:
    words: dict[str, set[str]] = {}
    qualifiers: dict[str, tuple[str, str]] = {}
    kinds: set[str] = set()
    for row in read_tsv(patterns / "claim_words.tsv"):
        word, role = row[0], row[1]
        if role in ("before", "after"):
            qualifiers[word] = (role, row[2])
        elif role == "region_kind":
            kinds.add(word)
        else:
            words.setdefault(role, set()).add(word)
    units = {u: (base, Decimal(scale)) for u, base, scale in read_tsv(patterns / "claim_units.tsv")}
    indicators = {phrase: table for table, phrases in read_tsv(patterns / "claim_indicators.tsv")
                  for phrase in phrases.split(";")}
    return Rules({k: frozenset(v) for k, v in words.items()}, qualifiers, units, indicators,
                 frozenset(kinds))


# ---------------------------------------------------------------------------------------------
# the whitespace-free view of a sentence

@dataclass(frozen=True, slots=True)
class _View:
    s: str  # normalised characters, whitespace dropped
    orig: tuple[int, ...]  # original offset of each character

    def span(self, i: int, j: int) -> tuple[int, int]:
        return self.orig[i], self.orig[j - 1] + 1


def _view(text: str, start: int, end: int) -> _View:
    chars, orig = [], []
    for i in range(start, end):
        ch = text[i]
        if ch.isspace():
            continue
        chars.append(translate_chars(ch))
        orig.append(i)
    return _View("".join(chars), tuple(orig))


RANGE_RE = re.compile(r"((?:19|20)\d\d)年?[—一~〜至到]((?:19|20)\d\d)年")
YEAR_RE = re.compile(r"((?:19|20)\d\d)年")
# a dash (normalised to —) before a number is a minus sign unless it joins two numbers
NUMBER_RE = re.compile(r"(?:(?<![\d.])—)?(?<![\d.A-Za-z/])\d+(?:\.\d+)?(?![\d/])")
CLAUSE_END_RE = re.compile(r"[,;:?!。，；：]|\.(?!\d)")
TITLE_RE = re.compile(r"《[^》]*》|[表图]\d+")


@dataclass(frozen=True, slots=True)
class _Num:
    i: int  # view indices of the number with its unit and qualifiers
    j: int
    value: Decimal
    unit: str | None
    qualifier: str | None


@dataclass(frozen=True, slots=True)
class _Time:
    i: int
    start: int | None  # a period (start, end) or a single year (None, end)
    end: int


def _times(s: str) -> list[_Time]:
    out = [_Time(m.start(), int(m.group(1)), int(m.group(2))) for m in RANGE_RE.finditer(s)]
    taken = [(m.start(), m.end()) for m in RANGE_RE.finditer(s)]
    for m in YEAR_RE.finditer(s):
        if not any(a <= m.start() < b for a, b in taken):
            out.append(_Time(m.start(), None, int(m.group(1))))
    return sorted(out, key=lambda t: t.i)


def _masked(s: str) -> list[tuple[int, int]]:
    """Spans whose digits are not stated values: years, titles of works."""
    spans = [(m.start(), m.end()) for m in RANGE_RE.finditer(s)]
    spans += [(m.start(), m.end()) for m in YEAR_RE.finditer(s)]
    spans += [(m.start(), m.end()) for m in TITLE_RE.finditer(s)]
    return spans


def _longest(s: str, i: int, words: Iterable[str]) -> str | None:
    best = None
    for w in words:
        if s.startswith(w, i) and (best is None or len(w) > len(best)):
            best = w
    return best


def _numbers(s: str, rules: Rules) -> list[_Num]:
    masked = _masked(s)
    before = [w for w, (pos, _) in rules.qualifiers.items() if pos == "before"]
    after = [w for w, (pos, _) in rules.qualifiers.items() if pos == "after"]
    out = []
    for m in NUMBER_RE.finditer(s):
        if any(a <= m.start() < b for a, b in masked):
            continue
        i, j = m.start(), m.end()
        unit = _longest(s, j, rules.units)
        if unit is None and j < len(s) and s[j] in "万亿":
            unit = s[j]  # a scale alone: takes the list's last unit (2448.5万和3054.78万户)
        if unit:
            j += len(unit)
        qualifier = None
        q = _longest(s, j, after)
        if q:
            qualifier, j = rules.qualifiers[q][1], j + len(q)
        else:
            for w in before:
                if s.endswith(w, 0, i):
                    qualifier, i = rules.qualifiers[w][1], i - len(w)
                    break
        out.append(_Num(i, j, Decimal(m.group().replace("—", "-")), unit, qualifier))
    return out


def _word_at(s: str, i: int, rules: Rules, roles: Sequence[str]) -> str | None:
    return _longest(s, i, {w for r in roles for w in rules.words.get(r, ())})


def _find(s: str, rules: Rules, roles: Sequence[str], lo: int = 0, hi: int | None = None
          ) -> list[tuple[int, str]]:
    """Occurrences (position, word) of the words of `roles` in s[lo:hi], longest first."""
    hi = len(s) if hi is None else hi
    out, i = [], lo
    while i < hi:
        w = _word_at(s, i, rules, roles)
        if w and i + len(w) <= hi:
            out.append((i, w))
            i += len(w)
        else:
            i += 1
    return out


# ---------------------------------------------------------------------------------------------
# clauses

@dataclass
class _Context:
    regions: list[str]
    subject: str | None  # the first region of the last pair
    topic: str | None  # the sentence's first indicator phrase
    time: _Time | None


def _spread_units(nums: list[_Num]) -> list[_Num]:
    """0.1个和0.27个百分点: an item whose unit is missing or a prefix of the last item's takes
    the last item's unit."""
    if not nums:
        return nums
    last = nums[-1].unit
    return [n if (n.unit == last or not last or (n.unit and not last.startswith(n.unit)))
            else _Num(n.i, n.j, n.value, last, n.qualifier) for n in nums]


def _assign(targets: list[str], nums: list[_Num], all_same: bool) -> list[tuple[str, _Num]]:
    if len(nums) == len(targets):
        return list(zip(targets, nums, strict=True))
    if all_same and len(nums) == 1:
        return [(t, nums[0]) for t in targets]
    return []


def _measure(rest: str, rules: Rules) -> str:
    found = {role for role in ("ratio", "gap", "share") if _find(rest, rules, (role,))}
    for role in ("ratio", "gap", "share"):
        if role in found:
            return role
    return "plain"


STRUCTURE = ("up", "down", "level", "to", "from", "gap", "ratio", "share", "each", "all", "stop")


def _clause(v: _View, text: str, ci: int, cj: int, regions: list[tuple[int, int, str]],
            nums: list[_Num], times: list[_Time], ctx: _Context, rules: Rules
            ) -> list[NumericClaim]:
    s = v.s
    first_num = nums[0].i if nums else cj
    mine = [r for r in regions if ci <= r[0] and r[1] <= first_num]
    # the list of regions: consecutive mentions joined by separators
    lst: list[tuple[int, int, str]] = []
    gaps: list[str] = []
    for r in mine:
        if lst:
            gap = s[lst[-1][1]:r[0]]
            if gap and gap not in rules.words.get("sep", ()):
                break
            gaps.append(gap)
        lst.append(r)
    head = s[ci:lst[0][0]] if lst else ""
    body_start = lst[-1][1] if lst else ci
    for t in times:  # a time inside the clause's head applies to the clause
        if ci <= t.i < (lst[0][0] if lst else first_num):
            ctx.time = t
    rest = s[body_start:first_num]
    phrase = _phrase(rest, rules)
    if lst:
        # only a quantitative clause (numbers, or a gap, ratio or share word) hands its regions
        # on to the next clause: 东部地区比重虽有所下降，但仍占全国的8.5%以上
        quantitative = bool(nums) or _measure(rest, rules) != "plain"
        ctx.regions = [r[2] for r in lst] if quantitative else []
        if ctx.topic is None and phrase:
            ctx.topic = phrase
    if not nums:
        return []
    # where the words after the indicator phrase begin (人均GDP's 均 is not 均 "all")
    own = rest.find(phrase) + len(phrase) if phrase and phrase in rest else 0
    inferred = phrase is None  # the indicator or the regions come from an earlier clause
    if phrase is None:
        phrase = ctx.topic
    measure = _measure(rest, rules)
    subject: str | None = None
    targets = [r[2] for r in lst]
    if measure in ("gap", "ratio"):
        if len(lst) >= 2 and gaps and rules.has("pair", gaps[0]):
            subject, targets = targets[0], targets[1:]
        elif lst and head.endswith(tuple(rules.words.get("pair", ()))) and ctx.subject:
            subject = ctx.subject  # …，与东北地区比值差距上升0.041
            inferred = True
        if subject is None:
            return []
        ctx.subject = subject
    if not targets:
        targets, inferred = list(ctx.regions), True
    if not targets:
        return []
    verbs = _find(rest, rules, ("up", "down", "level"))
    from_words = _find(rest, rules, ("from",))
    all_same = bool(_find(rest, rules, ("all",), own))
    base = dict(subject=subject, phrase=phrase, ci=ci, v=v, text=text, rules=rules,
                confidence=INFERRED if inferred else 1.0)
    if from_words:
        return _from_to(nums, times, targets, measure, ctx, all_same, s, cj, base)
    to_at = next((i for i, w in _find(s, rules, ("to",), first_num, cj)), None)
    values = [n for n in nums if to_at is None or n.i < to_at]
    reached = [n for n in nums if to_at is not None and n.i > to_at]
    verb = verbs[-1][1] if verbs else None
    out: list[NumericClaim] = []
    period = ctx.time if ctx.time and ctx.time.start is not None else None
    if verb and (rules.has("up", verb) or rules.has("down", verb)) \
            and not s.startswith(tuple(rules.words.get("to", ())), body_start + verbs[-1][0]
                                 + len(verb)):
        sign = 1 if rules.has("up", verb) else -1
        values = _spread_units(values)
        kind = _change_kind(measure, values)
        if kind is None:
            return []
        years = (period.start, period.end) if period else (None, None)
        for region, n in _assign(targets, values, all_same):
            out.append(_make(kind, region, n, sign, years, **base))
        reached = _spread_units(reached)
        level = "share" if kind == "share_change" else LEVEL_KINDS[measure]
        for region, n in _assign(targets, reached, all_same):
            if level != "share" or n.unit == PERCENT:
                out.append(_make(level, region, n, 1, (None, years[1]), **base))
        return out
    if verb is None and measure != "share":
        return []
    values = _spread_units(nums)
    kind = LEVEL_KINDS[measure] if not (measure == "plain" and values[-1].unit == PERCENT) \
        else "share"
    if kind == "share" and any(n.unit != PERCENT for n in values):
        return []
    year = ctx.time.end if ctx.time else None
    for region, n in _assign(targets, values, all_same):
        out.append(_make(kind, region, n, 1, (None, year), **base))
    return out


def _phrase(rest: str, rules: Rules) -> str | None:
    """The indicator phrase that opens `rest`: a known phrase (人均GDP, whose 均 is no
    structure word), else the text up to the first structure word, without times and 的."""
    rest = YEAR_RE.sub("", RANGE_RE.sub("", rest)).lstrip("的")
    known = _longest(rest, 0, rules.indicators)
    if known:
        return known
    stops = _find(rest, rules, STRUCTURE)
    return (rest[:stops[0][0]] if stops else rest).strip("的") or None


def _change_kind(measure: str, values: list[_Num]) -> str | None:
    unit = values[-1].unit if values else None
    if unit == PERCENT:
        return None  # a growth rate, or points written as %: not a difference of levels
    if unit in ("个百分点", POINTS):
        return "share_change" if measure in ("share", "plain") else None
    if measure == "share":
        return None
    return CHANGE_KINDS[measure]


def _from_to(nums, times, targets, measure, ctx, all_same, s, cj, base) -> list[NumericClaim]:
    rules: Rules = base["rules"]
    to_at = next((i for i, w in _find(s, rules, ("to", "level"), nums[0].j, cj)), None)
    if to_at is None:
        return []
    before = _spread_units([n for n in nums if n.i < to_at])
    after = _spread_units([n for n in nums if n.i > to_at])
    period = ctx.time if ctx.time and ctx.time.start is not None else None
    y_from = next((t.end for t in times if nums[0].i - 6 <= t.i < nums[0].i), None)
    y_to = next((t.end for t in times if to_at < t.i < after[0].i), None) if after else None
    y_from = y_from or (period.start if period else None)
    y_to = y_to or (period.end if period else None)
    out = []
    for group, year in ((before, y_from), (after, y_to)):
        if not group:
            continue
        kind = "share" if group[-1].unit == PERCENT else LEVEL_KINDS[measure]
        if kind == "share" and measure not in ("share", "plain"):
            continue
        for region, n in _assign(targets, group, all_same):
            out.append(_make(kind, region, n, 1, (None, year), **base))
    return out


def _make(kind: str, region: str, n: _Num, sign: int, years: tuple[int | None, int | None], *,
          subject: str | None, phrase: str | None, ci: int, v: _View, text: str,
          rules: Rules, confidence: float) -> NumericClaim:
    start, end = v.span(ci, n.j)
    first, compared = (subject, region) if subject else (region, None)
    unit = n.unit if n.unit in rules.units else None
    indicator = rules.indicators.get(phrase) if phrase else None
    return NumericClaim(start, end, text[start:end], kind, first, compared, phrase, indicator,
                        years[0] if kind in CHANGE_KINDS.values() else None, years[1],
                        n.value * sign, unit, n.qualifier, RULE, confidence)


def _clauses(s: str) -> list[tuple[int, int]]:
    out, i = [], 0
    for m in CLAUSE_END_RE.finditer(s):
        if m.group() == "," and m.start() > 0 and s[m.start() - 1].isdigit() \
                and re.match(r"\d{3}(?!\d)", s[m.end():]):
            continue  # 12,183: a thousands separator
        out.append((i, m.start()))
        i = m.end()
    out.append((i, len(s)))
    return [(a, b) for a, b in out if b > a]


def find_claims(text: str, mentions: Iterable[Mention], sentences: Iterable[tuple[int, int]],
                rules: Rules | None = None) -> list[NumericClaim]:
    """The numeric claims of `text`, in text order. `mentions` and `sentences` are in ORIGINAL
    offsets (an `ExtractedDocument`'s)."""
    rules = rules or load_rules()
    places = sorted((m for m in mentions
                     if m.ref and m.ref.split("/", 1)[0] in rules.region_kinds),
                    key=lambda m: m.start)
    place_starts = [m.start for m in places]
    out: list[NumericClaim] = []
    previous: _Time | None = None
    for start, end in sorted(sentences):
        v = _view(text, start, end)
        if not any(ch.isdigit() for ch in v.s):
            continue
        where = {o: k for k, o in enumerate(v.orig)}
        # the places that start in the sentence, found by bisection: a scan of all the
        # document's places per sentence grows with the square of the document
        inside = places[bisect_left(place_starts, start):bisect_left(place_starts, end)]
        regions = [(where[m.start], where[m.end - 1] + 1, m.ref) for m in inside
                   if m.end <= end and m.start in where and m.end - 1 in where]
        times = _times(v.s)
        nums = _numbers(v.s, rules)
        ctx = _Context([], None, None, previous)
        for ci, cj in _clauses(v.s):
            mine = [n for n in nums if ci <= n.i and n.j <= cj]
            out += _clause(v, text, ci, cj, regions, mine, times, ctx, rules)
            for t in times:
                if ci <= t.i < cj:
                    ctx.time = t
        if times:
            previous = times[-1]
    out.sort(key=lambda c: (c.start, c.end, c.kind))
    return out
