"""`memory`: the graph file read into rdflib, in this process; nothing to start."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset

from kg.store.base import DEFAULT_TIMEOUT, GraphStore, StoreSpec


class MemoryStore(GraphStore):
    def __init__(self, spec: StoreSpec, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.spec = spec
        self.timeout = timeout
        self._ds: Dataset | None = None

    def dataset(self) -> Dataset:
        if self._ds is None:
            from kg.store.files import load_dataset

            self._ds = load_dataset(Path(self.spec.location))
        return self._ds
