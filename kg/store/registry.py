"""The registry of store kinds: where a built graph lives, chosen by one option (`--store`):

- `memory` (default): the graph file is read into rdflib, in this process; nothing to start.
- `oxigraph:PATH`: an embedded on-disk Oxigraph store (pyoxigraph), filled by `kg load`; queries
  run in Oxigraph's engine, the rdflib API is served by oxrdflib.
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
from kg.store.base import (
    DEFAULT_MAX_ANSWER,
    DEFAULT_TIMEOUT,
    STORE_ENV,
    GraphStore,
    StoreSpec,
)
from kg.store.memory import MemoryStore
from kg.store.oxigraph import OxigraphStore
from kg.store.remote import SparqlStore


def parse_spec(text: str | None, graph: Path) -> StoreSpec:
    """`memory`, `oxigraph:PATH` or `sparql:URL`; unset, $KG_STORE, then memory on `graph`."""
    text = text or os.environ.get(STORE_ENV) or "memory"
    kind, _, location = text.partition(":")
    if kind == "memory" and not location:
        return StoreSpec("memory", str(graph))
    if kind == "memory":
        return StoreSpec("memory", location)
    if kind == "oxigraph" and location:
        return StoreSpec("oxigraph", location)
    if kind == "sparql" and re.match(r"https?://[^/\s]+", location):
        return StoreSpec("sparql", location)
    raise InputError(f"--store {text!r}: expected memory, oxigraph:PATH or sparql:http(s)://…")


def open_store(spec: StoreSpec, timeout: float = DEFAULT_TIMEOUT,
               max_answer: int = DEFAULT_MAX_ANSWER, *, wait: float = 0.0,
               lock: bool = True) -> GraphStore:
    """`wait`: seconds an Oxigraph store being written may keep this reader waiting.
    `lock=False` only where the caller holds the store's lock already (kg serve's children)."""
    if spec.kind == "memory":
        store: GraphStore = MemoryStore(spec, timeout)
    elif spec.kind == "oxigraph":
        store = OxigraphStore(spec, timeout, wait=wait, lock=lock)
    else:
        store = SparqlStore(spec, timeout)
    store.max_answer = max_answer
    return store
