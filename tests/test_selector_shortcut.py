"""The build's validator leaves one shape, `TextPositionSelectorShape` (a fifth of
pyshacl-turbo's time on the 27 reports), out of the engine's run where the document's own
triples show it would find nothing (`plain_selectors`, kg/build/validate.py; docs/scale.md,
"Validation"). These tests hold the engine to that: without the shape it gives every other
result, on every shape case; a document whose selectors are plain gives the shape nothing;
and a document with any selector fault is validated with the shape, so the fault is reported."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SH
from test_ontology import CASE_FILES, load_case, ontology, results

from kg.build.ntriples import Triple, Triples
from kg.build.steps import corpus_dataset, document_triples
from kg.build.validate import (
    SELECTOR_SHAPE,
    DocumentValidator,
    _compiled_shapes,
    plain_selectors,
    selector_classes,
    shapes_but,
)
from kg.inputs.files import SourceText
from kg.ontology import shapes_graph
from kg.vocab import OA

TEXT = "广西壮族自治区首府南宁市与北部湾城市群相连，成渝地区双城经济圈和西部陆海新通道也在其中。"
# (XSD stays behind the module: pytest's collection warns on that DefinedNamespace.)
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
EXTRA_CLASS = "https://example.org/ExtraSelector"
SELECTOR_CASES = [p for p in CASE_FILES if p.stem.startswith(("selector_", "target_"))]


def selector_shape_parts() -> set[str]:
    """The shape and its property shapes: a result's sh:sourceShape is one of these."""
    graph = shapes_graph()
    return {str(SELECTOR_SHAPE), *(str(p) for p in graph.objects(SELECTOR_SHAPE, SH.property))}


def engine_results(data: Graph, use_shapes: list[str] | None = None) -> set[tuple[str, ...]]:
    """The build's engine on the data with the ontology, as the shape cases are validated."""
    _, report, _ = _compiled_shapes().validate(data + ontology(), inference="none",
                                               allow_warnings=True, use_shapes=use_shapes)
    return results(report)


def check_case(path: Path) -> None:
    data = load_case(path)
    every = engine_results(data)
    selector_results = {r for r in every if r[1] in selector_shape_parts()}
    assert engine_results(data, list(shapes_but(SELECTOR_SHAPE))) == every - selector_results, \
        path.name
    if plain_selectors(data, selector_classes()):
        assert not selector_results, path.name


@pytest.mark.parametrize("path", SELECTOR_CASES, ids=lambda p: p.name)
def test_the_selector_cases_give_the_other_results_without_the_shape(path):
    check_case(path)


@pytest.mark.slow
def test_every_case_gives_the_other_results_without_the_shape():
    for path in CASE_FILES:
        check_case(path)


@pytest.fixture(scope="module")
def small_triples(extractor) -> list[Triple]:
    source = SourceText("small", Path("small.txt"), TEXT, "utf-8")
    record = extractor.extract(source.doc, source.text, str(source.path))
    return list(document_triples(source, record, extractor.gaz))


@pytest.fixture(scope="module")
def validator(extractor) -> DocumentValidator:
    from kg import iris

    return DocumentValidator(corpus_dataset(extractor.gaz).graph(iris.graph("reference")))


def first_selector(triples: list[Triple]) -> URIRef:
    return next(s for s, p, o in triples if p == RDF.type and o == OA.TextPositionSelector)


def changed(triples: list[Triple], change: Callable[[URIRef], tuple[list, list]]
            ) -> list[Triple]:
    """The triples with those `change(selector)` names taken out and put in."""
    out, put_in = change(first_selector(triples))
    return [t for t in triples if t not in out] + put_in


def offset(selector, triples, role, value) -> tuple[list, list]:
    """The selector's `role` offset replaced by `value` (None: taken out)."""
    old = [t for t in triples if t[0] == selector and t[1] == role]
    return old, [] if value is None else [(selector, role, value)]


def typed(lexical: str, datatype: str) -> Literal:
    return Literal(lexical, datatype=URIRef(XSD_NS + datatype))


def integer(n: int | str) -> Literal:
    return typed(str(n), "nonNegativeInteger")


def end_of(triples, selector) -> int:
    return int(next(o for s, p, o in triples if s == selector and p == OA.end))


# Each a change to one selector of the document, and whether the shape faults it.
FAULTS = {
    "start at its end": (lambda t, s: offset(s, t, OA.start, integer(end_of(t, s))), True),
    "start as text": (lambda t, s: offset(s, t, OA.start, Literal("0")), True),
    "negative start": (lambda t, s: offset(s, t, OA.start, typed("-1", "integer")), True),
    "decimal start": (lambda t, s: offset(s, t, OA.start, typed("0.0", "decimal")), True),
    "no end": (lambda t, s: offset(s, t, OA.end, None), True),
    "two ends": (lambda t, s: ([], [(s, OA.end, integer(900))]), True),
    "start as xsd:int": (lambda t, s: offset(s, t, OA.start, typed("0", "int")), True),
    "a class declared": (lambda t, s: ([], [(URIRef(EXTRA_CLASS), RDFS.subClassOf,
                                             OA.Selector)]), False),
}


def test_the_build_s_selectors_are_plain_and_the_shape_finds_nothing(small_triples, validator):
    assert plain_selectors(Triples(small_triples), selector_classes())
    graph = Graph()
    for triple in small_triples:
        graph.add(triple)
    assert not {r for r in engine_results(graph) if r[1] in selector_shape_parts()}
    assert validator.validate(small_triples) == ()


@pytest.mark.parametrize("fault", FAULTS)
def test_a_selector_out_of_the_plain_is_validated_by_the_engine(fault, small_triples,
                                                                validator):
    change, faulted = FAULTS[fault]
    triples = changed(small_triples, lambda selector: change(small_triples, selector))
    assert not plain_selectors(triples, selector_classes())
    shapes = {v.shape for v in validator.validate(triples)}
    assert bool(shapes & selector_shape_parts()) == faulted, shapes


# What `plain_selectors` was written against. It re-states the shape's checks in Python, so
# a change to the shape (a new constraint, another datatype, a maximum) must change it too:
# this test fails first and names both places.
ENCODED_SHAPE = """
@prefix pkgsh: <https://w3id.org/policy-kg/shapes#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
pkgsh:TextPositionSelectorShape a sh:NodeShape ; sh:targetClass oa:TextPositionSelector ;
    sh:property pkgsh:TextPositionSelector-start , pkgsh:TextPositionSelector-end ,
        pkgsh:TextPositionSelector-startBeforeEnd .
pkgsh:TextPositionSelector-start a sh:PropertyShape ; sh:path oa:start ;
    sh:minCount 1 ; sh:maxCount 1 ; sh:minInclusive 0 ;
    sh:or ( [ sh:datatype xsd:integer ] [ sh:datatype xsd:nonNegativeInteger ] ) .
pkgsh:TextPositionSelector-end a sh:PropertyShape ; sh:path oa:end ;
    sh:minCount 1 ; sh:maxCount 1 ; sh:minInclusive 0 ;
    sh:or ( [ sh:datatype xsd:integer ] [ sh:datatype xsd:nonNegativeInteger ] ) .
pkgsh:TextPositionSelector-startBeforeEnd a sh:PropertyShape ; sh:path oa:start ;
    sh:lessThan oa:end .
"""
UNCHECKED = (RDFS.label, SH.message)  # words for readers: no constraint


def constraints_of(graph: Graph, shape: URIRef) -> Graph:
    """The shape's and its property shapes' triples with their blank nodes (sh:or's list),
    but their labels and messages."""
    out = Graph()
    todo, seen = [shape, *graph.objects(shape, SH.property)], set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in graph.predicate_objects(node):
            if p in UNCHECKED:
                continue
            out.add((node, p, o))
            if not isinstance(o, (URIRef, Literal)):
                todo.append(o)
    return out


def test_the_selector_shape_is_the_one_plain_selectors_encodes():
    from rdflib.compare import isomorphic

    expected = Graph().parse(data=ENCODED_SHAPE, format="turtle")
    assert isomorphic(constraints_of(shapes_graph(), SELECTOR_SHAPE),
                      constraints_of(expected, SELECTOR_SHAPE)), (
        "TextPositionSelectorShape changed: update plain_selectors (kg/build/validate.py), "
        "which decides when the engine may leave it out, and ENCODED_SHAPE here")
