"""`kg build`: texts in; a validated graph in the output folder's Oxigraph store (`OUT/store`),
the mentions and a report out (and the graph as `OUT/graph.trig` with `--trig`)."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from rdflib import BNode, Dataset, Graph
from rdflib.term import Node

from extract import gazetteer as gazetteer_module
from extract.records import ExtractedDocument
from extract.slugs import pinyin
from kg import iris
from kg.build.document import document_graph, document_graph_iri
from kg.build.keys import assign_keys
from kg.build.manifest import (
    Manifest,
    cache_stem,
    read_manifest,
    remove_stale_results,
    source_hash,
    write_manifest,
)
from kg.build.memory import release_free_memory
from kg.build.metadata import concept_graph, source_graph
from kg.build.ntriples import Triples, ntriples
from kg.build.outdir import STAGING_PREFIX, check_out_dir, locked_out_dir
from kg.build.reference import reference_graph
from kg.build.relations import partition_graph
from kg.build.shared import SharedGraphs, SharedNeeds
from kg.build.stream import REPORT, STORE_NQUADS, ReportParts, staged_outputs
from kg.build.summary import load_summary, save_document
from kg.build.texts import stage_texts, swap_texts
from kg.build.validate import DocumentValidator, ValidationResult, Violation, combine
from kg.errors import InputError
from kg.inputs.encoding import TRADITIONAL
from kg.inputs.files import SourceText, read_sources
from kg.ontology import ontology_graph
from kg.progress import Progress
from kg.store import swap as store_swap
from kg.store.build_store import StoreUpdate, check_writable, write_build_store
from kg.store.qnames import use_flat_namespaces
from kg.store.registry import STORE_DIR, TRIG_FILE

if TYPE_CHECKING:  # the pipeline loads spaCy and jieba (4 s): only a build that extracts
    from extract.pipeline import Extractor

OUTPUTS = ("mentions.jsonl", "report.json")  # and the store, and graph.trig with --trig
SHARED_GRAPHS = ("ontology", "reference")


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build wrote, for its caller: the documents' keys in input order, the validation
    and the report (report.json's content). The records are not held: `load_record`
    (kg/build/manifest.py) reads one back from the build folder."""

    documents: tuple[str, ...]
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
    ds = corpus_dataset(gaz)
    for doc in documents:
        document_graph(doc, gaz, into=ds.graph(document_graph_iri(doc.doc)))
    for source in sources:
        source_graph(source, ds.graph(document_graph_iri(source.doc)))
    return ds


def corpus_dataset(gaz: gazetteer_module.Gazetteer) -> Dataset:
    """A dataset with the graphs every build shares: the ontology and the reference data (with
    the document types and plan periods)."""
    ds = new_dataset()
    onto = ds.graph(iris.graph("ontology"))
    for triple in stable_blank_nodes(ontology_graph()):
        onto.add(triple)
    reference = ds.graph(iris.graph("reference"))
    reference_graph(gaz, reference)
    partition_graph(reference)
    concept_graph(reference)
    return ds


def stable_blank_nodes(graph: Graph) -> Iterator[tuple[Node, Node, Node]]:
    """The graph's triples with each blank node named by a hash of where it hangs (its
    parent's name and the predicate) and of what it holds, not by rdflib's random
    per-process names, so that every build writes the same bytes. The ontology's blank nodes
    (lists, restrictions, Data Cube components) form trees; two with the same parent,
    predicate and content would be one node, which the assertion guards."""
    blank = {n for n in graph.all_nodes() if isinstance(n, BNode)}
    held: dict[Node, str] = {}
    names: dict[Node, str] = {}

    def holds(node: Node) -> str:
        """A hash of the node's content, its blank children's by their content."""
        if node not in held:
            held[node] = ""  # a cycle ends here
            lines = sorted(f"{p.n3()} {holds(o) if o in blank else o.n3()}"
                           for p, o in graph.predicate_objects(node))
            held[node] = hashlib.sha1("\n".join(lines).encode()).hexdigest()
        return held[node]

    def name(node: Node) -> str:
        if node not in names:
            names[node] = holds(node)  # a cycle: its content alone
            parent, predicate = next(iter(graph.subject_predicates(node)), (None, None))
            where = "" if parent is None else (
                name(parent) if parent in blank else parent.n3()) + f" {predicate}"
            names[node] = "o" + hashlib.sha1(f"{where}|{holds(node)}".encode()).hexdigest()[:20]
        return names[node]

    relabel = {n: BNode(name(n)) for n in blank}
    assert len(set(relabel.values())) == len(blank), "two blank nodes of one content and place"
    for s, p, o in graph:
        yield relabel.get(s, s), p, relabel.get(o, o)


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """What the per-document step returns, from any process: the record, the document's graph
    as N-Triples (it has no blank nodes, so the text is the graph) and its violations."""

    record: ExtractedDocument
    ntriples: str
    violations: tuple[Violation, ...]


def document_step(source: SourceText, extractor: Extractor, validator: DocumentValidator,
                  progress: Progress | None = None, number: int = 0) -> DocumentResult:
    """Everything a build does for one document: extract, make its graph, validate it.
    `progress` (in the build's own process only) hears of each chunk and step."""
    progress = progress or Progress(enabled=False)
    record = extractor.extract(source.doc, source.text, str(source.path),
                               on_chunk=progress.chars_done,
                               on_step=lambda what: progress.step(what, number))
    triples = document_triples(source, record, extractor.gaz)
    text = ntriples(triples)
    progress.step("validating the graph against the shapes", number)
    return DocumentResult(record, text, validator.validate(triples, text))


def document_triples(source: SourceText, record: ExtractedDocument,
                     gaz: gazetteer_module.Gazetteer) -> Triples:
    """The document's graph (`document_graph`, with where its text came from) as a plain set
    of triples: nothing reads it as a graph before it is written as N-Triples."""
    triples = document_graph(record, gaz, into=Triples())
    source_graph(source, triples)
    return triples


# The extractor and validator of a worker process: set in the parent before the pool forks,
# so each worker has them without loading the pipeline again.
_WORKER_STATE: tuple[Extractor, DocumentValidator] | None = None


def _worker_step(source: SourceText) -> DocumentResult:
    assert _WORKER_STATE is not None, "the pool was started without the worker state"
    result = document_step(source, *_WORKER_STATE)
    release_free_memory()  # what the step freed, before the worker's next document
    return result


def _dask_step(source: SourceText, ner: bool = False) -> DocumentResult:
    """The step on a Dask worker: the pipeline and reference graph are loaded once per worker
    process, on its first document (with the NER model when `ner`, as `kg build --ner`)."""
    global _WORKER_STATE
    if _WORKER_STATE is None:
        from extract.pipeline import Extractor

        extractor = Extractor(ner=ner)
        reference = corpus_dataset(extractor.gaz).graph(iris.graph("reference"))
        _WORKER_STATE = (extractor, DocumentValidator(reference))
    return document_step(source, *_WORKER_STATE)


def dask_results(sources: list[SourceText], address: str,
                 progress: Progress, ner: bool = False) -> Iterator[DocumentResult]:
    """The result of each source from a Dask cluster: `local` starts one on this machine (one
    worker process per core), anything else is a scheduler's address (tcp://host:8786). The
    workers need policy-kg installed, as here."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise InputError("--executor dask:…: Dask is not installed "
                         "(pip install 'policy-kg[dask]')") from None
    cluster = LocalCluster(processes=True, threads_per_worker=1) if address == "local" else None
    try:
        with Client(cluster if cluster is not None else address) as client:
            futures = client.map(_dask_step, sources, ner=ner, pure=False)
            for number, future in enumerate(futures, 1):  # in input order
                result = future.result()
                progress.document_started(number)
                progress.chars_done(len(result.record.text))
                yield result
    except OSError as e:
        raise InputError(f"--executor dask:{address}: cannot reach the scheduler: {e}") from None
    finally:
        if cluster is not None:
            cluster.close()


def document_results(sources: list[SourceText], extractor: Extractor,
                     validator: DocumentValidator, jobs: int,
                     progress: Progress, executor: str = "processes") -> Iterator[DocumentResult]:
    """The result of each source, in the order of `sources`, from `jobs` processes or from a
    Dask cluster (`executor` "dask:ADDRESS" or "dask:local")."""
    global _WORKER_STATE
    if executor.startswith("dask:"):
        yield from dask_results(sources, executor.removeprefix("dask:"), progress,
                                extractor.ner)
        return
    if jobs <= 1 or len(sources) <= 1:
        for number, source in enumerate(sources, 1):
            progress.document_started(number)
            yield document_step(source, extractor, validator, progress, number)
        return
    _WORKER_STATE = (extractor, validator)
    pinyin("预热")  # its dictionaries load on first use: once here, not once in every worker
    try:
        # fork: the workers share the loaded pipeline and reference graph copy-on-write
        with ProcessPoolExecutor(max_workers=jobs,
                                 mp_context=multiprocessing.get_context("fork")) as pool:
            for number, result in enumerate(pool.map(_worker_step, sources), 1):
                progress.document_started(number)
                progress.chars_done(len(result.record.text))  # workers report only when done
                yield result
    finally:
        _WORKER_STATE = None


@dataclass(frozen=True, slots=True)
class Outputs:
    """What a build writes besides its store and report: `trig` also writes the graph as
    OUT/graph.trig; `wait` is how long the store may be busy with a reader (seconds)."""

    trig: bool = False
    wait: float = 0.0


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
    gaz = extractor.gaz if extractor is not None else gazetteer_module.default()
    sources = assign_keys(sources, gaz)
    current = Manifest.current(ner=extractor is not None and extractor.ner)
    current.documents = {s.doc: source_hash(s) for s in sources}
    before = read_manifest(out_dir)
    cached = reusable_documents(out_dir, current)
    warnings = [encoding_warning(s) for s in sources if s.encoding != "utf-8"]
    warnings += [w for s in sources for w in s.warnings]
    if len(cached) == len(sources) and before == replace(current, store=True):
        unchanged = unchanged_build(out_dir, current, outputs.trig)
        if unchanged is not None:
            return unchanged
    store = out_dir / STORE_DIR
    check_writable(store, outputs.wait)  # a reader of the store would refuse it at the end
    trusted = store_trusted(before, current, store)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir))
    needs = SharedNeeds(nquads=not trusted, trig=outputs.trig,
                        reference=any(s.doc not in cached for s in sources))
    shared = SharedGraphs(gaz, staging, needs)  # in a child, while the pipeline loads
    try:
        if extractor is None:
            from extract.pipeline import Extractor

            extractor = Extractor()
        parts, in_store = stream_documents(sources, cached, out_dir, current, staging, shared,
                                           extractor, progress, jobs, executor,
                                           trusted=trusted, trig=outputs.trig)
        validation = combine(parts.violations)
        report = parts.report(warnings, validation, len(extractor.gaz.entries))
        # the pipeline is not needed past here: the store's loader can have its memory (about
        # 150 MB) where this function made it
        del extractor
        release_free_memory()
        progress.step("writing the store")
        update_store(out_dir, staging / STORE_NQUADS, in_store, whole=not trusted,
                     before=before, current=current, wait=outputs.wait)
        progress.step("writing the outputs")
        write_outputs(out_dir, staging, report, sources, trig=outputs.trig)
    finally:
        shared.stop()
        shutil.rmtree(staging, ignore_errors=True)
    remove_stale_results(out_dir, {cache_stem(out_dir, key, sha)
                                   for key, sha in current.documents.items()})
    # last: a build killed before it is redone next time
    write_manifest(out_dir, replace(current, store=True))
    return BuildResult(tuple(current.documents), validation, report)


def stream_documents(sources: list[SourceText], cached: set[str], out_dir: Path,
                     current: Manifest, staging: Path, shared: SharedGraphs,
                     extractor: Extractor,
                     progress: Progress, jobs: int, executor: str, *, trusted: bool,
                     trig: bool) -> tuple[ReportParts, list[str]]:
    """Runs the step of every document not in `cached`, caching each result as it arrives and
    dropping it, and adds every document, in input order, from its cached files to the staged
    outputs and the report: the report's parts and the documents whose graphs are staged for
    the store (the new and changed ones; every one where the store is not `trusted`)."""
    to_run = [s for s in sources if s.doc not in cached]
    progress.start(len(to_run), sum(len(s.text) for s in to_run))
    results: Iterator[DocumentResult] = iter(())
    if to_run:
        validator = DocumentValidator(shared.reference_lines())
        results = document_results(to_run, extractor, validator, jobs, progress, executor)
    parts = ReportParts()
    with staged_outputs(out_dir, staging, trig) as staged:
        if not trusted:
            shared.copy_nquads(staged.nquads)
        if staged.trig is not None:
            shared.copy_trig(staged.trig)
        for source in sources:
            sha = current.documents[source.doc]
            if source.doc in cached:
                summary = load_summary(out_dir, source.doc, sha)
            else:
                result = next(results)
                assert result.record.doc == source.doc, "results come in input order"
                summary = save_document(out_dir, sha, result, extractor.gaz)
                del result  # only its files and summary are kept
                release_free_memory()  # what the step freed: the heap would keep it
            assert summary is not None, f"{source.doc}: its cached summary went missing"
            staged.add(source.doc, sha, to_store=not trusted or source.doc not in cached)
            parts.add(summary)
    # run the results to their end: the worker pool or the Dask cluster is shut down there
    assert next(results, None) is None, "a result for no document"
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
    if before is not None and before.store:
        write_manifest(out_dir, replace(before, store=False))
    kept = {str(document_graph_iri(key)) for key in current.documents}
    prefix = str(iris.graph("doc/"))
    replaced = [str(document_graph_iri(key)) for key in documents]
    if whole:
        replaced += [str(iris.graph(name)) for name in SHARED_GRAPHS]
    write_build_store(out_dir / STORE_DIR, StoreUpdate(
        nquads, replaced, lambda name: name.startswith(prefix) and name not in kept), wait)


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


def write_trig(ds: Dataset, f: BinaryIO) -> None:
    """TriG of the shared graphs with the named graphs in the order of their names: rdflib
    writes them in the order of its store's hash table, which differs between processes, and
    the same inputs must give the same bytes (with --jobs too)."""
    from rdflib.plugins.serializers.trig import TrigSerializer

    serializer = TrigSerializer(ds)
    serializer.contexts.sort(key=lambda graph: str(graph.identifier))
    serializer.serialize(f, encoding="utf-8")
