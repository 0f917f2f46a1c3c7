"""The registry of store kinds: where a built graph lives, chosen by one option (`--store`):

- `oxigraph:PATH`: an embedded on-disk Oxigraph store (pyoxigraph); `kg build` writes one into
  its output folder (`build/store`, the default of every command) and `kg load` fills others;
  queries run in Oxigraph's engine, the rdflib API is served by oxrdflib.
- `memory`: a graph file (`--graph FILE`, e.g. a `kg export graph` or `kg build --trig` TriG) is
  read into rdflib, in this process; for small graphs and tests.
- `sparql:URL`: any SPARQL 1.1 server's query endpoint, through SPARQLWrapper. Queries run on
  the server; commands that walk the graph in Python (stats, export, analyze, viz, validate) read
  its quads once, with one query.

Every store answers `query()` with an rdflib `Result` and `dataset()` with an rdflib `Dataset`,
so the commands do not care where the graph is. The default graph is the union of the named
graphs on every store (docs/stores.md).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from kg.errors import InputError
from kg.store import swap as store_swap
from kg.store.base import (
    DEFAULT_MAX_ANSWER,
    DEFAULT_TIMEOUT,
    STORE_ENV,
    GraphStore,
    StoreSpec,
)
from kg.store.layout import STORE_DIR, TRIG_FILE

DEFAULT_BUILD = Path("build")  # `kg build --out`'s default, where every command looks


def parse_spec(text: str | None, graph: Path | None, build: Path = DEFAULT_BUILD) -> StoreSpec:
    """`memory`, `oxigraph:PATH` or `sparql:URL`; unset, $KG_STORE; then memory on `graph` if
    one is named; then the build's store in `build` (see `default_spec`)."""
    text = text or os.environ.get(STORE_ENV)
    if text is None:
        return StoreSpec("memory", str(graph)) if graph is not None else default_spec(build)
    kind, _, location = text.partition(":")
    if kind == "memory" and not location:
        return StoreSpec("memory", str(graph if graph is not None else build / TRIG_FILE))
    if kind == "memory":
        return StoreSpec("memory", location)
    if kind == "oxigraph" and location:
        return StoreSpec("oxigraph", location)
    if kind == "sparql" and re.match(r"https?://[^/\s]+", location):
        return StoreSpec("sparql", location)
    raise InputError(f"--store {text!r}: expected memory, oxigraph:PATH or sparql:http(s)://…")


def default_spec(build: Path = DEFAULT_BUILD) -> StoreSpec:
    """What a command reads when nothing is named: the store `kg build` wrote into `build`,
    else the `graph.trig` an older build (or `kg build --trig` alone) left there."""
    store, trig = build / STORE_DIR, build / TRIG_FILE
    if store_swap.exists(store):
        return StoreSpec("oxigraph", str(store))
    if trig.is_file():
        return StoreSpec("memory", str(trig))
    raise InputError(f"no graph to read: {store} does not exist (run `kg build`, or name the "
                     "graph with --store oxigraph:PATH, --store sparql:URL or --graph FILE)")


def open_store(spec: StoreSpec, timeout: float = DEFAULT_TIMEOUT,
               max_answer: int = DEFAULT_MAX_ANSWER, *, wait: float = 0.0,
               lock: bool = True) -> GraphStore:
    """`wait`: seconds an Oxigraph store being written may keep this reader waiting.
    `lock=False` only where the caller holds the store's lock already (kg serve's children)."""
    # Each kind is imported when it is opened: a command pays for one store's libraries only.
    if spec.kind == "memory":
        from kg.store.memory import MemoryStore

        store: GraphStore = MemoryStore(spec, timeout)
    elif spec.kind == "oxigraph":
        from kg.store.oxigraph import OxigraphStore

        store = OxigraphStore(spec, timeout, wait=wait, lock=lock)
    else:
        from kg.store.remote import SparqlStore

        store = SparqlStore(spec, timeout)
    store.max_answer = max_answer
    return store
