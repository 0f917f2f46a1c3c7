"""bench/synth.py: the graph N times the article is well formed, counts as computed, and its
copies are separate documents that differ from each other. No timing here."""

from __future__ import annotations

import importlib.util
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode

from kg.store.base import StoreSpec
from kg.store.registry import open_store

ROOT = Path(__file__).resolve().parents[1]
# bench/ is scripts, not an installed package: load the module from its file.
_spec = importlib.util.spec_from_file_location("bench_synth", ROOT / "bench" / "synth.py")
assert _spec and _spec.loader
synth = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = synth  # dataclasses look their module up there
_spec.loader.exec_module(synth)
ID, synthesise = synth.ID, synth.synthesise
COPIES = 3
DOC = f"{ID}graph/doc/"


def quads(path: Path) -> list[ox.Quad]:
    fmt = ox.RdfFormat.TRIG if path.suffix == ".trig" else ox.RdfFormat.N_QUADS
    with path.open("rb") as f:
        return list(ox.parse(f, format=fmt))


@pytest.fixture(scope="module")
def synthesised(article_graph, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth") / f"graph-{COPIES}x.nq"
    written = synthesise(article_graph, COPIES, out)
    assert written.documents == COPIES
    return out


def by_graph(qs: list[ox.Quad]) -> dict[str, list[ox.Quad]]:
    out: dict[str, list[ox.Quad]] = defaultdict(list)
    for q in qs:
        out[q.graph_name.value].append(q)
    return out


@pytest.mark.slow
def test_counts_are_n_documents_plus_shared_graphs_once(article_graph, synthesised):
    source = Counter({g: len(v) for g, v in by_graph(quads(article_graph)).items()})
    doc_quads = sum(n for g, n in source.items() if g.startswith(DOC))
    shared_quads = sum(n for g, n in source.items() if not g.startswith(DOC))
    out = by_graph(quads(synthesised))
    docs = [g for g in out if g.startswith(DOC)]
    assert len(docs) == COPIES
    assert sum(len(v) for v in out.values()) == COPIES * doc_quads + shared_quads
    for g, n in source.items():
        if not g.startswith(DOC):
            assert len(out[g]) == n, g  # ontology and reference exactly once


@pytest.mark.slow
def test_copies_are_separate_documents_that_differ(synthesised):
    out = by_graph(quads(synthesised))
    docs = sorted(g for g in out if g.startswith(DOC))
    keys = [g.removeprefix(DOC) for g in docs]
    for g, key in zip(docs, keys, strict=True):
        iris = {t.value for q in out[g] for t in (q.subject, q.object)
                if isinstance(t, ox.NamedNode)}
        for other in keys:  # a copy's own things never carry another copy's key
            if other != key and not key.startswith(other):
                assert not any(re.search(rf"/{re.escape(other)}(/|$)", i) for i in iris)
    # Strip the key: what is left (places, values) must still differ between copies.
    bodies = []
    for g, key in zip(docs, keys, strict=True):
        bodies.append({str(q.triple).replace(key, "KEY") for q in out[g]})
    assert len({frozenset(b) for b in bodies}) == COPIES
    assert all(len(b) == len(bodies[0]) for b in bodies)


def test_no_blank_node_is_shared_between_graphs(tmp_path):
    """The article's document graph has no blank nodes, so copy a small one that has."""
    src = tmp_path / "small.nq"
    g = f"<{DOC}a-doc>"
    src.write_text(
        f"<{ID}doc/a-doc> <{ID}x> _:b1 {g} .\n_:b1 <{ID}y> \"1\" {g} .\n"
        f"_:b1 <{ID}z> <{ID}w> <{ID}graph/ontology> .\n", encoding="utf-8")
    out = tmp_path / "out.nq"
    synthesise(src, 4, out)
    blanks: dict[str, set[str]] = defaultdict(set)
    for q in quads(out):
        for t in (q.subject, q.object):
            if isinstance(t, ox.BlankNode):
                blanks[q.graph_name.value].add(t.value)
    assert len(blanks) == 5  # four copies and the ontology
    seen: Counter[str] = Counter(b for labels in blanks.values() for b in labels)
    assert max(seen.values()) == 1


@pytest.mark.slow
def test_a_catalogue_query_runs_on_the_copies(synthesised):
    store = open_store(StoreSpec("memory", str(synthesised)))
    text = (ROOT / "queries" / "answers" / "gdp-share-change.rq").read_text(encoding="utf-8")
    rows = list(store.query(text))
    # Years are paired and shares totalled within one table: one row per region and copy, and
    # each copy's four shares add up to 100 % (the copies' values differ, so a mix would not).
    assert len(rows) == 4 * COPIES
    assert sum(float(r[1]) for r in rows) == pytest.approx(100 * COPIES, abs=0.05 * COPIES)
    assert sum(float(r[2]) for r in rows) == pytest.approx(100 * COPIES, abs=0.05 * COPIES)
    assert not any(isinstance(t, BNode) for row in rows for t in row)
