"""A document's graph made without rdflib graphs gives the same triples and the same violations
(issue 14, the per-document step): the build adds the triples to a plain set
(kg/build/ntriples.py) and writes the N-Triples itself, and validates a context assembled as
N-Triples text (kg/build/validate.py). The old path, with rdflib graphs, is kept here as the
oracle: `Graph.serialize` for the text, and the context copied into a graph as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ARTICLE, shared_input
from rdflib import RDF, Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import SKOS

from kg import iris
from kg.build.document import document_graph
from kg.build.metadata import concept_graph, source_graph
from kg.build.ntriples import Triples, ntriples
from kg.build.reference import reference_graph
from kg.build.relations import partition_graph
from kg.build.steps import document_triples
from kg.build.validate import (
    CONTEXT_DEPTH,
    DocumentValidator,
    combine,
    document_nodes,
    preferred_label,
    shacl_report,
    violations_in,
)
from kg.inputs.files import SourceText
from kg.ontology import ontology_graph
from kg.store.qnames import use_flat_namespaces
from kg.vocab import PKG

TEXT = "广西壮族自治区首府南宁市与北部湾城市群相连，成渝地区双城经济圈和西部陆海新通道也在其中。"
REPORTS = ("gwr-2025-beijing.txt", "gwr-2025-tibet.txt")


@pytest.fixture(scope="module")
def reference(extractor) -> Graph:
    g = Graph()
    reference_graph(extractor.gaz, g)
    partition_graph(g)
    concept_graph(g)
    return g


@pytest.fixture(scope="module")
def validator(reference) -> DocumentValidator:
    return DocumentValidator(reference)


def source_of(key: str, text: str) -> SourceText:
    return SourceText(key, Path(f"{key}.txt"), text, "utf-8")


def graph_ntriples(source: SourceText, record, gaz) -> str:
    """The old path: the document's graph in an rdflib graph, written by rdflib."""
    graph = document_graph(record, gaz)
    source_graph(source, graph)
    return graph.serialize(format="nt", encoding="utf-8").decode("utf-8")


def sorted_lines(text: str) -> list[str]:
    return sorted(line for line in text.splitlines() if line.strip())


def graph_context(doc: Graph, reference: Graph) -> tuple[Graph, set[str]]:
    """The old path: the context copied triple by triple into an rdflib graph."""
    data = use_flat_namespaces(Graph())
    for triple in ontology_graph():
        data.add(triple)
    for triple in doc:
        data.add(triple)
    frontier, seen = document_nodes(doc), set()
    for _ in range(CONTEXT_DEPTH):
        frontier -= seen
        seen |= frontier
        named = set()
        for node in frontier:
            for _, p, o in reference.triples((node, None, None)):
                data.add((node, p, o))
                if not isinstance(o, Literal):
                    named.add(o)
        frontier = named
    for node in frontier - seen:
        for cls in reference.objects(node, RDF.type):
            data.add((node, RDF.type, cls))
    return data, {str(n) for n in seen}


def graph_violations(doc: Graph, reference: Graph) -> tuple:
    data, described = graph_context(doc, reference)
    found = violations_in(shacl_report(data),
                          lambda n: preferred_label(data.objects(n, SKOS.prefLabel)))
    return combine(v for v in found if v.focus in described).violations


def test_a_triple_added_twice_is_one_line():
    triples = Triples()
    triple = (iris.document("d"), PKG.rule, Literal("r"))
    triples.add(triple).add(triple)
    assert len(triples) == 1
    assert ntriples(triples) == Graph().add(triple).serialize(format="nt")


def test_every_kind_of_term_is_written_as_rdflib_writes_it():
    """The IRIs' text is made once per call (kg/build/ntriples.py); literals each time, as two
    that compare equal (a language tag in another case) must keep their own text."""
    from rdflib import BNode, URIRef
    from rdflib.namespace import XSD

    s, p = URIRef("https://example.org/s"), URIRef("https://example.org/p")
    objects = [s, BNode("b1"), Literal("一"), Literal("a\"b\\c\nd\re"),
               Literal("北京", lang="zh"), Literal("北京", lang="ZH"),
               Literal("3", datatype=XSD.integer), Literal("0.5", datatype=XSD.decimal)]
    triples = [(s, p, o) for o in objects] + [(BNode("b1"), p, s)]
    assert ntriples(triples) == rdflib_lines(triples)
    assert ntriples(triples).count('"北京"@ZH') == 1


def rdflib_lines(triples) -> str:
    from rdflib.plugins.serializers.nt import _nt_row

    return "".join(map(_nt_row, triples))


def test_the_small_document_gives_the_lines_rdflib_writes(extractor):
    source = source_of("small", TEXT)
    record = extractor.extract(source.doc, source.text, str(source.path))
    new = ntriples(document_triples(source, record, extractor.gaz))
    assert len(sorted_lines(new)) > 100  # mentions, relations, their evidence
    assert sorted_lines(new) == sorted_lines(graph_ntriples(source, record, extractor.gaz))


@pytest.fixture(scope="module")
def larger_records(extractor) -> list:
    """The article and two provincial reports, extracted once for the tests below."""
    sources = [source_of("article", ARTICLE.read_text(encoding="utf-8"))]
    for name in REPORTS:
        path = shared_input("corpus-dev", "gwr-2025", name)
        sources.append(source_of(name.removesuffix(".txt"), path.read_text(encoding="utf-8")))
    return [(s, extractor.extract(s.doc, s.text, str(s.path))) for s in sources]


@pytest.mark.slow
def test_the_article_and_reports_give_the_lines_rdflib_writes(extractor, larger_records):
    for source, record in larger_records:
        new = ntriples(document_triples(source, record, extractor.gaz))
        assert sorted_lines(new) == sorted_lines(graph_ntriples(source, record, extractor.gaz)), \
            source.doc


@pytest.mark.slow
def test_the_context_as_text_is_the_graph_the_old_context_was(extractor, larger_records,
                                                              reference, validator):
    source, record = larger_records[1]  # a report: it names provinces, cities, zones
    triples = document_triples(source, record, extractor.gaz)
    text, seen = validator.context(triples, ntriples(triples))
    old, described = graph_context(Graph().parse(data=ntriples(triples), format="nt"), reference)
    assert {str(n) for n in seen} == described
    assert isomorphic(Graph().parse(data=text, format="nt"), old)  # the ontology's blank nodes


def planted_faults(graph: Graph) -> Graph:
    """The graph with faults a report names by focus node and by label: a mention whose
    entity the document omits, a region placed in a literal and in a mention, and an entity
    the document lists without a mention of it."""
    broken = Graph()
    for triple in graph:
        broken.add(triple)
    document = iris.document("small")
    body = next(broken.objects(document, PKG.mentions))
    broken.remove((document, PKG.mentions, body))
    mention = next(broken.subjects(RDF.type, PKG.Mention))
    broken.add((body, PKG.partOf, mention))
    broken.add((body, PKG.adcode, Literal("not a code")))
    broken.add((document, PKG.mentions, iris.entity("province/440000")))  # 广东, named nowhere
    return broken


@pytest.mark.slow
def test_the_violations_are_the_old_path_s_with_their_labels(extractor, reference, validator):
    source = source_of("small", TEXT)
    record = extractor.extract(source.doc, source.text, str(source.path))
    graph = Graph().parse(data=ntriples(document_triples(source, record, extractor.gaz)),
                          format="nt")
    assert validator.validate(graph) == graph_violations(graph, reference) == ()
    broken = planted_faults(graph)
    found = validator.validate(broken)
    assert found == graph_violations(broken, reference)
    assert {v.shape.split("#")[-1] for v in found} >= {"MentionListedShape",
                                                       "DocumentEvidenceShape"}
    assert any(v.label for v in found)  # the region's skos:prefLabel
