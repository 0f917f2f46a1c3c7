"""What the commands share: the store options, the default paths, atomic output."""

from __future__ import annotations

import argparse
from pathlib import Path

from kg.errors import InputError

DEFAULT_OUT = Path("build")
DEFAULT_GRAPH = DEFAULT_OUT / "graph.trig"


def open_graph_store(args: argparse.Namespace):
    """The store the command reads (kg/store/): --store, $KG_STORE, or the --graph file."""
    from kg.store.base import DEFAULT_MAX_ANSWER
    from kg.store.limits import max_answer_bytes
    from kg.store.registry import open_store

    limit = max_answer_bytes(args.max_answer_mb) if "max_answer_mb" in args else DEFAULT_MAX_ANSWER
    return open_store(store_spec(args), args.timeout, limit, wait=wait_seconds(args))


def store_spec(args: argparse.Namespace):
    """The store the options name, else the build's store (build/store), else its graph.trig."""
    from kg.store.registry import parse_spec

    return parse_spec(args.store, args.graph, DEFAULT_OUT)


def graph_location(args: argparse.Namespace) -> Path:
    """The graph file or store folder read, for titles and for finding the build's texts beside
    it (for a server, where the default build's would be)."""
    spec = store_spec(args)
    return Path(spec.location) if spec.kind != "sparql" else DEFAULT_GRAPH


def wait_seconds(args: argparse.Namespace) -> float:
    if args.wait < 0:
        raise InputError(f"--wait {args.wait:g}: expected 0 or more seconds")
    return args.wait


def dataset(args: argparse.Namespace):
    return open_graph_store(args).dataset()


def write_atomic(path: Path, text: str) -> None:
    from kg.store.atomic import write_text_atomic

    write_text_atomic(path, text)


def add_max_answer(p: argparse.ArgumentParser, what: str) -> None:
    from kg.store.limits import DEFAULT_MAX_ANSWER_MB

    p.add_argument("--max-answer-mb", type=float, default=float(DEFAULT_MAX_ANSWER_MB),
                   metavar="MB", help=f"{what}; a larger one is refused (default "
                                      f"{DEFAULT_MAX_ANSWER_MB})")


def add_store_args(p: argparse.ArgumentParser,
                    timeout_help: str = "seconds to wait for a remote store (default 60)",
                    timeout: float = 60.0) -> None:
    p.add_argument("--graph", type=Path, metavar="FILE",
                   help="a graph file (TriG, N-Quads …) read into memory, e.g. from `kg build "
                        "--trig` or `kg export graph`; by default the build's store")
    p.add_argument("--store", metavar="STORE",
                   help="where the graph is: oxigraph:PATH, sparql:URL or memory (the --graph "
                        "file); default $KG_STORE, else the store `kg build` wrote, build/store "
                        "(else build/graph.trig)")
    p.add_argument("--timeout", type=float, default=timeout, help=timeout_help)
    p.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                   help="oxigraph: wait up to this long for a store another kg process is "
                        "using (being written; to write: being read) instead of stopping at "
                        "once (default 0)")


def add_network_args(p: argparse.ArgumentParser) -> None:
    """The options that say which statements the linkage network is made of."""
    p.add_argument("--with-reference", action="store_true",
                   help="linkages: add the reference data's facts between the entities the "
                        "texts name (drawn dashed, source=reference in exports); by default "
                        "only what the texts state")
    p.add_argument("--doc", action="append", default=[], metavar="KEY",
                   help="linkages: only the statements of this document (repeat for more)")
    p.add_argument("--year", type=_year, help="linkages: only documents issued in YYYY")
    p.add_argument("--places-only", action="store_true",
                   help="linkages: places linked through the corridors that connect them (the "
                        "corridors as edges), with memberOf/partOf edges")


def network_scope(args: argparse.Namespace, ds):
    """The `Scope` the network options name."""
    from kg.analysis.network import Scope, document_graphs

    documents = (document_graphs(ds, tuple(args.doc), args.year)
                 if args.doc or args.year else None)
    return Scope(with_reference=args.with_reference, documents=documents)


def _year(value: str) -> str:
    if len(value) == 4 and value.isdigit():
        return value
    raise argparse.ArgumentTypeError(f"invalid year {value!r} (expected YYYY)")
