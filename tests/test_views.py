"""The HTML views (kg/analysis/views.py), checked in a real headless Chromium.

The browser tests are skipped only when /usr/bin/chromium (or chromedriver, or selenium) is
absent; CI installs them. Each browser test saves a screenshot under tests/artifacts/ (ignored
by git) and prints its path.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import networkx as nx
import pytest
from conftest import wait_until

from kg.analysis.views import render_view, view_data

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
ARTIFACTS = Path(__file__).parent / "artifacts"
XSS = '<img src=x onerror="window.__xss=1">'
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--window-size=1280,800"]


def small_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node("p/450000", label_zh="广西壮族自治区", label_en="Guangxi", cls="Province",
               lat=22.8, lon=108.3)
    g.add_node("c/450100", label_zh="南宁市", label_en="Nanning", cls="City", lat=22.8, lon=108.4)
    g.add_node("r/zhong-lao", label_zh="中老铁路", label_en="", cls="Railway", lat=None, lon=None)
    g.add_node("m/west", label_zh="西部地区", label_en="Western China", cls="MacroRegion",
               lat=None, lon=None, centrality=0.9)
    g.add_node("x/evil", label_zh=XSS, label_en=XSS, cls="FreeTradeZone", lat=None, lon=None)
    g.add_node("k/lao", label_zh="老挝", label_en="Laos", cls="Country", lat=18.0, lon=102.6)
    g.add_edge("c/450100", "p/450000", predicate="partOf", source="reference", evidence=None,
               weight=1)
    g.add_edge("p/450000", "m/west", predicate="partOf", source="text",
               evidence="广西属于西部地区。", weight=2)
    g.add_edge("r/zhong-lao", "k/lao", predicate="connects", source="text",
               evidence="中老铁路连接昆明与万象。", weight=1)
    g.add_edge("x/evil", "p/450000", predicate="locatedIn", source="text", evidence=XSS,
               weight=1)
    return g


def test_page_is_self_contained():
    page = render_view(small_graph(), "测试 <b>view</b>")
    tags = re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", page, flags=re.I)
    assert tags, "no script tags at all"
    for tag in tags:
        assert not re.search(r"(?:src|href)\s*=\s*['\"]?(?:https?:)?//", tag, re.I), tag
    assert "<title>测试 &lt;b&gt;view&lt;/b&gt;</title>" in page
    assert XSS not in page  # the raw label never appears unescaped
    assert len(re.findall(r"^<script", page, flags=re.M)) == 3


def test_view_data_contract():
    d = view_data(small_graph(), layout="geo")
    assert len(d["nodes"]) == 6 and len(d["edges"]) == 4
    by_key = {n["key"]: n for n in d["nodes"]}
    assert by_key["c/450100"]["x"] == pytest.approx(108.4 * 40, abs=0.2)
    assert by_key["c/450100"]["y"] == pytest.approx(-22.8 * 40, abs=0.2)
    assert by_key["m/west"]["size"] == max(n["size"] for n in d["nodes"])  # given centrality
    assert [e.get("dashes") for e in d["edges"] if e["src"] == "reference"] == [True]
    assert [e.get("dashes") for e in d["edges"] if e["src"] == "text"] == [None] * 3
    assert d["edge_default"] == {"color": "#34495e", "dashes": False}
    assert {e["pred"]: e.get("width") for e in d["edges"] if "width" in e} == {"partOf": 1.69}
    assert {x["cls"] for x in d["legend"]} == {"Province", "City", "Railway", "MacroRegion",
                                               "FreeTradeZone", "Country"}
    with pytest.raises(ValueError):
        view_data(small_graph(), layout="circle")


def test_bad_numbers_do_not_break_the_page():
    g = small_graph()
    g.nodes["c/450100"]["centrality"] = float("nan")
    g.nodes["p/450000"]["lat"] = float("inf")
    g.nodes["k/lao"]["centrality"] = "high"
    for layout in ("spring", "geo"):
        page = render_view(g, "x", layout=layout)  # JSON without NaN/Infinity, or it raises
        assert "NaN" not in page.split('id="kg-data">')[1].split("</script>")[0]


def test_empty_and_undirected_graphs_render():
    assert "<html" in render_view(nx.Graph(), "empty")
    g = nx.Graph()
    g.add_node(1, label_zh="", label_en="Only English", cls="Unknown", lat=None, lon=None)
    assert view_data(g)["nodes"][0]["label"] == "Only English"
    assert (view_data(g, layout="geo")["nodes"][0]["x"], view_data(g)["nodes"][0]["y"]) == (0, 0)


def chromium():
    """Headless Debian Chromium driven by selenium, logging the browser console, and its
    profile folder; skips where the browser or selenium is absent. The caller quits it and
    removes the folder."""
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is absent (apt-get install chromium chromium-driver)")
    if not CHROMEDRIVER.exists():
        pytest.skip("/usr/bin/chromedriver is absent (apt-get install chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="kg-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    for flag in [*CHROMIUM_FLAGS, f"--user-data-dir={profile}"]:
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=opts), profile


@pytest.fixture(scope="module")
def driver():
    drv, profile = chromium()
    try:
        yield drv
    finally:
        drv.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _open(driver, path: Path, timeout: float = 20.0) -> None:
    driver.get(path.as_uri())
    wait_until(lambda: driver.execute_script("return window.__ready === true"), timeout,
               "the view drew (window.__ready)")


def _screenshot(driver, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    out = ARTIFACTS / name
    driver.save_screenshot(str(out))
    print(f"screenshot: {out}")
    return out


@pytest.mark.slow
@pytest.mark.parametrize("layout, physics", [("spring", False), ("geo", False), ("spring", True)])
def test_view_in_chromium(driver, tmp_path, layout, physics):
    page = tmp_path / "view.html"
    page.write_text(render_view(small_graph(), "广西 view", layout=layout, physics=physics),
                    encoding="utf-8")
    driver.get_log("browser")  # drop what earlier pages logged
    _open(driver, page)
    js = driver.execute_script
    assert js("return window.kgView.network.body.data.nodes.length") == 6
    assert js("return window.kgView.network.body.data.edges.length") == 4
    # every node is drawn (has a body node with a position on the canvas)
    assert js("return Object.keys(window.kgView.network.getPositions()).length") == 6

    # search by a zh label selects and focuses the node
    box = driver.find_element("id", "kg-search")
    box.clear()
    box.send_keys("南宁市\n")
    key = js("var s = window.kgView.network.getSelectedNodes();"
             "return s.length === 1 ? window.kgView.nodes.get(s[0]).key : null")
    assert key == "c/450100"
    assert driver.find_element("id", "kg-found").text.startswith("南宁市")

    # the XSS label is data: searchable, drawn as text, never executed
    box.clear()
    box.send_keys('onerror="window.__xss\n')
    key = js("var s = window.kgView.network.getSelectedNodes();"
             "return s.length === 1 ? window.kgView.nodes.get(s[0]).key : null")
    assert key == "x/evil"
    assert XSS in driver.find_element("id", "kg-found").text  # shown as text
    # hover tooltips of the XSS node and edge are filled with text, not HTML
    js("var n = window.kgView.network; var p = n.canvasToDOM(n.getPosition(arguments[0]));"
       "n.body.emitter.emit('hoverNode', {node: arguments[0], pointer: {DOM: p}});"
       "var e = window.kgView.edges.get({filter: function (x) { return x.pred === 'locatedIn'; }});"
       "n.body.emitter.emit('hoverEdge', {edge: e[0].id, pointer: {DOM: p}});",
       js("return window.kgView.network.getSelectedNodes()[0]"))
    assert XSS in driver.find_element("id", "kg-tip").text
    assert js("return window.__xss") is None
    assert js("return document.querySelectorAll('img').length") == 0

    # class filter: hide the railway
    driver.find_element("css selector", "input[data-cls='Railway']").click()
    hidden = js("return window.kgView.nodes.get({filter: function (n) { return n.hidden; }})"
                ".map(function (n) { return n.key; })")
    assert hidden == ["r/zhong-lao"]
    legend = driver.find_element("id", "kg-legend").text
    assert "Province" in legend and "FreeTradeZone" in legend

    # a suggestion picked from the list selects without Enter
    box.clear()
    box.send_keys("Laos")
    assert js("return window.kgView.nodes.get(window.kgView.network.getSelectedNodes()[0]).key")\
        == "k/lao"
    assert js("return document.querySelectorAll('#kg-labels option').length") == 10

    shot = _screenshot(driver, f"view-{layout}{'-physics' if physics else ''}.png")
    assert shot.stat().st_size > 1000
    errors = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    assert errors == []
    assert js("return window.__xss") is None


TRIG = """
@prefix pkg: <https://w3id.org/policy-kg/ont#> .
@base <https://w3id.org/policy-kg/id/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix geo: <http://www.opengis.net/ont/geosparql#> .
<graph/reference> {
  <city/450100> a pkg:City ; skos:prefLabel "南宁市"@zh, "Nanning"@en ;
    geo:hasGeometry [ geo:asWKT "POINT(108.37 22.82)"^^geo:wktLiteral ] ;
    pkg:partOf <province/450000> .
  <province/450000> a pkg:Province ; skos:prefLabel "广西壮族自治区"@zh .
}
<graph/doc/d> {
  <province/450000> pkg:partOf <macro-region/west> .
  <macro-region/west> a pkg:MacroRegion ; skos:prefLabel "西部地区"@zh .
}
"""
QUERY = """PREFIX pkg: <https://w3id.org/policy-kg/ont#>
SELECT ?s ?p ?o WHERE { ?s ?p ?o . FILTER(?p = pkg:partOf) }"""


def _cli(args, capsys):
    from kg.cli import main

    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_query_graph_projection(tmp_path):
    from rdflib import Dataset

    from kg.analysis.network import query_graph

    ds = Dataset()
    ds.parse(data=TRIG, format="trig")
    g = query_graph(ds, QUERY)
    assert g.number_of_nodes() == 3 and g.number_of_edges() == 2
    assert g.nodes["https://w3id.org/policy-kg/id/city/450100"] == {
        "label_zh": "南宁市", "label_en": "Nanning", "cls": "City", "lat": 22.82, "lon": 108.37}
    sources = {(d["predicate"], d["source"]) for _, _, d in g.edges(data=True)}
    assert sources == {("partOf", "reference"), ("partOf", "text")}


def test_cli_viz_query(tmp_path, capsys):
    graph, query, out = tmp_path / "g.trig", tmp_path / "q.rq", tmp_path / "sub" / "v.html"
    graph.write_text(TRIG, encoding="utf-8")
    query.write_text(QUERY, encoding="utf-8")
    code, stdout, err = _cli(["viz", "--view", f"query:{query}", "--layout", "geo",
                              "--graph", str(graph), "--out", str(out)], capsys)
    assert (code, err) == (0, "")
    assert "3 nodes, 2 edges" in stdout
    page = out.read_text(encoding="utf-8")
    assert "南宁市" in page and "kg-data" in page
    assert not list(out.parent.glob(".*.tmp"))


@pytest.mark.parametrize("args, message", [
    (["--view", "circles"], "invalid view 'circles'"),
    (["--view", "query:"], "invalid view"),
    (["--view", "query:missing.rq"], "missing.rq: no such query file"),
    (["--layout", "circle"], "invalid choice"),
    (["--view", "query:{q}", "--graph", "missing.trig"], "missing.trig: no such graph file"),
    (["--view", "query:{ask}"], "must be a SELECT returning ?s ?p ?o"),
    (["--view", "query:{bad}"], "does not parse"),
    (["--view", "query:{binary}"], "binary.rq: not UTF-8 text"),
    (["--out", "{dir}"], "Is a directory"),
])
def test_cli_viz_bad_input(tmp_path, capsys, args, message):
    graph = tmp_path / "g.trig"
    graph.write_text(TRIG, encoding="utf-8")
    files = {"q": QUERY, "ask": "ASK { ?s ?p ?o }", "bad": "SELECT ?s WHERE {"}
    for name, text in files.items():
        (tmp_path / f"{name}.rq").write_text(text, encoding="utf-8")
    (tmp_path / "binary.rq").write_bytes(b"\xff\xfe\x00SELECT")
    (tmp_path / "dir").mkdir()
    names = {k: tmp_path / f"{k}.rq" for k in [*files, "binary"]} | {"dir": tmp_path / "dir"}
    args = [a.format(**names) for a in args]
    if "--graph" not in args:
        args += ["--graph", str(graph)]
    out = tmp_path / "v.html"
    if "--out" not in args:
        args += ["--out", str(out)]
    if "--view" not in args:
        args += ["--view", f"query:{names['q']}"]
    code, _, err = _cli(["viz", *args], capsys)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and message in err
    assert not out.exists()
    assert not list(tmp_path.glob(".*.tmp"))  # no half-written file left behind


def test_large_graph_layouts_without_scipy():
    """From 500 nodes the layout is views.py's own numpy one (networkx would need scipy)."""
    g = nx.MultiGraph()
    for i in range(600):
        g.add_node(i, label_zh=f"节点{i}", label_en="", cls="City",
                   lat=30.0 + i / 100 if i % 2 else None, lon=110.0 if i % 2 else None)
    for i in range(1, 600):
        g.add_edge(i, (i - 1) // 2, predicate="partOf", source="text", evidence=None, weight=1)
    g.add_node("lonely", label_zh="孤点", label_en="", cls="Country", lat=None, lon=None)
    for layout in ("spring", "geo"):
        nodes = view_data(g, layout=layout)["nodes"]
        xy = [(n["x"], n["y"]) for n in nodes]
        assert all(abs(x) < 1e6 and abs(y) < 1e6 for x, y in xy)
        assert len(set(xy)) > 590  # spread, not collapsed
        if layout == "geo":
            assert xy[1] == (110.0 * 40, round(-30.01 * 40, 1))  # placed nodes stay put


@pytest.mark.slow
@pytest.mark.parametrize("view, fn", [("linkages", "relation_graph"),
                                      ("recommendations", "recommendation_graph"),
                                      ("comentions", "comention_graph")])
def test_cli_viz_views_of_the_article(article_build, tmp_path, capsys, view, fn):
    """The named views draw network.py's projections of the built article, node for node."""
    from kg.analysis import network
    from kg.store.files import load_dataset

    result, build = article_build
    assert result.returncode == 0, result.stderr
    graph, out = build / "graph.trig", tmp_path / f"{view}.html"
    expected = getattr(network, fn)(load_dataset(graph))
    code, stdout, err = _cli(["viz", "--view", view, "--graph", str(graph), "--out", str(out)],
                             capsys)
    assert code == 0, err
    n, m = expected.number_of_nodes(), expected.number_of_edges()
    assert f"{n} nodes, {m} edges ({view}, spring layout)" in stdout
    assert n > 100 and m > 100
    assert "长三角城市群" in out.read_text(encoding="utf-8") or view == "comentions"


@pytest.mark.slow
def test_the_article_linkage_map_in_chromium(driver, article_build, tmp_path, capsys):
    """The real linkage network, laid out by coordinates, loads without console errors and
    draws every node of the projection."""
    from kg.analysis import network
    from kg.store.files import load_dataset

    _, build = article_build
    graph, page = build / "graph.trig", tmp_path / "map.html"
    expected = network.relation_graph(load_dataset(graph))
    code, _, err = _cli(["viz", "--view", "linkages", "--layout", "geo", "--graph", str(graph),
                         "--out", str(page)], capsys)
    assert code == 0, err
    driver.get_log("browser")
    _open(driver, page)
    js = driver.execute_script
    assert js("return Object.keys(window.kgView.network.getPositions()).length") == (
        expected.number_of_nodes())
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    _screenshot(driver, "article-linkages-geo.png")
