"""`kg stats`: entities and mentions per class and per document."""

from __future__ import annotations

import argparse
import json

from kg.commands.common import (
    add_store_args,
    dataset,
)
from kg.errors import EXIT_OK


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("stats", help="entities and mentions per class and per document")
    add_store_args(p)
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kg.inspect.stats import stats

    s = stats(dataset(args))
    if args.json:
        print(json.dumps(s, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"{s['triples']} triples in {s['named_graphs']} named graphs")
    print(f"{'class':<36}{'entities':>9}{'mentions':>10}")
    for row in s["per_class"]:
        print(f"{row['class']:<36}{row['entities']:>9}{row['mentions']:>10}")
    # as wide as the longest key: readable keys (kg/build/keys.py) run to 60 characters or so
    width = max([44, *(len(row["doc"]) + 2 for row in s["per_document"])])
    print(f"\n{'document':<{width}}{'entities':>9}{'mentions':>10}")
    for row in s["per_document"]:
        print(f"{row['doc']:<{width}}{row['entities']:>9}{row['mentions']:>10}")
    return EXIT_OK
