"""The article's statistics tables in the built graph, as RDF Data Cube, read back with SPARQL."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from conftest import ARTICLE, ARTICLE_KEY
from rdflib import Dataset

pytestmark = pytest.mark.slow  # every test here reads the real build of the article

PREFIXES = """
PREFIX pkg: <https://w3id.org/policy-kg/ont#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

# One query for every observation: region, year, indicator, unit, value (optional: a missing
# cell has none), with its table, status and confidence.
OBSERVATIONS = PREFIXES + """
SELECT ?obs ?table ?region ?year ?indicator ?unit ?value ?status ?confidence WHERE {
  ?obs a qb:Observation ; qb:dataSet ?ds ; pkg:refYear ?year ; pkg:indicator ?indicator ;
       pkg:observationStatus ?status ; pkg:confidence ?confidence .
  ?ds rdfs:label ?table .
  OPTIONAL { ?obs pkg:refArea [ skos:prefLabel ?region ] FILTER(LANG(?region) = "zh") }
  OPTIONAL { ?obs pkg:unit ?unit }
  OPTIONAL { ?obs pkg:value ?value }
}
"""

QUOTES = PREFIXES + """
SELECT ?obs ?start ?end ?exact WHERE {
  ?obs a qb:Observation ;
       oa:hasTarget [ oa:hasSelector [ oa:start ?start ; oa:end ?end ] , [ oa:exact ?exact ] ] .
}
"""


@pytest.fixture(scope="module")
def built(article_build):
    """The session's one build of the article (conftest.article_build), read back."""
    result, out = article_build
    assert result.returncode == 0, result.stdout + result.stderr
    ds = Dataset()
    ds.parse(out / "graph.trig", format="trig")
    ds.default_union = True
    return ds, json.loads((out / "report.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def rows(built):
    ds, _ = built
    return [{k: row[k].toPython() if row[k] is not None else None for k in row.labels}
            for row in ds.query(OBSERVATIONS)]


def pick(rows, table, region, year, indicator):
    found = [r for r in rows if r["table"].startswith(table) and r["region"] == region
             and str(r["year"]).startswith(str(year)) and r["indicator"] == indicator]
    assert len(found) == 1, found
    return found[0]


def test_every_cell_of_the_four_tables_is_an_observation(rows, built):
    assert len(rows) == 24 + 20 + 32 + 40
    _, report = built
    assert report["observations_per_document"] == {ARTICLE_KEY: 116}


def test_east_gdp_2020_has_its_exact_value_and_unit(rows):
    r = pick(rows, "2020年和2023年四大板块主要经济指标", "东部地区", 2020, "GDP")
    assert r["value"] == Decimal("525752.3")
    assert r["unit"] == "亿元"
    assert r["status"] == "ok"


def test_unreadable_cell_is_missing_without_a_value(rows):
    r = pick(rows, "2020年、2022年和2023年四大板块主要交通", "东北地区", 2020, "客运量")
    assert r["status"] == "missing"
    assert r["value"] is None


def test_recovered_northeast_rows_have_lower_confidence(rows):
    northeast = [r for r in rows if r["table"].startswith("2020年、2022年和2023年四大板块主要交通")
                 and r["region"] == "东北地区"]
    assert northeast
    assert all(r["confidence"] < 1 for r in northeast)
    assert {r["status"] for r in northeast} <= {"recovered", "missing"}


def test_each_quote_is_the_text_at_its_offsets(built):
    ds, _ = built
    text = ARTICLE.read_text(encoding="utf-8")
    quotes = list(ds.query(QUOTES))
    assert len(quotes) == 116
    for _, start, end, exact in quotes:
        assert text[start.toPython():end.toPython()] == str(exact)


def test_table_warnings_are_in_the_report(built):
    _, report = built
    assert any("左北地区" in w and w.startswith(str(ARTICLE)) for w in report["warnings"])
