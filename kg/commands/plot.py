"""`kg plot`: pictures of recommendation targets and indicator changes."""

from __future__ import annotations

import argparse
from pathlib import Path

from kg.commands.common import (
    DEFAULT_OUT,
    add_store_args,
    dataset,
    graph_location,
)
from kg.errors import EXIT_OK, InputError


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("plot", help="pictures: recommendation targets, indicator changes")
    p.add_argument("picture", choices=["targets", "changes"],
                   help="targets: recommendation × place heatmap; changes: indicator changes")
    add_store_args(p)
    p.add_argument("--out", type=Path, default=DEFAULT_OUT / "plots",
                   help="output folder (default: build/plots/)")
    p.add_argument("--format", choices=["png", "svg", "both"], default="both")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kg.analysis import plots

    font = plots.cjk_font()  # before the graph is read: no CJK font, no work
    ds = dataset(args)
    if args.picture == "targets":
        matrix = plots.target_matrix(ds)
        if not matrix.cols:
            raise InputError(f"{graph_location(args)}: no policy recommendation targets a place")
        fig = plots.plot_target_heatmap(matrix, font)
    else:
        changes = plots.indicator_changes(ds)
        if not changes:
            raise InputError(f"{graph_location(args)}: no indicator has values for two years")
        fig = plots.plot_indicator_changes(changes, font)
    for path in plots.save(fig, args.out, args.picture, args.format):
        print(path)
    return EXIT_OK
