"""`kg link`: propose links from our entities to another policy graph's, for a person to review.

The other graph is any SPARQL endpoint, asked through SPARQLWrapper and read by kg/store/http.py:
every request to it ends by one deadline, an answer over the size limit is refused as it
arrives, and no request goes to any other host (a redirect elsewhere is refused). Its entities
are matched to ours (kg/link/match.py) and the links written as a named graph
`…/graph/links/<name>`: the triples `ours skos:exactMatch theirs` and one reified `pkg:Link` per
triple (docs/linking.md). Nothing is written until the endpoint has answered in full, and
nothing at all when no entity links.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import PROV, SKOS, XSD
from rdflib.query import Result

import kgdata
from kg import iris
from kg.errors import InputError, StoreError
from kg.link.match import Candidate, Index, Match, match_all
from kg.store.base import StoreSpec
from kg.store.http import Deadline, Limits
from kg.store.remote import SparqlStore
from kg.vocab import PKG

LINK_QUERIES = "link"


@dataclass(frozen=True, slots=True)
class LinkSet:
    name: str
    endpoint: str
    candidates: int
    matches: list[Match]
    graph: Graph

    @property
    def iri(self) -> URIRef:
        return graph_iri(self.name)


def graph_iri(name: str) -> URIRef:
    return iris.graph(f"links/{name}")


def default_name(endpoint: str) -> str:
    """`http://127.0.0.1:7878/query` -> `127-0-0-1-7878-query`."""
    parts = urllib.parse.urlsplit(endpoint)
    return re.sub(r"[^a-z0-9]+", "-", f"{parts.netloc}{parts.path}".lower()).strip("-")


def check_name(name: str) -> str:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        raise InputError(f"--name {name!r}: use lower-case letters, digits and '-'")
    return name


def check_endpoint(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(f"--endpoint {url!r}: expected an http(s):// SPARQL endpoint URL")
    return url


def read_query(path: Path | None) -> str:
    path = path or kgdata.queries_dir() / LINK_QUERIES / "candidates.rq"
    if not path.is_file():
        raise InputError(f"{path}: no such query file")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None


def fetch(endpoint: str, query: str, limits: Limits) -> list[Candidate]:
    """The other graph's entities, with their names and identifiers, in one query."""
    assert limits.deadline is not None
    store = SparqlStore(StoreSpec("sparql", endpoint), limits.deadline.seconds, limits)
    result = store.query(query, origin="the candidate query")
    return candidates(result, endpoint)


def endpoint_limits(timeout: float, max_answer: int) -> Limits:
    """One deadline, `timeout` seconds from now, for every request to the endpoint; answers up
    to `max_answer` bytes; redirects only within the endpoint's scheme, host and port."""
    if not timeout > 0:
        raise InputError(f"--timeout {timeout:g}: must be above 0")
    return Limits(Deadline(timeout), max_answer, same_origin=True)


def candidates(result: Result, endpoint: str) -> list[Candidate]:
    names = {str(v) for v in result.vars or ()}
    if result.type != "SELECT" or "entity" not in names or not names & {"label", "id"}:
        raise StoreError(f"{endpoint}: the candidate query must SELECT ?entity with ?label "
                         f"and/or ?id (got {', '.join(sorted(names)) or result.type})")
    by_iri: dict[str, Candidate] = {}
    for row in result:
        entity, label, ident = (row.get(v) for v in ("entity", "label", "id"))  # type: ignore[union-attr]
        if not isinstance(entity, URIRef):
            continue
        c = by_iri.setdefault(str(entity), Candidate(str(entity)))
        if isinstance(label, Literal):
            c.labels.append((str(label), label.language))
        if ident is not None:
            c.ids.append(str(ident))
    return list(by_iri.values())


def link(endpoint: str, query: str, name: str, index: Index, *, timeout: float,
         max_answer: int) -> LinkSet:
    """The deadline starts here: `timeout` seconds for everything asked of the endpoint."""
    started = datetime.now(UTC)
    found = fetch(endpoint, query, endpoint_limits(timeout, max_answer))
    matches = match_all(found, index)
    g = link_graph(name, endpoint, matches, started, datetime.now(UTC))
    return LinkSet(name, endpoint, len(found), matches, g)


def link_graph(name: str, endpoint: str, matches: list[Match], started: datetime,
               ended: datetime) -> Graph:
    g = Graph()
    for prefix, ns in (("pkg", str(PKG)), ("skos", str(SKOS)), ("prov", str(PROV))):
        g.bind(prefix, ns)
    source = URIRef(endpoint)
    run = URIRef(f"{iris.id_base()}link/{name}/run")
    g.add((run, RDF.type, PROV.Activity))
    g.add((run, RDFS.label, Literal(f"kg link {endpoint}", lang="en")))
    g.add((run, PROV.used, source))
    g.add((run, PROV.startedAtTime, Literal(started.isoformat(), datatype=XSD.dateTime)))
    g.add((run, PROV.endedAtTime, Literal(ended.isoformat(), datatype=XSD.dateTime)))
    for n, m in enumerate(matches, start=1):
        ours, theirs = iris.entity(m.ours), URIRef(m.theirs)
        record = URIRef(f"{iris.id_base()}link/{name}/{n}")
        g.add((ours, SKOS.exactMatch, theirs))
        g.add((record, RDF.type, PKG.Link))
        g.add((record, RDF.subject, ours))
        g.add((record, RDF.predicate, SKOS.exactMatch))
        g.add((record, RDF.object, theirs))
        g.add((record, PKG.confidence, Literal(m.confidence, datatype=XSD.decimal)))
        g.add((record, PKG.matchedBy, Literal("+".join(m.matched_by))))
        for value, lang in m.values:
            g.add((record, PKG.matchedValue, Literal(value, lang=lang)))
        for other in m.alternatives:
            g.add((record, PKG.alternative, iris.entity(other)))
        g.add((record, PROV.wasDerivedFrom, source))
        g.add((record, PROV.wasGeneratedBy, run))
    return g


def review(store, below: Decimal, name: str | None) -> Result:
    text = (kgdata.queries_dir() / LINK_QUERIES / "review.rq").read_text(encoding="utf-8")
    params: dict = {"below": Literal(below, datatype=XSD.decimal)}
    if name is not None:
        params["graph"] = graph_iri(name)
    return store.query(text, params, "the review query")
