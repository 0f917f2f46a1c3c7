"""The reference graph: every gazetteer entity with its labels, identifiers and reference facts."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, GEO, OWL, PROV, RDF, RDFS, SKOS, XSD

from extract.gazetteer import Gazetteer
from extract.records import Entry
from kg import iris
from kg.vocab import PKG, WD

GEONAMES = "https://sws.geonames.org/"
_LINKS = {"partOf": PKG.partOf, "connects": PKG.connects, "locatedIn": PKG.locatedIn}


def _labels(g: Graph, node: URIRef, entry: Entry) -> None:
    g.add((node, SKOS.prefLabel, Literal(entry.label_zh, lang="zh")))
    g.add((node, RDFS.label, Literal(entry.label_zh, lang="zh")))
    if entry.label_en:
        g.add((node, SKOS.prefLabel, Literal(entry.label_en, lang="en")))
        g.add((node, RDFS.label, Literal(entry.label_en, lang="en")))
    for alias in entry.aliases:
        g.add((node, SKOS.altLabel, Literal(alias, lang="zh")))


def _facts(g: Graph, node: URIRef, entry: Entry) -> None:
    lat = lon = None
    for prop, value in entry.facts:
        if prop in _LINKS:
            g.add((node, _LINKS[prop], iris.entity(value)))
        elif prop == "member":
            g.add((iris.entity(value), PKG.memberOf, node))
        elif prop in ("adcode", "isoCode"):
            g.add((node, PKG[prop], Literal(value)))
        elif prop == "abbreviation":
            g.add((node, PKG.abbreviation, Literal(value, lang="zh")))
        elif prop == "clusterTier":
            g.add((node, PKG.clusterTier, Literal(value, lang="zh")))
        elif prop == "establishedYear" and value:
            g.add((node, PKG.establishedYear, Literal(value, datatype=XSD.gYear)))
        elif prop == "wikidata":
            g.add((node, OWL.sameAs, WD[value]))
            g.add((node, SKOS.exactMatch, WD[value]))
        elif prop == "geonames":  # the populated place at the city's seat, not the division
            g.add((node, SKOS.closeMatch, URIRef(f"{GEONAMES}{value}/")))
        elif prop == "lat":
            lat = value
        elif prop == "lon":
            lon = value
    if lat and lon:
        point = URIRef(f"{node}/point")
        g.add((node, GEO.hasGeometry, point))
        g.add((point, RDF.type, GEO.Geometry))
        g.add((point, GEO.asWKT, Literal(f"POINT({lon} {lat})", datatype=GEO.wktLiteral)))


def reference_graph(gaz: Gazetteer, into: Graph | None = None) -> Graph:
    g = into if into is not None else Graph()
    tables = URIRef(iris.id_base() + "source/reference-tables")
    for entry in gaz.entries.values():
        node = iris.entity(entry.ref)
        g.add((node, RDF.type, PKG[entry.cls]))
        _labels(g, node, entry)
        _facts(g, node, entry)
        g.add((node, DCTERMS.source, Literal(entry.source)))
        g.add((node, PROV.wasDerivedFrom, tables))
    return g
