"""`kg load`: put a built graph into a store, named graph by named graph.

Loading replaces each named graph the file holds and leaves the store's other graphs alone, so
loading the same build twice gives the same store (blank nodes are not duplicated). An Oxigraph
store is written all or nothing, whatever moment the load fails or is killed: on a copy that
then takes the store's place (kg/store/swap.py), under the store's exclusive lock, so that no
kg process reads it meanwhile (kg/store/lock.py). A server gets one Graph Store Protocol PUT per
graph, or SPARQL Update requests (DROP, then INSERT DATA in chunks that keep blank nodes
together): a failure leaves the earlier graphs in place.
"""

from __future__ import annotations

import os
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.error import HTTPError, URLError

from rdflib import BNode, Graph, URIRef

from kg.errors import InputError, StoreError
from kg.store.atomic import write_atomic
from kg.store.base import DEFAULT_TIMEOUT, PASSWORD_ENV, USER_ENV, StoreSpec
from kg.store.files import FORMATS, NO_FILE, load_dataset, write_with_oxigraph
from kg.store.lock import lock_store
from kg.store.swap import rewrite


@dataclass(frozen=True, slots=True)
class Loaded:
    graph: str
    triples: int


def load(spec: StoreSpec, graph_file: Path, *, graph_store: str | None = None,
         update: str | None = None, timeout: float = DEFAULT_TIMEOUT,
         wait: float = 0.0) -> list[Loaded]:
    if spec.kind == "memory":
        raise InputError("the memory store reads the graph file itself: nothing to load "
                         "(use --store oxigraph:PATH or --store sparql:URL)")
    if spec.kind == "oxigraph" and graph_file.suffix in _OXIGRAPH_FORMATS:
        return _load_oxigraph_file(Path(spec.location), graph_file, wait)
    ds = load_dataset(graph_file)
    graphs = [(g.identifier, g) for g in ds.graphs() if len(g)]
    unnamed = [name for name, _ in graphs if not isinstance(name, URIRef)]
    if unnamed:
        raise InputError(f"{graph_file}: holds triples outside named graphs; kg load keeps "
                         "named graphs only")
    if spec.kind == "oxigraph":
        return _load_oxigraph(Path(spec.location), graphs, wait)
    target = _endpoints(spec.location, graph_store, update)
    return [_send_graph(target, name, g, timeout) for name, g in graphs]


def replace_graph(spec: StoreSpec, name: URIRef, g: Graph, *, graph_store: str | None = None,
                  update: str | None = None, timeout: float = DEFAULT_TIMEOUT,
                  wait: float = 0.0) -> Loaded:
    """Put one named graph into a store in place of the graph of that name, the store's other
    graphs unchanged. The memory store is its graph file: rewritten whole (temp file, then
    rename), in its own format."""
    if spec.kind == "memory":
        return _rewrite_file(Path(spec.location), name, g)
    if spec.kind == "oxigraph":
        return _load_oxigraph(Path(spec.location), [(name, g)], wait,
                              "write the link graph into it")[0]
    return _send_graph(_endpoints(spec.location, graph_store, update), name, g, timeout)


def _rewrite_file(path: Path, name: URIRef, g: Graph) -> Loaded:
    fmt = FORMATS.get(path.suffix)
    if fmt not in ("trig", "nquads"):
        raise InputError(f"{path}: a {path.suffix or 'suffix-less'} file holds no named graphs; "
                         "use a .trig or .nq graph file")
    ds = load_dataset(path)
    ds.remove_graph(ds.graph(name))
    target = ds.graph(name)
    for triple in g:
        target.add(triple)
    data = write_with_oxigraph(ds, fmt, dict(ds.namespaces()))
    if data is None:  # a term Oxigraph refuses: rdflib writes it
        data = ds.serialize(format=fmt, encoding="utf-8")
    write_atomic(path, lambda tmp: tmp.write_bytes(data))
    return Loaded(str(name), len(g))


_OXIGRAPH_FORMATS = {".trig": "TRIG", ".nq": "N_QUADS"}


def _load_oxigraph_file(path: Path, graph_file: Path, wait: float) -> list[Loaded]:
    """TriG or N-Quads straight into Oxigraph, without rdflib: a graph of tens of millions of
    quads loads in minutes and in little memory (docs/stores-bench.md). The file is read twice:
    once for the names of its graphs (and its errors, before the store is touched), then by the
    bulk loader, into a copy of the store that replaces it whole (kg/store/swap.py)."""
    import pyoxigraph as ox

    if not graph_file.is_file():
        raise InputError(f"{graph_file}: {NO_FILE}")
    fmt = getattr(ox.RdfFormat, _OXIGRAPH_FORMATS[graph_file.suffix])
    counts: dict[ox.NamedNode, int] = {}
    try:
        for quad in ox.parse(path=graph_file, format=fmt):
            if not isinstance(quad.graph_name, ox.NamedNode):
                raise InputError(f"{graph_file}: holds triples outside named graphs; kg load "
                                 "keeps named graphs only")
            counts[quad.graph_name] = counts.get(quad.graph_name, 0) + 1
    except SyntaxError as e:
        raise InputError(f"{graph_file}: cannot parse: {str(e).splitlines()[0]}") from None

    def fill(store: ox.Store) -> None:
        for name in counts:
            store.clear_graph(name)
        # Not atomic, and need not be: a copy killed half-way is never put in place.
        store.bulk_load(path=graph_file, format=fmt)

    rewrite_oxigraph(path, fill, [name.value for name in counts], wait, "load into it")
    return [Loaded(name.value, n) for name, n in counts.items()]


def _load_oxigraph(path: Path, graphs: list[tuple[URIRef, Graph]], wait: float,
                   purpose: str = "load into it") -> list[Loaded]:
    import pyoxigraph as ox

    def fill(store: ox.Store) -> None:
        for name, g in graphs:
            node = ox.NamedNode(str(name))
            store.clear_graph(node)
            store.load(g.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES,
                       to_graph=node)

    rewrite_oxigraph(path, fill, [str(name) for name, _ in graphs], wait, purpose)
    return [Loaded(str(name), len(g)) for name, g in graphs]


def rewrite_oxigraph(path: Path, fill: Callable[..., None], graphs: list[str], wait: float,
                      purpose: str) -> None:
    """Under the store's exclusive lock: no kg process reads it meanwhile, and the copy that
    replaces it holds either all of `fill` (which replaces `graphs`) or none of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = lock_store(path, exclusive=True, wait=wait, purpose=purpose)
    try:
        rewrite(path, fill, graphs)
    finally:
        lock.release()


@dataclass(frozen=True, slots=True)
class _Target:
    graph_store: str | None
    update: str | None


def _endpoints(query_url: str, graph_store: str | None, update: str | None) -> _Target:
    """The URLs to write to. Without either option, an Oxigraph-style server is assumed:
    …/query answers queries, …/store takes graphs (the Graph Store Protocol)."""
    if graph_store or update:
        return _Target(graph_store, update)
    if query_url.rstrip("/").endswith("/query"):
        return _Target(query_url.rstrip("/").removesuffix("/query") + "/store", None)
    raise InputError(f"sparql:{query_url}: say where to write: --graph-store URL (Graph Store "
                     "Protocol) or --update URL (SPARQL Update)")


UPDATE_CHUNK = 4000  # triples per INSERT DATA: Virtuoso 7.2 runs out of memory near 4,900


def _send_graph(target: _Target, name: URIRef, g: Graph, timeout: float) -> Loaded:
    if target.graph_store:
        sep = "&" if "?" in target.graph_store else "?"
        url = f"{target.graph_store}{sep}graph={urllib.parse.quote(str(name), safe='')}"
        body = g.serialize(format="nt", encoding="utf-8")
        _send(urllib.request.Request(url, data=body, method="PUT",
                                     headers={"Content-Type": "application/n-triples"}),
              name, timeout)
        return Loaded(str(name), len(g))
    assert target.update is not None
    for i, chunk in enumerate(_chunks(g, UPDATE_CHUNK)):
        part = Graph()
        for triple in chunk:
            part.add(triple)
        triples = part.serialize(format="nt", encoding="utf-8").decode("utf-8")
        # INSERT DATA may hold blank nodes, but Virtuoso 7.2 refuses them there: a template
        # with an empty WHERE makes them fresh, as INSERT DATA would, on every server
        insert = ("INSERT {{ GRAPH <{g}> {{\n{t}}} }} WHERE {{}}" if "_:" in triples
                  else "INSERT DATA {{ GRAPH <{g}> {{\n{t}}} }}").format(g=name, t=triples)
        text = (f"DROP SILENT GRAPH <{name}> ;\n" if i == 0 else "") + insert
        _send(urllib.request.Request(
            target.update, data=text.encode("utf-8"), method="POST",
            headers={"Content-Type": "application/sparql-update; charset=utf-8"}), name, timeout)
    return Loaded(str(name), len(g))


def _chunks(g: Graph, size: int) -> list[list[tuple]]:
    """The triples in chunks of about `size`, the triples that share a blank node always in the
    same chunk: a blank node is new in each request, so splitting them would break the graph."""
    parent: dict[BNode, BNode] = {}

    def root(b: BNode) -> BNode:
        while parent.setdefault(b, b) != b:
            b = parent[b]
        return b

    triples = sorted(g)
    for s, _, o in triples:
        if isinstance(s, BNode) and isinstance(o, BNode):
            parent[root(s)] = root(o)
    groups: dict[object, list[tuple]] = {}
    for i, (s, p, o) in enumerate(triples):
        b = s if isinstance(s, BNode) else o if isinstance(o, BNode) else None
        groups.setdefault(root(b) if b is not None else i, []).append((s, p, o))
    out: list[list[tuple]] = [[]]
    for group in groups.values():
        if out[-1] and len(out[-1]) + len(group) > size:
            out.append([])
        out[-1].extend(group)
    return out


def _send(request: urllib.request.Request, name: URIRef, timeout: float) -> None:
    try:
        with _opener(request.full_url).open(request, timeout=timeout) as response:
            response.read()
    except HTTPError as e:
        detail = e.read(300).decode("utf-8", "replace").strip().splitlines()
        raise StoreError(f"{request.full_url}: HTTP {e.code} {e.reason} while loading <{name}>"
                         + (f": {detail[0]}" if detail else "")) from None
    except (URLError, OSError) as e:
        raise StoreError(f"{request.full_url}: cannot reach the server "
                         f"({getattr(e, 'reason', e)}; timeout {timeout:g} s)") from None


def _opener(url: str) -> urllib.request.OpenerDirector:
    """Credentials come from the environment, never the command line (shell history)."""
    user = os.environ.get(USER_ENV)
    if not user:
        return urllib.request.build_opener()
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, url, user, os.environ.get(PASSWORD_ENV, ""))
    return urllib.request.build_opener(urllib.request.HTTPBasicAuthHandler(passwords),
                                       urllib.request.HTTPDigestAuthHandler(passwords))

