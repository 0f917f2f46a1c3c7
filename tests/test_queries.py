"""One collector for the query catalogue: every `.rq` file has a case with its data and the exact
expected rows (tests/queries/<kind>--<name>.json); a query without a case fails. Each case runs
on every store (kg/store/): rdflib in process, embedded Oxigraph, and a real Oxigraph server
through the SPARQL protocol, and must give the same rows on each."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import virtuoso
from conftest import ARTICLE, cell
from other_graph import bind_other_graph
from rdflib import Dataset, Literal, URIRef
from servers import send_graphs, start_oxigraph

from kg.iris import DEFAULT_ID_BASE
from kg.sparql.catalogue import catalogue, header
from kg.store.base import GraphStore, StoreSpec
from kg.store.load import load
from kg.store.registry import open_store

CASES = Path(__file__).parent / "queries"
DOCUMENTS = Path(__file__).parent / "data" / "documents"
QUERIES = catalogue()


def reference_data(gaz) -> Dataset:
    """The reference facts in their own named graph, as `kg build` writes them."""
    from kg import iris
    from kg.build.reference import reference_graph
    from kg.build.relations import partition_graph

    reference = Dataset(default_union=True)
    partition_graph(reference_graph(gaz, reference.graph(iris.graph("reference"))))
    return reference


def article_records(extractor, gaz) -> tuple[list, list]:
    """The article's record (no sources: its graph as assembled in process, with its tables)."""
    return [extractor.extract("lu-li", ARTICLE.read_text(encoding="utf-8"), str(ARTICLE))], []


def documents_records(extractor, gaz) -> tuple[list, list]:
    """The records and sources of the four small documents of tests/data/documents/, keyed as
    `kg build` keys them."""
    from kg.build.keys import assign_keys
    from kg.inputs.files import read_sources

    sources = assign_keys(read_sources([DOCUMENTS]), gaz)
    return [extractor.extract(s.doc, s.text, str(s.path)) for s in sources], sources


DATA_SETS = {"article": article_records, "documents": documents_records}


@pytest.fixture(scope="module")
def records(extractor, gaz) -> dict[str, tuple[list, list]]:
    """Each data set's records and sources, extracted once for the module: extraction knows no
    identifiers (extract/ never imports kg), so one extraction serves every identifier base;
    only the assembly into RDF below depends on POLICY_KG_ID_BASE."""
    return {name: extract(extractor, gaz) for name, extract in DATA_SETS.items()}


def assembled(data: str, records: dict[str, tuple[list, list]], gaz) -> Dataset:
    """A data set's graph as `kg build` assembles it, under the identifier base of the
    environment."""
    from kg.build.steps import assemble

    if data == "reference":
        return reference_data(gaz)
    documents, sources = records[data]
    ds = assemble(documents, gaz, sources)
    ds.default_union = True
    return ds


def write_graph_file(ds: Dataset, folder: Path) -> Path:
    """The data set as a graph file for the memory store and the Oxigraph store to read. N-Quads,
    not TriG: the same quads, and rdflib writes N-Quads in a fraction of the time its TriG
    serialiser takes (which is tested in test_export_graph and test_build)."""
    path = folder / "graph.nq"
    ds.serialize(destination=path, format="nquads", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def graphs(records, gaz) -> dict[str, Dataset]:
    return {name: assembled(name, records, gaz) for name in ("reference", *DATA_SETS)}


STORES = ("memory", "oxigraph", "sparql", "virtuoso")


@pytest.fixture(scope="module")
def stores(graphs, tmp_path_factory) -> dict[tuple[str, str], GraphStore]:
    """Each data set in each store: the memory store and embedded Oxigraph read its graph file
    (as `--graph` and `kg load` read it); the servers get its named graphs from kg's loader
    (`send_graphs`)."""
    out, servers = {}, []
    for data, ds in graphs.items():
        folder = tmp_path_factory.mktemp(f"stores-{data}")
        graph_file = write_graph_file(ds, folder)
        out[data, "memory"] = open_store(StoreSpec("memory", str(graph_file)))
        load(StoreSpec("oxigraph", str(folder / "oxigraph")), graph_file)
        out[data, "oxigraph"] = open_store(StoreSpec("oxigraph", str(folder / "oxigraph")))
        (folder / "server").mkdir()
        server = start_oxigraph(folder / "server")
        servers.append(server)
        send_graphs(StoreSpec("sparql", server.query_url), ds)  # the Graph Store Protocol
        out[data, "sparql"] = open_store(StoreSpec("sparql", server.query_url))
        if virtuoso.available():  # Debian's virtuoso-opensource, installed by the README's setup
            other = virtuoso.start_virtuoso(folder / "virtuoso")
            servers.append(other)
            send_graphs(StoreSpec("sparql", other.query_url), ds, graph_store=other.gsp_url)
            out[data, "virtuoso"] = open_store(StoreSpec("sparql", other.query_url))
    yield out
    for server in servers:
        server.stop()


def case_of(name: str) -> Path:
    return CASES / f"{name.replace('/', '--')}.json"


@pytest.mark.slow
@pytest.mark.parametrize("store", STORES)
@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_gives_its_expected_rows(name, store, stores, request):
    path = case_of(name)
    assert path.is_file(), f"{name} has no test case: add {path.relative_to(CASES.parent)}"
    case = json.loads(path.read_text(encoding="utf-8"))
    if store in case.get("not_on", {}):  # a documented limit of that server
        pytest.skip(case["not_on"][store])
    if (case["data"], store) not in stores:
        pytest.skip(f"{store} is not installed (apt-get install virtuoso-opensource)")
    # A case binds the query's parameters as `kg why` and `--param` do: IRIs by default
    params = {k: URIRef(v) for k, v in case.get("bindings", {}).items()}
    params = bind_other_graph(case, params, request)  # a federated query's second server
    # the defaults of the file's VALUES blocks are bound as `kg query` binds them
    rows = stores[case["data"], store].query(QUERIES[name].read_text(encoding="utf-8"), params)
    assert [[cell(v) for v in row] for row in rows] == [[cell(v) for v in row]
                                                           for row in case["expected"]]



@pytest.mark.slow
@pytest.mark.parametrize("store", STORES)
def test_a_section_without_mentions_has_no_entities(store, stores):
    """The article's point 五.(一).5.三是 names no entity: no rows (the text that compared
    offsets in an OPTIONAL gave every labelled entity of the graph, counted 0)."""
    if ("article", store) not in stores:
        pytest.skip(f"{store} is not installed (apt-get install virtuoso-opensource)")
    rows = stores["article", store].query(
        QUERIES["answers/entities-in-section"].read_text(encoding="utf-8"),
        {"section": Literal("五.(一).5.三是")})
    assert list(rows) == []


ANNOTATIONS_BY_SOURCE = """
PREFIX pkg: <https://w3id.org/policy-kg/ont#>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?document ?class (COUNT(?x) AS ?n) WHERE {
  VALUES ?class { pkg:Mention pkg:Assertion pkg:PolicyRecommendation pkg:NumericClaim }
  ?x a ?class ; oa:hasTarget/oa:hasSource ?doc .
  BIND (STRAFTER(STR(?doc), "/doc/") AS ?document)
} GROUP BY ?document ?class"""
COUNT_COLUMNS = {"Mention": 6, "Assertion": 7, "PolicyRecommendation": 8, "NumericClaim": 9}


@pytest.mark.slow
@pytest.mark.parametrize("store", STORES)
def test_documents_counts_are_those_of_each_annotations_source(store, stores):
    """`documents` counts the annotations in each document's graph: on several documents, the
    same counts as joining each annotation to its target's source document (the text before)."""
    if ("documents", store) not in stores:
        pytest.skip(f"{store} is not installed (apt-get install virtuoso-opensource)")
    graph = stores["documents", store]
    by_source = {(str(doc), str(cls).rpartition("#")[2]): int(n)
                 for doc, cls, n in graph.query(ANNOTATIONS_BY_SOURCE)}
    rows = list(graph.query(QUERIES["answers/documents"].read_text(encoding="utf-8")))
    assert len(rows) == len(list(DOCUMENTS.glob("*.txt"))) == len({d for d, _ in by_source})
    by_graph = {(str(row[0]), cls): int(row[at]) for row in rows
                for cls, at in COUNT_COLUMNS.items() if int(row[at])}
    assert by_graph == by_source


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_states_its_question_in_chinese_and_english(name):
    lines = header(QUERIES[name])
    assert any(line.startswith("问题") for line in lines), name
    assert any(line.startswith("Question") for line in lines), name
    assert any(line.startswith("Parameters") for line in lines), name


def test_every_case_belongs_to_a_query():
    names = {p.stem.replace("--", "/") for p in CASES.glob("*.json")}
    assert names <= set(QUERIES)


# --- under another identifier base -------------------------------------------------------------

OTHER_BASE = "http://example.org/another-base/"


def rebased(value: str | None) -> str | None:
    return None if value is None else value.replace(DEFAULT_ID_BASE, OTHER_BASE)


@pytest.fixture(scope="module")
def elsewhere(records, gaz, tmp_path_factory):
    """data → a memory store of that case data assembled with POLICY_KG_ID_BASE=OTHER_BASE
    (each when first asked for: the article's takes seconds)."""
    built: dict[str, GraphStore] = {}

    def store(data: str) -> GraphStore:
        if data not in built:
            with pytest.MonkeyPatch.context() as mp:
                mp.setenv("POLICY_KG_ID_BASE", OTHER_BASE)
                ds = assembled(data, records, gaz)
            graph_file = write_graph_file(ds, tmp_path_factory.mktemp(f"elsewhere-{data}"))
            built[data] = open_store(StoreSpec("memory", str(graph_file)))
        return built[data]

    return store


@pytest.mark.slow  # assembles the reference graph and the article again (over 5 s)
@pytest.mark.parametrize("name", [n for n in sorted(QUERIES) if case_of(n).is_file()])
def test_query_gives_the_same_rows_under_another_id_base(name, elsewhere, monkeypatch, request):
    """POLICY_KG_ID_BASE changes every identifier; no catalogue query may depend on the
    default one (docs/model.md). The case's rows, with their IRIs rebased, on the memory store."""
    monkeypatch.setenv("POLICY_KG_ID_BASE", OTHER_BASE)
    case = json.loads(case_of(name).read_text(encoding="utf-8"))
    params = {k: URIRef(rebased(v)) for k, v in case.get("bindings", {}).items()}
    params = bind_other_graph(case, params, request)
    rows = elsewhere(case["data"]).query(QUERIES[name].read_text(encoding="utf-8"), params)
    assert [[cell(v) for v in row] for row in rows] == [[rebased(cell(v)) for v in row]
                                                           for row in case["expected"]]
