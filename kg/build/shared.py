"""The graphs every build shares (the ontology, the reference data), made in a child process.

A build needs them as text only: their N-Quads for the store, their TriG for graph.trig, and
the reference data's N-Triples lines by subject for validating each document
(`ReferenceLines`). As rdflib graphs they took 72 MB of the build's process, and freeing them
gave little back (the reference lines keep their terms, scattered over the interpreter's
memory). So a forked child makes the rdflib graphs, writes what the build needs into its
staging folder and exits: the build's process never holds them, and the child runs while the
build loads the extraction pipeline, on the other core where there is one.

The files are the same for every build of the same code and data: with a cache
(kg/build/cache.py) the child writes all of them into a new cache entry, and the next builds
read that entry and start no child at all.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import pickle
import shutil
import signal
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from extract import gazetteer as gazetteer_module
from kg.build import cache as cache_module
from kg.build.validate import ReferenceLines

if TYPE_CHECKING:
    from rdflib import Dataset

SHARED_NQUADS, SHARED_TRIG, REFERENCE_LINES = "shared.nq", "shared.trig", "reference-lines.pickle"
SHARED_FILES = (SHARED_NQUADS, SHARED_TRIG, REFERENCE_LINES)
COPY_CHUNK = 1 << 20
PR_SET_PDEATHSIG = 1  # linux/prctl.h


@dataclass(frozen=True, slots=True)
class SharedNeeds:
    """What a build needs of the shared graphs: their N-Quads (the store is written whole),
    their TriG (--trig), the reference lines (documents are validated)."""

    nquads: bool
    trig: bool
    reference: bool

    def any(self) -> bool:
        return self.nquads or self.trig or self.reference


ALL_NEEDS = SharedNeeds(nquads=True, trig=True, reference=True)


def shared_cache(gaz: gazetteer_module.Gazetteer) -> cache_module.SharedCache | None:
    """The cache of the shared files for builds with `gaz`, or None: it is off
    (`KG_NO_CACHE`), or `gaz` is not the shipped reference tables' (the key does not cover
    another folder's)."""
    if not cache_module.cache_enabled() or gaz is not gazetteer_module.default():
        return None
    return cache_module.SharedCache(cache_module.cache_root(), cache_module.shared_key(),
                                    SHARED_FILES)


class SharedGraphs:
    """The shared files, read from `cache` where its entry is there, else made in a forked
    child: into a new entry of `cache`, or into `staging` without one. `reference_lines()` and
    `copy_*` wait for the child."""

    def __init__(self, gaz: gazetteer_module.Gazetteer, staging: Path, needs: SharedNeeds,
                 cache: cache_module.SharedCache | None = None):
        self.folder, self.needs, self.cache = staging, needs, cache
        self.child: BaseProcess | None = None
        self.filling: Path | None = None  # the cache entry being made, until committed
        if not needs.any():
            return
        if cache is not None:
            found = cache.lookup()
            if found is not None:
                self.folder = found
                return
            self.filling = new_entry_folder(cache)
            if self.filling is not None:  # the entry is made whole, for the builds to come
                self.folder, needs = self.filling, ALL_NEEDS
        context = multiprocessing.get_context("fork")  # the child has the gazetteer loaded
        self.child = context.Process(target=write_shared,
                                     args=(gaz, self.folder, needs, os.getpid(),
                                           self.filling is not None),
                                     name="kg build: shared graphs", daemon=True)
        self.child.start()

    def wait(self) -> None:
        if self.child is None:
            return
        self.child.join()
        if self.child.exitcode != 0:
            raise RuntimeError(f"the ontology and reference graphs could not be made: their "
                               f"process ended with {self.child.exitcode}")
        self.child = None
        if self.filling is not None and self.cache is not None:
            # where it cannot be committed, the entry is whole: read where it is, then dropped
            with contextlib.suppress(OSError):
                self.folder, self.filling = self.cache.commit(self.filling), None

    def stop(self) -> None:
        """Ends the child if it still runs (the build failed or was interrupted), and removes
        a cache entry it did not finish."""
        if self.child is not None and self.child.is_alive():
            self.child.terminate()
            self.child.join()
        if self.filling is not None:
            shutil.rmtree(self.filling, ignore_errors=True)
            self.filling = None

    def reference_lines_path(self) -> Path:
        """Where the reference lines are once written (the cache's entry or the staging)."""
        self.wait()
        return self.folder / REFERENCE_LINES

    def reference_lines(self) -> ReferenceLines:
        with self.reference_lines_path().open("rb") as f:
            return pickle.load(f)  # written by a build's child: this one's, or the cache's

    def nquads_path(self) -> Path:
        """Where the shared graphs' N-Quads are once written."""
        self.wait()
        return self.folder / SHARED_NQUADS

    def copy_nquads(self, into: BinaryIO) -> None:
        self._copy(SHARED_NQUADS, into)

    def copy_trig(self, into: BinaryIO) -> None:
        self._copy(SHARED_TRIG, into)

    def _copy(self, name: str, into: BinaryIO) -> None:
        self.wait()
        with (self.folder / name).open("rb") as f:
            shutil.copyfileobj(f, into, COPY_CHUNK)


def new_entry_folder(cache: cache_module.SharedCache) -> Path | None:
    """A temporary folder for a new entry of `cache`, or None where the cache folder cannot be
    written (the build then goes without it)."""
    try:
        return cache.new_temp()
    except OSError:
        return None


def write_shared(gaz: gazetteer_module.Gazetteer, staging: Path, needs: SharedNeeds,
                 parent: int, sealed: bool = False) -> None:
    """In the child: the shared graphs as the build needs them, written into `staging`, with
    their checksums when `sealed` (a cache entry)."""
    die_with(parent)
    from kg import iris
    from kg.build.steps import corpus_dataset, write_trig

    shared = corpus_dataset(gaz)
    if needs.nquads:
        (staging / SHARED_NQUADS).write_bytes(sorted_nquads(shared))
    if needs.trig:
        with (staging / SHARED_TRIG).open("wb") as f:
            write_trig(shared, f)
    if needs.reference:
        lines = ReferenceLines(shared.graph(iris.graph("reference")))
        with (staging / REFERENCE_LINES).open("wb") as f:
            pickle.dump(lines, f, protocol=pickle.HIGHEST_PROTOCOL)
    if sealed:
        cache_module.seal(staging)


def sorted_nquads(shared: Dataset) -> bytes:
    """The dataset's N-Quads, their lines sorted: rdflib writes them in the order of its
    store's hash tables, which differs between processes, and a cache entry is the same bytes
    whichever build made it."""
    lines = shared.serialize(format="nquads", encoding="utf-8").splitlines(keepends=True)
    return b"".join(sorted(line for line in lines if line.strip()))


def die_with(parent: int) -> None:
    """Ends this process when `parent` ends: the child inherits the build folder's lock
    (kg/build/outdir.py), which a build killed meanwhile must not leave held (Linux; elsewhere
    the child ends when its work is done)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the call
        os._exit(1)
