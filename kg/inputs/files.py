"""Reading input files: the checks that turn bad input into one clear message, and the reader
of each format (plain text here; .docx, .pdf and .html in their own modules, imported when a
file of theirs is read)."""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from kg.errors import EncodingRefused, InputError
from kg.inputs.encoding import decode_chinese
from kg.inputs.layout import ReadText

TEXT_READER = "text/kg-encoding-1"


@dataclass(frozen=True, slots=True)
class Format:
    """A kind of input file: its media type and the reader that extracts its text."""

    media_type: str
    reader: str  # "module:function" in kg.inputs, imported when first needed


FORMATS = {
    ".txt": Format("text/plain", ""),
    ".docx": Format("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    "docx:read_docx"),
    ".pdf": Format("application/pdf", "pdf:read_pdf"),
    ".html": Format("text/html", "html:read_html"),
    ".htm": Format("text/html", "html:read_html"),
}
# In a folder these are read; a file named on the command line with another suffix is read as
# plain text. Formats refused with a hint rather than read as text:
REFUSED = {".doc": "the old binary Word format is not read; save it as .docx",
           ".wps": "WPS's own format is not read; save it as .docx",
           ".ofd": "OFD is not read; export it as PDF"}
TEXT_SUFFIXES = tuple(FORMATS)


@dataclass(frozen=True, slots=True)
class SourceText:
    """One input file and the text read from it. Evidence offsets point into `text`: for a
    .txt file its decoded content, for other formats what their reader extracted (which a
    build stores beside its outputs, kg/build/texts.py)."""

    doc: str
    path: Path
    text: str
    encoding: str
    media_type: str = "text/plain"
    reader: str = TEXT_READER
    source_sha256: str = ""  # of the file's bytes
    warnings: tuple[str, ...] = ()

    @property
    def extracted(self) -> bool:
        """Whether `text` was extracted from another format (not the file's own content)."""
        return self.media_type != "text/plain"


def _kind(mode: int) -> str | None:
    """What a file that is neither a regular file nor a folder is, for the message."""
    kinds = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))
    return next((name for test, name in kinds if test(mode)), None)


def _not_regular(p: Path, mode: int) -> InputError:
    return InputError(f"{p}: {_kind(mode) or 'not a regular file'}; only regular files are read")


def collect(inputs: list[Path]) -> list[Path]:
    """The text files named or contained (one level deep, sorted) in `inputs`. Only regular
    files are read (symbolic links to them too): a FIFO or a device named here would block the
    build or never end, so it is refused before anything is read; in a folder it is skipped."""
    files: list[Path] = []
    for p in inputs:
        try:
            mode = p.stat().st_mode  # follows symbolic links
        except FileNotFoundError:
            raise InputError(f"{p}: no such file or directory") from None
        except OSError as e:
            raise InputError(f"{p}: cannot read ({e.strerror})") from None
        if stat.S_ISDIR(mode):
            files.extend(_folder_texts(p))
        elif stat.S_ISREG(mode):
            files.append(p)
        else:
            raise _not_regular(p, mode)
    return files


def _folder_texts(folder: Path) -> list[Path]:
    try:
        found = sorted(f for f in folder.iterdir() if f.is_file() and f.suffix in TEXT_SUFFIXES)
    except OSError as e:
        raise InputError(f"{folder}: cannot read the directory ({e.strerror})") from None
    if not found:
        raise InputError(f"{folder}: the directory has no files to read "
                         f"({', '.join('*' + s for s in TEXT_SUFFIXES)})")
    return found


def read_regular(path: Path) -> bytes:
    """The bytes of a regular file. Opened without blocking and checked on the open file: a
    FIFO put in place after `collect` looked is refused, not waited on."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror})") from None
    with open(fd, "rb") as f:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise _not_regular(path, mode)
        try:
            return f.read()
        except OSError as e:
            raise InputError(f"{path}: cannot read ({e.strerror})") from None


def decode(path: Path, data: bytes) -> tuple[str, str]:
    """The text and its encoding: by its byte order mark (UTF-8, UTF-16, UTF-32), else the one
    of UTF-8, GB18030 and Big5-HKSCS that reads as Chinese (kg/inputs/encoding.py); a file that
    reads as Chinese in none of them is refused, naming what was tried."""
    if not data.strip():
        raise InputError(f"{path}: the file is empty")
    try:
        decoded = decode_chinese(data)
    except EncodingRefused as e:
        raise InputError(f"{path}: {e}") from None
    return decoded.text, decoded.encoding


def doc_key(path: Path) -> str:
    """A stable ASCII key from the file name (never raw Chinese in an IRI)."""
    slug = re.sub(r"[^a-z0-9]+", "-", path.name.lower()).strip("-")
    slug = re.sub(r"-(txt|md)$", "", slug)
    if not re.search(r"[a-z]", slug) or not path.stem.isascii():
        digest = hashlib.sha1(path.name.encode("utf-8")).hexdigest()[:10]
        slug = f"{slug}-{digest}" if slug else f"doc-{digest}"
    return slug


def reader_of(fmt: Format) -> Callable[[Path, bytes], ReadText]:
    module, function = fmt.reader.split(":")
    return getattr(import_module(f"kg.inputs.{module}"), function)


def read_source(path: Path, key: str) -> SourceText:
    """One file read by the reader of its format (by suffix; anything else as plain text)."""
    suffix = path.suffix.lower()
    if suffix in REFUSED:
        raise InputError(f"{path}: {REFUSED[suffix]}")
    data = read_regular(path)
    digest = hashlib.sha256(data).hexdigest()
    fmt = FORMATS.get(suffix, FORMATS[".txt"])
    if not fmt.reader:
        text, encoding = decode(path, data)
        read = ReadText(text, TEXT_READER)
    else:
        if not data.strip():
            raise InputError(f"{path}: the file is empty")
        read = reader_of(fmt)(path, data)
        encoding = "utf-8"
    if not read.text.strip():
        raise InputError(f"{path}: the file has no text")
    return SourceText(key, path, read.text, encoding, fmt.media_type, read.reader, digest,
                      read.warnings)


def read_sources(inputs: list[Path]) -> list[SourceText]:
    """Every input file read, under the key of its file name; two files of one name in two
    folders keep that key both: the build's keys (kg/build/keys.py) tell them apart."""
    out: list[SourceText] = []
    read: set[Path] = set()
    for path in collect(inputs):
        # A file named twice (itself and inside its folder) is read once, under its first name.
        if path.resolve() in read:
            continue
        read.add(path.resolve())
        out.append(read_source(path, doc_key(path)))
    return out
