"""One document's record in, that document's named graph out.

`document_graph(record, gaz)` is the whole of what a build does per document once the text is
read: a pure function of the record and the gazetteer (the same record gives the same
triples; it keeps no state and writes nothing; the only file it reads is the packaged table of
region partitions, once per process), so documents can be turned into graphs in any order, in
parallel, or only the ones that changed. The ontology and reference graphs are the rest of a
build (kg/build/run.py, `assemble`).
"""

from __future__ import annotations

from typing import TypeVar

from rdflib import Graph, URIRef

from extract.gazetteer import Gazetteer
from extract.records import ExtractedDocument
from kg import iris
from kg.build.claims import claim_graph
from kg.build.evidence import mention_graph
from kg.build.metadata import metadata_graph
from kg.build.ntriples import TripleSink
from kg.build.recommendations import recommendation_graph
from kg.build.relations import relation_graph
from kg.build.statistics import statistics_graph

Sink = TypeVar("Sink", bound=TripleSink)


def document_graph_iri(doc_key: str) -> URIRef:
    """The name of the document's graph in the dataset."""
    return iris.graph(f"doc/{doc_key}")


def document_graph(record: ExtractedDocument, gaz: Gazetteer, into: Sink | None = None
                   ) -> Sink | Graph:
    """The named graph of the document: its metadata (title, type, year, issuer, place, plan
    periods, 文号, language) and mentions, statistics tables,
    recommendations, relations (marked where they contradict the reference data of `gaz`) and
    checked numeric claims, each with its evidence in the text. The triples go into `into`
    when given (the document's graph in a dataset: copying a finished graph in would take as
    long again as making it, or a `Triples` set, kg/build/ntriples.py, cheaper than any graph),
    else into a new graph named `document_graph_iri(record.doc)`; either way nothing is read
    from the graph."""
    g = into if into is not None else Graph(identifier=document_graph_iri(record.doc))
    mention_graph(record, gaz, g)
    metadata_graph(record, g)
    statistics_graph(record.doc, record.text, record.tables, g)
    recommendation_graph(record.doc, record.text, record.recommendations, record.mentions, g,
                         gaz)
    relation_graph(record.doc, record.text, record.relations, gaz, g)
    claim_graph(record.doc, record.claims, g)
    return g
