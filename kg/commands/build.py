"""`kg build`: texts in; a validated graph, its mentions and a report out."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from kg.commands.common import (
    DEFAULT_OUT,
)
from kg.errors import EXIT_INVALID, EXIT_OK, InputError


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("build", help="extract entities from texts and write a validated graph "
                       "into an Oxigraph store (OUT/store), which every command reads")
    p.add_argument("inputs", nargs="*", type=Path, help="text files or folders (default: corpus/)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT,
                   help="output folder (default: build/, where the other commands look); the "
                        "graph is its store, OUT/store")
    p.add_argument("--trig", action="store_true",
                   help="also write the graph as OUT/graph.trig (the same bytes for any --jobs); "
                        "without it an earlier OUT/graph.trig is removed")
    p.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                   help="wait up to this long for another kg process reading OUT/store (a kg "
                        "serve) to let go of it, instead of stopping at once (default 0)")
    p.add_argument("--jobs", "-j", type=int, default=1, metavar="N",
                   help="extract and validate documents in N processes (default 1; 0: one per "
                        "core this process may use); the graph is the same for any N")
    p.add_argument("--executor", default="processes", metavar="EXECUTOR",
                   help="where the per-document steps run: processes (default, --jobs of them), "
                        "dask:local (a Dask cluster on this machine) or dask:ADDRESS (a Dask "
                        "scheduler, e.g. dask:tcp://host:8786); needs policy-kg[dask]")
    p.add_argument("--ner", action="store_true",
                   help="add the shipped NER model's names where no rule finds one (slower; "
                        "docs/extraction.md, \"A statistical recogniser beside the rules\")")
    p.add_argument("--no-cache", action="store_true",
                   help="make the ontology's and reference data's files anew instead of reading "
                        "them from the cache (also KG_NO_CACHE=1; the cache is $KG_CACHE_DIR, "
                        "else $XDG_CACHE_HOME/policy-kg, else ~/.cache/policy-kg)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kg.build.outdir import check_out_dir
    from kg.inputs.files import read_sources
    from kg.progress import Progress

    # Bad --out and bad inputs are refused before the pipeline is even imported (seconds).
    if args.jobs < 0:
        raise InputError(f"--jobs {args.jobs}: expected 1 or more processes, or 0 for one per "
                         "core")
    if args.executor != "processes" and not args.executor.startswith("dask:"):
        raise InputError(f"--executor {args.executor}: expected processes, dask:local or "
                         "dask:ADDRESS")
    if args.wait < 0:
        raise InputError(f"--wait {args.wait:g}: expected 0 or more seconds")
    check_out_dir(args.out)
    sources = read_sources(args.inputs or default_inputs())
    from kg.build.run import Outputs, build_sources

    # the pipeline is loaded by the documents' own process (kg/build/runner.py), not here
    result = build_sources(sources, args.out, progress=Progress(), jobs=process_count(args.jobs),
                           executor=args.executor,
                           outputs=Outputs(args.trig, args.wait, cache=not args.no_cache,
                                           ner=args.ner))
    report = result.report
    docs = report["documents"]
    print(f"built {args.out / 'store'} from {len(docs)} document(s): "
          f"{sum(d['mentions'] for d in docs.values())} mentions, "
          f"{sum(report['entities_per_class'].values())} distinct entities "
          f"({len(report['unlinked'])} mentions of open-world names)")
    for cls, n in sorted(report["entities_per_class"].items(), key=lambda kv: -kv[1]):
        print(f"  {cls:<36}{n:>5}")
    for w in report["warnings"]:
        print(f"warning: {w}", file=sys.stderr)
    if not result.validation.conforms:
        print(result.validation.summary(), file=sys.stderr)
        return EXIT_INVALID
    print(result.validation.summary())
    return EXIT_OK


def default_inputs() -> list[Path]:
    import kgdata

    local = Path("corpus")
    return [local if local.is_dir() else kgdata.packaged_corpus_dir()]


def process_count(jobs: int) -> int:
    """The processes `--jobs` asks for: 0 is one per core this process may run on (its CPU
    affinity, which a container or `taskset` may narrow, not the machine's count)."""
    if jobs:
        return jobs
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
