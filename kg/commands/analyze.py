"""`kg analyze`: network measures, or the network exported."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.analysis import NETWORKS
from kg.commands.common import (
    add_network_args,
    add_store_args,
    dataset,
    graph_location,
    network_scope,
)
from kg.errors import EXIT_OK, InputError

ANALYSES = ("centrality", "communities", "bridges", "path", "ego", "export")
_ARITY = {"centrality": 0, "communities": 0, "bridges": 0, "path": 2, "ego": 1, "export": 0}


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("analyze", help="network measures: centrality, communities, bridges, "
                       "path, ego; or export the network (GraphML, GEXF, CSV)")
    p.add_argument("what", choices=ANALYSES)
    p.add_argument("terms", nargs="*", help="path: two places; ego: one node (label, kind/key "
                   "or IRI)")
    p.add_argument("--network", choices=NETWORKS, default="linkages")
    add_store_args(p)
    p.add_argument("--format", help="table or csv; for export: graphml, gexf or csv")
    p.add_argument("--top", type=int, help="only the first N rows")
    p.add_argument("--radius", type=int, default=1, help="ego: hops from the node (default 1)")
    p.add_argument("--out", type=Path, help="export: the file to write (csv: PATH-nodes.csv and "
                   "PATH-edges.csv)")
    p.add_argument("--corridors-only", action="store_true",
                   help="linkages with --places-only: leave out the memberOf/partOf edges")
    add_network_args(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kg.analysis import measures as analysis
    from kg.analysis import network

    want = _ARITY[args.what]
    if len(args.terms) != want:
        raise InputError(f"analyze {args.what} takes {want} name(s), got {len(args.terms)}"
                         + (": kg analyze path A B" if args.what == "path" else "")
                         + (": kg analyze ego NODE" if args.what == "ego" else ""))
    if (args.top is not None and args.top < 1) or args.radius < 0:
        raise InputError("--top must be at least 1 and --radius at least 0")
    fmt = args.format or ("graphml" if args.what == "export" else "table")
    allowed = analysis.EXPORT_FORMATS if args.what == "export" else ("table", "csv")
    if fmt not in allowed:
        raise InputError(f"--format {fmt}: analyze {args.what} writes {', '.join(allowed)}")
    if args.what == "export" and args.out is None:
        raise InputError("analyze export needs --out PATH")
    ds = dataset(args)
    g = network.project(ds, args.network, membership=not args.corridors_only,
                        roots=network.text_roots(graph_location(args)),
                        scope=network_scope(args, ds), places_only=args.places_only)
    for warning in network.fallback_warnings(g):
        print(f"warning: {warning}", file=sys.stderr)
    if args.what == "export":
        for path in analysis.export(g, fmt, args.out):
            print(f"wrote {path} ({g.number_of_nodes()} nodes, {g.number_of_edges()} edges)")
        return EXIT_OK
    if args.what == "path":
        cols, rows = analysis.path(ds, g, *args.terms, network=args.network)
    elif args.what == "ego":
        cols, rows = analysis.ego(ds, g, args.terms[0], args.radius, args.network, args.top)
    else:
        cols, rows = getattr(analysis, args.what)(g, args.top)
    sys.stdout.write((analysis.table if fmt == "table" else analysis.as_csv)(cols, rows))
    return EXIT_OK
