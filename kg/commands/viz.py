"""`kg viz`: an interactive HTML view of the graph."""

from __future__ import annotations

import argparse
from pathlib import Path

from kg.commands.common import (
    DEFAULT_OUT,
    add_store_args,
    dataset,
    write_atomic,
)
from kg.errors import EXIT_OK, InputError

_PROJECTIONS = {"linkages": "linkage_graph", "recommendations": "recommendation_graph",
                "comentions": "comention_graph"}
VIEWS = tuple(_PROJECTIONS)

def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("viz", help="an interactive HTML view of the graph (works offline)")
    p.add_argument("--view", type=_view_arg, default="linkages",
                   help="linkages, recommendations, comentions, or query:FILE (a SPARQL SELECT "
                        "returning ?s ?p ?o; default: linkages)")
    p.add_argument("--layout", choices=["spring", "geo"], default="spring")
    p.add_argument("--physics", action="store_true", help="let the nodes move (small graphs)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT / "view.html")
    add_store_args(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kg.analysis.views import query_graph, render_view

    if args.view.startswith("query:"):
        qfile = Path(args.view.removeprefix("query:"))
        if not qfile.is_file():
            raise InputError(f"{qfile}: no such query file")
        try:
            sparql = qfile.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise InputError(f"{qfile}: not UTF-8 text") from None
        ds = dataset(args)
        try:
            g = query_graph(ds, sparql)
        except ValueError as e:
            raise InputError(f"{qfile}: {e}") from None
        title = f"{qfile.name} ({args.graph.name})"
    else:
        from kg.analysis import network

        ds = dataset(args)
        g = getattr(network, _PROJECTIONS[args.view])(ds)
        title = f"{args.view} ({args.graph.name})"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(args.out, render_view(g, title, layout=args.layout, physics=args.physics))
    print(f"wrote {args.out}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges "
          f"({args.view}, {args.layout} layout)")
    return EXIT_OK


def _view_arg(value: str) -> str:
    if value in VIEWS or (value.startswith("query:") and len(value) > len("query:")):
        return value
    raise argparse.ArgumentTypeError(
        f"invalid view {value!r} (choose from {', '.join(VIEWS)} or query:FILE)")
