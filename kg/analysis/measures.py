"""Measures on the networks of kg/analysis/network.py, as rows with zh and en labels (no printing).

Each function returns `(columns, rows)`, rows being dicts, ready for `table` or kg/export's CSV.
A multigraph is first collapsed to a simple graph whose edge `weight` is the number of parallel
edges (corridors linking the same two places).
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
from networkx.algorithms import community as nx_community
from rdflib import Dataset

from kg.errors import InputError
from kg.export.spreadsheet import csv_text
from kg.sparql.results import width
from kg.store.atomic import write_atomic, write_text_atomic

EXPORT_FORMATS = ("graphml", "gexf", "csv")
NODE_ATTRS = ("label_zh", "label_en", "cls", "lat", "lon")
EDGE_ATTRS = ("predicate", "source", "evidence", "weight")


def simple(g: nx.Graph) -> nx.Graph:
    """A simple graph: parallel edges merged, `weight` summed, `via_label`s joined with 、."""
    if not g.is_multigraph():
        return g
    out = nx.Graph(**g.graph)
    out.add_nodes_from(g.nodes(data=True))
    for a, b, d in g.edges(data=True):
        if out.has_edge(a, b):
            e = out[a][b]
            e["weight"] += d.get("weight", 1)
            e["links"].append(d.get("via_label") or d.get("predicate", ""))
        else:
            out.add_edge(a, b, weight=d.get("weight", 1),
                         links=[d.get("via_label") or d.get("predicate", "")])
    return out


def _node_row(g: nx.Graph, n: str) -> dict:
    d = g.nodes[n]
    return {"label_zh": d.get("label_zh", ""), "label_en": d.get("label_en", ""),
            "cls": d.get("cls", ""), "iri": n}


def eigenvector(g: nx.Graph) -> dict[str, float | None]:
    """Eigenvector centrality on the largest connected component (None elsewhere, and
    everywhere when the power iteration does not converge)."""
    values: dict[str, float | None] = dict.fromkeys(g, None)
    if g.number_of_nodes() == 0:
        return values
    largest = g.subgraph(max(nx.connected_components(g), key=len))
    if largest.number_of_nodes() < 2:
        return values
    for max_iter in (1000, 10000):
        try:
            values.update(nx.eigenvector_centrality(largest, max_iter=max_iter, tol=1e-6,
                                                    weight="weight"))
            return values
        except nx.PowerIterationFailedConvergence:
            continue
    return values


def centrality(g: nx.Graph, top: int | None = None) -> tuple[list[str], list[dict]]:
    """Degree (neighbours, and normalised), betweenness and eigenvector centrality per node,
    by betweenness, then degree."""
    s = simple(g)
    degree = nx.degree_centrality(s) if len(s) > 1 else dict.fromkeys(s, 0.0)
    between = nx.betweenness_centrality(s)
    eig = eigenvector(s)
    rows = []
    for n in s:
        eig_n = eig[n]
        rows.append({**_node_row(s, n), "degree": s.degree(n),
                     "degree_centrality": round(degree[n], 4),
                     "betweenness": round(between[n], 4),
                     "eigenvector": None if eig_n is None else round(eig_n, 4)})
    rows.sort(key=lambda r: (-r["betweenness"], -r["degree"], r["label_zh"], r["iri"]))
    cols = ["label_zh", "label_en", "cls", "degree", "degree_centrality", "betweenness",
            "eigenvector", "iri"]
    return cols, rows[:top] if top else rows


def communities(g: nx.Graph, top: int | None = None) -> tuple[list[str], list[dict]]:
    """Greedy-modularity communities (weighted), largest first; members by degree."""
    s = simple(g)
    if s.number_of_edges() == 0:
        return ["community", "size", "members_zh", "members_en"], []
    found = nx_community.greedy_modularity_communities(s, weight="weight")
    rows = []
    for i, members in enumerate(sorted(found, key=lambda c: (-len(c), min(c))), start=1):
        ordered = sorted(members, key=lambda n: (-s.degree(n), s.nodes[n].get("label_zh", "")))
        rows.append({"community": i, "size": len(members),
                     "members_zh": "、".join(s.nodes[n].get("label_zh", "") for n in ordered),
                     "members_en": "; ".join(s.nodes[n].get("label_en", "") or
                                             s.nodes[n].get("label_zh", "") for n in ordered)})
    return ["community", "size", "members_zh", "members_en"], rows[:top] if top else rows


def bridges(g: nx.Graph, top: int | None = None) -> tuple[list[str], list[dict]]:
    """Bridges (edges whose removal disconnects their ends) and articulation points (nodes whose
    removal splits their component), with how many components remain without them."""
    s = simple(g)
    rows = []
    base = nx.number_connected_components(s)
    for n in sorted(nx.articulation_points(s), key=lambda n: s.nodes[n].get("label_zh", "")):
        h = s.copy()
        h.remove_node(n)
        rows.append({"kind": "articulation point", **_node_row(s, n),
                     "splits_into": nx.number_connected_components(h) - base + 1, "links": ""})
    for a, b in sorted(nx.bridges(s), key=lambda e: (s.nodes[e[0]].get("label_zh", ""),
                                                     s.nodes[e[1]].get("label_zh", ""))):
        ra, rb = _node_row(s, a), _node_row(s, b)
        rows.append({"kind": "bridge", "label_zh": f"{ra['label_zh']} — {rb['label_zh']}",
                     "label_en": f"{ra['label_en']} — {rb['label_en']}", "cls": "",
                     "iri": f"{a} {b}", "splits_into": 2,
                     "links": "、".join(s[a][b].get("links") or [""])})
    cols = ["kind", "label_zh", "label_en", "cls", "splits_into", "links", "iri"]
    return cols, rows[:top] if top else rows


def node_of(ds: Dataset, g: nx.Graph, term: str, network: str = "") -> str:
    """The node `term` names (label, kind/key or IRI; kg.why.resolve_entity); InputError when it
    names no entity, several, or one outside this network."""
    from kg.inspect.why import resolve_entity

    if term in g:
        return term
    node = str(resolve_entity(ds, term))
    if node not in g:
        raise InputError(f"{term!r} ({node}) is not in the {network or 'chosen'} network")
    return node


def path(ds: Dataset, g: nx.Graph, a: str, b: str,
         network: str = "") -> tuple[list[str], list[dict]]:
    """The shortest path (fewest hops) between two nodes; each row a node, with the links
    (corridors, or memberOf/partOf) to the next node."""
    s = simple(g)
    na, nb = node_of(ds, s, a, network), node_of(ds, s, b, network)
    try:
        nodes = nx.shortest_path(s, na, nb)
    except nx.NetworkXNoPath:
        raise InputError(f"no path between {a!r} and {b!r} in the {network or 'chosen'} "
                         "network") from None
    rows = []
    for i, n in enumerate(nodes):
        nxt = nodes[i + 1] if i + 1 < len(nodes) else None
        links = s[n][nxt].get("links") or [s[n][nxt].get("predicate", "")] if nxt else []
        rows.append({"step": i, **_node_row(s, n), "to_next": "、".join(sorted(set(links)))})
    return ["step", "label_zh", "label_en", "cls", "to_next", "iri"], rows


def ego(ds: Dataset, g: nx.Graph, term: str, radius: int = 1, network: str = "",
        top: int | None = None) -> tuple[list[str], list[dict]]:
    """The ego network of a node: every node within `radius` hops, by distance then degree."""
    s = simple(g)
    center = node_of(ds, s, term, network)
    dist = nx.single_source_shortest_path_length(s, center, cutoff=radius)
    sub = s.subgraph(dist)
    rows = [{"distance": d, **_node_row(s, n), "degree_in_ego": sub.degree(n)}
            for n, d in dist.items()]
    rows.sort(key=lambda r: (r["distance"], -r["degree_in_ego"], r["label_zh"]))
    return ["distance", "label_zh", "label_en", "cls", "degree_in_ego", "iri"], \
        rows[:top] if top else rows


def ego_graph(g: nx.Graph, node: str, radius: int = 1) -> nx.Graph:
    return nx.ego_graph(g, node, radius=radius)


# --- output -------------------------------------------------------------------------------------

def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.4f}"
    return str(v)


def table(columns: list[str], rows: list[dict], max_width: int = 60) -> str:
    """An aligned text table, padded by display width; long cells are cut with …."""
    def cut(text: str) -> str:
        if width(text) <= max_width:
            return text
        out = ""
        for c in text:
            if width(out + c) > max_width - 1:
                break
            out += c
        return out + "…"

    cells = [[cut(_cell(r.get(c))) for c in columns] for r in rows]
    widths = [max([width(c)] + [width(row[i]) for row in cells]) for i, c in enumerate(columns)]
    numeric = [all(isinstance(r.get(c), (int, float)) or r.get(c) is None for r in rows)
               for c in columns]

    def line(values: list[str]) -> str:
        parts = []
        for v, w, num in zip(values, widths, numeric, strict=True):
            pad = " " * (w - width(v))
            parts.append(pad + v if num else v + pad)
        return "  ".join(parts).rstrip()

    return "\n".join([line(list(columns))] + [line(row) for row in cells]) + "\n"


def as_csv(columns: list[str], rows: list[dict]) -> str:
    return csv_text(columns, [[_plain(r.get(c)) for c in columns] for r in rows])


# --- export -------------------------------------------------------------------------------------

def _plain(value):
    """A value GraphML and GEXF can hold: None → "", lists joined with 、."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple, set)):
        return "、".join(str(v) for v in value)
    return value


def exportable(g: nx.Graph) -> nx.Graph:
    """A copy with every None attribute as "" (GraphML cannot hold None), except a missing
    lat/lon, which is left out (a float attribute cannot be ""); a multigraph's edges are
    re-keyed e0, e1 … (the corridor stays in `via`)."""
    h = g.copy()
    if h.is_multigraph():  # GraphML writes the key as the edge id, which must be unique
        h = nx.MultiGraph()
        h.add_nodes_from(g.nodes(data=True))
        h.add_edges_from((a, b, f"e{i}", dict(d)) for i, (a, b, d) in
                         enumerate(g.edges(data=True)))
    h.graph = {k: _plain(v) for k, v in g.graph.items()}
    for _, d in h.nodes(data=True):
        for k in list(d):
            if k in ("lat", "lon") and d[k] is None:
                del d[k]  # a float attribute cannot be "", so a missing coordinate is absent
            else:
                d[k] = _plain(d[k])
    for *_, d in h.edges(data=True):
        for k in list(d):
            d[k] = _plain(d[k])
    return h


def node_rows(g: nx.Graph) -> tuple[list[str], list[dict]]:
    extra = sorted({k for _, d in g.nodes(data=True) for k in d} - set(NODE_ATTRS))
    cols = ["id", *NODE_ATTRS, *extra]
    return cols, [{"id": n, **d} for n, d in g.nodes(data=True)]


def edge_rows(g: nx.Graph) -> tuple[list[str], list[dict]]:
    extra = sorted({k for *_, d in g.edges(data=True) for k in d} - set(EDGE_ATTRS))
    cols = ["from_id", "to_id", *EDGE_ATTRS, *extra]
    return cols, [{"from_id": a, "to_id": b, **{k: _plain(v) for k, v in d.items()}}
                  for a, b, d in g.edges(data=True)]


def export(g: nx.Graph, fmt: str, out: Path) -> list[Path]:
    """Write `g` as GraphML, GEXF, or a CSV pair OUT-nodes.csv / OUT-edges.csv, atomically.
    Returns the paths written."""
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"{fmt!r}: cannot export as this format (use graphml, gexf or csv)")
    if out.is_dir():
        raise InputError(f"{out}: is a folder; give a file path")
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        stem = out.with_suffix("") if out.suffix == ".csv" else out
        paths = [stem.with_name(f"{stem.name}-nodes.csv"), stem.with_name(f"{stem.name}-edges.csv")]
        for p, (cols, rows) in zip(paths, (node_rows(g), edge_rows(g)), strict=True):
            write_text_atomic(p, as_csv(cols, rows))
        return paths
    h = exportable(g)
    writer = nx.write_graphml if fmt == "graphml" else nx.write_gexf
    write_atomic(out, lambda tmp: writer(h, tmp))
    return [out]
