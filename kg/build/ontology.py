"""Loading the ontology and the shapes shipped with the package."""

from __future__ import annotations

from functools import lru_cache

from rdflib import Graph

import kgdata


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    return Graph().parse(kgdata.ontology_dir() / "policy.ttl", format="turtle")


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    g = Graph()
    for path in sorted(kgdata.shapes_dir().glob("*.ttl")):
        g.parse(path, format="turtle")
    return g
