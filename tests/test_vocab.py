"""The Python vocabulary (kg.vocab.PKG) and the ontology define the same terms."""

from __future__ import annotations

from rdflib import RDF
from rdflib.namespace import OWL, QB

from kg.ontology import ontology_graph
from kg.vocab import ONT_IRI, PKG


def test_vocab_matches_the_ontology():
    g = ontology_graph()
    # the data structure definition of the statistics tables is a named term like the classes
    defined = {str(s)[len(ONT_IRI):] for t in (OWL.Class, OWL.ObjectProperty,
                                               OWL.DatatypeProperty, OWL.AnnotationProperty,
                                               QB.DataStructureDefinition)
               for s in g.subjects(RDF.type, t) if str(s).startswith(ONT_IRI)}
    in_python = {name for name in PKG.__annotations__}
    assert defined == in_python


def test_class_kinds_of_the_extractor_match_the_ontology_hierarchy(gaz):
    from rdflib.namespace import RDFS
    g = ontology_graph()
    for cls, parent in gaz.class_parent.items():
        node = PKG[cls]
        assert (node, RDF.type, OWL.Class) in g, cls
        if parent:
            assert (node, RDFS.subClassOf, PKG[parent]) in g, cls
