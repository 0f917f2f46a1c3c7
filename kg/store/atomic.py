"""Output files are whole or absent: written beside their target, then renamed over it."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path

NAME_TRIES = 100  # random names to try before giving up (a clash is a 1 in 2^64 chance)


def write_atomic(path: Path, write: Callable[[Path], object]) -> None:
    """`write(tmp)` fills a temporary file beside `path`, which is then renamed over `path`;
    on any failure the temporary file is removed and `path` is left as it was."""
    tmp = _new_file_beside(path)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _new_file_beside(path: Path) -> Path:
    """A new empty file in `path`'s folder with the permissions of any new file (0666 less the
    umask, which the kernel applies as it creates the file). tempfile.mkstemp would make it
    0600; reading the umask to widen that means setting it, for every thread of the process."""
    for _ in range(NAME_TRIES):
        tmp = path.parent / f".{path.name}.{secrets.token_hex(8)}.tmp"
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        return tmp
    raise FileExistsError(f"{path.parent}: no free temporary name after {NAME_TRIES} tries")


def write_text_atomic(path: Path, text: str) -> None:
    write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
