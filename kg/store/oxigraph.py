"""`oxigraph:PATH`: an embedded on-disk Oxigraph store (pyoxigraph), filled by `kg load`; queries
run in Oxigraph's engine, the rdflib API is served by oxrdflib."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from rdflib import XSD, Dataset, Literal
from rdflib.query import Result
from rdflib.term import Node

from kg.errors import StoreError, first_line
from kg.sparql.params import prepare_inline, uses_service
from kg.store import swap as store_swap
from kg.store.base import DEFAULT_TIMEOUT, GraphStore, StoreSpec, _evaluate, _run
from kg.store.lock import lock_store


class OxigraphStore(GraphStore):
    """Opened read-only, under the store's shared lock (kg/store/lock.py): other kg processes
    may read it at the same time, none may write it."""

    def __init__(self, spec: StoreSpec, timeout: float = DEFAULT_TIMEOUT, *, wait: float = 0.0,
                 lock: bool = True) -> None:
        self.spec = spec
        self.timeout = timeout
        path = Path(spec.location)
        if not store_swap.exists(path):
            raise StoreError(f"{spec}: no Oxigraph store here (fill one with "
                             f"`kg load --store {spec}`)")
        self._lock = (lock_store(path, exclusive=False, wait=wait, purpose="read it")
                      if lock else None)
        try:
            store_swap.recover(path)
            self.inner = _open_read_only(spec)
        except BaseException:
            self._release()
            raise
        self._ds: Dataset | None = None

    def dataset(self) -> Dataset:
        if self._ds is None:
            adapter = _oxigraph_adapter(self.inner)
            adapter.kg_lock = self._lock  # held while anything can still reach the store
            self._ds = _InlineBindings(store=adapter)
            self._ds.default_union = True
        return self._ds

    def query(self, text: str, bindings: Mapping[str, Node] | None = None,
              origin: str = "query") -> Result:
        ds = self.dataset()
        text = prepare_inline(text, dict(bindings or {}))
        if not uses_service(text):
            return _evaluate(lambda: ds.query(text), origin, None)
        with self.relay() as relay:
            relayed = relay.rewrite(text)
            return _evaluate(lambda: _run(ds, relayed), origin, relay)

    def dump(self, fmt: str, prefixes: Mapping[str, str]) -> bytes | None:
        """Oxigraph writes TriG and N-Quads itself: rdflib reading the store through oxrdflib
        to write them took a minute for a small build."""
        import pyoxigraph

        native = {"trig": pyoxigraph.RdfFormat.TRIG, "nquads": pyoxigraph.RdfFormat.N_QUADS}
        if fmt not in native:
            return None
        data = self.inner.dump(format=native[fmt], prefixes=dict(prefixes) or None)
        if fmt == "nquads":  # Oxigraph's order differs between processes; the lines need none
            data = b"".join(sorted(line for line in data.splitlines(keepends=True)
                                   if line.strip()))
        return data

    def close(self) -> None:
        self._ds = None
        del self.inner
        self._release()

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.release()


def _open_read_only(spec: StoreSpec):
    import pyoxigraph

    try:  # read-only: other processes may read the same store at the same time
        return pyoxigraph.Store.read_only(spec.location)
    except OSError as e:
        raise StoreError(f"{spec}: cannot open the Oxigraph store: {first_line(e)}") from None


def _oxigraph_adapter(inner):
    """oxrdflib's rdflib store, with xsd:string literals given back as plain literals: RDF 1.1
    says they are the same term, but rdflib (and so pySHACL's sh:in) tells them apart."""
    from oxrdflib import OxigraphStore as Adapter

    class PlainStrings(Adapter):
        def triples(self, triple_pattern, context=None):
            for (s, p, o), graphs in super().triples(triple_pattern, context):
                yield (s, p, _plain(o)), graphs

        def query(self, query, initNs, initBindings, queryGraph, **kwargs):
            result = super().query(query, initNs, initBindings, queryGraph, **kwargs)
            if result.type == "SELECT":
                result.bindings = [{v: _plain(t) for v, t in row.items()}
                                   for row in result.bindings]
            return result

    return PlainStrings(store=inner)


def _plain(term: Node) -> Node:
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


class _InlineBindings(Dataset):
    """Oxigraph substitutes only variables the query projects: write bindings into the text."""

    def query(self, query_object, processor="sparql", result="sparql", initNs=None,
              initBindings=None, use_store_provided=True, **kwargs) -> Result:
        if initBindings and isinstance(query_object, str):
            query_object, initBindings = prepare_inline(query_object, dict(initBindings)), None
        return super().query(query_object, processor, result, initNs, initBindings,
                             use_store_provided, **kwargs)
