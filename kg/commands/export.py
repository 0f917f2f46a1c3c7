"""`kg export`: tables for pandas or R, or the whole graph."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.commands.common import (
    add_store_args,
    open_graph_store,
    write_atomic,
)
from kg.errors import EXIT_OK


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="a table of the graph for pandas or R, or the whole graph "
                       "as TriG, N-Quads, Turtle or JSON-LD")
    p.add_argument("kind", choices=["mentions", "relations", "observations", "claims",
                                   "recommendations", "graph"])
    p.add_argument("--format", choices=["jsonl", "csv", "trig", "nquads", "turtle", "jsonld"],
                   help="tables: jsonl (default) or csv; graph: trig (default), nquads, turtle "
                        "(the union of the named graphs: Turtle cannot name graphs) or jsonld "
                        "(compact, @context https://w3id.org/policy-kg/context.jsonld)")
    add_store_args(p)
    p.add_argument("--out", type=Path, help="write here instead of standard output")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kg.export.graph import export_format, serialize_store
    from kg.export.tables import as_csv, as_jsonl, export_rows

    fmt = export_format(args.kind, args.format)
    store = open_graph_store(args)
    if args.kind == "graph":
        text = serialize_store(store, fmt)
    else:
        columns, rows = export_rows(store.dataset(), args.kind)
        text = (as_csv if fmt == "csv" else as_jsonl)(columns, rows)
    if args.out is None:
        sys.stdout.write(text)
    else:
        write_atomic(args.out, text)
    return EXIT_OK
