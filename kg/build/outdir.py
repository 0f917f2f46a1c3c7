"""The output folder of `kg build`: checked before any work, locked while a build writes into it,
and cleared of the staging folders that killed builds left behind."""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kg.errors import InputError

LOCK_NAME = ".kg-build.lock"  # stays in the folder: deleting a lock file lets two builds in
# The outputs a build renames into the folder, besides its store and (with --trig) graph.trig
OUTPUTS = ("mentions.jsonl", "report.json")
STAGING_PREFIX = ".build-"  # the outputs are written here, then renamed into the folder
_PID_BYTES = 32  # the lock file holds a process id and a newline: Linux ids have at most 7 digits


def check_out_dir(out: Path) -> None:
    """Fails at once, creating nothing, when `out` cannot be the output folder: a file (or a
    broken link) is in its place, or the nearest folder that exists on its path is not
    writable. Run before the inputs are read, so a long build never ends on a bad --out."""
    if out.is_symlink() and not out.exists():
        raise InputError(f"--out {out}: a broken symbolic link is in the way")
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out}: a file is in the way; --out names a folder")
    existing = next(p for p in (out.absolute(), *out.absolute().parents) if p.exists())
    if not existing.is_dir():
        raise InputError(f"--out {out}: cannot be created, {existing} is a file")
    if not os.access(existing, os.W_OK | os.X_OK):
        what = "the folder" if existing == out.absolute() else f"{existing}"
        raise InputError(f"--out {out}: {what} is not writable")


@contextmanager
def locked_out_dir(out: Path) -> Iterator[None]:
    """Creates `out` and holds an exclusive lock on its lock file until the block ends. The
    kernel drops the lock when the process dies, however it dies, so a killed build never
    blocks the next one; a second build into the folder is refused at once. Holding the lock,
    the staging folders in `out` belong to no live build and are removed."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd = os.open(out / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as e:
        raise InputError(f"--out {out}: cannot write there ({e.strerror})") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError(f"--out {out}: another kg build{_holder(fd)} is writing into this "
                             "folder; wait for it or choose another --out") from None
        _record_holder(fd)
        remove_stale_staging(out)
        yield
    finally:
        os.close(fd)  # releases the lock


def _record_holder(fd: int) -> None:
    """Writes this process's id into the lock file, for the message a second build prints."""
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)


def _holder(fd: int) -> str:
    pid = os.pread(fd, _PID_BYTES, 0).decode("ascii", "replace").strip()
    return f" (process {pid})" if pid.isdigit() else ""


def remove_stale_staging(out: Path) -> list[Path]:
    """Removes the staging folders in `out`; call it only while holding the folder's lock."""
    stale = [p for p in out.glob(f"{STAGING_PREFIX}*") if p.is_dir() and not p.is_symlink()]
    for p in stale:
        shutil.rmtree(p, ignore_errors=True)
    return stale
