"""The cache of the shared graphs' files (kg/build/cache.py): a build with a warm cache writes
the bytes of one with a cold cache or none; an entry is keyed by what the files are made
from; a damaged entry is made again, never used; two builds that miss at once both succeed."""

from __future__ import annotations

import io
import json
import shutil
import threading
from pathlib import Path

import pytest
from conftest import store_nquads

import kgdata
from extract.gazetteer import load
from kg.build import cache as cache_module
from kg.build.cache import (
    CHECKSUMS,
    TEMP_PREFIX,
    SharedCache,
    cache_enabled,
    cache_root,
    code_and_data_roots,
    shared_key,
)
from kg.build.run import Outputs, build_sources
from kg.build.shared import (
    REFERENCE_LINES,
    SHARED_FILES,
    SHARED_NQUADS,
    SHARED_TRIG,
    SharedGraphs,
    SharedNeeds,
    shared_cache,
)
from kg.inputs.files import SourceText

TEXTS = {
    "gx": "广西壮族自治区首府南宁市与北部湾城市群相连，推动广西、云南建设沿边开放平台。",
    "hn": "海南自由贸易港建设全面推进，海口市和三亚市协同发展。",
}
OUTPUTS = ("report.json", "mentions.jsonl", "graph.trig")
EVERYTHING = SharedNeeds(nquads=True, trig=True, reference=True)


def sources() -> list[SourceText]:
    return [SourceText(key, Path(f"{key}.txt"), text, "utf-8") for key, text in TEXTS.items()]


def entry_files(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in SHARED_FILES}


def new_cache(root: Path) -> SharedCache:
    return SharedCache(root, shared_key(), SHARED_FILES)


def test_the_cache_folder_comes_from_the_environment(tmp_path):
    assert cache_root({"KG_CACHE_DIR": "/a", "XDG_CACHE_HOME": "/b"}) == Path("/a")
    assert cache_root({"XDG_CACHE_HOME": "/b"}) == Path("/b/policy-kg")
    assert cache_root({}) == Path.home() / ".cache" / "policy-kg"
    assert cache_enabled({}) and cache_enabled({"KG_NO_CACHE": "0"})
    assert not cache_enabled({"KG_NO_CACHE": "1"}) and not cache_enabled({"KG_NO_CACHE": "yes"})


def test_a_changed_reference_table_is_another_entry(tmp_path):
    """The key covers the content of every file the shared graphs are made from: a copy of
    them gives the same key, and one byte more in one reference table another."""
    roots = []
    for root in code_and_data_roots():
        copy = tmp_path / root.name
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns("__pycache__"))
        roots.append(copy)
    assert shared_key(tuple(roots)) == shared_key()
    table = roots[-1] / kgdata.reference_dir().relative_to(kgdata.ontology_dir()) / "cities.csv"
    table.write_bytes(table.read_bytes() + b"\n")
    assert shared_key(tuple(roots)) != shared_key()


def test_the_iri_base_is_part_of_the_key(monkeypatch):
    before = shared_key()
    monkeypatch.setenv("POLICY_KG_ID_BASE", "https://example.org/id/")
    assert shared_key() != before


@pytest.fixture(scope="module")
def uncached(tmp_path_factory, gaz) -> dict[str, bytes]:
    """The shared files as a build without the cache makes them."""
    folder = tmp_path_factory.mktemp("uncached")
    SharedGraphs(gaz, folder, EVERYTHING).wait()
    return entry_files(folder)


@pytest.mark.slow
def test_a_miss_fills_the_entry_and_a_hit_starts_no_process(tmp_path, gaz, uncached):
    cache = new_cache(tmp_path / "cache")
    missed = SharedGraphs(gaz, tmp_path / "staging", SharedNeeds(False, False, True), cache)
    assert missed.child is not None
    lines = missed.reference_lines()
    assert missed.folder == cache.entry and entry_files(cache.entry) == uncached
    assert sorted(p.name for p in cache.root.iterdir()) == [cache.key]  # no temporary left

    hit = SharedGraphs(gaz, tmp_path / "staging", EVERYTHING, cache)
    assert hit.child is None and hit.folder == cache.entry
    trig = io.BytesIO()
    hit.copy_trig(trig)
    assert trig.getvalue() == uncached[SHARED_TRIG]
    assert hit.reference_lines().lines == lines.lines


def damaged_entry(root: Path, files: dict[str, bytes], damage: str) -> SharedCache:
    """An entry of `files` under `root`, intact, then damaged as `damage` says."""
    cache = new_cache(root)
    cache.entry.mkdir(parents=True)
    for name, data in files.items():
        (cache.entry / name).write_bytes(data)
    cache_module.seal(cache.entry)
    assert cache.lookup() == cache.entry  # intact before the damage
    nquads = cache.entry / SHARED_NQUADS
    if damage == "truncated":
        nquads.write_bytes(files[SHARED_NQUADS][:1000])
    elif damage == "edited":  # the same size, one byte changed
        data = bytearray(files[SHARED_NQUADS])
        data[-2] ^= 1
        nquads.write_bytes(bytes(data))
    elif damage == "missing":
        (cache.entry / REFERENCE_LINES).unlink()
    else:
        (cache.entry / CHECKSUMS).unlink()
    return cache


@pytest.mark.parametrize("damage", ["truncated", "edited", "missing", "no checksums"])
def test_a_damaged_entry_is_not_used_and_is_removed(tmp_path, damage):
    files = {SHARED_NQUADS: b"<a> <b> <c> <g> .\n" * 100, SHARED_TRIG: b"trig",
             REFERENCE_LINES: b"lines"}
    cache = damaged_entry(tmp_path / "cache", files, damage)
    assert cache.lookup() is None
    assert list(cache.root.iterdir()) == []


@pytest.mark.slow
def test_a_damaged_entry_is_made_again(tmp_path, gaz, uncached):
    cache = damaged_entry(tmp_path / "cache", uncached, "truncated")
    shared = SharedGraphs(gaz, tmp_path, EVERYTHING, cache)
    assert shared.child is not None  # not used: made again
    out = io.BytesIO()
    shared.copy_nquads(out)
    assert out.getvalue() == uncached[SHARED_NQUADS]
    assert entry_files(cache.entry) == uncached and cache.lookup() == cache.entry


@pytest.mark.slow
def test_two_builds_that_miss_at_once_both_succeed(tmp_path, gaz, uncached):
    """Both make the entry; one rename wins, and the other build reads the winner's."""
    cache = new_cache(tmp_path / "cache")
    both = [SharedGraphs(gaz, tmp_path / f"staging-{n}", EVERYTHING, cache) for n in (1, 2)]
    assert all(shared.child is not None for shared in both)
    read: dict[int, bytes] = {}

    def copy(number: int, shared: SharedGraphs) -> None:
        out = io.BytesIO()
        shared.copy_trig(out)
        read[number] = out.getvalue()

    threads = [threading.Thread(target=copy, args=pair) for pair in enumerate(both)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert read == {0: uncached[SHARED_TRIG], 1: uncached[SHARED_TRIG]}
    assert entry_files(cache.entry) == uncached
    assert not [p for p in cache.root.iterdir() if p.name.startswith(TEMP_PREFIX)]


def test_an_unwritable_cache_folder_is_gone_without(tmp_path, gaz):
    """The build makes the files in its staging folder, as without a cache."""
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    staging = tmp_path / "staging"
    staging.mkdir()
    shared = SharedGraphs(gaz, staging, SharedNeeds(False, False, True), new_cache(blocked))
    try:
        assert shared.filling is None and shared.folder == staging
        assert shared.child is not None
    finally:
        shared.stop()


def build(out: Path, extractor, cache: bool = True) -> Path:
    build_sources(sources(), out, extractor, outputs=Outputs(trig=True, cache=cache))
    return out


@pytest.fixture(scope="module")
def three_builds(tmp_path_factory, extractor) -> dict[str, Path]:
    """The same texts built with a cold cache, with it warm, and without it (`--no-cache`,
    with a cache folder of its own, which it must leave alone)."""
    root = tmp_path_factory.mktemp("three-builds")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KG_CACHE_DIR", str(root / "cache"))
        builds = {"cold": build(root / "cold", extractor), "warm": build(root / "warm", extractor)}
        patch.setenv("KG_CACHE_DIR", str(root / "unused-cache"))
        builds["none"] = build(root / "none", extractor, cache=False)
    return builds


@pytest.mark.slow
def test_a_warm_cache_gives_the_bytes_of_a_cold_one_and_of_none(three_builds):
    outputs = {how: {name: (out / name).read_bytes() for name in OUTPUTS}
               for how, out in three_builds.items()}
    assert outputs["warm"] == outputs["cold"] == outputs["none"]
    quads = {how: store_nquads(out / "store") for how, out in three_builds.items()}
    assert quads["warm"] == quads["cold"] == quads["none"]
    assert len(quads["cold"]) > 40_000  # the shared graphs are in it
    report = json.loads(outputs["cold"]["report.json"])
    assert list(report["documents"]) == list(TEXTS)


@pytest.mark.slow
def test_only_the_builds_with_the_cache_use_it(three_builds):
    root = three_builds["cold"].parent
    assert [p.name for p in (root / "cache").iterdir()] == [shared_key()]
    assert not (root / "unused-cache").exists()


def test_kg_no_cache_turns_it_off(monkeypatch, gaz):
    assert shared_cache(gaz) is not None
    monkeypatch.setenv("KG_NO_CACHE", "1")
    assert shared_cache(gaz) is None


def test_a_gazetteer_of_other_tables_goes_without(gaz):
    """The key covers the shipped tables only."""
    other = load(kgdata.reference_dir())  # the same tables, read again: another gazetteer
    assert shared_cache(other) is None and shared_cache(gaz) is not None
