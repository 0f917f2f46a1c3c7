"""Misbehaving SPARQL endpoints for the fault tests, each a real HTTP server on 127.0.0.1 and a
free port, run in a thread of the test process:

- `DripServer`: answers every request one byte per `interval` seconds, from the status line on,
  and never finishes (an endless run of JSON whitespace), as a stalled or hostile server does.
  With `headers_first`, the status line and headers come at once and only the body drips.
- `HugeAnswerServer`: answers every SELECT at once with valid SPARQL JSON results of about
  `size` bytes, with or without a Content-Length (an ASK gets `true`).
"""

from __future__ import annotations

import http.server
import threading
import urllib.parse
from collections.abc import Iterator
from typing import ClassVar

JSON = "application/sparql-results+json"
HEAD = b'{"head":{"vars":["entity","label"]},"results":{"bindings":['
TAIL = b"]}}"
BATCH = 512  # rows per write


class _Quiet(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        self.query = _query(urllib.parse.urlsplit(self.path).query)
        self.answer()

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.query = _query(body.decode("utf-8", "replace"))
        self.answer()

    def answer(self) -> None:
        raise NotImplementedError


def _query(form: str) -> str:
    return urllib.parse.parse_qs(form).get("query", [""])[0]


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, handler: type[_Quiet]) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self.stopping = threading.Event()
        self.requests = 0
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}/query"

    def stop(self) -> None:
        self.stopping.set()  # ends the drips still running
        self.shutdown()
        self.server_close()

    def __enter__(self) -> _Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


class _Drip(_Quiet):
    interval: ClassVar[float] = 1.0
    headers_first: ClassVar[bool] = False

    def answer(self) -> None:
        self.server.requests += 1  # type: ignore[attr-defined]
        stopping: threading.Event = self.server.stopping  # type: ignore[attr-defined]
        status = f"HTTP/1.1 200 OK\r\nContent-Type: {JSON}\r\nConnection: close\r\n\r\n"
        dripped = HEAD
        try:
            if self.headers_first:
                self.wfile.write(status.encode())
            else:
                dripped = status.encode() + HEAD
            for byte in _endless(dripped):
                if stopping.wait(self.interval):
                    return
                self.wfile.write(byte)
        except OSError:  # the client hung up: what a deadline does
            return


def _endless(start: bytes) -> Iterator[bytes]:
    yield from (start[i:i + 1] for i in range(len(start)))
    while True:
        yield b" "


class DripServer(_Server):
    def __init__(self, interval: float = 1.0, *, headers_first: bool = False) -> None:
        super().__init__(type("Drip", (_Drip,), {"interval": interval,
                                                 "headers_first": headers_first}))


def row(n: int) -> bytes:
    """One binding of fixed length: an entity of the other graph no name of ours matches."""
    return (b'{"entity":{"type":"uri","value":"http://example.org/huge/%09d"},'
            b'"label":{"type":"literal","value":"nowhere %09d","xml:lang":"en"}}' % (n, n))


def answer_rows(size: int) -> int:
    return max(1, (size - len(HEAD) - len(TAIL)) // (len(row(0)) + 1))


def answer_length(rows: int) -> int:
    return len(HEAD) + rows * len(row(0)) + (rows - 1) + len(TAIL)


class _Huge(_Quiet):
    rows: ClassVar[int] = 1
    with_length: ClassVar[bool] = True

    def answer(self) -> None:
        self.server.requests += 1  # type: ignore[attr-defined]
        if self.query.lstrip().upper().startswith("ASK"):  # kg's check of the default graph
            self._small(b'{"head":{},"boolean":true}')
            return
        self.send_response(200)
        self.send_header("Content-Type", JSON)
        if self.with_length:
            self.send_header("Content-Length", str(answer_length(self.rows)))
        self.send_header("Connection", "close")
        self.end_headers()
        try:
            self.wfile.write(HEAD)
            for first in range(0, self.rows, BATCH):  # a write per row would be slow
                last = min(first + BATCH, self.rows)
                self.wfile.write(b"".join((b"," if n else b"") + row(n)
                                          for n in range(first, last)))
            self.wfile.write(TAIL)
        except OSError:  # the client stopped reading: what a size limit does
            return


    def _small(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", JSON)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class HugeAnswerServer(_Server):
    def __init__(self, size: int, *, with_length: bool = True) -> None:
        rows = answer_rows(size)
        super().__init__(type("Huge", (_Huge,), {"rows": rows, "with_length": with_length}))
        self.rows = rows
        self.size = answer_length(rows)
