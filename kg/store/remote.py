"""`sparql:URL`: any SPARQL 1.1 server's query endpoint, through SPARQLWrapper. Queries run on
the server; commands that walk the graph in Python (stats, export, analyze, viz, validate) read
its quads once, with one query."""

from __future__ import annotations

import io
import os
from collections.abc import Mapping

from rdflib import Dataset, Graph
from rdflib.plugins.stores.memory import Memory
from rdflib.query import Result, ResultException
from rdflib.term import Node

from kg.errors import InputError, StoreError, first_line
from kg.iris import id_base
from kg.sparql.params import prepare_inline, uses_service
from kg.store import http as bounded
from kg.store.base import DEFAULT_TIMEOUT, PASSWORD_ENV, USER_ENV, GraphStore, StoreSpec
from kg.store.http import Deadline, Limits

# What rdflib's JSON results reader raises on an answer that is not SPARQL JSON results: bad
# bytes or JSON (ValueError), no head or results (ResultException), a value of the wrong type
# (TypeError, KeyError), an unknown term type (NotImplementedError).
_NOT_JSON_RESULTS = (ValueError, KeyError, TypeError, ResultException, NotImplementedError)


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
        if limits.deadline is None and uses_service(text):  # the server's calls may drip
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
            try:
                out.graph = Graph().parse(data=body.decode("utf-8"), format="turtle")
            except (UnicodeDecodeError, SyntaxError) as e:  # rdflib's BadSyntax is one
                raise StoreError(f"{self.spec}: {origin}: the server's answer is not Turtle: "
                                 f"{first_line(e)}") from e
            return out
        try:
            return Result.parse(io.BytesIO(body), format="json")
        except _NOT_JSON_RESULTS as e:
            raise StoreError(f"{self.spec}: {origin}: the server's answer is not SPARQL JSON "
                             f"results: {first_line(e)}") from e

    def _send(self, client, origin: str, limits: Limits) -> bytes:
        """SPARQLWrapper builds the request (method, encoding, Accept, credentials); it is sent
        and read here, with our own opener, so that `limits` hold (kg/store/http.py)."""
        from urllib.error import URLError

        request = client._createRequest()
        try:
            return bounded.read(request, limits, self.timeout).body
        except bounded.Refused as e:
            raise self._refusal(e, origin) from None
        except (URLError, OSError) as e:
            reason = getattr(e, "reason", e)
            raise StoreError(f"{self.spec}: {origin}: cannot reach the server "
                             f"({first_line(reason)}; timeout {self.timeout:g} s)") from None

    def _refusal(self, e: bounded.Refused, origin: str) -> InputError:
        """An HTTP error status, named and worded as SPARQLWrapper names it."""
        from SPARQLWrapper import SPARQLExceptions as sw

        named = {400: sw.QueryBadFormed, 401: sw.Unauthorized, 404: sw.EndPointNotFound,
                 414: sw.URITooLong, 500: sw.EndPointInternalError}.get(e.code)
        if named is None:
            return StoreError(f"{self.spec}: {origin}: {e}")
        error = named(e.detail)
        msg = first_line(error)
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
