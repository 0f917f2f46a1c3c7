"""`kg validate`: the SHACL shapes and the check queries on a built graph."""

from __future__ import annotations

import argparse
import sys

from kg.commands.common import (
    add_store_args,
    dataset,
)
from kg.errors import EXIT_INVALID, EXIT_OK


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="check a built graph against the SHACL shapes")
    add_store_args(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kg.build.validate import run_checks, validate_dataset

    ds = dataset(args)
    result = validate_dataset(ds)
    print(result.summary(), file=sys.stdout if result.conforms else sys.stderr)
    failed = [c for c in run_checks(ds) if c.rows]
    for check in failed:
        print(f"check {check.name}: {len(check.rows)} row(s), e.g. {' '.join(check.rows[0])}",
              file=sys.stderr)
    if not failed:
        print("The check queries (queries/checks/) find nothing.")
    return EXIT_OK if result.conforms and not failed else EXIT_INVALID
