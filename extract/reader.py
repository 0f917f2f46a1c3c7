"""Reading input texts: the checks that turn bad input into one clear message."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

TEXT_SUFFIXES = (".txt",)  # in a folder; a file named on the command line may be anything
_CJK = re.compile(r"[\u4e00-\u9fff]")


class InputError(ValueError):
    """Bad input: the message is one line a user can act on."""


@dataclass(frozen=True, slots=True)
class SourceText:
    doc: str
    path: Path
    text: str
    encoding: str


def collect(inputs: list[Path]) -> list[Path]:
    """The text files named or contained (one level deep, sorted) in `inputs`."""
    files: list[Path] = []
    for p in inputs:
        if not p.exists():
            raise InputError(f"{p}: no such file or directory")
        if p.is_dir():
            try:
                found = sorted(f for f in p.iterdir()
                               if f.is_file() and f.suffix in TEXT_SUFFIXES)
            except OSError as e:
                raise InputError(f"{p}: cannot read the directory ({e.strerror})") from None
            if not found:
                raise InputError(f"{p}: the directory has no text files (*.txt)")
            files.extend(found)
        else:
            files.append(p)
    return files


def decode(path: Path, data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) or, failing that, GB18030 (a superset of GBK) when the
    result reads as Chinese; anything else is refused."""
    if not data.strip():
        raise InputError(f"{path}: the file is empty")
    if b"\x00" in data[:8192]:
        raise InputError(f"{path}: a binary file, not text")
    try:
        # A BOM stays in the text (as U+FEFF): offsets then count it, like any UTF-8 reader.
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if not _CJK.search(text):
            raise InputError(f"{path}: no Chinese text in this file")
        return text, "utf-8"
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise InputError(f"{path}: neither UTF-8 nor GBK/GB18030 text") from None
    visible = [c for c in text if not c.isspace()]
    if len(_CJK.findall(text)) < 0.3 * max(1, len(visible)):
        raise InputError(f"{path}: not UTF-8, and as GBK it does not read as Chinese text")
    return text, "gb18030"


def doc_key(path: Path) -> str:
    """A stable ASCII key from the file name (never raw Chinese in an IRI)."""
    slug = re.sub(r"[^a-z0-9]+", "-", path.name.lower()).strip("-")
    slug = re.sub(r"-(txt|md)$", "", slug)
    if not re.search(r"[a-z]", slug) or not path.stem.isascii():
        digest = hashlib.sha1(path.name.encode("utf-8")).hexdigest()[:10]
        slug = f"{slug}-{digest}" if slug else f"doc-{digest}"
    return slug


def read_sources(inputs: list[Path]) -> list[SourceText]:
    out: list[SourceText] = []
    seen: dict[str, Path] = {}
    read: set[Path] = set()
    for path in collect(inputs):
        # A file named twice (itself and inside its folder) is read once, under its first name.
        if path.resolve() in read:
            continue
        read.add(path.resolve())
        try:
            data = path.read_bytes()
        except OSError as e:
            raise InputError(f"{path}: cannot read ({e.strerror})") from None
        text, encoding = decode(path, data)
        if not text.strip():
            raise InputError(f"{path}: the file has no text")
        key = doc_key(path)
        if key in seen:
            raise InputError(f"{path}: same document key {key!r} as {seen[key]}; rename one")
        seen[key] = path
        out.append(SourceText(key, path, text, encoding))
    return out
