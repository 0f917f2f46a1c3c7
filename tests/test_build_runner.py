"""The documents of a build run in a process of their own (kg/build/runner.py, docs/scale.md,
"Memory"): it gives the graph, report and mentions a build in its own process gives, it ends
with a killed build, and its errors reach the build as they were raised."""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import process_running, shared_input, store_nquads, wait_until

from kg.build.run import build
from kg.build.runner import DocumentProcess, Incoming, Job
from kg.inputs.files import SourceText
from kg.progress import Progress

FIRST = "推动广东省发展，支持广西、云南建设沿边开放平台。\n"
SECOND = "重庆市和四川省共建成渝地区双城经济圈，北部湾城市群加快发展。\n"
OUTPUTS = ("report.json", "mentions.jsonl")


@pytest.mark.slow
def test_the_documents_process_gives_what_a_build_in_its_own_process_gives(tmp_path, extractor):
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "first.txt").write_text(FIRST, encoding="utf-8")
    (texts / "second.txt").write_text(SECOND, encoding="utf-8")

    apart = build([texts], tmp_path / "apart")  # no extractor: the documents' process
    here = build([texts], tmp_path / "here", extractor)

    assert apart.documents == here.documents == ("first", "second")
    assert apart.report == here.report
    for name in OUTPUTS:
        assert (tmp_path / "apart" / name).read_bytes() == (tmp_path / "here" / name).read_bytes()
    quads = store_nquads(tmp_path / "apart" / "store")
    assert quads and quads == store_nquads(tmp_path / "here" / "store")


@pytest.mark.slow
def test_the_documents_process_ends_when_the_build_is_killed(kg_command, tmp_path):
    """It holds no lock of the build's, but would go on using a core and writing cached
    results for a build that is gone."""
    report = shared_input("corpus-dev", "gwr-2025", "gwr-2025-beijing.txt")
    build_process = subprocess.Popen([*kg_command, "build", str(report), "--out",
                                      str(tmp_path / "build")], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
    try:
        runner = wait_until(lambda: _runner_of(build_process.pid), 120,
                            "the documents' process to start")
        build_process.send_signal(signal.SIGKILL)
        build_process.wait()
        wait_until(lambda: not process_running(runner), 10,
                   f"the documents' process {runner} to end")
    finally:
        build_process.kill()
        build_process.wait()


@pytest.mark.slow
def test_an_error_in_the_documents_process_is_raised_in_the_build(tmp_path):
    runner = DocumentProcess(Job(tmp_path, 1, ner=False, jobs=1, executor="processes"))
    missing = tmp_path / "no-reference-lines.pickle"
    try:
        with pytest.raises(FileNotFoundError) as raised:
            next(runner.summaries(missing, [], {}, Progress(enabled=False)))
    finally:
        runner.close()  # it ended by itself, having sent its error: nothing is raised here
    assert raised.value.filename == str(missing)
    assert runner.process.returncode == 1


def _runner_of(build_pid: int) -> int | None:
    """The pid of the build's documents' process, once it runs."""
    children = Path(f"/proc/{build_pid}/task/{build_pid}/children")
    try:
        pids = [int(pid) for pid in children.read_text().split()]
    except OSError:
        return None
    return next((pid for pid in pids if b"kg.build.runner" in _cmdline(pid)), None)


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""



def test_feeding_a_text_leaves_no_copy_of_it_in_the_build(tmp_path):
    """Pickling a str of Chinese text caches its UTF-8 form in the str (CPython): the build,
    which holds every text to its end, grew by 54 KB a report."""
    text = "推动广东省发展，支持广西、云南建设沿边开放平台。" * 300
    source = SourceText(doc="gd", path=tmp_path / "gd.txt", text=text, encoding="utf-8")
    size = sys.getsizeof(source.text)
    feeding = DocumentProcess.__new__(DocumentProcess)  # its feeder, with no process behind it
    read, write = os.pipe()
    with os.fdopen(read, "rb") as runner_end:
        feeding.to_runner = os.fdopen(write, "wb")
        feeding._feed(tmp_path / "lines.pickle", [source], {"gd": "sha"})

        assert sys.getsizeof(source.text) == size
        assert pickle.load(runner_end) == tmp_path / "lines.pickle"
        incoming = Incoming(runner_end, 1)
        assert list(incoming) == [source]
        assert incoming.shas == {"gd": "sha"}
