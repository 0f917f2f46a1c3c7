"""`kg export`: tables of what the graph holds, for pandas or R (JSON lines or CSV)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from rdflib import RDF, Dataset
from rdflib.namespace import DCTERMS, SKOS

from kg.export.spreadsheet import csv_text
from kg.inspect.claims import EXPORT_COLUMNS
from kg.inspect.claims import export_rows as claim_rows
from kg.inspect.stats import local
from kg.vocab import OA, ONT_IRI, PKG

OBSERVATIONS = """
PREFIX pkg: <https://w3id.org/policy-kg/ont#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?table ?region ?year ?indicator ?unit ?value WHERE {
  ?o a qb:Observation ; qb:dataSet ?ds .
  ?ds rdfs:label ?table .
  OPTIONAL { ?o pkg:refArea ?area . ?area skos:prefLabel ?region . FILTER(LANG(?region) = "zh") }
  OPTIONAL { ?o pkg:refYear ?year }
  OPTIONAL { ?o pkg:indicator ?indicator }
  OPTIONAL { ?o pkg:unit ?unit }
  OPTIONAL { ?o pkg:value ?value }
} ORDER BY ?table ?region ?year ?indicator
"""

MENTION_COLUMNS = ("doc", "start", "end", "text", "type", "iri", "rule")
RECOMMENDATION_COLUMNS = ("doc", "section", "parent", "title", "strength", "targets", "actions")
# Without rdf:type tests: rdflib orders a pattern's triples when it parses the query, and a type
# test would make it start from every node of that type (docs/queries.md).
RELATIONS = """
PREFIX pkg: <https://w3id.org/policy-kg/ont#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?doc ?subject ?predicate ?object ?start ?end ?sentence ?rule WHERE {
  ?a rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; pkg:rule ?rule ; oa:hasTarget ?target .
  ?target oa:hasSource ?doc ; oa:hasSelector ?position , ?quoteSelector .
  ?position oa:start ?start ; oa:end ?end .
  ?quoteSelector oa:exact ?quote .
  OPTIONAL { ?quoteSelector oa:prefix ?prefix }
  OPTIONAL { ?quoteSelector oa:suffix ?suffix }
  ?s skos:prefLabel ?subject . FILTER (LANG(?subject) = "zh")
  ?o skos:prefLabel ?object . FILTER (LANG(?object) = "zh")
  BIND (STRAFTER(STR(?p), "#") AS ?predicate)
  BIND (CONCAT(COALESCE(?prefix, ""), ?quote, COALESCE(?suffix, "")) AS ?sentence)
} ORDER BY ?doc ?start ?end ?predicate ?subject ?object
"""
RELATION_COLUMNS = ("doc", "subject", "predicate", "object", "start", "end", "sentence", "rule")

KINDS = {
    "relations": (RELATIONS, RELATION_COLUMNS),
    "claims": (None, EXPORT_COLUMNS),
    "mentions": (None, MENTION_COLUMNS),
    "recommendations": (None, RECOMMENDATION_COLUMNS),
    "observations": (OBSERVATIONS, ("table", "region", "year", "indicator", "unit", "value")),
}
_INTEGERS = {"start", "end"}
_NUMBERS = {"value", "stated", "computed"}


def _cell(column: str, value) -> object:
    if value is None:
        return None
    if isinstance(value, list):
        return value
    if column in _INTEGERS:
        return int(value)
    if column in _NUMBERS:
        return float(value)
    if column in ("doc", "type"):
        return local(str(value))
    return str(value)


def _mention_rows(ds: Dataset) -> list[tuple]:
    """Walked in Python: rdflib's SPARQL joins the five nodes of each annotation slowly."""
    rows = []
    for m in ds.subjects(RDF.type, PKG.Mention):
        body, target = ds.value(m, OA.hasBody), ds.value(m, OA.hasTarget)
        start = end = exact = None
        for selector in ds.objects(target, OA.hasSelector):
            start = ds.value(selector, OA.start, default=start)
            end = ds.value(selector, OA.end, default=end)
            exact = ds.value(selector, OA.exact, default=exact)
        cls = next((c for c in ds.objects(body, RDF.type) if str(c).startswith(ONT_IRI)), None)
        rows.append((ds.value(target, OA.hasSource), start, end, exact, cls, body,
                     ds.value(m, PKG.rule)))
    return sorted(rows, key=lambda r: (str(r[0]), int(r[1]), int(r[2])))


def _label(ds: Dataset, node) -> str:
    labels = [o for o in ds.objects(node, SKOS.prefLabel) if getattr(o, "language", None) == "zh"]
    return str(labels[0]) if labels else str(node)


def _recommendation_rows(ds: Dataset) -> list[tuple]:
    """Targets (zh labels) and actions ("verb object") as lists: JSON arrays in both formats."""
    rows = []
    for r in ds.subjects(RDF.type, PKG.PolicyRecommendation):
        parent = ds.value(r, PKG.parent)
        # in text order: the order in which the text states them, not alphabetical
        actions = [f"{ds.value(a, PKG.verb)}{ds.value(a, PKG.actionObject)}"
                   for a in sorted(ds.objects(r, PKG.hasAction), key=lambda a: _start(ds, a))]
        targets = sorted({_label(ds, t) for t in ds.objects(r, PKG.targets)})
        rows.append((ds.value(r, DCTERMS.isPartOf), ds.value(r, PKG.sectionNumber),
                     ds.value(parent, PKG.sectionNumber) if parent else None,
                     ds.value(r, DCTERMS.title), ds.value(r, PKG.strength), targets,
                     actions, _start(ds, r)))
    rows.sort(key=lambda row: (str(row[0]), row[-1]))
    return [row[:-1] for row in rows]


def _start(ds: Dataset, node) -> int:
    """Text order: the start offset of the node's evidence."""
    for selector in ds.objects(ds.value(node, OA.hasTarget), OA.hasSelector):
        start = ds.value(selector, OA.start)
        if start is not None:
            return int(start)
    return 0


def export_rows(ds: Dataset, kind: str) -> tuple[tuple[str, ...], list[list[object]]]:
    query, columns = KINDS[kind]
    ds.default_union = True
    if kind == "mentions":
        raw = _mention_rows(ds)
    elif kind == "recommendations":
        raw = _recommendation_rows(ds)
    elif kind == "claims":
        raw = claim_rows(ds)
    else:
        raw = ds.query(query)
    rows = [[_cell(c, v) for c, v in zip(columns, row, strict=True)] for row in raw]
    return columns, rows


def as_jsonl(columns: Iterable[str], rows: list[list[object]]) -> str:
    cols = list(columns)
    return "".join(json.dumps(dict(zip(cols, r, strict=True)), ensure_ascii=False) + "\n"
                   for r in rows)


def as_csv(columns: Iterable[str], rows: list[list[object]]) -> str:
    """Lists become JSON arrays; cells a spreadsheet would evaluate are neutralised."""
    return csv_text(columns, [[json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v
                               for v in r] for r in rows])
