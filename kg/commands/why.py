"""`kg why`: the evidence of a triple."""

from __future__ import annotations

import argparse
import sys

from kg.commands.common import (
    add_store_args,
    dataset,
)
from kg.errors import EXIT_INVALID, EXIT_OK


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("why", help="the evidence of a triple: sentence, offsets, rule, source")
    p.add_argument("subject", help="IRI, kind/key (province/140000) or label (山西)")
    p.add_argument("predicate", help="property: connects, partOf, locatedIn, builtOn …")
    p.add_argument("object", help="IRI, kind/key or label")
    add_store_args(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kg.inspect.why import evidence, render, resolve_entity, resolve_predicate

    ds = dataset(args)
    s, o = resolve_entity(ds, args.subject), resolve_entity(ds, args.object)
    p = resolve_predicate(args.predicate)
    rows = evidence(ds, s, p, o)
    if not rows:
        print(f"the graph does not state this triple: <{s}> <{p}> <{o}>", file=sys.stderr)
        return EXIT_INVALID
    print(render(ds, s, p, o, rows))
    return EXIT_OK
