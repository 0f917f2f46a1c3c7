"""`kg claims`: every numeric claim of a built graph, recomputed from the graph's own
observations (not from the text), so that it works on a graph someone else built.

A claim is checked against the observations of its own document's tables (qb:dataSet
prov:wasDerivedFrom the document the claim is dcterms:isPartOf). The verdict rule is
extract/claim_check.py's; docs/claims.md explains it. A claim the build checked against the
figures of its text (pkg:checkedAgainst "same_sentence" or "other_sentence") keeps the build's
verdict: the graph holds the claim's quote, not every figure it was computed from. Each row says
what its verdict was checked against, and where: the spans of a sum's parts (dcterms:hasPart) or
of the first statement of a restated figure (prov:wasDerivedFrom).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from rdflib import Dataset, Literal
from rdflib.namespace import DCTERMS, PROV, QB, RDF, SKOS

from extract.claim_check import TABLE, VERDICTS, Cell, Check, check_claims, decimals_of
from extract.claims import NumericClaim
from kg.inspect.stats import local
from kg.vocab import OA, PKG

COLUMNS = ("doc", "start", "end", "quote", "kind", "region", "compared", "indicator",
           "start_year", "end_year", "stated", "unit", "computed", "verdict", "against",
           "against_spans")
EXPORT_COLUMNS = ("doc", "start", "end", "quote", "stated", "computed", "verdict")


@dataclass(frozen=True, slots=True)
class ClaimRow:
    doc: str
    claim: NumericClaim
    stored_verdict: str | None  # as the graph states it
    stored_computed: Decimal | None
    check: Check | None = None  # recomputed
    stored_against: str | None = None  # what the build checked it against
    # where in the text: the spans of a sum's parts, or of a restated figure's first statement
    against_spans: tuple[tuple[int, int], ...] = ()


def _ref(node) -> str | None:
    """`…/id/macro-region/east` -> `macro-region/east`, whatever the identifier base."""
    return "/".join(str(node).rstrip("/").split("/")[-2:]) if node is not None else None


def _decimal(literal) -> Decimal | None:
    if literal is None:
        return None
    try:
        return Decimal(str(literal))
    except InvalidOperation:
        return None


def _as_printed(value: Decimal, quote: str) -> Decimal:
    """The stated value with the decimals its quote prints: a serialiser may write the decimal
    63 as 63.0, and the check's precision depends on the printed decimals. The quote ends with
    the number (and its unit); a sum's quote holds its whole (全国12183家…) or, for shares,
    not at all (100 %), and a whole is a whole number."""
    numbers = re.findall(r"\d+(?:\.\d+)?", "".join(quote.split()))
    printed = [n for n in reversed(numbers) if Decimal(n) == abs(value)]
    if printed:
        d = decimals_of(printed[0]) or 0
        return value.quantize(Decimal(1).scaleb(-d))
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def _year(literal) -> int | None:
    try:
        return int(str(literal)[:4]) if literal is not None else None
    except ValueError:
        return None


def _str(literal) -> str | None:
    return str(literal) if literal is not None else None


def _span(ds: Dataset, node) -> tuple[int, int, str]:
    start = end = None
    exact = ""
    for selector in ds.objects(ds.value(node, OA.hasTarget), OA.hasSelector):
        start = ds.value(selector, OA.start, default=start)
        end = ds.value(selector, OA.end, default=end)
        exact = ds.value(selector, OA.exact, default=exact)
    return int(start or 0), int(end or 0), str(exact)


def _against_spans(ds: Dataset, node) -> tuple[tuple[int, int], ...]:
    """The spans of the claims this one was checked against: its parts, or its first
    statement."""
    others = [*ds.objects(node, DCTERMS.hasPart), *ds.objects(node, PROV.wasDerivedFrom)]
    return tuple(sorted(_span(ds, o)[:2] for o in others))


def read_claims(ds: Dataset) -> list[ClaimRow]:
    """The graph's claims, in document and text order."""
    rows = []
    for node in ds.subjects(RDF.type, PKG.NumericClaim):
        value = _decimal(ds.value(node, PKG.statedValue))
        if value is None:
            continue
        start, end, quote = _span(ds, node)
        value = _as_printed(value, quote)
        claim = NumericClaim(
            start, end, quote, str(ds.value(node, PKG.claimKind)),
            _ref(ds.value(node, PKG.refArea)), _ref(ds.value(node, PKG.comparedArea)),
            _str(ds.value(node, PKG.statedIndicator)), _str(ds.value(node, PKG.indicator)),
            _year(ds.value(node, PKG.startYear)), _year(ds.value(node, PKG.endYear)), value,
            _str(ds.value(node, PKG.unit)), _str(ds.value(node, PKG.qualifier)),
            str(ds.value(node, PKG.rule, default="")))
        rows.append(ClaimRow(local(str(ds.value(node, DCTERMS.isPartOf))), claim,
                             _str(ds.value(node, PKG.verdict)),
                             _decimal(ds.value(node, PKG.computedValue)),
                             stored_against=_str(ds.value(node, PKG.checkedAgainst)),
                             against_spans=_against_spans(ds, node)))
    rows.sort(key=lambda r: (r.doc, r.claim.start, r.claim.end, r.claim.kind))
    return rows


def read_cells(ds: Dataset) -> dict[str, list[Cell]]:
    """The observations with a value, per document (key), decimals as the cell prints them."""
    out: dict[str, list[Cell]] = {}
    for o in ds.subjects(RDF.type, QB.Observation):
        area, year = ds.value(o, PKG.refArea), _year(ds.value(o, PKG.refYear))
        indicator, value = ds.value(o, PKG.indicator), _decimal(ds.value(o, PKG.value))
        if area is None or year is None or indicator is None or value is None:
            continue
        doc = ds.value(ds.value(o, QB.dataSet), PROV.wasDerivedFrom)
        printed = _span(ds, o)[2]
        d = decimals_of(printed) if printed else None
        if d is None or _decimal(printed.replace(" ", "")) != value:
            d = decimals_of(str(value)) or 0
        out.setdefault(local(str(doc)), []).append(
            Cell(_ref(area) or "", year, str(indicator), _str(ds.value(o, PKG.unit)), value, d))
    return out


def recompute(ds: Dataset) -> list[ClaimRow]:
    """Every claim of the graph with its check recomputed from the graph's observations."""
    ds.default_union = True
    rows = read_claims(ds)
    cells = read_cells(ds)
    out = []
    for doc in dict.fromkeys(r.doc for r in rows):
        mine = [r for r in rows if r.doc == doc]
        checks = check_claims([r.claim for r in mine], cells.get(doc, []))
        out += [ClaimRow(r.doc, r.claim, r.stored_verdict, r.stored_computed,
                         _or_as_built(r, c), r.stored_against, r.against_spans)
                for r, c in zip(mine, checks, strict=True)]
    return out


def _or_as_built(row: ClaimRow, check: Check) -> Check:
    """The recomputed check; for a claim the build checked against the figures of the text
    (which the graph does not hold), the build's verdict."""
    if check.verdict != "unchecked" or row.stored_against in (None, TABLE):
        return check
    return Check(row.stored_verdict or "unchecked", row.stored_computed,
                 note="as built, from the text", against=row.stored_against)


def labels(ds: Dataset) -> dict[str, str]:
    """zh labels of the places the claims name, by ref."""
    out = {}
    for node in set(ds.objects(None, PKG.refArea)) | set(ds.objects(None, PKG.comparedArea)):
        zh = [o for o in ds.objects(node, SKOS.prefLabel)
              if isinstance(o, Literal) and o.language == "zh"]
        if zh:
            out[_ref(node) or ""] = str(zh[0])
    return out


def as_records(rows: Iterable[ClaimRow], names: dict[str, str]) -> list[list[object]]:
    out = []
    for r in rows:
        c, check = r.claim, r.check
        out.append([r.doc, c.start, c.end, c.quote, c.kind, names.get(c.region or "", c.region),
                    names.get(c.compared or "", c.compared), c.indicator or c.indicator_text,
                    c.start_year, c.end_year, str(c.value), c.unit,
                    str(check.computed) if check and check.computed is not None else None,
                    check.verdict if check else r.stored_verdict,
                    check.against if check else r.stored_against,
                    " ".join(f"{a}:{b}" for a, b in r.against_spans) or None])
    return out


def summary(rows: Iterable[ClaimRow]) -> Counter[str]:
    counts = Counter({v: 0 for v in VERDICTS})
    counts.update(r.check.verdict for r in rows if r.check)
    return counts


def _short(text: str, width: int = 28) -> str:
    text = "".join(text.split())
    return text if len(text) <= width else "…" + text[-(width - 1):]


def _against(against: object, spans: object) -> str:
    """table; same_sentence; other_sentence [8740:8755]; same_sentence [9278:9305 …] (a sum)."""
    if against is None:
        return ""
    return f"{against} [{spans}]" if spans else str(against)


def table(records: list[list[object]], counts: Counter[str]) -> str:
    lines = []
    for doc, _, _, quote, kind, region, compared, _, y0, y1, stated, unit, computed, verdict, \
            against, spans in records:
        regions = f"{region}/{compared}" if compared else str(region or "")
        years = f"{y0}–{y1}" if y0 else str(y1 or "")
        lines.append("\t".join([str(doc), _short(str(quote)), str(kind), regions, years,
                                f"{stated}{unit or ''}", "" if computed is None else str(computed),
                                str(verdict), _against(against, spans)]))
    lines.append("")
    lines.append("  ".join(f"{v}: {counts[v]}" for v in VERDICTS)
                 + f"  ({sum(counts.values())} claims, {len(records)} listed)")
    return "\n".join(lines) + "\n"


def export_rows(ds: Dataset) -> list[tuple]:
    """`kg export claims`: the claims as the graph states them (stored verdict and value)."""
    ds.default_union = True
    return [(r.doc, r.claim.start, r.claim.end, r.claim.quote, str(r.claim.value),
             None if r.stored_computed is None else str(r.stored_computed), r.stored_verdict)
            for r in read_claims(ds)]
