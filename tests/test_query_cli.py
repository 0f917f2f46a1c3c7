"""`kg query` (catalogue names, files, inline SPARQL, parameters, result formats) and the check
queries that `kg validate` runs."""

from __future__ import annotations

import ast
import csv
import io
import json
import subprocess
from pathlib import Path

import pytest
from conftest import ARTICLE, kg_in_process
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import SKOS

from kg.build.steps import assemble
from kg.build.validate import run_checks
from kg.cli import COMMANDS
from kg.sparql.params import parse_param
from kg.sparql.results import width
from kg.vocab import OA, PKG


def kg_query(kg_command, graph: Path, *args: str) -> subprocess.CompletedProcess:
    return kg_in_process("query", *args, "--graph", str(graph))


@pytest.mark.slow
def test_table_aligns_chinese_by_display_width(kg_command, article_graph):
    r = kg_query(kg_command, article_graph, "gdp-share-change")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["region", "share2020", "share2023", "change"]
    assert lines[-1] == "(4 rows)"
    body = lines[2:-1]
    assert [x.split()[0] for x in body] == ["西部地区", "东部地区", "东北地区", "中部地区"]
    # the second column starts at the same display column on every line
    starts = {width(line[:line.index(line.split()[1])]) for line in [lines[0], *body]}
    assert len(starts) == 1


@pytest.mark.slow
def test_standard_result_formats(kg_command, article_graph):
    r = kg_query(kg_command, article_graph, "answers/gdp-share-change", "--format", "csv")
    assert list(csv.reader(io.StringIO(r.stdout)))[1] == ["西部地区", "21.07", "21.53", "0.46"]
    r = kg_query(kg_command, article_graph, "gdp-share-change", "--format", "tsv")
    head, first = r.stdout.splitlines()[:2]
    assert head == "?region\t?share2020\t?share2023\t?change"
    assert first.startswith('"西部地区"@zh\t"21.07"^^<http://www.w3.org/2001/XMLSchema#decimal>')
    r = kg_query(kg_command, article_graph, "gdp-share-change", "--format", "json")
    data = json.loads(r.stdout)
    assert data["head"]["vars"] == ["region", "share2020", "share2023", "change"]
    assert data["results"]["bindings"][0]["region"] == {"type": "literal", "value": "西部地区",
                                                         "xml:lang": "zh"}


@pytest.mark.slow
def test_parameters_replace_the_default(kg_command, article_graph):
    r = kg_query(kg_command, article_graph, "indicator-change", "--param", 'indicator="GDP"@zh',
                 "--format", "csv")
    rows = list(csv.reader(io.StringIO(r.stdout)))
    east = next(row for row in rows if row[0] == "东部地区")
    assert east[1:] == ["亿元", "2020", "525752.3", "2023", "652084.2", "126331.9"]
    r = kg_query(kg_command, article_graph, "evidence-of-triple", "--param", "s=province/140000",
                 "--param", "p=pkg:partOf", "--param", "o=pkgid:macro-region/central",
                 "--format", "csv")
    assert list(csv.reader(io.StringIO(r.stdout)))[1][0] == "reference"


@pytest.mark.slow
def test_inline_sparql_file_ask_and_construct(kg_command, article_graph, tmp_path):
    r = kg_query(kg_command, article_graph,
                 "ASK { ?a a <https://w3id.org/policy-kg/ont#Assertion> }")
    assert r.stdout == "true\n"
    rq = tmp_path / "mine.rq"
    rq.write_text("PREFIX pkg: <https://w3id.org/policy-kg/ont#>\n"
                  "CONSTRUCT { ?s pkg:partOf ?o } WHERE { ?a pkg:contradicts ?f ; "
                  "<http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> ?s ; "
                  "<http://www.w3.org/1999/02/22-rdf-syntax-ns#object> ?o }", encoding="utf-8")
    r = kg_query(kg_command, article_graph, str(rq))
    assert r.returncode == 0 and "province/140000" in r.stdout and "macro-region/west" in r.stdout


@pytest.mark.slow
@pytest.mark.parametrize(("args", "message"), [
    (("no-such-query",), "not a .rq file, a catalogue name or SPARQL"),
    (("missing.rq",), "no such query file"),
    (("SELECT ?x WHERE { ?x ",), "not valid SPARQL"),
    (("gdp-share-change", "--param", "=x"), "expected name=value"),
])
def test_bad_queries_exit_2_with_one_line(kg_command, article_graph, args, message):
    r = kg_query(kg_command, article_graph, *args)
    assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_param_values():
    assert parse_param("regionLabel=东北地区") == ("regionLabel", Literal("东北地区", lang="zh"))
    assert parse_param("n=5") == ("n", Literal(5))
    assert parse_param("x=<http://example.org/a>") == ("x", URIRef("http://example.org/a"))
    assert parse_param("s=province/140000")[1].endswith("/id/province/140000")


@pytest.mark.slow
def test_checks_find_what_breaks_the_graph(extractor, gaz):
    doc = extractor.extract("lu-li", ARTICLE.read_text(encoding="utf-8"))
    ds = assemble([doc], gaz)
    assert all(not c.rows for c in run_checks(ds))
    shanxi = URIRef("https://w3id.org/policy-kg/id/province/140000")
    mention = next(ds.subjects(OA.hasBody, shanxi))
    for g in ds.graphs():
        g.remove((shanxi, SKOS.prefLabel, Literal("山西省", lang="zh")))
        g.remove((mention, OA.hasTarget, None))
    found = {c.name: c.rows for c in run_checks(ds) if c.rows}
    assert found["checks/entity-without-zh-label-violation"] == ((str(shanxi),),)
    assert found["checks/mention-without-evidence-violation"] == ((str(mention),),)
    assert (mention, PKG.rule, None) in ds


@pytest.mark.slow
def test_kg_validate_runs_the_checks(article_validation):
    r = article_validation
    assert r.returncode == 0, r.stderr
    assert "The check queries (queries/checks/) find nothing." in r.stdout


# What a reading command must not load: rdflib, whose terms a table or CSV of Oxigraph's
# strings, IRIs and counts does not need (kg/sparql/answer.py), and so neither its SPARQL
# parser (pyparsing's grammar) nor oxrdflib; our HTTP client and SERVICE relay, for a store on
# disk; the extraction pipeline's tables and models, and the libraries of other commands; the
# other commands' modules, and the standard library's modules that only other formats, other
# commands or a store's writer use: dataclasses (with inspect), json, decimal, ctypes.
OTHER_COMMANDS = tuple(f"kg.commands.{name}" for name in COMMANDS if name != "query")
NOT_FOR_A_QUERY = ("rdflib", "pyparsing", "oxrdflib", "kg.store.http",
                   "kg.store.relay", "extract.gazetteer", "jieba", "spacy", "pandas", "networkx",
                   "pyshacl", "matplotlib", *OTHER_COMMANDS, "dataclasses", "inspect", "json",
                   "decimal", "ctypes")

_IMPORTS_OF_A_QUERY = """
import sys
from kg.cli import main
code = main(sys.argv[1:])
print(repr({"code": code, "modules": sorted(sys.modules)}))
"""


def test_a_query_on_an_oxigraph_store_loads_only_what_it_uses(tmp_path):
    """`kg query` on the build's kind of store answers without importing what it does not use
    (docs/scale.md, "The answers on that build": this was half of every command's fixed cost)."""
    import sys

    import pyoxigraph

    store = pyoxigraph.Store(str(tmp_path / "store"))
    store.add(pyoxigraph.Quad(pyoxigraph.NamedNode("http://example.org/s"),
                              pyoxigraph.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"),
                              pyoxigraph.Literal("上海市", language="zh"),
                              pyoxigraph.NamedNode("http://example.org/g")))
    del store  # closed: a reader opens it read-only
    done = subprocess.run(
        [sys.executable, "-c", _IMPORTS_OF_A_QUERY, "query",
         "SELECT ?label (COUNT(*) AS ?n) WHERE { ?s skos:prefLabel ?label } GROUP BY ?label",
         "--format", "csv",
         "--store", f"oxigraph:{tmp_path / 'store'}"],
        capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    rows, _, report = done.stdout.rpartition("\n{")
    answer = ast.literal_eval("{" + report)
    assert answer["code"] == 0 and rows.splitlines() == ["label,n", "上海市,1"]
    loaded = [name for name in answer["modules"]
              if any(name == bad or name.startswith(bad + ".") for bad in NOT_FOR_A_QUERY)]
    assert not loaded, f"kg query imported {loaded}"


# Terms of every kind, and literals in forms rdflib keeps and forms it changes (007 is 7, 1.5E0
# is 1.5, "1"^^xsd:boolean is true), for the answers printed without rdflib.
_TERMS = """
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
<https://w3id.org/policy-kg/id/province/310000> ex:v "上海市"@zh , "a\\nb  c"@en , "x"^^xsd:string ,
    "plain" , 42 , "007"^^xsd:integer , "-0"^^xsd:integer , -3 , "12"^^xsd:nonNegativeInteger ,
    "0.80"^^xsd:decimal , "1.5E0"^^xsd:double , "1"^^xsd:boolean , true , "2025"^^xsd:gYear ,
    "0999"^^xsd:gYear , "2025-01-14"^^xsd:date , "abc"^^xsd:integer , "x"^^ex:own ,
    <https://w3id.org/policy-kg/ont#Province> , _:b1 .
"""
_ANSWERED = ("SELECT ?s ?v ?none WHERE { ?s ?p ?v OPTIONAL { ?v ?q ?none } } ORDER BY STR(?v)",
             "ASK { ?s ?p 42 }", "CONSTRUCT { ?s ?p ?v } WHERE { ?s ?p ?v FILTER (isIRI(?v)) }")


def test_oxigraph_answers_print_as_rdflib_results_do(tmp_path):
    """`kg query` prints an Oxigraph answer as a table or CSV from its own terms, without
    rdflib where it can (kg/sparql/answer.py): the same text as from the rdflib result, for
    every kind of term and literal."""
    import pyoxigraph

    from kg.sparql.results import ANSWER_FORMATS, render, render_answer
    from kg.store.base import StoreSpec
    from kg.store.registry import open_store

    store = pyoxigraph.Store(str(tmp_path / "store"))
    store.load(_TERMS.encode("utf-8"), pyoxigraph.RdfFormat.TURTLE,
               to_graph=pyoxigraph.NamedNode("http://example.org/g"))
    del store
    graph_store = open_store(StoreSpec("oxigraph", str(tmp_path / "store")))
    try:
        for query in _ANSWERED:
            for fmt in ANSWER_FORMATS:
                printed = render_answer(graph_store.answer(query), fmt)
                assert printed == render(graph_store.query(query), fmt), (query, fmt)
        table = render_answer(graph_store.answer(_ANSWERED[0]), "table")
        assert "pkgid:province/310000" in table and "(19 rows)" in table  # true twice
    finally:
        graph_store.close()


def test_the_prefixes_a_query_may_omit_are_rdflibs():
    """queries/prefixes.tsv, which Oxigraph is given, is what an rdflib Dataset binds."""
    from kg.store.oxigraph import _default_prefixes

    assert _default_prefixes() == {p: str(ns) for p, ns in Dataset().namespaces()}


def evidence_cases() -> tuple[Dataset, list[str]]:
    """Mentions and assertions each missing one part of their evidence, beside complete ones,
    in one document's named graph; and the nodes the evidence check must name."""
    from rdflib import RDF, XSD

    base = "http://example.org/evidence/"
    ds = Dataset(default_union=True)
    g = ds.graph(URIRef(base + "graph"))
    doc = URIRef(base + "doc")
    broken = {"complete": None, "no-target": OA.hasTarget, "no-source": OA.hasSource,
              "no-quote": "quote", "no-start": OA.start, "no-end": OA.end,
              "no-exact": OA.exact}
    expected = []
    for kind in (PKG.Mention, PKG.Assertion):
        for name, missing in broken.items():
            node = URIRef(f"{base}{kind.split('#')[1]}/{name}")
            target, position, quote = (URIRef(f"{node}/{p}") for p in ("t", "p", "q"))
            triples = [(node, RDF.type, kind), (node, OA.hasTarget, target),
                       (target, OA.hasSource, doc), (target, OA.hasSelector, position),
                       (target, OA.hasSelector, quote),
                       (position, OA.start, Literal(0, datatype=XSD.nonNegativeInteger)),
                       (position, OA.end, Literal(2, datatype=XSD.nonNegativeInteger)),
                       (quote, OA.exact, Literal("广东"))]
            for s, p, o in triples:
                if p != missing and not (missing == "quote" and o == quote):
                    g.add((s, p, o))
            if missing is not None:
                expected.append(str(node))
    return ds, sorted(expected)


def test_evidence_check_names_each_node_missing_a_part_on_rdflib_and_oxigraph():
    """The check's rewrite (one OPTIONAL per part, kg/queries) on both engines, each part
    removed in turn: source, quote selector, start or end offset, quoted text, the target."""
    ds, expected = evidence_cases()
    assert check_rows_on_both_engines("checks/mention-without-evidence-violation", ds) == (
        expected, expected)


def check_rows_on_both_engines(name: str, ds: Dataset) -> tuple[list[str], list[str]]:
    """The first column of the catalogue query `name` on `ds` in rdflib and in Oxigraph."""
    import pyoxigraph

    from kg.sparql.catalogue import catalogue

    check = catalogue()[name].read_text(encoding="utf-8")
    store = pyoxigraph.Store()
    store.load(ds.serialize(format="nquads").encode("utf-8"), pyoxigraph.RdfFormat.N_QUADS)
    rows = store.query(check, use_default_graph_as_union=True)
    return [str(r[0]) for r in ds.query(check)], [row[0].value for row in rows]


def label_cases() -> tuple[Dataset, list[str]]:
    """Entities of classes at several depths below pkg:Entity, with and without a zh label,
    beside the ontology; and the entities the zh-label check must name."""
    from rdflib import RDF

    from kg.ontology import ontology_graph

    base = "http://example.org/labels/"
    ds = Dataset(default_union=True)
    ontology = ds.graph(URIRef(base + "ontology"))
    for triple in ontology_graph():
        ontology.add(triple)
    g = ds.graph(URIRef(base + "graph"))
    zh, other_zh = Literal("山西省", lang="zh"), Literal("晋", lang="zh")
    labels = {"zh": [zh], "two-zh": [zh, other_zh], "zh-and-en": [zh, Literal("Shanxi", lang="en")],
              "en-only": [Literal("Shanxi", lang="en")], "plain-only": [Literal("山西省")],
              "none": []}
    classes = (PKG.Province, PKG.City, PKG.Entity)
    for i, (name, written) in enumerate(labels.items()):
        node = URIRef(base + name)
        g.add((node, RDF.type, classes[i % len(classes)]))
        for label in written:
            g.add((node, SKOS.prefLabel, label))
    g.add((URIRef(base + "not-an-entity"), RDF.type, PKG.Document))  # no label, not an entity
    return ds, sorted(base + name for name in ("en-only", "plain-only", "none"))


def test_zh_label_check_names_each_entity_without_one_on_rdflib_and_oxigraph():
    """The check's rewrite (the zh labels in one sub-select, kg/queries) on both engines."""
    ds, expected = label_cases()
    assert check_rows_on_both_engines("checks/entity-without-zh-label-violation", ds) == (
        expected, expected)
