"""The streaming build (issue 14): each document's result is cached as files and a summary and
dropped; the outputs of an incremental build, made from the unchanged documents' summaries and
files, are the bytes a cold build of the same inputs writes, and a trusted store's unchanged
graphs are not even read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import store_nquads

from kg.build.manifest import CACHE_FILES, cache_file, load_records, read_manifest
from kg.build.run import Outputs, build_sources
from kg.build.summarize import summarize
from kg.build.summary import DocumentSummary
from kg.build.validate import Violation
from kg.inputs.files import SourceText

TEXTS = {
    "gx": "广西壮族自治区首府南宁市与北部湾城市群相连，推动广西、云南建设沿边开放平台。",
    "cq": "成渝地区双城经济圈和西部陆海新通道是重庆的机遇。",
    "hn": "海南自由贸易港建设全面推进，海口市和三亚市协同发展。",
}
ADDED = {"sc": "四川省成都市是西部的中心城市。"}
OUTPUTS = ("report.json", "mentions.jsonl", "graph.trig")


def sources(texts: dict[str, str]) -> list[SourceText]:
    return [SourceText(key, Path(f"{key}.txt"), text, "utf-8") for key, text in texts.items()]


def outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


@pytest.fixture(scope="module")
def cold(tmp_path_factory, extractor) -> Path:
    """The four texts built at once: what every other way of building them must write."""
    out = tmp_path_factory.mktemp("cold")
    build_sources(sources({**TEXTS, **ADDED}), out, extractor, outputs=Outputs(trig=True))
    return out


@pytest.fixture(scope="module")
def grown(tmp_path_factory, extractor) -> Path:
    """Three texts built, then the fourth added: an incremental build."""
    out = tmp_path_factory.mktemp("grown")
    build_sources(sources(TEXTS), out, extractor, outputs=Outputs(trig=True))
    build_sources(sources({**TEXTS, **ADDED}), out, extractor, outputs=Outputs(trig=True))
    return out


@pytest.mark.slow
def test_an_incremental_build_writes_the_bytes_of_a_cold_build(cold, grown):
    assert outputs(grown) == outputs(cold)
    assert store_nquads(grown / "store") == store_nquads(cold / "store")
    report = json.loads((cold / "report.json").read_text(encoding="utf-8"))
    assert list(report["documents"]) == [*TEXTS, *ADDED]  # in input order, every one


@pytest.mark.slow
def test_each_document_is_cached_as_its_files_and_the_result_holds_no_record(cold, extractor):
    manifest = read_manifest(cold)
    assert manifest is not None and set(manifest.documents) == {*TEXTS, *ADDED}
    for key, sha in manifest.documents.items():
        for kind in CACHE_FILES:
            assert cache_file(cold, key, sha, kind).is_file(), (key, kind)
    result = build_sources(sources({**TEXTS, **ADDED}), cold, extractor,
                           outputs=Outputs(trig=True))  # unchanged: nothing is redone
    assert result.documents == (*TEXTS, *ADDED)
    assert all(isinstance(key, str) for key in result.documents)
    assert result.report == json.loads((cold / "report.json").read_text(encoding="utf-8"))
    records = load_records(cold)
    assert {key: r.text for key, r in records.items()} == {**TEXTS, **ADDED}


def test_a_summary_reads_back_as_it_was_written(extractor):
    record = extractor.extract("gx", TEXTS["gx"], "gx.txt")
    violation = Violation("focus", "label", "path", "a message", "shape")
    summary = summarize(record, (violation,), extractor.gaz)
    assert summary.entry["mentions"] == len(record.mentions) > 0
    assert DocumentSummary.from_json(summary.to_json()) == summary


@pytest.mark.slow
def test_a_trusted_store_keeps_an_unchanged_graph_without_reading_it(tmp_path, extractor):
    out = tmp_path / "out"
    build_sources(sources(TEXTS), out, extractor)
    quads = store_nquads(out / "store")
    manifest = read_manifest(out)
    assert manifest is not None
    # an unchanged document's cached graph, spoilt: a build that read it would load this
    cache_file(out, "gx", manifest.documents["gx"], "graph").write_text("not N-Triples\n")
    build_sources(sources({**TEXTS, **ADDED}), out, extractor)
    added = set(store_nquads(out / "store")) - set(quads)
    assert set(quads) <= set(store_nquads(out / "store"))
    assert added and all("graph/doc/sc>" in line for line in added)


@pytest.mark.slow
def test_a_document_whose_summary_is_missing_is_made_again(tmp_path, extractor):
    out = tmp_path / "out"
    build_sources(sources(TEXTS), out, extractor, outputs=Outputs(trig=True))
    before = outputs(out)
    manifest = read_manifest(out)
    assert manifest is not None
    summary = cache_file(out, "cq", manifest.documents["cq"], "summary")
    record = cache_file(out, "cq", manifest.documents["cq"], "record")
    record_inode = record.stat().st_ino
    summary.unlink()  # as a build killed between the document's files and its summary leaves
    (out / "documents" / ".cq.left-by-a-killed-build.tmp").write_text("")
    build_sources(sources(TEXTS), out, extractor, outputs=Outputs(trig=True))
    assert summary.is_file() and record.stat().st_ino != record_inode  # made again
    assert outputs(out) == before
    assert not list((out / "documents").glob(".*"))  # what the killed build left is removed
