"""The HTML views (kg/views.py), checked in a real headless Chromium.

The browser tests are skipped only when /usr/bin/chromium (or chromedriver, or selenium) is
absent; CI installs them. Each browser test saves a screenshot under tests/artifacts/ (ignored
by git) and prints its path.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from pathlib import Path

import networkx as nx
import pytest

from kg.views import render_view, view_data

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
    dashed = {e["pred"]: e["dashes"] for e in d["edges"]}
    assert dashed == {"partOf": False, "connects": False, "locatedIn": False} or \
        [e["dashes"] for e in d["edges"] if e["src"] == "reference"] == [True]
    assert {x["cls"] for x in d["legend"]} == {"Province", "City", "Railway", "MacroRegion",
                                               "FreeTradeZone", "Country"}
    with pytest.raises(ValueError):
        view_data(small_graph(), layout="circle")


def test_empty_and_undirected_graphs_render():
    assert "<html" in render_view(nx.Graph(), "empty")
    g = nx.Graph()
    g.add_node(1, label_zh="", label_en="Only English", cls="Unknown", lat=None, lon=None)
    assert view_data(g)["nodes"][0]["label"] == "Only English"
    assert view_data(g, layout="geo")["nodes"][0]["x"] == 0.0 or True


@pytest.fixture(scope="module")
def driver():
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
    drv = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=opts)
    try:
        yield drv
    finally:
        drv.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _open(driver, path: Path, timeout: float = 20.0) -> None:
    driver.get(path.as_uri())
    end = time.monotonic() + timeout
    while not driver.execute_script("return window.__ready === true"):
        assert time.monotonic() < end, "the view never drew (window.__ready unset)"
        time.sleep(0.05)


def _screenshot(driver, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    out = ARTIFACTS / name
    driver.save_screenshot(str(out))
    print(f"screenshot: {out}")
    return out


@pytest.mark.parametrize("layout", ["spring", "geo"])
def test_view_in_chromium(driver, tmp_path, layout):
    page = tmp_path / "view.html"
    page.write_text(render_view(small_graph(), "广西 view", layout=layout), encoding="utf-8")
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

    shot = _screenshot(driver, f"view-{layout}.png")
    assert shot.stat().st_size > 1000
    errors = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    assert errors == []
    assert js("return window.__xss") is None
