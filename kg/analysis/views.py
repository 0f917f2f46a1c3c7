"""Interactive views of a networkx projection of the graph: one self-contained HTML page.

`render_view(g, title)` lays the graph out in Python (spring, or geographic coordinates) and
writes the vis-network data straight into the page, with vis-network's script and stylesheet
inlined from the pyvis package: the page works offline and opens fast with physics off.
pyvis's own `add_node`/`add_edge` is not used (it is quadratic: 28 s for 10,000 nodes), nor its
template (even with `cdn_resources="in_line"` it links Bootstrap and tom-select from CDNs).

Input contract: the projections' (kg/analysis/network.py, whose node attributes come from
kg/analysis/nodes.py): node attributes `label_zh`, `label_en` (may be ""), `cls` (local class
name), `lat`, `lon` (float or None), optional `centrality` (float; degree centrality when
absent); edge attributes `predicate`, `source` ("reference" or "text"), `evidence` (str or
None), `weight`. This module reads no RDF.

Labels come from text and are never interpreted as HTML: vis-network draws them on the canvas,
the tooltips are DOM nodes filled with `textContent`, and the data is embedded as JSON with `<`,
`>` and `&` escaped.
"""

from __future__ import annotations

import html
import json
import math
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx

LAYOUTS = ("spring", "geo")
SEED = 7
GEO_SCALE = 40.0  # pixels per degree
_STYLES = Path(__file__).with_name("view_styles.json")


@cache
def styles() -> dict[str, Any]:
    return json.loads(_STYLES.read_text(encoding="utf-8"))


@cache
def _class_style(cls: str) -> dict[str, str]:
    for fam in styles()["families"]:
        if cls in fam["classes"]:
            return fam
    return styles()["other"]


@cache
def _vis_assets() -> tuple[str, str]:
    lib = resources.files("pyvis") / "lib" / "vis-9.1.2"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    return js.replace("</script", "<\\/script"), css.replace("</style", "<\\/style")


def _json_for_script(obj: Any) -> str:
    """JSON that cannot close the <script> element it sits in nor open a comment."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _fr_layout(g: nx.Graph, *, pos0: dict | None = None, fixed: frozenset = frozenset(),
               k: float | None = None, iterations: int = 50) -> dict[Any, tuple[float, float]]:
    """Fruchterman-Reingold in numpy, for large graphs (networkx needs scipy from 500 nodes).

    Repulsion is estimated against a fresh random sample of nodes each iteration, so one
    iteration costs O(n·m + edges) instead of O(n²).
    """
    import numpy as np

    nodes = list(g)
    n = len(nodes)
    idx = {v: i for i, v in enumerate(nodes)}
    rng = np.random.default_rng(SEED)
    pos = rng.random((n, 2)) * 2.0 - 1.0
    if pos0:
        for v, p in pos0.items():
            if v in idx:
                pos[idx[v]] = p
    start = pos.copy()
    mask = np.zeros(n, dtype=bool)
    mask[[idx[v] for v in fixed if v in idx]] = True
    uv = np.array([(idx[u], idx[v]) for u, v in g.edges() if u != v], dtype=np.int64)
    uv = uv.reshape(-1, 2)
    span = float(np.ptp(pos, axis=0).max()) or 1.0
    k = k or span / math.sqrt(n)
    m = min(n, 128)
    temp = 0.1 * span
    for it in range(iterations):
        sample = rng.choice(n, m, replace=False) if n > m else np.arange(n)
        dx = pos[:, 0:1] - pos[sample, 0][None, :]
        dy = pos[:, 1:2] - pos[sample, 1][None, :]
        w = (k * k * n / m) / np.maximum(dx * dx + dy * dy, 1e-6 * k * k)
        disp = np.stack([(dx * w).sum(1), (dy * w).sum(1)], axis=1)
        if len(uv):
            dv = pos[uv[:, 0]] - pos[uv[:, 1]]
            f = dv * (np.sqrt((dv * dv).sum(-1)) / k)[:, None]
            np.add.at(disp, uv[:, 0], -f)
            np.add.at(disp, uv[:, 1], f)
        length = np.maximum(np.sqrt((disp * disp).sum(-1)), 1e-9)
        pos += disp * (np.minimum(length, temp) / length)[:, None]
        pos[mask] = start[mask]
        temp = 0.1 * span * (1 - (it + 1) / (iterations + 1))
    if not fixed:
        pos -= pos.mean(axis=0)
        pos /= float(np.abs(pos).max()) or 1.0
    return {v: (float(pos[i, 0]), float(pos[i, 1])) for i, v in enumerate(nodes)}


def _spring(g: nx.Graph, n: int) -> dict[Any, tuple[float, float]]:
    """Spring layout of each connected component, the components packed in rows, largest
    first (one spring layout of them all flings the small components to the edges)."""
    if n == 0:
        return {}
    simple = nx.Graph(g)
    comps = sorted(nx.connected_components(simple), key=lambda c: (-len(c), min(map(str, c))))
    laid = []
    for comp in comps:
        sub = simple.subgraph(comp)
        if len(comp) <= 2:  # many isolated nodes and pairs: no layout call each
            pos = dict(zip(sorted(comp, key=str), [(-0.5, 0.0), (0.5, 0.0)], strict=False))
            if len(comp) == 1:
                pos = dict.fromkeys(comp, (0.0, 0.0))
        elif len(comp) < 500:
            pos = nx.spring_layout(sub, seed=SEED, iterations=50)
        else:
            pos = _fr_layout(sub, iterations=50 if len(comp) <= 2000 else 30)
        laid.append((60.0 * math.sqrt(len(comp)) + 30.0, pos))
    gap = 40.0
    width = max(2 * laid[0][0], math.sqrt(sum((2 * r + gap) ** 2 for r, _ in laid)) * 1.1)
    out: dict[Any, tuple[float, float]] = {}
    x = y = row = 0.0
    for r, pos in laid:
        if x > 0 and x + 2 * r > width:
            x, y, row = 0.0, y + row + gap, 0.0
        cx, cy = x + r, y + r
        out.update({v: (cx + float(px) * r, cy + float(py) * r) for v, (px, py) in pos.items()})
        x += 2 * r + gap
        row = max(row, 2 * r)
    mx = sum(p[0] for p in out.values()) / n
    my = sum(p[1] for p in out.values()) / n
    return {v: (px - mx, py - my) for v, (px, py) in out.items()}


def _geo(g: nx.Graph) -> dict[Any, tuple[float, float]]:
    placed = {}
    for v, d in g.nodes(data=True):
        lat, lon = d.get("lat"), d.get("lon")
        if isinstance(lat, int | float) and isinstance(lon, int | float) \
                and math.isfinite(lat) and math.isfinite(lon):
            placed[v] = (float(lon), -float(lat))
    if not placed:
        return _spring(g, g.number_of_nodes())
    rest = [v for v in g if v not in placed]
    pos = dict(placed)
    if rest:
        simple = nx.Graph(g)
        cx = sum(x for x, _ in placed.values()) / len(placed)
        cy = sum(y for _, y in placed.values()) / len(placed)
        init = dict(placed)
        for i, v in enumerate(rest):  # start at the mean of the placed neighbours
            nb = [placed[u] for u in simple[v] if u in placed]
            ang = 2.399963 * i  # golden angle: spread the starts
            bx, by = ((sum(p[0] for p in nb) / len(nb), sum(p[1] for p in nb) / len(nb))
                      if nb else (cx, cy))
            init[v] = (bx + math.cos(ang), by + math.sin(ang))
        if len(simple) < 500:
            pos = nx.spring_layout(simple, pos=init, fixed=list(placed), k=1.5, seed=SEED,
                                   iterations=50)
        else:
            pos = _fr_layout(simple, pos0=init, fixed=frozenset(placed), k=1.5, iterations=30)
    return {v: (float(x) * GEO_SCALE, float(y) * GEO_SCALE) for v, (x, y) in pos.items()}


def _finite(x: Any) -> float | None:
    return float(x) if isinstance(x, int | float) and math.isfinite(x) else None


def view_data(g: nx.Graph, *, layout: str = "spring") -> dict[str, Any]:
    """The nodes, edges and legend of the page, as plain JSON-able data."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r} (expected one of {', '.join(LAYOUTS)})")
    n = g.number_of_nodes()
    pos = _geo(g) if layout == "geo" else _spring(g, n)
    cent = {v: _finite(d.get("centrality")) for v, d in g.nodes(data=True)}
    if any(c is None for c in cent.values()):
        computed = nx.degree_centrality(g) if n > 1 else dict.fromkeys(g, 0.0)
        cent = {v: (c if c is not None else computed[v]) for v, c in cent.items()}
    top = max((c for c in cent.values()), default=0.0) or 1.0
    size = styles()["node_size"]
    index: dict[Any, int] = {}
    nodes, classes = [], {}
    for i, (v, d) in enumerate(g.nodes(data=True)):
        index[v] = i
        cls = d.get("cls") or "Entity"
        st = _class_style(cls)
        classes.setdefault(cls, st)
        zh, en = d.get("label_zh") or "", d.get("label_en") or ""
        x, y = pos.get(v, (0.0, 0.0))
        c = max(0.0, cent[v] or 0.0)
        nodes.append({
            "id": i, "label": zh or en or str(v), "en": en, "cls": cls, "key": str(v),
            "x": round(x, 1), "y": round(y, 1),
            "size": round(size["min"] + (size["max"] - size["min"]) * math.sqrt(c / top), 1),
            "color": st["color"], "shape": st["shape"],
        })
    edge_styles = styles()["edges"]
    edges = []
    for u, w, d in g.edges(data=True):
        src = d.get("source") or "text"
        st = edge_styles.get(src, edge_styles["text"])
        weight = d.get("weight") or 1
        edge = {"from": index[u], "to": index[w], "pred": d.get("predicate") or "",
                "ev": d.get("evidence") or "", "src": src}
        # only what differs from the text-edge defaults: vis parses every option of every edge
        if st != edge_styles["text"]:
            edge["color"], edge["dashes"] = st["color"], st["dashes"]
        if int(weight) > 1:
            edge["width"] = round(1 + math.log(int(weight)), 2)
        edges.append(edge)
    legend = [{"cls": cls, "family": st["family"], "color": st["color"], "shape": st["shape"]}
              for cls, st in sorted(classes.items(), key=lambda kv: (kv[1]["family"], kv[0]))]
    return {"nodes": nodes, "edges": edges, "legend": legend,
            "directed": g.is_directed(), "edge_default": edge_styles["text"]}


def render_view(g: nx.Graph, title: str, *, layout: str = "spring",
                physics: bool = False) -> str:
    """A self-contained HTML page showing `g` (see the module docstring for the contract)."""
    data = view_data(g, layout=layout)
    data["physics"] = bool(physics)
    js, css = _vis_assets()
    parts = {"TITLE": html.escape(title), "CSS": css, "DATA": _json_for_script(data),
             "APP": _APP_JS, "VIS": js}
    return re.sub(r"@@([A-Z]+)@@", lambda m: parts[m.group(1)], _TEMPLATE)


_APP_JS = r"""
(function () {
  "use strict";
  var t0 = performance.now();
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var marks = {parsed: performance.now() - t0};
  var nodes = new vis.DataSet(data.nodes), edges = new vis.DataSet(data.edges);
  marks.datasets = performance.now() - t0;
  var big = data.nodes.length > 2000;
  var options = {
    physics: {enabled: data.physics, stabilization: {iterations: 200}},
    layout: {improvedLayout: false, randomSeed: 7},
    // above 2,000 nodes: no node borders and no arrowheads, the two costliest parts of a
    // redraw in vis-network (the tooltip still reads "subject — predicate → object")
    nodes: {font: {size: 14, face: "sans-serif"}, borderWidth: big ? 0 : 1},
    edges: {smooth: false, arrows: {to: {enabled: data.directed && !big, scaleFactor: 0.5}},
            selectionWidth: 2, width: 1, dashes: data.edge_default.dashes,
            color: {color: data.edge_default.color, inherit: false}},
    interaction: {hover: true, tooltipDelay: 100, hideEdgesOnDrag: big, hideEdgesOnZoom: big}
  };
  var container = document.getElementById("kg-network");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, options);
  marks.network = performance.now() - t0;
  window.__marks = marks;
  window.kgView = {network: network, nodes: nodes, edges: edges,
                   counts: {nodes: data.nodes.length, edges: data.edges.length}};
  network.once("afterDrawing", function () {
    window.__readyMs = performance.now();
    window.__buildMs = performance.now() - t0;
    window.__ready = true;
  });

  // tooltips: DOM elements filled with textContent, never HTML
  var tip = document.getElementById("kg-tip");
  function line(text, cls) {
    var div = document.createElement("div");
    if (cls) { div.className = cls; }
    div.textContent = text;
    tip.appendChild(div);
  }
  function showTip(pointer, fill) {
    tip.replaceChildren();
    fill();
    var box = container.getBoundingClientRect();
    tip.style.left = (box.left + window.scrollX + pointer.DOM.x + 12) + "px";
    tip.style.top = (box.top + window.scrollY + pointer.DOM.y + 12) + "px";
    tip.style.display = "block";
  }
  function hideTip() { tip.style.display = "none"; }
  network.on("hoverNode", function (p) {
    var n = nodes.get(p.node);
    showTip(p.pointer, function () {
      line(n.label, "kg-tip-head");
      if (n.en) { line(n.en); }
      line(n.cls + " · " + n.key, "kg-tip-meta");
    });
  });
  network.on("hoverEdge", function (p) {
    var e = edges.get(p.edge);
    showTip(p.pointer, function () {
      line(nodes.get(e.from).label + " — " + e.pred + " → " + nodes.get(e.to).label,
           "kg-tip-head");
      line(e.ev || "(no evidence sentence)");
      line("source: " + e.src, "kg-tip-meta");
    });
  });
  network.on("blurNode", hideTip);
  network.on("blurEdge", hideTip);
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);

  // legend and class filters
  var legend = document.getElementById("kg-legend");
  var hidden = {};
  data.legend.forEach(function (item) {
    var label = document.createElement("label");
    var box = document.createElement("input");
    box.type = "checkbox"; box.checked = true; box.dataset.cls = item.cls;
    var sw = document.createElement("span");
    sw.className = "kg-swatch"; sw.style.background = item.color;
    var text = document.createElement("span");
    text.textContent = item.cls + " · " + item.family;
    label.appendChild(box); label.appendChild(sw); label.appendChild(text);
    legend.appendChild(label);
    box.addEventListener("change", function () {
      hidden[item.cls] = !box.checked;
      var upd = [];
      data.nodes.forEach(function (n) {
        if (n.cls === item.cls) { upd.push({id: n.id, hidden: !box.checked}); }
      });
      nodes.update(upd);
    });
  });
  var el = document.createElement("div");
  el.className = "kg-edge-key";
  el.textContent = "— text relation   ┄ reference fact";
  legend.appendChild(el);

  // search: exact zh/en label first, then the first label containing the query
  var search = document.getElementById("kg-search"), status = document.getElementById("kg-found");
  function find(q) {
    q = q.trim().toLowerCase();
    if (!q) { return null; }
    var i, n, partial = null;
    for (i = 0; i < data.nodes.length; i++) {
      n = data.nodes[i];
      if (hidden[n.cls]) { continue; }
      if (n.label.toLowerCase() === q || n.en.toLowerCase() === q) { return n; }
      if (partial === null && (n.label.toLowerCase().indexOf(q) >= 0 ||
                               n.en.toLowerCase().indexOf(q) >= 0)) { partial = n; }
    }
    return partial;
  }
  function go() {
    var n = find(search.value);
    if (n === null) { status.textContent = "not found"; network.unselectAll(); return; }
    status.textContent = n.label + (n.en ? " / " + n.en : "");
    network.selectNodes([n.id]);
    network.focus(n.id, {scale: 1.2, animation: false});
  }
  if (data.nodes.length <= 5000) {  // suggestions while typing; picking one selects it
    var list = document.getElementById("kg-labels"), seen = {};
    data.nodes.forEach(function (n) {
      [n.label, n.en].forEach(function (text) {
        if (text && !seen[text]) {
          seen[text] = true;
          var opt = document.createElement("option");
          opt.value = text;
          list.appendChild(opt);
        }
      });
    });
    search.addEventListener("input", function () { if (seen[search.value]) { go(); } });
  }
  search.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { go(); } });
  search.addEventListener("change", go);
  document.getElementById("kg-go").addEventListener("click", go);
})();
"""

_TEMPLATE = """<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>@@TITLE@@</title>
<style>@@CSS@@</style>
<style>
html, body { margin: 0; height: 100%; font-family: sans-serif; font-size: 13px; }
#kg-bar { position: absolute; top: 0; left: 0; right: 0; height: 38px; padding: 6px 10px;
  box-sizing: border-box; background: #f4f6f7; border-bottom: 1px solid #ccd1d1; z-index: 2; }
#kg-bar h1 { display: inline; font-size: 15px; margin-right: 16px; }
#kg-network { position: absolute; top: 38px; left: 0; right: 260px; bottom: 0; }
#kg-legend { position: absolute; top: 38px; right: 0; width: 260px; bottom: 0; overflow: auto;
  padding: 8px; box-sizing: border-box; border-left: 1px solid #ccd1d1; background: #fbfcfc; }
#kg-legend label { display: block; margin: 2px 0; }
.kg-swatch { display: inline-block; width: 11px; height: 11px; margin: 0 5px;
  border-radius: 2px; vertical-align: middle; }
.kg-edge-key { margin-top: 10px; color: #555; }
#kg-tip { position: absolute; display: none; max-width: 420px; padding: 6px 8px; z-index: 3;
  background: #fff; border: 1px solid #aab7b8; box-shadow: 0 1px 4px rgba(0,0,0,.2);
  pointer-events: none; white-space: normal; }
.kg-tip-head { font-weight: bold; }
.kg-tip-meta { color: #777; font-size: 11px; }
#kg-found { color: #555; margin-left: 8px; }
</style>
</head>
<body>
<div id="kg-bar"><h1>@@TITLE@@</h1>
<input id="kg-search" type="search" list="kg-labels" placeholder="find a label (中文 or English)"
 size="28"><datalist id="kg-labels"></datalist>
<button id="kg-go" type="button">find</button><span id="kg-found"></span></div>
<div id="kg-network"></div>
<div id="kg-tip"></div>
<div id="kg-legend"></div>
<script type="application/json" id="kg-data">@@DATA@@</script>
<script>@@VIS@@</script>
<script>@@APP@@</script>
</body>
</html>
"""

