"""Wholes checked against their parts, from the text itself: a stated total against the counts it
is split into (全国12183家专精特新企业中，东部地区、中部地区、西部地区、东北地区分别为7877家、
2369家、1315家、422家: the parts make 11983), and a list of shares against the whole they are
shares of (…占比分别为64.7%、21.1%、10.8%、3.5%: 100.1 against 100 %).

Each check is a new claim of its own (kind `sum_of_parts` or `shares_sum`), with no region: its
stated value is the whole (the stated total, or 100 for shares), its computed value the sum of
its parts, and its parts are claims extract/claims.py read (`parts`: their `claim_id`s).

The parts must be a complete set of regions (`patterns/claim_region_sets.tsv`: the four
macro-regions), each once, in one sentence (up to its full stop), of the same kind, year and
indicator: only then do they make the whole. Parts of any other list (其中已运行65台、在建23台)
may leave some out, and are not summed (no guess).

- `sum_of_parts`: the parts are `value` claims in a count unit (家, 个 …, `count_unit`) stated
  in one clause (the list 分别为7877家、2369家…); the whole is the nearest count before them in
  the sentence that follows a `total` word or ends its clause with an `among` word (as
  extract/claim_text.py finds it), in the same unit. Counts are exact, so the parts must add up
  to the whole exactly.
- `shares_sum`: the parts are `share` claims in % of one year and indicator; none negative (a
  net flow's shares sum to zero, not 100). Each share printed with d decimals stands for an
  interval of ±½·10⁻ᵈ, so n shares may miss 100 by up to n half-units and still be right
  (99.9 or 100.1 for four one-decimal shares): `holds` within Σ½·10⁻ᵈ, `holds_within_rounding`
  within Σ10⁻ᵈ (one unit each, as for every claim: a share may have been cut off), else
  `does_not_hold`. A share with a qualifier (73%、11%、14%、2%左右) widens its own interval to
  APPROX (10 %) of itself.

Every check here is `same_sentence`. The words are data: `patterns/claim_words.tsv`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .claim_check import APPROX, Check
from .claim_check import region_sets as _region_sets
from .claim_text import SAME_SENTENCE, _full_sentence, _sentence
from .claims import NumericClaim, Rules, _view, claim_id, load_rules

RULE = "claim-sums/v1"
WHOLE_SHARE = Decimal(100)


@dataclass(frozen=True, slots=True)
class _Part:
    index: int  # in the claims
    claim: NumericClaim


def _complete(parts: Sequence[_Part]) -> bool:
    """The parts' regions are one complete set of regions, each once."""
    regions = [p.claim.region for p in parts]
    return len(set(regions)) == len(regions) and frozenset(regions) in set(_region_sets())


def _groups(claims: Sequence[NumericClaim], text: str, kind: str, same_clause: bool
            ) -> list[list[_Part]]:
    """Runs of claims of `kind` that share a sentence, year, indicator and unit (and,
    for `same_clause`, the clause their evidence starts at) and make a complete set of
    regions, in text order."""
    out: dict[tuple, list[_Part]] = {}
    for i, c in enumerate(claims):
        if c.kind != kind or c.region is None or c.compared is not None:
            continue
        key = (_full_sentence(text, c.start), c.end_year, c.indicator_text, c.unit,
               c.start if same_clause else None)
        out.setdefault(key, []).append(_Part(i, c))
    return [run for group in out.values() for run in _runs(group) if _complete(run)]


def _runs(group: Sequence[_Part]) -> list[list[_Part]]:
    """A sentence may state two sets one after the other (战略性新兴企业…51.8%…5.0%；专精特新
    企业…64.7%…3.5%): a region named again starts the next set."""
    runs: list[list[_Part]] = [[]]
    for part in group:
        if any(p.claim.region == part.claim.region for p in runs[-1]):
            runs.append([])
        runs[-1].append(part)
    return runs


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _sum_verdict(whole: Decimal, total: Decimal, half: Decimal, unit: Decimal) -> str:
    """`whole` against the sum of parts `total`, whose parts stand for ±`half` in all (their
    rounding) and are allowed ±`unit` in all (one unit of each part's last decimal)."""
    if abs(whole - total) <= half:
        return "holds"
    return "holds_within_rounding" if abs(whole - total) <= unit else "does_not_hold"


def _sum_claim(kind: str, text: str, start: int, parts: Sequence[_Part], whole: Decimal,
               unit: str | None) -> NumericClaim:
    last = parts[-1].claim
    return NumericClaim(start, last.end, text[start:last.end], kind, None, None,
                        last.indicator_text, last.indicator, None, last.end_year, whole, unit,
                        None, RULE, min(p.claim.confidence for p in parts),
                        tuple(claim_id(p.claim) for p in parts))


def _shares_sum(text: str, parts: Sequence[_Part]) -> tuple[NumericClaim, Check] | None:
    values = [p.claim.value for p in parts]
    if any(v < 0 for v in values):
        return None
    units = [Decimal(1).scaleb(-_decimals(v)) for v in values]
    # a qualifier after the list (…、2%左右) bounds every share of it
    if any(p.claim.qualifier for p in parts):
        units = [max(u, APPROX * v) for u, v in zip(units, values, strict=True)]
        half = sum(units, Decimal(0))
    else:
        half = sum(units, Decimal(0)) / 2
    unit = sum(units, Decimal(0))
    total = sum(values, Decimal(0))
    claim = _sum_claim("shares_sum", text, min(p.claim.start for p in parts), parts,
                       WHOLE_SHARE, "%")
    how = f"the {len(parts)} shares of the sentence add up to {total}"
    return claim, Check(_sum_verdict(WHOLE_SHARE, total, half, unit), total, total - half,
                        total + half, how, SAME_SENTENCE)


def _sum_of_parts(text: str, parts: Sequence[_Part], rules: Rules
                  ) -> tuple[NumericClaim, Check] | None:
    first = parts[0].claim
    units = rules.words.get("count_unit", frozenset())
    if first.unit not in units or any(_decimals(p.claim.value) for p in parts):
        return None
    a, b = _full_sentence(text, first.start)
    view = _view(text, a, b)
    sent = _sentence(view.s, rules)
    at = {o: k for k, o in enumerate(view.orig)}.get(first.end - 1)
    whole = sent.whole_before(at) if at is not None else None
    if whole is None or whole.clause == sent.clause_of(at) \
            or view.s[whole.at + len(str(whole.value))] != first.unit:
        return None
    start = view.orig[sent.clause_starts[whole.clause]]
    total = sum((p.claim.value for p in parts), Decimal(0))
    claim = _sum_claim("sum_of_parts", text, start, parts, Decimal(whole.value), first.unit)
    how = f"the whole {whole.value} against its {len(parts)} parts, which add up to {total}"
    zero = Decimal(0)
    return claim, Check(_sum_verdict(Decimal(whole.value), total, zero, zero), total, total,
                        total, how, SAME_SENTENCE)


def find_sums(text: str, claims: Sequence[NumericClaim], rules: Rules | None = None
              ) -> list[tuple[NumericClaim, Check]]:
    """The sums the text states, each checked: a total against its parts, shares against 100."""
    rules = rules or load_rules()
    out = [found for group in _groups(claims, text, "value", same_clause=True)
           if (found := _sum_of_parts(text, group, rules)) is not None]
    out += [found for group in _groups(claims, text, "share", same_clause=False)
            if (found := _shares_sum(text, group)) is not None]
    return sorted(out, key=lambda pair: (pair[0].start, pair[0].end, pair[0].kind))
