"""What a document says about itself, and where its text came from, as triples of its node:
the type, year, issuer, place, plan periods, 文号 and language of extract/metadata.py
(`metadata_graph`), the file's media type and hash and the reader's name and version
(`source_graph`); and the concepts those point to, in the reference graph (`concept_graph`)."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from extract.metadata import PlanPeriod, document_types, plan_periods
from extract.records import ExtractedDocument
from kg import iris
from kg.build.ntriples import Sink
from kg.inputs.files import SourceText
from kg.inputs.stored import text_sha256
from kg.vocab import PKG


def document_type_iri(key: str) -> URIRef:
    return iris.entity(f"doctype/{key}")


def plan_period_iri(period: PlanPeriod) -> URIRef:
    """A plan by its years (plan-period/2021-2025): readable in any script."""
    return iris.entity(f"plan-period/{period.start}-{period.end}")


def _periods_by_name() -> dict[str, PlanPeriod]:
    return {p.name: p for p in plan_periods()}


def metadata_graph(record: ExtractedDocument, g: Sink) -> Sink:
    """The metadata the text states, on the document's node."""
    node = iris.document(record.doc)
    meta = record.meta
    g.add((node, DCTERMS.type, document_type_iri(meta.doc_type)))
    g.add((node, DCTERMS.language, Literal(meta.language)))
    if meta.year is not None:
        g.add((node, PKG.year, Literal(str(meta.year), datatype=XSD.gYear)))
    if meta.issuer:
        g.add((node, PKG.issuedBy, Literal(meta.issuer, lang="zh")))
    if meta.place:
        g.add((node, DCTERMS.spatial, iris.entity(meta.place)))
    periods = _periods_by_name()
    for name in meta.plan_periods:
        g.add((node, PKG.planPeriod, plan_period_iri(periods[name])))
    if meta.doc_number:
        g.add((node, PKG.documentNumber, Literal(meta.doc_number)))
    return g


def source_graph(source: SourceText, g: Sink) -> Sink:
    """Where the document's text came from: the file's media type and SHA-256, the reader with
    its version, and the SHA-256 of the text the evidence offsets count in."""
    node = iris.document(source.doc)
    g.add((node, DCTERMS.format, Literal(source.media_type)))
    if source.source_sha256:
        g.add((node, PKG.sourceSha256, Literal(source.source_sha256)))
    g.add((node, PKG.textSha256, Literal(text_sha256(source.text))))
    g.add((node, PKG.reader, Literal(source.reader)))
    return g


def concept_graph(g: Graph) -> Graph:
    """The document types and five-year plans as SKOS concepts (the objects of dcterms:type and
    pkg:planPeriod), from extract/patterns/."""
    for t in document_types():
        node = document_type_iri(t.key)
        g.add((node, RDF.type, PKG.DocumentType))
        g.add((node, SKOS.prefLabel, Literal(t.label_zh, lang="zh")))
        g.add((node, SKOS.prefLabel, Literal(t.label_en, lang="en")))
        g.add((node, SKOS.notation, Literal(t.key)))
    for p in plan_periods():
        node = plan_period_iri(p)
        g.add((node, RDF.type, PKG.PlanPeriod))
        g.add((node, SKOS.prefLabel, Literal(p.name, lang="zh")))
        g.add((node, SKOS.prefLabel, Literal(f"{p.label_en} ({p.start}–{p.end})", lang="en")))
        g.add((node, SKOS.notation, Literal(f"{p.start}-{p.end}")))
    return g
