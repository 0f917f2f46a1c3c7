"""One trip per document: `Extractor.extract` gives one record of everything a text says, and
`document_graph(record, gaz)` turns it into that document's named graph, purely. The build's
graph is nothing but the document graphs, the ontology and the reference data."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ARTICLE
from rdflib import BNode, Dataset, Graph
from rdflib.compare import isomorphic

from extract.claim_check import cells_from_tables, check_claims
from extract.claim_restated import check_restated
from extract.claim_sums import find_sums
from extract.claim_text import check_by_year, check_in_text
from extract.claims import find_claims
from extract.recommendations import find_recommendations
from extract.relations import find_relations
from extract.tables import find_tables
from kg import iris
from kg.build.document import document_graph, document_graph_iri
from kg.build.open_world import is_open_world


def lines(text: str, first: str, last: str) -> str:
    """The lines of `text` from the one starting with `first` to the one before `last`."""
    start = text.index(f"\n{first}") + 1
    return text[start:text.index(f"\n{last}", start) + 1]


@pytest.fixture(scope="module")
def two_texts() -> dict[str, str]:
    """Two documents cut from the article: one with statistics tables and numeric claims, one
    with policy recommendations; both name places and state relations between them."""
    article = ARTICLE.read_text(encoding="utf-8")
    return {"progress": lines(article, '三、"十四五"', "医疗卫生服务均等化"),
            "advice": lines(article, '五、"十五五"', "参考文献")}


@pytest.fixture(scope="module")
def small_build(two_texts, tmp_path_factory, extractor):
    from kg.build.run import Outputs, build_sources
    from kg.inputs.files import SourceText

    out = tmp_path_factory.mktemp("two-documents")
    sources = [SourceText(key, Path(f"{key}.txt"), text, "utf-8")
               for key, text in two_texts.items()]
    from kg.build.manifest import load_records

    result = build_sources(sources, out, extractor, outputs=Outputs(trig=True))
    written = Dataset()
    written.parse(out / "graph.trig", format="trig")
    records = load_records(out)
    assert sorted(records) == sorted(result.documents)
    return result, named_graphs(written), {s.doc: s for s in sources}, records


def named_graphs(ds: Dataset) -> dict[str, Graph]:
    """Each non-empty named graph of `ds` in a graph of its own, to compare as graphs (the
    ontology has blank nodes)."""
    out = {}
    for g in ds.graphs():
        if len(g):
            out[str(g.identifier)] = Graph()
            for t in g:
                out[str(g.identifier)].add(t)
    return out


def same_graph(a: Graph, b: Graph) -> bool:
    """Equal triples; as graphs (blank nodes matched up) only where there are blank nodes."""
    if not any(isinstance(term, BNode) for t in a for term in t):
        return set(a) == set(b)
    return len(a) == len(b) and isomorphic(a, b)


def as_written(graphs: list[Graph]) -> dict[str, Graph]:
    """The document graphs as the build writes them: each as its own block of N-Triples, so
    every literal keeps its lexical form (the decimal 30 of a numeric claim stays 30)."""
    return {str(g.identifier): g for g in graphs}


def test_the_record_holds_every_part_as_its_own_step_finds_it(extractor, gaz):
    text = ARTICLE.read_text(encoding="utf-8")
    record = extractor.extract("lu-li", text, str(ARTICLE))
    assert record.tables == tuple(find_tables(text)) and len(record.tables) == 4
    assert record.recommendations == tuple(find_recommendations(text))
    assert len(record.recommendations) > 20
    assert record.relations == tuple(find_relations(text, record.mentions, record.sentences, gaz))
    claims = find_claims(text, record.mentions, record.sentences)
    checks = check_claims(claims, cells_from_tables(record.tables))
    regions = [(m.start, m.ref) for m in record.mentions if m.ref is not None]
    checks = check_in_text(text, claims, checks, regions)
    checks = check_restated(claims, check_by_year(text, claims, checks), record.sentences)
    pairs = [*zip(claims, checks, strict=True), *find_sums(text, claims)]
    pairs.sort(key=lambda pair: (pair[0].start, pair[0].end, pair[0].kind))
    assert [(c.claim, c.check) for c in record.claims] == pairs
    assert {c.check.verdict for c in record.claims} >= {"holds", "does_not_hold"}
    assert record.meta.title and record.sentences and len(record.mentions) > 900


def test_the_same_text_gives_the_same_record_and_the_same_record_the_same_triples(
        extractor, gaz, two_texts):
    text = two_texts["progress"]
    record = extractor.extract("progress", text, "progress.txt")
    assert extractor.extract("progress", text, "progress.txt") == record
    first, second = document_graph(record, gaz), document_graph(record, gaz)
    assert first.identifier == second.identifier == document_graph_iri("progress")
    assert len(first) > 1000
    assert set(first) == set(second)


def test_a_document_graph_holds_only_its_own_document(small_build, gaz):
    _, _, _, records = small_build
    for record in records.values():
        others = [iris.document(key) for key in records if key != record.doc]
        g = document_graph(record, gaz)
        assert (iris.document(record.doc), None, None) in g
        assert not any((o, None, None) in g or (None, None, o) in g for o in others)


def test_the_build_is_the_document_graphs_the_ontology_and_the_reference_data(small_build, gaz):
    from kg.build.metadata import concept_graph, source_graph
    from kg.build.reference import reference_graph
    from kg.build.relations import partition_graph
    from kg.ontology import ontology_graph

    result, written, sources, records = small_build
    assert result.validation.conforms
    ontology = Graph(identifier=iris.graph("ontology"))
    for t in ontology_graph():
        ontology.add(t)
    reference = partition_graph(reference_graph(gaz, Graph(identifier=iris.graph("reference"))))
    concept_graph(reference)  # the document types and plan periods
    # each document's graph, with where its text came from (the build's only other part of it)
    documents = [source_graph(sources[r.doc], document_graph(r, gaz)) for r in records.values()]
    expected = {str(ontology.identifier): ontology, str(reference.identifier): reference,
                **as_written(documents)}
    assert sorted(written) == sorted([str(iris.graph("ontology")), str(iris.graph("reference")),
                                      *(str(document_graph_iri(key))
                                        for key in ("progress", "advice"))])
    assert sorted(expected) == sorted(written)
    for name, g in expected.items():
        assert same_graph(written[name], g), name


def test_a_document_graph_holds_every_part_of_its_record(small_build, gaz):
    from rdflib.namespace import QB, RDF

    from kg.vocab import PKG

    _, _, _, records = small_build
    # the two texts hold every kind of part between them
    assert records["progress"].tables and records["progress"].claims
    assert records["advice"].recommendations
    assert records["progress"].relations and records["advice"].relations
    for record in records.values():
        g = document_graph(record, gaz)

        def count(cls, g=g):
            return len(set(g.subjects(RDF.type, cls)))

        # every mention is in the graph: linked, or naming an open-world entity
        assert count(PKG.Mention) == len({(m.start, m.end) for m in record.mentions
                                          if m.ref or is_open_world(m, gaz)})
        assert count(QB.Observation) == sum(len(t.observations) for t in record.tables)
        assert count(PKG.PolicyRecommendation) == len(record.recommendations)
        assert count(PKG.Assertion) == len(record.relations)
        assert count(PKG.NumericClaim) == len(record.claims)


def test_a_document_graph_says_what_the_text_says_about_itself(extractor, gaz):
    from rdflib import Literal
    from rdflib.namespace import DCTERMS, XSD

    from kg.vocab import PKG

    documents = Path(__file__).parent / "data" / "documents"
    notice = extractor.extract("notice", (documents / "state-council-notice.txt").read_text(
        encoding="utf-8"), "state-council-notice.txt")
    g = document_graph(notice, gaz)
    node = iris.document("notice")
    assert set(g.predicate_objects(node)) >= {
        (DCTERMS.type, iris.entity("doctype/notice")),
        (PKG.year, Literal("2024", datatype=XSD.gYear)),
        (PKG.issuedBy, Literal("国务院", lang="zh")),
        (PKG.documentNumber, Literal("国发〔2024〕12号")),
        (PKG.planPeriod, iris.entity("plan-period/2021-2025")),
        (DCTERMS.language, Literal("zh-Hans"))}
    assert g.value(node, DCTERMS.spatial) is None  # of the whole country
    report = extractor.extract("shanghai", (documents / "shanghai-2024.txt").read_text(
        encoding="utf-8"), "shanghai-2024.txt")
    g = document_graph(report, gaz)
    assert g.value(iris.document("shanghai"), DCTERMS.spatial) == iris.entity("province/310000")
    assert g.value(iris.document("shanghai"), PKG.documentNumber) is None
