"""One SPARQL request answered against a store: checked, run, cut to the row limit and written
in the negotiated format. kg/serve/executor.py calls `answer` in a child process per request, so
nothing here needs to watch the clock.

Checks, before anything runs: the text nests no deeper than kg/sparql/shape.py allows (rdflib
recurses per level); it parses (rdflib's SPARQL 1.1 parser, whatever the store); every prefix
is declared; no SERVICE outside the allow-list (a client must not make the server call any
URL); no FROM, FROM NAMED, USING or LOAD (the dataset is the served graph, and rdflib would
fetch those IRIs from the web). IRIs are compared as rdflib resolves them (prefixed names,
BASE), so `SERVICE e:s` is the same as `SERVICE <http://x/s>`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Literal

from pyparsing import ParseException
from rdflib import Dataset, Graph, URIRef
from rdflib.plugins.sparql.algebra import translatePrologue, translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Prologue
from rdflib.query import Result

from kg.errors import InputError, first_line
from kg.serve.negotiate import GRAPHS, RESULTS, Format, choose
from kg.sparql.engine_errors import engine_refused
from kg.sparql.results import as_tsv
from kg.sparql.shape import shape_problem
from kg.store.base import GraphStore
from kg.store.memory import MemoryStore
from kg.store.oxigraph import OxigraphStore

Quad = tuple[Any, Any, Any, Any]
TRUNCATED_HEADER = "X-SPARQL-MaxRows"  # Virtuoso's name for "cut at this many rows"


class Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True, slots=True)
class Request:
    kind: Literal["query", "update"]
    text: str
    accept: str | None = None
    format: str | None = None
    max_rows: int = 10_000
    allow_service: frozenset[str] = frozenset()


@dataclass(slots=True)
class Answer:
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    # A memory-store update: the quads the server process must remove and add (in this order).
    removed: list[Quad] = field(default_factory=list)
    added: list[Quad] = field(default_factory=list)
    # For the server's stderr, never sent: the traceback of a failed query process.
    log: str = ""


def text_answer(status: int, message: str) -> Answer:
    return Answer(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode())


def answer(store: GraphStore, req: Request) -> Answer:
    try:
        if req.kind == "update":
            return _update(store, req)
        return _query(store, req)
    except Refused as e:
        return text_answer(e.status, str(e))
    except InputError as e:
        return text_answer(400, str(e))
    except RecursionError:  # past kg/sparql/shape.py's limits, e.g. a long flat triple block
        return text_answer(400, "the query is too large for the SPARQL engine: rdflib recurses "
                                "once per nested or chained part (group, OPTIONAL, UNION, triple "
                                "pattern); split it")
    except Exception as e:  # the engine refused the query as it ran: one line for the client
        if not engine_refused(e):
            raise  # a bug: kg/serve/executor.py answers 500 and logs its traceback
        return text_answer(500, f"the query failed: {type(e).__name__}: {first_line(e)}")


def _refuse_deep(text: str) -> None:
    problem = shape_problem(text)
    if problem:
        raise Refused(400, problem)


def _query(store: GraphStore, req: Request) -> Answer:
    _refuse_deep(req.text)
    try:
        parsed = parseQuery(req.text)
    except ParseException as e:
        raise Refused(400, f"not valid SPARQL: {e}") from None
    check(parsed, req.allow_service)
    form = parsed[1].name  # SelectQuery, AskQuery, ConstructQuery, DescribeQuery
    offered = GRAPHS if form in ("ConstructQuery", "DescribeQuery") else (
        RESULTS[:2] if form == "AskQuery" else RESULTS)
    fmt = choose(offered, req.accept, req.format)
    if fmt is None:
        asked = f"format={req.format}" if req.format else f"Accept: {req.accept}"
        raise Refused(406, f"{asked}: the answer to {form[:-5].upper()} can be sent as "
                           + ", ".join(f.media for f in offered))
    if isinstance(store, MemoryStore):  # already parsed: do not parse twice
        ds = store.dataset()
        ds.default_union = True
        result = ds.query(translateQuery(parsed))
    else:
        result = store.query(req.text)
    return _serialize(result, fmt, req.max_rows)


def _serialize(result: Result, fmt: Format, max_rows: int) -> Answer:
    headers: dict[str, str] = {}
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        graph = result.graph
        if len(graph) > max_rows:
            cut = Graph(namespace_manager=graph.namespace_manager)
            for t in islice(graph, max_rows):
                cut.add(t)
            graph, headers[TRUNCATED_HEADER] = cut, str(max_rows)
        body = graph.serialize(format=fmt.serializer, encoding="utf-8")
    elif result.type == "ASK":
        body = result.serialize(format=fmt.serializer, encoding="utf-8")
    else:
        rows = list(islice(result, max_rows + 1))  # rdflib stops the work at the limit
        if len(rows) > max_rows:
            rows, headers[TRUNCATED_HEADER] = rows[:max_rows], str(max_rows)
        cut = Result("SELECT")
        cut.vars = result.vars
        cut.bindings = [{v: t for v, t in zip(result.vars or [], row, strict=True)
                         if t is not None} for row in rows]
        body = (as_tsv(cut).encode("utf-8") if fmt.serializer == "tsv"
                else cut.serialize(format=fmt.serializer, encoding="utf-8"))
    text = fmt.media.startswith("text/") or fmt.media.endswith("json")
    return Answer(200, fmt.media + ("; charset=utf-8" if text else ""), body or b"", headers)


def _update(store: GraphStore, req: Request) -> Answer:
    _refuse_deep(req.text)
    try:
        parsed = parseUpdate(req.text)
    except ParseException as e:
        raise Refused(400, f"not valid SPARQL Update: {e}") from None
    check(parsed, req.allow_service)
    if isinstance(store, OxigraphStore):
        return _oxigraph_update(store, req.text)
    if not isinstance(store, MemoryStore):
        raise Refused(501, f"{store.spec}: kg serve applies updates to memory and oxigraph "
                           "stores only")
    ds = store.dataset()
    before = _quads(ds)
    # The default graph of an update is the dataset's own default graph (as in Oxigraph), not
    # the union: rdflib cannot insert into the union view.
    ds.default_union = False
    ds.update(req.text)
    after = _quads(ds)
    removed, added = sorted(before - after, key=str), sorted(after - before, key=str)
    return Answer(200, "text/plain; charset=utf-8",
                  f"update applied: {len(added)} triples added, {len(removed)} removed\n"
                  .encode(), removed=removed, added=added)


def _oxigraph_update(store: OxigraphStore, text: str) -> Answer:
    import pyoxigraph

    writable = pyoxigraph.Store(store.spec.location)  # the server serialises writers
    before = len(writable)
    try:
        writable.update(text)
    except SyntaxError as e:
        raise Refused(400, f"not valid SPARQL Update: {first_line(e)}") from None
    writable.flush()
    delta = len(writable) - before
    return text_answer(200, f"update applied: {delta:+d} quads in {store.spec}")


def _quads(ds: Dataset) -> set[Quad]:
    return set(ds.quads((None, None, None, None)))


def check(parsed: Any, allow_service: frozenset[str]) -> None:
    """Refuse what would make the server reach beyond the served graph, and undeclared
    prefixes (rdflib would fail on them only later, as if the engine had failed)."""
    for prologue, part in _with_prologues(parsed):
        for node in _walk(part):
            _check_node(node, prologue, allow_service)


def _check_node(node: CompValue, prologue: Prologue, allow_service: frozenset[str]) -> None:
    # Attributes, not CompValue.get: get(key) of a missing key returns the key's own name.
    if node.name == "pname" and _resolve(node, prologue) is None:
        prefix = node.prefix or ""
        raise Refused(400, f"{_show(node, prologue)}: the prefix {prefix}: is not declared "
                           f"(add PREFIX {prefix}: <…>)")
    if node.name == "ServiceGraphPattern":
        term = node.term
        iri = _resolve(term, prologue)
        if not isinstance(iri, URIRef) or str(iri) not in allow_service:
            allowed = ", ".join(sorted(allow_service)) or "none"
            raise Refused(403, f"SERVICE {_show(term, prologue)}: this endpoint calls only the "
                               f"services given with --allow-service (allowed: {allowed})")
    elif node.name in ("DatasetClause", "UsingClause"):
        clause = "FROM" if node.name == "DatasetClause" else "USING"
        named = node.named is not None
        term = node.named if named else node.default
        raise Refused(400, f"{clause}{' NAMED' if named else ''} {_show(term, prologue)}: not "
                           "supported; the default graph is the union of the named graphs (use "
                           "GRAPH <…> { … } for one of them)")
    elif node.name == "Load":
        raise Refused(403, f"LOAD {_show(node.iri, prologue)}: this endpoint fetches no "
                           "URLs")


def _with_prologues(parsed: Any) -> Iterator[tuple[Prologue, Any]]:
    """(the prologue in force, the part it applies to): a query has one; each operation of an
    update has its own, which adds to the ones before it (as rdflib's translateUpdate reads it)."""
    if isinstance(parsed, CompValue) and parsed.name == "Update":
        prologue = None
        for declarations, request in zip(parsed.prologue or [], parsed.request or [],
                                         strict=False):
            prologue = translatePrologue(declarations, None, prologue=prologue)
            yield prologue, request
    else:
        yield translatePrologue(parsed[0], None), parsed[1]


def _resolve(term: Any, prologue: Prologue) -> Any:
    """The IRI rdflib will use for a prefixed name (None if its prefix is not declared) or a
    relative IRI; any other term as it is."""
    if isinstance(term, CompValue) and term.name == "pname":
        namespace = prologue.namespace_manager.store.namespace(term.prefix or "")
        return None if namespace is None else URIRef(namespace + (term.localname or ""))
    if isinstance(term, URIRef):
        return prologue.absolutize(term)
    return term


def _walk(tree: Any) -> Iterator[CompValue]:
    """Every CompValue of a parse tree, without recursion (the tree may be deep)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            yield node
            stack.extend(reversed(list(node.values())))  # reversed: met in the text's order
        elif isinstance(node, list | tuple) or type(node).__name__ == "ParseResults":
            stack.extend(reversed(list(node)))


def _show(term: Any, prologue: Prologue | None = None) -> str:
    """A term as the client wrote it; a prefixed name with the IRI it stands for."""
    if isinstance(term, CompValue) and term.name == "pname":
        written = f"{term.prefix or ''}:{term.localname or ''}"
        iri = _resolve(term, prologue) if prologue else None
        return f"{written} (<{iri}>)" if iri is not None else written
    if isinstance(term, CompValue):  # never call CompValue.n3: its attributes default to None
        return term.name
    return term.n3() if hasattr(term, "n3") else str(term)

