"""Links to other graphs (docs/linking.md): identifiers in the built graph, `kg link` against a
second real Oxigraph server holding tests/data/other-policy-graph.ttl, its network safety, and
the federated catalogue query on every store."""

from __future__ import annotations

import csv
import hashlib
import http.server
import json
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import copy_store, kg_in_process
from other_graph import NEEDS
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, SKOS
from servers import OxigraphServer, free_port, start_oxigraph

from kg.sparql.params import prepare, prepare_inline
from kg.store.files import load_dataset

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "ontology" / "reference"
ID = "https://w3id.org/policy-kg/id/"
PKG = "https://w3id.org/policy-kg/ont#"
WD = "http://www.wikidata.org/entity/"
OTHER = "http://example.org/otherkg/"
FEDERATED = "other-graph-plans-of-province"

# Derived by hand from tests/data/other-policy-graph.ttl, the reference CSVs and the confidences
# of queries/link/reasons.tsv (an ambiguity of two multiplies by 1/2 + 0.3 = 0.8).
EXPECTED_LINKS = {
    ("province/440000", "place/gd", "wikidata+label-zh", "1.00", ()),
    ("province/510000", "place/sc", "adcode+label-en", "1.00", ()),
    ("city/440300", "place/sz", "wikidata+alias-zh", "1.00", ()),
    ("province/110000", "place/bj", "wikidata+label-en", "0.80", ("city/110100",)),
    ("province/430000", "place/hn", "label-zh", "0.90", ()),
    ("economic-belt/zhu-jiang-xi-jiang-jing-ji-dai", "belt/zjxj", "variant-zh", "0.75", ()),
    ("city-cluster/chang-san-jiao", "cluster/csj", "alias-zh", "0.80", ()),
    ("city/320500", "place/suzhou", "label-en", "0.68", ("city/341300",)),
}


def bucket(confidence: str) -> str:
    value = Decimal(confidence)
    return "high" if value >= Decimal("0.9") else "medium" if value >= Decimal("0.7") else "low"


@pytest.fixture(scope="module")
def reference(article_graph) -> Graph:
    """The build's reference graph, read by the memory store's reader (0.4 of rdflib's parse)."""
    return load_dataset(article_graph).graph(URIRef(ID + "graph/reference"))


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def class_kinds() -> dict[str, str]:
    lines = (ROOT / "extract" / "patterns" / "class_kinds.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in lines.splitlines() if line and not line.startswith("#")]
    return {r[0]: r[2] if len(r) > 2 else "" for r in rows}


def identified_rows() -> Iterator[tuple[str, dict[str, str]]]:
    """(IRI, row) for every CSV row that names its entity by adcode or by kind/key."""
    for table, kind in (("provinces", "province"), ("cities", "city")):
        for row in csv_rows(REFERENCE / f"{table}.csv"):
            yield f"{ID}{kind}/{row['adcode']}", row
    kinds = class_kinds()
    for path in sorted((REFERENCE / "entities").glob("*.csv")):
        for row in csv_rows(path):
            yield f"{ID}{kinds[row['class']]}/{row['key']}", row


@pytest.mark.slow
def test_every_qid_and_adcode_of_the_reference_csvs_is_in_the_built_graph(reference):
    rows = list(identified_rows())
    with_qid = [(iri, r["wikidata_qid"]) for iri, r in rows if r.get("wikidata_qid")]
    assert len(with_qid) == 34 + 297  # provinces.csv, cities.csv (no curated table has one yet)
    missing = [(iri, q) for iri, q in with_qid
               if (URIRef(iri), OWL.sameAs, URIRef(WD + q)) not in reference
               or (URIRef(iri), SKOS.exactMatch, URIRef(WD + q)) not in reference]
    assert not missing
    with_adcode = [(iri, r["adcode"]) for iri, r in rows if r.get("adcode")]
    assert len(with_adcode) == 34 + 337
    pkg_adcode = URIRef(PKG + "adcode")
    # the IRI is the adcode (province/440000): the literal and the IRI's key are the same code
    assert all(iri.rsplit("/", 1)[1] == code for iri, code in with_adcode)
    assert [x for x in with_adcode
            if (URIRef(x[0]), pkg_adcode, Literal(x[1])) not in reference] == []


@pytest.mark.slow
def test_cities_name_their_geonames_place(reference):
    rows = [r for r in csv_rows(REFERENCE / "cities.csv") if r["geonames_id"]]
    assert len(rows) == 294
    assert all((URIRef(f"{ID}city/{r['adcode']}"), SKOS.closeMatch,
                URIRef(f"https://sws.geonames.org/{r['geonames_id']}/")) in reference for r in rows)


def test_service_endpoint_parameter_is_written_into_the_text():
    text = ("# SERVICE ?endpoint in a comment stays\nSELECT * WHERE {\n"
            '  VALUES ?endpoint { <http://a.example/sparql> }\n'
            '  SERVICE ?endpoint { ?s ?p "SERVICE ?endpoint" } }')
    default, bound = prepare(text, {})
    assert "SERVICE <http://a.example/sparql> {" in default
    assert bound["endpoint"] == URIRef("http://a.example/sparql")
    given, _ = prepare(text, {"endpoint": URIRef("http://b.example/q")})
    assert "SERVICE <http://b.example/q> {" in given and '"SERVICE ?endpoint"' in given
    assert given.startswith("# SERVICE ?endpoint in a comment")
    inline = prepare_inline(text, {"endpoint": URIRef("http://b.example/q")})
    assert "SERVICE <http://b.example/q> {" in inline
    assert "SERVICE <http://a.example/sparql> {" in prepare_inline(text, {})


@pytest.mark.slow
def test_an_unbound_service_endpoint_is_bad_input(kg_command, article_graph):
    result = run(kg_command, "query", FEDERATED, "--graph", str(article_graph))
    assert result.returncode == 2
    assert result.stderr.strip() == ("kg: error: SERVICE ?endpoint needs an endpoint: "
                                     "--param endpoint=<http://…>")


def run(kg_command, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return kg_in_process(*args, cwd=ROOT, timeout=timeout)


def link_set(g: Graph) -> set[tuple]:
    out = set()
    for record in g.subjects(RDF.type, URIRef(PKG + "Link")):
        ours, theirs = g.value(record, RDF.subject), g.value(record, RDF.object)
        assert (ours, SKOS.exactMatch, theirs) in g
        assert g.value(record, RDF.predicate) == SKOS.exactMatch
        alternatives = tuple(sorted(str(a).removeprefix(ID)
                                    for a in g.objects(record, URIRef(PKG + "alternative"))))
        out.add((str(ours).removeprefix(ID), str(theirs).removeprefix(OTHER),
                 str(g.value(record, URIRef(PKG + "matchedBy"))),
                 f"{Decimal(str(g.value(record, URIRef(PKG + 'confidence')))):.2f}", alternatives))
    return out


@pytest.mark.slow
def test_kg_link_writes_the_expected_links_into_the_graph_file(kg_command, article_graph,
                                                               other_policy_graph, tmp_path):
    graph = tmp_path / "graph.trig"
    shutil.copy(article_graph, graph)
    before = load_dataset(graph)  # the build's; what kg link writes is read by rdflib's parser
    result = run(kg_command, "link", "--endpoint", other_policy_graph.query_url, "--graph",
                 str(graph), "--name", "other", "--out", str(tmp_path / "links.ttl"))
    assert result.returncode == 0, result.stderr
    assert "15 entities read from" in result.stdout
    assert "8 linked (4 by identifier, 4 by name only), 4 below 0.9 to review" in result.stdout
    turtle = Graph().parse(tmp_path / "links.ttl", format="turtle")
    assert link_set(turtle) == EXPECTED_LINKS
    assert {bucket(c) for *_, c, _ in link_set(turtle)} == {"high", "medium", "low"}
    after = Dataset()
    after.parse(graph, format="trig")
    stored = after.graph(URIRef(ID + "graph/links/other"))
    assert link_set(stored) == EXPECTED_LINKS
    assert len(stored) == len(turtle)
    for g in before.graphs():  # every other graph as it was
        assert len(after.graph(g.identifier)) == len(g), g.identifier
    records = set(stored.subjects(RDF.type, URIRef(PKG + "Link")))
    sources = {stored.value(r, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")) for r in records}
    assert sources == {URIRef(other_policy_graph.query_url)}

    review = run(kg_command, "link", "--review", "--graph", str(graph), "--below", "0.9")
    assert review.returncode == 0, review.stderr
    lines = review.stdout.splitlines()
    assert lines[-1] == "(4 rows)"
    listed = [line.split()[1] for line in lines[2:-1]]
    assert listed == ["0.68", "0.75", "0.80", "0.80"]
    assert "city/341300" in lines[2] and "Suzhou" in lines[2]


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["oxigraph", "sparql"])
def test_kg_link_replaces_the_named_graph_in_other_stores(kind, kg_command, article_store,
                                                          other_policy_graph, tmp_path):
    store, server = article_in_a_store(kind, article_store, tmp_path)
    try:
        for _ in range(2):  # twice: the second run replaces the first's graph
            result = run(kg_command, "link", "--endpoint", other_policy_graph.query_url,
                         "--store", store, "--name", "other")
            assert result.returncode == 0, result.stderr
        review = run(kg_command, "link", "--review", "--store", store, "--below", "1.01",
                     "--name", "other")
        assert review.returncode == 0, review.stderr
        assert review.stdout.splitlines()[-1] == "(8 rows)"
    finally:
        if server is not None:
            server.stop()


def article_in_a_store(kind: str, article_store: Path, tmp_path: Path
                       ) -> tuple[str, OxigraphServer | None]:
    """The article in a store of `kind` ("oxigraph", or "sparql": an Oxigraph server), on a copy
    of the shared build's store: how it got there is test_stores.py's subject, not these
    tests'. (The store's spec, the server to stop or None.)"""
    copy = copy_store(article_store, tmp_path / "store")
    if kind == "oxigraph":
        return f"oxigraph:{copy}", None
    server = start_oxigraph(copy)
    return f"sparql:{server.query_url}", server


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class _Answer(http.server.BaseHTTPRequestHandler):
    """A real HTTP server that answers every request with one fixed response."""

    status, headers, body = 200, {"Content-Type": "application/sparql-results+json"}, b"{}"

    def _reply(self) -> None:
        self.send_response(self.status)
        for k, v in self.headers_out.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(self.body)

    def do_GET(self) -> None:
        self._reply()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self._reply()

    def log_message(self, *args) -> None:
        pass


def serve(status: int, headers: dict[str, str], body: bytes) -> http.server.HTTPServer:
    handler = type("Handler", (_Answer,), {"status": status, "headers_out": headers,
                                           "body": body})
    server = http.server.HTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def silent_endpoint() -> Iterator[str]:
    """Accepts connections and never answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(8)
        yield f"http://127.0.0.1:{s.getsockname()[1]}/query"


def failing_endpoints(tmp_path: Path, other, silent: str) -> dict[str, tuple[str, str]]:
    """name -> (endpoint, words the one-line message must hold)."""
    garbage = serve(200, {"Content-Type": "application/sparql-results+json"}, b"<html>no</html>")
    elsewhere = serve(302, {"Location": f"http://127.0.0.1:{free_port()}/query"}, b"")
    return {
        "unreachable": (f"http://127.0.0.1:{free_port()}/query", "cannot reach"),
        "timeout": (silent, "no complete answer within 2 s"),
        "http-error": (f"{other.base}/no-such-service", "EndPointNotFound"),
        "malformed": (f"http://127.0.0.1:{garbage.server_port}/query", "not SPARQL JSON"),
        "redirect": (f"http://127.0.0.1:{elsewhere.server_port}/query", "redirected"),
    }


@pytest.mark.slow
def test_a_failing_endpoint_is_one_line_exit_2_and_leaves_the_graph_as_it_was(
        kg_command, article_graph, other_policy_graph, silent_endpoint, tmp_path):
    graph = tmp_path / "graph.trig"
    shutil.copy(article_graph, graph)
    before = digest(graph)
    cases = failing_endpoints(tmp_path, other_policy_graph, silent_endpoint)
    for name, (endpoint, words) in cases.items():
        result = run(kg_command, "link", "--endpoint", endpoint, "--graph", str(graph),
                     "--timeout", "2", "--out", str(tmp_path / "links.ttl"), timeout=120)
        assert result.returncode == 2, (name, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("kg: error: "), (name, result.stderr)
        assert words in lines[0], (name, lines[0])
        assert digest(graph) == before, name
        assert not (tmp_path / "links.ttl").exists(), name


@pytest.mark.slow
def test_a_candidate_query_without_entity_is_refused(kg_command, article_graph,
                                                    other_policy_graph, tmp_path):
    graph = tmp_path / "graph.trig"
    shutil.copy(article_graph, graph)
    query = tmp_path / "q.rq"
    query.write_text("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", encoding="utf-8")
    result = run(kg_command, "link", "--endpoint", other_policy_graph.query_url, "--graph",
                 str(graph), "--query", str(query))
    assert result.returncode == 2
    assert "must SELECT ?entity" in result.stderr
    assert digest(graph) == digest(article_graph)


def expected_federated_rows() -> list[list[str]]:
    case = json.loads((ROOT / "tests" / "queries" / f"answers--{FEDERATED}.json"
                       ).read_text(encoding="utf-8"))
    assert case["needs"] == NEEDS
    return case["expected"]


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["memory", "oxigraph", "sparql"])
def test_the_federated_query_runs_on_every_store(kind, kg_command, article_graph, article_store,
                                                 other_policy_graph, tmp_path):
    server, store = None, []
    if kind != "memory":
        spec, server = article_in_a_store(kind, article_store, tmp_path)
        store = ["--store", spec]
    try:
        result = run(kg_command, "query", FEDERATED, "--graph", str(article_graph), *store,
                     "--param", f"endpoint={other_policy_graph.query_url}", "--format", "csv")
        assert result.returncode == 0, result.stderr
        rows = list(csv.reader(result.stdout.splitlines()))
        assert rows[0] == ["province", "plan", "planLabel", "via"]
        assert rows[1:] == expected_federated_rows()
    finally:
        if server is not None:
            server.stop()


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["memory", "oxigraph"])
def test_a_service_that_never_answers_times_out(kind, kg_command, article_graph, article_store,
                                                silent_endpoint, tmp_path):
    store = []
    if kind == "oxigraph":
        store = ["--store", article_in_a_store(kind, article_store, tmp_path)[0]]
    result = run(kg_command, "query", FEDERATED, "--graph", str(article_graph), *store,
                 "--param", f"endpoint={silent_endpoint}", "--timeout", "2", timeout=120)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "SERVICE" in lines[0], result.stderr
