"""`kg docs`: the ontology's HTML documentation."""

from __future__ import annotations

import argparse
from pathlib import Path

from kg.commands.common import (
    DEFAULT_OUT,
)
from kg.errors import EXIT_OK


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("docs", help="HTML documentation of the ontology (pyLODE), offline")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT / "docs",
                   help="output folder (default: build/docs/): index.html, policy.ttl, "
                        "context.jsonld")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kg.export.ontology_docs import site_files, write_site

    paths = write_site(site_files(), args.out)
    print(f"wrote {args.out}/: {', '.join(p.name for p in paths)}")
    return EXIT_OK
