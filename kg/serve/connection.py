"""Connection limits of `kg serve`: how long a client may take to send a request, how many
connections hold a thread, and which request headers leave the request's end in doubt.

The standard library's server waits for a client's bytes forever and starts a thread for every
connection, so 3,000 idle or half-sent requests held 3,000 threads. Here:

- each request (request line, headers and body) must arrive within `client_timeout` seconds
  of the last answer on its connection (or of the connection's start). The deadline is for
  the whole request, not for each read, so a client that trickles one byte a second cannot
  hold its connection longer;
- at most `limit` connections have a thread. When a new one arrives and all are taken, the
  connection that has waited longest for its request is closed to make room (an idle
  keep-alive connection, or a request still being sent); when every connection is busy with a
  request, the new one waits in the listen backlog until one is answered.

Design and numbers: docs/serve.md ("Connections").
"""

from __future__ import annotations

import contextlib
import io
import math
import re
import select
import socket
import threading
import time
from email.message import Message

# RFC 9110 token characters: a header name with anything else (a space before the colon, a
# control character) is read differently by different parsers.
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_DIGITS = re.compile(r"[0-9]+")


class DeadlineReader(io.RawIOBase):
    """A connection's incoming bytes. A read waits at most until the current request's
    deadline, then raises TimeoutError, which BaseHTTPRequestHandler answers by closing."""

    def __init__(self, connection: socket.socket) -> None:
        super().__init__()
        self._connection = connection
        self._poller = select.poll()  # not select(): descriptors above 1023 are fine
        self._poller.register(connection, select.POLLIN)
        self.deadline = math.inf
        self.received = 0  # bytes of the current request read so far
        self.timed_out = False
        self.ended = False  # the client closed its side (or was closed to make room)

    def start_request(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds
        self.received = 0
        self.timed_out = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        left = self.deadline - time.monotonic()
        if left <= 0 or not self._poller.poll(math.ceil(left * 1000)):
            self.timed_out = True
            raise TimeoutError("the request did not arrive in time")
        count = self._connection.recv_into(buffer)
        self.received += count
        self.ended = self.ended or count == 0
        return count


class ConnectionSlots:
    """At most `limit` connections with a thread; see the module's docstring."""

    def __init__(self, limit: int) -> None:
        self._free = threading.Semaphore(limit)
        self._lock = threading.Lock()
        self._waiting: dict[socket.socket, None] = {}  # waiting for a request, oldest first
        self._stopping = threading.Event()

    def take(self) -> bool:
        """A slot for a new connection (False once the server is stopping). Called by the
        accept loop, so while it waits, new connections wait in the listen backlog."""
        while not self._stopping.is_set():
            if self._free.acquire(blocking=False):
                return True
            self._close_longest_waiting()
            # A slot frees when a closed connection's thread ends, or an answered one's;
            # wake twice a second to notice the server stopping.
            if self._free.acquire(timeout=0.5):
                return True
        return False

    def give_back(self, connection: socket.socket) -> None:
        self.busy(connection)
        self._free.release()

    def waiting(self, connection: socket.socket) -> None:
        """The connection is waiting for (the rest of) a request: it may be closed for room."""
        with self._lock:
            self._waiting.pop(connection, None)
            self._waiting[connection] = None

    def busy(self, connection: socket.socket) -> None:
        """Its request has arrived: it keeps its slot until answered."""
        with self._lock:
            self._waiting.pop(connection, None)

    def stop(self) -> None:
        self._stopping.set()

    def _close_longest_waiting(self) -> None:
        with self._lock:
            if not self._waiting:
                return
            connection = next(iter(self._waiting))
            del self._waiting[connection]
        # Its thread's poll wakes, reads end of file and ends the connection. OSError: its own
        # thread closed it meanwhile.
        with contextlib.suppress(OSError):
            connection.shutdown(socket.SHUT_RDWR)


def framing_problem(headers: Message) -> tuple[int, str] | None:
    """(status, reason) if the headers leave in doubt where the request ends, or are malformed;
    else None. A proxy in front of the server might read such a request's body differently
    and pass the rest on as a second request (request smuggling), so none is guessed at."""
    if headers.defects:  # e.g. a line without a colon: the library ignored the rest
        return 400, "a request header line is malformed"
    for name, value in headers.items():
        if not _TOKEN.fullmatch(name):
            return 400, f"request header name {name!r} is malformed"
        if "\n" in value or "\r" in value:
            return 400, f"request header {name} is folded over several lines"
    lengths = headers.get_all("Content-Length") or []
    if len(headers.get_all("Host") or []) > 1:
        return 400, "more than one Host header"
    if len(lengths) > 1:
        return 400, "more than one Content-Length header"
    if headers.get("Transfer-Encoding") is not None:
        if lengths:
            return 400, "both Transfer-Encoding and Content-Length: the request's end is ambiguous"
        return 411, "Transfer-Encoding is not supported: send the body with a Content-Length"
    if lengths and not _DIGITS.fullmatch(lengths[0].strip()):
        return 400, f"Content-Length {lengths[0]!r}: expected a number of bytes"
    return None
