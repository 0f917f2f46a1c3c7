"""What the analyses say about a node of the graph: its labels, class and point, and which
classes are places. The one home of these readings: the projections (network.py), the query
view and the pictures (plots.py) all take them from here, so a node reads the same everywhere.

The attribute contract of every projected node (and of the HTML views, views.py):
`label_zh` (the zh skos:prefLabel, else one without a language, else the IRI's local name),
`label_en` ("" when there is none), `cls` (the local name of its first pkg: class, "" when it
has none), `lat`, `lon` (floats from its `geo:hasGeometry/geo:asWKT "POINT(lon lat)"`, else
None).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import GEO, RDF, RDFS, SKOS

from kg.vocab import PKG

# A WKT point: longitude first, then latitude (GeoSPARQL's default CRS84 order).
_POINT = re.compile(r"POINT\s*\(\s*([-+0-9.eE]+)\s+([-+0-9.eE]+)\s*\)")


def local_name(iri: URIRef | str) -> str:
    """What follows the last `#`, else the last `/` (`…/ont#Province` → `Province`)."""
    s = str(iri)
    return s.rsplit("#", 1)[-1] if "#" in s else s.rsplit("/", 1)[-1]


def label(ds: Any, node: URIRef, lang: str | None) -> str:
    """The node's skos:prefLabel in `lang` (None: without a language), or ""."""
    for o in ds.objects(node, SKOS.prefLabel):
        if isinstance(o, Literal) and o.language == lang:
            return str(o)
    return ""


def label_zh(ds: Any, node: URIRef) -> str:
    """The name a view or picture shows: zh label, else an untagged one, else the local name."""
    return label(ds, node, "zh") or label(ds, node, None) or local_name(node)


def coordinates(ds: Any, node: URIRef) -> tuple[float | None, float | None]:
    """(lat, lon) of the node's first WKT point, or (None, None)."""
    for geom in ds.objects(node, GEO.hasGeometry):
        for wkt in ds.objects(geom, GEO.asWKT):
            m = _POINT.search(str(wkt))
            if m:
                return float(m.group(2)), float(m.group(1))
    return None, None


def node_class(ds: Any, node: URIRef) -> str:
    """The local name of the node's first pkg: class (sorted by IRI), or ""."""
    types = sorted(str(t) for t in ds.objects(node, RDF.type) if str(t).startswith(str(PKG)))
    return local_name(types[0]) if types else ""


def node_attrs(ds: Any, node: URIRef) -> dict:
    """The attribute contract of a projected node (see the module docstring)."""
    lat, lon = coordinates(ds, node)
    return {"label_zh": label_zh(ds, node), "label_en": label(ds, node, "en"),
            "cls": node_class(ds, node), "lat": lat, "lon": lon}


@lru_cache(maxsize=1)
def place_classes() -> frozenset[URIRef]:
    """pkg:Place and its subclasses, from the shipped ontology (transitively): a graph that
    holds no ontology (a store with only documents loaded) still knows its places."""
    from kg.ontology import ontology_graph

    g = ontology_graph()
    return frozenset(g.transitive_subjects(RDFS.subClassOf, PKG.Place))


def is_place(ds: Any, node: Any) -> bool:
    places = place_classes()
    return isinstance(node, URIRef) and any(t in places for t in ds.objects(node, RDF.type))
