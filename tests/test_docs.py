"""The numbers the README states about the repository are the repository's: counted here from
the files, so a change to the ontology or the catalogue that leaves the README behind fails."""

from __future__ import annotations

import re

from conftest import ROOT
from rdflib import Graph
from rdflib.namespace import OWL, RDF

README = (ROOT / "README.md").read_text(encoding="utf-8")
PKG = "https://w3id.org/policy-kg/ont#"


def stated(pattern: str) -> tuple[int, ...]:
    """The numbers of the README's one sentence that matches `pattern`."""
    found = re.findall(pattern, README)
    assert len(found) == 1, f"the README should state {pattern!r} once, found {found}"
    return tuple(int(n) for n in (found[0] if isinstance(found[0], tuple) else (found[0],)))


def test_the_readme_counts_the_ontologys_classes_and_properties():
    ontology = Graph().parse(ROOT / "ontology" / "policy.ttl")

    def ours(*types) -> set:
        return {s for t in types for s in ontology.subjects(RDF.type, t)
                if str(s).startswith(PKG)}

    classes = ours(OWL.Class)
    properties = ours(OWL.ObjectProperty, OWL.DatatypeProperty)
    assert stated(r"the OWL ontology: (\d+) classes and (\d+) properties") == (
        len(classes), len(properties))


def test_the_readme_counts_the_catalogues_questions():
    questions = list((ROOT / "queries" / "answers").glob("*.rq"))
    assert stated(r"The catalogue is `queries/answers/` \((\d+) questions") == (len(questions),)
