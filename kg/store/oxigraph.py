"""`oxigraph:PATH`: an embedded on-disk Oxigraph store (pyoxigraph), filled by `kg load`; queries
run in Oxigraph's engine and are asked of pyoxigraph itself, the rdflib API (`dataset()`) is
served by oxrdflib."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path

from rdflib import XSD, BNode, Dataset, Graph, Literal, URIRef, Variable
from rdflib.query import Result
from rdflib.term import Node

from kg.errors import StoreError, first_line
from kg.sparql.params import prepare_inline, uses_service
from kg.store import swap as store_swap
from kg.store.base import DEFAULT_TIMEOUT, GraphStore, StoreSpec, _evaluate
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
        text = prepare_inline(text, dict(bindings or {}))
        if not uses_service(text):
            return _evaluate(lambda: self._answer(text), origin, None)
        with self.relay() as relay:  # the rows are read in _answer, while the relay is up
            relayed = relay.rewrite(text)
            return _evaluate(lambda: self._answer(relayed), origin, relay)

    def _answer(self, text: str) -> Result:
        """Oxigraph's answer, its rows read whole, as the rdflib `Result` oxrdflib would give
        (the same prefixes, the same terms, xsd:string as plain literals). Not through oxrdflib:
        importing it imports rdflib's SPARQL parser, which Oxigraph does not use and which cost
        every reading command a third of a second."""
        import pyoxigraph

        answer = self.inner.query(text, use_default_graph_as_union=True,
                                  prefixes=_default_prefixes())
        if isinstance(answer, pyoxigraph.QueryBoolean):
            result = Result("ASK")
            result.askAnswer = bool(answer)
        elif isinstance(answer, pyoxigraph.QuerySolutions):
            result = Result("SELECT")
            result.vars = [Variable(v.value) for v in answer.variables]
            result.bindings = [  # an unbound variable is there as None, as oxrdflib gives it
                {var: _plain(_rdflib_term(value))
                 for var, value in zip(result.vars, row, strict=True)}
                for row in answer]
        else:
            result = Result("CONSTRUCT")
            result.graph = Graph()
            result.graph += (tuple(_rdflib_term(t) for t in (triple.subject, triple.predicate,
                                                             triple.object))
                             for triple in answer)
        return result

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


@cache
def _default_prefixes() -> dict[str, str]:
    """The prefixes an rdflib Dataset binds (rdf:, owl:, skos: …): a query may use them
    undeclared on every store, as it could through rdflib."""
    return {prefix: str(namespace) for prefix, namespace in Dataset().namespaces()}


def _rdflib_term(term) -> Node | None:
    """A pyoxigraph term as rdflib's (as oxrdflib converts it); None for an unbound one."""
    import pyoxigraph

    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise ValueError(f"unexpected term in Oxigraph's answer: {term!r}")


def _plain(term: Node | None) -> Node | None:
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
