"""Write an Oxigraph store all or nothing: on a copy, then put the copy in the store's place.

Each `clear_graph` is its own transaction and the bulk loader is not transactional at all, so a
load written into the store itself could be killed with some graphs cleared and others not
loaded (issue 10: a 207,031-quad store was left with 0). Instead a writer

1. makes a checkpoint of the store in the sibling folder `PATH.kg-staging` (RocksDB hard-links the
   store's immutable files: milliseconds, and no extra disk for what is not rewritten), or an
   empty store there if every graph of the store is to be replaced;
2. writes there (clears the graphs it replaces and loads them);
3. exchanges the two folders in one system call (Linux `renameat2(RENAME_EXCHANGE)`), so that
   `PATH` is the old store until that instant and the new one after it;
4. deletes the old store, now in `PATH.kg-staging`.

Killed before 3, `PATH` is the old store untouched; killed after, it is the new one. What is left
in `PATH.kg-staging` is removed by the next writer. Where the folders cannot be exchanged in one
call (not Linux, or a file system without it), 3 is two renames, `PATH` to `PATH.kg-old` and the
copy to `PATH`; killed between them, `PATH` is missing, and `recover` (run by every opener,
under the store's lock) renames `PATH.kg-old` back: the old store.

Callers hold the store's exclusive lock (kg/store/lock.py), so no reader has the folder open
while it is swapped.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Collection
from pathlib import Path
from typing import TypeVar

from kg.errors import InputError, StoreWriteError

STAGING, OLD = ".kg-staging", ".kg-old"  # distinct names: a user's own "store.old" is never touched
_AT_FDCWD, _RENAME_EXCHANGE = -100, 2  # <fcntl.h>, <linux/fs.h>
_NO_EXCHANGE = {errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP}  # kernel or file system lacks it

T = TypeVar("T")


def sibling(store: Path, suffix: str) -> Path:
    """Beside the real folder: through a symbolic link, the folder it names is swapped."""
    real = store.resolve()
    return real.with_name(real.name + suffix)


def exists(store: Path) -> bool:
    """A store is here, or one that `recover` will put back."""
    return store.is_dir() or sibling(store, OLD).is_dir()


def recover(store: Path) -> None:
    """Undo a swap cut between its two renames: the old store goes back in place. Safe to run
    by several readers at once (one rename wins, the others find `PATH` there)."""
    store, old = store.resolve(), sibling(store, OLD)
    if not store.exists() and old.is_dir():
        try:
            os.rename(old, store)
        except OSError as e:
            if not store.is_dir():
                raise InputError(f"oxigraph:{store}: cannot put the store back from {old}: "
                                 f"{e.strerror or e}") from None


def rewrite(store: Path, fill: Callable[..., T], replaces: Collection[str]) -> T:
    """Run `fill(pyoxigraph.Store)` on a copy of the store and put the copy in the store's
    place: all or nothing. `replaces`: the IRIs of the graphs `fill` clears and writes; if the
    store holds nothing else, the copy starts empty instead. The caller holds the exclusive
    lock."""
    store = store.resolve()
    clear_leftovers(store)
    staging = sibling(store, STAGING)
    _copy(store, staging, set(replaces))
    copy = open_writable(staging)
    try:
        result = fill(copy)
        copy.flush()
    finally:
        del copy  # closed: RocksDB's files and its LOCK are released before the swap
    put_in_place(staging, store)
    return result


def clear_leftovers(store: Path) -> None:
    """Puts back a store whose swap was cut between its two renames, and removes the copies a
    killed writer left beside it. The caller holds the exclusive lock."""
    recover(store)
    for leftover in (sibling(store, STAGING), sibling(store, OLD)):
        _remove(leftover)


def same_file_system(folder: Path, store: Path) -> bool:
    """Whether a store written in `folder` can be renamed into the store's place (the real
    folder's, through a symbolic link): only within one file system."""
    try:
        return os.stat(folder).st_dev == os.stat(store.resolve().parent).st_dev
    except OSError:
        return False


def open_writable(path: Path):
    import pyoxigraph as ox

    try:
        return ox.Store(str(path))
    except OSError as e:
        raise StoreWriteError(f"oxigraph:{path}: cannot open for writing (is a server or "
                              f"another program using it?): {str(e).splitlines()[0]}") from None


def _copy(store: Path, staging: Path, replaced: set[str]) -> None:
    """A checkpoint of the store, or nothing (the copy starts empty) where every graph of the
    store is replaced: clearing is most of a reload's time (3.2 s of 5.5 s for 5× the article).
    The store is opened for writing, not read-only: that replays a write-ahead log a killed
    writer may have left, and fails if a program outside kg (`oxigraph serve`) is writing it."""
    source = open_writable(store)  # made, empty, where there is none
    try:
        if not _only(source, replaced):
            source.backup(str(staging))
    finally:
        del source


def _only(source, graphs: set[str]) -> bool:
    """Whether the store holds nothing but these named graphs."""
    import pyoxigraph as ox

    default = source.quads_for_pattern(None, None, None, ox.DefaultGraph())
    if next(iter(default), None) is not None:
        return False
    return all(str(g.value) in graphs for g in source.named_graphs())


def put_in_place(staging: Path, store: Path) -> None:
    """The closed store `staging` takes the place of `store` (where there is none, one rename
    puts it there) and the old one is removed. The caller holds the exclusive lock."""
    store = store.resolve()
    if not store.exists():
        _fsync_dir(staging)
        os.rename(staging, store)
        _fsync_dir(store.parent)
        return
    _fsync_dir(staging)
    try:
        _exchange(staging, store)
        old = staging  # now holds the old store
    except _CannotExchange:
        old = sibling(store, OLD)
        os.rename(store, old)
        os.rename(staging, store)  # killed just before this, `recover` puts the old store back
    _fsync_dir(store.parent)
    _remove(old)


class _CannotExchange(Exception):
    pass


def _exchange(a: Path, b: Path) -> None:
    """Swap two paths in one step (Linux 3.15+, glibc 2.28+)."""
    import ctypes  # for a writer only: every reader imports this module, for `recover`
    libc = ctypes.CDLL(None, use_errno=True)
    call = getattr(libc, "renameat2", None)
    if call is None:
        raise _CannotExchange
    call.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if call(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        if code in _NO_EXCHANGE:
            raise _CannotExchange
        raise OSError(code, os.strerror(code), str(a), None, str(b))


def _fsync_dir(path: Path) -> None:
    """The rename itself reaches the disk (RocksDB syncs its own files)."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        import shutil  # as ctypes above

        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
