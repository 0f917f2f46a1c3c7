"""Sentence segmentation of normalised text (pure)."""

from __future__ import annotations

import re

# A sentence ends after 。！？；!? (with any closing quotes or brackets) or at a line break.
_END = re.compile(r"[。！？；!?;][”’」』)）\"]*|\n+")


def split_sentences(text: str, base: int = 0) -> list[tuple[int, int]]:
    """Sentence spans of `text`, offset by `base`, without surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _END.finditer(text):
        end = m.end() if m.group()[0] != "\n" else m.start()
        _add(text, start, end, base, spans)
        start = m.end()
    _add(text, start, len(text), base, spans)
    return spans


def _add(text: str, start: int, end: int, base: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((base + start, base + end))
