"""`kg export graph`: the whole graph as TriG, N-Quads, Turtle or compact JSON-LD.

TriG, N-Quads and JSON-LD keep the named graphs (ontology, reference, one per document). Turtle
has no named graphs, so it holds their union: each distinct triple once, its graph forgotten.
The JSON-LD is compacted with the published context (`ontology/context.jsonld`) and names it by
its IRI, CONTEXT_IRI; the local copy is read, nothing is fetched.
"""

from __future__ import annotations

import json

from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.plugins.serializers.jsonld import from_rdf

from kg.errors import InputError
from kg.ontology import CONTEXT_IRI, local_context
from kg.store.base import GraphStore
from kg.store.files import write_with_oxigraph

GRAPH_FORMATS = ("trig", "nquads", "turtle", "jsonld")
TABLE_FORMATS = ("jsonl", "csv")
_RDFLIB = {"trig": "trig", "nquads": "nquads", "turtle": "turtle"}


def export_format(kind: str, fmt: str | None) -> str:
    """The format to write: the kind's default when none is given; a mismatch is bad input."""
    allowed = GRAPH_FORMATS if kind == "graph" else TABLE_FORMATS
    if fmt is None:
        return allowed[0]
    if fmt not in allowed:
        raise InputError(f"--format {fmt}: export {kind} writes {', '.join(allowed)}")
    return fmt


def prefixes(context: dict) -> dict[str, str]:
    """The context's prefix definitions (terms whose value is a namespace IRI)."""
    return {k: v for k, v in context.items()
            if isinstance(v, str) and v.startswith("http") and v.endswith(("#", "/"))}


def union_graph(ds: Dataset) -> Graph:
    """Every named graph's triples in one graph: what Turtle can hold."""
    g = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def serialize_store(store: GraphStore, fmt: str) -> str:
    """The store's graph in `fmt`, written by the store where it can (Oxigraph: TriG and
    N-Quads), else by rdflib."""
    native = store.dump(fmt, prefixes(local_context()))
    return native.decode("utf-8") if native is not None else serialize(store.dataset(), fmt)


def serialize(ds: Dataset, fmt: str) -> str:
    """`ds` in `fmt`: JSON-LD by rdflib (compacted with our context); TriG, N-Quads and Turtle
    by Oxigraph (kg/store/files.py), by rdflib only where Oxigraph refuses a term."""
    if fmt == "jsonld":
        return json.dumps(to_jsonld(ds), ensure_ascii=False, indent=1) + "\n"
    written = write_with_oxigraph(ds, fmt, prefixes(local_context()))
    if written is not None:
        return written.decode("utf-8")
    target: Graph = union_graph(ds) if fmt == "turtle" else ds
    for prefix, namespace in prefixes(local_context()).items():
        target.bind(prefix, namespace, override=True, replace=True)
    return target.serialize(format=_RDFLIB[fmt], encoding="utf-8").decode("utf-8")


def to_jsonld(ds: Dataset) -> dict:
    """Compact JSON-LD: one top-level @graph object (with its @id) per named graph, sorted."""
    raw = from_rdf(ds, context_data=_compaction_context(ds, local_context()))
    raw.pop("@context", None)
    objects = raw["@graph"] if set(raw) == {"@graph"} else [raw]  # one graph: not wrapped
    graphs, default = [], []
    for obj in objects:
        if "@id" in obj and "@graph" in obj:
            graphs.append({"@id": obj["@id"], "@graph": _sorted(obj["@graph"])})
        else:  # triples of the default graph (the builder writes none)
            default.extend(obj.get("@graph", [obj]))
    graphs.sort(key=lambda g: g["@id"])
    return {"@context": CONTEXT_IRI, "@graph": _sorted(default) + graphs}


def _compaction_context(ds: Dataset, context: dict) -> dict:
    """The context without the @id coercion of terms that have blank-node values here.

    rdflib writes such a value as a bare "_:b0" and drops the blank node's own triples (an
    rdfs:domain that is an owl:unionOf); written as {"@id": "_:b0"} they are kept. Either form
    means the same under the published context, whose terms are unchanged.
    """
    ctx = dict(context)
    for term, definition in context.items():
        if isinstance(definition, dict) and definition.get("@type") == "@id":
            p = URIRef(_expand(definition["@id"], context))
            if any(isinstance(o, BNode) for _, _, o, _ in ds.quads((None, p, None, None))):
                ctx[term] = {k: v for k, v in definition.items() if k != "@type"}
    return ctx


def _expand(curie: str, context: dict) -> str:
    prefix, _, local = curie.partition(":")
    namespace = context.get(prefix)
    return namespace + local if isinstance(namespace, str) and not local.startswith("//") else curie


def _sorted(nodes: list[dict]) -> list[dict]:
    """The same nodes in a stable order: by @id, keys @id and @type first, sets sorted."""
    return sorted((_stable(n) for n in nodes), key=lambda n: str(n.get("@id", "")))


def _stable(node: dict) -> dict:
    first = [k for k in ("@id", "@type") if k in node]
    return {k: _stable_value(node[k]) for k in first + sorted(set(node) - set(first))}


def _stable_value(value: object) -> object:
    if isinstance(value, list):  # a set of values (lists are {"@list": …}, left in order)
        return sorted((_stable_value(v) for v in value),
                      key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    if isinstance(value, dict) and "@list" not in value:
        return {k: _stable_value(v) for k, v in sorted(value.items())}
    return value
