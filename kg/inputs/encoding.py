"""Which encoding a Chinese text file is in: the decoding that reads as Chinese.

GB18030 decodes almost any byte sequence, and Big5, GBK and EUC-KR share their byte ranges, so
"decodes without error" says little: Big5 read as GB18030 is a page of rare characters, kana and
private-use code points, Korean read as GB18030 a page of ordinary but random characters. Each
candidate decoding is scored on its scored characters (non-ASCII, not whitespace, not
punctuation) against `common_chars.txt` beside this module (written by
`tools/make_common_chars.py`), the characters of Chinese text, simplified and
traditional, by frequency:

- `common`: the share that is in the list (5,796 characters, 99.5 % of running text): rare
  characters, kana, Hangul and private-use code points are not;
- `frequent`: the share that is among its first FREQUENT characters (87 % of running text): real
  text is dominated by them, a random choice of characters is not.

A decoding reads as Chinese when both reach their minimum. Measured on 82 real texts and their
traditional conversions, and mojibake of them, Korean and Japanese: docs/extraction.md
("Encodings").
"""

from __future__ import annotations

import codecs
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.errors import EncodingRefused

HERE = Path(__file__).resolve().parent
# A byte order mark decides the encoding (UTF-32's before UTF-16's: FF FE 00 00 starts both).
BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"))
# Without a BOM: tried in this order. big5hkscs is Big5 with the Hong Kong additions; it reads
# plain Big5 and nearly all of Microsoft's cp950, which is tried when it cannot (cp950 has €).
CANDIDATES = ("utf-8", "gb18030", "big5hkscs")
FALLBACK = {"big5hkscs": "cp950"}
TRADITIONAL = frozenset({"big5hkscs", "cp950"})  # the encodings of traditional Chinese
FREQUENT = 1000  # the first characters of common_chars.txt: the frequent core
MIN_COMMON = 0.85  # real texts: >= 0.99 over a whole file, >= 0.93 over any 50 characters
MIN_FREQUENT = 0.5  # real texts: >= 0.85 over a whole file, >= 0.57 over 50; wrong <= 0.31
SAMPLE = 1 << 22  # characters scored at most (spread over the text): a 100 MB file scores fast
SAMPLE_PIECES = 64
BINARY_PROBE = 8192  # bytes looked at for a NUL, which no text in a candidate encoding has


@dataclass(frozen=True, slots=True)
class Score:
    common: float  # share of the scored characters in common_chars.txt
    frequent: float  # share among its first FREQUENT characters
    scored: int  # how many characters were scored

    @property
    def chinese(self) -> bool:
        return self.common >= MIN_COMMON and self.frequent >= MIN_FREQUENT

    def __str__(self) -> str:
        return f"{self.frequent:.0%} frequent, {self.common:.0%} common Chinese characters"


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str  # a BOM stays in it, as U+FEFF: offsets count it
    encoding: str
    score: Score


@lru_cache(maxsize=1)
def ranked_chars(path: Path = HERE / "common_chars.txt") -> str:
    """The common characters, most frequent first."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return "".join(ln.strip() for ln in lines if not ln.startswith("#"))


@lru_cache(maxsize=1)
def _char_sets() -> tuple[frozenset[str], frozenset[str]]:
    ranked = ranked_chars()
    return frozenset(ranked), frozenset(ranked[:FREQUENT])


def _neutral(ch: str) -> bool:
    """Reads the same in every candidate, or says nothing about the language: ASCII, whitespace,
    punctuation, the BOM, full-width ASCII (２０２４, ＡＢ)."""
    return (ch.isascii() or ch.isspace() or ch == "\ufeff" or "\uff01" <= ch <= "\uff5e"
            or unicodedata.category(ch).startswith("P"))


def _sample(text: str) -> str:
    if len(text) <= SAMPLE:
        return text
    step, piece = len(text) // SAMPLE_PIECES, SAMPLE // SAMPLE_PIECES
    return "".join(text[i:i + piece] for i in range(0, len(text), step))


def score(text: str) -> Score:
    """How Chinese `text` reads, over a sample of at most SAMPLE characters. Counting first
    keeps the per-character work in C; the rest runs once per distinct character."""
    common, frequent = _char_sets()
    scored = in_common = in_frequent = 0
    for ch, n in Counter(_sample(text)).items():
        if _neutral(ch):
            continue
        scored += n
        in_common += n if ch in common else 0
        in_frequent += n if ch in frequent else 0
    if not scored:
        return Score(0.0, 0.0, 0)
    return Score(in_common / scored, in_frequent / scored, scored)


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _bom_encoding(data: bytes) -> str | None:
    return next((encoding for bom, encoding in BOMS if data.startswith(bom)), None)


def _describe(tried: dict[str, Score | None]) -> str:
    return "; ".join(f"{enc}: {'not decodable' if s is None else s}" for enc, s in tried.items())


def decode_chinese(data: bytes) -> Decoded:
    """The decoding of `data` that reads as Chinese, or EncodingRefused."""
    bom = _bom_encoding(data)
    if bom is not None:
        return _decode_with_bom(data, bom)
    if b"\x00" in data[:BINARY_PROBE]:
        raise EncodingRefused("a binary file, not text (UTF-16 and UTF-32 need a byte order "
                              "mark)")
    tried: dict[str, Score | None] = {}
    readings: list[Decoded] = []
    for candidate in CANDIDATES:
        encoding, text = candidate, _strict(data, candidate)
        if text is None and candidate in FALLBACK:
            encoding, text = FALLBACK[candidate], _strict(data, FALLBACK[candidate])
        if text is None:
            tried[candidate] = None
            continue
        tried[encoding] = reading = score(text)
        if not reading.scored:  # plain ASCII: every candidate reads it the same
            raise EncodingRefused("no Chinese text in this file")
        if encoding == "utf-8" and reading.chinese:
            # GB18030 or Big5 Chinese is almost never valid UTF-8: no need to look further
            return Decoded(text, encoding, reading)
        readings.append(Decoded(text, encoding, reading))
    return _choose([r for r in readings if r.score.chinese], tried)


def _choose(chinese: list[Decoded], tried: dict[str, Score | None]) -> Decoded:
    """The one reading that reads as Chinese; none, or two (a short text can read as Chinese
    in GB18030 and Big5 alike, and a guess would be mojibake), is refused."""
    if not chinese:
        raise EncodingRefused(f"does not read as Chinese text in any encoding tried "
                              f"({_describe(tried)})")
    if len(chinese) > 1:
        names = " and ".join(r.encoding for r in chinese)
        raise EncodingRefused(f"reads as Chinese in {names} alike ({_describe(tried)}); "
                              "save it as UTF-8")
    return chinese[0]


def _decode_with_bom(data: bytes, encoding: str) -> Decoded:
    text = _strict(data, encoding)
    if text is None:
        raise EncodingRefused(f"starts with a {encoding.upper()} byte order mark but is not "
                              f"{encoding.upper()} text")
    if not text[1:].strip():
        raise EncodingRefused("the file is empty")
    reading = score(text)
    if not reading.scored:
        raise EncodingRefused("no Chinese text in this file")
    if not reading.chinese:
        raise EncodingRefused(f"decoded as {encoding} (by its byte order mark) it does not read "
                              f"as Chinese text ({reading})")
    return Decoded(text, encoding, reading)
