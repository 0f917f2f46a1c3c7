"""Validation against the SHACL shapes, with a readable report.

Two engines give the same results on the shapes' cases and on the builds (docs/scale.md,
"Validation"): pyshacl-turbo (Rust, the default) and pySHACL (the reference implementation,
kept for comparison). A build validates each document's graph on its own
(`DocumentValidator`): the document's graph, the ontology, and the part of the reference data
the document names, as N-Triples text (no rdflib graph is built for it), keeping the violations
of the document's nodes and of the reference entities described in full. The ontology and the
reference graph are validated whole once, when they change (`validate_graph`); what only the
union of all graphs can show is asked by the check queries (queries/checks/) on the store.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import SH, SKOS
from rdflib.term import Node

from kg.build.ntriples import Triple, ntriples
from kg.build.violations import ValidationResult, Violation, combine
from kg.ontology import ontology_graph, shapes_graph
from kg.store.qnames import use_flat_namespaces
from kg.vocab import OA

ENGINES = ("turbo", "pyshacl")  # the first is the default
# How far from a document's nodes the reference data is copied into its context: its entities'
# descriptions (1) and those of the entities they name (2: a city's province, for the check of
# its adcode); beyond that only the classes (the shapes' sh:class checks of the last hop).
CONTEXT_DEPTH = 2
# The shape a document's own triples answer faster than the engine runs it (a fifth of
# pyshacl-turbo's time on the 27 reports): `plain_selectors` below.
SELECTOR_SHAPE = URIRef("https://w3id.org/policy-kg/shapes#TextPositionSelectorShape")


@dataclass(frozen=True, slots=True)
class CheckResult:
    """A `queries/checks/*-violation.rq` query and the rows it found (none on a valid graph)."""

    name: str
    rows: tuple[tuple[str, ...], ...]


def run_checks(ds: Dataset) -> list[CheckResult]:
    from kg.sparql.catalogue import catalogue

    ds.default_union = True
    out = []
    for name, path in catalogue().items():
        if name.startswith("checks/"):
            rows = ds.query(path.read_text(encoding="utf-8"))
            out.append(CheckResult(name, tuple(tuple("" if v is None else str(v) for v in r)
                                               for r in rows)))
    return out


def union_graph(ds: Dataset) -> Graph:
    """All named graphs (and the default graph) merged: shapes apply across graphs. Its
    namespace manager keeps pySHACL's messages linear in the graph (kg/store/qnames.py)."""
    g = use_flat_namespaces(Graph())
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


@lru_cache(maxsize=1)
def _compiled_shapes():
    import pyshacl_turbo

    return pyshacl_turbo.compile_shapes(shapes_graph(), advanced=True)


def shacl_report(data: Graph | str, engine: str = ENGINES[0],
                 focus_nodes: list[Node] | None = None,
                 use_shapes: list[str] | None = None) -> Graph:
    """The SHACL validation report graph of `data`, a graph or N-Triples text (inference
    none, SHACL-AF on, warnings allowed), of the focus nodes given or of every target, with
    the shapes named in `use_shapes` or with all."""
    if engine == "turbo":
        import pyshacl_turbo

        if isinstance(data, str):  # parsed by the engine, not into an rdflib graph first
            data = pyshacl_turbo.Input(data, "nt", None, {}, _context_namespaces())
        _, report, _ = _compiled_shapes().validate(
            data, inference="none", allow_warnings=True, focus_nodes=focus_nodes,
            use_shapes=use_shapes)
        return report
    if engine == "pyshacl":
        from pyshacl import validate as pyshacl_validate

        if isinstance(data, str):
            data = use_flat_namespaces(Graph()).parse(data=data, format="nt")
        _, report, _ = pyshacl_validate(
            data, shacl_graph=shapes_graph(), inference="none", advanced=True,
            allow_warnings=True, focus_nodes=focus_nodes, use_shapes=use_shapes)
        return report
    raise ValueError(f"unknown SHACL engine {engine!r}; expected one of {ENGINES}")


def violations_in(report: Graph, label_of: Callable[[Node], object]) -> list[Violation]:
    """The report's results of severity sh:Violation (warnings are allowed)."""
    out = []
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        focus = report.value(result, SH.focusNode)
        label = label_of(focus) if focus is not None else None
        out.append(Violation(
            focus=str(focus), label=str(label or ""),
            path=str(report.value(result, SH.resultPath) or ""),
            message=str(report.value(result, SH.resultMessage) or "constraint violated"),
            shape=str(report.value(result, SH.sourceShape) or "")))
    return out


def validate_graph(data: Graph, engine: str = ENGINES[0]) -> ValidationResult:
    """The whole graph against the shapes: `kg validate`, and the ontology with the reference
    data when they change."""
    report = shacl_report(data, engine)
    return combine(violations_in(report,
                                 lambda n: preferred_label(data.objects(n, SKOS.prefLabel))))


class DocumentValidator:
    """Validates one document's graph at a time against the shapes, in the context of the
    ontology and of the reference entities it names (their descriptions to CONTEXT_DEPTH): its
    cost grows with the document, not the corpus. The context is assembled as N-Triples text
    from the ontology's text and the reference data's lines by subject, made once per process
    (`ReferenceLines`), and handed to pyshacl-turbo as text: no rdflib graph is built for it
    (copying triples into one took more than half of the validation's time)."""

    def __init__(self, reference: Graph | ReferenceLines, engine: str = ENGINES[0]) -> None:
        # a build passes the lines, made in a child process (kg/build/shared.py)
        self.reference = (reference if isinstance(reference, ReferenceLines)
                          else ReferenceLines(reference))
        self.engine = engine
        # a selector or a class declared in the reference data would change what
        # `SELECTOR_SHAPE` targets: then the engine runs it on every document (none today)
        self.selectors_in_reference = reference_declares_selectors(self.reference)

    def prepare(self) -> None:
        """Makes now what the first validation would make (the compiled shapes, the ontology's
        text and labels): before worker processes fork, so that each has them, not makes them
        again."""
        if self.engine == "turbo":
            _compiled_shapes()
            _context_namespaces()
            shapes_but(SELECTOR_SHAPE)
            selector_classes()
        ontology_ntriples()
        ontology_labels()

    def validate(self, doc: Iterable[Triple], doc_ntriples: str | None = None
                 ) -> tuple[Violation, ...]:
        """The violations whose focus is a node of the document or a reference entity described
        in its context; a node beyond CONTEXT_DEPTH, of which the context holds only the
        classes, is validated where it is described. `doc_ntriples` is the document's graph as
        N-Triples when the caller has it already. (Focus nodes given to the engine would do
        the same, but cost pyshacl-turbo more than validating the whole context, and pySHACL
        then applies every shape to every focus node.)"""
        triples = list(doc)
        text = ntriples(triples) if doc_ntriples is None else doc_ntriples
        data, seen = self.context(triples, text)
        report = shacl_report(data, self.engine, use_shapes=self._shapes_for(triples))
        if (None, SH.resultSeverity, SH.Violation) not in report:
            return ()  # the usual case: no labels to gather (a tenth of the step's own work)
        labels = self._labels(triples, seen)
        described = {str(n) for n in seen}
        found = violations_in(report, lambda n: preferred_label(
            (*ontology_labels().get(n, ()), *labels.get(n, ()))))
        return combine(v for v in found if v.focus in described).violations

    def _shapes_for(self, doc: list[Triple]) -> list[str] | None:
        """The shapes the engine is to run on the document's context: every shape but
        `SELECTOR_SHAPE` where the document's selectors are plain (it would find nothing),
        else all (None). pySHACL, the reference engine, always runs all."""
        if self.engine != "turbo" or self.selectors_in_reference:
            return None
        if not plain_selectors(doc, selector_classes()):
            return None
        return list(shapes_but(SELECTOR_SHAPE))

    def context(self, doc: Iterable[Triple], doc_ntriples: str) -> tuple[str, set[Node]]:
        """The document's graph, the ontology, and the reference data around its nodes, as
        N-Triples; and the nodes described in it in full."""
        parts = [ontology_ntriples(), doc_ntriples]
        frontier = document_nodes(doc)
        seen: set[Node] = set()
        for _ in range(CONTEXT_DEPTH):
            frontier -= seen
            seen |= frontier
            frontier = self.reference.describe(frontier, parts)
        parts.extend(self.reference.classes(node) for node in frontier - seen)
        return "".join(parts), seen

    def _labels(self, doc: Iterable[Triple], described: set[Node]) -> dict[Node, list[Node]]:
        """Each node's skos:prefLabel values in the context (the document's, the reference
        data's); with the ontology's, `preferred_label` picks the one a report names it by."""
        labels: dict[Node, list[Node]] = {}
        pref_label = SKOS.prefLabel  # read once: a namespace makes a new term per read
        for s, p, o in doc:
            if p == pref_label:
                labels.setdefault(s, []).append(o)
        for node in described:
            for label in self.reference.labels.get(node, ()):
                labels.setdefault(node, []).append(label)
        return labels


def preferred_label(labels: Iterable[Node]) -> Node | None:
    """The label a violation names its node by: the Chinese one, else the least. Not "the
    first": an rdflib graph gives a node's labels in an order that changes from process to
    process (its indexes are sets of hashed terms), and the report must not."""
    found = sorted(labels, key=lambda label: (getattr(label, "language", None) != "zh",
                                              str(label)))
    return found[0] if found else None


class ReferenceLines:
    """The reference data as N-Triples lines by subject, made once per process (the
    validator is made before the build's worker processes fork): each subject's lines in one
    string, the nodes they name, its classes' lines and its skos:prefLabel values, each in
    the order of the reference graph."""

    def __init__(self, reference: Graph) -> None:
        by_subject: dict[Node, list[Triple]] = {}
        for triple in reference:  # one pass: the graph's triples in the order they were added
            by_subject.setdefault(triple[0], []).append(triple)
        self.lines: dict[Node, str] = {}
        self.named: dict[Node, tuple[Node, ...]] = {}
        self.types: dict[Node, str] = {}
        self.labels: dict[Node, tuple[Node, ...]] = {}
        names: dict[Node, str] = {}  # the IRIs' text, shared by every subject's lines
        rdf_type, pref_label = RDF.type, SKOS.prefLabel  # a namespace makes a new term per read
        for subject, triples in by_subject.items():
            self.lines[subject] = ntriples(triples, names)
            self.named[subject] = tuple(o for _, _, o in triples if not isinstance(o, Literal))
            self.types[subject] = ntriples((t for t in triples if t[1] == rdf_type), names)
            self.labels[subject] = tuple(o for _, p, o in triples if p == pref_label)

    def describe(self, nodes: set[Node], into: list[str]) -> set[Node]:
        """Appends the lines about `nodes` to `into`; returns the nodes they name."""
        named: set[Node] = set()
        for node in nodes:
            if node in self.lines:
                into.append(self.lines[node])
                named.update(self.named[node])
        return named

    def classes(self, node: Node) -> str:
        """The lines of the node's classes (its rdf:type triples), or nothing."""
        return self.types.get(node, "")


_OFFSET = re.compile("0|[1-9][0-9]*")  # a non-negative integer's canonical form
_OFFSET_TYPES = frozenset((XSD.integer, XSD.nonNegativeInteger))
_SELECTOR_ROLES = {RDF.type: "type", RDFS.subClassOf: "class", OA.start: "start",
                   OA.end: "end"}


def plain_selectors(doc: Iterable[Triple], classes: frozenset[Node]) -> bool:
    """Whether every text position selector of the document (a node of one of `classes`) has
    one oa:start and one oa:end, each an integer literal in canonical form (as the build
    writes them), the start below the end. `SELECTOR_SHAPE` checks exactly that (counts,
    datatypes, minimum, start before end), so on such a document it finds nothing, and the
    engine need not run it. On any other document (a selector the shape would fault, an
    offset of another form, a class declared in the document) the engine runs every shape:
    the violations are always the engine's."""
    typed: set[Node] = set()
    offsets: dict[tuple[Node, str], list[Node]] = {}
    for s, p, o in doc:
        role = _SELECTOR_ROLES.get(p)
        if role is None:
            continue
        if role == "class":
            return False
        if role == "type":
            if o in classes:
                typed.add(s)
        else:
            offsets.setdefault((s, role), []).append(o)
    for node in typed:
        start, end = offsets.get((node, "start"), ()), offsets.get((node, "end"), ())
        if len(start) != 1 or len(end) != 1:
            return False
        first, last = offset_value(start[0]), offset_value(end[0])
        if first is None or last is None or first >= last:
            return False
    return True


def offset_value(term: Node) -> int | None:
    """The integer of an offset literal in canonical form, else None."""
    if (isinstance(term, Literal) and term.datatype in _OFFSET_TYPES
            and _OFFSET.fullmatch(term)):
        return int(str(term))
    return None


def reference_declares_selectors(reference: ReferenceLines) -> bool:
    """Whether the reference data types a node as a selector or declares a class."""
    names = [cls.n3() for cls in selector_classes()]
    subclass = RDFS.subClassOf.n3()
    return (any(name in types for types in reference.types.values() for name in names)
            or any(subclass in lines for lines in reference.lines.values()))


@lru_cache(maxsize=1)
def selector_classes() -> frozenset[Node]:
    """oa:TextPositionSelector and its subclasses in the ontology: what `SELECTOR_SHAPE`
    targets."""
    return frozenset(ontology_graph().transitive_subjects(RDFS.subClassOf,
                                                          OA.TextPositionSelector))


@lru_cache(maxsize=4)
def shapes_but(left_out: URIRef) -> tuple[str, ...]:
    """Every shape of the shapes graph but `left_out`: the node and property shapes, and
    anything with a target."""
    g = shapes_graph()
    shapes = {s for cls in (SH.NodeShape, SH.PropertyShape) for s in g.subjects(RDF.type, cls)}
    for target in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf,
                   SH.target):
        shapes.update(g.subjects(target, None))
    return tuple(sorted(str(s) for s in shapes if s != left_out))


@lru_cache(maxsize=1)
def ontology_ntriples() -> str:
    """The ontology as N-Triples, once per process (its blank nodes keep their labels)."""
    return ntriples(ontology_graph())


@lru_cache(maxsize=1)
def ontology_labels() -> dict[Node, tuple[Node, ...]]:
    labels: dict[Node, list[Node]] = {}
    for s, o in ontology_graph().subject_objects(SKOS.prefLabel):
        labels.setdefault(s, []).append(o)
    return {s: tuple(values) for s, values in labels.items()}


@lru_cache(maxsize=1)
def _context_namespaces() -> dict[str, str]:
    """The prefixes pyshacl-turbo may shorten IRIs with in its messages: those of a new graph,
    as when the context was an rdflib graph, so that the messages stay the same."""
    return {prefix: str(ns) for prefix, ns in use_flat_namespaces(Graph()).namespaces()}


def document_nodes(doc: Iterable[Triple]) -> set[Node]:
    """Every node of the graph but its literals: subjects and the objects that are not
    values."""
    nodes: set[Node] = set()
    for s, _, o in doc:
        nodes.add(s)
        if not isinstance(o, Literal):
            nodes.add(o)
    return nodes


def validate_dataset(ds: Dataset, engine: str = ENGINES[0]) -> ValidationResult:
    """A built dataset the way a build validates it: the graphs that are not a document's (the
    ontology, the reference data, links) whole, then each document's graph in their context."""
    from kg.build.document import document_graph_iri

    doc_prefix = str(document_graph_iri(""))
    shared = use_flat_namespaces(Graph())
    documents = []
    for graph in ds.graphs():
        if str(graph.identifier).startswith(doc_prefix):
            documents.append(graph)
        else:
            for triple in graph:
                shared.add(triple)
    violations = list(validate_graph(shared, engine).violations)
    validator = DocumentValidator(shared, engine)
    for graph in documents:
        violations.extend(validator.validate(graph))
    return combine(violations)
