"""`kg documents`: the documents of a built graph with their type, year and counts."""

from __future__ import annotations

import argparse
import json

from kg.commands.common import add_store_args, open_graph_store
from kg.errors import EXIT_OK, InputError


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("documents", help="the documents of the graph: key, type, year, title, "
                                         "and their mentions, relations, recommendations, claims")
    p.add_argument("--type", help="only documents of this type (government-work-report, plan, "
                                  "outline, notice, opinion, research-article, document)")
    p.add_argument("--year", type=int, help="only documents of this year")
    p.add_argument("--from", dest="first_year", type=int, metavar="YEAR",
                   help="only documents of this year or later")
    p.add_argument("--to", dest="last_year", type=int, metavar="YEAR",
                   help="only documents of this year or earlier")
    p.add_argument("--json", action="store_true", help="print JSON lines instead of a table")
    add_store_args(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kg.inspect.documents import DocumentFilter, checked_type, documents, render

    if args.year is not None and (args.first_year is not None or args.last_year is not None):
        raise InputError("--year: give either --year or --from/--to")
    first = args.year if args.year is not None else args.first_year
    last = args.year if args.year is not None else args.last_year
    if first is not None and last is not None and first > last:
        raise InputError(f"--from {first} --to {last}: the first year is after the last")
    keep = DocumentFilter(checked_type(args.type), first, last)
    rows = documents(open_graph_store(args), keep)
    if args.json:
        for row in rows:
            print(json.dumps(row.as_dict(), ensure_ascii=False))
        return EXIT_OK
    print(render(rows))
    return EXIT_OK
