"""A document's triples without an rdflib graph: an add-only set, and its N-Triples text.

The builders of a document's graph (kg/build/document.py and the modules it calls) only add
triples; they never read the graph back. rdflib's Memory store keeps three indexes and the
contexts of every triple, which made `Graph.add` most of the time of making a document's graph
(701k adds for 27 reports, 12 s of a 65 s build under the profiler), and its N-Triples
serializer walks those indexes again. `Triples` keeps the set of triples in the order they were
first added (a dict), and `ntriples` writes each as rdflib's own line writer does, so the text is
what `Graph.serialize(format="nt")` gives, line for line (`tests/test_ntriples.py`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol, TypeVar

from rdflib.plugins.serializers.nt import _quoteLiteral
from rdflib.term import Literal, Node

Triple = tuple[Node, Node, Node]


class TripleSink(Protocol):
    """What the graph builders write into: an rdflib Graph or a `Triples`."""

    def add(self, triple: Triple, /) -> object: ...


class Triples:
    """A set of triples in the order of their first `add`: duplicates count once, as in a
    graph (terms compare as rdflib compares them)."""

    __slots__ = ("_triples",)

    def __init__(self, triples: Iterable[Triple] = ()) -> None:
        self._triples: dict[Triple, None] = dict.fromkeys(triples)

    def add(self, triple: Triple, /) -> Triples:
        self._triples[triple] = None
        return self

    def __iter__(self) -> Iterator[Triple]:
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)

    def __contains__(self, triple: object) -> bool:
        return triple in self._triples


def ntriples(triples: Iterable[Triple], names: dict[Node, str] | None = None) -> str:
    """The triples as N-Triples, one line each, as rdflib's serializer writes them
    (`_nt_row`). An IRI's text is made once per call (or once for all the calls given the same
    `names`): a document names its predicates, classes and entities thousands of times, and
    `URIRef.n3` checks every character of the IRI each time. Literals are written each time:
    two literals that compare equal may differ in the case of their language tag."""
    names = {} if names is None else names

    def name(term: Node) -> str:
        text = names.get(term)
        if text is None:
            text = names[term] = term.n3()
        return text

    return "".join([f"{name(s)} {name(p)} "
                    f"{_quoteLiteral(o) if isinstance(o, Literal) else name(o)} .\n"
                    for s, p, o in triples])


Sink = TypeVar("Sink", bound=TripleSink)  # a builder returns the sink it was given
