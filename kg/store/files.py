"""Reading a built graph back (the in-process store)."""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import BNode, Dataset, Graph, Literal, URIRef
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
    parser makes (its terms, graphs and the file's prefixes), in about half the time (the
    article's graph.trig, 80k quads: 0.55 of rdflib's parse, 2026-12-07). None where Oxigraph
    does not read the file (a syntax error, a relative IRI, a quoted triple): rdflib reads it
    then, and words the error as it always has."""
    import pyoxigraph as ox

    terms, graphs = _RdflibTerms(), _RdflibGraphs(Dataset())
    try:
        quads = ox.parse(path=path, format=getattr(ox.RdfFormat, _OXIGRAPH_READS[fmt]))
        graphs.ds.addN((terms(q.subject), terms(q.predicate), terms(q.object),
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
