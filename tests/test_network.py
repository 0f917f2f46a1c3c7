"""kg/analysis/network.py projections, kg/analysis/measures.py measures and `kg analyze`, on a
hand-made dataset (answers derived by hand) and on the article's graph."""

from __future__ import annotations

import csv
import json
import re
from itertools import pairwise

import networkx as nx
import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, GEO, RDF, SKOS

from kg import iris
from kg.analysis import measures as analysis
from kg.analysis import network
from kg.cli import main
from kg.errors import InputError
from kg.vocab import OA, PKG

A, B, C, D = (iris.entity(f"province/{n}0000") for n in (65, 31, 32, 33))
X = iris.entity("city-cluster/test-cluster")
K, K2 = iris.entity("corridor/k"), iris.entity("corridor/k2")
REC = iris.recommendation("x", 1)
DOC = iris.document("x")
SENTENCE = ("前文,", "丙省经二号通道连通丁省", "。")


def _entity(g, node, cls, zh, en=""):
    g.add((node, RDF.type, cls))
    g.add((node, SKOS.prefLabel, Literal(zh, lang="zh")))
    if en:
        g.add((node, SKOS.prefLabel, Literal(en, lang="en")))


def _mention(doc_graph, n, start, end, body):
    m, t = iris.mention("x", start, end), URIRef(f"{iris.mention('x', start, end)}/target")
    pos = URIRef(f"{m}/position")
    doc_graph.add((m, RDF.type, PKG.Mention))
    doc_graph.add((m, OA.hasBody, body))
    doc_graph.add((m, OA.hasTarget, t))
    doc_graph.add((t, OA.hasSource, DOC))
    doc_graph.add((t, OA.hasSelector, pos))
    doc_graph.add((pos, OA.start, Literal(start)))
    doc_graph.add((pos, OA.end, Literal(end)))


TEXT = "甲省和乙省合作。丙省\n发展。"  # 甲 0-2, 乙 3-5, 丙 8-10; two sentences


def small(text_path: str) -> Dataset:
    """甲 乙 丙 on corridor K (reference); 丙 丁 on K2 (丙 in reference, 丁 from a text, with its
    assertion); 甲 memberOf cluster X; 甲 has a point; a recommendation targets 甲 and 乙."""
    ds = Dataset(default_union=True)
    ref = ds.graph(iris.graph("reference"))
    doc = ds.graph(iris.graph("doc/x"))
    for node, zh, en in ((A, "甲省", "Jia"), (B, "乙省", "Yi"), (C, "丙省", "Bing"),
                         (D, "丁省", "")):
        _entity(ref, node, PKG.Province, zh, en)
    _entity(ref, X, PKG.CityCluster, "测试城市群", "Test cluster")
    _entity(ref, K, PKG.Railway, "一号铁路", "Line 1")
    _entity(ref, K2, PKG.Corridor, "二号通道")
    for x in (A, B, C):
        ref.add((K, PKG.connects, x))
    ref.add((K2, PKG.connects, C))
    ref.add((A, PKG.memberOf, X))
    point = URIRef(f"{A}/point")
    ref.add((A, GEO.hasGeometry, point))
    ref.add((point, GEO.asWKT, Literal("POINT(87.6 43.8)", datatype=GEO.wktLiteral)))
    doc.add((K2, PKG.connects, D))
    a = iris.assertion("x", 1)
    target, quote = URIRef(f"{a}/target"), URIRef(f"{a}/quote")
    doc.add((a, RDF.type, PKG.Assertion))
    doc.add((a, RDF.subject, K2))
    doc.add((a, RDF.predicate, PKG.connects))
    doc.add((a, RDF.object, D))
    doc.add((a, OA.hasTarget, target))
    doc.add((target, OA.hasSelector, quote))
    doc.add((quote, OA.prefix, Literal(SENTENCE[0])))
    doc.add((quote, OA.exact, Literal(SENTENCE[1])))
    doc.add((quote, OA.suffix, Literal(SENTENCE[2])))
    doc.add((DOC, RDF.type, PKG.Document))
    doc.add((DOC, DCTERMS.source, Literal(text_path)))
    for start, body in ((0, A), (3, B), (8, C)):
        _mention(doc, 0, start, start + 2, body)
    doc.add((REC, RDF.type, PKG.PolicyRecommendation))
    doc.add((REC, PKG.sectionNumber, Literal("一.(一)")))
    doc.add((REC, DCTERMS.title, Literal("发展甲乙两省", lang="zh")))
    doc.add((REC, PKG.targets, A))
    doc.add((REC, PKG.targets, B))
    return ds


@pytest.fixture()
def ds(tmp_path):
    text = tmp_path / "x.txt"
    text.write_text(TEXT, encoding="utf-8")
    return small(str(text))


def _pairs(g):
    return {frozenset((a, b)) for a, b in g.edges()}


def test_linkage_graph_pairs_the_places_of_each_corridor(ds):
    g = network.linkage_graph(ds)
    assert set(g) == {str(n) for n in (A, B, C, D, X)}
    edges = [(frozenset((a, b)), k) for a, b, k in g.edges(keys=True)]
    assert len(edges) == 5 and set(edges) == {
        (frozenset((str(A), str(B))), str(K)), (frozenset((str(A), str(C))), str(K)),
        (frozenset((str(B), str(C))), str(K)), (frozenset((str(C), str(D))), str(K2)),
        (frozenset((str(A), str(X))), "memberOf")}
    ab = g.get_edge_data(str(A), str(B), key=str(K))
    assert ab == {"via": str(K), "via_label": "一号铁路", "predicate": "connects",
                  "source": "reference", "evidence": None, "weight": 1}
    cd = g.get_edge_data(str(C), str(D), key=str(K2))
    assert cd["source"] == "text" and cd["evidence"] == "前文,丙省经二号通道连通丁省。"
    assert g.nodes[str(A)] == {"label_zh": "甲省", "label_en": "Jia", "cls": "Province",
                               "lat": 43.8, "lon": 87.6}
    assert g.nodes[str(D)] == {"label_zh": "丁省", "label_en": "", "cls": "Province",
                               "lat": None, "lon": None}
    assert g.get_edge_data(str(A), str(X), key="memberOf")["predicate"] == "memberOf"


def test_linkage_graph_without_membership_and_the_corridor_graph(ds):
    g = network.linkage_graph(ds, membership=False)
    assert set(g) == {str(n) for n in (A, B, C, D)}
    c = network.corridor_graph(ds)
    assert {n for n, d in c.nodes(data=True) if d["bipartite"] == 0} == {str(K), str(K2)}
    assert _pairs(c) == {frozenset((str(K), str(x))) for x in (A, B, C)} | {
        frozenset((str(K2), str(C))), frozenset((str(K2), str(D)))}
    assert c[str(K2)][str(D)]["source"] == "text"
    assert c[str(K2)][str(C)]["source"] == "reference"
    assert c.nodes[str(K)]["cls"] == "Railway"


def test_recommendation_graph_is_bipartite_with_section_and_title(ds):
    g = network.recommendation_graph(ds)
    assert g.nodes[str(REC)]["label_zh"] == "一.(一) 发展甲乙两省"
    assert g.nodes[str(REC)]["bipartite"] == 0 and g.nodes[str(A)]["bipartite"] == 1
    assert _pairs(g) == {frozenset((str(REC), str(A))), frozenset((str(REC), str(B)))}
    assert g[str(REC)][str(A)]["predicate"] == "targets"


def test_comention_graph_counts_shared_sentences(ds):
    g = network.comention_graph(ds)
    # 甲 and 乙 share the first sentence; 丙 is alone in the second (the line break is no end)
    assert _pairs(g) == {frozenset((str(A), str(B)))}
    assert g[str(A)][str(B)]["weight"] == 1
    assert g[str(A)][str(B)]["evidence"] == "甲省和乙省合作。"
    assert g.graph["fallback_documents"] == []


def test_comention_graph_falls_back_to_a_window_without_the_text(tmp_path):
    g = network.comention_graph(small(str(tmp_path / "gone.txt")))
    # all three starts lie within 100 characters: every pair counts once, without evidence
    assert _pairs(g) == {frozenset((str(p), str(q))) for p, q in ((A, B), (A, C), (B, C))}
    assert g[str(A)][str(C)]["evidence"] is None
    assert g.graph["fallback_documents"] == [str(DOC)]


def test_split_sentences_ignores_single_line_breaks():
    assert network.split_sentences(TEXT) == [(0, 8), (8, 14)]


def test_path_bridges_articulation_points_and_ego(ds):
    g = network.linkage_graph(ds)
    _, rows = analysis.path(ds, g, "甲省", "丁省")
    assert [r["label_zh"] for r in rows] == ["甲省", "丙省", "丁省"]
    assert [r["to_next"] for r in rows] == ["一号铁路", "二号通道", ""]
    _, rows = analysis.bridges(g)
    points = {r["label_zh"] for r in rows if r["kind"] == "articulation point"}
    assert points == {"甲省", "丙省"}
    bridges = {frozenset(r["iri"].split()) for r in rows if r["kind"] == "bridge"}
    assert bridges == {frozenset((str(C), str(D))), frozenset((str(A), str(X)))}
    _, rows = analysis.ego(ds, g, "丁省", radius=1)
    assert [(r["distance"], r["label_zh"]) for r in rows] == [(0, "丁省"), (1, "丙省")]
    _, rows = analysis.ego(ds, g, "丁省", radius=2)
    assert {r["label_zh"] for r in rows} == {"丁省", "丙省", "甲省", "乙省"}


def test_centrality_ranks_the_hub_first(ds):
    g = network.linkage_graph(ds)
    cols, rows = analysis.centrality(g)
    assert cols[:3] == ["label_zh", "label_en", "cls"]
    # 甲 lies on the paths X–乙, X–丙, X–丁, 丙 on 甲–丁, 乙–丁, X–丁: 3 of the 6 other pairs each
    assert [(r["label_zh"], r["degree"], r["betweenness"]) for r in rows[:2]] == [
        ("丙省", 3, 0.5), ("甲省", 3, 0.5)]
    assert all(r["eigenvector"] is not None for r in rows)


def test_communities_cover_every_node_once(ds):
    g = network.linkage_graph(ds)
    _, rows = analysis.communities(g)
    members = [m for r in rows for m in r["members_zh"].split("、")]
    assert sorted(members) == sorted(d["label_zh"] for _, d in g.nodes(data=True))
    assert sum(r["size"] for r in rows) == 5


def test_unknown_place_and_no_path_are_input_errors(ds):
    g = network.linkage_graph(ds)
    with pytest.raises(InputError, match="no entity"):
        analysis.path(ds, g, "甲省", "火星")
    h = g.copy()
    h.remove_edge(str(C), str(D), key=str(K2))
    with pytest.raises(InputError, match="no path"):
        analysis.path(ds, h, "甲省", "丁省")
    with pytest.raises(InputError, match="not in the"):
        analysis.path(ds, network.recommendation_graph(ds), "甲省", "丙省")


def test_table_pads_by_display_width():
    text = analysis.table(["label_zh", "n"], [{"label_zh": "甲省", "n": 1},
                                               {"label_zh": "ab", "n": 10}])
    lines = text.splitlines()
    assert {analysis.width(line) for line in lines} == {len("label_zh") + 2 + 2}
    assert lines[1] == "甲省       1"


def test_exports_round_trip(ds, tmp_path):
    g = network.linkage_graph(ds)
    for fmt, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        (path,) = analysis.export(g, fmt, tmp_path / f"net.{fmt}")
        back = read(path)
        assert (back.number_of_nodes(), back.number_of_edges()) == (5, 5)
        assert back.nodes[str(A)]["label_zh"] == "甲省"
        assert back.nodes[str(A)]["lat"] == 43.8 and "lat" not in back.nodes[str(D)]
    ids = re.findall(r'<edge [^>]*id="([^"]*)"', (tmp_path / "net.graphml").read_text("utf-8"))
    assert len(ids) == len(set(ids)) == 5  # unique, though two edges run along corridor K
    nodes, edges = analysis.export(g, "csv", tmp_path / "net")
    assert nodes.name == "net-nodes.csv" and edges.name == "net-edges.csv"
    assert not list(tmp_path.glob(".*tmp"))


# --- the article ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def built(article_graph):
    return article_graph


def _run(capsys, *argv):
    code = main(["analyze", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.slow
def test_path_from_xinjiang_to_the_yangtze_delta(built, capsys):
    code, out, err = _run(capsys, "path", "新疆", "长三角", "--graph", str(built),
                          "--format", "csv", "--places-only", "--with-reference")
    assert code == 0 and err == ""
    rows = list(csv.DictReader(out.splitlines()))
    assert rows[0]["label_zh"] == "新疆维吾尔自治区" and rows[-1]["label_zh"] == "长三角城市群"
    from kg.store.files import load_dataset

    g = network.linkage_graph(load_dataset(built))
    iris_ = [r["iri"] for r in rows]
    assert all(g.has_edge(a, b) for a, b in pairwise(iris_))
    assert len(rows) - 1 == nx.shortest_path_length(g, iris_[0], iris_[-1])


@pytest.mark.slow
def test_article_exports_keep_their_counts(built, tmp_path, capsys):
    from kg.store.files import load_dataset

    ds = load_dataset(built)
    for name in network.NETWORKS:
        g = network.project(ds, name)
        for fmt, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
            out = tmp_path / f"{name}.{fmt}"
            code, _, err = _run(capsys, "export", "--network", name, "--format", fmt,
                                "--out", str(out), "--graph", str(built))
            assert code == 0 and err == ""
            back = read(out)
            assert (back.number_of_nodes(), back.number_of_edges()) == (
                g.number_of_nodes(), g.number_of_edges()), (name, fmt)
    code, _, _ = _run(capsys, "export", "--format", "csv", "--out", str(tmp_path / "l"),
                      "--graph", str(built))
    assert code == 0
    with open(tmp_path / "l-nodes.csv", encoding="utf-8") as f:
        assert next(csv.reader(f)) == ["id", "label_zh", "label_en", "cls", "lat", "lon"]
    with open(tmp_path / "l-edges.csv", encoding="utf-8") as f:
        assert next(csv.reader(f))[:6] == ["from_id", "to_id", "predicate", "source",
                                           "evidence", "weight"]


@pytest.mark.slow
def test_article_measures_answer(built, capsys):
    code, out, _ = _run(capsys, "centrality", "--top", "3", "--graph", str(built))
    assert code == 0 and len(out.splitlines()) == 4
    assert out.splitlines()[0].split()[:3] == ["label_zh", "label_en", "cls"]
    code, out, _ = _run(capsys, "ego", "长三角", "--graph", str(built), "--format", "csv",
                        "--places-only", "--with-reference")
    rows = list(csv.DictReader(out.splitlines()))
    assert rows[0]["label_zh"] == "长三角城市群" and rows[0]["distance"] == "0"
    assert {"上海市", "江苏省", "浙江省"} <= {r["label_zh"] for r in rows}
    # by default the network holds what the text states, a corridor as a node of its own
    code, out, _ = _run(capsys, "ego", "中老铁路", "--graph", str(built), "--format", "csv")
    rows = list(csv.DictReader(out.splitlines()))
    assert code == 0 and rows[0]["label_zh"] == "中老铁路"
    assert len(rows) > 1 and {r["distance"] for r in rows} == {"0", "1"}


@pytest.mark.slow
@pytest.mark.parametrize("argv, message", [
    (["path", "新疆", "火星"], "火星"),
    (["path", "新疆"], "takes 2"),
    (["centrality", "--format", "xml"], "--format xml"),
    (["export"], "--out"),
    (["path", "新疆", "广州", "--network", "recommendations"], "not in the"),
])
def test_bad_input_is_one_line_and_exit_2(built, capsys, argv, message):
    code, out, err = _run(capsys, *argv, "--graph", str(built))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and message in err and "Traceback" not in err


def test_missing_graph_is_exit_2(tmp_path, capsys):
    code, _, err = _run(capsys, "centrality", "--graph", str(tmp_path / "none.trig"))
    assert code == 2 and "no such graph file" in err


def test_cli_on_the_small_graph_warns_when_the_text_is_gone(tmp_path, capsys):
    graph = tmp_path / "small.trig"
    small(str(tmp_path / "gone.txt")).serialize(graph, format="trig")
    code, out, err = _run(capsys, "path", "甲省", "丁省", "--graph", str(graph),
                          "--format", "csv", "--places-only", "--with-reference")
    assert code == 0 and [r["label_zh"] for r in csv.DictReader(out.splitlines())] == [
        "甲省", "丙省", "丁省"]
    code, _, err = _run(capsys, "ego", "测试城市群", "--corridors-only", "--places-only",
                        "--with-reference", "--graph", str(graph))
    assert code == 2 and "not in the linkages network" in err
    code, out, err = _run(capsys, "centrality", "--network", "comentions", "--graph", str(graph))
    assert code == 0 and err.startswith("warning: ") and "100 characters" in err
    assert len(out.splitlines()) == 4  # the header and 甲 乙 丙


def _page_data(page) -> dict:
    found = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>',
                      page.read_text(encoding="utf-8"), re.S)
    return json.loads(found.group(1))


def test_viz_and_analyze_find_the_texts_of_a_build_made_elsewhere(tmp_path, monkeypatch, capsys):
    """`kg build` records a text's path as it was given, relative to where the build ran: the
    parent of the output folder. Both commands that project co-mentions look there (one
    dispatch, network.project), so from another folder both count sentences, not a window."""
    project = tmp_path / "project"
    (project / "texts").mkdir(parents=True)
    (project / "texts" / "x.txt").write_text(TEXT, encoding="utf-8")
    graph = project / "build" / "graph.trig"
    graph.parent.mkdir()
    small("texts/x.txt").serialize(graph, format="trig")
    monkeypatch.chdir(tmp_path)  # not the folder the paths are relative to

    code, _, err = _run(capsys, "export", "--network", "comentions", "--format", "csv",
                        "--out", str(tmp_path / "c"), "--graph", str(graph))
    assert (code, err) == (0, "")
    with open(tmp_path / "c-edges.csv", encoding="utf-8") as f:
        analyzed = [(r["from_id"], r["to_id"], r["evidence"]) for r in csv.DictReader(f)]
    assert analyzed == [(str(B), str(A), "甲省和乙省合作。")]  # sorted by IRI

    page = tmp_path / "comentions.html"
    code = main(["viz", "--view", "comentions", "--graph", str(graph), "--out", str(page)])
    captured = capsys.readouterr()
    assert (code, captured.err) == (0, "")
    data = _page_data(page)
    keys = [n["key"] for n in data["nodes"]]
    assert [(keys[e["from"]], keys[e["to"]], e["ev"]) for e in data["edges"]] == analyzed


# --- the network of what the texts say ------------------------------------------------------

def test_relation_graph_holds_what_the_texts_state_with_corridors_as_nodes(ds):
    g = network.relation_graph(ds)
    assert [(a, b, k) for a, b, k in g.edges(keys=True)] == [(str(K2), str(D), "connects")]
    d = g.get_edge_data(str(K2), str(D), key="connects")
    assert d["source"] == "text" and d["evidence"] == "前文,丙省经二号通道连通丁省。"
    assert network.text_share(g) == 1.0


def test_reference_facts_join_only_between_entities_the_texts_tie(ds):
    doc = ds.graph(iris.graph("doc/x"))
    doc.add((K, PKG.connects, A))  # the texts now tie K, 甲 and 乙 too
    doc.add((A, PKG.cooperatesWith, B))
    assert network.relation_graph(ds).number_of_edges() == 3
    g = network.relation_graph(ds, network.Scope(with_reference=True))
    edges = {(frozenset((a, b)), d["source"]) for a, b, d in g.edges(data=True)}
    # K–丙 and 甲–X are reference facts about entities no text ties: left out; K–乙 is added,
    # and K–甲, which the reference states too, counts as the text's
    assert edges == {(frozenset((str(K2), str(D))), "text"), (frozenset((str(K), str(A))), "text"),
                     (frozenset((str(A), str(B))), "text"),
                     (frozenset((str(K), str(B))), "reference")}
    assert network.text_share(g) == 3 / 4


def test_network_options_pick_documents_by_key_and_year(tmp_path, capsys):
    ds = small(str(tmp_path / "x.txt"))
    ds.graph(iris.graph("doc/x")).add((DOC, DCTERMS.issued, Literal("2025-01-16")))
    graph = tmp_path / "small.trig"
    ds.serialize(graph, format="trig")
    code, out, _ = _run(capsys, "ego", "二号通道", "--graph", str(graph), "--format", "csv")
    assert code == 0
    assert [r["label_zh"] for r in csv.DictReader(out.splitlines())] == ["二号通道", "丁省"]
    code, out, _ = _run(capsys, "ego", "二号通道", "--doc", "x", "--year", "2025",
                        "--graph", str(graph), "--format", "csv")
    assert code == 0 and len(out.splitlines()) == 3
    code, _, err = _run(capsys, "ego", "二号通道", "--year", "2024", "--graph", str(graph))
    assert code == 2 and "not in the linkages network" in err
    code, _, err = _run(capsys, "ego", "二号通道", "--doc", "nope", "--graph", str(graph))
    assert code == 2 and err.startswith("kg: error: --doc nope: no such document")
    assert "Traceback" not in err
