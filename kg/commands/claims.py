"""`kg claims`: the text's numeric claims, rechecked."""

from __future__ import annotations

import argparse
import sys

from kg.commands.common import (
    add_store_args,
    dataset,
)
from kg.errors import EXIT_OK


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("claims", help="the text's numeric claims, rechecked against the tables")
    add_store_args(p)
    p.add_argument("--verdict", choices=["holds", "holds_within_rounding", "does_not_hold",
                                         "unchecked"], help="list only claims with this verdict")
    p.add_argument("--format", choices=["table", "csv", "jsonl"], default="table")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kg.export.tables import as_csv, as_jsonl
    from kg.inspect import claims

    ds = dataset(args)
    rows = claims.recompute(ds)
    counts = claims.summary(rows)
    if args.verdict:
        rows = [r for r in rows if r.check and r.check.verdict == args.verdict]
    records = claims.as_records(rows, claims.labels(ds))
    if args.format == "table":
        sys.stdout.write(claims.table(records, counts))
    else:
        sys.stdout.write((as_csv if args.format == "csv" else as_jsonl)(claims.COLUMNS, records))
    return EXIT_OK
