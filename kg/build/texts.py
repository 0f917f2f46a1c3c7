"""The texts that evidence points into, for inputs that were not plain text: a .docx, .pdf or
.html file's extracted text is written beside the build's outputs under the name
kg/inputs/stored.py gives it, with the reader and its version recorded in the document's graph
(pkg:reader). A .txt input is its own text; only its hash is recorded."""

from __future__ import annotations

import os
from pathlib import Path

from kg.inputs.files import SourceText
from kg.inputs.stored import FOLDER, text_file_name, text_sha256


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
