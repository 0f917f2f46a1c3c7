"""Where a built graph lives, chosen by one option (`--store`):

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

import io
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal as Kind

from rdflib import XSD, Dataset, Graph, Literal
from rdflib.plugins.stores.memory import Memory
from rdflib.query import Result
from rdflib.term import Node

from kg.errors import InputError, StoreError
from kg.iris import id_base
from kg.sparql.query import prepare, prepare_inline
from kg.store import http as bounded
from kg.store import swap as store_swap
from kg.store.http import MB, Deadline, Limits
from kg.store.lock import lock_store
from kg.store.relay import ServiceRelay

KINDS = ("memory", "oxigraph", "sparql")
DEFAULT_TIMEOUT = 60.0  # seconds for any remote call; one deadline for a query with SERVICE
DEFAULT_MAX_ANSWER = bounded.DEFAULT_MAX_ANSWER_MB * MB  # bytes of one SERVICE answer
USER_ENV, PASSWORD_ENV, STORE_ENV = "KG_SPARQL_USER", "KG_SPARQL_PASSWORD", "KG_STORE"


@dataclass(frozen=True, slots=True)
class StoreSpec:
    kind: Kind["memory", "oxigraph", "sparql"]
    location: str  # the graph file, the store's folder, or the query endpoint's URL

    def __str__(self) -> str:
        return f"{self.kind}:{self.location}"


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


class GraphStore:
    spec: StoreSpec
    timeout: float = DEFAULT_TIMEOUT  # seconds, for every remote call (SPARQL SERVICE too)
    max_answer: int = DEFAULT_MAX_ANSWER  # bytes of one SERVICE answer (memory, oxigraph)

    def dataset(self) -> Dataset:
        raise NotImplementedError

    def query(self, text: str, bindings: Mapping[str, Node] | None = None,
              origin: str = "query") -> Result:
        """Run SPARQL with the union of the named graphs as default graph. `bindings` are
        parameters: a one-term `VALUES ?name {…}` in the text is the parameter's default."""
        text, bound = prepare(text, dict(bindings or {}))
        ds = self.dataset()
        ds.default_union = True
        if not _SERVICE.search(text):
            return _evaluate(lambda: _run(ds, text, bound), origin, None)
        with self.relay() as relay:  # rdflib's SERVICE calls have no limits of their own
            relayed = relay.rewrite(text)
            return _evaluate(lambda: _run(ds, relayed, bound), origin, relay)

    def relay(self) -> ServiceRelay:
        """The SERVICE calls of one query: one deadline, `timeout` seconds from now."""
        return ServiceRelay(Deadline(self.timeout), self.max_answer)

    def close(self) -> None:
        pass


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


class OxigraphStore(GraphStore):
    """Opened read-only, under the store's shared lock (kg/store_lock.py): other kg processes
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
        if not _SERVICE.search(text):
            return _evaluate(lambda: ds.query(text), origin, None)
        with self.relay() as relay:
            relayed = relay.rewrite(text)
            return _evaluate(lambda: _run(ds, relayed), origin, relay)

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
        raise StoreError(f"{spec}: cannot open the Oxigraph store: {_first_line(e)}") from None


class SparqlStore(GraphStore):
    """`limits` bound every request (kg link: one deadline, a size limit, no redirect away);
    without them each socket wait has `timeout`, and a query with SERVICE one deadline."""

    def __init__(self, spec: StoreSpec, timeout: float = DEFAULT_TIMEOUT,
                 limits: Limits | None = None) -> None:
        self.spec = spec
        self.url = spec.location
        self.timeout = timeout
        self.limits = limits or Limits()
        self._ds: Dataset | None = None
        self._default_graphs: list[str] | None = None

    def query(self, text: str, bindings: Mapping[str, Node] | None = None,
              origin: str = "query") -> Result:
        text = prepare_inline(text, dict(bindings or {}))
        limits = self.limits
        if limits.deadline is None and _SERVICE.search(text):  # the server's calls may drip
            limits = Limits(Deadline(self.timeout), limits.max_bytes, limits.same_origin)
        return self._remote(text, origin, limits=limits)

    def dataset(self) -> Dataset:
        """The server's quads, read once; its `query` still runs on the server."""
        if self._ds is None:
            self._ds = _RemoteDataset(self)
        return self._ds

    def quads(self) -> list[tuple[Node, Node, Node, Node]]:
        # only policy-kg's graphs: a server has graphs of its own (Virtuoso's system graphs)
        ours = f"{id_base()}graph/"
        rows = self._remote("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                            f'FILTER (STRSTARTS(STR(?g), "{ours}")) }}', "reading quads",
                            union=False)
        return [(r[0], r[1], r[2], r[3]) for r in rows]

    def _remote(self, text: str, origin: str, union: bool = True,
                limits: Limits | None = None) -> Result:
        from SPARQLWrapper import SPARQLWrapper

        limits = limits or self.limits
        client = SPARQLWrapper(self.url, agent="policy-kg")
        client.setMethod("POST")  # form-encoded: Virtuoso 7.2 never answers a sparql-query body
        client.setQuery(text)
        user = os.environ.get(USER_ENV)
        if user:
            client.setCredentials(user, os.environ.get(PASSWORD_ENV, ""))
        if union:
            for g in self.default_graphs(limits):
                client.addDefaultGraph(g)
        construct = client.queryType in ("CONSTRUCT", "DESCRIBE")
        client.setReturnFormat("n3" if construct else "json")
        if construct:
            client.addParameter("format", "text/turtle")  # Virtuoso's name for Accept
        body = self._send(client, origin, limits)
        if construct:
            out = Result("CONSTRUCT")
            out.graph = Graph().parse(data=body.decode("utf-8"), format="turtle")
            return out
        try:
            return Result.parse(io.BytesIO(body), format="json")
        except Exception as e:
            raise StoreError(f"{self.spec}: {origin}: the server's answer is not SPARQL JSON "
                             f"results: {_first_line(e)}") from None

    def _send(self, client, origin: str, limits: Limits) -> bytes:
        """SPARQLWrapper builds the request (method, encoding, Accept, credentials); it is sent
        and read here, with our own opener, so that `limits` hold (kg/bounded.py)."""
        from urllib.error import URLError

        request = client._createRequest()
        try:
            return bounded.read(request, limits, self.timeout).body
        except bounded.Refused as e:
            raise self._refusal(e, origin) from None
        except (URLError, OSError) as e:
            reason = getattr(e, "reason", e)
            raise StoreError(f"{self.spec}: {origin}: cannot reach the server "
                             f"({_first_line(reason)}; timeout {self.timeout:g} s)") from None

    def _refusal(self, e: bounded.Refused, origin: str) -> InputError:
        """An HTTP error status, named and worded as SPARQLWrapper names it."""
        from SPARQLWrapper import SPARQLExceptions as sw

        named = {400: sw.QueryBadFormed, 401: sw.Unauthorized, 404: sw.EndPointNotFound,
                 414: sw.URITooLong, 500: sw.EndPointInternalError}.get(e.code)
        if named is None:
            return StoreError(f"{self.spec}: {origin}: {e}")
        error = named(e.detail)
        msg = _first_line(error)
        detail = str(error).partition("Response:")[2].strip().strip("b'\"")
        if detail:  # the server's own words, which say what it did not like
            msg += " " + " ".join(detail.replace("\\n", " ").split())[:300]
        if e.code == 400 or "bad formed" in msg.lower():
            return InputError(f"{origin}: the server refused the query: {msg}")
        return StoreError(f"{self.spec}: {origin}: {msg}")

    def default_graphs(self, limits: Limits | None = None) -> list[str]:
        """Servers differ on the default graph: if it is empty while named graphs hold data,
        name them all as the default graph (the protocol's default-graph-uri)."""
        if self._default_graphs is None:
            self._default_graphs = []
            union = self._remote("ASK { ?s ?p ?o }", "checking the default graph", union=False,
                                 limits=limits)
            if not union.askAnswer:
                rows = self._remote("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                                    "listing the named graphs", union=False, limits=limits)
                self._default_graphs = sorted(str(r[0]) for r in rows)
        return self._default_graphs


class _LazyQuads(Memory):
    """An in-memory rdflib store filled from the server the first time it is read."""

    def __init__(self, source: SparqlStore) -> None:
        super().__init__()
        self._source: SparqlStore | None = source

    def _fill(self) -> None:
        if self._source is not None:
            source, self._source = self._source, None
            for s, p, o, g in source.quads():
                super().add((s, p, o), Graph(self, identifier=g), quoted=False)

    def triples(self, triple_pattern, context=None):
        self._fill()
        return super().triples(triple_pattern, context)

    def contexts(self, triple=None):
        self._fill()
        return super().contexts(triple)

    def __len__(self, context=None) -> int:
        self._fill()
        return super().__len__(context)


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


class _RemoteDataset(Dataset):
    def __init__(self, source: SparqlStore) -> None:
        super().__init__(store=_LazyQuads(source))
        self.default_union = True
        self._source = source

    def query(self, query_object, processor="sparql", result="sparql", initNs=None,
              initBindings=None, use_store_provided=True, **kwargs) -> Result:
        if not isinstance(query_object, str):
            raise InputError("a remote store takes SPARQL text, not a parsed query")
        return self._source.query(query_object, initBindings)


_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)


def _run(ds: Dataset, text: str, bound: Mapping[str, Node] | None = None) -> Result:
    result = ds.query(text, initBindings=bound)
    if result.type == "SELECT":
        result.bindings  # noqa: B018 (evaluates now, while the relay is up)
    return result


def _evaluate(run: Callable[[], Result], origin: str, relay: ServiceRelay | None) -> Result:
    """`run()`, its errors said in one line: bad SPARQL, or a failed SERVICE call."""
    try:
        return run()
    except Exception as e:  # each engine raises its own errors
        raise _query_error(e, origin, relay) from None


def _query_error(e: Exception, origin: str, relay: ServiceRelay | None) -> InputError:
    if relay is not None and relay.failure is not None:  # the relay knows what went wrong
        return StoreError(f"{origin}: a SERVICE call failed: {relay.failure}")
    if isinstance(e, InputError):  # already one line
        return e
    if relay is not None and isinstance(e, OSError):
        return StoreError(f"{origin}: a SERVICE call failed: {_reason(e)}")
    if relay is not None and isinstance(e, ValueError | KeyError):
        return StoreError(f"{origin}: a SERVICE endpoint gave an answer that is not SPARQL "
                          f"JSON results: {_first_line(e)}")
    return InputError(f"{origin}: not valid SPARQL: {_first_line(e)}")


def _reason(e: OSError) -> str:
    return _first_line(getattr(e, "reason", None) or e)


def _first_line(e: object) -> str:
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__

