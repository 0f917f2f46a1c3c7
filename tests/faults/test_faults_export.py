"""CSV that a spreadsheet opens as text, never as a live formula (issue 10, item 4)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import kg_in_process

# Sentences of an untrusted text that begin as spreadsheet formulas do, each with places the
# relation rules read, so they reach the relations export.
HOSTILE = (
    '=HYPERLINK("http://example.com/x","点击")重庆、四川、贵州等西部地区省份要加快发展。\n'
    "@SUM(1+1)广东、江苏等东部地区省份要带头发展。\n"
    "+广西、云南等西部地区要扩大开放。\n"
    "-辽宁、吉林等东北地区要振兴发展。\n"
)
FORMULA = ("=", "+", "-", "@")


@pytest.fixture(scope="module")
def hostile_graph(tmp_path_factory, kg_command):
    root = tmp_path_factory.mktemp("hostile")
    (root / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    result = kg_in_process("build", str(root / "hostile.txt"), "--out", str(root / "out"),
                           "--trig")
    assert result.returncode == 0, result.stderr
    return root / "out" / "graph.trig"


def kg_out(kg_command, *args: str) -> str:
    result = kg_in_process(*args)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.slow
def test_relations_csv_neutralises_formula_cells(kg_command, hostile_graph):
    rows = list(csv.DictReader(io.StringIO(kg_out(
        kg_command, "export", "relations", "--format", "csv", "--graph", str(hostile_graph)))))
    sentences = {r["sentence"] for r in rows}
    assert {s[1] for s in sentences} == set(FORMULA)  # all four sentences are there
    assert all(s.startswith("'") for s in sentences)
    assert "'=HYPERLINK(\"http://example.com/x\",\"点击\")重庆" in "".join(sentences)
    for row in rows:  # nothing else was touched
        assert row["start"].isdigit() and not row["subject"].startswith("'")


@pytest.mark.slow
def test_jsonl_stays_verbatim(kg_command, hostile_graph):
    out = kg_out(kg_command, "export", "relations", "--graph", str(hostile_graph))
    sentences = {json.loads(line)["sentence"] for line in out.splitlines()}
    assert {s[0] for s in sentences} == set(FORMULA)


@pytest.mark.slow
def test_query_csv_and_tsv_neutralise_formula_cells(kg_command, hostile_graph):
    query = ("SELECT DISTINCT ?text ?n WHERE { ?s <http://www.w3.org/ns/oa#prefix> ?text "
             "FILTER(ISLITERAL(?text) && STRSTARTS(STR(?text), \"=HYPER\")) BIND(-1.5 AS ?n) }")
    got = kg_out(kg_command, "query", query, "--format", "csv", "--graph", str(hostile_graph))
    rows = list(csv.reader(io.StringIO(got)))
    assert rows[0] == ["text", "n"]
    assert rows[1][0].startswith("'=HYPERLINK(") and rows[1][1] == "-1.5"  # a number stays
    tsv = kg_out(kg_command, "query", query, "--format", "tsv", "--graph", str(hostile_graph))
    assert tsv.splitlines()[1].startswith("\"'=HYPERLINK(")


@pytest.mark.parametrize(("cell", "safe"), [
    ("=1+1", "'=1+1"), ("+1+1", "'+1+1"), ("-1+1", "'-1+1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("-0.28", "-0.28"), ("+3", "+3"), ("1e5", "1e5"),
    ("-12.5%", "-12.5%"), ("西部地区", "西部地区"), ("", ""), (-0.28, -0.28),
])
def test_neutralise(cell, safe):
    from kg.export.spreadsheet import neutralise

    assert neutralise(cell) == safe
