"""jieba's dictionary loaded for less CPU, the same dictionary (docs/scale.md, "The runner's
start").

`jieba.Tokenizer.initialize` reads its cache of the prefix dictionary (the word counts and
their total: 9 MB, about 500,000 words) with `marshal.load(file)`, which reads the file through
Python's buffered reader a few bytes at a time: 0.80 CPU s of a build's fixed cost.
`marshal.loads` of the file's bytes, read at once, makes the same objects in 0.28 CPU s. jieba
finds the cache, checks its age and writes it as it always does; only its reading changes.
"""

from __future__ import annotations

import marshal
from typing import Any, BinaryIO

import jieba


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
