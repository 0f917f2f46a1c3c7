"""jieba's dictionaries loaded for less CPU, the same dictionaries (docs/scale.md, "The runner's
start").

- **The prefix dictionary.** `jieba.Tokenizer.initialize` reads its cache of the prefix
  dictionary (the word counts and their total: 9 MB, about 500,000 words) with
  `marshal.load(file)`, which reads the file through Python's buffered reader a few bytes at a
  time: 0.80 CPU s of a build's fixed cost. `marshal.loads` of the file's bytes, read at once,
  makes the same objects in 0.28 CPU s. jieba finds the cache, checks its age and writes it as
  it always does; only its reading changes (`initialize`).
- **The word-tag table.** `import jieba.posseg` parses jieba's dictionary file line by line
  into the part-of-speech tag of each of its 349,045 words (0.35-0.45 CPU s). `import_posseg`
  reads the same table from a marshal file beside jieba's own cache, named by a hash of the
  dictionary file's bytes (a changed dictionary is parsed again), and has the import parse an
  empty file; it writes that file where there is none. Called before anything imports
  `jieba.posseg` (the documents' process of a build calls it first).
"""

from __future__ import annotations

import hashlib
import importlib
import io
import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, BinaryIO

import jieba

TAGS_FILE = "policy-kg-jieba-tags.{}.marshal"  # in the temporary folder, as jieba.cache is


class WholeFileMarshal:
    """What jieba's module calls `marshal`: `load` reads the whole file, then unmarshals it.
    jieba's cache holds one object (it is written by one `dump`), so nothing is left unread."""

    dump = staticmethod(marshal.dump)

    @staticmethod
    def load(file: BinaryIO) -> Any:
        return marshal.loads(file.read())


def initialize(tokenizer: jieba.Tokenizer | None = None) -> None:
    """Loads `tokenizer`'s dictionary (jieba's default one when None), reading jieba's cache
    whole; a tokenizer that is loaded already is left as it is."""
    jieba.marshal = WholeFileMarshal  # the name jieba's module reads its cache with
    (tokenizer or jieba.dt).initialize()


def import_posseg(folder: Path | None = None) -> None:
    """Imports `jieba.posseg` with its word-tag table read from the tags file in `folder`
    (the temporary folder when None), or parsed by jieba and then written there. Nothing when
    `jieba.posseg` is imported already."""
    if "jieba.posseg" in sys.modules:
        return
    with jieba.dt.get_dict_file() as f:
        source = f.read()
    tags_file = (folder or Path(tempfile.gettempdir())) / TAGS_FILE.format(
        hashlib.sha256(source).hexdigest()[:20])
    tags = read_tags(tags_file)
    if tags is None:
        write_tags(tags_file, importlib.import_module("jieba.posseg").dt.word_tag_tab)
        return
    jieba.dt.get_dict_file = io.BytesIO  # the import's table parsed from an empty file
    try:
        posseg = importlib.import_module("jieba.posseg")
    finally:
        del jieba.dt.get_dict_file  # jieba's own method again
    posseg.dt.word_tag_tab = tags


def read_tags(path: Path) -> dict[str, str] | None:
    """The table in `path`, or None where it is absent or unreadable."""
    try:
        tags = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return tags if isinstance(tags, dict) else None


def write_tags(path: Path, tags: dict[str, str]) -> None:
    """Writes the table whole or not at all (a temporary file renamed); a folder that cannot
    be written leaves it unwritten."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(marshal.dumps(tags))
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
