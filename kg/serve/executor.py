"""Each request runs in its own child process, so a query past its time limit can be stopped.

Python threads cannot be killed, and rdflib's engine is pure Python: a runaway query in a thread
would burn a core until it finished. So the server process forks a child per request
(`os.fork` is ~10 ms: the loaded graph is shared copy-on-write, `gc.freeze` keeps the collector
from touching its pages). The child answers (kg/serve/answer.py), writes the pickled answer into
a pipe and exits; the server thread reads the pipe until the deadline and, past it, kills the
child with SIGKILL. The CPU is free at once, and other requests are served meanwhile.

Fork safety: the server's own threads only do socket I/O; nothing in the child takes a lock a
server thread may hold (the child writes only to its pipe, its stdout/stderr are fresh
/dev/null files). Forks are serialised, and they never overlap an update being applied.

Oxigraph (RocksDB) is never opened in the server process: each child opens the store read-only
itself (~20 ms), so no RocksDB thread or lock is ever copied across a fork. Updates to it open
the store read-write in their child, while no query child holds it open (Oxigraph forbids
read-only handles while another process writes). The server process holds the store's lock
(kg/store/lock.py) from start to exit, shared, or exclusive with --allow-update, so no other kg
process writes the store while it serves it (nor reads it while it may write); the children
inherit it.
"""

from __future__ import annotations

import gc
import os
import pickle
import select
import signal
import sys
import threading
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from kg.errors import InputError, StoreError, first_line
from kg.serve.answer import Answer, Request, answer, text_answer
from kg.store import swap as store_swap
from kg.store.base import GraphStore, StoreSpec
from kg.store.lock import StoreLock, lock_store
from kg.store.memory import MemoryStore
from kg.store.registry import open_store

BACKSTOP = 5.0  # a child outliving its deadline by this much kills itself (SIGALRM)
# rdflib's parser and engine recurse per nested or chained part: at Python's default 1,000 a
# block of about 80 triple patterns or 38 nested groups fails. The child raises it (its stack
# is its handler thread's, sized in serve.py); kg/sparql/shape.py keeps texts well inside it.
# Process-wide settings are changed only in the forked child, which runs one request with one
# thread and exits: the server process keeps Python's and rdflib's defaults.
CHILD_RECURSION_LIMIT = 10_000
REPORTED = 1  # the child's exit status when it sends back why it failed (a ChildFailure)


class Executor:
    def __init__(self, spec: StoreSpec, timeout: float, max_children: int, *,
                 writes: bool = False, wait: float = 0.0) -> None:
        self.spec = spec
        self.timeout = timeout
        self.writes = writes  # the store may be written (kg serve --allow-update)
        self.wait = wait  # seconds to wait for the store's lock
        self.store: GraphStore | None = None  # held by the server process; None for oxigraph
        self._fork_lock = threading.Lock()  # forks one at a time, never mid-update
        self._update_lock = threading.Lock()  # updates one at a time, in arrival order
        self._rw = _ReadWriteLock()  # oxigraph: query children (shared) vs the writer
        self._slots = threading.BoundedSemaphore(max_children)
        self._children: set[int] = set()
        self._lock: StoreLock | None = None

    def load(self) -> None:
        """Read the graph once, in the server process (memory), or check that the store opens
        (oxigraph, in a child; sparql, with one request that also finds its default graph)."""
        if self.spec.kind == "oxigraph":
            self._hold_oxigraph()
            probe = self.run(Request("query", "ASK { ?s ?p ?o }"))
            if probe.status != 200:
                raise StoreError(probe.body.decode().strip())
            return
        self.store = open_store(self.spec, self.timeout)
        if isinstance(self.store, MemoryStore):
            self.store.dataset()
            # One query in the server process imports and builds rdflib's SPARQL machinery
            # once, so each child does not build it again.
            answer(self.store, Request("query", "ASK { ?s ?p ?o }"))
        else:
            self.store.default_graphs()
        gc.freeze()  # keep the collector off the shared pages (copy-on-write stays cheap)

    def _hold_oxigraph(self) -> None:
        path = Path(self.spec.location)
        if not store_swap.exists(path):
            raise StoreError(f"{self.spec}: no Oxigraph store here (fill one with "
                             f"`kg load --store {self.spec}`)")
        self._lock = lock_store(path, exclusive=self.writes, wait=self.wait,
                                purpose="serve it with updates" if self.writes else "serve it")
        store_swap.recover(path)

    def run(self, req: Request) -> Answer:
        if not self._slots.acquire(timeout=self.timeout):
            return text_answer(503, f"the server is busy: no query slot within {self.timeout:g} s")
        try:
            if req.kind == "update":
                with self._update_lock:
                    return self._run_update(req)
            with self._rw.shared() if self.spec.kind == "oxigraph" else _nothing():
                return self._in_child(req)
        finally:
            self._slots.release()

    def _run_update(self, req: Request) -> Answer:
        if self.spec.kind == "oxigraph":
            with self._rw.exclusive():
                return self._in_child(req)
        result = self._in_child(req)
        if result.status == 200 and (result.removed or result.added):
            ds = self.store.dataset()  # type: ignore[union-attr]
            with self._fork_lock:  # no child is forked from a half-applied update
                for quad in result.removed:
                    ds.remove(quad)
                for quad in result.added:
                    ds.add(quad)
        return result

    def _in_child(self, req: Request) -> Answer:
        with self._fork_lock:  # the pipe is made and its write end closed under the lock,
            read, write = os.pipe()  # so no other child inherits this one's write end
            pid = os.fork()
            if pid == 0:  # the child: never returns
                self._child(req, write)
            self._children.add(pid)
            os.close(write)
        try:
            data = _read_until(read, time.monotonic() + self.timeout)
        finally:
            os.close(read)
        if data is None:
            _kill(pid)
            self._children.discard(pid)
            return text_answer(503, f"the query timed out after {self.timeout:g} s and was "
                                    "stopped")
        _, status = os.waitpid(pid, 0)
        self._children.discard(pid)
        return _received(data, status)

    def _child(self, req: Request, fd: int) -> None:
        """Answer `req` and send the answer, or why there is none, to the server. Never returns."""
        code = 0
        try:
            self._settle_child(fd)
            try:
                result: Answer | ChildFailure = answer(
                    self.store or open_store(self.spec, lock=False), req)
            except InputError as e:  # the store cannot be opened (moved, locked by a writer)
                result = text_answer(503, str(e))
        except BaseException as e:  # a bug, or the child's own setup: the server logs it
            result, code = ChildFailure.of(e), REPORTED
        try:
            _write_all(fd, _pickled(result))
        except BaseException:  # the server stopped reading (it gave up on this child)
            code = REPORTED + 1
        finally:
            os._exit(code)

    def _settle_child(self, fd: int) -> None:
        """The forked child's process-wide settings: its own signals, deadline, recursion limit,
        descriptors and output; rdflib fetches no FROM graph (belt and braces beside the check
        in answer.py)."""
        import rdflib.plugins.sparql

        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.alarm(int(self.timeout + BACKSTOP))  # dies even if the server is gone
        sys.setrecursionlimit(CHILD_RECURSION_LIMIT)
        rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False
        # Only the pipe and the store's lock stay open: the listening socket, the clients'
        # connections and other children's pipes are the server's business. The lock
        # stays held while a child reads, even if the server dies before it.
        _close_all_but({fd} | ({self._lock.fileno()} if self._lock else set()))
        sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 (the child exits)
        gc.disable()  # short-lived: touching every object would copy the shared pages

    def stop_children(self) -> None:
        for pid in list(self._children):
            _kill(pid)


@dataclass(frozen=True, slots=True)
class ChildFailure:
    """Why a query process failed, sent to the server in place of an answer."""

    summary: str  # one line, for the client
    traceback: str  # for the server's stderr

    @classmethod
    def of(cls, e: BaseException) -> ChildFailure:
        return cls(f"{type(e).__name__}: {first_line(e)}",
                   "".join(traceback.format_exception(e)))


def _received(data: bytes, status: int) -> Answer:
    """The child's answer; or 500 with why it failed (its traceback in `log`, which the server
    prints), or with its wait status when it could not say (killed, or its pipe failed)."""
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) not in (0, REPORTED) or not data:
        how = (f"killed by signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status)
               else f"exit status {os.waitstatus_to_exitcode(status)}")
        return text_answer(500, f"the query process failed ({how})")
    result: Answer | ChildFailure = pickle.loads(data)
    if isinstance(result, ChildFailure):
        return replace(text_answer(500, f"the query failed: {result.summary}"),
                       log=result.traceback)
    return result


def _pickled(result: Answer | ChildFailure) -> bytes:
    try:
        return pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError) as e:  # an answer that cannot go
        return pickle.dumps(ChildFailure.of(e), protocol=pickle.HIGHEST_PROTOCOL)


def _write_all(fd: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:
        view = view[os.write(fd, view):]


def _close_all_but(keep: set[int]) -> None:
    start = 3  # standard input, output and error are replaced, not closed
    for fd in sorted(keep):
        os.closerange(start, fd)
        start = fd + 1
    os.closerange(start, os.sysconf("SC_OPEN_MAX"))


def _read_until(fd: int, deadline: float) -> bytes | None:
    """All the child wrote, or None if it is still writing at the deadline."""
    chunks: list[bytes] = []
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLHUP)
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        if not poller.poll(left * 1000):
            continue
        data = os.read(fd, 1 << 16)
        if not data:
            return b"".join(chunks)
        chunks.append(data)


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


@contextmanager
def _nothing():
    yield


class _ReadWriteLock:
    """Many readers or one writer; a waiting writer holds back new readers."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False
        self._waiting = 0

    @contextmanager
    def shared(self):
        with self._cond:
            self._cond.wait_for(lambda: not self._writing and not self._waiting)
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def exclusive(self):
        with self._cond:
            self._waiting += 1
            self._cond.wait_for(lambda: not self._writing and self._readers == 0)
            self._waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()
