"""kg/store/files.py writes an rdflib Dataset as TriG, N-Quads or Turtle by Oxigraph
(`write_with_oxigraph`): what rdflib reads back is the graph it was given, blank nodes
included; one graph gives the same bytes however its blank nodes are labelled or its quads
ordered; a term Oxigraph refuses leaves the writing to rdflib."""

from __future__ import annotations

import pytest
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from kg.export.graph import serialize, union_graph
from kg.store.files import write_with_oxigraph

EX = "http://example.org/"
GRAPH_FILE = """@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a ex:p "plain" , "中文"@zh , 0.80 , 42 , true , "2025"^^xsd:gYear , 1.5e3 .
ex:g { ex:a ex:q [ ex:r "x" ] , _:b1 , _:b2 . _:b1 ex:s "y" ; ex:t ( ex:a ex:b ) .
       _:b2 ex:s "y" ; ex:t ( ex:b ex:a ) . ex:a ex:p 42 . }
ex:h { ex:a ex:p "plain" . }
"""
PREFIXES = {"ex": EX, "unused": "http://unused.example.org/"}


def dataset(text: str = GRAPH_FILE) -> Dataset:
    ds = Dataset()
    ds.parse(data=text, format="trig")
    return ds


def graphs(ds: Dataset) -> dict[str, Graph]:
    return {str(g.identifier): g for g in ds.graphs() if len(g)}


@pytest.mark.parametrize("fmt", ["trig", "nquads"])
def test_rdflib_reads_back_every_graph_blank_nodes_included(fmt):
    source = dataset()
    back = Dataset()
    back.parse(data=write_with_oxigraph(source, fmt, PREFIXES).decode("utf-8"), format=fmt)
    want, have = graphs(source), graphs(back)
    assert {name: len(g) for name, g in have.items()} == {name: len(g) for name, g in want.items()}
    assert set(want) == {EX + "g", EX + "h", "urn:x-rdflib:default"}
    for name, g in want.items():
        assert isomorphic(have[name], g), name


def test_turtle_is_the_union_each_triple_once():
    source = dataset()
    text = write_with_oxigraph(source, "turtle", PREFIXES).decode("utf-8")
    back = Graph().parse(data=text, format="turtle")
    union = union_graph(source)
    assert len(back) == len(union) == sum(len(g) for g in graphs(source).values()) - 2
    assert isomorphic(back, union)
    assert "{" not in text


def test_the_same_graph_gives_the_same_bytes_whatever_its_labels_and_order():
    """Two parses label the blank nodes differently (rdflib's labels are random); the second
    dataset also gets its quads in the reverse order."""
    first, second = dataset(), Dataset()
    for s, p, o, g in reversed(list(dataset().quads((None, None, None, None)))):
        second.graph(g if isinstance(g, URIRef) else g.identifier).add((s, p, o))
    assert {b for b in first.all_nodes() if isinstance(b, BNode)}.isdisjoint(
        b for b in second.all_nodes() if isinstance(b, BNode))
    for fmt in ("trig", "nquads", "turtle"):
        assert write_with_oxigraph(first, fmt, PREFIXES) == write_with_oxigraph(
            second, fmt, PREFIXES), fmt


def test_blank_nodes_get_labels_of_their_own():
    text = write_with_oxigraph(dataset(), "nquads", {}).decode("utf-8")
    labels = {word for line in text.splitlines() for word in line.split()
              if word.startswith("_:")}
    # [ ex:r "x" ], _:b1, _:b2 and the 2 × 2 list cells
    assert sorted(labels) == [f"_:b{i}" for i in range(7)]


def test_only_the_prefixes_the_graph_uses_with_plain_local_names():
    ds = dataset(GRAPH_FILE + "ex:h { ex:a ex:p <http://example.org/path/with/slashes> . }\n")
    text = write_with_oxigraph(ds, "trig", PREFIXES).decode("utf-8")
    assert "@prefix ex:" not in text  # ex:path\/with\/slashes would need backslashes
    assert "<http://example.org/path/with/slashes>" in text and "\\" not in text
    text = write_with_oxigraph(dataset(), "trig", PREFIXES).decode("utf-8")
    assert "@prefix ex: <http://example.org/> ." in text and "unused" not in text
    assert "ex:a ex:p" in text


def test_a_literal_typed_xsd_string_is_written_plain():
    """The same term in RDF 1.1, written as Oxigraph's store writes it and as the memory store
    reads it (kg/store/files.py); rdflib alone tells the two apart."""
    ds = dataset('<http://example.org/g> { <http://example.org/a> <http://example.org/p> '
                 '"x"^^<http://www.w3.org/2001/XMLSchema#string> . }')
    assert write_with_oxigraph(ds, "nquads", {}) == (
        b'<http://example.org/a> <http://example.org/p> "x" <http://example.org/g> .\n')


def test_a_term_oxigraph_refuses_is_left_to_rdflib():
    ds = dataset()
    ds.graph(URIRef(EX + "g")).add((URIRef(EX + "a"), URIRef(EX + "p"), URIRef("relative")))
    assert write_with_oxigraph(ds, "trig", PREFIXES) is None
    assert "<relative>" in serialize(ds, "trig")  # rdflib writes it as it always has


def test_jsonld_is_not_written_by_oxigraph():
    assert write_with_oxigraph(dataset(), "jsonld", PREFIXES) is None


@pytest.mark.parametrize("suffix", [".trig", ".nq"])
def test_replacing_a_graph_rewrites_the_file_in_its_own_format(tmp_path, suffix):
    """What `kg link` does to the memory store's file (kg/store/load.py, replace_graph): the
    named graph replaced, every other graph as it was, blank nodes included."""
    from kg.store.base import StoreSpec
    from kg.store.load import replace_graph

    fmt = "trig" if suffix == ".trig" else "nquads"
    path = tmp_path / f"graph{suffix}"
    path.write_bytes(write_with_oxigraph(dataset(), fmt, PREFIXES))
    links = Graph()
    links.add((URIRef(EX + "a"), URIRef(EX + "same"), URIRef("http://other.example.org/a")))
    loaded = replace_graph(StoreSpec("memory", str(path)), URIRef(EX + "h"), links)
    assert (loaded.graph, loaded.triples) == (EX + "h", 1)
    back = Dataset()
    back.parse(path, format=fmt)  # rdflib reads the file in the format its suffix names
    want = graphs(dataset())
    have = graphs(back)
    assert set(have) == set(want)
    assert isomorphic(have[EX + "h"], links)
    for name in (EX + "g", "urn:x-rdflib:default"):
        assert isomorphic(have[name], want[name]), name
