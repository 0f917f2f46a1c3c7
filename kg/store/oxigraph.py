"""`oxigraph:PATH`: an embedded on-disk Oxigraph store (pyoxigraph), filled by `kg load`; queries
run in Oxigraph's engine and are asked of pyoxigraph itself, the rdflib API (`dataset()`) is
served by oxrdflib. rdflib is loaded only where its terms are made: `answer()` (what `kg query`
prints as a table or CSV) needs none for IRIs, blank nodes, strings and integers."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import kgdata
from kg.errors import StoreError, first_line
from kg.sparql.answer import BNODE, IRI, LITERAL, Answer, Cell
from kg.sparql.params import prepare_inline, uses_service
from kg.store import swap as store_swap
from kg.store.base import DEFAULT_TIMEOUT, GraphStore, StoreSpec, _evaluate
from kg.store.lock import lock_store

if TYPE_CHECKING:
    from rdflib import Dataset
    from rdflib.query import Result
    from rdflib.term import Node

XSD_NS = "http://www.w3.org/2001/XMLSchema#"
# Typed literals whose lexical form rdflib gives back unchanged (`str(Literal(form, datatype=…))
# == form`), so a cell can be made without rdflib: the canonical forms of integers and years.
# rdflib normalises others (1.5E0 is 1.5, "1"^^xsd:boolean is true, 007 is 7): those are made
# through rdflib, as `query()` makes them. tests/test_query_cli.py compares the two.
_UNCHANGED_BY_RDFLIB = {
    **{XSD_NS + t: re.compile(r"0|-?[1-9][0-9]*") for t in ("integer", "int", "long")},
    **{XSD_NS + t: re.compile(r"0|[1-9][0-9]*") for t in ("nonNegativeInteger",)},
    XSD_NS + "gYear": re.compile(r"[1-9][0-9]{3}"),
}


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
            self._ds = _inline_bindings_dataset()(store=adapter)
            self._ds.default_union = True
        return self._ds

    def answer(self, text: str, bindings: Mapping[str, Node] | None = None,
               origin: str = "query") -> Answer:
        """Oxigraph's answer as cells, without rdflib where its terms do not need it."""
        text = prepare_inline(text, dict(bindings or {}))
        if uses_service(text):
            return super().answer(text, None, origin)
        return _evaluate(lambda: self._cells(text), origin, None)

    def _cells(self, text: str) -> Answer:
        import pyoxigraph

        answer = self._ask(text)
        if isinstance(answer, pyoxigraph.QueryBoolean):
            return Answer("ASK", ask=bool(answer))
        if isinstance(answer, pyoxigraph.QuerySolutions):
            return Answer("SELECT", [v.value for v in answer.variables],
                          [[_cell(term) for term in row] for row in answer])
        return Answer("CONSTRUCT", graph=_graph(answer))

    def _ask(self, text: str):
        return self.inner.query(text, use_default_graph_as_union=True,
                                prefixes=_default_prefixes())

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
        from rdflib import Variable
        from rdflib.query import Result

        answer = self._ask(text)
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
            result.graph = _graph(answer)
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
    """The prefixes an rdflib Dataset binds (rdf:, owl:, skos: …; queries/prefixes.tsv): a
    query may use them undeclared on every store, as it could through rdflib."""
    lines = (kgdata.queries_dir() / "prefixes.tsv").read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line and not line.startswith("#")]
    return dict(rows[1:])  # after the header


def _cell(term) -> Cell | None:
    """A pyoxigraph term as `kg query` prints it: the text rdflib's term would give."""
    import pyoxigraph

    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        return Cell(IRI, term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return Cell(BNODE, term.value)
    if isinstance(term, pyoxigraph.Literal):
        form = _UNCHANGED_BY_RDFLIB.get(term.datatype.value)
        if term.language or term.datatype.value == XSD_NS + "string" or (
                form is not None and form.fullmatch(term.value)):
            return Cell(LITERAL, term.value)
        return Cell(LITERAL, str(_plain(_rdflib_term(term))))
    raise ValueError(f"unexpected term in Oxigraph's answer: {term!r}")


def _graph(triples):
    """A CONSTRUCT's triples as an rdflib Graph (printed as Turtle)."""
    from rdflib import Graph

    graph = Graph()
    graph += (tuple(_rdflib_term(t) for t in (triple.subject, triple.predicate, triple.object))
              for triple in triples)
    return graph


def _rdflib_term(term) -> Node | None:
    """A pyoxigraph term as rdflib's (as oxrdflib converts it); None for an unbound one."""
    import pyoxigraph
    from rdflib import BNode, Literal, URIRef

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
    from rdflib import XSD, Literal

    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


@cache
def _inline_bindings_dataset() -> type[Dataset]:
    """An rdflib Dataset class that writes bindings into the text: Oxigraph substitutes only
    variables the query projects. Made when first needed, as rdflib is loaded then."""
    from rdflib import Dataset

    class InlineBindings(Dataset):
        def query(self, query_object, processor="sparql", result="sparql", initNs=None,
                  initBindings=None, use_store_provided=True, **kwargs) -> Result:
            if initBindings and isinstance(query_object, str):
                query_object = prepare_inline(query_object, dict(initBindings))
                initBindings = None
            return super().query(query_object, processor, result, initNs, initBindings,
                                 use_store_provided, **kwargs)

    return InlineBindings
