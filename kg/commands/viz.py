"""`kg viz`: an interactive HTML view of the graph."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.analysis import NETWORKS
from kg.commands.common import (
    DEFAULT_OUT,
    add_network_args,
    add_store_args,
    dataset,
    graph_location,
    network_scope,
    write_atomic,
)
from kg.errors import EXIT_OK, InputError

VIEWS = NETWORKS


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("viz", help="an interactive HTML view of the graph (works offline)")
    p.add_argument("--view", type=_view_arg, default="linkages",
                   help="linkages, recommendations, comentions, or query:FILE (a SPARQL SELECT "
                        "returning ?s ?p ?o; default: linkages)")
    p.add_argument("--layout", choices=["spring", "geo"], default="spring")
    p.add_argument("--physics", action="store_true", help="let the nodes move (small graphs)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT / "view.html")
    add_store_args(p)
    add_network_args(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kg.analysis import network
    from kg.analysis.views import render_view

    if args.view.startswith("query:"):
        qfile = Path(args.view.removeprefix("query:"))
        sparql = _query_text(qfile)
        ds = dataset(args)
        try:
            g = network.query_graph(ds, sparql)
        except ValueError as e:
            raise InputError(f"{qfile}: {e}") from None
        title = f"{qfile.name} ({graph_location(args).name})"
    else:
        ds = dataset(args)
        g = network.project(ds, args.view, roots=network.text_roots(graph_location(args)),
                            scope=network_scope(args, ds), places_only=args.places_only)
        for warning in network.fallback_warnings(g):
            print(f"warning: {warning}", file=sys.stderr)
        title = f"{args.view} ({graph_location(args).name})"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(args.out, render_view(g, title, layout=args.layout, physics=args.physics))
    print(f"wrote {args.out}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges "
          f"({args.view}, {args.layout} layout)")
    return EXIT_OK


def _query_text(qfile: Path) -> str:
    if not qfile.is_file():
        raise InputError(f"{qfile}: no such query file")
    try:
        return qfile.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{qfile}: not UTF-8 text") from None


def _view_arg(value: str) -> str:
    if value in VIEWS or (value.startswith("query:") and len(value) > len("query:")):
        return value
    raise argparse.ArgumentTypeError(
        f"invalid view {value!r} (choose from {', '.join(VIEWS)} or query:FILE)")
