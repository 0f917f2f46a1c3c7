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
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from .gazetteer import read_tsv
from .normalize import translate_chars
from .records import Mention

__all__ = ["CHANGE_KINDS", "LEVEL_KINDS", "SUM_KINDS", "ClaimId", "NumericClaim", "Rules",
           "claim_id", "find_claims", "load_rules"]

RULE = "claims/v1"
PATTERNS = Path(__file__).resolve().parent / "patterns"

# kind of a level (a value at one year) and of its change over a period
LEVEL_KINDS = {"plain": "value", "gap": "gap", "ratio": "ratio", "share": "share"}
# a stated whole against its stated parts (extract/claim_sums.py): no region of its own
SUM_KINDS = ("sum_of_parts", "shares_sum")
CHANGE_KINDS = {"plain": "change", "gap": "gap_change", "ratio": "ratio_change",
                "share": "share_change"}
PERCENT, POINTS = "%", "百分点"
# the confidence of a claim whose regions, pair subject or indicator come from an earlier
# clause of its sentence rather than its own words
INFERRED = 0.8


# a claim's identity in its document: evidence start and end, kind, region ref ("" for none)
ClaimId = tuple[int, int, str, str]


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
    # a sum (extract/claim_sums.py): the `claim_id`s of the claims that are its parts; empty
    # for a claim about one region
    parts: tuple[ClaimId, ...] = ()


def claim_id(c: NumericClaim) -> ClaimId:
    """What tells a claim from the others of its document: one span may hold several claims
    (均下降0.2个百分点 is one number for two regions; 下降…至65.4% a change and a level)."""
    return (c.start, c.end, c.kind, c.region or "")


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
    # translate_chars replaces one character by one, so the kept characters are translated in
    # one call, not one call each
    orig = tuple(i for i in range(start, end) if not text[i].isspace())
    return _View(translate_chars("".join([text[i] for i in orig])), orig)


def _has_digit(text: str, start: int, end: int) -> bool:
    """Whether the sentence's view would hold a digit: translate_chars keeps a digit a digit
    and makes none of another character, so the original text is asked, without its view."""
    return any(ch.isdigit() for ch in text[start:end])


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


@dataclass(frozen=True, slots=True)
class _Hit:
    at: int  # view index
    word: str


def _longest_at(s: str, i: int, index: dict[str, tuple[str, ...]]) -> str | None:
    """The longest word of `index` (its words by first character, longest first) at s[i:],
    i < len(s); two words of one length at one place are one."""
    for w in index.get(s[i], ()):
        if s.startswith(w, i):
            return w
    return None


# _find asks for a word at every character of every clause: the words of its roles are
# indexed once by their first character, longest first, not gathered and scanned each time
# (that was a third of a report's extraction). By rules object (kept with its index) and roles.
_WORD_INDEXES: dict[tuple[int, tuple[str, ...]], tuple[Rules, dict[str, tuple[str, ...]]]] = {}


def _words_by_first_character(rules: Rules, roles: tuple[str, ...]
                              ) -> dict[str, tuple[str, ...]]:
    entry = _WORD_INDEXES.get((id(rules), roles))
    if entry is None or entry[0] is not rules:
        index: dict[str, list[str]] = {}
        words = {w for r in roles for w in rules.words.get(r, ()) if w}
        for w in sorted(words, key=len, reverse=True):
            index.setdefault(w[0], []).append(w)
        entry = (rules, {c: tuple(ws) for c, ws in index.items()})
        _WORD_INDEXES[id(rules), roles] = entry
    return entry[1]


def _find(s: str, rules: Rules, roles: Sequence[str], lo: int = 0, hi: int | None = None
          ) -> list[_Hit]:
    """The words of `roles` in s[lo:hi], longest first, in text order."""
    hi = len(s) if hi is None else hi
    index = _words_by_first_character(rules, tuple(roles))  # once, not at each character
    out, i = [], lo
    while i < hi:
        w = _longest_at(s, i, index) if i < len(s) else None
        if w and i + len(w) <= hi:
            out.append(_Hit(i, w))
            i += len(w)
        else:
            i += 1
    return out


# ---------------------------------------------------------------------------------------------
# clauses

@dataclass(frozen=True, slots=True)
class _Region:
    """A linked place mention of the sentence, in view indices."""

    i: int
    j: int
    ref: str


@dataclass(frozen=True, slots=True)
class _Context:
    """What the clauses of a sentence hand on to the next clause."""

    regions: tuple[str, ...] = ()  # the last quantitative clause's regions
    subject: str | None = None  # the first region of the last pair
    topic: str | None = None  # the sentence's first indicator phrase
    time: _Time | None = None  # the latest period or year stated


@dataclass(frozen=True, slots=True)
class _Clause:
    """A clause read up to its first number: [head][list of regions][rest][numbers …]."""

    ci: int  # the clause's span in the view
    cj: int
    nums: tuple[_Num, ...]
    regions: tuple[_Region, ...]  # the list: consecutive mentions joined by separators
    separators: tuple[str, ...]  # between the regions of the list
    head: str  # the words before the list
    body_start: int  # where the words after the list begin
    first_num: int  # where the first number begins (the clause's end when it has none)
    rest: str  # the words from the list to the first number
    phrase: str | None  # the indicator phrase that opens `rest`
    measure: str  # plain, gap, ratio or share
    all_same: bool  # 均 after the phrase: one number for all the regions

    @property
    def refs(self) -> tuple[str, ...]:
        return tuple(r.ref for r in self.regions)


@dataclass(frozen=True, slots=True)
class _Targets:
    """Whom a clause's numbers are about."""

    subject: str | None  # the first region of a gap or ratio
    regions: tuple[str, ...]  # one per number, in order (or all, for 均)
    inferred: bool  # taken from an earlier clause


@dataclass(frozen=True, slots=True)
class _Evidence:
    """What every claim of a clause shares: its evidence starts at the clause."""

    v: _View
    text: str
    ci: int
    subject: str | None
    phrase: str | None
    confidence: float


def _spread_units(nums: Sequence[_Num]) -> list[_Num]:
    """0.1个和0.27个百分点: an item whose unit is missing or a prefix of the last item's takes
    the last item's unit."""
    if not nums:
        return list(nums)
    last = nums[-1].unit
    return [n if (n.unit == last or not last or (n.unit and not last.startswith(n.unit)))
            else replace(n, unit=last) for n in nums]


def _assign(targets: Sequence[str], nums: Sequence[_Num], all_same: bool
            ) -> list[tuple[str, _Num]]:
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


def _region_list(s: str, regions: Iterable[_Region], rules: Rules
                 ) -> tuple[tuple[_Region, ...], tuple[str, ...]]:
    """The first run of regions joined by separators (、和与及 or nothing), with the separators."""
    found: list[_Region] = []
    separators: list[str] = []
    for r in regions:
        if found:
            gap = s[found[-1].j:r.i]
            if gap and gap not in rules.words.get("sep", ()):
                break
            separators.append(gap)
        found.append(r)
    return tuple(found), tuple(separators)


def _read_clause(s: str, ci: int, cj: int, nums: Sequence[_Num], regions: Sequence[_Region],
                 rules: Rules) -> _Clause:
    first_num = nums[0].i if nums else cj
    listed, separators = _region_list(
        s, (r for r in regions if ci <= r.i and r.j <= first_num), rules)
    body_start = listed[-1].j if listed else ci
    rest = s[body_start:first_num]
    phrase = _phrase(rest, rules)
    # where the words after the indicator phrase begin (人均GDP's 均 is not 均 "all")
    own = rest.find(phrase) + len(phrase) if phrase and phrase in rest else 0
    # measure is read only for a clause with regions or numbers, all_same only with numbers:
    # each is a scan of the clause per character, skipped for the many clauses that need neither
    measure = _measure(rest, rules) if listed or nums else "plain"
    all_same = bool(nums) and bool(_find(rest, rules, ("all",), own))
    return _Clause(ci, cj, tuple(nums), listed, separators, s[ci:listed[0].i] if listed else "",
                   body_start, first_num, rest, phrase, measure, all_same)


def _after_head(clause: _Clause, times: Sequence[_Time], ctx: _Context) -> _Context:
    """A time in the clause's head (before its regions, or its numbers) applies to it."""
    head_end = clause.regions[0].i if clause.regions else clause.first_num
    inside = [t for t in times if clause.ci <= t.i < head_end]
    return replace(ctx, time=inside[-1]) if inside else ctx


def _handed_on(clause: _Clause, ctx: _Context) -> _Context:
    """A clause with regions hands them on when it is quantitative (numbers, or a gap, ratio
    or share word: 东部地区比重虽有所下降，但仍占全国的8.5%以上), and its phrase becomes the
    sentence's topic when there is none yet."""
    if not clause.regions:
        return ctx
    quantitative = bool(clause.nums) or clause.measure != "plain"
    topic = ctx.topic if ctx.topic is not None or not clause.phrase else clause.phrase
    return replace(ctx, regions=clause.refs if quantitative else (), topic=topic)


def _targets(clause: _Clause, ctx: _Context, rules: Rules) -> _Targets | None:
    """A gap or ratio compares a subject with the others (A与B、C), or with the subject of an
    earlier pair (…，与东北地区比值差距上升0.041); a clause without regions is about the
    previous clause's. None when the clause names no one its numbers could be about."""
    regions, subject, inferred = clause.refs, None, False
    if clause.measure in ("gap", "ratio"):
        pair = tuple(rules.words.get("pair", ()))
        if len(regions) >= 2 and clause.separators and rules.has("pair", clause.separators[0]):
            subject, regions = regions[0], regions[1:]
        elif regions and clause.head.endswith(pair) and ctx.subject:
            subject, inferred = ctx.subject, True
        if subject is None:
            return None
    if not regions:
        regions, inferred = ctx.regions, True
    return _Targets(subject, regions, inferred) if regions else None


def _clause_claims(clause: _Clause, text: str, v: _View, times: Sequence[_Time], ctx: _Context,
                   rules: Rules) -> tuple[list[NumericClaim], _Context]:
    """The claims of one clause, and the context it hands on."""
    ctx = _handed_on(clause, _after_head(clause, times, ctx))
    if not clause.nums:
        return [], ctx
    targets = _targets(clause, ctx, rules)
    if targets is None:
        return [], ctx
    if targets.subject is not None:
        ctx = replace(ctx, subject=targets.subject)
    evidence = _Evidence(v, text, clause.ci, targets.subject,
                         clause.phrase if clause.phrase is not None else ctx.topic,
                         INFERRED if clause.phrase is None or targets.inferred else 1.0)
    if _find(clause.rest, rules, ("from",)):
        claims = _from_to(clause, times, targets.regions, ctx, evidence, rules)
    else:
        claims = _changes_or_levels(clause, targets.regions, ctx, evidence, rules)
    return claims, ctx


def _changes_or_levels(clause: _Clause, targets: Sequence[str], ctx: _Context,
                       evidence: _Evidence, rules: Rules) -> list[NumericClaim]:
    """A change (扩大 78680.3亿元) with the level it reached (…下降0.08个百分点至65.4%), or
    levels (为, 占 …)."""
    verbs = _find(clause.rest, rules, ("up", "down", "level"))
    verb = verbs[-1] if verbs else None
    after_verb = clause.body_start + verb.at + len(verb.word) if verb else 0
    if verb and (rules.has("up", verb.word) or rules.has("down", verb.word)) \
            and not evidence.v.s.startswith(tuple(rules.words.get("to", ())), after_verb):
        return _changes(clause, targets, ctx, evidence, rules,
                        1 if rules.has("up", verb.word) else -1)
    if verb is None and clause.measure != "share":
        return []
    return _levels(clause, targets, ctx, evidence, rules)


def _changes(clause: _Clause, targets: Sequence[str], ctx: _Context, evidence: _Evidence,
             rules: Rules, sign: int) -> list[NumericClaim]:
    """Changes over the period, and the levels reached at its end (after 至)."""
    to_at = next((hit.at for hit in _find(evidence.v.s, rules, ("to",), clause.first_num,
                                          clause.cj)), None)
    values = _spread_units([n for n in clause.nums if to_at is None or n.i < to_at])
    reached = _spread_units([n for n in clause.nums if to_at is not None and n.i > to_at])
    kind = _change_kind(clause.measure, values)
    if kind is None:
        return []
    period = ctx.time if ctx.time and ctx.time.start is not None else None
    years = (period.start, period.end) if period else (None, None)
    out = [_make(kind, region, n, sign, years, evidence, rules)
           for region, n in _assign(targets, values, clause.all_same)]
    level = "share" if kind == "share_change" else LEVEL_KINDS[clause.measure]
    out += [_make(level, region, n, 1, (None, years[1]), evidence, rules)
            for region, n in _assign(targets, reached, clause.all_same)
            if level != "share" or n.unit == PERCENT]
    return out


def _levels(clause: _Clause, targets: Sequence[str], ctx: _Context, evidence: _Evidence,
            rules: Rules) -> list[NumericClaim]:
    """Values at the year of the clause (the end of a period)."""
    values = _spread_units(clause.nums)
    share = clause.measure == "plain" and values[-1].unit == PERCENT
    kind = "share" if share else LEVEL_KINDS[clause.measure]
    if kind == "share" and any(n.unit != PERCENT for n in values):
        return []
    year = ctx.time.end if ctx.time else None
    return [_make(kind, region, n, 1, (None, year), evidence, rules)
            for region, n in _assign(targets, values, clause.all_same)]


def _phrase(rest: str, rules: Rules) -> str | None:
    """The indicator phrase that opens `rest`: a known phrase (人均GDP, whose 均 is no
    structure word), else the text up to the first structure word, without times and 的."""
    rest = YEAR_RE.sub("", RANGE_RE.sub("", rest)).lstrip("的")
    known = _longest(rest, 0, rules.indicators)
    if known:
        return known
    stops = _find(rest, rules, STRUCTURE)
    return (rest[:stops[0].at] if stops else rest).strip("的") or None


def _change_kind(measure: str, values: Sequence[_Num]) -> str | None:
    unit = values[-1].unit if values else None
    if unit == PERCENT:
        return None  # a growth rate, or points written as %: not a difference of levels
    if unit in ("个百分点", POINTS):
        return "share_change" if measure in ("share", "plain") else None
    if measure == "share":
        return None
    return CHANGE_KINDS[measure]


def _from_to(clause: _Clause, times: Sequence[_Time], targets: Sequence[str], ctx: _Context,
             evidence: _Evidence, rules: Rules) -> list[NumericClaim]:
    """从A上升至B: a level at the start of the period and one at its end."""
    nums = clause.nums
    to_at = next((hit.at for hit in _find(evidence.v.s, rules, ("to", "level"), nums[0].j,
                                          clause.cj)), None)
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
        kind = "share" if group[-1].unit == PERCENT else LEVEL_KINDS[clause.measure]
        if kind == "share" and clause.measure not in ("share", "plain"):
            continue
        out += [_make(kind, region, n, 1, (None, year), evidence, rules)
                for region, n in _assign(targets, group, clause.all_same)]
    return out


def _make(kind: str, region: str, n: _Num, sign: int, years: tuple[int | None, int | None],
          evidence: _Evidence, rules: Rules) -> NumericClaim:
    start, end = evidence.v.span(evidence.ci, n.j)
    first, compared = (evidence.subject, region) if evidence.subject else (region, None)
    unit = n.unit if n.unit in rules.units else None
    indicator = rules.indicators.get(evidence.phrase) if evidence.phrase else None
    return NumericClaim(start, end, evidence.text[start:end], kind, first, compared,
                        evidence.phrase, indicator,
                        years[0] if kind in CHANGE_KINDS.values() else None, years[1],
                        n.value * sign, unit, n.qualifier, RULE, evidence.confidence)


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


def _regions_in(v: _View, places: Sequence[Mention], place_starts: Sequence[int], start: int,
                end: int) -> list[_Region]:
    """The places that lie in the sentence [start, end), found by bisection: a scan of all the
    document's places per sentence grows with the square of the document."""
    where = {o: k for k, o in enumerate(v.orig)}
    inside = places[bisect_left(place_starts, start):bisect_left(place_starts, end)]
    return [_Region(where[m.start], where[m.end - 1] + 1, m.ref) for m in inside
            if m.end <= end and m.start in where and m.end - 1 in where]


def _sentence_claims(text: str, v: _View, regions: Sequence[_Region], times: Sequence[_Time],
                     previous: _Time | None, rules: Rules) -> list[NumericClaim]:
    """The claims of one sentence, clause by clause; `previous` is the last time stated in the
    sentence before (a change may take its period from there)."""
    nums = _numbers(v.s, rules)
    ctx = _Context(time=previous)
    out: list[NumericClaim] = []
    for ci, cj in _clauses(v.s):
        clause = _read_clause(v.s, ci, cj, [n for n in nums if ci <= n.i and n.j <= cj],
                              regions, rules)
        claims, ctx = _clause_claims(clause, text, v, times, ctx, rules)
        out += claims
        stated = [t for t in times if ci <= t.i < cj]
        if stated:
            ctx = replace(ctx, time=stated[-1])
    return out


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
        if not _has_digit(text, start, end):
            continue
        v = _view(text, start, end)
        regions = _regions_in(v, places, place_starts, start, end)
        times = _times(v.s)
        out += _sentence_claims(text, v, regions, times, previous, rules)
        if times:
            previous = times[-1]
    out.sort(key=lambda c: (c.start, c.end, c.kind))
    return out
