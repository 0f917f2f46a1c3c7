"""`kg load`: a built graph into a store."""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from kg.commands.common import (
    DEFAULT_OUT,
    add_store_args,
    wait_seconds,
)
from kg.errors import EXIT_OK, InputError


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("load", help="put a built graph into a store (named graphs kept)")
    add_store_args(p)
    graph_option = next(a for a in p._actions if a.dest == "graph")
    graph_option.help = ("the graph file to load (TriG or N-Quads); default the build's store, "
                         "build/store (else build/graph.trig)")
    p.add_argument("--graph-store", metavar="URL",
                    help="sparql: the server's Graph Store Protocol URL (default: …/store "
                         "beside an Oxigraph-style …/query)")
    p.add_argument("--update", metavar="URL", help="sparql: load by SPARQL Update here instead")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kg.store.registry import default_spec

    if args.store is None and not os.environ.get("KG_STORE"):
        raise InputError("kg load needs --store oxigraph:PATH or --store sparql:URL")
    if args.graph is not None:
        return _load_file(args, args.graph, args.graph)
    source = default_spec(DEFAULT_OUT)
    if source.kind != "oxigraph":
        return _load_file(args, Path(source.location), Path(source.location))
    with tempfile.TemporaryDirectory(prefix="kg-load-") as tmp:
        quads = Path(tmp) / "graph.nq"
        _dump_store(source, quads, wait_seconds(args))
        return _load_file(args, quads, Path(source.location))


def _dump_store(source, path: Path, wait: float) -> None:
    """The build's store as N-Quads, for a store or server that is not it."""
    from kg.store.registry import open_store

    store = open_store(source, wait=wait)
    try:
        data = store.dump("nquads", {})
    finally:
        store.close()
    assert data is not None, "an Oxigraph store writes N-Quads itself"
    path.write_bytes(data)


def _load_file(args: argparse.Namespace, graph: Path, named: Path) -> int:
    """Loads `graph` into the store the options name; `named` is what the summary calls it."""
    from kg.store.load import load
    from kg.store.registry import parse_spec

    spec = parse_spec(args.store, graph)
    loaded = load(spec, graph, graph_store=args.graph_store, update=args.update,
                  timeout=args.timeout, wait=wait_seconds(args))
    for g in loaded:
        print(f"  {g.graph}  {g.triples} triples")
    print(f"loaded {sum(g.triples for g in loaded)} triples in {len(loaded)} named graphs "
          f"from {named} into {spec}")
    return EXIT_OK
