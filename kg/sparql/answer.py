"""A query's answer as `kg query` prints it as a table or CSV: each term reduced to what those
formats show of it (its kind and its text), so that an answer read from Oxigraph can be printed
without loading rdflib, which costs a reading command most of its start (docs/scale.md).

Every store gives an rdflib `Result` (`of_result`); the embedded Oxigraph store also gives its
answer directly (kg/store/oxigraph.py). Both print the same bytes: the text of a cell is the
term's string as rdflib gives it (`str(term)`, a literal's lexical form as rdflib normalises it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from rdflib.query import Result

IRI, BNODE, LITERAL = "iri", "bnode", "literal"


class Cell(NamedTuple):
    kind: str  # IRI, BNODE or LITERAL
    text: str  # the IRI, the blank node's label, or the literal's lexical form


class Answer:
    """Not a dataclass: importing `dataclasses` (and `inspect` with it) was a seventh of a
    reading command's start (docs/scale.md, "The fixed cost of a command")."""

    __slots__ = ("ask", "graph", "kind", "rows", "vars")

    def __init__(self, kind: str, vars: list[str] | None = None,
                 rows: list[list[Cell | None]] | None = None, ask: bool = False,
                 graph: Any = None) -> None:
        self.kind = kind  # "ASK", "SELECT", "CONSTRUCT" or "DESCRIBE"
        self.vars = [] if vars is None else vars
        self.rows = [] if rows is None else rows  # a cell is None where its variable is unbound
        self.ask = ask
        self.graph = graph  # CONSTRUCT and DESCRIBE: the rdflib Graph, printed as Turtle


def of_result(result: Result) -> Answer:
    """An rdflib `Result`, from any store."""
    if result.type == "ASK":
        return Answer("ASK", ask=bool(result.askAnswer))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return Answer(result.type, graph=result.graph)
    return Answer("SELECT", [str(v) for v in result.vars],
                  [[rdflib_cell(term) for term in row] for row in result])


def rdflib_cell(term: object) -> Cell | None:
    from rdflib import BNode, URIRef

    if term is None:
        return None
    kind = IRI if isinstance(term, URIRef) else BNODE if isinstance(term, BNode) else LITERAL
    return Cell(kind, str(term))
