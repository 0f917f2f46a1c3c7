"""SERVICE calls of the in-process engines (rdflib, pyoxigraph) under one deadline and one size
limit per query.

Neither engine takes a timeout or a size limit for its SERVICE requests, and neither takes an
HTTP client from its caller: rdflib calls urllib's process-wide `urlopen`, pyoxigraph its own
client. Changing either would change them for the whole process. So each query with SERVICE
gets a relay of its own, a loopback HTTP server that lives as long as the query: every
`SERVICE <iri>` of the text becomes `SERVICE <http://127.0.0.1:PORT/N>`, and the relay sends
the engine's request on to the IRI through kg/store/http.py. It answers with the whole answer, or
with 502 once the deadline or the size limit is passed, and keeps the first failure so that the
store can say in one line what went wrong.
"""

from __future__ import annotations

import http.server
import threading
import urllib.parse
import urllib.request

from kg.errors import FetchError, InputError
from kg.sparql.params import service_targets
from kg.sparql.tokens import IRI, Token, join, tokenize
from kg.store import http as bounded
from kg.store.http import Deadline, Limits

FORWARDED_HEADERS = ("Accept", "Content-Type", "User-Agent")


class ServiceRelay:
    """`with ServiceRelay(deadline, max_bytes) as relay:` run `relay.rewrite(text)`, and on an
    error look at `relay.failure`."""

    def __init__(self, deadline: Deadline, max_bytes: int | None) -> None:
        self.deadline = deadline
        self.limits = Limits(deadline, max_bytes)
        self.services: list[str] = []
        self.failure: FetchError | None = None
        self._lock = threading.Lock()
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Forward)
        self._server.daemon_threads = True
        self._server.relay = self  # type: ignore[attr-defined]

    def __enter__(self) -> ServiceRelay:
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def rewrite(self, text: str) -> str:
        """Each `SERVICE <iri>` names the relay instead, which sends its calls on to the IRI;
        a SERVICE named otherwise (a prefixed name, a variable) is refused, because the engine
        would call it past the relay. Only the IRI tokens change (kg/sparql/tokens.py)."""
        tokens = tokenize(text)
        for at in service_targets(tokens):
            tokens[at] = self._relayed(tokens[at])
        return join(tokens)

    def target(self, path: str) -> str | None:
        """The IRI a relay path stands for, with the engine's query string."""
        parts = urllib.parse.urlsplit(path)
        number = parts.path.strip("/")
        if not number.isdigit() or int(number) >= len(self.services):
            return None
        iri = self.services[int(number)]
        return f"{iri}{'&' if '?' in iri else '?'}{parts.query}" if parts.query else iri

    def failed(self, failure: FetchError) -> None:
        with self._lock:
            self.failure = self.failure or failure

    def _relayed(self, target: Token) -> Token:
        if target.kind != IRI:
            raise InputError(f"SERVICE {target.text}: name the endpoint by its full IRI, "
                             "SERVICE <http://…>, so that its calls keep --timeout")
        self.services.append(target.text[1:-1])
        port, number = self._server.server_address[1], len(self.services) - 1
        return Token(IRI, f"<http://127.0.0.1:{port}/{number}>")


class _Forward(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self._forward(None)

    def do_POST(self) -> None:
        self._forward(self.rfile.read(int(self.headers.get("Content-Length", 0))))

    def log_message(self, *args: object) -> None:
        pass

    def _forward(self, body: bytes | None) -> None:
        relay: ServiceRelay = self.server.relay  # type: ignore[attr-defined]
        target = relay.target(self.path)
        if target is None:
            self._reply(404, "text/plain", b"no such service")
            return
        headers = {k: self.headers[k] for k in FORWARDED_HEADERS if self.headers[k]}
        request = urllib.request.Request(target, data=body, method=self.command, headers=headers)
        try:
            answer = bounded.read(request, relay.limits, relay.deadline.seconds)
        except (FetchError, bounded.Refused, OSError) as e:
            failure = _failure(e, bounded.where(target))
            relay.failed(failure)
            self._reply(502, "text/plain", str(failure).encode("utf-8"))
            return
        self._reply(200, answer.media, answer.body)

    def _reply(self, status: int, media: str, body: bytes) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", media)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:  # the engine has given up on this call
            pass


def _failure(e: Exception, url: str) -> FetchError:
    if isinstance(e, FetchError):
        return e
    if isinstance(e, bounded.Refused):
        return FetchError(f"{url}: {e}")
    return FetchError(f"{url}: cannot reach the endpoint ({getattr(e, 'reason', e)})")
