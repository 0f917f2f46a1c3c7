"""`kg link`: links from our entities to another graph's."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.commands.common import (
    add_max_answer,
    add_store_args,
    open_graph_store,
    store_spec,
    wait_seconds,
    write_atomic,
)
from kg.errors import EXIT_OK, InputError


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("link", help="link our entities to another graph's (a SPARQL endpoint); "
                       "--review lists the uncertain links")
    p.add_argument("--endpoint", metavar="URL", help="the other graph's SPARQL endpoint")
    p.add_argument("--query", type=Path, help="candidate query returning ?entity with ?label "
                   "and/or ?id (default: queries/link/candidates.rq)")
    p.add_argument("--name", help="the link graph: …/graph/links/NAME (default: from the URL)")
    p.add_argument("--out", type=Path, help="also write the link graph here, as Turtle")
    p.add_argument("--review", action="store_true", help="list the stored links below --below")
    p.add_argument("--below", type=float, default=0.9, help="review threshold (default 0.9)")
    p.add_argument("--graph-store", metavar="URL", help="sparql: where to PUT the link graph")
    p.add_argument("--update", metavar="URL", help="sparql: write by SPARQL Update here instead")
    add_store_args(p, "seconds for everything asked of the endpoint, one deadline (default 60)")
    add_max_answer(p, "the largest answer (MB) read from the endpoint")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from decimal import Decimal

    from extract.gazetteer import default
    from kg.link import propose as link
    from kg.link.match import Index
    from kg.sparql.results import as_table
    from kg.store.files import NO_FILE
    from kg.store.http import max_answer_bytes
    from kg.store.load import replace_graph

    name = link.check_name(args.name) if args.name else None
    if args.review:
        rows = link.review(open_graph_store(args), Decimal(str(args.below)), name)
        sys.stdout.write(as_table(rows))
        return EXIT_OK
    if not args.endpoint:
        raise InputError("kg link needs --endpoint URL (or --review)")
    endpoint = link.check_endpoint(args.endpoint)
    spec = store_spec(args)
    if spec.kind == "memory" and not Path(spec.location).is_file():
        raise InputError(f"{spec.location}: {NO_FILE}")
    max_answer = max_answer_bytes(args.max_answer_mb)
    # an Oxigraph store must exist: checked before the endpoint is asked
    open_graph_store(args).close()
    found = link.link(endpoint, link.read_query(args.query), name or link.default_name(endpoint),
                      Index.of(default()), timeout=args.timeout, max_answer=max_answer)
    if not found.matches:  # an empty link graph would replace an earlier one with nothing
        print(f"{found.candidates} entities read from {endpoint}: no links found; nothing "
              "written")
        return EXIT_OK
    replace_graph(spec, found.iri, found.graph, graph_store=args.graph_store, update=args.update,
                  timeout=args.timeout, wait=wait_seconds(args))
    if args.out:
        write_atomic(args.out, found.graph.serialize(format="turtle"))
    below = sum(m.confidence < Decimal(str(args.below)) for m in found.matches)
    by_id = sum(bool({"wikidata", "adcode"} & set(m.matched_by)) for m in found.matches)
    for m in sorted(found.matches, key=lambda m: (-m.confidence, m.ours)):
        print(f"{m.confidence}  {m.ours:<40} {m.theirs}  {'+'.join(m.matched_by)}"
              + (f"  (also {', '.join(m.alternatives)})" if m.alternatives else ""))
    print(f"{found.candidates} entities read from {endpoint}: {len(found.matches)} linked "
          f"({by_id} by identifier, {len(found.matches) - by_id} by name only), {below} below "
          f"{args.below:g} to review (kg link --review)")
    print(f"wrote <{found.iri}> into {spec}" + (f" and {args.out}" if args.out else ""))
    return EXIT_OK
