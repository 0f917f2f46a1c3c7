"""A validation's violations and their summary: plain values, without rdflib, so that a build
with nothing to redo reads them back from report.json and the cached summaries without
importing the graph libraries (kg/build/validate.py makes them)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

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


def combine(violations: Iterable[Violation]) -> ValidationResult:
    """One result from the violations of several graphs, in a stable order."""
    unique = sorted(set(violations), key=lambda v: (v.message, v.focus, v.path, v.shape))
    return ValidationResult(not unique, tuple(unique))
