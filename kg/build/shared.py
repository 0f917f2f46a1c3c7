"""The graphs every build shares (the ontology, the reference data), made in a child process.

A build needs them as text only: their N-Quads for the store, their TriG for graph.trig, and
the reference data's N-Triples lines by subject for validating each document
(`ReferenceLines`). As rdflib graphs they took 72 MB of the build's process, and freeing them
gave little back (the reference lines keep their terms, scattered over the interpreter's
memory). So a forked child makes the rdflib graphs, writes what the build needs into its
staging folder and exits: the build's process never holds them, and the child runs while the
build loads the extraction pipeline, on the other core where there is one.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import pickle
import shutil
import signal
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import BinaryIO

from extract import gazetteer as gazetteer_module
from kg.build.validate import ReferenceLines

SHARED_NQUADS, SHARED_TRIG, REFERENCE_LINES = "shared.nq", "shared.trig", "reference-lines.pickle"
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


class SharedGraphs:
    """The shared graphs being made in a forked child into `staging`; `reference_lines()` and
    `copy_*` wait for it."""

    def __init__(self, gaz: gazetteer_module.Gazetteer, staging: Path, needs: SharedNeeds):
        self.staging, self.needs = staging, needs
        self.child: BaseProcess | None = None
        if needs.any():
            context = multiprocessing.get_context("fork")  # the child has the gazetteer loaded
            self.child = context.Process(target=write_shared,
                                         args=(gaz, staging, needs, os.getpid()),
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

    def stop(self) -> None:
        """Ends the child if it still runs (the build failed or was interrupted)."""
        if self.child is not None and self.child.is_alive():
            self.child.terminate()
            self.child.join()

    def reference_lines(self) -> ReferenceLines:
        self.wait()
        with (self.staging / REFERENCE_LINES).open("rb") as f:
            return pickle.load(f)  # written by this build's own child, in its own folder

    def copy_nquads(self, into: BinaryIO) -> None:
        self._copy(SHARED_NQUADS, into)

    def copy_trig(self, into: BinaryIO) -> None:
        self._copy(SHARED_TRIG, into)

    def _copy(self, name: str, into: BinaryIO) -> None:
        self.wait()
        with (self.staging / name).open("rb") as f:
            shutil.copyfileobj(f, into, COPY_CHUNK)


def write_shared(gaz: gazetteer_module.Gazetteer, staging: Path, needs: SharedNeeds,
                 parent: int) -> None:
    """In the child: the shared graphs as the build needs them, written into `staging`."""
    die_with(parent)
    from kg import iris
    from kg.build.steps import corpus_dataset, write_trig

    shared = corpus_dataset(gaz)
    if needs.nquads:
        (staging / SHARED_NQUADS).write_bytes(shared.serialize(format="nquads", encoding="utf-8"))
    if needs.trig:
        with (staging / SHARED_TRIG).open("wb") as f:
            write_trig(shared, f)
    if needs.reference:
        lines = ReferenceLines(shared.graph(iris.graph("reference")))
        with (staging / REFERENCE_LINES).open("wb") as f:
            pickle.dump(lines, f, protocol=pickle.HIGHEST_PROTOCOL)


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
