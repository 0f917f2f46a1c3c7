"""Corpus scale (issue 14): documents built in parallel give the same bytes and the same store
as one process, a document's graph is validated on its own, with the same violations on both
engines, and an incremental build changes only what changed, in the store too."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from conftest import cell, file_nquads, shared_input, store_nquads
from rdflib import Graph

from kg import iris
from kg.build.document import document_graph
from kg.build.metadata import concept_graph
from kg.build.reference import reference_graph
from kg.build.relations import partition_graph
from kg.build.steps import document_step, overlapped_results, stable_blank_nodes
from kg.build.validate import DocumentValidator, ReferenceLines
from kg.inputs.files import SourceText
from kg.ontology import ontology_graph
from kg.progress import Progress
from kg.vocab import PKG

REPORTS = ("gwr-2025-beijing.txt", "gwr-2025-gansu.txt", "gwr-2025-anhui.txt")
OUTPUTS = ("graph.trig", "mentions.jsonl", "report.json")  # graph.trig: built with --trig
TEXT = "广西壮族自治区首府南宁市与北部湾城市群相连，成渝地区双城经济圈和西部陆海新通道也在其中。"


@pytest.fixture(scope="module")
def three_reports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("three-reports")
    for name in REPORTS:
        shutil.copy(shared_input("corpus-dev", "gwr-2025", name), folder / name)
    return folder


@pytest.fixture(scope="module")
def builds_by_jobs(three_reports, kg_command, tmp_path_factory):
    """The three reports built by the real `kg build` with 1 and with 2 processes."""
    outs = {}
    for jobs in (1, 2):
        out = tmp_path_factory.mktemp(f"jobs-{jobs}")
        done = subprocess.run([*kg_command, "build", str(three_reports), "--out", str(out),
                               "--jobs", str(jobs), "--trig"],
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        outs[jobs] = out
    return outs


@pytest.mark.slow
def test_two_processes_write_the_same_bytes_as_one(builds_by_jobs):
    for name in OUTPUTS:
        one = (builds_by_jobs[1] / name).read_bytes()
        assert one == (builds_by_jobs[2] / name).read_bytes(), name
    trig = (builds_by_jobs[1] / "graph.trig").read_text(encoding="utf-8")
    for name in REPORTS:  # every document is there, not just the same nothing twice
        assert f"graph/doc/{name.removesuffix('.txt')}>" in trig


@pytest.mark.slow
def test_the_store_holds_the_graph_file_and_is_the_same_from_two_processes(builds_by_jobs):
    one = store_nquads(builds_by_jobs[1] / "store")
    assert one == store_nquads(builds_by_jobs[2] / "store")  # the ontology's blank nodes too
    assert one == file_nquads(builds_by_jobs[1] / "graph.trig")
    graphs = {line.rsplit(" ", 2)[-2] for line in one}
    assert {g for g in graphs if "/graph/doc/" in g} == {
        f"<{iris.graph('doc/' + name.removesuffix('.txt'))}>" for name in REPORTS}


def test_jobs_below_zero_is_refused(kg_command, tmp_path):
    done = subprocess.run([*kg_command, "build", "--jobs", "-1", "--out", str(tmp_path / "o")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip() == ("kg: error: --jobs -1: expected 1 or more processes, or 0 "
                                   "for one per core")
    assert not (tmp_path / "o").exists()


def test_jobs_zero_is_one_process_per_core_this_process_may_use():
    from kg.commands.build import process_count

    assert process_count(0) == len(os.sched_getaffinity(0))
    assert process_count(3) == 3


class ThreadNoting(DocumentValidator):
    """The build's validator, noting the thread each validation runs in."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.threads: list[threading.Thread] = []

    def validate(self, *args, **kwargs):
        self.threads.append(threading.current_thread())
        return super().validate(*args, **kwargs)


@pytest.fixture(scope="module")
def reference_lines(small_document):
    return ReferenceLines(small_document[1])


@pytest.fixture(scope="module")
def three_small_sources() -> list[SourceText]:
    return [SourceText(key, Path(f"{key}.txt"), text, "utf-8")
            for key, text in SMALL_TEXTS.items()]


def test_one_process_validates_in_a_thread_and_gives_the_plain_step_s_results(
        extractor, reference_lines, three_small_sources):
    validator = ThreadNoting(reference_lines)
    overlapped = list(overlapped_results(three_small_sources, extractor, validator,
                                         Progress(enabled=False)))
    assert len(validator.threads) == 3
    assert threading.main_thread() not in validator.threads
    plain = [document_step(s, extractor, DocumentValidator(reference_lines))
             for s in three_small_sources]
    assert [r.record.doc for r in overlapped] == list(SMALL_TEXTS)  # in input order
    assert overlapped == plain


def test_a_validation_that_fails_in_its_thread_is_raised_at_its_document(
        extractor, reference_lines, three_small_sources):
    results = overlapped_results(three_small_sources, extractor,
                                 DocumentValidator(reference_lines, engine="nope"),
                                 Progress(enabled=False))
    with pytest.raises(ValueError, match="unknown SHACL engine 'nope'"):
        next(results)


def test_the_ontology_blank_nodes_are_named_by_content_not_chance():
    first = set(stable_blank_nodes(ontology_graph()))
    parsed_again = Graph().parse(data=ontology_graph().serialize(format="turtle"),
                                 format="turtle")  # new random blank node names
    assert set(stable_blank_nodes(parsed_again)) == first
    assert len(first) == len(ontology_graph())


@pytest.fixture(scope="module")
def small_document(extractor):
    record = extractor.extract("small", TEXT, "small.txt")
    reference = Graph()
    reference_graph(extractor.gaz, reference)
    partition_graph(reference)
    concept_graph(reference)  # the document types and plan periods, as every build has them
    return document_graph(record, extractor.gaz), reference


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["turbo", "pyshacl"])
def test_a_document_graph_is_validated_alone_in_the_context_of_what_it_names(small_document,
                                                                            engine):
    graph, reference = small_document
    validator = DocumentValidator(reference, engine)
    assert validator.validate(graph) == ()
    document = iris.document("small")
    body = next(graph.objects(document, PKG.mentions))
    broken = Graph()
    for triple in graph:
        broken.add(triple)
    broken.remove((document, PKG.mentions, body))  # a mention whose entity the document omits
    found = validator.validate(broken)
    assert {v.shape.split("#")[-1] for v in found} == {"MentionListedShape"}
    assert all(v.message.startswith(f"The mention links {body} ") for v in found)


# --------------------------------------------------------------------------------------------
# incremental builds (kg/build/manifest.py)

SMALL_TEXTS = {
    "gx": "广西壮族自治区首府南宁市与北部湾城市群相连。",
    "cq": "成渝地区双城经济圈和西部陆海新通道是重庆的机遇。",
    "hn": "海南自由贸易港建设全面推进，海口市和三亚市协同发展。",
}


def result_files(out) -> dict[str, int]:
    """Each cached result by document key, with the inode of its file: a result made again is
    a new file (written beside, then renamed), one reused keeps its inode."""
    return {p.name.split(".")[0]: p.stat().st_ino for p in (out / "documents").glob("*.pickle")}


def outputs(out) -> dict[str, int]:
    """The build's files and its store's, and when each was written (not the lock file, which
    names the last build's process)."""
    files = [p for p in out.iterdir() if p.is_file() and not p.name.startswith(".")]
    return {str(p.relative_to(out)): p.stat().st_mtime_ns for p in (
        *files, *(out / "store").iterdir())}


def store_tables(out) -> set[int]:
    """The inodes of the store's table files (RocksDB writes them once and never changes them;
    a checkpoint copy hard-links them)."""
    return {p.stat().st_ino for p in (out / "store").glob("*.sst")}


def document_graphs(out) -> set[str]:
    """The keys of the documents whose graphs the build's store holds."""
    import pyoxigraph as ox

    prefix = str(iris.graph("doc/"))
    names = (str(g.value) for g in ox.Store.read_only(str(out / "store")).named_graphs())
    return {name.removeprefix(prefix) for name in names if name.startswith(prefix)}


@pytest.fixture(scope="module")
def incremental(tmp_path_factory, extractor):
    """A folder of three small texts and a build folder, built once."""
    from kg.build.run import build

    texts = tmp_path_factory.mktemp("texts")
    for key, text in SMALL_TEXTS.items():
        (texts / f"{key}.txt").write_text(text, encoding="utf-8")
    out = tmp_path_factory.mktemp("incremental") / "build"

    def run():
        return build([texts], out, extractor=extractor)

    run()
    return texts, out, run


@pytest.mark.slow
def test_an_unchanged_rebuild_writes_nothing(incremental):
    _texts, out, run = incremental
    before = outputs(out)
    results = result_files(out)
    result = run()
    assert outputs(out) == before
    assert result_files(out) == results
    assert list(result.documents) == sorted(SMALL_TEXTS)


@pytest.mark.slow
def test_a_rebuild_redoes_only_the_changed_and_the_new_document(incremental):
    texts, out, run = incremental
    results = result_files(out)
    tables = store_tables(out)
    (texts / "cq.txt").write_text(SMALL_TEXTS["cq"] + "重庆市也在其中。", encoding="utf-8")
    (texts / "sc.txt").write_text("四川省成都市是西部的中心城市。", encoding="utf-8")
    result = run()
    now = result_files(out)
    assert set(now) == {*SMALL_TEXTS, "sc"}
    assert {key for key in now if now[key] != results.get(key)} == {"cq", "sc"}
    quads = "\n".join(store_nquads(out / "store"))
    assert "重庆市也在其中" in quads and "graph/doc/sc>" in quads
    assert document_graphs(out) == {*SMALL_TEXTS, "sc"}
    assert set(result.report["documents"]) == {*SMALL_TEXTS, "sc"}
    # the store was changed on a copy of itself, not loaded again: its earlier table files
    # (the shared graphs, the unchanged documents) are in the new store as they were
    assert tables & store_tables(out)


@pytest.mark.slow
def test_a_removed_document_leaves_the_graph_and_its_result_goes(incremental):
    texts, out, run = incremental
    (texts / "hn.txt").unlink()
    result = run()
    assert "hn" not in result_files(out)
    assert document_graphs(out) == {"gx", "cq", "sc"}
    assert "hn" not in result.report["documents"]
    (texts / "hn.txt").write_text(SMALL_TEXTS["hn"], encoding="utf-8")  # as the others found it
    run()


@pytest.mark.slow
def test_another_pipeline_or_reference_version_redoes_every_document(incremental):
    import json

    _texts, out, run = incremental
    for field_name in ("pipeline", "reference"):
        results = result_files(out)
        tables = store_tables(out)
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        manifest[field_name] = "an older version"
        (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        run()
        now = result_files(out)
        assert set(now) == set(results)
        assert all(now[key] != results[key] for key in now), field_name
        assert not tables & store_tables(out), "the store was not written anew"
    assert document_graphs(out) == {*SMALL_TEXTS, "sc"}
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["store"] is True


# --------------------------------------------------------------------------------------------
# the catalogue at corpus size, on every store



@pytest.fixture(scope="module")
def corpus_stores(builds_by_jobs, tmp_path_factory):
    """The three-report build in memory, in the build's own store, in embedded Oxigraph, in an
    Oxigraph server and (where installed) in Virtuoso, each filled the way `kg load` fills
    it. The servers get the named graphs the memory store read (`send_graphs`, what `kg load`
    sends), so the graph file is parsed once, not once more per server."""
    import virtuoso
    from servers import send_graphs, start_oxigraph

    from kg.store.base import StoreSpec
    from kg.store.load import load
    from kg.store.registry import open_store

    trig = builds_by_jobs[1] / "graph.trig"
    folder = tmp_path_factory.mktemp("corpus-stores")
    stores = {"memory": open_store(StoreSpec("memory", str(trig))),
              "build store": open_store(StoreSpec("oxigraph", str(builds_by_jobs[1] / "store")))}
    parsed = stores["memory"].dataset()
    load(StoreSpec("oxigraph", str(folder / "oxigraph")), trig)
    stores["oxigraph"] = open_store(StoreSpec("oxigraph", str(folder / "oxigraph")))
    (folder / "server").mkdir()
    servers = [start_oxigraph(folder / "server")]
    send_graphs(StoreSpec("sparql", servers[0].query_url), parsed)
    stores["sparql"] = open_store(StoreSpec("sparql", servers[0].query_url))
    if virtuoso.available():
        servers.append(virtuoso.start_virtuoso(folder / "virtuoso"))
        send_graphs(StoreSpec("sparql", servers[1].query_url), parsed,
                    graph_store=servers[1].gsp_url)
        stores["virtuoso"] = open_store(StoreSpec("sparql", servers[1].query_url))
    yield stores
    for server in servers:
        server.stop()


def local_queries() -> list[str]:
    """The catalogue's queries that read only the graph (not another endpoint's)."""
    from kg.sparql.catalogue import catalogue

    return sorted(name for name, path in catalogue().items()
                  if "SERVICE" not in path.read_text(encoding="utf-8"))


@pytest.mark.slow
@pytest.mark.parametrize("name", local_queries())
def test_the_catalogue_gives_the_same_rows_on_every_store_at_corpus_size(name, corpus_stores):
    """Issue 14: on a multi-report build, free-trade-zones-by-region gave a row twice on
    Oxigraph where a text placed a zone the reference data places too."""
    import json

    from rdflib import URIRef

    from kg.sparql.catalogue import catalogue

    case = Path(__file__).parent / "queries" / f"{name.replace('/', '--')}.json"
    bindings = json.loads(case.read_text(encoding="utf-8")).get("bindings", {})
    params = {key: URIRef(value) for key, value in bindings.items()}
    text = catalogue()[name].read_text(encoding="utf-8")
    rows = {store: [[cell(v) for v in row] for row in graph_store.query(text, params)]
            for store, graph_store in corpus_stores.items()}
    assert all(found == rows["memory"] for found in rows.values()), {
        store: len(found) for store, found in rows.items()}


# --------------------------------------------------------------------------------------------
# the same steps on a Dask cluster (the optional extra policy-kg[dask])


def worker_has_the_pipeline() -> bool:
    import kg.build.steps

    return kg.build.steps._WORKER_STATE is not None


@pytest.mark.slow
def test_a_dask_cluster_builds_the_same_bytes_as_one_process(tmp_path, extractor):
    distributed = pytest.importorskip("dask.distributed",
                                      reason="the dask extra: pip install 'policy-kg[dask]'")
    from kg.build.run import Outputs, build

    texts = tmp_path / "texts"
    texts.mkdir()
    for key, text in SMALL_TEXTS.items():
        (texts / f"{key}.txt").write_text(text, encoding="utf-8")
    build([texts], tmp_path / "serial", extractor=extractor, outputs=Outputs(trig=True))
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None) as cluster:
        build([texts], tmp_path / "dask", executor=f"dask:{cluster.scheduler_address}",
              outputs=Outputs(trig=True))
        with distributed.Client(cluster) as client:
            loaded = client.run(worker_has_the_pipeline)
    assert len(loaded) == 2 and any(loaded.values())  # the steps ran on the cluster's workers
    for name in OUTPUTS:
        assert (tmp_path / "serial" / name).read_bytes() == (tmp_path / "dask" / name).read_bytes()
    assert store_nquads(tmp_path / "serial" / "store") == store_nquads(tmp_path / "dask" / "store")
    assert len(list((tmp_path / "dask" / "documents").glob("*.pickle"))) == len(SMALL_TEXTS)


def test_an_unknown_executor_is_refused(kg_command, tmp_path):
    done = subprocess.run([*kg_command, "build", "--executor", "spark", "--out",
                           str(tmp_path / "o")], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip() == ("kg: error: --executor spark: expected processes, dask:local "
                                   "or dask:ADDRESS")


def test_the_store_load_leaves_the_collector_as_it_found_it():
    """The bulk load pauses Python's cycle collector (kg/store/build_store.py) and must give it
    back on, or off where the caller had turned it off."""
    import gc

    from kg.store.build_store import collector_paused

    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
