"""`kg stats`: what a built graph holds, per class and per document."""

from __future__ import annotations

from rdflib import Dataset

from kg.vocab import ONT_IRI

PER_CLASS = f"""
PREFIX pkg: <{ONT_IRI}>
SELECT ?class (COUNT(DISTINCT ?e) AS ?entities) (COUNT(DISTINCT ?m) AS ?mentions) WHERE {{
  GRAPH ?g {{ ?m a pkg:Mention ; <http://www.w3.org/ns/oa#hasBody> ?e }}
  ?e a ?class .
  FILTER(STRSTARTS(STR(?class), STR(pkg:)))
}} GROUP BY ?class ORDER BY DESC(?entities) ?class
"""

DOCUMENTS = f"""
PREFIX pkg: <{ONT_IRI}>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?doc (SAMPLE(?t) AS ?title) (COUNT(DISTINCT ?e) AS ?entities) WHERE {{
  GRAPH ?g {{ ?doc a pkg:Document . OPTIONAL {{ ?doc dcterms:title ?t }}
             OPTIONAL {{ ?doc pkg:mentions ?e }} }}
}} GROUP BY ?doc ORDER BY ?doc
"""

MENTIONS_PER_DOCUMENT = f"""
PREFIX pkg: <{ONT_IRI}>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?doc (COUNT(?m) AS ?mentions) WHERE {{
  GRAPH ?g {{ ?m a pkg:Mention ; oa:hasTarget ?t . ?t oa:hasSource ?doc }}
}} GROUP BY ?doc
"""


def local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def stats(ds: Dataset) -> dict:
    ds.default_union = True
    per_class = [{"class": local(str(r[0])), "entities": int(r[1]), "mentions": int(r[2])}
                 for r in ds.query(PER_CLASS)]
    mentions = {str(r[0]): int(r[1]) for r in ds.query(MENTIONS_PER_DOCUMENT)}
    per_doc = [{"doc": local(str(r[0])), "title": str(r[1] or ""), "entities": int(r[2]),
                "mentions": mentions.get(str(r[0]), 0)} for r in ds.query(DOCUMENTS)]
    return {"per_class": per_class, "per_document": per_doc,
            "triples": len(ds), "named_graphs": sum(1 for _ in ds.graphs())}
