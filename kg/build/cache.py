"""A cache, on disk, of the files every build makes of the shared graphs (kg/build/shared.py):
their N-Quads, their TriG and the reference lines. Making them costs about 4.8 CPU seconds
(rdflib's TriG writer alone 2.7), the same for every build of the same code and data, which
was most of a small build and of every test's build.

An entry is a folder named by `shared_key`: a hash of everything the files are made from (the
code of extract/ and kg/, the ontology and reference tables, the IRI base, the Python and
rdflib versions). It is written whole into a temporary folder beside it and renamed into
place, with `checksums.json` (each file's size and SHA-256) written last; an entry whose files
do not match it (truncated, edited, half-deleted) is removed and made again, never used. Two
builds that miss at once both make the entry; the first rename wins and the other build uses
the winner's.

Where: `$KG_CACHE_DIR`, else `$XDG_CACHE_HOME/policy-kg`, else `~/.cache/policy-kg`. Off with
`KG_NO_CACHE=1` or `kg build --no-cache`. The pickled reference lines are loaded from it, so
the folder is trusted as the code is (it is the user's own). Only the builds with the shipped
reference tables use it: a gazetteer read from another folder (the Python API's
`Extractor(reference_dir=...)`) makes its shared graphs each time.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import secrets
import shutil
import sys
import time
from pathlib import Path

import rdflib

import extract
import kg
import kgdata
from kg import iris
from kg.build.manifest import tree_hash

CACHE_ENV, XDG_ENV, NO_CACHE_ENV = "KG_CACHE_DIR", "XDG_CACHE_HOME", "KG_NO_CACHE"
FORMAT = 1  # bump when an entry's files change shape
CHECKSUMS = "checksums.json"
TEMP_PREFIX, TRASH_PREFIX = ".tmp-", ".trash-"
# Entries kept: the most recently used ones; older ones go when a new one is written, unless
# used within the last hour (another build may be reading it). Each is about 10 MB.
KEPT_ENTRIES = 8
IN_USE_SECONDS = 3600.0
HASH_CHUNK = 1 << 20


def cache_root(environ: dict[str, str] | None = None) -> Path:
    """The folder of the entries, from the environment (see the module's doc)."""
    env = os.environ if environ is None else environ
    if env.get(CACHE_ENV):
        return Path(env[CACHE_ENV])
    if env.get(XDG_ENV):
        return Path(env[XDG_ENV]) / "policy-kg"
    return Path.home() / ".cache" / "policy-kg"


def cache_enabled(environ: dict[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    return env.get(NO_CACHE_ENV, "").strip().lower() in ("", "0", "no", "false")


def code_and_data_roots() -> tuple[Path, ...]:
    """What the shared files are made from: the code (the extract/ and kg/ packages) and the
    ontology folder (its shapes and reference tables)."""
    return Path(extract.__file__).parent, Path(kg.__file__).parent, kgdata.ontology_dir()


def shared_key(roots: tuple[Path, ...] | None = None) -> str:
    """The name of the entry the files of `roots` (default `code_and_data_roots`) make: any
    change to a file of them, to the IRI base or to the versions that write the files (Python's
    pickle, rdflib's serializers) is another entry."""
    versions = f"{FORMAT}\0{sys.version}\0{rdflib.__version__}\0{iris.id_base()}\0"
    digest = hashlib.sha256(versions.encode())
    digest.update(tree_hash(*(roots or code_and_data_roots())).encode())
    return digest.hexdigest()[:32]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def seal(folder: Path) -> None:
    """Writes `checksums.json` of the files of `folder`: last, so that it vouches for them."""
    sums = {p.name: {"size": p.stat().st_size, "sha256": file_sha256(p)}
            for p in sorted(folder.iterdir()) if p.name != CHECKSUMS}
    (folder / CHECKSUMS).write_text(json.dumps(sums, indent=1) + "\n", encoding="utf-8")


def intact(folder: Path, names: tuple[str, ...]) -> bool:
    """Whether `folder` has `checksums.json` and each of `names` matches it."""
    try:
        sums = json.loads((folder / CHECKSUMS).read_text(encoding="utf-8"))
        for name in names:
            path, want = folder / name, sums[name]
            if path.stat().st_size != want["size"] or file_sha256(path) != want["sha256"]:
                return False
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return True


class SharedCache:
    """The entries under `root`; the current one is `root/key`, holding the files `names`."""

    def __init__(self, root: Path, key: str, names: tuple[str, ...]):
        self.root, self.key, self.names = root, key, names
        self.entry = root / key

    def lookup(self) -> Path | None:
        """The entry's folder if it is there and intact (a damaged one is removed)."""
        if not self.entry.is_dir():
            return None
        if not intact(self.entry, self.names):
            discard(self.entry)
            return None
        with contextlib.suppress(OSError):
            os.utime(self.entry)  # recently used: kept by `prune`
        return self.entry

    def new_temp(self) -> Path:
        """A new empty folder beside the entries, for a build to fill and `commit`; OSError
        where the cache folder cannot be made or written."""
        self.root.mkdir(parents=True, exist_ok=True)
        temp = self.root / f"{TEMP_PREFIX}{self.key}-{secrets.token_hex(6)}"
        temp.mkdir()
        return temp

    def commit(self, temp: Path) -> Path:
        """`temp`, filled and sealed, renamed into the entry; if another build's entry got
        there first, that one stands (when intact) and `temp` is removed."""
        for _ in range(2):
            try:
                temp.rename(self.entry)
                break
            except OSError as e:
                if e.errno not in (errno.EEXIST, errno.ENOTEMPTY):
                    raise
            if self.lookup() is not None:  # a damaged winner is discarded: rename again
                shutil.rmtree(temp, ignore_errors=True)
                break
        prune(self.root, keep=self.key)
        return self.entry


def discard(folder: Path) -> None:
    """Removes `folder`, first renamed out of the way so that no build finds it half-removed."""
    trash = folder.with_name(f"{TRASH_PREFIX}{secrets.token_hex(6)}")
    try:
        folder.rename(trash)
    except OSError:
        return  # another build removed it first
    shutil.rmtree(trash, ignore_errors=True)


def prune(root: Path, keep: str) -> None:
    """Removes the entries beyond the `KEPT_ENTRIES` most recently used (not `keep`, nor one
    used within `IN_USE_SECONDS`), and what killed builds left: temporary folders older than
    that, any trash."""
    now = time.time()
    entries, leftovers = [], []
    for path in root.iterdir():
        try:
            age = now - path.stat().st_mtime
        except OSError:
            continue
        if path.name.startswith(TRASH_PREFIX):
            leftovers.append(path)
        elif path.name.startswith(TEMP_PREFIX):
            if age > IN_USE_SECONDS:
                leftovers.append(path)
        elif path.is_dir() and path.name != keep:
            entries.append((age, path))
    entries.sort()
    leftovers += [path for age, path in entries[KEPT_ENTRIES - 1:] if age > IN_USE_SECONDS]
    for path in leftovers:
        shutil.rmtree(path, ignore_errors=True)
