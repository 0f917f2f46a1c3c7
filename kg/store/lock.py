"""One lock per Oxigraph store, so that the processes reading its folder and the one writing it
take turns.

Oxigraph (RocksDB) lets one process write a store, and says that opening it read-only while
another process writes is undefined behaviour: a `kg serve` reading during a `kg load` answered
500 and saw half-loaded counts. So every kg process that opens an Oxigraph store holds an
`flock` on `PATH.kg-lock`, beside the store's folder: shared to read (any number of readers at
once), exclusive to write (`kg load`, `kg link`, `kg serve --allow-update`). The lock file is
beside the folder, not in it, because a load swaps the folder for a new one (kg/store/swap.py).

The kernel drops a process's flocks when it dies, however it dies, so a killed `kg` never leaves
a store locked. A process that cannot have the lock at once tries again every POLL seconds for
`wait` seconds (`--wait`), then stops with one line that names the processes holding it.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path
from typing import NamedTuple

from kg.errors import InputError, StoreBusy

LOCK_SUFFIX = ".kg-lock"
POLL = 0.05  # seconds between tries while waiting for the lock
MAX_COMMAND = 120  # characters of a holder's command line shown in the error


class StoreLock:
    """A held lock; `release()` (or the end of the process) frees it."""

    def __init__(self, path: Path, fd: int, exclusive: bool) -> None:
        self.path = path
        self.exclusive = exclusive
        self._fd: int | None = fd

    def fileno(self) -> int:
        assert self._fd is not None, "the lock was released"
        return self._fd

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)  # closing the last descriptor of the open file drops the flock

    def __del__(self) -> None:
        self.release()


def lock_file(store: Path) -> Path:
    """Beside the real folder: a store reached through a symbolic link has the same lock."""
    real = store.resolve()
    return real.with_name(real.name + LOCK_SUFFIX)


def lock_store(store: Path, *, exclusive: bool, wait: float, purpose: str) -> StoreLock:
    """Take the store's lock, shared to read or exclusive to write, trying for `wait` seconds.
    `purpose` completes the refusal: "cannot {purpose}: …" ("read it", "load into it")."""
    path = lock_file(store)
    fd = _open(path, store)
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
            return StoreLock(path, fd, exclusive)
        except BlockingIOError:
            if time.monotonic() >= deadline:
                message = _refusal(store, path, purpose, wait)
                os.close(fd)
                raise StoreBusy(message) from None
        time.sleep(POLL)


def _open(path: Path, store: Path) -> int:
    """The lock file, made if missing; read-only is enough for flock where it cannot be
    written."""
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError:  # no write access, or a read-only file system
        pass
    try:
        return os.open(path, os.O_RDONLY)
    except OSError as e:
        raise InputError(f"oxigraph:{store}: cannot open the store's lock file {path}: "
                         f"{e.strerror}") from None


class Holder(NamedTuple):  # not a dataclass: see kg/sparql/answer.py
    pid: int
    writing: bool
    command: str


def _refusal(store: Path, path: Path, purpose: str, wait: float) -> str:
    holders = holders_of(path)
    who = ", ".join(_describe(h) for h in holders) or "another process"
    when = f"after waiting {wait:g} s" if wait > 0 else "now"
    more = "or wait longer" if wait > 0 else "or pass --wait SECONDS"
    return (f"oxigraph:{store}: cannot {purpose} {when}: in use by {who}; "
            f"let it finish or stop it, {more}")


def holders_of(path: Path) -> list[Holder]:
    """The processes holding a flock on this file, from /proc/locks (Linux); [] elsewhere."""
    try:
        st = os.stat(path)
        table = Path("/proc/locks").read_text()
    except OSError:
        return []
    where = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    found = []
    for line in table.splitlines():
        fields = line.split()
        # "1: FLOCK  ADVISORY  WRITE 4242 fe:00:1234 0 EOF"; waiters have "->" after the id
        if len(fields) >= 6 and fields[1] == "FLOCK" and fields[5] == where:
            pid = int(fields[4])
            found.append(Holder(pid, fields[3] == "WRITE", _command(pid)))
    return sorted(set(found), key=lambda h: h.pid)


def _command(pid: int) -> str:
    """The holder's command line from its `kg` on (`kg serve --store …`), or whole."""
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().decode("utf-8", "replace")
    except OSError:
        return ""
    words = [w for w in args.split("\0") if w]
    starts = [i for i, w in enumerate(words) if Path(w).name == "kg" or w == "kg.cli"]
    if starts:
        words = ["kg", *words[starts[0] + 1:]]
    text = " ".join(words)
    return text if len(text) <= MAX_COMMAND else text[:MAX_COMMAND - 1] + "…"


def _describe(holder: Holder) -> str:
    what = "writing" if holder.writing else "reading"
    command = "this process" if holder.pid == os.getpid() else holder.command
    return f"pid {holder.pid} ({command + ', ' if command else ''}{what})"
