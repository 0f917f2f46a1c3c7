"""`kg serve` answers hostile requests as docs/serve.md says (issue 10, item 6): deep nesting,
prefixed SERVICE/FROM, ambiguous request framing, idle and half-sent requests, more
connections than the maximum, malformed request lines.

Each case talks to a real `kg serve` process on 127.0.0.1, over raw sockets where the request
must be malformed on purpose. The graph is a small TriG file written here, so the servers start
in about a second and the expected rows are known.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import pytest
from servers import start_kg_serve

GRAPH = """@prefix ex: <http://example.org/> .
ex:g { ex:a ex:says "hello" . ex:b ex:says "world" . }
"""
SAYS = "SELECT ?o WHERE { ?s <http://example.org/says> ?o } ORDER BY ?o"
SAYS_ROWS = [["hello"], ["world"]]
CLIENT_TIMEOUT = 2  # seconds, for the server that times requests out
MAX_CONNECTIONS = 4  # for the server that is flooded with half-open connections
MAX_DEPTH = 64  # kg/sparql/shape.py, as documented
SERVER_THREADS = 2  # besides connection handlers: the main thread and the accept loop


@dataclass
class Response:
    status: int
    headers: dict[str, str]  # names in lower case
    body: bytes

    @property
    def lines(self) -> list[str]:
        return self.body.decode("utf-8").splitlines()


def parse_responses(data: bytes) -> list[Response]:
    """Every complete HTTP response in `data`, in order (each has a Content-Length)."""
    responses = []
    while data:
        head, separator, rest = data.partition(b"\r\n\r\n")
        assert separator, f"an incomplete response: {data[:200]!r}"
        status_line, *header_lines = head.decode("iso-8859-1").split("\r\n")
        headers = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers["content-length"])
        responses.append(Response(int(status_line.split()[1]), headers, rest[:length]))
        data = rest[length:]
    return responses


def exchange(server, raw: bytes, wait: float = 20) -> tuple[list[Response], bool]:
    """Send raw bytes, read until the server closes or `wait` seconds pass without a byte:
    (the responses, whether the server closed the connection)."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=wait) as sock:
        sock.sendall(raw)
        data, closed = b"", False
        try:
            while chunk := sock.recv(65536):
                data += chunk
            closed = True
        except TimeoutError:
            pass
    return parse_responses(data), closed


def post_query(server, text: str) -> Response:
    body = text.encode("utf-8")
    raw = (b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
           b"Content-Type: application/sparql-query\r\n"
           b"Content-Length: %d\r\n\r\n" % len(body)) + body
    responses, _ = exchange(server, raw, wait=60)
    assert len(responses) == 1
    return responses[0]


def rows(response: Response) -> list[list[str]]:
    data = json.loads(response.body)
    names = data["head"]["vars"]
    return [[b[n]["value"] for n in names] for b in data["results"]["bindings"]]


def one_plain_line(response: Response) -> str:
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert not response.body.startswith(b"<"), response.body  # not the library's HTML page
    assert len(response.lines) == 1, response.body
    return response.lines[0]


@dataclass
class Served:
    url: str
    process: subprocess.Popen
    stop: object

    @property
    def port(self) -> int:
        return urllib.parse.urlsplit(self.url).port


def _serve(kg_command, folder: Path, *args: str) -> Served:
    graph = folder / "graph.trig"
    graph.write_text(GRAPH, encoding="utf-8")
    server = start_kg_serve(kg_command, ["--graph", str(graph), "--timeout", "20", *args],
                            folder / "stderr.txt")
    return Served(server.url, server.process, server.stop)


@pytest.fixture(scope="module")
def server(kg_command, tmp_path_factory):
    """Requests must arrive within CLIENT_TIMEOUT seconds."""
    s = _serve(kg_command, tmp_path_factory.mktemp("faults-serve"),
               "--client-timeout", str(CLIENT_TIMEOUT))
    yield s
    s.stop()


@pytest.fixture(scope="module")
def small_server(kg_command, tmp_path_factory):
    """MAX_CONNECTIONS connections, and a client timeout far longer than any test waits: a
    query answered while the slots are held can only have been let in by closing one."""
    s = _serve(kg_command, tmp_path_factory.mktemp("faults-serve-small"),
               "--max-connections", str(MAX_CONNECTIONS), "--client-timeout", "600")
    yield s
    s.stop()


# --- (a) nesting ----------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("name, text", [
    ("10,000 {", "SELECT * WHERE " + "{" * 10_000 + "?s ?p ?o" + "}" * 10_000),
    ("10,000 nested OPTIONAL",
     "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o " * 10_000 + "}" * 10_000 + "}"),
    ("10,000 nested (", "ASK { FILTER(" + "(" * 10_000 + "true" + ")" * 10_000 + ") }"),
    ("10,000 nested [", "SELECT * WHERE { ?s ?p " + "[ ?p " * 10_000 + "?o" + " ]" * 10_000 + "}"),
])
def test_deep_nesting_is_400_with_one_line(server, name, text):
    response = post_query(server, text)
    assert response.status == 400, (name, response.body)
    assert one_plain_line(response) == (f"the query nests more than {MAX_DEPTH} levels of "
                                        "{ }, ( ) or [ ]")


@pytest.mark.slow
def test_a_chain_of_10000_optional_is_400(server):
    text = "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o } " * 10_000 + "}"
    start = time.monotonic()
    response = post_query(server, text)
    assert response.status == 400
    assert one_plain_line(response) == "the query has more than 1000 groups { … }; split it"
    assert time.monotonic() - start < 5  # refused before the parser spends seconds on it


@pytest.mark.slow
def test_nesting_up_to_the_limit_is_answered(server):
    """The limit is honest: 64 levels (of each kind of bracket) run and give the rows."""
    braces = "{" * (MAX_DEPTH - 1) + SAYS.split("WHERE ")[1].split(" ORDER")[0] + "}" * (
        MAX_DEPTH - 1)
    response = post_query(server, f"SELECT ?o WHERE {braces} ORDER BY ?o")
    assert response.status == 200, response.body
    assert rows(response) == SAYS_ROWS
    parens = "(" * (MAX_DEPTH - 2) + "?o != 'world'" + ")" * (MAX_DEPTH - 2)
    response = post_query(server, "SELECT ?o WHERE { ?s <http://example.org/says> ?o "
                                  f"FILTER({parens}) }}")
    assert response.status == 200, response.body
    assert rows(response) == [["hello"]]


@pytest.mark.slow
def test_braces_in_strings_iris_and_comments_do_not_count(server):
    hidden = "{" * (2 * MAX_DEPTH)
    text = (f"SELECT ?o WHERE {{ ?s <http://example.org/says> ?o # {hidden}\n"
            f"FILTER(?o != \"{hidden}\" && ?o != '''{hidden}''') }} ORDER BY ?o")
    response = post_query(server, text)
    assert response.status == 200, response.body
    assert rows(response) == SAYS_ROWS


@pytest.mark.slow
def test_a_block_too_long_for_the_engine_is_400_not_500(server):
    """Flat, so within the nesting limit, but rdflib's parser recurses once per triple
    pattern: its RecursionError is the client's 400, never a 500."""
    text = "SELECT * WHERE { " + "?s ?p ?o . " * 5_000 + "}"
    response = post_query(server, text)
    assert response.status == 400, response.body
    assert one_plain_line(response).startswith("the query is too large for the SPARQL engine")


# --- (b) prefixed SERVICE and FROM ----------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("text, shown", [
    ("PREFIX e: <http://x.example/> SELECT * WHERE { SERVICE e:s { ?s ?p ?o } }",
     "SERVICE e:s (<http://x.example/s>)"),
    ("PREFIX e: <http://x.example/> SELECT * WHERE { SERVICE SILENT e:s { ?s ?p ?o } }",
     "SERVICE e:s (<http://x.example/s>)"),
    ("PREFIX : <http://x.example/> SELECT * WHERE { SERVICE :s { ?s ?p ?o } }",
     "SERVICE :s (<http://x.example/s>)"),
    ("BASE <http://x.example/> SELECT * WHERE { SERVICE <s> { ?s ?p ?o } }", "SERVICE <s>"),
])
def test_prefixed_service_is_403(server, text, shown):
    response = post_query(server, text)
    assert response.status == 403, response.body
    assert one_plain_line(response) == (f"{shown}: this endpoint calls only the services given "
                                        "with --allow-service (allowed: none)")


@pytest.mark.slow
@pytest.mark.parametrize("clause", ["FROM", "FROM NAMED"])
def test_prefixed_from_is_refused_like_the_iri_form(server, clause):
    prefixed = post_query(server, f"PREFIX e: <http://x.example/> SELECT * {clause} e:g "
                                  "WHERE { ?s ?p ?o }")
    written = post_query(server, f"SELECT * {clause} <http://x.example/g> WHERE {{ ?s ?p ?o }}")
    assert prefixed.status == written.status == 400
    assert one_plain_line(prefixed).startswith(f"{clause} e:g (<http://x.example/g>): not "
                                               "supported")
    assert one_plain_line(written).startswith(f"{clause} <http://x.example/g>: not supported")


@pytest.mark.slow
def test_an_undeclared_prefix_is_400(server):
    response = post_query(server, "SELECT * WHERE { e:a ?p ?o }")
    assert response.status == 400
    assert one_plain_line(response) == "e:a: the prefix e: is not declared (add PREFIX e: <…>)"


# --- (c) framing: where does the request end? -----------------------------------------------

SMUGGLED = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


def framed(*headers: bytes, body: bytes = b"ASK {}") -> bytes:
    """A POST with the given framing headers, its body, then a complete second request: if
    the server guessed the body's end, it would answer that second request too."""
    return (b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/sparql-query\r\n" + b"".join(h + b"\r\n" for h in headers)
            + b"\r\n" + body + SMUGGLED)


@pytest.mark.slow
@pytest.mark.parametrize("raw, status, message", [
    (framed(b"Content-Length: 6", b"Content-Length: 60"), 400,
     "more than one Content-Length header"),
    (framed(b"Content-Length: 6", b"Content-Length: 6"), 400,
     "more than one Content-Length header"),
    (framed(b"Content-Length: 6", b"Transfer-Encoding: chunked"), 400,
     "both Transfer-Encoding and Content-Length: the request's end is ambiguous"),
    (framed(b"Transfer-Encoding: chunked", body=b"6\r\nASK {}\r\n0\r\n\r\n"), 411,
     "Transfer-Encoding is not supported: send the body with a Content-Length"),
    (framed(b"Content-Length: -6"), 400, "Content-Length '-6': expected a number of bytes"),
    (framed(b"Content-Length: six"), 400, "Content-Length 'six': expected a number of bytes"),
    (framed(b"Content-Length : 6"), 400, "a request header line is malformed"),
    (framed(b"Content-Length: 6", b"Host: evil.example"), 400, "more than one Host header"),
])
def test_ambiguous_framing_is_refused_and_the_connection_closed(server, raw, status, message):
    responses, closed = exchange(server, raw)
    assert [r.status for r in responses] == [status]  # the smuggled request is not answered
    assert one_plain_line(responses[0]) == message
    assert responses[0].headers["connection"] == "close" and closed


@pytest.mark.slow
def test_a_body_on_a_get_is_never_read_as_the_next_request(server):
    get = ("GET /sparql?" + urllib.parse.urlencode({"query": SAYS}) + " HTTP/1.1\r\n"
           f"Host: 127.0.0.1\r\nContent-Length: {len(SMUGGLED)}\r\n\r\n").encode()
    responses, closed = exchange(server, get + SMUGGLED)
    assert [r.status for r in responses] == [200]
    assert rows(responses[0]) == SAYS_ROWS
    assert closed


@pytest.mark.slow
def test_keep_alive_still_serves_several_requests_on_one_connection(server):
    one = ("GET /sparql?" + urllib.parse.urlencode({"query": SAYS}) + " HTTP/1.1\r\n"
           "Host: 127.0.0.1\r\n\r\n").encode()
    last = one.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n")
    responses, closed = exchange(server, one + one + last)
    assert [r.status for r in responses] == [200, 200, 200] and closed
    assert all(rows(r) == SAYS_ROWS for r in responses)


# --- (d) time to send a request, and the number of connections ------------------------------

def seconds_until_closed(server, raw: bytes) -> tuple[float, bytes]:
    """Send `raw`, then wait (blocked in recv, at most a minute) until the server closes."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=60) as sock:
        start = time.monotonic()
        sock.sendall(raw)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
        return time.monotonic() - start, data


@pytest.mark.slow
def test_an_idle_connection_is_closed_after_the_client_timeout(server):
    took, data = seconds_until_closed(server, b"")
    assert data == b""  # nothing was asked: nothing is answered
    assert CLIENT_TIMEOUT - 0.1 <= took < CLIENT_TIMEOUT + 3


@pytest.mark.slow
@pytest.mark.parametrize("raw", [
    b"GET /sparql?query=ASK%7B%7D HT",  # mid request line
    b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n",  # no blank line
    b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
    b"Content-Length: 100\r\n\r\nASK",  # 3 bytes of a 100-byte body
])
def test_a_half_sent_request_gets_408_after_the_client_timeout(server, raw):
    took, data = seconds_until_closed(server, raw)
    [response] = parse_responses(data)
    assert response.status == 408
    assert one_plain_line(response) == (f"the request was not received in full within "
                                        f"{CLIENT_TIMEOUT} s")
    assert CLIENT_TIMEOUT - 0.1 <= took < CLIENT_TIMEOUT + 3


@pytest.mark.slow
def test_a_trickled_request_is_cut_at_the_deadline_not_at_each_byte(server):
    """One byte every 0.2 s never leaves the socket idle for CLIENT_TIMEOUT seconds; the
    deadline is for the whole request, so it is cut all the same."""
    request = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 200
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.settimeout(0.2)  # paces the bytes while waiting for the server's answer
        start, data = time.monotonic(), b""
        for byte in request:
            sock.sendall(bytes([byte]))
            try:
                data = sock.recv(65536)
            except TimeoutError:
                continue
            break  # the answer has begun
        took = time.monotonic() - start
        sock.settimeout(10)
        while chunk := sock.recv(65536):  # the rest of it, until the server closes
            data += chunk
    [response] = parse_responses(data)
    assert response.status == 408
    assert CLIENT_TIMEOUT - 0.1 <= took < CLIENT_TIMEOUT + 3


def _threads(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/task"))


@pytest.mark.slow
def test_more_half_open_connections_than_the_maximum_do_not_stop_a_query(small_server):
    held = []
    try:
        for _ in range(10 * MAX_CONNECTIONS):
            sock = socket.create_connection(("127.0.0.1", small_server.port), timeout=60)
            sock.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            held.append(sock)
        start = time.monotonic()
        response = post_query(small_server, SAYS)
        assert response.status == 200 and rows(response) == SAYS_ROWS
        assert time.monotonic() - start < 30  # not after the half-open ones' 600 s
        assert _threads(small_server.process.pid) <= SERVER_THREADS + MAX_CONNECTIONS
        # The connections that waited longest were closed to make room, without an answer
        # (they asked nothing complete); the newest still wait for the rest of their request
        # (the query's connection made room by closing the oldest of them).
        still_open = MAX_CONNECTIONS - 1
        for sock in held[:-still_open]:
            assert sock.recv(65536) == b""
        for sock in held[-still_open:]:
            sock.setblocking(False)
            with pytest.raises(BlockingIOError):  # open, nothing to read
                sock.recv(65536)
    finally:
        for sock in held:
            sock.close()


# --- (e) the library's own error answers ----------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("raw, status, message", [
    (b"GARBAGE\r\n\r\n", 400, "Bad request syntax ('GARBAGE')"),
    (b"GET /sparql HTTP/9.9\r\n\r\n", 505, "Invalid HTTP version (9.9)"),
    (b"GET /sparql HTTP/x\r\n\r\n", 400, "Bad request version ('HTTP/x')"),
    (b"PUT /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 501, "Unsupported method ('PUT')"),
    (b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 414,
     "Request-URI Too Long"),
    (b"GET / HTTP/1.1\r\nX-Long: " + b"a" * 70_000 + b"\r\n\r\n", 431, "Line too long"),
])
def test_malformed_requests_get_one_plain_line(server, raw, status, message):
    responses, closed = exchange(server, raw)
    assert [r.status for r in responses] == [status]
    assert one_plain_line(responses[0]) == message
    assert closed


# --- bad options ----------------------------------------------------------------------------

@pytest.mark.parametrize("args", [["--client-timeout", "0"], ["--max-connections", "0"]])
def test_bad_connection_limits_are_exit_2(kg_command, tmp_path, args):
    r = subprocess.run([*kg_command, "serve", "--port", "0", *args], capture_output=True,
                       text=True, timeout=60, cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr.strip() == ("kg: error: --client-timeout must be above 0 and "
                                "--max-connections at least 1")
