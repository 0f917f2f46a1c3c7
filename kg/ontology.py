"""The ontology, its shapes and its JSON-LD context, as shipped with the package."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from rdflib import Graph

import kgdata
from kg.vocab import ONT_IRI

# The context's published IRI: exports name it, readers put context_path() in its place (no
# fetching at run time).
CONTEXT_IRI = ONT_IRI.removesuffix("ont#") + "context.jsonld"


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    return Graph().parse(kgdata.ontology_dir() / "policy.ttl", format="turtle")


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    g = Graph()
    for path in sorted(kgdata.shapes_dir().glob("*.ttl")):
        g.parse(path, format="turtle")
    return g


def context_path() -> Path:
    return kgdata.ontology_dir() / "context.jsonld"


@lru_cache(maxsize=1)
def local_context() -> dict:
    """The value of "@context" in the published context document."""
    return json.loads(context_path().read_text(encoding="utf-8"))["@context"]
