"""The work of a build that runs documents: the per-document step (extract, make the graph,
validate it), in this process, in worker processes or on Dask, and the graphs every build
shares (the ontology, the reference data). kg/build/run.py imports this module only when a
document is to be run: a build with nothing to redo needs neither rdflib nor the pipeline."""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

from rdflib import BNode, Dataset, Graph
from rdflib.term import Node

from extract import gazetteer as gazetteer_module
from extract.records import ExtractedDocument
from extract.slugs import pinyin
from kg import iris
from kg.build.document import document_graph, document_graph_iri
from kg.build.memory import release_free_memory
from kg.build.metadata import concept_graph, source_graph
from kg.build.ntriples import Triples, ntriples
from kg.build.reference import reference_graph
from kg.build.relations import partition_graph
from kg.build.validate import DocumentValidator, Violation
from kg.errors import InputError
from kg.inputs.files import SourceText
from kg.ontology import ontology_graph
from kg.progress import Progress
from kg.store.qnames import use_flat_namespaces

if TYPE_CHECKING:  # the pipeline loads spaCy and jieba (4 s): only a build that extracts
    from extract.pipeline import Extractor


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


@dataclass(frozen=True, slots=True)
class MadeDocument:
    """A document's step before its validation: the record, its graph's triples and their
    N-Triples text."""

    record: ExtractedDocument
    triples: Triples
    ntriples: str


def document_step(source: SourceText, extractor: Extractor, validator: DocumentValidator,
                  progress: Progress | None = None, number: int = 0) -> DocumentResult:
    """Everything a build does for one document: extract, make its graph, validate it.
    `progress` (in the build's own process only) hears of each chunk and step."""
    progress = progress or Progress(enabled=False)
    made = make_document(source, extractor, progress, number)
    progress.step(VALIDATING, number)
    return DocumentResult(made.record, made.ntriples,
                          validator.validate(made.triples, made.ntriples))


VALIDATING = "validating the graph against the shapes"


def make_document(source: SourceText, extractor: Extractor, progress: Progress,
                  number: int) -> MadeDocument:
    """The step's part before validation: extract the record, make its graph and its text."""
    record = extractor.extract(source.doc, source.text, str(source.path),
                               on_chunk=progress.chars_done,
                               on_step=lambda what: progress.step(what, number))
    triples = document_triples(source, record, extractor.gaz)
    return MadeDocument(record, triples, ntriples(triples))


def overlapped_results(sources: list[SourceText], extractor: Extractor,
                       validator: DocumentValidator, progress: Progress
                       ) -> Iterator[DocumentResult]:
    """The steps of one process, in input order, each document's validation in a thread
    while the next document is extracted (and the caller caches the one before).
    pyshacl-turbo releases the GIL while it validates, nearly half of a document's step, so on
    two cores one process takes about the time of the longer half, with no second process's
    memory or pickled results (docs/scale.md, "Two threads in one process"). One validation
    runs at a time; a failure in it is raised here, at its document's turn."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-validate") as validating:
        waiting: tuple[MadeDocument, Future[tuple[Violation, ...]]] | None = None
        for number, source in enumerate(sources, 1):
            progress.document_started(number)
            made = make_document(source, extractor, progress, number)
            progress.step(VALIDATING, number)
            validation = validating.submit(validator.validate, made.triples, made.ntriples)
            if waiting is not None:
                yield validated(*waiting)
            waiting = made, validation
        if waiting is not None:
            yield validated(*waiting)


def validated(made: MadeDocument, validation: Future[tuple[Violation, ...]]
              ) -> DocumentResult:
    """The document's result once its validation has ended."""
    return DocumentResult(made.record, made.ntriples, validation.result())


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
    if executor.startswith("dask:"):
        yield from dask_results(sources, executor.removeprefix("dask:"), progress,
                                extractor.ner)
        return
    # The pipeline and the shared graphs are half a million objects that live as long as the
    # documents run: frozen, the collector's full passes skip them (0.8 of 14.7 CPU seconds of
    # the 27 reports' steps were the collector's, 0.15 frozen), and forked workers do not copy
    # the pages it would have touched.
    gc.freeze()
    try:
        if jobs <= 1 or len(sources) <= 1:
            yield from overlapped_results(sources, extractor, validator, progress)
        else:
            yield from pool_results(sources, extractor, validator, jobs, progress)
    finally:
        gc.unfreeze()


def pool_results(sources: list[SourceText], extractor: Extractor, validator: DocumentValidator,
                 jobs: int, progress: Progress) -> Iterator[DocumentResult]:
    """The result of each source, in the order of `sources`, from `jobs` forked processes."""
    global _WORKER_STATE
    _WORKER_STATE = (extractor, validator)
    pinyin("预热")  # its dictionaries load on first use: once here, not once in every worker
    validator.prepare()  # and the compiled shapes
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


def write_trig(ds: Dataset, f: BinaryIO) -> None:
    """TriG of the shared graphs with the named graphs in the order of their names: rdflib
    writes them in the order of its store's hash table, which differs between processes, and
    the same inputs must give the same bytes (with --jobs too)."""
    from rdflib.plugins.serializers.trig import TrigSerializer

    serializer = TrigSerializer(ds)
    serializer.contexts.sort(key=lambda graph: str(graph.identifier))
    serializer.serialize(f, encoding="utf-8")
