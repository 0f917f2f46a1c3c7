"""A document's numeric claims (extract/claims.py) in its named graph, each with its verdict
against the document's own statistics tables (extract/claim_check.py) and its span as evidence.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from extract.claim_check import VERDICTS, Check, cells_from_tables, check_claims
from extract.claims import NumericClaim, find_claims
from extract.records import ExtractedDocument
from extract.tables import Table
from kg import iris
from kg.build.evidence import add_target, confidence
from kg.vocab import PKG


def add_claim(g: Graph, doc_iri: URIRef, node: URIRef, c: NumericClaim, check: Check) -> None:
    g.add((node, RDF.type, PKG.NumericClaim))
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
    g.add((node, PKG.statedValue, Literal(str(c.value), datatype=XSD.decimal)))
    if c.unit:
        g.add((node, PKG.unit, Literal(c.unit, lang="zh")))
    if c.qualifier:
        g.add((node, PKG.qualifier, Literal(c.qualifier)))
    if check.computed is not None:
        g.add((node, PKG.computedValue, Literal(str(check.computed), datatype=XSD.decimal)))
    g.add((node, PKG.verdict, Literal(check.verdict)))
    g.add((node, PKG.rule, Literal(c.rule)))
    g.add((node, PKG.confidence, confidence(c.confidence)))
    add_target(g, node, doc_iri, c.start, c.end, c.quote)


def claim_graph(doc_key: str, claims: Sequence[NumericClaim], checks: Sequence[Check],
                g: Graph) -> Graph:
    """Adds the claims of the document `doc_key` (find_claims, in text order) with their checks
    (check_claims, same order) to `g`, the document's named graph; claims are numbered from 1."""
    doc_iri = iris.document(doc_key)
    for n, (c, check) in enumerate(zip(claims, checks, strict=True), start=1):
        add_claim(g, doc_iri, iris.claim(doc_key, n), c, check)
    return g


Claims = tuple[list[NumericClaim], list[Check]]


def document_claims(doc: ExtractedDocument, tables: Sequence[Table]) -> Claims:
    """The document's claims, each checked against the document's own tables."""
    claims = find_claims(doc.text, doc.mentions, doc.sentences)
    return claims, check_claims(claims, cells_from_tables(tables))


def claim_report(claims: dict[str, Claims]) -> dict:
    """The build report's entries: claims per document and a count per verdict."""
    verdicts = Counter(check.verdict for _, checks in claims.values() for check in checks)
    return {"claims_per_document": {doc: len(c) for doc, (c, _) in claims.items()},
            "claim_verdicts": {v: verdicts.get(v, 0) for v in VERDICTS}}
