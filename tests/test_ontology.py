"""The ontology (ontology/policy.ttl) and the SHACL shapes (ontology/shapes/*.ttl).

Shape cases are data files in tests/shapes/cases/ (`.ttl`, or `.trig` with named graphs as in
graph.trig). The first lines of each are comments:

    # expect: conforms
    # expect: violates <name> [<name> ...]

where each <name> is the local name of a sh:sourceShape, sh:sourceConstraint or sh:resultPath
that must occur among the validation results. A case is validated the way a built graph is: the
union of its graphs, merged with the ontology, against all shape files.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pyshacl
import pytest
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib import namespace as rdflib_namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS
from rdflib.term import Node

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_FILE = ROOT / "ontology" / "policy.ttl"
SHAPES_DIR = ROOT / "ontology" / "shapes"
CASES_DIR = ROOT / "tests" / "shapes" / "cases"
MODEL_DOC = ROOT / "docs" / "model.md"

SHAPE_FILES = ("assertions.ttl", "entities.ttl", "places.ttl", "platforms.ttl", "evidence.ttl",
               "documents.ttl", "recommendations.ttl", "claims.ttl", "links.ttl")

PKG = Namespace("https://w3id.org/policy-kg/ont#")
PKGSH = Namespace("https://w3id.org/policy-kg/shapes#")
OA = Namespace("http://www.w3.org/ns/oa#")
ONTOLOGY_IRI = URIRef("https://w3id.org/policy-kg/ont")
SHAPES_BASE = "https://w3id.org/policy-kg/shapes/"

# The Web Annotation vocabulary (https://www.w3.org/TR/annotation-vocab/); rdflib has no copy.
OA_TERMS = frozenset(
    """Annotation Choice CssSelector CssStyle DataPositionSelector Direction FragmentSelector
    HttpRequestState Motivation RangeSelector ResourceSelection Selector SpecificResource State
    Style SvgSelector TextPositionSelector TextQuoteSelector TextualBody TimeState XPathSelector
    annotationService bodyValue cachedSource canonical end exact hasBody hasEndSelector
    hasPurpose hasScope hasSelector hasSource hasStartSelector hasState hasTarget motivatedBy
    prefix processingLanguage refinedBy renderedVia sourceDate sourceDateEnd sourceDateStart
    start styleClass styledBy suffix textDirection via PreferContainedDescriptions
    PreferContainedIRIs ltrDirection rtlDirection assessing bookmarking classifying commenting
    describing editing highlighting identifying linking moderating questioning replying
    tagging""".split()  # noqa: SIM905
)
# (GEO and XSD stay behind the module: pytest's collection warns on those DefinedNamespaces.)
STANDARD_NAMESPACES = (
    SH,
    RDF,
    RDFS,
    OWL,
    rdflib_namespace.XSD,
    SKOS,
    DCTERMS,
    PROV,
    rdflib_namespace.GEO,
    rdflib_namespace.QB,
)


# --------------------------------------------------------------------------------------------
# loading


@cache
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


@cache
def compiled_shapes():
    import pyshacl_turbo

    return pyshacl_turbo.compile_shapes(shapes(), advanced=True)


@cache
def shapes() -> Graph:
    graph = Graph()
    for name in SHAPE_FILES:
        graph.parse(SHAPES_DIR / name, format="turtle")
    return graph


def pkg_terms(graph: Graph, *types: URIRef) -> set[URIRef]:
    return {
        term
        for rdf_type in types
        for term in graph.subjects(RDF.type, rdf_type)
        if isinstance(term, URIRef) and term.startswith(PKG)
    }


def local_name(term: Node) -> str:
    return re.split(r"[#/]", str(term))[-1]


def model_section(title: str) -> str:
    text = MODEL_DOC.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(title)}\b.*?$(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"docs/model.md has no '## {title}' section"
    return match.group(1)


# --------------------------------------------------------------------------------------------
# the ontology


def test_ontology_parses_and_has_header() -> None:
    graph = ontology()
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in graph
    assert graph.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("0.1.0")
    assert graph.value(ONTOLOGY_IRI, DCTERMS.title) is not None
    assert graph.value(ONTOLOGY_IRI, DCTERMS.description) is not None


def test_every_term_is_labelled_and_defined() -> None:
    graph = ontology()
    terms = pkg_terms(graph, OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    assert len(terms) > 50
    problems = []
    for term in sorted(terms):
        for prop in (RDFS.label, SKOS.prefLabel):
            langs = {o.language for o in graph.objects(term, prop) if isinstance(o, Literal)}
            if not {"zh", "en"} <= langs:
                problems.append(f"{local_name(term)}: {local_name(prop)} @zh/@en missing")
        definitions = [o for o in graph.objects(term, SKOS.definition) if isinstance(o, Literal)]
        if not any(o.language == "en" for o in definitions):
            problems.append(f"{local_name(term)}: no skos:definition @en")
    assert not problems, "\n".join(problems)


def test_every_class_in_model_doc_exists() -> None:
    names = set(re.findall(r"`([A-Z][A-Za-z0-9]*)`", model_section("Classes")))
    assert {"Entity", "Place", "Province", "Mention", "Document", "Port"} <= names
    classes = {local_name(c) for c in pkg_terms(ontology(), OWL.Class)}
    assert not names - classes, f"classes in docs/model.md missing: {sorted(names - classes)}"


def test_every_property_in_model_doc_exists() -> None:
    names = set(re.findall(r"`pkg:([a-z][A-Za-z0-9]*)`", model_section("Properties")))
    assert {"partOf", "mentions", "rule", "surfaceType"} <= names
    graph = ontology()
    properties = {local_name(p) for p in pkg_terms(graph, OWL.ObjectProperty, OWL.DatatypeProperty)}
    assert not names - properties, f"properties missing: {sorted(names - properties)}"


def test_properties_have_domain_and_range() -> None:
    graph = ontology()
    for prop in pkg_terms(graph, OWL.ObjectProperty, OWL.DatatypeProperty):
        assert graph.value(prop, RDFS.domain) is not None, prop
        assert graph.value(prop, RDFS.range) is not None, prop
    assert (PKG.hosts, OWL.inverseOf, PKG.locatedIn) in graph
    assert not pkg_terms(graph, OWL.ObjectProperty) & pkg_terms(graph, OWL.DatatypeProperty)


def superclasses(graph: Graph, cls: URIRef) -> Iterator[URIRef]:
    """Transitive named superclasses; raises on a cycle."""
    seen: set[URIRef] = set()
    stack = [(cls, (cls,))]
    while stack:
        node, trail = stack.pop()
        for parent in graph.objects(node, RDFS.subClassOf):
            if not isinstance(parent, URIRef):
                continue
            if parent in trail:
                raise AssertionError(f"subclass cycle: {[local_name(t) for t in (*trail, parent)]}")
            if parent not in seen:
                seen.add(parent)
                yield parent
                stack.append((parent, (*trail, parent)))


def test_class_hierarchy() -> None:
    graph = ontology()
    classes = pkg_terms(graph, OWL.Class)
    for cls in classes:
        ancestors = set(superclasses(graph, cls))
        if cls in (PKG.Document, PKG.Mention, PKG.Entity, PKG.PolicyRecommendation, PKG.Action,
                   PKG.Assertion, PKG.NumericClaim, PKG.Link, PKG.DocumentType,
                   PKG.PlanPeriod):
            assert not ancestors & classes, f"{local_name(cls)} must not descend from pkg: classes"
        elif cls == PKG.SumClaim:  # a numeric claim about a whole and its parts
            assert ancestors & classes == {PKG.NumericClaim}
        else:
            assert PKG.Entity in ancestors, f"{local_name(cls)} does not descend from pkg:Entity"
    assert (PKG.Document, RDFS.subClassOf, DCTERMS.BibliographicResource) in graph
    assert (PKG.Mention, RDFS.subClassOf, OA.Annotation) in graph
    assert (PKG.PolicyRecommendation, RDFS.subClassOf, PROV.Entity) in graph
    assert (PKG.Action, RDFS.subClassOf, PROV.Entity) in graph
    assert (PKG.Assertion, RDFS.subClassOf, RDF.Statement) in graph
    parents = {
        local_name(c): {local_name(p) for p in graph.objects(c, RDFS.subClassOf)} for c in classes
    }
    assert "CityCluster" in parents["MetropolitanArea"]
    assert "SpecialCustomsSupervisionArea" in parents["ComprehensiveBondedZone"]
    assert "DevelopmentZone" in parents["HighTechZone"]
    assert "Corridor" in parents["FreightTrainService"]


def test_disjointness_is_between_siblings() -> None:
    graph = ontology()
    groups = list(graph.subjects(RDF.type, OWL.AllDisjointClasses))
    assert groups
    for group in groups:
        members = list(graph.items(graph.value(group, OWL.members)))
        parents = {
            frozenset(graph.objects(m, RDFS.subClassOf)) & pkg_terms(graph, OWL.Class)
            for m in members
        }
        assert len(parents) == 1, f"disjoint classes {members} are not siblings"


# --------------------------------------------------------------------------------------------
# the shapes


def test_shape_files_exist() -> None:
    assert sorted(p.name for p in SHAPES_DIR.glob("*.ttl")) == sorted(SHAPE_FILES)


def shape_nodes(graph: Graph) -> set[Node]:
    """Top-level shapes and SPARQL constraints (not the anonymous shapes nested in them)."""
    nodes: set[Node] = set(graph.subjects(RDF.type, SH.NodeShape))
    nodes |= set(graph.subjects(RDF.type, SH.PropertyShape))
    nodes |= set(graph.objects(None, SH.property))
    nodes |= set(graph.objects(None, SH.sparql))
    return nodes


def has_english_message(graph: Graph, node: Node) -> bool:
    return any(isinstance(m, Literal) and m.language == "en"
               for m in graph.objects(node, SH.message))


def test_every_shape_has_an_english_message() -> None:
    """Every result gets its message from the innermost shape or constraint that made it. A
    shape that holds SPARQL constraints has no message of its own: SHACL engines disagree on
    which of the two wins (pySHACL takes the constraint's, pyshacl-turbo the shape's), and the
    build's report must read the same on either (docs/scale.md, "Validation")."""
    graph = shapes()
    with_sparql = set(graph.subjects(SH.sparql, None))
    missing = [str(node) for node in shape_nodes(graph) - with_sparql
               if not has_english_message(graph, node)]
    assert not missing, f"shapes without sh:message @en: {missing}"
    shadowing = [str(node) for node in with_sparql if graph.value(node, SH.message) is not None]
    assert not shadowing, f"shapes with SPARQL constraints and a message of their own: {shadowing}"


def test_shapes_are_named() -> None:
    graph = shapes()
    anonymous = [n for n in shape_nodes(graph) if not isinstance(n, URIRef)]
    assert not anonymous, "top-level shapes and constraints must have pkgsh: IRIs"
    assert all(n.startswith(PKGSH) for n in shape_nodes(graph))


def is_known_term(term: URIRef) -> bool:
    ontology_terms = pkg_terms(ontology(), OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    if term.startswith(PKG):
        return term in ontology_terms
    if term.startswith(PKGSH) or term.startswith(SHAPES_BASE):
        return (term, None, None) in shapes()
    if term == ONTOLOGY_IRI:
        return True
    if term.startswith(OA):
        return term[len(OA) :] in OA_TERMS
    return any(term.startswith(str(ns)) and term in ns for ns in STANDARD_NAMESPACES)


def sparql_terms(graph: Graph) -> Iterator[tuple[URIRef, str]]:
    """IRIs written in the SPARQL of the shapes, as prefixed names or <…>."""
    for holder, query in graph.subject_objects(SH.select):
        declarations = graph.value(holder, SH.prefixes)
        prefixes = {
            str(graph.value(d, SH.prefix)): str(graph.value(d, SH.namespace))
            for d in graph.objects(declarations, SH.declare)
        }
        assert prefixes, f"{holder}: sh:prefixes declares nothing"
        text = re.sub(r'"[^"]*"', '""', str(query))
        for iri in re.findall(r"<([^<>\s]+)>", text):
            yield URIRef(iri), str(query)
        text = re.sub(r"<[^<>\s]+>", "<>", text)
        for prefix, name in re.findall(r"(?<![\w?$])([A-Za-z][\w-]*):([A-Za-z_][\w-]*)", text):
            assert prefix in prefixes, f"undeclared prefix {prefix}: in {query}"
            yield URIRef(prefixes[prefix] + name), str(query)


def test_shapes_use_only_defined_terms() -> None:
    graph = shapes()
    used = {t for triple in graph for t in triple if isinstance(t, URIRef)}
    unknown = sorted(str(t) for t in used if not is_known_term(t))
    unknown += sorted({str(t) for t, _ in sparql_terms(graph) if not is_known_term(t)})
    assert not unknown, f"terms in the shapes defined nowhere: {unknown}"


def test_sparql_of_shapes_parses() -> None:
    from rdflib.plugins.sparql import prepareQuery

    graph = shapes()
    for holder, query in graph.subject_objects(SH.select):
        declarations = graph.value(holder, SH.prefixes)
        namespaces = {
            str(graph.value(d, SH.prefix)): graph.value(d, SH.namespace)
            for d in graph.objects(declarations, SH.declare)
        }
        prepareQuery(str(query).replace("$this", "?this"), initNs=namespaces)


# --------------------------------------------------------------------------------------------
# shape cases

CASE_FILES = sorted([*CASES_DIR.glob("*.ttl"), *CASES_DIR.glob("*.trig")])
# The core cases: a complete graph that conforms and one case of each kind of rule. The fast
# subset (pytest -m "not slow") validates these; the full run validates every case.
CORE_CASES = frozenset({
    "good_complete",
    "entity_two_pkg_classes",
    "entity_without_zh_label",
    "mentioned_entity_without_mention",
    "mention_start_not_before_end",
    "mention_exact_length_mismatch",
    "mention_without_rule",
    "city_without_partof",
    "province_bad_adcode",
    "sameas_not_wikidata",
})
EXPECT = re.compile(r"^#\s*expect:\s*(conforms|violates\s+(.+?))\s*$", re.M)


def read_expectation(path: Path) -> tuple[bool, list[str]]:
    header = "".join(
        line for line in path.read_text(encoding="utf-8").splitlines(True) if line.startswith("#")
    )
    match = EXPECT.search(header)
    assert match, f"{path.name}: no '# expect:' line"
    if match.group(1) == "conforms":
        return True, []
    return False, match.group(2).split()


def load_case(path: Path) -> Graph:
    """The case's data as one graph (the union of its named graphs for .trig)."""
    data = Graph()
    if path.suffix == ".trig":
        dataset = Dataset()
        dataset.parse(path, format="trig")
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            data.add((s, p, o))
    else:
        data.parse(path, format="turtle")
    return data


def validate(data: Graph) -> tuple[bool, Graph, str]:
    merged = data + ontology()
    conforms, report, text = pyshacl.validate(
        merged,
        shacl_graph=shapes(),
        ont_graph=ontology(),
        inference="none",
        advanced=True,
        allow_warnings=False,
    )
    return conforms, report, text


def violated_names(report: Graph) -> set[str]:
    names = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        for prop in (SH.sourceShape, SH.sourceConstraint, SH.resultPath):
            value = report.value(result, prop)
            if isinstance(value, URIRef):
                names.add(local_name(value))
    return names


def test_cases_exist() -> None:
    names = {p.stem for p in CASE_FILES}
    assert names >= CORE_CASES, f"missing cases: {sorted(CORE_CASES - names)}"


def test_cases_contain_only_data() -> None:
    for path in CASE_FILES:
        data = load_case(path)
        assert not set(data.subjects(RDF.type, OWL.Class)), path.name
        assert not set(data.subjects(RDF.type, SH.NodeShape)), path.name
        assert not [p for p in data.predicates() if str(p).startswith(str(SH))], path.name


def test_every_named_constraint_has_a_failing_case() -> None:
    graph = shapes()
    constrained = {
        node
        for node in shape_nodes(graph)
        if isinstance(node, URIRef)
        and (
            graph.value(node, SH.path) is not None
            or graph.value(node, SH.select) is not None
            or any(
                graph.value(node, p) is not None
                for p in (SH["class"], SH["or"], SH["not"], SH.datatype, SH.nodeKind)
            )
        )
    }
    expected = {name for path in CASE_FILES for name in read_expectation(path)[1]}
    untested = sorted(local_name(n) for n in constrained if local_name(n) not in expected)
    assert not untested, f"shapes no case expects to fail: {untested}"


def results(report: Graph) -> set[tuple[str, ...]]:
    """Each validation result as the fields a build reads or a reader compares (blank nodes as
    such: their labels differ between engines)."""
    fields = (SH.focusNode, SH.sourceShape, SH.sourceConstraint, SH.resultPath, SH.value,
              SH.resultSeverity, SH.resultMessage)
    return {tuple("_:" if isinstance(report.value(r, f), BNode) else str(report.value(r, f))
                  for f in fields)
            for r in report.subjects(SH.resultSeverity, None)}


def turbo_validate(data: Graph) -> tuple[bool, Graph, str]:
    """The case validated by the build's engine, pyshacl-turbo, as `validate` does with pySHACL."""
    return compiled_shapes().validate(data + ontology(), inference="none", allow_warnings=False)


def parity_cases() -> frozenset[str]:
    """The cases pySHACL checks by default: the core ones, and the first of each family of
    names (entity_, mention_, city_, claim_ …: one per area of the shapes)."""
    first_of_family: dict[str, str] = {}
    for path in CASE_FILES:
        first_of_family.setdefault(path.stem.split("_")[0], path.stem)
    return CORE_CASES | frozenset(first_of_family.values())


def case_param(path: Path, *marks: pytest.MarkDecorator):
    return pytest.param(path, id=path.name,
                        marks=() if path.stem in CORE_CASES else (pytest.mark.slow, *marks))


@pytest.mark.parametrize("path", [case_param(p) for p in CASE_FILES])
def test_shape_case(path: Path) -> None:
    should_conform, expected = read_expectation(path)
    conforms, report, text = turbo_validate(load_case(path))
    if should_conform:
        assert conforms, text
        return
    assert not conforms, f"{path.name} should violate {expected} but conforms"
    names = violated_names(report)
    missing = [name for name in expected if name not in names]
    assert not missing, f"{path.name}: {missing} not among violated {sorted(names)}\n{text}"


# pySHACL takes about 0.6 s a case: it checks the subset of parity_cases() in every run, and
# every case under the shacl_parity marker, run with `pytest --shacl-parity` (tests/conftest.py).
@pytest.mark.parametrize("path", [
    case_param(p, *(() if p.stem in parity_cases() else (pytest.mark.shacl_parity,)))
    for p in CASE_FILES])
def test_pyshacl_gives_the_results_of_pyshacl_turbo(path: Path) -> None:
    """The build's engine (pyshacl-turbo) and the reference one agree, message for message."""
    data = load_case(path)
    conforms, report, _ = validate(data)
    turbo_conforms, turbo_report, _ = turbo_validate(data)
    assert (turbo_conforms, results(turbo_report)) == (conforms, results(report)), path.name
