"""The build's graph in its Oxigraph store (`OUT/store`): the named graphs a build (re)writes
are bulk-loaded from one N-Quads file, the graphs of documents no longer built are dropped, and
every other graph stays as it is.

The store is written all or nothing (kg/store/swap.py): on a checkpoint copy, or on an empty
store where the build replaces everything the store holds, which then takes the store's place
in one rename; under the store's exclusive lock (kg/store/lock.py), so that no kg process reads
it meanwhile. A build killed at any moment leaves the previous store as it was.

A build that writes its store whole loads it while its documents run (`StoreLoader`): a new
store in the build's staging folder, filled from a thread as each document's graph arrives,
which takes the store's place at the end, with the graphs of the old store that the build does
not write (`put_built_store`).
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import queue
import threading
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kg.store import swap
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
        # the ontology's stably named blank nodes are the same in every build's store
        load_keeping_blank_nodes(copy, update.nquads)

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


# Batches queued for the loading thread, at most: the build's reading of the documents' results
# waits beyond it (each batch is BULK_BATCH quads of N-Quads text, about 5 MB), so the memory it
# holds stays bounded; the thread loads a batch in less time than the documents take to make it.
LOADER_QUEUE = 1
# Quads loaded beside the documents, at most: an open store holds memory for each table file
# it has (4-5 MB a million quads, measured up to 3.5 million), which would come on top of the
# documents' process; past this, the documents' quads are staged in a file and loaded once that
# process has exited, as before (docs/scale.md, "The store's load beside the documents").
OVERLAP_QUADS = 1_000_000


class StoreLoader:
    """A new store in `folder`, loaded in a thread while the build streams its documents:
    `add` takes a document's N-Quads, and a batch of BULK_BATCH quads is bulk-loaded at a time
    (Oxigraph's loader releases the GIL: the build's thread keeps reading the documents'
    results meanwhile); `finish` loads the rest and closes the store. An error in the thread is
    raised by the next `add` or by `finish`."""

    def __init__(self, folder: Path, limit: int | None = None,
                 after_batch: Callable[[], None] = lambda: None):
        self.limit = OVERLAP_QUADS if limit is None else limit
        self.after_batch = after_batch  # the build trims its heap there (kg/build/memory.py)
        self.store = swap.open_writable(folder)
        self.batches: queue.Queue[Callable[[], None] | None] = queue.Queue(LOADER_QUEUE)
        self.parts: list[bytes] = []
        self.quads = 0  # in `parts`
        self.taken = 0  # quads taken by `add`
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._load, name="kg build: loading the store",
                                       daemon=True)
        self.thread.start()

    def add_file(self, nquads: Path) -> None:
        """An N-Quads file, its blank nodes named as the file names them (the shared graphs'
        stably named ones: Oxigraph's bulk loader would rename them at random)."""
        self._put(lambda: load_keeping_blank_nodes(self.store, nquads))

    def accepting(self) -> bool:
        """Whether it takes more quads while the documents run (`limit`): past it, the caller
        stages them in a file for `finish`."""
        return self.taken < self.limit

    def add(self, nquads: bytes) -> None:
        """N-Quads lines: loaded with the next batch."""
        lines = nquads.count(b"\n")
        self.parts.append(nquads)
        self.quads += lines
        self.taken += lines
        if self.quads >= BULK_BATCH:
            self._put_parts()

    def finish(self, staged: Path | None = None) -> None:
        """Loads what is left, then the N-Quads file `staged` (the quads past the limit, once
        the documents' process has gone), and closes the store: then it can take the store's
        place."""
        self._put_parts()
        self._end()
        if staged is not None:
            load_nquads_file(self.store, staged, self.after_batch)
        self.store.flush()
        self.store = None  # closed: RocksDB's files and its LOCK are released

    def abort(self) -> None:
        """The build failed: the thread ends once its batch is loaded (the caller removes the
        folder)."""
        self.parts, self.quads = [], 0
        with contextlib.suppress(BaseException):
            self._end()
        self.store = None

    def _put_parts(self) -> None:
        if not self.parts:
            return
        data, self.parts, self.quads = b"".join(self.parts), [], 0
        self._put(lambda: load_batch(self.store, data))

    def _put(self, load: Callable[[], None]) -> None:
        self._raise()
        self.batches.put(load)

    def _end(self) -> None:
        self.batches.put(None)
        self.thread.join()
        self._raise()

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error

    def _load(self) -> None:
        while (load := self.batches.get()) is not None:
            if self.error is None:  # after an error, the batches are taken and dropped
                try:
                    load()
                except BaseException as e:  # raised in the build's thread
                    self.error = e
            del load  # the batch's bytes, before the heap is trimmed
            self.after_batch()  # the loader's buffers freed, beside the documents' process


def load_batch(store, nquads: bytes) -> None:
    """N-Quads lines into `store` in one bulk load."""
    import pyoxigraph as ox

    if b"_:" in nquads:  # a blank node, or only text that looks like one: labels kept
        load_keeping_blank_nodes(store, nquads)
    else:  # a document's graph has none: the bulk loader parses in Rust, faster
        store.bulk_load(nquads, ox.RdfFormat.N_QUADS)


def load_nquads_file(store, nquads: Path, after_batch: Callable[[], None]) -> None:
    """The N-Quads file into `store`, BULK_BATCH lines at a time."""
    with nquads.open("rb") as f:
        while batch := list(itertools.islice(f, BULK_BATCH)):
            load_batch(store, b"".join(batch))
            del batch
            after_batch()


def load_keeping_blank_nodes(store, nquads: Path | bytes) -> None:
    """N-Quads into `store` in batches, the blank nodes keeping their labels (`ox.parse` keeps
    them; the bulk loader would rename them)."""
    import pyoxigraph as ox

    source = {"path": nquads} if isinstance(nquads, Path) else {"input": nquads}
    quads = ox.parse(**source, format=ox.RdfFormat.N_QUADS)
    with collector_paused():
        while batch := list(itertools.islice(quads, BULK_BATCH)):
            store.bulk_extend(batch)


def put_built_store(store: Path, built: Path, written: Callable[[str], bool],
                    wait: float) -> int:
    """The closed store `built` (on the store's file system) takes the store's place, under
    the store's exclusive lock. The old store's quads in graphs that `written` says the build
    does not write (a link graph, data loaded by `kg load`, the default graph) are copied into
    it first; the number of those graphs."""
    lock = lock_store(store, exclusive=True, wait=wait, purpose="write the build into it")
    try:
        real = store.resolve()
        swap.clear_leftovers(real)
        kept = copy_kept_graphs(real, built, written) if real.is_dir() else 0
        swap.put_in_place(built, real)
        return kept
    finally:
        lock.release()


def copy_kept_graphs(store: Path, built: Path, written: Callable[[str], bool]) -> int:
    """Copies the store's graphs that the build does not write (and the default graph's
    quads) into `built`: the number of those named graphs."""
    import pyoxigraph as ox

    old = swap.open_writable(store)  # writable: it replays a log a killed writer left
    try:
        kept = [g for g in old.named_graphs()
                if not (isinstance(g, ox.NamedNode) and written(g.value))]
        default = ox.DefaultGraph()
        if next(iter(old.quads_for_pattern(None, None, None, default)), None) is None and not kept:
            return 0
        new = swap.open_writable(built)
        try:
            for graph in (*kept, default):
                if graph != default:
                    new.add_graph(graph)  # kept even where it holds no quad
                quads = old.quads_for_pattern(None, None, None, graph)
                with collector_paused():
                    while batch := list(itertools.islice(quads, BULK_BATCH)):
                        new.bulk_extend(batch)
            new.flush()
        finally:
            del new
        return len(kept)
    finally:
        del old
