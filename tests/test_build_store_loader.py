"""A store written whole is loaded while the documents run (kg/store/build_store.py,
`StoreLoader`; docs/scale.md, "The store's load beside the documents"): in a thread, in
batches, the blank nodes of the shared graphs keeping their labels, an error in the thread
raised in the build's, and the graphs of the old store that no build writes kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import store_nquads

from kg.build.run import build_sources
from kg.inputs.files import SourceText
from kg.store.build_store import BULK_BATCH, LOADER_QUEUE, StoreLoader

GRAPH = "<urn:x:g>"


def document_lines(count: int, graph: str = GRAPH) -> bytes:
    return b"".join(f'<urn:x:s{i}> <urn:x:p> "{i}" {graph} .\n'.encode() for i in range(count))


def test_the_loader_loads_every_batch_and_keeps_the_labels_of_blank_nodes(tmp_path):
    shared = tmp_path / "shared.nq"
    shared.write_text("_:o1a2b <urn:x:p> _:o3c4d <urn:x:shared> .\n", encoding="utf-8")
    loader = StoreLoader(tmp_path / "store")
    loader.add_file(shared)
    half = BULK_BATCH // 2 + 1  # three documents: a batch is loaded after the second
    for n in range(3):
        loader.add(document_lines(half, f"<urn:x:doc{n}>"))
    loader.finish()
    quads = store_nquads(tmp_path / "store")
    assert len(quads) == 1 + 3 * half
    assert "_:o1a2b <urn:x:p> _:o3c4d <urn:x:shared> ." in quads
    assert sum(q.endswith("<urn:x:doc2> .") for q in quads) == half


def test_an_error_in_the_loading_thread_is_raised_in_the_build_s_thread(tmp_path):
    loader = StoreLoader(tmp_path / "store")
    with pytest.raises(SyntaxError):
        loader.add(b"<urn:x:s> <urn:x:p> not a term <urn:x:g> .\n" + document_lines(BULK_BATCH))
        for _ in range(LOADER_QUEUE + 2):  # more batches than the queue holds: no deadlock
            loader.add(document_lines(BULK_BATCH))
        loader.finish()
    loader.abort()
    assert not loader.thread.is_alive()


def test_past_its_limit_the_loader_takes_the_rest_from_a_file_at_the_end(tmp_path):
    loader = StoreLoader(tmp_path / "store", limit=3)
    loader.add(document_lines(4))
    assert not loader.accepting()
    rest = tmp_path / "rest.nq"
    rest.write_bytes(document_lines(BULK_BATCH + 5, "<urn:x:rest>"))
    loader.finish(rest)
    quads = store_nquads(tmp_path / "store")
    assert len(quads) == 4 + BULK_BATCH + 5
    assert sum(q.endswith("<urn:x:rest> .") for q in quads) == BULK_BATCH + 5


@pytest.mark.slow
def test_a_store_written_whole_keeps_the_graphs_no_build_writes(tmp_path, extractor,
                                                                monkeypatch):
    import pyoxigraph as ox

    source = SourceText("gx", Path("gx.txt"), "广西壮族自治区首府南宁市与北部湾城市群相连。",
                        "utf-8")
    out = tmp_path / "build"
    build_sources([source], out, extractor)
    built = store_nquads(out / "store")
    store = ox.Store(str(out / "store"))  # a link graph and a default-graph quad, as kg load
    kept = ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.BlankNode("b7"),
                   ox.NamedNode("urn:x:link"))
    default = ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.Literal("d"))
    store.extend([kept, default])
    del store
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest["pipeline"] = "an older version"  # the store is written whole again
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    # a limit of 0: the document's quads are staged in a file and loaded at the end
    monkeypatch.setattr("kg.store.build_store.OVERLAP_QUADS", 0)

    build_sources([source], out, extractor)

    quads = store_nquads(out / "store")
    assert sorted([*built, str_quad(kept), str_quad(default)]) == quads
    assert not list(out.glob(".build-*"))
    assert not (out / "store.kg-staging").exists() and not (out / "store.kg-old").exists()


def str_quad(quad) -> str:
    """The quad as `store_nquads` writes it (N-Quads, no default graph name)."""
    terms = [quad.subject, quad.predicate, quad.object]
    if str(quad.graph_name) != "DEFAULT":
        terms.append(quad.graph_name)
    return " ".join(str(t) for t in terms) + " ."
