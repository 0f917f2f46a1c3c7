"""Shares checked from the text itself, where no table has the indicator: "全国12183家专精特新
企业中，东部地区、中部地区、西部地区、东北地区分别为7877家、2369家、1315家、422家，占比分别为
64.7%、21.1%、10.8%、3.5%" states the whole, the parts and the shares in one sentence, so each
share can be recomputed as part / whole.

In a sentence (up to its full stop, across semicolons), the whole is the first count (a number
with a count unit: 家, 个 …) that follows a `total` word in its clause (全国371家,
全国海关特殊监管区域共172个) or whose clause ends with an `among` word (66个…集群中). Each share
claim after it (extract/claims.py, `share` of a region, in %) that no table could check is then
recomputed from, in this order:

1. a list of counts spread over the regions (分别为35个、18个…) that the share's list matches:
   the i-th share of a list against the i-th count, or a region's one share against its count;
2. the one count of the share's own clause or the clause before it (北京独角兽共66家，数量占比23%);
3. no count: the share must be k / whole for some whole number k (172 zones, 55.2% = 95/172),
   the nearest k is taken.

The verdict rule is extract/claim_check.py's (rounding to the stated decimals, one unit of the
last decimal for holds_within_rounding, qualifiers as bounds); a share whose whole or part is
not stated in its sentence stays unchecked. Every check made here is `checked_against`
"same_sentence". All words are data: `patterns/claim_words.tsv` (count_unit, total, among).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from .claim_check import Check, exact_verdict
from .claims import RANGE_RE, NumericClaim, Rules, _view, load_rules

SAME_SENTENCE = "same_sentence"
OTHER_SENTENCE = "other_sentence"
_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?")
_CLAUSE_END = frozenset(",;:?!。，；：")
_FULL_STOPS = ("。", "！", "？", "\n\n")  # a blank line ends a paragraph and its sentence


@dataclass(frozen=True, slots=True)
class _Count:
    value: int
    at: int  # view index of the number
    clause: int  # index of its clause in the sentence


@dataclass(frozen=True, slots=True)
class _Sentence:
    counts: list[tuple[_Count, bool]]  # every count, with whether it is a whole
    clause_starts: list[int]  # view index where each clause starts

    def clause_of(self, at: int) -> int:
        return bisect_right(self.clause_starts, at) - 1

    def whole_before(self, at: int) -> _Count | None:
        """The nearest whole before view index `at`: a sentence may state several."""
        wholes = [c for c, is_whole in self.counts if is_whole and c.at < at and c.value > 0]
        return wholes[-1] if wholes else None

    def parts(self, whole: _Count, at: int) -> list[_Count]:
        """The counts between the whole and view index `at`."""
        return [c for c, _ in self.counts if whole.at < c.at < at]


def _clause_starts(s: str) -> list[int]:
    return [0] + [i + 1 for i, ch in enumerate(s) if ch in _CLAUSE_END]


def _counts(s: str, rules: Rules, starts: list[int]) -> list[tuple[_Count, bool]]:
    """Every count of the view with whether it is a whole."""
    units = rules.words.get("count_unit", frozenset())
    totals = rules.words.get("total", frozenset())
    among = rules.words.get("among", frozenset())
    out = []
    for m in _NUMBER.finditer(s):
        if "." in m.group() or s[m.end():m.end() + 1] not in units:
            continue
        clause = bisect_right(starts, m.start()) - 1
        clause_end = starts[clause + 1] - 1 if clause + 1 < len(starts) else len(s)
        before = s[starts[clause]:m.start()]
        is_whole = (any(t in before for t in totals)
                    or any(s[:clause_end].endswith(w) for w in among))
        out.append((_Count(int(m.group()), m.start(), clause), is_whole))
    return out


def _sentence(s: str, rules: Rules) -> _Sentence:
    starts = _clause_starts(s)
    return _Sentence(_counts(s, rules, starts), starts)


def _lists(counts: list[_Count]) -> list[list[_Count]]:
    """Counts of one clause form a list (分别为35个、18个、9个、4个)."""
    by_clause: dict[int, list[_Count]] = {}
    for c in counts:
        by_clause.setdefault(c.clause, []).append(c)
    return list(by_clause.values())


def _part(share_at: int, index: int, size: int, region: str | None, parts: list[_Count],
          sent: _Sentence, regions_of: dict[int, list[str]]) -> tuple[int, str] | None:
    """The count the share at view index `share_at` (the `index`-th of a list of `size`
    shares) is a part of, with how it was found; `parts` are the counts after its whole."""
    lists = _lists(parts)
    if lists and size > 1 and len(lists[-1]) == size:
        return lists[-1][index].value, "the count at the same place of the list"
    for lst in reversed(lists):
        names = regions_of.get(lst[0].clause, [])
        if size == 1 and len(lst) > 1 and region in names and len(names) == len(lst):
            return lst[names.index(region)].value, "the region's count in the list"
    clause = sent.clause_of(share_at)
    own = [c for c in parts if c.clause in (clause, clause - 1)]
    if size == 1 and len(own) == 1:
        return own[0].value, "the count before it"
    return None


def _check(claim: NumericClaim, whole: int, part: tuple[int, str] | None) -> Check:
    stated = claim.value
    if part is None:
        k = int((stated * whole / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        how = f"{k}/{whole}: the nearest whole number of a total of {whole}"
    else:
        k, found = part
        how = f"{k}/{whole}: {found} and the total in the same sentence"
    computed = Decimal(100) * k / whole
    places = Decimal(1).scaleb(stated.as_tuple().exponent - 2)
    return Check(exact_verdict(claim, computed), computed.quantize(places, ROUND_HALF_UP),
                 computed, computed, how, SAME_SENTENCE)


def _full_sentence(text: str, at: int) -> tuple[int, int]:
    """From the full stop before `at` to the one after it (or the paragraph's ends): the
    sentence as its writer ended it, semicolons and all (全国371家…；上海独角兽共57家…。)."""
    start = max(text.rfind(ch, 0, at) for ch in _FULL_STOPS) + 1
    ends = [e for ch in _FULL_STOPS if (e := text.find(ch, at)) >= 0]
    return start, min(ends, default=len(text))


def check_in_text(text: str, claims: Sequence[NumericClaim], checks: Sequence[Check],
                  regions: Sequence[tuple[int, str]], rules: Rules | None = None
                  ) -> list[Check]:
    """`checks` with the unchecked shares that their sentence's counts decide checked.
    `regions`: (original start, ref) of the text's linked region mentions, in text order."""
    rules = rules or load_rules()
    out = list(checks)
    by_sentence: dict[tuple[int, int], list[int]] = {}
    for i, c in enumerate(claims):
        if c.kind == "share" and c.unit == "%" and checks[i].verdict == "unchecked":
            by_sentence.setdefault(_full_sentence(text, c.start), []).append(i)
    for (a, b), members in by_sentence.items():
        view = _view(text, a, b)
        sent = _sentence(view.s, rules)
        ends = {o: k for k, o in enumerate(view.orig)}
        located = [(i, ends.get(claims[i].end - 1)) for i in members]
        located = [(i, at) for i, at in located
                   if at is not None and sent.whole_before(at) is not None]
        lists = _share_lists(located, sent)
        regions_of: dict[int, list[str]] = {}
        for start, ref in regions:
            if a <= start < b and (k := ends.get(start)) is not None:
                regions_of.setdefault(sent.clause_of(k), []).append(ref)
        for i, at in located:
            index, size = lists[i]
            whole = sent.whole_before(at)
            assert whole is not None  # located keeps only the shares after a whole
            part = _part(at, index, size, claims[i].region, sent.parts(whole, at), sent,
                         regions_of)
            out[i] = _check(claims[i], whole.value, part)
    return out


def _year_wholes(text: str, span: tuple[int, int], rules: Rules) -> dict[int, int]:
    """The counts a sentence states of one thing at the two ends of its period ("2020—2023年，
    跨境电商综合试验区数量从103个增加至165个": 2020 -> 103, 2023 -> 165), by year."""
    view = _view(text, *span)
    periods = list(RANGE_RE.finditer(view.s))
    units = "".join(sorted(rules.words.get("count_unit", frozenset())))
    froms = "|".join(sorted(rules.words.get("from", frozenset())))
    tos = "|".join(sorted(rules.words.get("to", frozenset())))
    if not (periods and units and froms and tos):
        return {}
    pair = re.compile(rf"(?:{froms})(\d+)([{units}])[^，,；;：:]*?(?:{tos})(\d+)\2")
    out: dict[int, int] = {}
    for m in pair.finditer(view.s):
        before = [p for p in periods if p.start() < m.start()]
        if before:
            period = before[-1]
            out.setdefault(int(period.group(1)), int(m.group(1)))
            out.setdefault(int(period.group(2)), int(m.group(3)))
    return out


def _previous_sentence(text: str, start: int) -> tuple[int, int] | None:
    """The sentence before the one that starts at `start`."""
    end = start - 1
    while end > 0 and (text[end].isspace() or text[end] in "。！？"):
        end -= 1
    return _full_sentence(text, end) if end > 0 else None


def check_by_year(text: str, claims: Sequence[NumericClaim], checks: Sequence[Check],
                  rules: Rules | None = None) -> list[Check]:
    """`checks` with the unchecked shares of a year whose whole the text states for that year
    as the start or end of a from-to count (数量从103个增加至165个, under "2020—2023年"), in
    their own sentence or the one before (a share in a list of "从2020年的57.3%…变化为2023年的
    37.6%" is k/103 or k/165 for a whole number k: the nearest is taken)."""
    rules = rules or load_rules()
    out = list(checks)
    for i, c in enumerate(claims):
        if not (c.kind == "share" and c.unit == "%" and out[i].verdict == "unchecked"
                and c.end_year is not None):
            continue
        own = _full_sentence(text, c.start)
        whole = _year_wholes(text, own, rules).get(c.end_year)
        against = SAME_SENTENCE
        if whole is None and (previous := _previous_sentence(text, own[0])) is not None:
            whole, against = _year_wholes(text, previous, rules).get(c.end_year), OTHER_SENTENCE
        if whole:
            check = _check(c, whole, None)
            out[i] = replace(check, against=against,
                             note=f"{check.note} of {c.end_year}")
    return out


def _share_lists(located: list[tuple[int, int]], sent: _Sentence) -> dict[int, tuple[int, int]]:
    """claim index -> (its place, the size) of the list of shares of one clause it is in."""
    by_clause: dict[int, list[int]] = {}
    for i, at in located:
        by_clause.setdefault(sent.clause_of(at), []).append(i)
    # a list spread over regions (分别) runs over several clauses only when split by 、
    return {i: (k, len(group)) for group in by_clause.values() for k, i in enumerate(group)}

