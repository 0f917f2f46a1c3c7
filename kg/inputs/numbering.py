"""The numbers Word draws before numbered paragraphs, which are not in the paragraphs' text:
一、 for a chapter, （一） for a section, 1. for an item. python-docx gives the paragraph and its
numbering properties; this module counts (per list, a level's counter restarting when a higher
level moves on) and formats the label as the numbering definition (numbering.xml) says."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docx.document import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

LEVELS = 9
_DIGITS = "零一二三四五六七八九"
_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = "".join(chr(c) for c in range(0x2460, 0x2474))  # ①–⑳
_PARENTHESISED = "".join(chr(c) for c in range(0x2474, 0x2488))  # ⑴–⒇


def chinese_counting(n: int, digits: str = _DIGITS, ten: str = "十") -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九; from 100 on, Arabic digits."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else (ten if tens == 1 else digits[tens] + ten)
    return head + (digits[ones] if ones else "")


def roman(n: int) -> str:
    out = []
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                           (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                           (4, "IV"), (1, "I")):
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def letter(n: int) -> str:
    """1 → A, 26 → Z, 27 → AA (Word repeats the letter)."""
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _from(sequence: str, n: int) -> str:
    return sequence[n - 1] if 0 < n <= len(sequence) else str(n)


FORMATS = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: str(n).translate({c: c + 0xFEE0 for c in range(0x30, 0x3A)}),
    "decimalHalfWidth": str,
    "chineseCounting": chinese_counting,
    "chineseCountingThousand": chinese_counting,
    "taiwaneseCounting": chinese_counting,
    "taiwaneseCountingThousand": chinese_counting,
    "ideographDigital": lambda n: "".join(_DIGITS[int(d)] for d in str(n)),
    "chineseLegalSimplified": lambda n: chinese_counting(n, _LEGAL, "拾"),
    "ideographLegalTraditional": lambda n: chinese_counting(n, _LEGAL, "拾"),
    "ideographTraditional": lambda n: _from(_STEMS, n),
    "ideographZodiac": lambda n: _from(_BRANCHES, n),
    "decimalEnclosedCircle": lambda n: _from(_CIRCLED, n),
    "decimalEnclosedCircleChinese": lambda n: _from(_CIRCLED, n),
    "decimalEnclosedParen": lambda n: _from(_PARENTHESISED, n),
    "upperLetter": letter,
    "lowerLetter": lambda n: letter(n).lower(),
    "upperRoman": roman,
    "lowerRoman": lambda n: roman(n).lower(),
    "bullet": lambda n: "",  # a bullet's glyph is often a private-use symbol: left out
    "none": lambda n: "",
}


@dataclass(frozen=True, slots=True)
class Level:
    fmt: str
    text: str  # e.g. "%1、" or "（%2）"
    start: int


@dataclass(slots=True)
class Numbering:
    """The numbering definitions of one document and the counters of its lists."""

    lists: dict[str, dict[int, Level]] = field(default_factory=dict)  # numId → ilvl → level
    counters: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, document: Document) -> Numbering:
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return cls()
        abstract = {a.get(qn("w:abstractNumId")): _levels(a)
                    for a in root.iter(qn("w:abstractNum"))}
        lists = {}
        for num in root.iter(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            levels = dict(abstract.get(ref.get(qn("w:val")), {})) if ref is not None else {}
            for override in num.iter(qn("w:lvlOverride")):
                start = override.find(qn("w:startOverride"))
                ilvl = int(override.get(qn("w:ilvl"), "0"))
                if start is not None and ilvl in levels:
                    old = levels[ilvl]
                    levels[ilvl] = Level(old.fmt, old.text, int(start.get(qn("w:val"))))
            lists[num.get(qn("w:numId"))] = levels
        return cls(lists)

    def label(self, paragraph: Paragraph) -> str:
        """The number Word draws before `paragraph` ("" when it is not numbered); counts it."""
        num_id, ilvl = numbering_of(paragraph)
        levels = self.lists.get(num_id or "")
        if not levels or ilvl not in levels:
            return ""
        counts = self.counters.setdefault(num_id, [0] * LEVELS)
        if counts[ilvl] == 0:
            counts[ilvl] = levels[ilvl].start - 1
        counts[ilvl] += 1
        for deeper in range(ilvl + 1, LEVELS):
            counts[deeper] = 0
        return re.sub(r"%([1-9])", lambda m: _formatted(levels, counts, int(m.group(1)) - 1),
                      levels[ilvl].text)


def _formatted(levels: dict[int, Level], counts: list[int], ilvl: int) -> str:
    level = levels.get(ilvl)
    n = counts[ilvl] or (level.start if level else 1)
    return FORMATS.get(level.fmt if level else "decimal", str)(n)


def _levels(abstract) -> dict[int, Level]:
    out = {}
    for lvl in abstract.iter(qn("w:lvl")):
        fmt = lvl.find(qn("w:numFmt"))
        text = lvl.find(qn("w:lvlText"))
        start = lvl.find(qn("w:start"))
        out[int(lvl.get(qn("w:ilvl")))] = Level(
            fmt.get(qn("w:val")) if fmt is not None else "decimal",
            text.get(qn("w:val")) if text is not None else "",
            int(start.get(qn("w:val"))) if start is not None else 1)
    return out


def numbering_of(paragraph: Paragraph) -> tuple[str | None, int]:
    """The list and level of `paragraph`: its own numbering properties, else its style's (a
    heading style is often numbered), following the styles it is based on."""
    sources = [paragraph._p.pPr]
    style = paragraph.style
    while style is not None:
        sources.append(style.element.pPr)
        style = style.base_style
    for ppr in sources:
        num_pr = ppr.numPr if ppr is not None else None
        if num_pr is not None and num_pr.numId is not None:
            ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else 0
            num_id = str(num_pr.numId.val)
            return (None if num_id == "0" else num_id), ilvl
    return None, 0
