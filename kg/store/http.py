"""HTTP requests bounded in time and size, each call with its own opener: no process-wide state.

A socket timeout alone is no deadline: it restarts with every byte, so a server that sends one
byte a second is never cut, and `read()` takes an answer of any size whole. Here a request made
under `Limits` with a `Deadline` has every socket it opens shut down when the deadline passes
(connecting, headers, body: whatever the call is waiting for), and its answer is read in chunks,
counted, and refused as soon as it is over `max_bytes`, so memory stays near the limit.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from urllib.error import HTTPError

from kg.errors import AnswerTooLarge, FetchError, NoAnswerInTime
from kg.store.limits import (  # noqa: F401 (their home was here; importers keep them)
    DEFAULT_MAX_ANSWER_MB,
    MB,
    Deadline,
    Limits,
    max_answer_bytes,
)

CHUNK = 64 * 1024  # bytes per read: at most one recv each, so a drip is seen byte by byte
ERROR_DETAIL = 4096  # bytes of an HTTP error's body kept for the message


class Refused(Exception):
    """The server answered with an HTTP error status; `detail` is the start of its body."""

    def __init__(self, code: int, reason: str, detail: bytes) -> None:
        super().__init__(f"HTTP {code} {reason}")
        self.code, self.reason, self.detail = code, reason, detail


def where(url: str) -> str:
    """The URL without its query string (a GET carries the whole query there)."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


@dataclass(frozen=True, slots=True)
class Answer:
    body: bytes
    media: str  # the Content-Type header, as sent


def read(request: urllib.request.Request, limits: Limits, timeout: float) -> Answer:
    """The whole answer to `request`, within `limits`. `timeout` bounds each socket
    wait when there is no deadline. Raises NoAnswerInTime, AnswerTooLarge, Refused (an HTTP
    error status), FetchError (a refused redirect, a broken answer) or OSError (unreachable)."""
    url = where(request.full_url)
    deadline = limits.deadline
    if deadline is not None and deadline.remaining() <= 0:
        raise _late(url, deadline)
    cutter = _Cutter()
    opener = _opener(cutter, url if limits.same_origin else None)
    wait = timeout if deadline is None else deadline.remaining()
    try:
        with _cut_at(deadline, cutter):
            answer = _exchange(opener, request, wait, limits.max_bytes, url)
    except (OSError, http.client.HTTPException) as e:
        if deadline is not None and (cutter.fired or _timed_out(e)):
            raise _late(url, deadline) from None
        if isinstance(e, http.client.HTTPException):  # not an OSError: the answer broke off
            raise FetchError(f"{url}: the answer broke off ({type(e).__name__})") from None
        raise
    if cutter.fired:  # a body without a length ends where the cut ended it
        raise _late(url, deadline)  # type: ignore[arg-type]
    return answer


def _exchange(opener: urllib.request.OpenerDirector, request: urllib.request.Request,
              wait: float, max_bytes: int | None, url: str) -> Answer:
    try:
        with opener.open(request, timeout=wait) as response:
            return Answer(_body(response, max_bytes, url), response.headers.get("Content-Type", ""))
    except HTTPError as e:
        detail = e.read(ERROR_DETAIL) if e.fp is not None else b""
        raise Refused(e.code, str(e.reason), detail) from None


def _body(response: http.client.HTTPResponse, max_bytes: int | None, url: str) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if max_bytes is not None and declared.isdigit() and int(declared) > max_bytes:
        raise _too_large(url, max_bytes, int(declared))
    body = bytearray()
    while chunk := response.read1(CHUNK):
        body += chunk
        if max_bytes is not None and len(body) > max_bytes:
            raise _too_large(url, max_bytes, None)
    return bytes(body)


def _late(url: str, deadline: Deadline) -> NoAnswerInTime:
    return NoAnswerInTime(f"{url}: no complete answer within {deadline.seconds:g} s")


def _too_large(url: str, max_bytes: int, declared: int | None) -> AnswerTooLarge:
    size = f"{declared / MB:.1f} MB, " if declared is not None else ""
    return AnswerTooLarge(f"{url}: the answer is {size}over the {max_bytes / MB:g} MB limit "
                          "(--max-answer-mb raises it)")


def _timed_out(e: BaseException) -> bool:
    return isinstance(e, TimeoutError) or isinstance(getattr(e, "reason", None), TimeoutError)


class _Cutter:
    """The sockets of one call; `fire` shuts them all down, which ends any wait on them."""

    def __init__(self) -> None:
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self.fired = False

    def track(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.fired:
                _shut(sock)

    def fire(self) -> None:
        with self._lock:
            self.fired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    with suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)


@contextmanager
def _cut_at(deadline: Deadline | None, cutter: _Cutter) -> Iterator[None]:
    if deadline is None:
        yield
        return
    timer = threading.Timer(deadline.remaining(), cutter.fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


class _TrackedConnection(http.client.HTTPConnection):
    def __init__(self, host: str, *, cutter: _Cutter, **kwargs) -> None:
        super().__init__(host, **kwargs)
        self._cutter = cutter

    def connect(self) -> None:
        super().connect()
        self._cutter.track(self.sock)


class _TrackedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, cutter: _Cutter) -> None:
        super().__init__()
        self.cutter = cutter

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_TrackedConnection, req, cutter=self.cutter)


class _TrackedTLS(ssl.SSLContext):
    """Tracks the plain socket before the handshake, so a slow handshake is cut too."""

    cutter: _Cutter

    def wrap_socket(self, sock, *args, **kwargs):  # type: ignore[override]
        self.cutter.track(sock)
        return super().wrap_socket(sock, *args, **kwargs)


def _tls_context(cutter: _Cutter) -> ssl.SSLContext:
    context = _TrackedTLS(ssl.PROTOCOL_TLS_CLIENT)  # verifies certificates and host names
    context.load_default_certs()
    context.cutter = cutter
    return context


class _SameOrigin(urllib.request.HTTPRedirectHandler):
    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.origin = urllib.parse.urlsplit(url)[:2]

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urllib.parse.urlsplit(newurl)[:2] != self.origin:
            raise FetchError(f"{self.url}: redirected to {newurl}; kg link reaches only the "
                             "endpoint you name")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener(cutter: _Cutter, same_origin: str | None) -> urllib.request.OpenerDirector:
    handlers: list[urllib.request.BaseHandler] = [
        _TrackedHTTPHandler(cutter), urllib.request.HTTPSHandler(context=_tls_context(cutter))]
    if same_origin is not None:
        handlers.append(_SameOrigin(same_origin))
    return urllib.request.build_opener(*handlers)
