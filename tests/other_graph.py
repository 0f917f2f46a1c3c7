"""A second SPARQL server holding a small "other policy graph" in its own vocabulary
(tests/data/other-policy-graph.ttl), for `kg link` and the federated catalogue query."""

from __future__ import annotations

import urllib.parse
import urllib.request
from pathlib import Path

from rdflib import URIRef
from servers import OxigraphServer, start_oxigraph

DATA = Path(__file__).parent / "data" / "other-policy-graph.ttl"
GRAPH = "http://example.org/otherkg/graph"
NEEDS = "other-policy-graph"  # a catalogue case's "needs", and its placeholder binding


def start_other_graph(tmp_path: Path) -> OxigraphServer:
    """An Oxigraph server on 127.0.0.1 with the other graph in a named graph of its own (its
    default graph is the union, as for our stores)."""
    server = start_oxigraph(tmp_path / "other-policy-graph")
    url = f"{server.store_url}?graph={urllib.parse.quote(GRAPH, safe='')}"
    request = urllib.request.Request(url, data=DATA.read_bytes(), method="PUT",
                                     headers={"Content-Type": "text/turtle"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
    except BaseException:
        server.stop()
        raise
    return server


def bind_other_graph(case: dict, params: dict, request) -> dict:
    """A catalogue case with `"needs": "other-policy-graph"`: each binding whose value is
    "other-policy-graph" becomes the query URL of that server (the module-scoped fixture
    `other_policy_graph` of conftest.py, started only for such cases)."""
    if case.get("needs") != NEEDS:
        return params
    server = request.getfixturevalue("other_policy_graph")
    bound = {k: URIRef(server.query_url) for k, v in case.get("bindings", {}).items() if v == NEEDS}
    return {**params, **bound}
