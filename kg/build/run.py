"""`kg build`: texts in, a validated graph, the mentions and a report out."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from rdflib import Dataset

from extract import gazetteer as gazetteer_module
from extract.pipeline import Extractor
from extract.records import ExtractedDocument
from kg import iris
from kg.build.claims import claim_report
from kg.build.document import document_graph, document_graph_iri
from kg.build.keys import assign_keys
from kg.build.metadata import concept_graph, source_graph
from kg.build.outdir import STAGING_PREFIX, check_out_dir, locked_out_dir
from kg.build.reference import reference_graph
from kg.build.relations import conflict_rows, partition_graph
from kg.build.texts import stage_texts, swap_texts
from kg.build.validate import ValidationResult, union_graph, validate_graph
from kg.inputs.encoding import TRADITIONAL
from kg.inputs.files import SourceText, read_sources
from kg.ontology import ontology_graph
from kg.progress import Progress
from kg.store.qnames import use_flat_namespaces

OUTPUTS = ("graph.trig", "mentions.jsonl", "report.json")


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build wrote, for its caller: the records, the validation and the report."""

    documents: tuple[ExtractedDocument, ...]
    validation: ValidationResult
    report: dict


def new_dataset() -> Dataset:
    ds = use_flat_namespaces(Dataset())  # writing TriG in time linear in the graph (qnames.py)
    for prefix, ns in (("pkg", "https://w3id.org/policy-kg/ont#"), ("pkgid", iris.id_base()),
                       ("oa", "http://www.w3.org/ns/oa#"), ("wd", "http://www.wikidata.org/entity/"),
                       ("geo", "http://www.opengis.net/ont/geosparql#")):
        ds.bind(prefix, ns)
    return ds


def assemble(documents: list[ExtractedDocument], gaz: gazetteer_module.Gazetteer,
             sources: Sequence[SourceText] = ()) -> Dataset:
    """The dataset of all named graphs: the ontology, the reference data of `gaz` with the
    document types and plan periods, and one graph per document record (`document_graph`),
    with where its text came from for each of `sources` (`source_graph`)."""
    ds = new_dataset()
    onto = ds.graph(iris.graph("ontology"))
    for triple in ontology_graph():
        onto.add(triple)
    reference = ds.graph(iris.graph("reference"))
    reference_graph(gaz, reference)
    partition_graph(reference)
    concept_graph(reference)
    for doc in documents:
        document_graph(doc, gaz, into=ds.graph(document_graph_iri(doc.doc)))
    for source in sources:
        source_graph(source, ds.graph(document_graph_iri(source.doc)))
    return ds


def mention_rows(documents: list[ExtractedDocument]) -> list[dict]:
    rows = []
    for doc in documents:
        for m in doc.mentions:
            # the column keeps its name `iri`: it holds the entity's full IRI
            rows.append({"doc": m.doc, "start": m.start, "end": m.end, "text": m.text,
                         "type": m.type, "iri": str(iris.entity(m.ref)) if m.ref else None,
                         "rule": m.rule})
    return rows


def table_warnings(documents: list[ExtractedDocument]) -> list[str]:
    """The tables' warnings, each prefixed with its document's path like the other warnings."""
    return [f"{doc.path}: {w}" for doc in documents for t in doc.tables for w in t.warnings]


def make_report(documents: list[ExtractedDocument], gaz: gazetteer_module.Gazetteer,
                validation: ValidationResult, input_warnings: list[str]) -> dict:
    """The build report, made from the records; `input_warnings` come first (the encodings)."""
    warnings = [*input_warnings, *table_warnings(documents)]
    entities: dict[str, set[str]] = {}
    mentions_per_class: Counter[str] = Counter()
    per_doc = {}
    unlinked = []
    for doc in documents:
        linked = {m.ref for m in doc.mentions if m.ref}
        meta = doc.meta
        per_doc[doc.doc] = {"path": doc.path, "title": meta.title,
                            "authors": list(meta.authors), "date": meta.date,
                            "type": meta.doc_type, "year": meta.year, "issuer": meta.issuer,
                            "plan_periods": list(meta.plan_periods),
                            "document_number": meta.doc_number, "language": meta.language,
                            "characters": len(doc.text), "sentences": len(doc.sentences),
                            "mentions": len(doc.mentions), "entities": len(linked)}
        for m in doc.mentions:
            mentions_per_class[m.type] += 1
            if m.ref:
                entities.setdefault(m.type, set()).add(m.ref)
            else:
                unlinked.append({"doc": m.doc, "start": m.start, "end": m.end, "text": m.text,
                                 "type": m.type, "rule": m.rule})
        if not doc.mentions:
            warnings.append(f"{doc.path}: no entity was recognised in this document")
    return {
        "documents": per_doc,
        "entities_per_class": {k: len(v) for k, v in sorted(entities.items())},
        "mentions_per_class": dict(sorted(mentions_per_class.items())),
        "observations_per_document": {doc.doc: sum(len(t.observations) for t in doc.tables)
                                      for doc in documents},
        "recommendations_per_document": {doc.doc: len(doc.recommendations)
                                         for doc in documents},
        "relations_per_document": {doc.doc: dict(sorted(Counter(
            r.predicate for r in doc.relations).items())) for doc in documents},
        "conflicts_with_reference": {doc.doc: conflict_rows(doc.relations, gaz)
                                     for doc in documents},
        "unlinked": unlinked,
        "warnings": warnings,
        "validation": {"conforms": validation.conforms,
                       "violations": [asdict(v) for v in validation.violations]},
        "reference_entities": len(gaz.entries),
        **claim_report(documents),
    }


def build(inputs: list[Path], out_dir: Path, extractor: Extractor | None = None,
          progress: Progress | None = None) -> BuildResult:
    """Reads, extracts, assembles, validates and writes; raises InputError on bad input before
    anything is written. `out_dir` is checked before the inputs are read."""
    check_out_dir(out_dir)
    return build_sources(read_sources(inputs), out_dir, extractor, progress)


def build_sources(sources: list[SourceText], out_dir: Path, extractor: Extractor | None = None,
                  progress: Progress | None = None) -> BuildResult:
    """The build of texts already read. `out_dir` is locked from here until the three outputs,
    staged in it, are renamed into place together."""
    progress = progress or Progress(enabled=False)
    with locked_out_dir(out_dir):
        try:
            return _build_locked(sources, out_dir, extractor or Extractor(), progress)
        finally:
            progress.close()


def _build_locked(sources: list[SourceText], out_dir: Path, extractor: Extractor,
                  progress: Progress) -> BuildResult:
    sources = assign_keys(sources, extractor.gaz)
    warnings = [encoding_warning(s) for s in sources if s.encoding != "utf-8"]
    warnings += [w for s in sources for w in s.warnings]
    documents = extract_all(sources, extractor, progress)
    progress.step("assembling the graph")
    ds = assemble(documents, extractor.gaz, sources)
    progress.step("validating the graph against the shapes")
    validation = validate_graph(union_graph(ds))
    report = make_report(documents, extractor.gaz, validation, warnings)
    progress.step("writing the outputs")
    write_outputs(out_dir, ds, mention_rows(documents), report, sources)
    return BuildResult(tuple(documents), validation, report)


def encoding_warning(source: SourceText) -> str:
    note = (" (traditional Chinese: names the gazetteer has only in simplified characters are "
            "not found)" if source.encoding in TRADITIONAL else "")
    return f"{source.path}: decoded as {source.encoding}{note}"


def extract_all(sources: list[SourceText], extractor: Extractor,
                progress: Progress) -> list[ExtractedDocument]:
    """The record of each source, in order: one pass over each document."""
    progress.start(len(sources), sum(len(s.text) for s in sources))
    documents = []
    for number, s in enumerate(sources, 1):
        progress.document_started(number)
        documents.append(extractor.extract(
            s.doc, s.text, str(s.path), on_chunk=progress.chars_done,
            on_step=lambda what, number=number: progress.step(what, number)))
    return documents


def write_outputs(out_dir: Path, ds: Dataset, mentions: list[dict], report: dict,
                  sources: list[SourceText] = ()) -> None:
    """Stages the outputs in a folder of `out_dir` and renames them into place; the caller holds
    the folder's lock (kg/build/outdir.py), and a build killed here leaves the staging folder
    for the next build to remove."""
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir))
    try:
        ds.serialize(destination=staging / "graph.trig", format="trig", encoding="utf-8")
        with (staging / "mentions.jsonl").open("w", encoding="utf-8", newline="\n") as f:
            for row in mentions:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        (staging / "report.json").write_text(
            json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        stage_texts(staging, list(sources))
        for name in OUTPUTS:
            (staging / name).replace(out_dir / name)
        swap_texts(staging, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
