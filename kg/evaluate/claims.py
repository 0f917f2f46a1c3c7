"""Numeric claims of the article against the claims gold (tests/gold/lu-li-2025.claims.tsv,
hand-computed by an annotator who never saw the pipeline; conventions in its README).

A gold row is one stated figure (its digits' span) with its verdict. Our claim for it is the
one whose evidence span holds the figure and ends nearest after it (a claim's quote ends with
its number and unit), a sum (extract/claim_sums.py) for a gold sum (kinds `sum_of_parts` and
`shares_sum`, the same names) and a claim about one region for the other rows, where one
covers the figure. The figures:

- wrong figures caught: gold does_not_hold rows that we find does_not_hold (recall);
- false alarms: our does_not_hold where the gold says holds or holds_within_rounding, and our
  does_not_hold on a figure the gold does not list (it found nothing to check it against);
- agreement: gold rows whose verdict we give exactly (the gold's cannot_check is our
  unchecked), and rows we leave unchecked or never read.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from extract.claims import SUM_KINDS
from extract.records import CheckedClaim
from kg.errors import InputError

HOLDING = ("holds", "holds_within_rounding")


@dataclass(frozen=True, slots=True)
class GoldClaim:
    start: int
    end: int
    stated: str
    kind: str
    checked_against: str
    verdict: str


@dataclass(frozen=True, slots=True)
class ClaimScore:
    gold: int
    gold_wrong: int  # gold does_not_hold
    caught: int  # of those, ours does_not_hold
    false_alarms: int  # ours does_not_hold, gold holds (within rounding)
    unlisted_alarms: int  # ours does_not_hold on a figure the gold does not list
    agreed: int  # same verdict
    unchecked: int  # gold rows we leave unchecked
    unread: int  # gold rows no claim of ours covers


def read_claim_gold(path: Path) -> list[GoldClaim]:
    try:
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
        return [GoldClaim(int(r["start"]), int(r["end"]), r["stated"], r["kind"],
                          r["checked_against"], r["verdict"]) for r in rows]
    except (OSError, UnicodeDecodeError, KeyError, ValueError) as e:
        raise InputError(f"{path}: not a claims gold table: {e}") from None


def ours_for(gold: GoldClaim, claims: Sequence[CheckedClaim]) -> CheckedClaim | None:
    """Among the claims whose evidence covers the figure, a sum for a gold sum (which the gold
    anchors on the whole, or on one share of the list) and a claim about one region for any
    other gold row, if there is one; then the one ending nearest after it."""
    covering = [c for c in claims if c.claim.start <= gold.start and gold.end <= c.claim.end]
    alike = [c for c in covering if (c.claim.kind in SUM_KINDS) == (gold.kind in SUM_KINDS)]
    return min(alike or covering, key=lambda c: c.claim.end - gold.end, default=None)


def _same(gold: str, ours: str) -> bool:
    return gold == ours or (gold == "cannot_check" and ours == "unchecked")


def score_claims(gold: Sequence[GoldClaim], claims: Sequence[CheckedClaim]) -> ClaimScore:
    pairs = [(g, ours_for(g, claims)) for g in gold]
    verdicts = [(g.verdict, c.check.verdict if c else None) for g, c in pairs]
    matched = {id(c) for _, c in pairs if c is not None}
    return ClaimScore(
        gold=len(gold),
        gold_wrong=sum(g == "does_not_hold" for g, _ in verdicts),
        caught=sum(g == o == "does_not_hold" for g, o in verdicts),
        false_alarms=sum(g in HOLDING and o == "does_not_hold" for g, o in verdicts),
        unlisted_alarms=sum(c.check.verdict == "does_not_hold" and id(c) not in matched
                            for c in claims),
        agreed=sum(o is not None and _same(g, o) for g, o in verdicts),
        unchecked=sum(o == "unchecked" for _, o in verdicts),
        unread=sum(o is None for _, o in verdicts))


# --- sums and restated figures (tests/gold/lu-li-2025.sums.tsv) ------------------------------

TEXT_KINDS = ("sum_of_parts", "shares_sum", "changes_sum")


@dataclass(frozen=True, slots=True)
class GoldSum:
    start: int  # the anchor figure: a sum's whole or last share, a restated figure
    end: int
    kind: str  # sum_of_parts, shares_sum, changes_sum or restated
    verdict: str


@dataclass(frozen=True, slots=True)
class SumScore:
    gold: int
    gold_wrong: int
    found: int  # gold rows we check (a verdict other than unchecked)
    agreed: int
    caught: int
    false_alarms: int  # ours does_not_hold, gold holds
    unlisted: int  # our sums and restated checks on no gold row
    unlisted_alarms: int  # of those, does_not_hold


def read_sum_gold(path: Path) -> list[GoldSum]:
    try:
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
        return [GoldSum(int(r["start"]), int(r["end"]), r["kind"], r["verdict"]) for r in rows]
    except (OSError, UnicodeDecodeError, KeyError, ValueError) as e:
        raise InputError(f"{path}: not a sums gold table: {e}") from None


def _text_checks(claims: Sequence[CheckedClaim]) -> list[CheckedClaim]:
    """Our sums and restated figures: the claims the gold of sums is about."""
    return [c for c in claims if c.claim.parts or c.check.compared_with is not None]


def _anchors(gold: GoldSum, c: CheckedClaim) -> bool:
    """Whether our check is about the gold row's anchor figure: a restated check whose evidence
    covers it, a sum of the same kind whose whole it is (a total: the sum's evidence starts at
    its clause) or one of whose parts ends with it (a share, with no other number after it
    in the part's evidence: only its %, 左右 …)."""
    if not (c.claim.start <= gold.start and gold.end <= c.claim.end):
        return False
    if gold.kind == "restated":
        return c.check.compared_with is not None
    if c.claim.kind != gold.kind:
        return False
    after = [c.claim.quote[gold.end - c.claim.start:end - c.claim.start]
             for _, end, _, _ in c.claim.parts if end >= gold.end]
    return gold.kind == "sum_of_parts" or any(not any(ch.isdigit() for ch in a) for a in after)


def sum_for(gold: GoldSum, claims: Sequence[CheckedClaim]) -> CheckedClaim | None:
    """Our check of a gold row: a sum of its figure, or our restated check of the figure."""
    wanted = [c for c in _text_checks(claims) if _anchors(gold, c)]
    return min(wanted, key=lambda c: c.claim.end - gold.end, default=None)


def score_sums(gold: Sequence[GoldSum], claims: Sequence[CheckedClaim]) -> SumScore:
    pairs = [(g, sum_for(g, claims)) for g in gold]
    verdicts = [(g.verdict, c.check.verdict if c else "unchecked") for g, c in pairs]
    matched = {id(c) for _, c in pairs if c is not None}
    unlisted = [c for c in _text_checks(claims) if id(c) not in matched]
    return SumScore(
        gold=len(gold), gold_wrong=sum(g == "does_not_hold" for g, _ in verdicts),
        found=sum(o != "unchecked" for _, o in verdicts),
        agreed=sum(g == o for g, o in verdicts),
        caught=sum(g == o == "does_not_hold" for g, o in verdicts),
        false_alarms=sum(g in HOLDING and o == "does_not_hold" for g, o in verdicts),
        unlisted=len(unlisted),
        unlisted_alarms=sum(c.check.verdict == "does_not_hold" for c in unlisted))
