"""Validation of a built graph against the SHACL shapes (pySHACL), with a readable report."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from pyshacl import validate as shacl_validate
from rdflib import Dataset, Graph
from rdflib.namespace import SH, SKOS

from kg.ontology import shapes_graph
from kg.store.qnames import use_flat_namespaces

# The summary printed on a terminal: at most this many kinds of violation, each with a few
# examples; report.json lists every violation.
MAX_LISTED = 20
EXAMPLES = 3


@dataclass(frozen=True, slots=True)
class Violation:
    focus: str
    label: str
    path: str
    message: str
    shape: str


@dataclass(frozen=True, slots=True)
class ValidationResult:
    conforms: bool
    violations: tuple[Violation, ...] = field(default=())

    def summary(self) -> str:
        if self.conforms:
            return "The graph conforms to the shapes."
        lines = [f"The graph does not conform: {len(self.violations)} violation(s)."]
        by_message = Counter(v.message for v in self.violations)
        for message, n in by_message.most_common():
            examples = [v for v in self.violations if v.message == message][:EXAMPLES]
            shown = ", ".join(f"{v.label or v.focus}" for v in examples)
            lines.append(f"- {message} ({n}×; e.g. {shown})")
            if len(lines) > MAX_LISTED:
                lines.append("- …")
                break
        return "\n".join(lines)


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


def validate_graph(data: Graph) -> ValidationResult:
    conforms, report, _ = shacl_validate(
        data, shacl_graph=shapes_graph(), inference="none", advanced=True, allow_warnings=True)
    violations = []
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        focus = report.value(result, SH.focusNode)
        label = data.value(focus, SKOS.prefLabel) if focus is not None else None
        violations.append(Violation(
            focus=str(focus), label=str(label or ""),
            path=str(report.value(result, SH.resultPath) or ""),
            message=str(report.value(result, SH.resultMessage) or "constraint violated"),
            shape=str(report.value(result, SH.sourceShape) or "")))
    violations.sort(key=lambda v: (v.message, v.focus))
    return ValidationResult(bool(conforms) or not violations, tuple(violations))
