"""`kg load`: a built graph into a store."""

from __future__ import annotations

import argparse
import os

from kg.commands.common import (
    DEFAULT_GRAPH,
    add_store_args,
    wait_seconds,
)
from kg.errors import EXIT_OK, InputError


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("load", help="put a built graph into a store (named graphs kept)")
    add_store_args(p)
    graph_option = next(a for a in p._actions if a.dest == "graph")
    graph_option.help = ("the graph file to load (TriG or N-Quads; default build/graph.trig, from "
                         "`kg build --trig` or `kg export graph`)")
    p.add_argument("--graph-store", metavar="URL",
                    help="sparql: the server's Graph Store Protocol URL (default: …/store "
                         "beside an Oxigraph-style …/query)")
    p.add_argument("--update", metavar="URL", help="sparql: load by SPARQL Update here instead")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kg.store.load import load
    from kg.store.registry import parse_spec

    if args.store is None and not os.environ.get("KG_STORE"):
        raise InputError("kg load needs --store oxigraph:PATH or --store sparql:URL")
    graph = args.graph if args.graph is not None else DEFAULT_GRAPH
    spec = parse_spec(args.store, graph)
    loaded = load(spec, graph, graph_store=args.graph_store, update=args.update,
                  timeout=args.timeout, wait=wait_seconds(args))
    for g in loaded:
        print(f"  {g.graph}  {g.triples} triples")
    print(f"loaded {sum(g.triples for g in loaded)} triples in {len(loaded)} named graphs "
          f"from {graph} into {spec}")
    return EXIT_OK
