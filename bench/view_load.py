"""How fast the HTML views build and open: `python bench/view_load.py [--sizes 1000 10000]`.

For each size, a synthetic graph with the attribute contract of kg/analysis/views.py (~2 edges per
node, mixed classes, half the nodes with coordinates) is

(a) rendered to HTML by `render_view` (layout included), and, for 1,000 nodes, by pyvis's
    `add_node`/`add_edge` + `generate_html` as the baseline (reported as a ratio);
(b) opened in headless Chromium (/usr/bin/chromium + chromedriver, through selenium) from a
    file: URL; load-to-interactive is navigation start to `window.__ready`, which the page sets
    on vis-network's first `afterDrawing` (physics off).

Prints one line per measurement and writes bench/results/view_load.json. A screenshot of each
page goes to bench/results/view-<n>.png.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.analysis import views  # noqa: E402
from kg.analysis.views import render_view  # noqa: E402

RESULTS = ROOT / "bench" / "results"
CLASSES = ["Province", "City", "CityCluster", "Country", "Railway", "FreeTradeZone",
           "MacroRegion", "PolicyRecommendation", "Industry"]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1280,800"]


def synthetic(n: int, seed: int = 1) -> nx.MultiDiGraph:
    rnd = random.Random(seed)
    g = nx.MultiDiGraph()
    for i in range(n):
        geo = rnd.random() < 0.5
        g.add_node(f"n{i}", label_zh=f"节点{i}", label_en=f"node {i}" if i % 3 else "",
                   cls=CLASSES[i % len(CLASSES)],
                   lat=rnd.uniform(18, 50) if geo else None,
                   lon=rnd.uniform(75, 132) if geo else None)
    for i in range(1, n):  # a random tree keeps it connected, then ~1 more edge per node
        g.add_edge(f"n{i}", f"n{rnd.randrange(i)}", predicate="partOf", source="reference",
                   evidence=None, weight=1)
    for _ in range(n):
        u, v = rnd.randrange(n), rnd.randrange(n)
        g.add_edge(f"n{u}", f"n{v}", predicate="connects", source="text",
                   evidence=f"节点{u}与节点{v}相连。", weight=rnd.randint(1, 4))
    return g


def pyvis_baseline(g: nx.MultiDiGraph) -> str:
    from pyvis.network import Network

    net = Network(height="800px", width="100%", directed=True, cdn_resources="in_line")
    for v, d in g.nodes(data=True):
        net.add_node(v, label=d["label_zh"], title=d["label_en"], group=d["cls"])
    for u, v, d in g.edges(data=True):
        net.add_edge(u, v, title=d["predicate"])
    net.toggle_physics(False)
    return net.generate_html()


def html_only(g: nx.MultiDiGraph, layout: str) -> tuple[float, float]:
    """(seconds for render_view with the layout precomputed, seconds for the layout alone)."""
    name = "_geo" if layout == "geo" else "_spring"
    real = getattr(views, name)
    pos, layout_s = timed(real, g) if layout == "geo" else timed(real, g, len(g))
    setattr(views, name, lambda *a: pos)
    try:
        _, html_s = timed(render_view, g, "html only", layout=layout)
    finally:
        setattr(views, name, real)
    return html_s, layout_s


def timed(fn, *args, **kw):
    t = time.perf_counter()
    out = fn(*args, **kw)
    return out, time.perf_counter() - t


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="kg-bench-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for f in [*FLAGS, f"--user-data-dir={profile}"]:
        opts.add_argument(f)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts), profile


def load_to_interactive(driver, page: Path, timeout: float = 120.0) -> dict[str, float]:
    driver.get("about:blank")
    driver.get(page.as_uri())
    end = time.monotonic() + timeout
    while not driver.execute_script("return window.__ready === true"):
        if time.monotonic() > end:
            raise TimeoutError(f"{page} never became interactive")
        time.sleep(0.02)
    t = driver.execute_script(
        "var n = performance.getEntriesByType('navigation')[0];"
        "return {ready: window.__readyMs, network: window.__buildMs,"
        " dcl: n.domContentLoadedEventEnd, nodes: window.kgView.network.body.data.nodes.length,"
        " edges: window.kgView.network.body.data.edges.length};")
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    return {"interactive_s": t["ready"] / 1000, "network_s": t["network"] / 1000,
            "dom_content_loaded_s": t["dcl"] / 1000, "nodes_drawn": t["nodes"],
            "edges_drawn": t["edges"], "console_errors": len(errors)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--layout", choices=["spring", "geo"], default="spring")
    ap.add_argument("--repeat", type=int, default=3, help="browser loads per size (median)")
    ap.add_argument("--pyvis-max", type=int, default=1000,
                    help="run the pyvis baseline up to this many nodes (it is quadratic)")
    args = ap.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    out: dict = {"layout": args.layout, "load_average_before": os.getloadavg(), "sizes": {}}
    render_view(synthetic(50), "warm-up")  # imports numpy, reads the vis assets
    pyvis_baseline(synthetic(50))
    driver, profile = browser()
    try:
        for n in args.sizes:
            g = synthetic(n)
            html, build_s = timed(render_view, g, f"synthetic {n}", layout=args.layout)
            html_s, layout_s = html_only(g, args.layout)
            row = {"nodes": n, "edges": g.number_of_edges(), "build_s": round(build_s, 3),
                   "layout_s": round(layout_s, 3), "html_s": round(html_s, 3),
                   "html_mb": round(len(html.encode()) / 1e6, 2)}
            if n <= args.pyvis_max:
                _, base_s = timed(pyvis_baseline, g)
                row["pyvis_add_node_s"] = round(base_s, 3)
                row["pyvis_over_ours_html"] = round(base_s / html_s, 2)
                row["pyvis_over_ours_total"] = round(base_s / build_s, 2)
            page = RESULTS / f"view-{n}.html"
            page.write_text(html, encoding="utf-8")
            loads = sorted((load_to_interactive(driver, page) for _ in range(args.repeat)),
                           key=lambda r: r["interactive_s"])
            med = loads[len(loads) // 2]
            row.update({k: (round(v, 3) if isinstance(v, float) else v) for k, v in med.items()})
            row["interactive_all_s"] = [round(r["interactive_s"], 3) for r in loads]
            driver.save_screenshot(str(RESULTS / f"view-{n}.png"))
            out["sizes"][n] = row
            base = (f"; pyvis add_node/add_edge (no layout) {row['pyvis_add_node_s']:.2f} s = "
                    f"{row['pyvis_over_ours_html']:.1f}x our HTML step, "
                    f"{row['pyvis_over_ours_total']:.2f}x our build with layout"
                    if "pyvis_add_node_s" in row else "")
            print(f"{n:>6} nodes {row['edges']:>6} edges: build {build_s:.2f} s "
                  f"(layout {layout_s:.2f} s + HTML {html_s:.2f} s, {row['html_mb']} MB){base}; "
                  f"interactive {row['interactive_s']:.2f} s "
                  f"(network {row['network_s']:.2f} s, DOMContentLoaded "
                  f"{row['dom_content_loaded_s']:.2f} s), drawn {row['nodes_drawn']} nodes "
                  f"{row['edges_drawn']} edges, {row['console_errors']} console errors")
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    out["load_average_after"] = os.getloadavg()
    print(f"load average before {out['load_average_before'][0]:.1f}, "
          f"after {out['load_average_after'][0]:.1f} (other jobs slow the browser)")
    (RESULTS / "view_load.json").write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
