"""Relations a document states, as triples in its named graph, each with a reified evidence node.

For every `Relation` the document graph gets the triple itself (so that plain queries see it)
and a `pkg:Assertion` (⊂ rdf:Statement) naming the same subject, predicate and object, with a
Web Annotation target on the evidence span (quote prefix and suffix complete the sentence), the
rule, the confidence and the document it came from. One SPARQL pattern therefore gives the
evidence of any triple:

    ?a rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; oa:hasTarget ?target .

A text statement that puts a place in another member of an exclusive split than the reference
data does (山西 among the western provinces) is kept and marked `pkg:contradicts` a reified
reference statement: conflicts stay visible, and a check query finds unmarked ones.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS

import kgdata
from extract.gazetteer import Gazetteer
from extract.relations import Relation
from kg import iris
from kg.build.evidence import add_target, confidence
from kg.build.ntriples import Sink, TripleSink
from kg.vocab import PKG


@dataclass(frozen=True, slots=True)
class Partition:
    key: str
    label_zh: str
    label_en: str
    members: frozenset[str]  # macro-region refs
    source: str


@lru_cache(maxsize=1)
def partitions() -> tuple[Partition, ...]:
    path = kgdata.reference_dir() / "region_partitions.csv"
    with path.open(encoding="utf-8", newline="") as f:
        return tuple(Partition(r["key"], r["label_zh"], r["label_en"],
                               frozenset(r["members"].split(";")), r["source"])
                     for r in csv.DictReader(f))


def partition_graph(g: Graph) -> Graph:
    """The exclusive splits as SKOS collections (into the reference graph)."""
    for p in partitions():
        node = iris.partition(p.key)
        g.add((node, RDF.type, SKOS.Collection))
        g.add((node, SKOS.prefLabel, Literal(p.label_zh, lang="zh")))
        g.add((node, SKOS.prefLabel, Literal(p.label_en, lang="en")))
        g.add((node, DCTERMS.source, Literal(p.source)))
        for member in sorted(p.members):
            g.add((node, SKOS.member, iris.entity(member)))
    return g


def reference_conflicts(r: Relation, gaz: Gazetteer) -> list[str]:
    """The regions the reference data puts `r.subject` in, where the text puts it in another
    member of the same exclusive split."""
    if r.predicate != "partOf" or r.subject not in gaz.entries:
        return []
    stated = {v for p, v in gaz.entries[r.subject].facts if p == "partOf"}
    out = []
    for p in partitions():
        if r.object in p.members:
            out += sorted(x for x in stated & p.members if x != r.object)
    return out


def add_assertion(g: TripleSink, node: URIRef, doc_iri: URIRef, text: str, r: Relation) -> None:
    s, p, o = iris.entity(r.subject), PKG[r.predicate], iris.entity(r.object)
    g.add((s, p, o))
    g.add((node, RDF.type, PKG.Assertion))
    g.add((node, RDF.subject, s))
    g.add((node, RDF.predicate, p))
    g.add((node, RDF.object, o))
    add_target(g, node, doc_iri, r.start, r.end, text[r.start:r.end],
               text[r.sentence_start:r.start], text[r.end:r.sentence_end])
    g.add((node, PKG.rule, Literal(r.rule)))
    g.add((node, PKG.confidence, confidence(r.confidence)))
    g.add((node, PROV.wasDerivedFrom, doc_iri))


def add_conflict(g: TripleSink, node: URIRef, r: Relation, region: str) -> None:
    ref = URIRef(f"{node}/reference/{region.rsplit('/', 1)[-1]}")
    g.add((node, PKG.contradicts, ref))
    g.add((ref, RDF.type, RDF.Statement))
    g.add((ref, RDF.subject, iris.entity(r.subject)))
    g.add((ref, RDF.predicate, PKG[r.predicate]))
    g.add((ref, RDF.object, iris.entity(region)))
    g.add((ref, PROV.wasDerivedFrom, iris.graph("reference")))


def relation_graph(doc_key: str, text: str, relations: Sequence[Relation], gaz: Gazetteer,
                   g: Sink) -> Sink:
    """Adds the relations of document `doc_key` (offsets into `text`) to `g`, its named graph.
    Assertions are numbered from 1 in the order given (find_relations gives text order)."""
    doc_iri = iris.document(doc_key)
    for n, r in enumerate(relations, start=1):
        node = iris.assertion(doc_key, n)
        add_assertion(g, node, doc_iri, text, r)
        for region in reference_conflicts(r, gaz):
            add_conflict(g, node, r, region)
    return g


def conflict_rows(relations: Iterable[Relation], gaz: Gazetteer) -> list[dict]:
    """The conflicts for the build report: subject, text's region, reference's, offsets."""
    return [{"subject": gaz.entries[r.subject].label_zh, "predicate": r.predicate,
             "text_object": gaz.entries[r.object].label_zh,
             "reference_object": gaz.entries[region].label_zh, "start": r.start, "end": r.end}
            for r in relations for region in reference_conflicts(r, gaz)]
