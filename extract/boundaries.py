"""Word-boundary checks: is a matched name a word of the sentence, or part of a longer word?

Character matching finds 广东 inside 推广东部 and 中东 inside 其中东部. Segmenting every sentence
with jieba would settle it but costs more than the rest of the pipeline together, so doubt is
decided first from jieba's dictionary alone: only when a dictionary word crosses one of the
name's edges is a small window around the name segmented.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable

Segmenter = Callable[[str], Iterable[str]]

MAX_WORD = 4  # longest dictionary word looked for across an edge
MAX_CHECKED = 3  # longer names (东部地区, 长三角城市群) are not parts of longer words
WINDOW = 5  # characters of context on each side when segmenting


def crosses_edge(text: str, start: int, end: int, freq: dict[str, int],
                 lo: int = 0, hi: int | None = None) -> bool:
    """True when a dictionary word overlaps the name without being inside it: it crosses an
    edge (推广|东部 over 广东), or it starts or ends with the name and goes on (北京大学,
    大理石)."""
    hi = len(text) if hi is None else hi
    longest = max(MAX_WORD, end - start + 2)
    for a in range(max(lo, start - MAX_WORD + 1), end):
        # jieba's FREQ holds every prefix of every word (with 0): stop at the first non-prefix.
        for b in range(a + 1, min(hi, a + longest) + 1):
            f = freq.get(text[a:b])
            if f is None:
                break
            if f > 0 and b - a >= 2 and b > start and (a < start or b > end):
                return True
    return False


def aligned(text: str, start: int, end: int, segment: Segmenter, compound: Container[str],
            lo: int = 0, hi: int | None = None) -> bool:
    """Segment a window around the name: are both of its edges token boundaries? A token that
    joins the name to another known name or to a word of `compound` (广西北海, 中国香港,
    东盟国家) keeps the name: jieba's dictionary has such compounds, they are not longer words."""
    hi = len(text) if hi is None else hi
    w_start, w_end = max(lo, start - WINDOW), min(hi, end + WINDOW)
    spans = []
    pos = w_start
    for token in segment(text[w_start:w_end]):
        spans.append((pos, pos + len(token)))
        pos += len(token)
    cuts = {a for a, _ in spans} | {b for _, b in spans}
    if start in cuts and end in cuts:
        return True
    for a, b in spans:
        if a == start and b > end and text[end:b] in compound:
            return True
        if b == end and a < start and text[a:start] in compound:
            return True
    return False


def is_word(text: str, start: int, end: int, freq: dict[str, int], segment: Segmenter,
            compound: Container[str] = frozenset(), lo: int = 0, hi: int | None = None) -> bool:
    if not crosses_edge(text, start, end, freq, lo, hi):
        return True
    return aligned(text, start, end, segment, compound, lo, hi)
