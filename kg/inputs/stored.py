"""Where a build keeps the text of a document it did not read from plain text: the naming that
`kg build` writes by (kg/build/texts.py) and that the readers of a built graph look it up by
(the co-mention projection, kg/analysis/network.py). A .docx, .pdf or .html file's extracted
text is `texts/<key>.<sha12>.txt` (UTF-8) beside the graph, keyed by the document key and the
first 12 hex digits of the text's SHA-256, which the document's graph records (pkg:textSha256)."""

from __future__ import annotations

import hashlib
from pathlib import Path

FOLDER = "texts"


def text_sha256(text: str) -> str:
    """The SHA-256 of the UTF-8 text that evidence offsets count in."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def text_file_name(doc: str, sha256: str) -> str:
    return f"{doc}.{sha256[:12]}.txt"


def stored_text(out_dir: Path, doc: str, sha256: str) -> str | None:
    """The extracted text of document `doc` in the build folder `out_dir`, if it is there and is
    the text the graph was built from (its hash matches)."""
    path = out_dir / FOLDER / text_file_name(doc, sha256)
    try:  # bytes decoded as they are: reading in text mode would turn \r\n into \n
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return text if text_sha256(text) == sha256 else None
