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
import socket
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal as Kind

from rdflib import XSD, Dataset, Graph, Literal
from rdflib.plugins.stores.memory import Memory
from rdflib.query import Result
from rdflib.term import Node

from extract.reader import InputError

from .iris import id_base
from .query import prepare, prepare_inline

KINDS = ("memory", "oxigraph", "sparql")
DEFAULT_TIMEOUT = 60.0  # seconds for any remote call
USER_ENV, PASSWORD_ENV, STORE_ENV = "KG_SPARQL_USER", "KG_SPARQL_PASSWORD", "KG_STORE"


class StoreError(InputError):
    """A store cannot be opened or reached, or refused a request: a clear message, exit 2."""


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


def open_store(spec: StoreSpec, timeout: float = DEFAULT_TIMEOUT) -> GraphStore:
    if spec.kind == "memory":
        return MemoryStore(spec, timeout)
    if spec.kind == "oxigraph":
        return OxigraphStore(spec, timeout)
    return SparqlStore(spec, timeout)


class GraphStore:
    spec: StoreSpec
    timeout: float = DEFAULT_TIMEOUT  # seconds, for every remote call (SPARQL SERVICE too)

    def dataset(self) -> Dataset:
        raise NotImplementedError

    def query(self, text: str, bindings: Mapping[str, Node] | None = None,
              origin: str = "query") -> Result:
        """Run SPARQL with the union of the named graphs as default graph. `bindings` are
        parameters: a one-term `VALUES ?name {…}` in the text is the parameter's default."""
        text, bound = prepare(text, dict(bindings or {}))
        ds = self.dataset()
        ds.default_union = True
        service = _SERVICE.search(text) is not None
        try:  # rdflib's SERVICE calls have no timeout of their own: the sockets get ours
            with _socket_timeout(self.timeout):
                result = ds.query(text, initBindings=bound)
                if result.type == "SELECT":
                    result.bindings  # noqa: B018 (evaluates now, within the timeout)
                return result
        except StoreError:
            raise
        except OSError as e:  # only a SERVICE call does I/O here
            raise StoreError(f"{origin}: a SERVICE call failed: {_reason(e)} "
                             f"(timeout {self.timeout:g} s)") from None
        except (ValueError, KeyError) as e:
            if service:
                raise StoreError(f"{origin}: a SERVICE endpoint gave an answer that is not "
                                 f"SPARQL JSON results: {_first_line(e)}") from None
            raise InputError(f"{origin}: not valid SPARQL: {_first_line(e)}") from None
        except Exception as e:  # each engine raises its own parser errors
            raise InputError(f"{origin}: not valid SPARQL: {_first_line(e)}") from None

    def close(self) -> None:
        pass


class MemoryStore(GraphStore):
    def __init__(self, spec: StoreSpec, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.spec = spec
        self.timeout = timeout
        self._ds: Dataset | None = None

    def dataset(self) -> Dataset:
        if self._ds is None:
            from .store import load_dataset

            self._ds = load_dataset(Path(self.spec.location))
        return self._ds


class OxigraphStore(GraphStore):
    def __init__(self, spec: StoreSpec, timeout: float = DEFAULT_TIMEOUT) -> None:
        import pyoxigraph

        self.spec = spec
        self.timeout = timeout
        path = Path(spec.location)
        if not path.is_dir():
            raise StoreError(f"{spec}: no Oxigraph store here (fill one with "
                             f"`kg load --store {spec}`)")
        try:  # read-only: other processes may read the same store at the same time
            self.inner = pyoxigraph.Store.read_only(str(path))
        except OSError as e:
            raise StoreError(f"{spec}: cannot open the Oxigraph store: {_first_line(e)}") from None
        self._ds: Dataset | None = None

    def dataset(self) -> Dataset:
        if self._ds is None:
            self._ds = _InlineBindings(store=_oxigraph_adapter(self.inner))
            self._ds.default_union = True
        return self._ds

    def query(self, text: str, bindings: Mapping[str, Node] | None = None,
              origin: str = "query") -> Result:
        ds = self.dataset()
        text = prepare_inline(text, dict(bindings or {}))
        try:
            if _SERVICE.search(text):  # pyoxigraph's SERVICE calls have no timeout: wait for it
                return _within(self.timeout, lambda: ds.query(text), origin)
            return ds.query(text)
        except StoreError:
            raise
        except SyntaxError as e:  # Oxigraph's error for bad SPARQL
            raise InputError(f"{origin}: not valid SPARQL: {_first_line(e)}") from None
        except Exception as e:
            if _SERVICE.search(text):
                raise StoreError(f"{origin}: a SERVICE call failed: {_first_line(e)}") from None
            raise InputError(f"{origin}: not valid SPARQL: {_first_line(e)}") from None

    def close(self) -> None:
        self._ds = None
        del self.inner


class SparqlStore(GraphStore):
    def __init__(self, spec: StoreSpec, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.spec = spec
        self.url = spec.location
        self.timeout = timeout
        self._ds: Dataset | None = None
        self._default_graphs: list[str] | None = None

    def query(self, text: str, bindings: Mapping[str, Node] | None = None,
              origin: str = "query") -> Result:
        return self._remote(prepare_inline(text, dict(bindings or {})), origin)

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

    def _remote(self, text: str, origin: str, union: bool = True) -> Result:
        from SPARQLWrapper import SPARQLWrapper

        client = SPARQLWrapper(self.url, agent="policy-kg")
        client.setTimeout(int(self.timeout))
        client.setMethod("POST")  # form-encoded: Virtuoso 7.2 never answers a sparql-query body
        client.setQuery(text)
        user = os.environ.get(USER_ENV)
        if user:
            client.setCredentials(user, os.environ.get(PASSWORD_ENV, ""))
        if union:
            for g in self.default_graphs():
                client.addDefaultGraph(g)
        construct = client.queryType in ("CONSTRUCT", "DESCRIBE")
        client.setReturnFormat("n3" if construct else "json")
        if construct:
            client.addParameter("format", "text/turtle")  # Virtuoso's name for Accept
        body = self._send(client, origin)
        if construct:
            out = Result("CONSTRUCT")
            out.graph = Graph().parse(data=body.decode("utf-8"), format="turtle")
            return out
        try:
            return Result.parse(io.BytesIO(body), format="json")
        except Exception as e:
            raise StoreError(f"{self.spec}: {origin}: the server's answer is not SPARQL JSON "
                             f"results: {_first_line(e)}") from None

    def _send(self, client, origin: str) -> bytes:
        from urllib.error import HTTPError, URLError

        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        try:
            response = client.query().response
            return response.read()
        except SPARQLWrapperException as e:
            msg = _first_line(e)
            detail = str(e).partition("Response:")[2].strip().strip("b'\"")
            if detail:  # the server's own words, which say what it did not like
                msg += " " + " ".join(detail.replace("\\n", " ").split())[:300]
            if "QueryBadFormed" in type(e).__name__ or "bad formed" in msg.lower():
                raise InputError(f"{origin}: the server refused the query: {msg}") from None
            raise StoreError(f"{self.spec}: {origin}: {msg}") from None
        except HTTPError as e:
            raise StoreError(f"{self.spec}: {origin}: HTTP {e.code} {e.reason}") from None
        except (URLError, OSError) as e:
            reason = getattr(e, "reason", e)
            raise StoreError(f"{self.spec}: {origin}: cannot reach the server "
                             f"({_first_line(reason)}; timeout {self.timeout:g} s)") from None

    def default_graphs(self) -> list[str]:
        """Servers differ on the default graph: if it is empty while named graphs hold data,
        name them all as the default graph (the protocol's default-graph-uri)."""
        if self._default_graphs is None:
            self._default_graphs = []
            union = self._remote("ASK { ?s ?p ?o }", "checking the default graph", union=False)
            if not union.askAnswer:
                rows = self._remote("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                                    "listing the named graphs", union=False)
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


@contextmanager
def _socket_timeout(seconds: float) -> Iterator[None]:
    """Sockets opened without a timeout of their own get this one, for the block only."""
    old = socket.getdefaulttimeout()
    socket.setdefaulttimeout(seconds)
    try:
        yield
    finally:
        socket.setdefaulttimeout(old)


def _within(seconds: float, run: Callable[[], Result], origin: str) -> Result:
    """Run in a daemon thread and give up after `seconds` (the thread ends with the process)."""
    out: dict[str, object] = {}

    def target() -> None:
        try:
            out["result"] = run()
        except Exception as e:
            out["error"] = e

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise StoreError(f"{origin}: a SERVICE call did not answer within {seconds:g} s")
    if "error" in out:
        raise out["error"]  # type: ignore[misc]
    return out["result"]  # type: ignore[return-value]


def _reason(e: OSError) -> str:
    return _first_line(getattr(e, "reason", None) or e)


def _first_line(e: object) -> str:
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__

