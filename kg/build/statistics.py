"""A document's statistics tables as RDF Data Cube: one qb:DataSet per table, one qb:Observation
per cell, each cell with the same evidence (document, offsets, exact text) as a mention."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, QB, RDF, RDFS, XSD

from extract.tables import Observation, Table
from kg import iris
from kg.build.evidence import add_target, confidence, decimal
from kg.build.ntriples import Sink, TripleSink
from kg.vocab import PKG


def add_dataset(g: TripleSink, doc_iri: URIRef, node: URIRef, table: Table) -> None:
    g.add((node, RDF.type, QB.DataSet))
    g.add((node, QB.structure, PKG.RegionalStatisticsStructure))
    g.add((node, PROV.wasDerivedFrom, doc_iri))
    label = table.caption or table.label
    if label:
        g.add((node, RDFS.label, Literal(label, lang="zh")))
    if table.source:
        g.add((node, DCTERMS.source, Literal(table.source)))


def add_observation(g: TripleSink, doc_iri: URIRef, dataset: URIRef, node: URIRef, text: str,
                    o: Observation) -> None:
    g.add((node, RDF.type, QB.Observation))
    g.add((node, QB.dataSet, dataset))
    # A row label the gazetteer could not resolve leaves the area open rather than guessed.
    if o.region is not None:
        g.add((node, PKG.refArea, iris.entity(o.region)))
    if o.year is not None:
        g.add((node, PKG.refYear, Literal(str(o.year), datatype=XSD.gYear)))
    if o.indicator:
        g.add((node, PKG.indicator, Literal(o.indicator, lang="zh")))
    if o.unit:
        g.add((node, PKG.unit, Literal(o.unit, lang="zh")))
    # A missing cell has no value: find_tables never guesses one.
    if o.status != "missing" and o.value is not None:
        g.add((node, PKG.value, decimal(str(o.value))))
    g.add((node, PKG.observationStatus, Literal(o.status)))
    g.add((node, PKG.confidence, confidence(o.confidence)))
    # An empty cell has no span to quote (a selector must cover at least one character).
    if o.end > o.start:
        add_target(g, node, doc_iri, o.start, o.end, text[o.start:o.end])


def statistics_graph(doc_key: str, text: str, tables: Iterable[Table], g: Sink) -> Sink:
    """Adds the tables of the document `doc_key` (read from `text` by find_tables) to `g`, the
    document's named graph. Tables are numbered from 1 in text order, cells from 1 in reading
    order, so that identifiers stay stable while the text does."""
    doc_iri = iris.document(doc_key)
    for n, table in enumerate(tables, start=1):
        dataset = iris.dataset(doc_key, n)
        add_dataset(g, doc_iri, dataset, table)
        for i, o in enumerate(table.observations, start=1):
            add_observation(g, doc_iri, dataset, iris.observation(doc_key, n, i), text, o)
    return g
