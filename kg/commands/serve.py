"""`kg serve`: a SPARQL endpoint and query page over HTTP."""

from __future__ import annotations

import argparse

from kg.commands.common import (
    add_store_args,
    store_spec,
    wait_seconds,
)


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="a SPARQL endpoint (/sparql) and query page (/) over HTTP",
                        description="Serve the graph, read-only, on 127.0.0.1 (docs/serve.md).")
    add_store_args(p, "seconds a query may run before it is stopped (default 30)", 30.0)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default loopback)")
    p.add_argument("--port", type=int, default=7878, help="default 7878; 0 picks a free port")
    p.add_argument("--allow-update", action="store_true", help="apply SPARQL Update (memory: "
                    "in this process only, the graph file is not written)")
    p.add_argument("--max-rows", type=int, default=10_000,
                    help="cut results to this many rows or triples (default 10000)")
    p.add_argument("--allow-service", action="append", default=[], metavar="URL",
                    help="a SERVICE IRI queries may call (repeatable; default none)")
    p.add_argument("--client-timeout", type=float, default=10.0, metavar="SECONDS",
                    help="seconds a client has to send each request; an idle connection is "
                         "closed after them (default 10)")
    p.add_argument("--max-connections", type=int, default=64, metavar="N",
                    help="connections served at once; past it the one waiting longest for its "
                         "request is closed, or new ones wait (default 64)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kg.serve.server import Settings, check_settings, serve

    settings = Settings(args.host, args.port, args.timeout, args.max_rows, args.allow_update,
                        frozenset(args.allow_service), args.client_timeout, args.max_connections,
                        wait_seconds(args))
    check_settings(settings)
    return serve(store_spec(args), settings)
