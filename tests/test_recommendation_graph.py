"""The article's policy recommendations in the built graph, read back with SPARQL."""

from __future__ import annotations

import pytest
from conftest import ARTICLE
from rdflib import Dataset

pytestmark = pytest.mark.slow  # every test reads the article's assembled graph (about 4 s)

PREFIXES = """
PREFIX pkg: <https://w3id.org/policy-kg/ont#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""


@pytest.fixture(scope="module")
def article(extractor, gaz) -> tuple[Dataset, str]:
    from kg.build.steps import assemble

    text = ARTICLE.read_text(encoding="utf-8")
    doc = extractor.extract("lu-li", text, str(ARTICLE))
    ds = assemble([doc], gaz)
    ds.default_union = True
    return ds, doc.text


def select(ds: Dataset, query: str) -> list[list[str]]:
    return [[str(v) for v in row] for row in ds.query(PREFIXES + query)]


def test_four_groups(article):
    ds, _ = article
    rows = select(ds, """SELECT ?n WHERE { ?r a pkg:PolicyRecommendation ; pkg:level "group" ;
                                           pkg:sectionNumber ?n } ORDER BY ?n""")
    assert len(rows) == 4
    assert {r[0] for r in rows} == {"五.(一)", "五.(二)", "五.(三)", "五.(四)"}


def test_title_of_the_first_group(article):
    ds, _ = article
    rows = select(ds, """SELECT ?t WHERE { ?r pkg:sectionNumber "五.(一)" ; dcterms:title ?t }""")
    assert rows == [["推动形成优势互补、高质量发展的区域经济布局"]]


def test_parent_of_an_item(article):
    ds, _ = article
    rows = select(ds, """SELECT ?p WHERE { ?r pkg:sectionNumber "五.(一).1" ;
                                          pkg:parent/pkg:sectionNumber ?p }""")
    assert rows == [["五.(一)"]]


def test_a_known_action_with_its_strength(article):
    ds, _ = article
    rows = select(ds, """SELECT ?s WHERE {
        ?r pkg:sectionNumber "五.(四).2" ; pkg:hasAction ?a .
        ?a pkg:verb "探索"@zh ; pkg:actionObject "高水平开放的新路径"@zh ; pkg:strength ?s }""")
    assert rows == [["exploratory"]]


def test_every_quote_is_the_text_at_its_offsets(article):
    ds, text = article
    rows = ds.query(PREFIXES + """SELECT ?r ?start ?end ?exact WHERE {
        ?r a pkg:PolicyRecommendation ;
           oa:hasTarget [ oa:hasSelector [ oa:start ?start ; oa:end ?end ] ,
                                         [ oa:exact ?exact ] ] }""")
    rows = list(rows)
    assert len(rows) == 31
    for r, start, end, exact in rows:
        assert text[start.toPython():end.toPython()] == str(exact), r


def test_a_recommendation_naming_the_northeast_targets_it(article):
    ds, _ = article
    rows = select(ds, """SELECT ?n WHERE {
        ?r pkg:targets <https://w3id.org/policy-kg/id/macro-region/northeast> ;
           pkg:sectionNumber ?n }""")
    assert ["五.(一).4"] in rows
    # its group does not: the mention lies in the item, which carries it
    assert ["五.(一)"] not in rows


def spans(ds: Dataset, kind: str) -> dict[str, tuple[int, int]]:
    """Each target of a `kind` node -> its offsets."""
    rows = select(ds, f"""SELECT ?t ?s ?e WHERE {{ ?n a pkg:{kind} ; oa:hasTarget ?t .
        ?t oa:hasSelector ?p . ?p oa:start ?s ; oa:end ?e }}""")
    return {t: (int(s), int(e)) for t, s, e in rows}


def test_a_mention_target_is_part_of_the_innermost_recommendation_holding_it(article):
    """Derived from the offsets alone: the smallest recommendation span holding the mention's
    (entities-in-section joins on these links instead of comparing offsets)."""
    ds, _ = article
    sections = spans(ds, "PolicyRecommendation")
    expected = set()
    for target, (start, end) in spans(ds, "Mention").items():
        holding = [(e - s, t) for t, (s, e) in sections.items() if s <= start and end <= e]
        if holding:
            expected.add((target, min(holding)[1]))
    linked = {(part, whole) for part, whole in select(ds, """SELECT ?part ?whole WHERE {
        ?m a pkg:Mention ; oa:hasTarget ?part . ?part dcterms:isPartOf ?whole }""")}
    assert len(expected) > 100
    assert linked == expected
