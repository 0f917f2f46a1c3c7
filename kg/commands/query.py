"""`kg query`: a catalogue query, a .rq file or inline SPARQL."""

from __future__ import annotations

import argparse
import sys

from kg.commands.common import (
    add_max_answer,
    add_store_args,
    open_graph_store,
)
from kg.errors import EXIT_OK


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("query", help="run a catalogue query, a .rq file or inline SPARQL")
    p.add_argument("query", help="a .rq file, a catalogue name (answers/…, checks/…) or SPARQL")
    add_store_args(p, "seconds to wait for a remote store; one deadline for all the SERVICE "
                       "calls of the query (default 60)")
    add_max_answer(p, "memory and oxigraph stores: the largest answer (MB) read from a "
                       "SERVICE endpoint")
    p.add_argument("--format", choices=["table", "csv", "tsv", "json"], default="table")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="bind a variable: an IRI, kind/key, a number or text (repeatable)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kg.sparql.catalogue import answer, resolve, run
    from kg.sparql.params import parse_param
    from kg.sparql.results import ANSWER_FORMATS, render, render_answer

    query = resolve(args.query)
    params = dict(parse_param(p) for p in args.param)
    store = open_graph_store(args)
    if args.format in ANSWER_FORMATS:  # a table or CSV needs no rdflib terms on every store
        sys.stdout.write(render_answer(answer(store, query, params), args.format))
    else:
        sys.stdout.write(render(run(store, query, params), args.format))
    return EXIT_OK
