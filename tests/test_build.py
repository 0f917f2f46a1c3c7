"""`kg build` end to end on the article, as a subprocess, and what its outputs hold."""

from __future__ import annotations

import json
import os
import re
import subprocess

import pytest
from conftest import ARTICLE, ARTICLE_KEY, file_nquads, kg_in_process, store_nquads
from rdflib import Dataset

pytestmark = pytest.mark.slow  # every test here reads the real build of the article or builds

EVIDENCE = """
PREFIX pkg: <https://w3id.org/policy-kg/ont#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?label ?start ?end ?exact ?rule WHERE {
  GRAPH ?g { ?m a pkg:Mention ; oa:hasBody ?e ; pkg:rule ?rule ;
                oa:hasTarget [ oa:hasSelector [ oa:start ?start ; oa:end ?end ] ,
                                              [ oa:exact ?exact ] ] }
  ?e skos:prefLabel ?label . FILTER(LANG(?label) = "zh")
} ORDER BY ?start
"""


@pytest.fixture(scope="module")
def built(article_build):
    return article_build


def test_build_exits_0_and_reports_a_valid_graph(built):
    result, out = built
    assert result.returncode == 0, result.stderr
    assert "conforms" in result.stdout
    # the outputs (the store and its lock file, graph.trig by --trig), the lock file that kept
    # other builds out (it stays: kg/build/outdir.py), what the next build reuses: the manifest
    # and each document's result (docs/scale.md), and the folder of extracted texts (empty: a
    # .txt input is its own text)
    assert sorted(p.name for p in out.iterdir()) == [
        ".kg-build.lock", "documents", "graph.trig", "manifest.json", "mentions.jsonl",
        "report.json", "store", "store.kg-lock", "texts"]
    assert not any((out / "texts").iterdir())


def test_mentions_jsonl_points_into_the_original_text(built):
    _, out = built
    text = ARTICLE.read_text(encoding="utf-8")
    rows = [json.loads(line) for line in (out / "mentions.jsonl").read_text().splitlines()]
    assert len(rows) > 500
    for row in rows:
        assert set(row) == {"doc", "start", "end", "text", "type", "iri", "rule", "open_world"}
        assert text[row["start"]:row["end"]] == row["text"]
    assert any((r["iri"] or "").endswith("/province/330000") for r in rows)


def test_graph_has_named_graphs_and_evidence_for_each_mention(built):
    _, out = built
    ds = Dataset()
    ds.parse(out / "graph.trig", format="trig")
    names = {str(g.identifier).rsplit("/graph/", 1)[-1] for g in ds.graphs()}
    assert {"ontology", "reference", f"doc/{ARTICLE_KEY}"} <= names
    ds.default_union = True
    text = ARTICLE.read_text(encoding="utf-8")
    rows = list(ds.query(EVIDENCE))
    assert rows
    for _label, start, end, exact, _rule in rows:
        assert text[int(start):int(end)] == str(exact)
    assert ("合肥市", "合肥") in {(str(r[0]), str(r[3])) for r in rows}


def test_document_metadata(built):
    _, out = built
    report = json.loads((out / "report.json").read_text())
    assert list(report["documents"]) == [ARTICLE_KEY]
    doc = report["documents"][ARTICLE_KEY]
    assert doc["title"].startswith('"十四五"时期中国区域协调发展进展')
    assert doc["authors"] == ["卢伟", "李沛霖"]
    assert doc["date"] == "2025"
    assert (doc["type"], doc["year"], doc["issuer"], doc["document_number"]) == (
        "research-article", 2025, None, None)
    assert doc["plan_periods"] == ["十四五", "十五五"] and doc["language"] == "zh-Hans"
    assert report["validation"]["conforms"] is True
    assert report["entities_per_class"]["Province"] >= 30


def test_stats_and_validate_read_the_built_graph(built, kg_command, article_validation):
    _, out = built
    graph = str(out / "graph.trig")
    assert article_validation.returncode == 0, article_validation.stderr
    assert "conforms" in article_validation.stdout
    s = subprocess.run([*kg_command, "stats", "--graph", graph, "--json"], capture_output=True,
                       text=True, timeout=300)
    assert s.returncode == 0, s.stderr
    per_class = {r["class"]: r for r in json.loads(s.stdout)["per_class"]}
    assert per_class["Province"]["entities"] >= 30
    assert per_class["MacroRegion"]["mentions"] > 100


def test_commands_read_the_build_store_by_default(built, kg_command, tmp_path):
    """No --graph or --store: a command reads build/store, the store `kg build` wrote, and
    answers as it does from the same build's graph.trig in memory."""
    _, out = built
    (tmp_path / "build").symlink_to(out)  # the build, where every command looks for it
    env = {k: v for k, v in os.environ.items() if k != "KG_STORE"}
    answers = {}
    for where in ((), ("--graph", str(out / "graph.trig"))):
        done = subprocess.run([*kg_command, "query", "most-mentioned-entities", "--format", "csv",
                               *where], cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stderr
        answers[where] = done.stdout
    rows = answers[()].splitlines()
    assert len(rows) > 10 and rows[0] == "entity,class,mentions"
    assert answers[()] == answers[("--graph", str(out / "graph.trig"))]


@pytest.mark.parametrize("suffix", [".trig", ".nq"])
def test_the_graph_exported_from_the_build_store_is_the_build_graph(built, kg_command, tmp_path,
                                                                    suffix):
    _, out = built
    exported = tmp_path / f"graph{suffix}"
    done = subprocess.run([*kg_command, "export", "graph", "--store", f"oxigraph:{out / 'store'}",
                           "--format", {".trig": "trig", ".nq": "nquads"}[suffix],
                           "--out", str(exported)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    quads = file_nquads(exported)
    assert len(quads) > 40_000 and quads == file_nquads(out / "graph.trig")


def test_load_without_a_graph_file_loads_the_build_store(built, kg_command, tmp_path):
    _, out = built
    (tmp_path / "build").symlink_to(out)
    env = {k: v for k, v in os.environ.items() if k != "KG_STORE"}
    done = subprocess.run([*kg_command, "load", "--store", "oxigraph:copy"], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1].endswith("named graphs from build/store into "
                                                 "oxigraph:copy")
    # a load gives the ontology's blank nodes labels of its own, as RDF allows: the quads
    # must be the same once their blank-node labels are set aside
    assert unlabelled(store_nquads(tmp_path / "copy")) == unlabelled(store_nquads(out / "store"))


def unlabelled(quads: list[str]) -> list[str]:
    return sorted(re.sub(r"_:\S+", "_:b", line) for line in quads)


def test_validate_rejects_a_graph_that_breaks_the_shapes(built, kg_command, tmp_path):
    _, out = built
    from rdflib.namespace import SKOS

    from kg.store.files import load_dataset

    ds = load_dataset(out / "graph.trig")  # Oxigraph's parser: twice as fast as rdflib's
    for g in ds.graphs():
        for s, p, o in list(g.triples((None, SKOS.prefLabel, None))):
            if str(s).endswith("/province/340000"):
                g.remove((s, p, o))
    broken = tmp_path / "broken.nq"  # N-Quads: rdflib writes TriG 15 times slower
    ds.serialize(destination=broken, format="nquads", encoding="utf-8")
    v = kg_in_process("validate", "--graph", str(broken))
    assert v.returncode == 1
    assert "does not conform" in v.stderr


def test_gbk_input_is_decoded(kg_command, tmp_path):
    (tmp_path / "gbk.txt").write_bytes("支持广西、云南建设沿边开放平台。".encode("gbk"))
    result = kg_in_process("build", "gbk.txt", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "decoded as gb18030" in result.stderr
    rows = [json.loads(x) for x in (tmp_path / "out" / "mentions.jsonl").read_text().splitlines()]
    assert [r["text"] for r in rows] == ["广西", "云南"]


def test_a_bom_counts_in_the_offsets_and_a_file_named_twice_is_read_once(kg_command, tmp_path):
    (tmp_path / "bom.txt").write_bytes("\ufeff推动广东省发展。".encode())
    result = kg_in_process("build", ".", "bom.txt", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(x) for x in (tmp_path / "out" / "mentions.jsonl").read_text().splitlines()]
    text = (tmp_path / "bom.txt").read_text(encoding="utf-8")
    assert [(r["start"], r["end"], r["text"]) for r in rows] == [(3, 6, "广东省")]
    assert text[3:6] == "广东省"
