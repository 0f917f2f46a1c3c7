"""Open-world entities (issue 12): a name recognised by its shape that no reference table lists
is an entity, the same in every document; a reference entry stays the authority."""

from __future__ import annotations

import pytest
from rdflib import Literal
from rdflib.namespace import RDF, SKOS, XSD

from kg import iris
from kg.build.document import document_graph
from kg.vocab import OA, PKG

ONE = "云南省加快建设昆明片区，推动川渝合作，建设汉宜高速。"
TWO = "湖北省对接昆明片区，完善汉宜高速，推进重庆两江新区建设。"


@pytest.fixture(scope="module")
def graphs(extractor, gaz):
    records = {key: extractor.extract(key, text) for key, text in (("one", ONE), ("two", TWO))}
    return records, {key: document_graph(r, gaz) for key, r in records.items()}


def body(g, doc_key: str, text: str, where: str):
    start = where.index(text)
    return g.value(iris.mention(doc_key, start, start + len(text)), OA.hasBody)


def test_the_same_name_is_the_same_entity_in_two_documents(graphs):
    _, g = graphs
    for name in ("昆明片区", "汉宜高速"):
        one, two = body(g["one"], "one", name, ONE), body(g["two"], "two", name, TWO)
        assert one is not None and one == two, name
        assert "/name/" in str(one)


def test_an_open_world_entity_has_its_class_name_status_and_the_place_its_name_states(graphs):
    _, g = graphs
    node = body(g["one"], "one", "昆明片区", ONE)
    assert set(g["one"].objects(node, RDF.type)) == {PKG.Platform}
    assert set(g["one"].objects(node, SKOS.prefLabel)) == {Literal("昆明片区", lang="zh")}
    assert g["one"].value(node, PKG.openWorld) == Literal(True, datatype=XSD.boolean)
    assert g["one"].value(node, PKG.locatedIn) == iris.entity("city/530100")
    highway = body(g["one"], "one", "汉宜高速", ONE)
    assert set(g["one"].objects(highway, RDF.type)) == {PKG.Highway}
    assert str(highway).startswith(iris.entity("corridor/name/han-yi-gao-su-"))


def test_a_compound_is_an_entity_with_its_members(graphs):
    _, g = graphs
    node = body(g["one"], "one", "川渝", ONE)
    assert set(g["one"].objects(node, PKG.hasMember)) == {iris.entity("province/510000"),
                                                         iris.entity("province/500000")}


def test_a_reference_entry_stays_the_authority(graphs):
    records, g = graphs
    new_area = next(m for m in records["two"].mentions if "两江新区" in m.text)
    assert new_area.ref is not None
    node = body(g["two"], "two", new_area.text, TWO)
    assert node == iris.entity(new_area.ref)
    assert g["two"].value(node, PKG.openWorld) is None


def test_open_world_iris_keep_homophones_and_classes_apart():
    # 华山 and 花山 read hua shan both; the same name as a port and as a platform differ too
    a = iris.open_world("platform", "Port", "华山港")
    assert a == iris.open_world("platform", "Port", "华山港")
    assert a != iris.open_world("platform", "Port", "花山港")
    assert a != iris.open_world("platform", "Platform", "华山港")
    assert str(a).startswith(iris.entity("platform/name/hua-shan-gang-"))


def test_a_recommendation_targets_the_open_world_names_inside_it(extractor, gaz):
    from rdflib import Dataset

    from extract.recommendations import find_recommendations
    from kg.build.recommendations import recommendation_graph

    text = "五、政策建议\n（一）推进开放\n加快昆明片区建设，支持云南发展。\n"
    record = extractor.extract("rec", text)
    ds = Dataset()
    g = recommendation_graph("rec", text, find_recommendations(text), record.mentions,
                             ds.graph(iris.document("rec")), gaz)
    targets = {str(t) for t in g.objects(None, PKG.targets)}
    assert any("/name/" in t for t in targets)  # 昆明片区, an open-world platform
    assert str(iris.entity("province/530000")) in targets


def test_a_relation_names_an_open_world_entity_by_its_minted_iri(extractor, gaz):
    """The relation's triple and its evidence name the same node as the mention's body."""
    text = "新建宜昌三峡机场。"
    g = document_graph(extractor.extract("three", text), gaz)
    airport = body(g, "three", "宜昌三峡机场", text)
    assert "/name/" in str(airport)
    assert (airport, PKG.locatedIn, iris.entity("city/420500")) in g
    [assertion] = list(g.subjects(RDF.subject, airport))
    assert g.value(assertion, RDF.predicate) == PKG.locatedIn
    assert g.value(assertion, PKG.rule) == Literal("relation/name-place/v1")
