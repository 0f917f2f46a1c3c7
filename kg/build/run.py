"""`kg build`: texts in; a validated graph in the output folder's Oxigraph store (`OUT/store`),
the mentions and a report out (and the graph as `OUT/graph.trig` with `--trig`).

This module decides what a build has to do, with light imports: a build with nothing to redo
(an unchanged rebuild) reads the manifest, the cached summaries and report.json, and imports
neither rdflib nor the store nor the pipeline. kg/build/write.py does the rest, and
kg/build/steps.py the documents' steps.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from extract import gazetteer as gazetteer_module
from kg.build.keys import assign_keys
from kg.build.manifest import (
    Manifest,
    cache_stem,
    read_manifest,
    remove_stale_results,
    source_hash,
    write_manifest,
)
from kg.build.outdir import OUTPUTS, check_out_dir, locked_out_dir
from kg.build.runner import DocumentProcess, Job
from kg.build.summary import load_summary
from kg.build.violations import ValidationResult, Violation, combine
from kg.inputs.encoding import TRADITIONAL
from kg.inputs.files import SourceText, read_sources
from kg.progress import Progress
from kg.store import swap as store_swap
from kg.store.layout import STORE_DIR, TRIG_FILE

if TYPE_CHECKING:  # the pipeline loads spaCy and jieba (4 s): only a build that extracts
    from extract.pipeline import Extractor


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build wrote, for its caller: the documents' keys in input order, the validation
    and the report (report.json's content). The records are not held: `load_record`
    (kg/build/manifest.py) reads one back from the build folder."""

    documents: tuple[str, ...]
    validation: ValidationResult
    report: dict


@dataclass(frozen=True, slots=True)
class Outputs:
    """What a build writes besides its store and report: `trig` also writes the graph as
    OUT/graph.trig; `wait` is how long the store may be busy with a reader (seconds); `cache`
    reads and fills the cache of the shared graphs' files (kg/build/cache.py); `ner` (where the
    build has no extractor of its caller's) runs the NER model too."""

    trig: bool = False
    wait: float = 0.0
    cache: bool = True
    ner: bool = False  # the documents' process adds the NER model's names (kg build --ner)


def build(inputs: list[Path], out_dir: Path, extractor: Extractor | None = None,
          progress: Progress | None = None, jobs: int = 1,
          executor: str = "processes", outputs: Outputs = Outputs()) -> BuildResult:
    """Reads, extracts, assembles, validates and writes; raises InputError on bad input before
    anything is written. `out_dir` is checked before the inputs are read."""
    check_out_dir(out_dir)
    return build_sources(read_sources(inputs), out_dir, extractor, progress, jobs, executor,
                         outputs)


def build_sources(sources: list[SourceText], out_dir: Path, extractor: Extractor | None = None,
                  progress: Progress | None = None, jobs: int = 1,
                  executor: str = "processes", outputs: Outputs = Outputs()) -> BuildResult:
    """The build of texts already read, each document in one of `jobs` processes, reusing the
    results of the documents unchanged since the last build into `out_dir`
    (kg/build/manifest.py). `out_dir` is locked from here until the outputs, staged in it, are
    renamed into place."""
    progress = progress or Progress(enabled=False)
    with locked_out_dir(out_dir):
        try:
            return _build_locked(sources, out_dir, extractor, progress, jobs, executor, outputs)
        finally:
            progress.close()


def _build_locked(sources: list[SourceText], out_dir: Path, extractor: Extractor | None,
                  progress: Progress, jobs: int, executor: str,
                  outputs: Outputs) -> BuildResult:
    before = read_manifest(out_dir)
    runner = None
    if before is None and sources and extractor is None:
        # no build before: every document runs, so their process loads its pipeline (seconds)
        # while this one finds the keys and the rest of its start
        runner = DocumentProcess(Job(out_dir, len(sources), outputs.ner, jobs, executor))
    try:
        return _build_planned(sources, out_dir, extractor, progress, jobs, executor, outputs,
                              before, runner)
    finally:
        if runner is not None:
            runner.close()  # where the build failed before its documents ran


def _build_planned(sources: list[SourceText], out_dir: Path, extractor: Extractor | None,
                   progress: Progress, jobs: int, executor: str, outputs: Outputs,
                   before: Manifest | None, runner: DocumentProcess | None) -> BuildResult:
    gaz = extractor.gaz if extractor is not None else gazetteer_module.default()
    sources = assign_keys(sources, gaz)
    current = Manifest.current(ner=extractor.ner if extractor is not None else outputs.ner)
    current.documents = {s.doc: source_hash(s) for s in sources}
    cached = reusable_documents(out_dir, current)
    warnings = [encoding_warning(s) for s in sources if s.encoding != "utf-8"]
    warnings += [w for s in sources for w in s.warnings]
    if len(cached) == len(sources) and before == replace(current, store=True):
        unchanged = unchanged_build(out_dir, current, outputs.trig)
        if unchanged is not None:
            return unchanged
    # rdflib, the store, the shared graphs and the pipeline: imported only from here on
    from kg.build.write import Plan, write_build

    plan = Plan(sources, gaz, current, before, cached, warnings, outputs.trig, outputs.wait,
                outputs.cache)
    validation, report = write_build(plan, out_dir, extractor, progress, jobs, executor,
                                     outputs.ner, runner)
    remove_stale_results(out_dir, {cache_stem(out_dir, key, sha)
                                   for key, sha in current.documents.items()})
    # last: a build killed before it is redone next time
    write_manifest(out_dir, replace(current, store=True))
    return BuildResult(tuple(current.documents), validation, report)


def reusable_documents(out_dir: Path, current: Manifest) -> set[str]:
    """The documents whose text, pipeline and reference data are those of the last complete
    build, and whose cached files are all there (each summary is read to check it, then
    dropped: the build reads it again when its turn comes)."""
    before = read_manifest(out_dir)
    if before is None or not before.same_versions(current):
        return set()
    return {key for key, sha in current.documents.items()
            if before.documents.get(key) == sha and load_summary(out_dir, key, sha) is not None}


def unchanged_build(out_dir: Path, current: Manifest, trig: bool = False) -> BuildResult | None:
    """Nothing changed since the last complete build: its outputs stand (None if one is
    missing or unreadable, and the build runs). The validation is the one report.json holds
    (`reusable_documents` has just read every summary; a second pass would read them again)."""
    names = (*OUTPUTS, TRIG_FILE) if trig else OUTPUTS
    if not all((out_dir / name).is_file() for name in names):
        return None
    if not store_swap.exists(out_dir / STORE_DIR):
        return None
    try:
        report = json.loads((out_dir / "report.json").read_text(encoding="utf-8"))
        violations = [Violation(**v) for v in report["validation"]["violations"]]
    except (OSError, ValueError, TypeError, KeyError):
        return None
    return BuildResult(tuple(current.documents), combine(violations), report)


def encoding_warning(source: SourceText) -> str:
    note = (" (traditional Chinese: names the gazetteer has only in simplified characters are "
            "not found)" if source.encoding in TRADITIONAL else "")
    return f"{source.path}: decoded as {source.encoding}{note}"
