"""Word-boundary checks: is a matched name a word of the sentence, or part of a longer word?

Character matching finds 广东 inside 推广东部 and 中东 inside 其中东部. Segmenting every sentence
with jieba would settle it but costs more than the rest of the pipeline together, so doubt is
decided first from jieba's dictionary alone: only when a dictionary word crosses one of the
name's edges is a small window around the name segmented.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

Segmenter = Callable[[str], Iterable[str]]

MAX_WORD = 4  # longest dictionary word looked for across an edge
MAX_CHECKED = 3  # longer names (东部地区, 长三角城市群) are not parts of longer words
WINDOW = 5  # characters of context on each side when segmenting


def crosses_edge(text: str, start: int, end: int, freq: dict[str, int],
                 lo: int = 0, hi: int | None = None) -> bool:
    """True when a dictionary word starts before `start` and ends inside the name, or starts
    inside the name and ends after `end` (within lo..hi, the sentence)."""
    hi = len(text) if hi is None else hi
    for edge_start in range(max(lo, start - MAX_WORD + 1), start):
        for word_end in range(start + 1, min(end, edge_start + MAX_WORD) + 1):
            if freq.get(text[edge_start:word_end], 0) > 0:
                return True
    for word_start in range(start + 1, end):
        for word_end in range(end + 1, min(hi, word_start + MAX_WORD) + 1):
            if freq.get(text[word_start:word_end], 0) > 0:
                return True
    return False


def aligned(text: str, start: int, end: int, segment: Segmenter,
            lo: int = 0, hi: int | None = None) -> bool:
    """Segment a window around the name: are both of its edges token boundaries?"""
    hi = len(text) if hi is None else hi
    w_start, w_end = max(lo, start - WINDOW), min(hi, end + WINDOW)
    cuts = {w_start}
    pos = w_start
    for token in segment(text[w_start:w_end]):
        pos += len(token)
        cuts.add(pos)
    return start in cuts and end in cuts


def is_word(text: str, start: int, end: int, freq: dict[str, int], segment: Segmenter,
            lo: int = 0, hi: int | None = None) -> bool:
    if not crosses_edge(text, start, end, freq, lo, hi):
        return True
    return aligned(text, start, end, segment, lo, hi)
