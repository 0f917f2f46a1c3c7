"""What every store is: a `StoreSpec` (kind and location) and the `GraphStore` interface.

Every store answers `query()` with an rdflib `Result` and `dataset()` with an rdflib `Dataset`,
so the commands do not care where the graph is. The default graph is the union of the named
graphs on every store (docs/stores.md). The kinds themselves are in kg/store/registry.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, NamedTuple
from typing import Literal as Kind

from kg.errors import InputError, StoreError, first_line
from kg.sparql.engine_errors import engine_refused
from kg.sparql.params import prepare, uses_service
from kg.store.limits import DEFAULT_MAX_ANSWER_MB, MB, Deadline

if TYPE_CHECKING:  # the relay (an HTTP server) is loaded by the queries that call a SERVICE;
    # rdflib by the stores that use it (`kg query` on Oxigraph needs none: kg/sparql/answer.py)
    from rdflib import Dataset
    from rdflib.query import Result
    from rdflib.term import Node

    from kg.sparql.answer import Answer
    from kg.store.relay import ServiceRelay

KINDS = ("memory", "oxigraph", "sparql")
DEFAULT_TIMEOUT = 60.0  # seconds for any remote call; one deadline for a query with SERVICE
DEFAULT_MAX_ANSWER = DEFAULT_MAX_ANSWER_MB * MB  # bytes of one SERVICE answer
USER_ENV, PASSWORD_ENV, STORE_ENV = "KG_SPARQL_USER", "KG_SPARQL_PASSWORD", "KG_STORE"


class StoreSpec(NamedTuple):  # not a dataclass: see kg/sparql/answer.py
    kind: Kind["memory", "oxigraph", "sparql"]
    location: str  # the graph file, the store's folder, or the query endpoint's URL

    def __str__(self) -> str:
        return f"{self.kind}:{self.location}"


class GraphStore:
    spec: StoreSpec
    timeout: float = DEFAULT_TIMEOUT  # seconds, for every remote call (SPARQL SERVICE too)
    max_answer: int = DEFAULT_MAX_ANSWER  # bytes of one SERVICE answer (memory, oxigraph)

    def dataset(self) -> Dataset:
        raise NotImplementedError

    def dump(self, fmt: str, prefixes: Mapping[str, str]) -> bytes | None:
        """The whole graph as `fmt` ("trig" or "nquads") written by the store itself, or None
        where only rdflib can write it (the caller then serializes `dataset()`)."""
        return None

    def query(self, text: str, bindings: Mapping[str, Node] | None = None,
              origin: str = "query") -> Result:
        """Run SPARQL with the union of the named graphs as default graph. `bindings` are
        parameters: a one-term `VALUES ?name {…}` in the text is the parameter's default."""
        text, bound = prepare(text, dict(bindings or {}))
        ds = self.dataset()
        ds.default_union = True
        if not uses_service(text):
            return _evaluate(lambda: _run(ds, text, bound), origin, None)
        with self.relay() as relay:  # rdflib's SERVICE calls have no limits of their own
            relayed = relay.rewrite(text)
            return _evaluate(lambda: _run(ds, relayed, bound), origin, relay)

    def answer(self, text: str, bindings: Mapping[str, Node] | None = None,
               origin: str = "query") -> Answer:
        """`query()`'s answer as `kg query` prints it in a table or CSV."""
        from kg.sparql.answer import of_result

        return of_result(self.query(text, bindings, origin))

    def relay(self) -> ServiceRelay:
        """The SERVICE calls of one query: one deadline, `timeout` seconds from now."""
        from kg.store.relay import ServiceRelay

        return ServiceRelay(Deadline(self.timeout), self.max_answer)

    def close(self) -> None:
        pass


def _run(ds: Dataset, text: str, bound: Mapping[str, Node] | None = None) -> Result:
    result = ds.query(text, initBindings=bound)
    if result.type == "SELECT":
        result.bindings  # noqa: B018 (evaluates now, while the relay is up)
    return result


def _evaluate(run: Callable[[], Result], origin: str, relay: ServiceRelay | None) -> Result:
    """`run()`, its errors said in one line: bad SPARQL, or a failed SERVICE call. Anything else
    is a bug (ours or an engine's) and goes on as it is, to be logged with its traceback
    (kg/cli.py), not reported as bad SPARQL."""
    try:
        return run()
    except Exception as e:  # sorted by _query_error; what it does not know is raised again
        error = _query_error(e, origin, relay)
        if error is None or error is e:
            raise
        raise error from e


def _query_error(e: Exception, origin: str, relay: ServiceRelay | None) -> InputError | None:
    if relay is not None and relay.failure is not None:  # the relay knows what went wrong
        return StoreError(f"{origin}: a SERVICE call failed: {relay.failure}")
    if isinstance(e, InputError):  # already one line
        return e
    if relay is not None and isinstance(e, OSError):  # the engine's own HTTP client
        reason = getattr(e, "reason", None) or e
        return StoreError(f"{origin}: a SERVICE call failed: {first_line(reason)}")
    if relay is not None and isinstance(e, ValueError | KeyError):  # rdflib reading the answer
        return StoreError(f"{origin}: a SERVICE endpoint gave an answer that is not SPARQL "
                          f"JSON results: {first_line(e)}")
    if engine_refused(e):
        return InputError(f"{origin}: not valid SPARQL: {first_line(e)}")
    return None
