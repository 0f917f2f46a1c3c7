"""A document's numeric claims (extract/claims.py) in its named graph, each with its verdict
against the document's own statistics tables (extract/claim_check.py) or the figures of its text
(extract/claim_text.py, claim_sums.py, claim_restated.py) and its span as evidence. A sum is a
pkg:SumClaim whose parts are claims (dcterms:hasPart); a restated figure is
prov:wasDerivedFrom the claim that stated it first.
"""

from __future__ import annotations

from collections.abc import Sequence

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, XSD

from extract.claim_check import Check
from extract.claims import ClaimId, NumericClaim, claim_id
from extract.records import CheckedClaim
from kg import iris
from kg.build.evidence import add_target, confidence, decimal
from kg.build.ntriples import Sink, TripleSink
from kg.vocab import PKG


def add_claim(g: TripleSink, doc_iri: URIRef, node: URIRef, c: NumericClaim, check: Check,
              by_id: dict[ClaimId, URIRef] | None = None) -> None:
    """`by_id`: the IRIs of the document's claims by their claim_id, which a sum's parts and a
    restated figure's first statement name."""
    by_id = by_id or {}
    g.add((node, RDF.type, PKG.NumericClaim))
    if c.parts:
        g.add((node, RDF.type, PKG.SumClaim))
        for part in c.parts:
            g.add((node, DCTERMS.hasPart, by_id[part]))
    if check.compared_with is not None:
        g.add((node, PROV.wasDerivedFrom, by_id[check.compared_with]))
    g.add((node, DCTERMS.isPartOf, doc_iri))
    g.add((node, PKG.claimKind, Literal(c.kind)))
    if c.region:
        g.add((node, PKG.refArea, iris.entity(c.region)))
    if c.compared:
        g.add((node, PKG.comparedArea, iris.entity(c.compared)))
    if c.indicator_text:
        g.add((node, PKG.statedIndicator, Literal(c.indicator_text, lang="zh")))
    if c.indicator:
        g.add((node, PKG.indicator, Literal(c.indicator, lang="zh")))
    if c.start_year is not None:
        g.add((node, PKG.startYear, Literal(str(c.start_year), datatype=XSD.gYear)))
    if c.end_year is not None:
        g.add((node, PKG.endYear, Literal(str(c.end_year), datatype=XSD.gYear)))
    # the lexical form keeps the printed decimals (0.050), which the check's precision needs
    g.add((node, PKG.statedValue, decimal(c.value)))
    if c.unit:
        g.add((node, PKG.unit, Literal(c.unit, lang="zh")))
    if c.qualifier:
        g.add((node, PKG.qualifier, Literal(c.qualifier)))
    if check.computed is not None:
        g.add((node, PKG.computedValue, decimal(check.computed)))
    g.add((node, PKG.verdict, Literal(check.verdict)))
    if check.against is not None:
        g.add((node, PKG.checkedAgainst, Literal(check.against)))
    g.add((node, PKG.rule, Literal(c.rule)))
    g.add((node, PKG.confidence, confidence(c.confidence)))
    add_target(g, node, doc_iri, c.start, c.end, c.quote)


def claim_graph(doc_key: str, claims: Sequence[CheckedClaim], g: Sink) -> Sink:
    """Adds the checked claims of the document `doc_key` (in text order) to `g`, the
    document's named graph; claims are numbered from 1."""
    doc_iri = iris.document(doc_key)
    by_id = {claim_id(c.claim): iris.claim(doc_key, n) for n, c in enumerate(claims, start=1)}
    for n, checked in enumerate(claims, start=1):
        add_claim(g, doc_iri, iris.claim(doc_key, n), checked.claim, checked.check, by_id)
    return g

