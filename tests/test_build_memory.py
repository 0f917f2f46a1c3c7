"""What keeps a build's memory down (docs/scale.md, "Memory"): the shared graphs are made in a
child process, which gives the build what an in-process rdflib dataset gave it, and the C heap's
free pages go back to the system after each document."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import process_running, wait_until

from kg import iris
from kg.build.memory import release_free_memory
from kg.build.shared import SharedGraphs, SharedNeeds, sorted_nquads
from kg.build.steps import corpus_dataset, write_trig
from kg.build.validate import ReferenceLines

LINES_FIELDS = ("lines", "named", "types", "labels")


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    pytest.skip("no VmRSS in /proc/self/status: Linux only")


@pytest.fixture(scope="module")
def in_process(gaz):
    """The shared graphs as the build made them in its own process before."""
    return corpus_dataset(gaz)


@pytest.mark.slow
def test_the_child_writes_what_the_dataset_in_process_gives(tmp_path, gaz, in_process):
    shared = SharedGraphs(gaz, tmp_path, SharedNeeds(nquads=True, trig=True, reference=True))
    nquads, trig = io.BytesIO(), io.BytesIO()
    shared.copy_nquads(nquads)
    shared.copy_trig(trig)
    lines = shared.reference_lines()

    assert nquads.getvalue() == sorted_nquads(in_process)  # its lines, in a stable order
    written = in_process.serialize(format="nquads", encoding="utf-8").splitlines()
    assert nquads.getvalue().splitlines() == sorted(line for line in written if line)
    expected_trig = io.BytesIO()
    write_trig(in_process, expected_trig)
    assert trig.getvalue() == expected_trig.getvalue()
    expected = ReferenceLines(in_process.graph(iris.graph("reference")))
    for name in LINES_FIELDS:
        assert getattr(lines, name) == getattr(expected, name), name
    assert lines.lines  # not two empty indexes


@pytest.mark.slow
def test_only_what_the_build_needs_is_made(tmp_path, gaz):
    shared = SharedGraphs(gaz, tmp_path, SharedNeeds(nquads=False, trig=False, reference=True))
    shared.reference_lines()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reference-lines.pickle"]


def test_nothing_needed_starts_no_process(tmp_path, gaz):
    shared = SharedGraphs(gaz, tmp_path, SharedNeeds(nquads=False, trig=False, reference=False))
    assert shared.child is None
    assert list(tmp_path.iterdir()) == []


# A parent that forks a child as SharedGraphs does (the child calls die_with first), then both
# sleep: the child's work must end with its parent, not when it is done.
CHILD_OF_KILLED_PARENT = textwrap.dedent("""
    import os, time
    from kg.build.shared import die_with
    parent = os.getpid()
    child = os.fork()
    if child == 0:
        die_with(parent)
        time.sleep(600)
        os._exit(0)
    print(child, flush=True)
    time.sleep(600)
""")


def test_the_child_ends_when_the_build_is_killed():
    """The child holds the build folder's lock with its parent (it inherits the descriptor): a
    killed build must not leave it running, or the next build would be refused."""
    parent = subprocess.Popen([sys.executable, "-c", CHILD_OF_KILLED_PARENT],
                              stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    try:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        wait_until(lambda: not process_running(child), 10,
                   f"the shared graphs' child {child} to end")
    finally:
        if process_running(child):
            os.kill(child, signal.SIGKILL)  # not left behind by a failing run


def test_freed_heap_memory_goes_back_to_the_system():
    if not os.path.exists("/proc/self/status"):
        pytest.skip("no /proc: Linux only")
    # 60 MB in blocks below glibc's mmap threshold (128 KB), so they live in the heap; every
    # other one kept, so the heap cannot shrink from its top alone
    blocks = [bytearray(64 * 1024) for _ in range(960)]
    kept = blocks[1::2]
    del blocks
    before = rss_mb()
    release_free_memory()
    assert before - rss_mb() > 20  # about 30 MB were free in the middle of the heap
    assert len(kept) == 480


def test_the_tokenizer_keeps_no_chunk_of_an_earlier_text():
    """Each chunk is one token, a unique string: kept in a vocabulary shared by the Docs, the
    chunks of every document stayed in memory (12 KB a chunk of 4,000 characters: 57 MB over
    1,000 reports)."""
    from spacy.vocab import Vocab

    from extract.components.tokenizer import ChunkTokenizer

    tokenizer = ChunkTokenizer(Vocab())
    chunks = [f"第{i}段：推动广西壮族自治区高质量发展。" * 20 for i in range(50)]
    docs = [tokenizer(chunk) for chunk in chunks]
    texts = [doc.text for doc in docs]  # normalised
    assert len(set(texts)) == len(chunks)
    last = docs[-1]
    assert texts[-1] in last.vocab.strings
    assert [text for text in texts[:-1] if text in last.vocab.strings] == []


# What a build with nothing to redo must not load: the graph and store libraries, the SHACL
# engines, the extraction pipeline, and our modules that import them (docs/scale.md,
# "Incremental builds": they were most of an unchanged rebuild's time).
NOT_FOR_AN_UNCHANGED_BUILD = ("rdflib", "pyoxigraph", "pyshacl", "pyshacl_turbo", "spacy",
                              "jieba", "pypinyin", "extract.pipeline", "kg.build.steps",
                              "kg.build.write", "kg.store.build_store")

_MODULES_OF_A_BUILD = """
import json, sys
from kg.cli import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


@pytest.mark.slow
def test_an_unchanged_rebuild_loads_no_graph_library_nor_the_pipeline(tmp_path):
    texts, out = tmp_path / "texts", tmp_path / "build"
    texts.mkdir()
    (texts / "gx.txt").write_text("广西壮族自治区首府南宁市与北部湾城市群相连。", encoding="utf-8")

    def build() -> tuple[int, list[str], str]:
        done = subprocess.run([sys.executable, "-c", _MODULES_OF_A_BUILD, "build", str(texts),
                               "--out", str(out)], capture_output=True, text=True, timeout=600)
        _, _, report = done.stdout.rpartition("\n{")
        answer = json.loads("{" + report)
        return answer["code"], answer["modules"], done.stdout

    code, modules, _ = build()
    # the cold build does load rdflib; the pipeline, only its documents' process
    assert code == 0 and "rdflib" in modules
    assert "spacy" not in modules and "extract.pipeline" not in modules
    manifest = (out / "manifest.json").read_bytes()
    code, modules, stdout = build()
    assert code == 0 and "built " in stdout and "1 document(s)" in stdout
    loaded = [name for name in modules if any(name == bad or name.startswith(bad + ".")
                                              for bad in NOT_FOR_AN_UNCHANGED_BUILD)]
    assert not loaded, f"an unchanged rebuild imported {loaded}"
    assert (out / "manifest.json").read_bytes() == manifest
