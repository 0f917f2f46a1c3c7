"""Open-world entities: a name recognised by its shape (昆明片区, 汉宜高速, 川渝) that no reference
table lists is an entity all the same, minted from its normalised name and class.

The IRI (kg/iris.py `open_world`) is the same for the same name and class in every document,
so the document graphs that name it state the same triples about it: its class, its name,
`pkg:openWorld true` (it comes from no reference table), the place its own name states
(`pkg:locatedIn`, a platform's) and the members of a compound of abbreviations
(`pkg:hasMember`). A reference entry stays the authority: a name that one matches is linked to
it and never minted.
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from extract.gazetteer import Gazetteer
from extract.line_sections import entity_name
from extract.records import Mention
from kg import iris
from kg.build.ntriples import TripleSink
from kg.vocab import PKG


def entity_of(m: Mention, gaz: Gazetteer) -> URIRef:
    """The entity a mention names: its reference entry, or the open-world entity of its name."""
    if m.ref:
        return iris.entity(m.ref)
    return iris.open_world(gaz.class_kind[m.type], m.type, entity_name(m))


def is_open_world(m: Mention, gaz: Gazetteer) -> bool:
    """An unlinked mention of a class the ontology knows (every shape's class is one)."""
    return m.ref is None and bool(gaz.class_kind.get(m.type))


def add_open_world_entity(g: TripleSink, node: URIRef, m: Mention) -> None:
    """The facts of an open-world entity its mention states; the same in every document."""
    name = Literal(entity_name(m), lang="zh")
    g.add((node, RDF.type, PKG[m.type]))
    g.add((node, SKOS.prefLabel, name))
    g.add((node, RDFS.label, name))
    g.add((node, PKG.openWorld, Literal(True, datatype=XSD.boolean)))
    if m.place:
        g.add((node, PKG.locatedIn, iris.entity(m.place)))
    for member in m.members:
        g.add((node, PKG.hasMember, iris.entity(member)))
