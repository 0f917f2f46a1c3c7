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

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from rdflib import RDF, Dataset, Graph, Literal
from rdflib.namespace import SH, SKOS
from rdflib.term import Node

from kg.build.ntriples import Triple, ntriples
from kg.build.violations import ValidationResult, Violation, combine
from kg.ontology import ontology_graph, shapes_graph
from kg.store.qnames import use_flat_namespaces

ENGINES = ("turbo", "pyshacl")  # the first is the default
# How far from a document's nodes the reference data is copied into its context: its entities'
# descriptions (1) and those of the entities they name (2: a city's province, for the check of
# its adcode); beyond that only the classes (the shapes' sh:class checks of the last hop).
CONTEXT_DEPTH = 2


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
                 focus_nodes: list[Node] | None = None) -> Graph:
    """The SHACL validation report graph of `data`, a graph or N-Triples text (inference
    none, SHACL-AF on, warnings allowed), of the focus nodes given or of every target."""
    if engine == "turbo":
        import pyshacl_turbo

        if isinstance(data, str):  # parsed by the engine, not into an rdflib graph first
            data = pyshacl_turbo.Input(data, "nt", None, {}, _context_namespaces())
        _, report, _ = _compiled_shapes().validate(
            data, inference="none", allow_warnings=True, focus_nodes=focus_nodes)
        return report
    if engine == "pyshacl":
        from pyshacl import validate as pyshacl_validate

        if isinstance(data, str):
            data = use_flat_namespaces(Graph()).parse(data=data, format="nt")
        _, report, _ = pyshacl_validate(
            data, shacl_graph=shapes_graph(), inference="none", advanced=True,
            allow_warnings=True, focus_nodes=focus_nodes)
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

    def prepare(self) -> None:
        """Makes now what the first validation would make (the compiled shapes, the ontology's
        text and labels): before worker processes fork, so that each has them, not makes them
        again."""
        if self.engine == "turbo":
            _compiled_shapes()
            _context_namespaces()
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
        report = shacl_report(data, self.engine)
        if (None, SH.resultSeverity, SH.Violation) not in report:
            return ()  # the usual case: no labels to gather (a tenth of the step's own work)
        labels = self._labels(triples, seen)
        described = {str(n) for n in seen}
        found = violations_in(report, lambda n: preferred_label(
            (*ontology_labels().get(n, ()), *labels.get(n, ()))))
        return combine(v for v in found if v.focus in described).violations

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
        for s, p, o in doc:
            if p == SKOS.prefLabel:
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
