"""The writing half of a build that has documents to run or outputs to change: the documents
streamed into the staged outputs (kg/build/stream.py), the store updated, the outputs renamed
into place. kg/build/run.py decides whether there is anything to do, with light imports; this
module and what it imports (rdflib, the store, the pipeline when documents run) are loaded only
then."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from kg import iris
from kg.build.document import document_graph_iri
from kg.build.manifest import Manifest, write_manifest
from kg.build.memory import release_free_memory
from kg.build.outdir import OUTPUTS, STAGING_PREFIX
from kg.build.runner import DocumentProcess, Job, saved_summaries
from kg.build.shared import SharedGraphs, SharedNeeds, shared_cache
from kg.build.stream import REPORT, STORE_NQUADS, ReportParts, staged_outputs
from kg.build.summary import DocumentSummary, load_summary
from kg.build.texts import stage_texts, swap_texts
from kg.build.violations import ValidationResult, combine
from kg.inputs.files import SourceText
from kg.progress import Progress
from kg.store import swap as store_swap
from kg.store.build_store import (
    StoreLoader,
    StoreUpdate,
    check_writable,
    put_built_store,
    write_build_store,
)
from kg.store.layout import STORE_DIR, TRIG_FILE

if TYPE_CHECKING:  # the pipeline loads spaCy and jieba (4 s): only a build that extracts
    from extract import gazetteer as gazetteer_module
    from extract.pipeline import Extractor

SHARED_GRAPHS = ("ontology", "reference")


@dataclass(frozen=True, slots=True)
class Plan:
    """What the first half of a build found (kg/build/run.py): the sources under their keys,
    the gazetteer, this build's manifest and the last one's, the documents whose cached results
    stand, the input warnings, the outputs asked for, and whether the shared graphs' cache is
    used."""

    sources: list[SourceText]
    gaz: gazetteer_module.Gazetteer
    current: Manifest
    before: Manifest | None
    cached: set[str]
    warnings: list[str]
    trig: bool
    wait: float
    cache: bool = True


def write_build(plan: Plan, out_dir: Path, extractor: Extractor | None, progress: Progress,
                jobs: int, executor: str, ner: bool = False,
                runner: DocumentProcess | None = None) -> tuple[ValidationResult, dict]:
    """Runs the documents not cached, writes the store and the outputs: the validation and the
    report. The documents run in a process of their own (kg/build/runner.py, with the NER model
    if `ner`; the caller's `runner` where it started one for every document), or in this one
    with `extractor` where the caller has one. The manifest is the caller's to write, last."""
    store = out_dir / STORE_DIR
    check_writable(store, plan.wait)  # a reader of the store would refuse it at the end
    trusted = store_trusted(plan.before, plan.current, store)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir))
    to_run = [s for s in plan.sources if s.doc not in plan.cached]
    needs = SharedNeeds(nquads=not trusted, trig=plan.trig, reference=bool(to_run))
    cache = shared_cache(plan.gaz) if plan.cache and needs.any() else None
    shared = SharedGraphs(plan.gaz, staging, needs, cache)  # in a child, while the pipeline loads
    loader = None
    try:
        if to_run and extractor is None and runner is None:  # it loads the pipeline meanwhile
            runner = DocumentProcess(Job(out_dir, len(to_run), ner, jobs, executor))
        assert runner is None or runner.job.count == len(to_run), "a runner for other documents"
        if not trusted and store_swap.same_file_system(staging, store):
            # filled while the documents run
            loader = StoreLoader(staging / STORE_DIR, after_batch=release_free_memory)
        progress.start(len(to_run), sum(len(s.text) for s in to_run))
        summaries = document_summaries(to_run, out_dir, plan.current, shared, extractor, runner,
                                       progress, jobs, executor)
        parts, in_store = stream_documents(plan.sources, plan.cached, out_dir, plan.current,
                                           staging, shared, summaries,
                                           trusted=trusted, trig=plan.trig, loader=loader)
        if runner is not None:
            runner.close()  # the pipeline's memory goes with its process
            runner = None
        validation = combine(parts.violations)
        report = parts.report(plan.warnings, validation, len(plan.gaz.entries))
        progress.step("writing the store")
        if loader is not None:
            loader.finish(staging / STORE_NQUADS)  # with the quads past its limit, if any
            put_loaded_store(out_dir, staging / STORE_DIR, before=plan.before, wait=plan.wait)
            loader = None
        else:
            update_store(out_dir, staging / STORE_NQUADS, in_store, whole=not trusted,
                         before=plan.before, current=plan.current, wait=plan.wait)
        progress.step("writing the outputs")
        write_outputs(out_dir, staging, report, plan.sources, trig=plan.trig)
    finally:
        if runner is not None:
            runner.close()
        if loader is not None:
            loader.abort()
        shared.stop()
        shutil.rmtree(staging, ignore_errors=True)
    return validation, report


def document_summaries(to_run: list[SourceText], out_dir: Path, current: Manifest,
                       shared: SharedGraphs, extractor: Extractor | None,
                       runner: DocumentProcess | None, progress: Progress, jobs: int,
                       executor: str) -> Iterator[DocumentSummary]:
    """The summary of each document of `to_run`, in their order, each result cached as its
    files on the way: from the `runner` or, with an `extractor`, from this process (and its
    workers)."""
    if not to_run:
        return iter(())
    shas = {s.doc: current.documents[s.doc] for s in to_run}
    if runner is not None:
        # the runner reads the reference lines the shared graphs' child wrote, or the cache's
        return runner.summaries(shared.reference_lines_path(), to_run, shas, progress)
    assert extractor is not None, "documents to run and neither a runner nor an extractor"
    from kg.build.steps import document_results
    from kg.build.validate import DocumentValidator

    validator = DocumentValidator(shared.reference_lines())
    results = document_results(to_run, extractor, validator, jobs, progress, executor)
    return saved_summaries(results, shas, out_dir, extractor.gaz)


def stream_documents(sources: list[SourceText], cached: set[str], out_dir: Path,
                     current: Manifest, staging: Path, shared: SharedGraphs,
                     summaries: Iterator[DocumentSummary], *, trusted: bool,
                     trig: bool, loader: StoreLoader | None = None
                     ) -> tuple[ReportParts, list[str]]:
    """Adds every document, in input order, from its cached files to the staged outputs and the
    report (those not in `cached` as `summaries` gives them, their results cached): the
    report's parts and the documents whose graphs are staged for the store (the new and changed
    ones; every one where the store is not `trusted`), or given to the `loader` of a new
    store, with the shared graphs, as they come."""
    parts = ReportParts()
    with staged_outputs(out_dir, staging, trig, loader) as staged:
        if loader is not None:
            loader.add_file(shared.nquads_path())
        elif not trusted:
            shared.copy_nquads(staged.nquads)
        if staged.trig is not None:
            shared.copy_trig(staged.trig)
        for source in sources:
            sha = current.documents[source.doc]
            if source.doc in cached:
                summary = load_summary(out_dir, source.doc, sha)
            else:
                summary = next(summaries)
                assert summary.doc == source.doc, "summaries come in input order"
            assert summary is not None, f"{source.doc}: its cached summary went missing"
            staged.add(source.doc, sha, to_store=not trusted or source.doc not in cached)
            parts.add(summary)
            release_free_memory()  # what the summary's unpickling and the copies freed
    # run the summaries to their end: the worker pool, the Dask cluster or the runner ends there
    assert next(summaries, None) is None, "a summary for no document"
    return parts, staged.documents_in_store


def store_trusted(before: Manifest | None, current: Manifest, store: Path) -> bool:
    """Whether the store holds exactly the last complete build's graphs, of the versions of
    this one: then only the new, changed and removed documents' graphs are written."""
    return (before is not None and before.store and before.same_versions(current)
            and store_swap.exists(store))


def update_store(out_dir: Path, nquads: Path, documents: list[str], *, whole: bool,
                 before: Manifest | None, current: Manifest, wait: float) -> None:
    """Writes the graphs of `documents`, staged in the file `nquads`, into OUT/store in place of
    theirs (and the shared graphs too, `whole`), drops the graphs of documents no longer built,
    and leaves the rest. The manifest says the store is not to be trusted while it is written:
    a build killed then has the next one rewrite it whole."""
    removed = set(before.documents) - set(current.documents) if before is not None else set()
    if not whole and not documents and not removed:
        return  # nothing in the store changes
    distrust_store(out_dir, before)
    replaced = [str(document_graph_iri(key)) for key in documents]
    if whole:
        replaced += [str(iris.graph(name)) for name in SHARED_GRAPHS]
    write_build_store(out_dir / STORE_DIR, StoreUpdate(nquads, replaced, stale_graphs(current)),
                      wait)


def put_loaded_store(out_dir: Path, built: Path, *, before: Manifest | None,
                     wait: float) -> None:
    """The store `built`, loaded whole while the documents ran, takes OUT/store's place, with
    the graphs of the old store that no build writes (a link graph, `kg load`'s data)."""
    distrust_store(out_dir, before)
    shared = {str(iris.graph(name)) for name in SHARED_GRAPHS}
    prefix = str(iris.graph("doc/"))  # a document's graph: this build's, or dropped
    put_built_store(out_dir / STORE_DIR, built,
                    lambda name: name in shared or name.startswith(prefix), wait)


def distrust_store(out_dir: Path, before: Manifest | None) -> None:
    """The manifest says the store is not to be trusted while it is written: a build killed
    then has the next one rewrite it whole."""
    if before is not None and before.store:
        write_manifest(out_dir, replace(before, store=False))


def stale_graphs(current: Manifest) -> Callable[[str], bool]:
    """Whether a graph of the store is that of a document no longer built."""
    kept = {str(document_graph_iri(key)) for key in current.documents}
    prefix = str(iris.graph("doc/"))
    return lambda name: name.startswith(prefix) and name not in kept


def write_outputs(out_dir: Path, staging: Path, report: dict,
                  sources: Sequence[SourceText] = (), trig: bool = False) -> None:
    """Writes the report and the texts beside the outputs staged in `staging` (a folder of
    `out_dir`) and renames them into place; the caller holds the folder's lock
    (kg/build/outdir.py), and a build killed here leaves the staging folder for the next build
    to remove. Without `trig`, a graph.trig of an earlier build is removed: it would no longer
    be this build's graph."""
    if trig:
        (staging / TRIG_FILE).replace(out_dir / TRIG_FILE)
    else:
        (out_dir / TRIG_FILE).unlink(missing_ok=True)
    (staging / REPORT).write_text(
        json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    stage_texts(staging, list(sources))
    for name in OUTPUTS:
        (staging / name).replace(out_dir / name)
    swap_texts(staging, out_dir)
