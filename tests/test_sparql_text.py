"""Parameters and SERVICE IRIs are put into a query on its tokens (kg/sparql/tokens.py): what a
comment or a string says is never taken for a VALUES block, a variable or a SERVICE call, and the
rest of the text is passed on as written. Errors of the engines: the query's fault is one line
(exit 2), a bug is an internal error with its traceback in the log (exit 3)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Literal, URIRef
from rdflib.plugins.sparql.parser import parseQuery

from kg.errors import InputError
from kg.sparql.catalogue import catalogue
from kg.sparql.params import prepare, prepare_inline, uses_service, values_blocks
from kg.sparql.tokens import COMMENT, STRING, join, tokenize
from kg.store.http import Deadline
from kg.store.relay import ServiceRelay

CASES = Path(__file__).parent / "queries"
P, A = URIRef("http://example.org/p"), URIRef("http://example.org/a")

# What comments and strings may say without being read as SPARQL: each of the four quotings.
TRICKY = [
    "# VALUES ?x { <http://example.org/a> }\n",
    "# SERVICE <http://example.org/sparql> { ?s ?p ?o }\n",
    "# SERVICE ?endpoint { }\n",
]
STRINGS = [
    "'VALUES ?x { <http://example.org/a> } ?p'",
    "'''VALUES ?x {\n<http://example.org/a> } 'SERVICE' <http://example.org/sparql> ?p'''",
    '"""SERVICE <http://example.org/sparql> {\n "?p" } VALUES ?x { "a" }"""',
    "'SERVICE ?endpoint { ?p }'",
]


def tricky_query(string: str) -> str:
    return ("".join(TRICKY) + "SELECT ?s WHERE {\n  ?s ?p ?o .\n"
            f"  FILTER (?o != {string}) # VALUES ?p {{ <http://example.org/a> }} ?p\n}}")


@given(st.text())
def test_tokens_give_back_any_text_exactly(text):
    assert join(tokenize(text)) == text


def test_the_four_string_forms_and_comments_are_single_tokens():
    for string in STRINGS:
        tokens = [t for t in tokenize(f"?x ?y {string} .") if t.kind != "ws"]
        assert [t.kind for t in tokens] == ["var", "var", STRING, "punct"], string
        assert tokens[2].text == string
    assert [t.kind for t in tokenize(TRICKY[0])] == [COMMENT, "ws"]


@pytest.mark.parametrize("string", STRINGS)
def test_comments_and_strings_are_not_touched_by_bindings(string):
    text = tricky_query(string)
    rewritten, bound = prepare(text, {})
    assert rewritten == text and bound == {}
    assert uses_service(text) is False
    rewritten, bound = prepare(text, {"p": P})
    assert rewritten == text and bound == {"p": P}


@pytest.mark.parametrize("string", STRINGS)
def test_comments_and_strings_are_not_touched_when_written_in(string):
    text = tricky_query(string)
    inlined = prepare_inline(text, {"p": P})
    assert "?s <http://example.org/p> ?o ." in inlined
    assert string in inlined  # the string, its ?p and its VALUES as they were
    assert all(line in inlined for line in TRICKY)
    assert "# VALUES ?p { <http://example.org/a> } ?p" in inlined
    parseQuery(inlined)  # still SPARQL


@pytest.mark.parametrize("string", STRINGS)
def test_the_relay_rewrites_only_service_calls(string):
    text = tricky_query(string).replace(
        "?s ?p ?o .", "SERVICE SILENT <http://example.org/sparql> { ?s ?p ?o }")
    with ServiceRelay(Deadline(5.0), None) as relay:
        relayed = relay.rewrite(text)
    assert relay.services == ["http://example.org/sparql"]  # the call, not the comments
    port = relay._server.server_address[1]
    assert relayed == text.replace("SILENT <http://example.org/sparql>",
                                   f"SILENT <http://127.0.0.1:{port}/0>")


@pytest.mark.parametrize("service", ["e:sparql", "?endpoint"])
def test_the_relay_refuses_a_service_it_cannot_see(service):
    text = f"PREFIX e: <http://example.org/>\nSELECT * WHERE {{ SERVICE {service} {{ ?s ?p ?o }} }}"
    with ServiceRelay(Deadline(5.0), None) as relay, pytest.raises(InputError) as refused:
        relay.rewrite(text)
    assert str(refused.value).startswith(f"SERVICE {service}: name the endpoint by its full IRI")


def test_a_default_may_be_any_string_form():
    text = "SELECT ?s WHERE { VALUES ?label { '''北部湾\n城市群'''@zh } ?s ?p ?label }"
    rewritten, bound = prepare(text, {})
    assert bound == {"label": Literal("北部湾\n城市群", lang="zh")}
    assert "VALUES" not in rewritten
    escaped = r'SELECT ?s WHERE { VALUES ?t { "a\"b\u00e9" } ?s ?p ?t }'
    assert prepare(escaped, {})[1] == {"t": Literal('a"bé')}


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { ?x ?p ?o }",  # every variable is projected
    "SELECT ?x WHERE { ?x ?q ?o OPTIONAL { ?o ?p ?z } FILTER (BOUND(?p)) }",  # BOUND takes a var
])
def test_a_variable_the_result_or_bound_needs_stays_a_variable(text):
    inlined = prepare_inline(text, {"p": P})
    assert "VALUES (?p) { (<http://example.org/p>) }" in inlined
    parseQuery(inlined)


def test_select_star_keeps_the_parameter_column_on_oxigraph():
    store = pyoxigraph.Store()
    store.add(pyoxigraph.Quad(pyoxigraph.NamedNode(str(A)), pyoxigraph.NamedNode(str(P)),
                              pyoxigraph.Literal("v")))
    rows = list(store.query(prepare_inline("SELECT * WHERE { ?x ?p ?o }", {"p": P})))
    assert [(r["x"].value, r["p"].value, r["o"].value) for r in rows] == [(str(A), str(P), "v")]


def test_lower_case_keywords_are_keywords():
    text = "select ?s where { values ?p { <http://example.org/a> } ?s ?p ?o }"
    assert prepare_inline(text, {}).replace(" ", "").endswith("?s<http://example.org/a>?o}")
    assert uses_service("select * { service <http://x/> { ?s ?p ?o } }")


def _cases() -> list[tuple[str, dict]]:
    out = []
    for name, path in sorted(catalogue().items()):
        case = CASES / f"{name.replace('/', '--')}.json"
        bindings = json.loads(case.read_text(encoding="utf-8")).get("bindings", {})
        out.append((path.read_text(encoding="utf-8"),
                    {k: URIRef(v if ":" in v else f"http://127.0.0.1:1/{v}")
                     for k, v in bindings.items()}))
    return out


@pytest.mark.parametrize("text, bindings", _cases())
def test_catalogue_queries_keep_their_text(text, bindings):
    """Fidelity on the catalogue: the rewritten text parses, keeps every comment and string,
    and for rdflib differs from the file only by the VALUES defaults it binds instead."""
    if "SERVICE ?endpoint" in text and "endpoint" not in bindings:
        bindings = {**bindings, "endpoint": URIRef("http://127.0.0.1:1/sparql")}
    tokens = tokenize(text)
    in_blocks = {tokens[i].text for b in values_blocks(tokens) for i in range(b.first, b.last + 1)}
    endpoint = {"endpoint": bindings["endpoint"]} if "endpoint" in bindings else {}
    for rewritten in (prepare(text, bindings)[0], prepare_inline(text, bindings),
                      prepare_inline(text, endpoint)):
        parseQuery(rewritten)
        kept = [t.text for t in tokenize(rewritten) if t.kind in (COMMENT, STRING)]
        lost = [t.text for t in tokens if t.kind in (COMMENT, STRING) and t.text not in kept]
        assert set(lost) <= in_blocks  # only the string of a VALUES default may go
    rewritten, bound = prepare(text, endpoint)
    for name, term in bound.items():
        assert name in endpoint or f"VALUES ?{name} {{ {term.n3()} }}" in text


# --- errors of the engines -------------------------------------------------------------------

TINY = '<http://example.org/g> { <http://example.org/s> <http://example.org/p> "o" . }\n'


def kg_query(tmp_path: Path, query: str) -> subprocess.CompletedProcess:
    graph = tmp_path / "tiny.trig"
    graph.write_text(TINY, encoding="utf-8")
    exe = Path(sys.executable).with_name("kg")
    return subprocess.run([str(exe), "query", query, "--graph", str(graph)], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "KG_LOG_DIR": str(tmp_path)})


@pytest.mark.parametrize("query, message", [
    ("SELECT ?s WHERE { ?s ?p }", "not valid SPARQL: Expected"),
    ("SELECT ?s WHERE { ?s x:p ?o }", "not valid SPARQL: Unknown namespace prefix : x"),
])
def test_a_query_the_engine_refuses_is_bad_input(tmp_path, query, message):
    done = kg_query(tmp_path, query)
    assert done.returncode == 2 and message in done.stderr, done.stderr
    assert len(done.stderr.splitlines()) == 1


def test_an_engine_bug_is_not_reported_as_bad_sparql(tmp_path):
    """rdflib cannot slice past sys.maxsize: valid SPARQL that fails inside the engine is an
    internal error, its traceback (rdflib's islice) in the log, not "not valid SPARQL"."""
    done = kg_query(tmp_path, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 99999999999999999999999")
    assert done.returncode == 3, done.stderr
    assert done.stderr.startswith("kg: internal error: ValueError: Stop argument for islice()")
    assert "not valid SPARQL" not in done.stderr and len(done.stderr.splitlines()) == 1
    log = next(tmp_path.glob("kg-error-*.log")).read_text(encoding="utf-8")
    assert "Traceback" in log and "islice" in log


def test_a_view_query_keeps_the_engine_error_as_its_cause():
    from pyparsing import ParseBaseException
    from rdflib import Dataset

    from kg.analysis.network import query_graph

    ds = Dataset(default_union=True)
    ds.parse(data=TINY, format="trig")
    with pytest.raises(ValueError, match="the query does not parse") as refused:
        query_graph(ds, "SELECT ?s ?p ?o WHERE { ?s ?p }")
    assert isinstance(refused.value.__cause__, ParseBaseException)
    with pytest.raises(ValueError) as failed:  # an engine bug is not a parse error
        list(query_graph(ds, "SELECT ?s ?p ?o { ?s ?p ?o } LIMIT 99999999999999999999999"))
    assert "does not parse" not in str(failed.value)


def test_no_catalogue_query_writes_the_identifier_base():
    """docs/queries.md, "No identifier base in a query": a query sent as it is must work on a
    graph built under another base, so none spells our identifiers' base, even in a filter
    that rdflib's rows do not show (the under-another-base cases compare rows only)."""
    from kg import iris

    default = "https://w3id.org/policy-kg/id/"
    bases = {default, iris.id_base()}
    written = {name for name, path in catalogue().items()
               for token in tokenize(path.read_text(encoding="utf-8"))
               if token.kind != COMMENT and any(base in token.text for base in bases)}
    assert written == set()
