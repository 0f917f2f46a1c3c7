"""The streaming half of `kg build`: each document's cached files are added, in input order, to
the outputs staged in a folder of OUT (the store's N-Quads, mentions.jsonl, graph.trig) and its
summary to the report's accumulators, so that the memory a build holds does not grow with the
corpus: only the report's counters, the sets of entity IRIs and the violations do."""

from __future__ import annotations

import io
import shutil
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from extract.claim_check import VERDICTS
from kg.build.document import document_graph_iri
from kg.build.manifest import cache_file
from kg.build.summary import DocumentSummary
from kg.build.violations import ValidationResult, Violation

if TYPE_CHECKING:
    from kg.store.build_store import StoreLoader

STORE_NQUADS, MENTIONS, REPORT = "graphs.nq", "mentions.jsonl", "report.json"
COPY_CHUNK = 1 << 20  # bytes per read when a cached file is copied into an output


@dataclass
class ReportParts:
    """The build report, gathered one document summary at a time."""

    documents: dict[str, dict] = field(default_factory=dict)
    table_warnings: list[str] = field(default_factory=list)
    no_entity_warnings: list[str] = field(default_factory=list)
    entities: dict[str, set[str]] = field(default_factory=dict)
    mentions_per_class: Counter[str] = field(default_factory=Counter)
    observations: dict[str, int] = field(default_factory=dict)
    recommendations: dict[str, int] = field(default_factory=dict)
    relations: dict[str, dict[str, int]] = field(default_factory=dict)
    conflicts: dict[str, list[dict]] = field(default_factory=dict)
    unlinked: list[dict] = field(default_factory=list)
    claims: dict[str, int] = field(default_factory=dict)
    claim_verdicts: Counter[str] = field(default_factory=Counter)
    violations: list[Violation] = field(default_factory=list)

    def add(self, s: DocumentSummary) -> None:
        self.documents[s.doc] = s.entry
        self.table_warnings += s.table_warnings
        if not s.entry["mentions"]:
            self.no_entity_warnings.append(
                f"{s.entry['path']}: no entity was recognised in this document")
        for cls, names in s.entities.items():
            self.entities.setdefault(cls, set()).update(names)
        self.mentions_per_class.update(s.mentions_per_class)
        self.observations[s.doc] = s.observations
        self.recommendations[s.doc] = s.recommendations
        self.relations[s.doc] = s.relations
        self.conflicts[s.doc] = s.conflicts
        self.unlinked += s.unlinked
        self.claims[s.doc] = s.claims
        self.claim_verdicts.update(s.claim_verdicts)
        self.violations += s.violations

    def report(self, input_warnings: list[str], validation: ValidationResult,
               reference_entities: int) -> dict:
        """report.json's content; `input_warnings` come first (the encodings)."""
        return {
            "documents": self.documents,
            "entities_per_class": {k: len(v) for k, v in sorted(self.entities.items())},
            "mentions_per_class": dict(sorted(self.mentions_per_class.items())),
            "observations_per_document": self.observations,
            "recommendations_per_document": self.recommendations,
            "relations_per_document": self.relations,
            "conflicts_with_reference": self.conflicts,
            "unlinked": self.unlinked,
            "warnings": [*input_warnings, *self.table_warnings, *self.no_entity_warnings],
            "validation": {"conforms": validation.conforms,
                           "violations": [asdict(v) for v in validation.violations]},
            "reference_entities": reference_entities,
            "claims_per_document": self.claims,
            "claim_verdicts": {v: self.claim_verdicts.get(v, 0) for v in VERDICTS},
        }


class StagedOutputs:
    """The build's outputs being written in `staging`, one document after another: the store's
    N-Quads (`store_nquads`; or each document's given to a `loader` of the store),
    mentions.jsonl and, with `trig`, graph.trig (opened by the caller, who writes its shared
    graphs first)."""

    def __init__(self, out_dir: Path, staging: Path, files: ExitStack, trig: bool,
                 loader: StoreLoader | None = None):
        self.out_dir, self.staging, self.loader = out_dir, staging, loader
        self.nquads = files.enter_context((staging / STORE_NQUADS).open("wb"))
        self.mentions = files.enter_context((staging / MENTIONS).open("wb"))
        self.trig = files.enter_context((staging / "graph.trig").open("wb")) if trig else None
        self.documents_in_store: list[str] = []

    def add(self, key: str, text_sha: str, to_store: bool) -> None:
        """Adds the document's cached mention rows, its graph to graph.trig (with `trig`) and
        to the store's N-Quads (`to_store`: its graph is (re)written into the store)."""
        with cache_file(self.out_dir, key, text_sha, "mentions").open("rb") as f:
            shutil.copyfileobj(f, self.mentions, COPY_CHUNK)
        if self.trig is None and not to_store:
            return  # the store keeps its graph: its N-Triples are not even read
        graph = cache_file(self.out_dir, key, text_sha, "graph")
        if self.trig is not None:
            write_document_trig(key, graph, self.trig)
        if to_store:
            self.add_to_store(key, graph)

    def add_to_store(self, key: str, graph: Path) -> None:
        """The document's graph to the loader while it takes more, else to the N-Quads file."""
        if self.loader is None or not self.loader.accepting():
            write_document_nquads(key, graph, self.nquads)
        else:
            nquads = io.BytesIO()
            write_document_nquads(key, graph, nquads)
            self.loader.add(nquads.getvalue())
        self.documents_in_store.append(key)


@contextmanager
def staged_outputs(out_dir: Path, staging: Path, trig: bool,
                   loader: StoreLoader | None = None) -> Iterator[StagedOutputs]:
    with ExitStack() as files:
        yield StagedOutputs(out_dir, staging, files, trig, loader)


def ntriples_lines(graph: Path) -> Iterator[bytes]:
    """The N-Triples file's statements, one by one, without their line ends. Split on b"\n"
    only: N-Triples escapes the line ends of its literals, not U+2028 and the like, which
    str.splitlines would split on."""
    with graph.open("rb") as f:
        for line in f:
            line = line.rstrip()
            if line:
                yield line


def write_document_nquads(key: str, graph: Path, f: BinaryIO) -> None:
    """The document's N-Triples lines as N-Quads of its named graph: nothing is parsed."""
    name = f" {document_graph_iri(key).n3()} .\n".encode()
    for line in ntriples_lines(graph):
        f.write(line.removesuffix(b".").rstrip() + name)


def write_document_trig(key: str, graph: Path, f: BinaryIO) -> None:
    """The document's graph as a TriG block of its N-Triples lines, sorted: N-Triples is
    Turtle, so nothing is parsed or rewritten (rdflib's pretty TriG of a corpus took most of a
    rebuild's time), and the bytes are the same from any process."""
    lines = sorted(ntriples_lines(graph))  # UTF-8's byte order is the characters' order
    f.write(f"\n{document_graph_iri(key).n3()} {{\n".encode())
    f.write(b"\n".join(lines))
    f.write(b"\n}\n")
