"""`kg link` and federated queries against endpoints that misbehave (docs/linking.md, "Network
safety"): one that drips a byte a second, one that sends a huge answer, one with nothing to link.
Each is a real HTTP server on 127.0.0.1 (tests/faults/fault_servers.py, or Oxigraph), and `kg`
runs as a real subprocess."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import copy_store
from fault_servers import DripServer, HugeAnswerServer
from servers import OxigraphServer, start_oxigraph

from kg.store.http import Deadline
from kg.store.relay import ServiceRelay

ROOT = Path(__file__).resolve().parents[2]
UNLINKABLE = ROOT / "tests" / "data" / "unlinkable-graph.ttl"
FEDERATED = "other-graph-plans-of-province"
DEADLINE = 3  # the --timeout of these runs, in seconds
# What a run may take beyond its deadline: starting Python and the gazetteer before the deadline
# starts, writing nothing after it; generous, as other work shares the machine.
MARGIN = 15
MB = 1024 * 1024


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float  # the child's peak resident memory

    @property
    def error_line(self) -> str:
        lines = self.stderr.strip().splitlines()
        assert len(lines) == 1, self.stderr
        return lines[0]


def run(kg_command: list[str], *args: str, within: float, tmp_path: Path) -> Run:
    """`kg ARGS` as a real subprocess, with its own peak memory (os.wait4 reports the rusage of
    that child alone); fails the test if it is still running after `within` seconds."""
    out, err = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
    started = time.monotonic()
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.Popen([*kg_command, *args], stdout=stdout, stderr=stderr, cwd=ROOT)
    waited: list[tuple[int, int, object]] = []
    waiter = threading.Thread(target=lambda: waited.append(os.wait4(process.pid, 0)))
    waiter.start()
    waiter.join(within)
    if not waited:
        process.kill()
        waiter.join()
        process.returncode = os.waitstatus_to_exitcode(waited[0][1])
        pytest.fail(f"kg {' '.join(args)} still ran after {within:g} s")
    _, status, usage = waited[0]
    process.returncode = os.waitstatus_to_exitcode(status)
    return Run(process.returncode, out.read_text(encoding="utf-8"),
               err.read_text(encoding="utf-8"), time.monotonic() - started,
               usage.ru_maxrss / 1024)  # type: ignore[attr-defined]  # KiB on Linux


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def graph(article_graph, tmp_path) -> Path:
    """A copy of the article's graph, for a memory store that kg link may write into."""
    copy = tmp_path / "graph.trig"
    shutil.copy(article_graph, copy)
    return copy


def link(kg_command, endpoint: str, graph: Path, tmp_path: Path, *options: str,
         within: float = DEADLINE + MARGIN) -> Run:
    return run(kg_command, "link", "--endpoint", endpoint, "--graph", str(graph), "--name", "x",
               "--out", str(tmp_path / "links.ttl"), *options, within=within, tmp_path=tmp_path)


# --- a server that drips ------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("headers_first", [False, True], ids=["drips-headers", "drips-body"])
def test_a_dripping_endpoint_is_cut_at_the_deadline(kg_command, graph, tmp_path, headers_first):
    before = digest(graph)
    with DripServer(headers_first=headers_first) as drip:
        done = link(kg_command, drip.url, graph, tmp_path, "--timeout", str(DEADLINE))
    assert done.returncode == 2, done.stderr
    assert done.error_line == f"kg: error: {drip.url}: no complete answer within {DEADLINE} s"
    assert DEADLINE <= done.seconds < DEADLINE + MARGIN
    assert drip.requests == 1  # the first request (the default-graph check) was the one cut
    assert digest(graph) == before
    assert not (tmp_path / "links.ttl").exists()


@pytest.fixture(scope="module")
def oxigraph_store(article_store, tmp_path_factory) -> str:
    """The article in an embedded store: a copy of the shared build's (a `kg load` of it is
    test_stores.py's subject, not these tests')."""
    copy = copy_store(article_store, tmp_path_factory.mktemp("faults-store") / "store")
    return f"oxigraph:{copy}"


@pytest.fixture(scope="module")
def our_server(article_store, tmp_path_factory):
    """An Oxigraph server holding the article's graph (on a copy of the shared build's store):
    the sparql: store."""
    server = start_oxigraph(copy_store(article_store,
                                       tmp_path_factory.mktemp("faults-server") / "store"))
    yield server
    server.stop()


@pytest.fixture(params=["memory", "oxigraph", "sparql"])
def store_args(request, article_graph) -> list[str]:
    if request.param == "oxigraph":
        return ["--store", request.getfixturevalue("oxigraph_store")]
    if request.param == "sparql":
        return ["--store", f"sparql:{request.getfixturevalue('our_server').query_url}"]
    return ["--graph", str(article_graph)]


@pytest.mark.slow
def test_a_dripping_service_endpoint_is_cut_at_the_deadline_on_every_store(
        kg_command, store_args, tmp_path):
    # the memory store reads the graph file before the query starts: its time is not the
    # deadline's, so the run may take that much longer
    with DripServer() as drip:
        done = run(kg_command, "query", FEDERATED, *store_args, "--param",
                   f"endpoint={drip.url}", "--timeout", str(DEADLINE),
                   within=DEADLINE + 2 * MARGIN, tmp_path=tmp_path)
    assert done.returncode == 2, done.stderr
    line = done.error_line
    assert line.startswith("kg: error: ")
    assert line.endswith(f": no complete answer within {DEADLINE} s"), line
    assert drip.requests == 1


def test_the_relay_takes_the_place_of_service_iris_only():
    text = ('# SERVICE <http://a.example/comment>\n'
            'SELECT ?service WHERE { BIND("SERVICE <http://a.example/string>" AS ?service)\n'
            '  SERVICE SILENT <http://a.example/q?x=1> { ?s ?p ?o } }')
    with ServiceRelay(Deadline(5), None) as relay:
        out = relay.rewrite(text)
        assert relay.services == ["http://a.example/q?x=1"]
        relayed = re.search(r"SERVICE SILENT <(http://127\.0\.0\.1:\d+/0)>", out)
        assert relayed is not None, out
        assert out == text.replace("<http://a.example/q?x=1>", f"<{relayed.group(1)}>")
        assert relay.target("/0?query=ASK") == "http://a.example/q?x=1&query=ASK"
        assert relay.target("/1") is None


@pytest.mark.slow
def test_a_service_named_past_the_relay_is_refused(kg_command, article_graph, tmp_path):
    query = "PREFIX ex: <http://127.0.0.1:9/> SELECT * WHERE { SERVICE ex:query { ?s ?p ?o } }"
    done = run(kg_command, "query", query, "--graph", str(article_graph), within=120,
               tmp_path=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.error_line == ("kg: error: SERVICE ex:query: name the endpoint by its full IRI, "
                               "SERVICE <http://…>, so that its calls keep --timeout")


# --- a server that sends too much -----------------------------------------------------------

@pytest.mark.slow
def test_an_answer_over_the_limit_is_refused_while_memory_stays_bounded(kg_command, graph,
                                                                        tmp_path):
    """128 MB without a Content-Length, so that only counting while reading can refuse it; the
    peak memory is compared with a run that reads a small answer."""
    before = digest(graph)
    with HugeAnswerServer(64 * 1024) as small:
        baseline = link(kg_command, small.url, graph, tmp_path, within=120)
    assert baseline.returncode == 0, baseline.stderr
    with HugeAnswerServer(128 * MB, with_length=False) as huge:
        done = link(kg_command, huge.url, graph, tmp_path, "--max-answer-mb", "4",
                    within=120)
    assert done.returncode == 2, done.stderr
    assert done.error_line == (f"kg: error: {huge.url}: the answer is over the 4 MB limit "
                               "(--max-answer-mb raises it)")
    # the answer is refused once 4 MB have come: the process holds about that much more than
    # with a small answer, not the 128 MB (nor its parse, ten times as much)
    assert done.peak_mb < baseline.peak_mb + 32, (done.peak_mb, baseline.peak_mb)
    assert digest(graph) == before
    assert not (tmp_path / "links.ttl").exists()


@pytest.mark.slow
def test_the_default_limit_is_64_mb_and_a_declared_size_is_refused_before_reading(
        kg_command, graph, tmp_path):
    before = digest(graph)
    with HugeAnswerServer(65 * MB) as huge:
        done = link(kg_command, huge.url, graph, tmp_path, within=120)
    assert done.returncode == 2, done.stderr
    assert done.error_line == (f"kg: error: {huge.url}: the answer is {huge.size / MB:.1f} MB, "
                               "over the 64 MB limit (--max-answer-mb raises it)")
    assert digest(graph) == before
    assert not (tmp_path / "links.ttl").exists()


@pytest.mark.slow
def test_max_answer_mb_raises_the_limit(kg_command, graph, tmp_path):
    with HugeAnswerServer(2 * MB) as answer:
        refused = link(kg_command, answer.url, graph, tmp_path, "--max-answer-mb", "1")
        read = link(kg_command, answer.url, graph, tmp_path, "--max-answer-mb", "3")
    assert refused.returncode == 2 and "over the 1 MB limit" in refused.error_line
    assert read.returncode == 0, read.stderr
    assert read.stdout.splitlines() == [
        f"{answer.rows} entities read from {answer.url}: no links found; nothing written"]


@pytest.mark.slow
def test_a_huge_service_answer_is_refused(kg_command, article_graph, tmp_path):
    with HugeAnswerServer(64 * MB, with_length=False) as huge:
        done = run(kg_command, "query", FEDERATED, "--graph", str(article_graph), "--param",
                   f"endpoint={huge.url}", "--max-answer-mb", "4", within=120,
                   tmp_path=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.error_line == (f"kg: error: answers/{FEDERATED}: a SERVICE call failed: "
                               f"{huge.url}: the answer is over the 4 MB limit "
                               "(--max-answer-mb raises it)")


# --- a server with nothing to link ----------------------------------------------------------

@pytest.fixture(scope="module")
def unlinkable(tmp_path_factory):
    """An Oxigraph server holding tests/data/unlinkable-graph.ttl."""
    server: OxigraphServer = start_oxigraph(tmp_path_factory.mktemp("unlinkable"))
    url = f"{server.store_url}?graph={urllib.parse.quote('http://example.org/unlinkable', safe='')}"
    request = urllib.request.Request(url, data=UNLINKABLE.read_bytes(), method="PUT",
                                     headers={"Content-Type": "text/turtle"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
    except BaseException:
        server.stop()
        raise
    yield server
    server.stop()


@pytest.mark.slow
def test_no_links_found_writes_nothing(kg_command, graph, unlinkable, tmp_path):
    before = digest(graph)
    done = link(kg_command, unlinkable.query_url, graph, tmp_path, within=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        f"4 entities read from {unlinkable.query_url}: no links found; nothing written"]
    assert digest(graph) == before
    assert not (tmp_path / "links.ttl").exists()


@pytest.mark.slow
def test_no_links_found_adds_no_graph_to_an_oxigraph_store(kg_command, oxigraph_store,
                                                           unlinkable, tmp_path):
    def graphs() -> list[str]:
        done = subprocess.run([*kg_command, "query", "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }",
                               "--store", oxigraph_store, "--format", "csv"],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return sorted(done.stdout.splitlines()[1:])

    before = graphs()
    done = run(kg_command, "link", "--endpoint", unlinkable.query_url, "--store", oxigraph_store,
               "--name", "x", within=120, tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "no links found; nothing written" in done.stdout
    assert graphs() == before
    assert not any(g.endswith("/graph/links/x") for g in before)
