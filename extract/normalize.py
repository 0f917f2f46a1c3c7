"""Normalisation of PDF-extracted Chinese text, with a map back to the original offsets.

Two kinds of change, both chosen so that evidence can always point into the original text:
- one-for-one character replacements (full-width ASCII, ideographic space, dash variants, and the
  look-alikes of ideographs that Chinese PDF fonts put in a text layer: ⼯ for 工, ⼆ for 二, from
  `patterns/lookalike_chars.tsv`), which keep every offset;
- deletion of the whitespace that the PDF put inside sentences (a space or a line break between
  two Chinese characters) and of double quotation marks, which shifts later offsets; the shifts
  are kept as sparse breakpoints.

The OCR reading of a dash as 一 (中国一东盟) is NOT rewritten here: 一 is a real word far more
often than a misread dash, so the gazetteer matcher recognises both spellings instead.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

LOOKALIKES = Path(__file__).resolve().parent / "patterns" / "lookalike_chars.tsv"

DASH = "—"
_DASHES = "-‐‑‒–―－﹣"

_TRANSLATION = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_TRANSLATION[0x3000] = ord(" ")
_TRANSLATION[ord("\r")] = ord(" ")  # CRLF files: the break is the \n, the \r is just space
_TRANSLATION[0xA0] = ord(" ")
_TRANSLATION.update({ord(c): DASH for c in _DASHES})


def _lookalike_table() -> dict[int, int]:
    """Radicals, strokes and compatibility ideographs → the unified ideograph they look like
    (tools/make_lookalike_chars.py writes the file from Unicode's own data)."""
    table = {}
    for line in LOOKALIKES.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            lookalike, ideograph = line.split("\t")[:2]
            table[ord(lookalike)] = ord(ideograph)
    return table


_LOOKALIKE_TRANSLATION = _lookalike_table()
_TRANSLATION.update(_LOOKALIKE_TRANSLATION)
# The full-width range above covers ，；：？！（） too: they become ASCII (, ; : ? ! ( )).

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Spaces inside a line between two Chinese characters: always a PDF artefact.
# Spaces inside a line between two Chinese characters, or around a dash or a bracket between
# them (中国 — 东盟, 中国 (广西) 自贸试验区): always a PDF artefact.
_JOINABLE = rf"{_CJK}—()"
_INLINE_SPACE = re.compile(rf"(?<=[{_JOINABLE}])[ \t]+(?=[{_JOINABLE}])")
# A line break (or a blank line, at a page break) between two Chinese characters: the sentence
# goes on across it when the line before is long prose, not a short heading.
# Quotation marks around or inside a name ("一带一路", "广州—深圳—香港—澳门"科技创新走廊) are
# dropped so that the name reads as one; they never carry a name's meaning.
_QUOTES = re.compile(r'["“”]')
_BREAK = re.compile(rf"(?<=[{_CJK}])[ \t]*\n(?:[ \t]*\n)?[ \t]*(?=[{_CJK}])")
MIN_PROSE_LINE = 30


def is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def fold_lookalikes(text: str) -> str:
    """`text` with each look-alike of an ideograph replaced by the ideograph (one for one)."""
    return text.translate(_LOOKALIKE_TRANSLATION)


def translate_chars(text: str) -> str:
    """The one-for-one replacements alone (used for gazetteer phrases too)."""
    return text.translate(_TRANSLATION)


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Maps a normalised index to the original: original = normalised + shift at that point."""

    starts: tuple[int, ...]  # normalised index where a shift begins (sorted, first is 0)
    shifts: tuple[int, ...]

    def to_original(self, i: int) -> int:
        return i + self.shifts[bisect_right(self.starts, i) - 1]

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """End is exclusive: map the last character, so deleted whitespace after it stays out."""
        if end <= start:
            o = self.to_original(start)
            return o, o
        return self.to_original(start), self.to_original(end - 1) + 1


@dataclass(frozen=True, slots=True)
class Normalised:
    text: str
    offsets: OffsetMap


def _line_before(text: str, pos: int) -> str:
    line_start = text.rfind("\n", 0, pos) + 1
    return text[line_start:pos]


def _deletions(text: str) -> list[tuple[int, int]]:
    spans = [m.span() for m in _INLINE_SPACE.finditer(text)]
    spans += [m.span() for m in _QUOTES.finditer(text)]
    for m in _BREAK.finditer(text):
        if len(_line_before(text, m.start()).strip()) >= MIN_PROSE_LINE:
            spans.append(m.span())
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def normalise(text: str) -> Normalised:
    """Normalise `text` (pure): the result's text never has more characters than the input."""
    translated = translate_chars(text)
    pieces: list[str] = []
    starts, shifts = [0], [0]
    pos = 0
    removed = 0
    for s, e in _deletions(translated):
        pieces.append(translated[pos:s])
        removed += e - s
        starts.append(e - removed)  # normalised index of the first character kept after it
        shifts.append(removed)
        pos = e
    pieces.append(translated[pos:])
    return Normalised("".join(pieces), OffsetMap(tuple(starts), tuple(shifts)))
