"""Graph files: reading a built graph back (the in-process store), and writing one as TriG,
N-Quads or Turtle by Oxigraph."""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from kg.errors import InputError
from kg.ontology import CONTEXT_IRI, local_context

NO_FILE = "no such graph file (`kg build --trig` or `kg export graph --out FILE` writes one)"
FORMATS = {".trig": "trig", ".nq": "nquads", ".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld"}


def load_dataset(path: Path) -> Dataset:
    if not path.is_file():
        raise InputError(f"{path}: {NO_FILE}")
    fmt = FORMATS.get(path.suffix)
    if fmt is None:
        raise InputError(f"{path}: unknown graph format (expected one of {', '.join(FORMATS)})")
    if fmt in _OXIGRAPH_READS:
        read = read_with_oxigraph(path, fmt)
        if read is not None:
            return read
    ds = Dataset()
    try:
        if fmt == "json-ld":  # a `kg export graph` JSON-LD names its context by an IRI: not fetched
            ds = parse_jsonld(path.read_text(encoding="utf-8"))
        else:
            ds.parse(path, format=fmt)
    except Exception as e:  # rdflib raises many parser-specific types
        raise InputError(f"{path}: cannot parse as {fmt}: {str(e).splitlines()[0]}") from None
    return ds


# The dataset formats Oxigraph parses for us (its names in pyoxigraph.RdfFormat). Not Turtle or
# N-Triples: rdflib puts their triples into a graph named after the file, Oxigraph into none.
_OXIGRAPH_READS = {"trig": "TRIG", "nquads": "N_QUADS"}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def read_with_oxigraph(path: Path, fmt: str) -> Dataset | None:
    """The file's quads parsed by Oxigraph and put into an rdflib Dataset: the Dataset rdflib's
    parser makes (its terms, graphs and the file's prefixes), in 0.40 of its CPU seconds (the
    article's graph.trig, 48,914 quads, 2026-12-07). None where Oxigraph
    does not read the file (a syntax error, a relative IRI, a quoted triple): rdflib reads it
    then, and words the error as it always has."""
    import pyoxigraph as ox

    terms, graphs = _RdflibTerms(), _RdflibGraphs(Dataset())
    try:
        quads = ox.parse(path=path, format=getattr(ox.RdfFormat, _OXIGRAPH_READS[fmt]))
        # into the store itself: Dataset.addN makes a new Graph object for each quad's graph
        graphs.ds.store.addN((terms(q.subject), terms(q.predicate), terms(q.object),
                              graphs(q.graph_name)) for q in quads)
        prefixes = quads.prefixes
    except (SyntaxError, ValueError, OSError):
        return None
    for prefix, namespace in prefixes.items():  # bound as rdflib's parser binds them
        graphs.ds.bind(prefix, namespace)
    return graphs.ds


class _RdflibGraphs:
    """A quad's graph name → the graph of `ds` it goes into (the default graph for none)."""

    def __init__(self, ds: Dataset) -> None:
        self.ds = ds
        self._graphs: dict[object, Graph] = {}

    def __call__(self, name) -> Graph:
        import pyoxigraph as ox

        if name not in self._graphs:
            self._graphs[name] = (self.ds.graph(URIRef(name.value))
                                  if isinstance(name, ox.NamedNode) else self.ds.default_graph)
        return self._graphs[name]


class _RdflibTerms:
    """Oxigraph's terms as rdflib's parser makes them: each file blank node a fresh rdflib one
    (two files read into one process never share one), a simple literal without a datatype."""

    def __init__(self) -> None:
        self._made: dict[object, Node] = {}

    def __call__(self, term) -> Node:
        made = self._made.get(term)
        if made is None:
            made = self._made[term] = self._convert(term)
        return made

    @staticmethod
    def _convert(term) -> Node:
        import pyoxigraph as ox

        if isinstance(term, ox.NamedNode):
            return URIRef(term.value)
        if isinstance(term, ox.BlankNode):
            return BNode()
        if isinstance(term, ox.Literal):
            if term.language:
                return Literal(term.value, lang=term.language)
            datatype = term.datatype.value
            return Literal(term.value,
                           datatype=None if datatype == _XSD_STRING else URIRef(datatype))
        raise ValueError(f"not an RDF 1.1 term: {term}")  # a quoted triple: rdflib reads it


def parse_jsonld(text: str) -> Dataset:
    """Read an export back with the local context in place of its IRI (which is not fetched)."""
    doc = json.loads(text)
    if doc.get("@context") == CONTEXT_IRI:
        doc["@context"] = local_context()
    ds = Dataset()
    ds.parse(data=json.dumps(doc, ensure_ascii=False), format="json-ld")
    return ds


# The formats Oxigraph writes for us (its names in pyoxigraph.RdfFormat); JSON-LD stays with
# rdflib, which compacts it with our context. Turtle holds triples: the union of the graphs.
_OXIGRAPH_WRITES = {"trig": "TRIG", "nquads": "N_QUADS", "turtle": "TURTLE"}


def write_with_oxigraph(ds: Dataset, fmt: str, prefixes: Mapping[str, str]) -> bytes | None:
    """`ds` as TriG, N-Quads or Turtle (the union of its graphs), written by Oxigraph: the same
    quads as rdflib's writers give, in a fraction of the time (the article's graph as TriG:
    0.15 of rdflib's CPU seconds, conversion included, 2026-12-07). The quads are sorted and
    the blank nodes labelled from what surrounds them, so one graph gives the same bytes in
    every process (rdflib's labels are random). None for a format Oxigraph does not write
    for us, or a term it refuses (an IRI with a space, a quoted triple): rdflib writes it
    then."""
    import pyoxigraph as ox

    if fmt not in _OXIGRAPH_WRITES:
        return None
    # graph by graph: Dataset.quads looks up each triple's graphs, 3 times slower
    quads = [(s, p, o, g.identifier) for g in ds.graphs() for s, p, o in g]
    terms = _OxigraphTerms(_blank_labels(quads))
    try:
        if fmt == "turtle":  # sorted by the terms' N-Triples text: the same order every time
            rows = sorted({(terms(s), terms(p), terms(o)) for s, p, o, _ in quads})
            items = [ox.Triple(s[1], p[1], o[1]) for s, p, o in rows]
        else:
            rows = sorted({(terms.graph(g), terms(s), terms(p), terms(o))
                           for s, p, o, g in quads})
            items = [ox.Quad(s[1], p[1], o[1], g[1]) for g, s, p, o in rows]
    except ValueError:
        return None
    return ox.serialize(items, format=getattr(ox.RdfFormat, _OXIGRAPH_WRITES[fmt]),
                        prefixes=_used(prefixes, terms.iris()) or None)


def _used(prefixes: Mapping[str, str], iris: Iterable[str]) -> dict[str, str]:
    """The prefixes that begin one of `iris` and leave a plain local name wherever they do.
    Oxigraph declares every prefix it is given, rdflib (and the reader) only the ones the
    graph uses; and Oxigraph would write pkgid:province\\/440000 with a backslash, which is
    valid TriG but which rdflib never writes and some readers refuse: such IRIs stay whole."""
    iris = list(iris)
    used = {}
    for prefix, namespace in prefixes.items():
        namespace = str(namespace)
        locals_ = [iri[len(namespace):] for iri in iris if iri.startswith(namespace)]
        if locals_ and all(_PLAIN_LOCAL.fullmatch(local) for local in locals_):
            used[prefix] = namespace
    return used


# a local name that needs no backslash: letters (any script), digits, _ - . (not last) and :
_PLAIN_LOCAL = re.compile(r"(?:[^\W][\w\-.:]*)?(?<!\.)")


class _OxigraphTerms:
    """rdflib's terms as Oxigraph's, each with the text it sorts by (its N-Triples form), each
    blank node under the label it was given."""

    def __init__(self, blank_labels: Mapping[BNode, str]) -> None:
        self._labels = blank_labels
        self._made: dict[Node, tuple[str, object]] = {}

    def __call__(self, term: Node) -> tuple[str, object]:
        made = self._made.get(term)
        if made is None:
            converted = self._convert(term)
            made = self._made[term] = (str(converted), converted)
        return made

    def iris(self) -> list[str]:
        """Every IRI converted so far."""
        return [str(term) for term in self._made if isinstance(term, URIRef)]

    def graph(self, name: Node) -> tuple[str, object]:
        import pyoxigraph as ox

        return ("", ox.DefaultGraph()) if name == DATASET_DEFAULT_GRAPH_ID else self(name)

    def _convert(self, term: Node):
        import pyoxigraph as ox

        if isinstance(term, URIRef):
            return ox.NamedNode(str(term))
        if isinstance(term, BNode):
            return ox.BlankNode(self._labels[term])
        if isinstance(term, Literal):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            datatype = ox.NamedNode(str(term.datatype)) if term.datatype else None
            return ox.Literal(str(term), datatype=datatype)
        raise ValueError(f"not an RDF 1.1 term: {term!r}")


def _blank_labels(quads: Iterable[tuple[Node, Node, Node, Node]]) -> dict[BNode, str]:
    """Each blank node's label (b0, b1 …) by its place among the others, ordered by a hash of
    the quads around it, refined (as Weisfeiler-Lehman does) by the hashes of the blank nodes
    next to it until no more are told apart. rdflib's own labels are random per process, so
    ordering by them would give other bytes each time. Two nodes no hash tells apart are
    interchangeable in all but pathological graphs: either order writes the same quads."""
    around: dict[BNode, list[tuple[Node, ...]]] = defaultdict(list)
    for s, p, o, g in quads:
        if isinstance(s, BNode) or isinstance(o, BNode) or isinstance(g, BNode):
            for term in {s, o, g}:
                if isinstance(term, BNode):
                    around[term].append((s, p, o, g))
    colours = {b: "" for b in around}
    distinct = 1 if around else 0
    while True:
        colours = {b: _colour(b, qs, colours) for b, qs in around.items()}
        if len(set(colours.values())) == distinct:
            break
        distinct = len(set(colours.values()))
    ordered = sorted(around, key=colours.__getitem__)  # stable: ties keep their first order
    return {b: f"b{i}" for i, b in enumerate(ordered)}


def _colour(node: BNode, quads: list[tuple[Node, ...]], colours: Mapping[BNode, str]) -> str:
    def text(term: Node) -> str:
        if term == node:
            return "_:self"
        return f"_:{colours[term]}" if isinstance(term, BNode) else term.n3()

    lines = sorted(" ".join(text(t) for t in quad) for quad in quads)
    return hashlib.sha256("\n".join([colours[node], *lines]).encode("utf-8")).hexdigest()
