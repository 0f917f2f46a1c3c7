"""Prefixed names for writing TriG and SHACL messages, in time proportional to the graph.

rdflib's NamespaceManager puts the namespace of every IRI it shortens (everything up to the
last `/` or `#`) into a trie whose levels it scans one key at a time. Our evidence IRIs each have
their own namespace (…/mention/doc/5-7/target, …/recommendation/doc/3/action/12/quote), so the
trie grows with the document and every new IRI scans it: serialising TriG and pySHACL's
messages grew with the square of the mentions (a 2 MB text: 500 million string comparisons,
half of a 36-minute build; RDFLib/rdflib#1752). This manager keeps no trie: an IRI's prefix is
the one bound to its namespace, looked up in a dict, as rdflib's is in every case this project
meets. What it gives up: a namespace bound inside a local name (…/city/45 for …/city/451300)
is not used; none is bound here.
"""

from __future__ import annotations

from rdflib import Graph, URIRef, Variable
from rdflib.namespace import NamespaceManager, split_uri

_NOT_IN_IRIS = frozenset('<>" {}|\\^`')  # rdflib refuses to shorten an IRI holding these


class FlatNamespaceManager(NamespaceManager):
    def __init__(self, graph: Graph, bind_namespaces: str = "rdflib") -> None:
        super().__init__(graph, bind_namespaces)  # type: ignore[arg-type]
        self._qnames: dict[str, tuple[str, URIRef, str]] = {}

    def normalizeUri(self, rdfTerm: str) -> str:  # rdflib names it so
        """`prefix:name`, or the N3 form `<…>` when the IRI's namespace has no prefix."""
        try:
            namespace, _ = split_uri(rdfTerm)
        except ValueError:
            namespace = None
        if namespace is None or self.store.prefix(URIRef(namespace)) is None:
            return f"?{rdfTerm}" if isinstance(rdfTerm, Variable) else f"<{rdfTerm}>"
        prefix, _, name = self.compute_qname(rdfTerm)
        return f"{prefix}:{name}"

    def compute_qname(self, uri: str, generate: bool = True) -> tuple[str, URIRef, str]:
        """(prefix, namespace, local name); with `generate`, an unbound namespace gets a new
        prefix ns1, ns2 … as in rdflib, else KeyError (the serializer then writes `<…>`)."""
        cached = self._qnames.get(uri)
        if cached is None:
            cached = self._qnames[uri] = self._qname(uri, generate)
        return cached

    def _qname(self, uri: str, generate: bool) -> tuple[str, URIRef, str]:
        if not _NOT_IN_IRIS.isdisjoint(uri):
            raise ValueError(f"{uri!r} does not look like a valid URI")
        try:
            namespace, name = split_uri(uri)
        except ValueError:
            prefix = self.store.prefix(URIRef(uri))  # the IRI may be a namespace itself
            if not prefix:
                raise
            return prefix, URIRef(uri), ""
        ns = URIRef(namespace)
        prefix = self.store.prefix(ns)
        if prefix is None:
            if not generate:
                raise KeyError(f"No known prefix for {ns} and generate=False")
            prefix = self._new_prefix()
            self.bind(prefix, ns)
        return prefix, ns, name

    def _new_prefix(self) -> str:
        n = 1
        while self.store.namespace(f"ns{n}") is not None:
            n += 1
        return f"ns{n}"


def use_flat_namespaces(graph: Graph) -> Graph:
    """Gives `graph` (a Graph or Dataset) a FlatNamespaceManager with the prefixes it has. They
    live in the graph's store, where its own manager binds rdflib's defaults (rdf, rdfs, xsd …)
    when first asked for: it is asked here, before it is replaced."""
    _ = graph.namespace_manager
    graph.namespace_manager = FlatNamespaceManager(graph, bind_namespaces="none")
    return graph
