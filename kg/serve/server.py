"""`kg serve`: a SPARQL 1.1 Protocol endpoint at /sparql and a query page (Yasgui) at /.

HTTP, routing and the protocol's parameters live here; what runs a request (a child process
per request, with a time limit) is kg/serve/executor.py, what answers it is kg/serve/answer.py, the
limits on connections (time to send a request, how many hold a thread) and on ambiguous headers
are kg/serve/connection.py. Design, status codes and measurements: docs/serve.md.
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import socket
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

from kg.errors import InputError
from kg.serve.answer import Answer, Request, text_answer
from kg.serve.connection import ConnectionSlots, DeadlineReader, framing_problem
from kg.serve.executor import Executor
from kg.store.base import StoreSpec

STATIC = Path(__file__).parent / "static"
EXAMPLE = "answers/gdp-share-change"
MAX_BODY = 1 << 20  # bytes of query or update text
# Handler threads fork the query children, which raise their recursion limit (serve_exec.py):
# a stack of this size holds that recursion with room to spare, whatever `ulimit -s` says.
# Only the pages a thread touches are ever allocated.
HANDLER_STACK = 32 << 20
# After an error answer on a connection the server closes, it reads (and drops) what the
# client still sends for this long, or this many bytes: closing with unread bytes makes the
# kernel reset the connection, and a client still sending its request may lose the answer.
LINGER_SECONDS = 2.0
LINGER_BYTES = MAX_BODY + (64 << 10)
LOOPBACK = ("127.0.0.1", "::1", "localhost")
FORM, QUERY_BODY, UPDATE_BODY = ("application/x-www-form-urlencoded", "application/sparql-query",
                                 "application/sparql-update")


@dataclass(frozen=True, slots=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 7878
    timeout: float = 30.0
    max_rows: int = 10_000
    allow_update: bool = False
    allow_service: frozenset[str] = frozenset()
    client_timeout: float = 10.0  # seconds to send each request; idle connections close after
    max_connections: int = 64  # connections with a thread
    wait: float = 0.0  # seconds to wait for an Oxigraph store another process is using


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False  # a port in use is an error, not silently shared
    request_queue_size = 128  # the default 5 resets clients that connect together

    def __init__(self, settings: Settings, executor: Executor) -> None:
        self.settings = settings
        self.executor = executor
        self.page = _page()
        self.slots = ConnectionSlots(settings.max_connections)
        family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
        self.address_family = family
        super().__init__((settings.host, settings.port), Handler)

    def process_request(self, request, client_address) -> None:  # type: ignore[override]
        if not self.slots.take():  # stopping
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)  # starts its thread
        except BaseException:
            self.slots.give_back(request)
            raise

    def process_request_thread(self, request, client_address) -> None:  # type: ignore[override]
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.give_back(request)

    def shutdown(self) -> None:
        self.slots.stop()  # the accept loop may be waiting for a slot
        super().shutdown()

    def handle_error(self, request, client_address) -> None:  # type: ignore[override]
        """One line, not the library's traceback; nothing for a client that went away."""
        error = sys.exc_info()[1]
        if isinstance(error, OSError):
            return
        print(f"kg serve: error on a connection from {client_address[0]}: "
              f"{type(error).__name__}: {error}", file=sys.stderr, flush=True)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{f'[{host}]' if ':' in str(host) else host}:{port}"


class Handler(BaseHTTPRequestHandler):
    server: Server
    protocol_version = "HTTP/1.1"  # keep-alive: clients reuse their connection
    # Until the request line names a version, answer errors with a status line and headers
    # (the library's default, HTTP/0.9, would send the bare body).
    default_request_version = "HTTP/1.0"
    reader: DeadlineReader
    unread_body = False  # the request declared a body this handler has not read
    linger = False  # closing after an error answer: drain the client's bytes first

    def setup(self) -> None:
        self.timeout = self.server.settings.client_timeout  # the socket's: bounds each write
        super().setup()
        self.rfile.close()  # the library's reader: closed, or the socket would outlive us
        self.reader = DeadlineReader(self.connection)
        self.rfile = io.BufferedReader(self.reader)

    def finish(self) -> None:
        if self.linger:
            self._drain()
        super().finish()

    def _drain(self) -> None:
        self.server.slots.waiting(self.connection)  # may be closed at once to make room
        # OSError: the client reset, or went quiet (a TimeoutError): either way, done.
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_WR)  # the answer is complete: FIN now
            deadline, left = time.monotonic() + LINGER_SECONDS, LINGER_BYTES
            while left > 0 and (seconds := deadline - time.monotonic()) > 0:
                self.connection.settimeout(seconds)
                chunk = self.connection.recv(min(left, 1 << 16))
                if not chunk:
                    break
                left -= len(chunk)

    def handle_one_request(self) -> None:
        # Each request starts clean: an error before the request line is parsed must not
        # reuse the previous request's method or path.
        self.command, self.path, self.requestline = None, "", ""
        self.request_version = self.default_request_version
        self.unread_body = False
        self.reader.start_request(self.server.settings.client_timeout)
        self.server.slots.waiting(self.connection)
        super().handle_one_request()  # a TimeoutError from the reader closes the connection
        if self.reader.timed_out and self.reader.received:
            self._send(text_answer(408, "the request was not received in full within "
                                        f"{self.server.settings.client_timeout:g} s"))

    def parse_request(self) -> bool:
        if not self.raw_requestline.endswith(b"\n"):  # the client left mid-line
            self.close_connection = True
            return False
        if not super().parse_request():  # the library answered (send_error below)
            return False
        if self.reader.ended:  # the headers stopped without their blank line: never answered
            self.close_connection = True
            return False
        problem = framing_problem(self.headers)
        if problem:
            self.send_error(*problem)
            return False
        self.unread_body = int(self.headers.get("Content-Length") or 0) > 0
        return True

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        """The library's own refusals (a malformed request line or header, an unsupported
        method, a line too long) as one plain line, like every other error, not its HTML."""
        self.close_connection = True
        self._send(text_answer(code, message or self.responses.get(code, ("refused",))[0]))

    def do_GET(self) -> None:
        self.server.slots.busy(self.connection)  # the request is in (a body is not read)
        path, _, query = self.path.partition("?")
        if not self._host_ok():
            return
        if path == "/":
            self._send(Answer(200, "text/html; charset=utf-8", self.server.page))
        elif path.startswith("/static/"):
            self._static(path.removeprefix("/static/"))
        elif path == "/sparql":
            self._sparql(parse_qs(query, keep_blank_values=True), method="GET")
        else:
            self._send(text_answer(404, f"{path}: not found (the endpoint is /sparql)"))

    def do_POST(self) -> None:
        path = self.path.partition("?")[0]
        if not self._host_ok():
            return
        if path != "/sparql":
            self._send(text_answer(404, f"{path}: not found (the endpoint is /sparql)"))
            return
        length = self.headers.get("Content-Length")  # one, and digits (parse_request)
        if length is None:
            self._send(text_answer(411, "a POST needs a Content-Length"))
            return
        if int(length) > MAX_BODY:
            self._send(text_answer(413, f"the request body is over {MAX_BODY} bytes"))
            return
        body = self.rfile.read(int(length))
        if len(body) < int(length):  # the client closed its side early
            self._send(text_answer(400, f"the request body ended after {len(body)} of "
                                        f"{length} bytes"))
            return
        self.unread_body = False
        self.server.slots.busy(self.connection)  # the request is in
        params = parse_qs(self.path.partition("?")[2], keep_blank_values=True)
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            self._send(text_answer(400, "the request body is not UTF-8"))
            return
        if ctype == FORM:
            params.update(parse_qs(text, keep_blank_values=True))
        elif ctype in (QUERY_BODY, UPDATE_BODY):
            params["query" if ctype == QUERY_BODY else "update"] = [text]
        else:
            self._send(text_answer(415, f"Content-Type {ctype or 'missing'}: send {FORM}, "
                                        f"{QUERY_BODY} or {UPDATE_BODY}"))
            return
        self._sparql(params, method="POST")

    def _sparql(self, params: dict[str, list[str]], method: str) -> None:
        settings = self.server.settings
        for name in ("default-graph-uri", "named-graph-uri", "using-graph-uri",
                     "using-named-graph-uri"):
            if name in params:
                self._send(text_answer(400, f"{name}: not supported; the default graph is the "
                                            "union of the named graphs"))
                return
        queries, updates = params.get("query", []), params.get("update", [])
        if len(queries) + len(updates) != 1:
            self._send(text_answer(400, "send exactly one query= or update= (SPARQL 1.1 "
                                        "Protocol), e.g. /sparql?query=ASK%20%7B%7D"))
            return
        if updates:
            refusal = self._update_refusal(method)
            if refusal:
                self._send(refusal)
                return
            req = Request("update", updates[0], allow_service=settings.allow_service)
        else:
            fmt = (params.get("format") or [None])[0]
            req = Request("query", queries[0], self.headers.get("Accept"), fmt,
                          settings.max_rows, settings.allow_service)
        result = self.server.executor.run(req)
        if result.status >= 500:
            print(f"kg serve: {result.status} {result.body.decode().strip()}", file=sys.stderr,
                  flush=True)
            if result.log:  # the traceback of a failed query process (kg/serve/executor.py)
                print(result.log.rstrip(), file=sys.stderr, flush=True)
        self._send(result)

    def _update_refusal(self, method: str) -> Answer | None:
        if not self.server.settings.allow_update:
            return text_answer(403, "this endpoint is read-only: SPARQL Update is refused "
                                    "(start kg serve with --allow-update to apply updates)")
        if method != "POST":
            return text_answer(405, "SPARQL Update must be sent with POST")
        origin = self.headers.get("Origin")
        if origin and origin.rstrip("/") != self.server.url:
            # A web page from elsewhere may POST a form here (no CORS check for forms).
            return text_answer(403, f"Origin {origin}: updates are taken only from "
                                    f"{self.server.url}")
        return None

    def _host_ok(self) -> bool:
        """On loopback, answer only requests naming a loopback host: a DNS-rebinding page
        (evil.example resolving to 127.0.0.1) would otherwise read the endpoint."""
        if self.server.settings.host not in LOOPBACK:
            return True
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]")
        if host in LOOPBACK:
            return True
        self._send(text_answer(403, f"Host {host!r}: this server answers loopback names only"))
        return False

    def _static(self, name: str) -> None:
        files = {p.relative_to(STATIC).as_posix(): p for p in STATIC.rglob("*") if p.is_file()}
        path = files.get(name)  # only the shipped files: no path from the client is opened
        if path is None:
            self._send(text_answer(404, f"/static/{name}: not found"))
            return
        kind = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
                ".html": "text/html; charset=utf-8"}.get(path.suffix, "text/plain; charset=utf-8")
        answer = Answer(200, kind, path.read_bytes(), {"Cache-Control": "max-age=3600"})
        self._send(answer)

    def _send(self, answer: Answer) -> None:
        if self.unread_body:  # its bytes must not be read as the next request
            self.close_connection = True
        self.linger = self.close_connection and answer.status >= 400
        try:
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            self.send_header("X-Content-Type-Options", "nosniff")
            if self.path.startswith("/sparql"):
                self.send_header("Vary", "Accept")
                self.send_header("Cache-Control", "no-store")
            for key, value in answer.headers.items():
                self.send_header(key, value)
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(answer.body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client left; nothing to tell it

    def log_message(self, format: str, *args: object) -> None:
        pass  # no line per request: a busy endpoint would flood the terminal (5xx are logged)


def _page() -> bytes:
    from kg.sparql.catalogue import catalogue

    example = catalogue()[EXAMPLE].read_text(encoding="utf-8")
    text = (STATIC / "index.html").read_text(encoding="utf-8")
    # JSON inside <script>: "<" escaped so the query text can never close the element.
    as_json = json.dumps(example, ensure_ascii=False).replace("<", "\\u003c")
    return text.replace("__EXAMPLE_JSON__", as_json).replace("__EXAMPLE_NAME__", EXAMPLE).encode()


def check_settings(settings: Settings) -> None:
    """Bad options are refused before the store is even looked for."""
    if not 0 <= settings.port <= 65535:
        raise InputError(f"--port {settings.port}: expected 0 to 65535 (0: a free port)")
    if settings.timeout <= 0 or settings.max_rows < 1:
        raise InputError("--timeout must be above 0 and --max-rows at least 1")
    if settings.client_timeout <= 0 or settings.max_connections < 1:
        raise InputError("--client-timeout must be above 0 and --max-connections at least 1")


def serve(spec: StoreSpec, settings: Settings) -> int:
    check_settings(settings)
    if settings.allow_update and spec.kind == "sparql":
        raise InputError(f"--allow-update: {spec} is served read-only; send updates to that "
                         "server's own update endpoint")
    executor = Executor(spec, settings.timeout, max_children=max(4, 2 * (os.cpu_count() or 1)),
                        writes=settings.allow_update, wait=settings.wait)
    try:  # bind first: a port in use fails at once, before the graph is read
        server = Server(settings, executor)
    except OSError as e:
        reason = "address already in use" if e.errno == errno.EADDRINUSE else (
            e.strerror or str(e))
        raise InputError(f"cannot listen on {settings.host}:{settings.port}: {reason} "
                         "(choose another --port, or --port 0 for a free one)") from None
    # The stack size of new threads is the process's: set while serving, for the handler
    # threads (started from the accept loop's thread below), and put back afterwards.
    stack = threading.stack_size(HANDLER_STACK)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    try:
        executor.load()
        print(f"serving {server.url}/sparql (query page: {server.url}/) from {spec}; "
              f"{'updates allowed' if settings.allow_update else 'read-only'}, "
              f"timeout {settings.timeout:g} s, at most {settings.max_rows} rows", flush=True)
        thread.start()
        _wait_for_signal()
    finally:
        if thread.is_alive():
            server.shutdown()
        server.server_close()
        executor.stop_children()
        threading.stack_size(stack)
    return 0


def _wait_for_signal() -> None:
    """Until SIGINT or SIGTERM; then the caller stops the server and any running query."""
    import signal

    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())  # the process's: put back
    try:
        while not stop.wait(1.0):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
