"""Figures the text states twice, checked against each other: a writer who gives a region's
indicator for a year in one place and again a few sentences later ("2020—2023年,河南常住人口
减少126万人" … "河南常住人口减少126万人") must give the same number.

Two claims (extract/claims.py) are the same figure when they agree on everything but the
number and its place: kind, region and compared region, the indicator as the text words it
(a claim with no indicator of its own words is matched by the words of its clause, without
years and numbers, and only within its own sentence: "东部地区占比55.1%" and "东部地区占比73%" a
few sentences apart are shares of different things; "东部地区仍占全国比重70.8%" twice in one
sentence is one figure), start and end year (the
end year must be known) and unit, neither with a qualifier. The later one must lie within
WINDOW sentences after the earlier one (a restatement comes "a few lines later"; further away
the same words more often mean another context) or in the same sentence.

The later claim, if nothing checked it yet, is checked against the earlier: with d the fewer
decimals of the two and u one unit of the d-th decimal, `holds` when both round to the same
figure at d decimals, `holds_within_rounding` when they differ by at most u, `does_not_hold`
otherwise. Its check records the earlier claim's span (`compared_with`) and says what it was
checked against: `same_sentence` or `other_sentence`. A claim is never checked against a
claim that is itself a restatement of a third: the first statement is the reference.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from .claim_check import Check
from .claim_text import OTHER_SENTENCE, SAME_SENTENCE
from .claims import NumericClaim, claim_id

# how many sentences after a figure its restatement may come (the sentence itself counts 0)
WINDOW = 5
# what is not the words of a clause: its years and numbers
_NOT_WORDS = re.compile(r"(?:19|20)\d\d年?|[—-]?\d+(?:\.\d+)?")


def _key(c: NumericClaim) -> tuple[tuple, bool] | None:
    """What two claims must share to state the same figure, and whether that holds only within
    one sentence; None for a claim that cannot be matched (no year, a bound, a sum)."""
    if c.end_year is None or c.qualifier or c.parts or c.region is None:
        return None
    words = c.indicator_text
    if words is None:
        # no indicator of its own: the words of its clause stand for it, within its sentence
        words = _NOT_WORDS.sub("", "".join(c.quote.split()))
    return ((c.kind, c.region, c.compared, words, c.start_year, c.end_year, c.unit),
            c.indicator_text is None)


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _verdict(stated: Decimal, first: Decimal) -> str:
    d = min(_decimals(stated), _decimals(first))
    unit = Decimal(1).scaleb(-d)
    if stated.quantize(unit, ROUND_HALF_UP) == first.quantize(unit, ROUND_HALF_UP):
        return "holds"
    return "holds_within_rounding" if abs(stated - first) <= unit else "does_not_hold"


def check_restated(claims: Sequence[NumericClaim], checks: Sequence[Check],
                   sentences: Sequence[tuple[int, int]], window: int = WINDOW) -> list[Check]:
    """`checks` with each unchecked claim that restates an earlier one checked against it.
    `sentences`: the document's (start, end), ORIGINAL offsets."""
    starts = sorted(s for s, _ in sentences)

    def sentence_of(at: int) -> int:
        return bisect_right(starts, at) - 1

    out = list(checks)
    first: dict[tuple, int] = {}  # key -> index of the claim that first states it
    for i, c in enumerate(claims):
        found = _key(c)
        if found is None:
            continue
        key, one_sentence = found
        j = first.get(key)
        apart = sentence_of(c.end - 1) - sentence_of(claims[j].end - 1) if j is not None else 0
        if j is None or apart > (0 if one_sentence else window):
            first[key] = i  # the first statement, or too far from the last one: a new start
            continue
        if out[i].verdict != "unchecked":
            continue
        earlier = claims[j]
        where = SAME_SENTENCE if sentence_of(c.end - 1) == sentence_of(earlier.end - 1) \
            else OTHER_SENTENCE
        how = f"restates {earlier.value} stated at [{earlier.start}:{earlier.end}]"
        out[i] = Check(_verdict(c.value, earlier.value), earlier.value, earlier.value,
                       earlier.value, how, where, claim_id(earlier))
    return out
