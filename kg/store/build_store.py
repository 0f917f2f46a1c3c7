"""The build's graph in its Oxigraph store (`OUT/store`): the named graphs a build (re)writes
are bulk-loaded from one N-Quads file, the graphs of documents no longer built are dropped, and
every other graph stays as it is.

The store is written all or nothing (kg/store/swap.py): on a checkpoint copy, or on an empty
store where the build replaces everything the store holds, which then takes the store's place
in one rename; under the store's exclusive lock (kg/store/lock.py), so that no kg process reads
it meanwhile. A build killed at any moment leaves the previous store as it was.
"""

from __future__ import annotations

import gc
import itertools
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kg.store.load import rewrite_oxigraph
from kg.store.lock import lock_store

# Quads per bulk-load batch: Oxigraph's bulk loader holds a batch in memory, as do the Python
# quads of the batch. Loading the 27 reports' 336,165 quads into an empty store, one run each
# (docs/scale.md, "Memory"): batches of 100,000: 166 MB peak, 82 MB on
# disk; of 25,000: 76 MB, 102 MB on disk (1.25x), in the same time (within the run's noise);
# of 10,000: 52 MB, 104 MB, 1.0-1.1x the time. One batch of everything: 1 KB a quad.
BULK_BATCH = 25_000


@dataclass(frozen=True, slots=True)
class StoreUpdate:
    """What a build changes in its store."""

    nquads: Path  # the graphs to write; blank nodes keep the names the file gives them
    replaced: Collection[str]  # the IRIs of the graphs the file holds: dropped first
    stale: Callable[[str], bool]  # other graphs of the store to drop (removed documents)


def check_writable(store: Path, wait: float) -> None:
    """Refuses at once (or after `wait` seconds) when another process reads or writes the
    store, so that a build does not do all its work to fail at the end."""
    store.parent.mkdir(parents=True, exist_ok=True)
    lock_store(store, exclusive=True, wait=wait, purpose="write the build into it").release()


def write_build_store(store: Path, update: StoreUpdate, wait: float) -> int:
    """Applies `update` to the store at `store` (made where there is none); the number of
    graphs dropped that the file does not replace."""
    import pyoxigraph as ox

    dropped = 0

    def fill(copy: ox.Store) -> None:
        nonlocal dropped
        replaced = set(update.replaced)
        for graph in list(copy.named_graphs()):
            name = str(graph.value)
            if name in replaced or update.stale(name):
                copy.remove_graph(graph)
                dropped += name not in replaced
        # ox.parse keeps blank node labels (bulk_load would rename them at random), so the
        # ontology's stably named blank nodes are the same in every build's store
        quads = ox.parse(path=update.nquads, format=ox.RdfFormat.N_QUADS)
        with collector_paused():
            while batch := list(itertools.islice(quads, BULK_BATCH)):
                copy.bulk_extend(batch)

    rewrite_oxigraph(store, fill, list(update.replaced), wait, "write the build into it")
    return dropped


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off while the quads are loaded: each batch is hundreds of
    thousands of new objects, which set off full passes over everything the process holds (the
    pipeline's modules and tables: about 1 CPU s of the 27 reports' build), and the quads and
    their lists hold no cycles for it to find: they are freed by their counts."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
