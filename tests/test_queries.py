"""One collector for the query catalogue: every `.rq` file has a case with its data and the exact
expected rows (tests/queries/<kind>--<name>.json); a query without a case fails."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ARTICLE
from rdflib import Dataset, URIRef

from kg.queries import catalogue, header
from kg.query import prepare

CASES = Path(__file__).parent / "queries"
QUERIES = catalogue()


@pytest.fixture(scope="module")
def graphs(extractor, gaz) -> dict[str, Dataset]:
    from extract.tables import find_tables
    from kg import iris
    from kg.build import assemble
    from kg.reference import reference_graph
    from kg.relation_graph import partition_graph

    # as `kg build` writes it: the reference facts in their own named graph
    reference = Dataset(default_union=True)
    partition_graph(reference_graph(gaz, reference.graph(iris.graph("reference"))))
    doc = extractor.extract("lu-li", ARTICLE.read_text(encoding="utf-8"), str(ARTICLE))
    article = assemble([doc], gaz, {"lu-li": find_tables(doc.text)})
    article.default_union = True
    return {"reference": reference, "article": article}


def case_of(name: str) -> Path:
    return CASES / f"{name.replace('/', '--')}.json"


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_gives_its_expected_rows(name, graphs):
    path = case_of(name)
    assert path.is_file(), f"{name} has no test case: add {path.relative_to(CASES.parent)}"
    case = json.loads(path.read_text(encoding="utf-8"))
    # A case binds the query's parameters as `kg why` and `--param` do: IRIs by default
    params = {k: URIRef(v) for k, v in case.get("bindings", {}).items()}
    # the defaults of the file's VALUES blocks are bound as `kg query` binds them
    text, bindings = prepare(QUERIES[name].read_text(encoding="utf-8"), params)
    rows = graphs[case["data"]].query(text, initBindings=bindings)
    assert [[str(v) if v is not None else None for v in row] for row in rows] == case["expected"]


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_states_its_question_in_chinese_and_english(name):
    lines = header(QUERIES[name])
    assert any(line.startswith("问题") for line in lines), name
    assert any(line.startswith("Question") for line in lines), name
    assert any(line.startswith("Parameters") for line in lines), name


def test_every_case_belongs_to_a_query():
    names = {p.stem.replace("--", "/") for p in CASES.glob("*.json")}
    assert names <= set(QUERIES)
