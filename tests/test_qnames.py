"""kg/store/qnames.py: the TriG written with the flat namespace manager is rdflib's, byte for
byte."""

from __future__ import annotations

from rdflib import Dataset, Literal, URIRef
from rdflib import namespace as ns

from kg import iris
from kg.build.steps import new_dataset
from kg.store.qnames import use_flat_namespaces
from kg.vocab import PKG


def fill(ds: Dataset) -> Dataset:
    """Triples like a build's: vocabulary terms, typed literals, and evidence IRIs that each have
    a namespace of their own (…/mention/doc/5-7/target)."""
    g = ds.graph(iris.graph("doc/d"))
    for n in range(50):
        mention = URIRef(f"{iris.id_base()}mention/d/{n}-{n + 2}")
        g.add((mention, ns.RDF.type, PKG.Mention))
        g.add((mention, ns.RDFS.label, Literal(f"广西{n}", lang="zh")))
        g.add((mention, PKG.confidence, Literal("0.8", datatype=ns.XSD.decimal)))
        g.add((URIRef(f"{mention}/target"), ns.SKOS.note, Literal(n)))
        g.add((mention, URIRef("http://example.org/vocab/unbound#p"), Literal("x")))
    return ds


def test_the_trig_is_the_same_as_rdflibs():
    flat = fill(new_dataset())
    plain = new_dataset()
    plain.namespace_manager = Dataset().namespace_manager  # rdflib's own manager …
    for prefix, namespace in flat.namespaces():
        plain.bind(prefix, namespace)  # … with the same prefixes
    plain = fill(plain)
    assert type(flat.namespace_manager).__name__ == "FlatNamespaceManager"
    written = flat.serialize(format="trig")
    assert written == plain.serialize(format="trig")
    # rdflib's defaults stay bound; an unbound predicate namespace gets a generated prefix
    for line in ("@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
                 "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
                 "@prefix ns1: <http://example.org/vocab/unbound#> ."):
        assert line in written


def test_a_graph_keeps_its_bindings():
    ds = Dataset()
    ds.bind("ex", "http://example.org/")
    use_flat_namespaces(ds)
    assert ds.namespace_manager.normalizeUri(URIRef("http://example.org/a")) == "ex:a"
    assert ds.namespace_manager.normalizeUri(ns.RDF.type) == "rdf:type"
    assert ds.namespace_manager.normalizeUri(URIRef("http://nowhere.org/x/1/y")) == (
        "<http://nowhere.org/x/1/y>")
