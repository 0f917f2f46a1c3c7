"""The texts that evidence points into, for inputs that were not plain text: a .docx, .pdf or
.html file's extracted text is written beside the build's outputs, `texts/<key>.<sha12>.txt`
(UTF-8), keyed by the document key and the first 12 hex digits of the text's SHA-256, which the
document's graph records (pkg:textSha256) with the reader and its version (pkg:reader). A .txt
input is its own text; only its hash is recorded. `kg why` reads the file to show a sentence."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from kg.inputs.files import SourceText

FOLDER = "texts"


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def text_file_name(doc: str, sha256: str) -> str:
    return f"{doc}.{sha256[:12]}.txt"


def stage_texts(staging: Path, sources: list[SourceText]) -> None:
    """Writes the extracted texts into `staging/texts/` (the folder is made even when empty, so
    that the build replaces the previous one whole)."""
    folder = staging / FOLDER
    folder.mkdir()
    for s in sources:
        if s.extracted:
            (folder / text_file_name(s.doc, text_sha256(s.text))).write_text(
                s.text, encoding="utf-8", newline="\n")


def swap_texts(staging: Path, out_dir: Path) -> None:
    """Moves the staged texts folder into `out_dir`, the previous one into the staging folder
    (which the caller removes)."""
    old = out_dir / FOLDER
    if old.is_dir() and not old.is_symlink():
        os.replace(old, staging / f"{FOLDER}.old")
    os.replace(staging / FOLDER, old)


def stored_text(graph_file: Path, doc: str, sha256: str) -> str | None:
    """The extracted text of document `doc` beside the built graph file, if it is there and is
    the text the graph was built from."""
    path = graph_file.parent / FOLDER / text_file_name(doc, sha256)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    return text if text_sha256(text) == sha256 else None
