"""Checks numeric claims (extract/claims.py) against statistics table cells.

`check_claims(claims, cells)` recomputes each claim from the cells of its indicator, regions and
years, and gives a verdict:

- `holds`: the recomputed value, rounded to the stated number's decimals, equals it;
- `holds_within_rounding`: the stated number lies within the recomputed value's rounding
  interval widened by one unit of its own last decimal. The interval is exact interval
  arithmetic over the cells, each cell taken as [v − ½·10⁻ᵈ, v + ½·10⁻ᵈ] for its d printed
  decimals (77.00 → ±0.005, 9.3 万元 → ±0.05 万元 = ±500 元). One unit of the stated last decimal
  (not half) admits a figure that was rounded either way or cut off (82.56 stated as 82);
- `does_not_hold`: neither;
- `unchecked`: no data (an indicator no table has, a region, year or cell missing, a unit that
  does not convert, a share whose set of regions is incomplete).

A claim with a qualifier is a bound: 以上/超过 (at_least) holds when the value lies in
[s, s·(1+APPROX)], 近/不到 (at_most) in [s·(1−APPROX), s], 约/左右 (about) within ±APPROX·s: a
writer who bounds a value gives a figure close to it ("仍占全国的8.5%以上" of 85 % is wrong).

Formulas (a, b regions; 0, 1 the start and end years; shares over a complete set of regions
from `patterns/claim_region_sets.tsv`): value a₁; change a₁ − a₀; gap a₁ − b₁;
gap_change (a₁ − b₁) − (a₀ − b₀); ratio a₁/b₁; ratio_change a₁/b₁ − a₀/b₀;
share 100·a₁/Σ₁; share_change 100·a₁/Σ₁ − 100·a₀/Σ₀ (percentage points).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from .claims import CHANGE_KINDS, ClaimId, NumericClaim, load_rules
from .gazetteer import read_tsv

__all__ = ["APPROX", "TABLE", "VERDICTS", "Cell", "Check", "cells_from_tables", "check_claim",
           "check_claims", "exact_verdict"]

PATTERNS = Path(__file__).resolve().parent / "patterns"
VERDICTS = ("holds", "holds_within_rounding", "does_not_hold", "unchecked")
APPROX = Decimal("0.1")
PERCENT_UNITS = ("%", "个百分点", "百分点")
TABLE = "table"


@dataclass(frozen=True, slots=True)
class Cell:
    """A table cell: `decimals` is the number of decimals printed (77.00 -> 2)."""

    region: str
    year: int
    indicator: str
    unit: str | None
    value: Decimal
    decimals: int


@dataclass(frozen=True, slots=True)
class Check:
    verdict: str
    computed: Decimal | None = None  # in the claim's unit, to two decimals more than stated
    low: Decimal | None = None  # the rounding interval of the recomputed value
    high: Decimal | None = None
    note: str = ""
    # what the claim was checked against: "table" (the document's statistics tables),
    # "same_sentence" or "other_sentence" (figures the text states); None when unchecked
    against: str | None = None
    # the claim_id of the claim of another place in the text this one was checked against (a
    # restated figure, extract/claim_restated.py)
    compared_with: ClaimId | None = None


def decimals_of(number: str) -> int | None:
    try:
        d = Decimal(number.strip().replace(",", "").rstrip("%").replace(" ", ""))
    except InvalidOperation:
        return None
    exponent = d.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else None


def cells_from_tables(tables: Iterable) -> list[Cell]:
    """The readable cells of `extract.tables.Table`s; decimals as printed in the text."""
    out = []
    for t in tables:
        for o in t.observations:
            if o.value is None or o.status == "missing" or not (o.region and o.year
                                                               and o.indicator):
                continue
            d = decimals_of(o.raw)
            value = Decimal(o.raw.strip().replace(",", "")) if d is not None \
                else Decimal(str(o.value))
            out.append(Cell(o.region, o.year, o.indicator, o.unit, value,
                            d if d is not None else decimals_of(str(o.value)) or 0))
    return out


@lru_cache(maxsize=4)
def region_sets(patterns: Path = PATTERNS) -> tuple[frozenset[str], ...]:
    return tuple(frozenset(members.split(";"))
                 for _, members in read_tsv(patterns / "claim_region_sets.tsv"))


# ---------------------------------------------------------------------------------------------
# interval arithmetic

@dataclass(frozen=True, slots=True)
class _Iv:
    mid: Decimal
    lo: Decimal
    hi: Decimal

    def __sub__(self, o: _Iv) -> _Iv:
        return _Iv(self.mid - o.mid, self.lo - o.hi, self.hi - o.lo)

    def __add__(self, o: _Iv) -> _Iv:
        return _Iv(self.mid + o.mid, self.lo + o.lo, self.hi + o.hi)

    def scale(self, k: Decimal) -> _Iv:
        return _Iv(self.mid * k, self.lo * k, self.hi * k)


class _NoData(Exception):
    pass


def _ratio(a: _Iv, b: _Iv) -> _Iv:
    if a.lo <= 0 or b.lo <= 0:
        raise _NoData("a ratio needs positive values")
    return _Iv(a.mid / b.mid, a.lo / b.hi, a.hi / b.lo)


def _share(a: _Iv, others: Sequence[_Iv]) -> _Iv:
    if a.lo <= 0 or any(o.lo < 0 for o in others):
        raise _NoData("a share needs positive values")
    hi_rest = sum((o.hi for o in others), Decimal(0))
    lo_rest = sum((o.lo for o in others), Decimal(0))
    mid_rest = sum((o.mid for o in others), Decimal(0))
    h = Decimal(100)
    return _Iv(h * a.mid / (a.mid + mid_rest), h * a.lo / (a.lo + hi_rest),
               h * a.hi / (a.hi + lo_rest))


class _Data:
    def __init__(self, cells: Iterable[Cell]) -> None:
        self.cells = {(c.region, c.year, c.indicator): c for c in cells}
        self.units = load_rules().units

    def base(self, unit: str | None) -> tuple[str, Decimal] | None:
        return self.units.get(unit) if unit else None

    def get(self, region: str | None, year: int | None, indicator: str) -> tuple[_Iv, Cell]:
        c = self.cells.get((region, year, indicator)) if region and year else None
        if c is None:
            raise _NoData(f"no cell for {region} {year} {indicator}")
        base = self.base(c.unit)
        scale = base[1] if base else Decimal(1)
        half = Decimal(5).scaleb(-c.decimals - 1)
        return _Iv(c.value, c.value - half, c.value + half).scale(scale), c

    def share(self, region: str | None, year: int | None, indicator: str) -> _Iv:
        group = next((s for s in region_sets() if region in s), None)
        if group is None:
            raise _NoData(f"{region} is in no complete set of regions")
        a, _ = self.get(region, year, indicator)
        return _share(a, [self.get(r, year, indicator)[0] for r in sorted(group - {region})])


def _recompute(claim: NumericClaim, data: _Data) -> _Iv:
    """The claim's quantity from the cells, in the table's base unit (shares in %)."""
    ind, k = claim.indicator, claim.kind
    if ind is None:
        raise _NoData("the indicator is in no table")
    if k in CHANGE_KINDS.values() and (claim.start_year is None or claim.end_year is None):
        raise _NoData("no period")
    y0, y1 = claim.start_year, claim.end_year

    def v(region, year):
        return data.get(region, year, ind)[0]

    if k == "value":
        return v(claim.region, y1)
    if k == "change":
        return v(claim.region, y1) - v(claim.region, y0)
    if k == "gap":
        return v(claim.region, y1) - v(claim.compared, y1)
    if k == "gap_change":
        return (v(claim.region, y1) - v(claim.compared, y1)) - (
            v(claim.region, y0) - v(claim.compared, y0))
    if k == "ratio":
        return _ratio(v(claim.region, y1), v(claim.compared, y1))
    if k == "ratio_change":
        return _ratio(v(claim.region, y1), v(claim.compared, y1)) - _ratio(
            v(claim.region, y0), v(claim.compared, y0))
    if k == "share":
        return data.share(claim.region, y1, ind)
    if k == "share_change":
        return data.share(claim.region, y1, ind) - data.share(claim.region, y0, ind)
    raise _NoData(f"no formula for {k}")


def _to_claim_unit(claim: NumericClaim, iv: _Iv, data: _Data) -> _Iv:
    if claim.kind.startswith(("ratio", "share")):
        return iv
    ind_unit = next((c.unit for c in data.cells.values() if c.indicator == claim.indicator),
                    None)
    table, stated = data.base(ind_unit), data.base(claim.unit)
    if table is None and stated is None and ind_unit == claim.unit:
        return iv
    if table is None or stated is None or table[0] != stated[0]:
        raise _NoData(f"unit {claim.unit} does not convert to {ind_unit}")
    return iv.scale(1 / stated[1])


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _verdict(claim: NumericClaim, iv: _Iv) -> str:
    s, d = claim.value, _decimals(claim.value)
    unit = Decimal(1).scaleb(-d)
    lo, hi = iv.lo - unit, iv.hi + unit
    if claim.qualifier:
        if claim.qualifier == "at_least":
            a, b = s, s + abs(s) * APPROX
        elif claim.qualifier == "at_most":
            a, b = s - abs(s) * APPROX, s
        else:
            a, b = s - abs(s) * APPROX, s + abs(s) * APPROX
        if a <= iv.mid <= b:
            return "holds"
        return "holds_within_rounding" if lo <= b and a <= hi else "does_not_hold"
    if iv.mid.quantize(unit, rounding=ROUND_HALF_UP) == s:
        return "holds"
    return "holds_within_rounding" if lo <= s <= hi else "does_not_hold"


def check_claim(claim: NumericClaim, data: _Data | Iterable[Cell]) -> Check:
    data = data if isinstance(data, _Data) else _Data(data)
    try:
        iv = _to_claim_unit(claim, _recompute(claim, data), data)
    except _NoData as e:
        return Check("unchecked", note=str(e))
    except (ArithmeticError, InvalidOperation) as e:
        return Check("unchecked", note=f"cannot compute: {e}")
    places = Decimal(1).scaleb(-(_decimals(claim.value) + 2))
    return Check(_verdict(claim, iv), iv.mid.quantize(places, rounding=ROUND_HALF_UP),
                 iv.lo, iv.hi, against=TABLE)


def exact_verdict(claim: NumericClaim, value: Decimal) -> str:
    """The verdict on a claim whose value is known exactly (a share of whole counts)."""
    return _verdict(claim, _Iv(value, value, value))


def check_claims(claims: Iterable[NumericClaim], cells: Iterable[Cell]) -> list[Check]:
    data = _Data(cells)
    return [check_claim(c, data) for c in claims]
