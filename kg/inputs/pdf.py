"""The text layer of a PDF, as paragraphs: pypdfium2 (PDFium) gives each character and its box;
the layout rules here drop running headers and footers, join the lines of a paragraph, keep a
table row on one line with tabs between its cells, and drop the spaces PDFium infers between a
Chinese character and a digit. Why PDFium, and the comparison: docs/inputs.md.

A PDF without a text layer (a scan) is refused: there is nothing to read without OCR.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from kg.errors import InputError
from kg.inputs.layout import PDF_LAYOUT as LAYOUT
from kg.inputs.layout import ReadText, join_lines

READER = f"pdf/pypdfium2-{pdfium.version.PYPDFIUM_INFO}+layout-1"

_PAGE_NUMBER = re.compile(r"^[\s—–\-－·]*(?:第\s*)?\d{1,4}\s*(?:页|/\s*\d{1,4})?[\s—–\-－·]*$")
_NUMBERS_APART = re.compile(r"(?<=\d)\s+(?=[-+−]?\d)")
_NO_LINE_START = "、，。：；？！）》」』】〕”’…—·"  # closing marks a line may not begin with
_WIDE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


@dataclass(slots=True)
class Cell:
    """A run of a line's text with no wide gap in it: the whole line, or one table cell."""

    text: str
    left: float
    right: float


@dataclass(slots=True)
class Line:
    """One line of a page, as PDFium ends it, with its box (PDF units, y upwards); a table row's
    cells, which may wrap onto lines below, are kept apart."""

    page: int
    cells: list[Cell]
    left: float
    right: float
    bottom: float
    top: float
    lead: float = 0.0  # the width of its first word (a Chinese character, or a Latin word)
    size: float = 1.0  # the median height of its characters: the font size, brackets aside

    @property
    def text(self) -> str:
        return "\t".join(c.text for c in self.cells)

    @property
    def is_row(self) -> bool:
        return len(self.cells) > 1

    @property
    def height(self) -> float:
        return max(self.top - self.bottom, 1.0)


@dataclass(frozen=True, slots=True)
class Page:
    lines: list[Line]
    width: float
    height: float


def read_pdf(path: Path, data: bytes) -> ReadText:
    """The text of `data`, a PDF; InputError when it is not one, is encrypted, or has no text."""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        raise InputError(f"{path}: not a readable PDF ({e})") from None
    try:
        pages = [read_page(n, pdf[n]) for n in range(len(pdf))]
    finally:
        pdf.close()
    without_text = [n + 1 for n, p in enumerate(pages) if not p.lines]
    if len(without_text) == len(pages):
        raise InputError(f"{path}: the PDF has no text layer (a scanned document?); run OCR on "
                         "it first (e.g. ocrmypdf) and build from the result")
    warnings = [f"{path}: page(s) {_ranges(without_text)} of {len(pages)} have no text layer "
                "and are left out (scanned pages?)"] if without_text else []
    lines = [ln for page in drop_running_lines(pages) for ln in page.lines]
    return ReadText(join_paragraphs(lines), READER, tuple(warnings))


# --- one page ----------------------------------------------------------------------------------

def read_page(number: int, page: pdfium.PdfPage) -> Page:
    textpage = page.get_textpage()
    try:
        width, height = page.get_size()
        lines = [ln for ln in page_lines(number, textpage) if ln.cells]
        return Page(merge_table_rows(lines), width, height)
    finally:
        textpage.close()


def page_lines(number: int, textpage: pdfium.PdfTextPage) -> Iterator[Line]:
    """PDFium's lines; a space it inferred beside a Chinese character is dropped (it marks
    the wider spacing a word processor puts between Chinese and Latin text, not a space), and a
    gap of more than two character heights becomes a tab (table cells on one baseline)."""
    raw = textpage.raw
    count = pdfium_c.FPDFText_CountChars(raw)
    chars: list[tuple[str, tuple[float, float, float, float]]] = []
    for i in range(count):
        ch = chr(pdfium_c.FPDFText_GetUnicode(raw, i))
        if ch in "\r\n":
            if ch == "\n" and chars:
                yield make_line(number, chars)
                chars = []
            continue
        if ch == "\ufffe" or ch == "\x02":  # a soft hyphen PDFium marks at a line end
            continue
        box = textpage.get_charbox(i, loose=True)  # the advance box: 、 is as wide as 通
        if ch.isspace() and pdfium_c.FPDFText_IsGenerated(raw, i) and _beside_wide(raw, i, count):
            continue
        chars.append((ch, box))
    if chars:
        yield make_line(number, chars)


def _beside_wide(raw, i: int, count: int) -> bool:
    before = chr(pdfium_c.FPDFText_GetUnicode(raw, i - 1)) if i > 0 else ""
    after = chr(pdfium_c.FPDFText_GetUnicode(raw, i + 1)) if i + 1 < count else ""
    return bool(_WIDE.match(before) or _WIDE.match(after))


def make_line(number: int, chars: list[tuple[str, tuple[float, float, float, float]]]) -> Line:
    """The line of `chars`, cut into cells where a gap is wider than LAYOUT.cell_gap."""
    inked = [(ch, box) for ch, box in chars if not ch.isspace() and box[2] > box[0]]
    if not inked:
        return Line(number, [], 0, 0, 0, 0)
    size = _median([box[3] - box[1] for _, box in inked]) or 1.0
    cells: list[Cell] = []
    text: list[str] = []
    left = right = None
    for ch, box in chars:
        if ch.isspace() or box[2] <= box[0]:
            text.append(ch)
            continue
        if right is not None and box[0] - right > LAYOUT.cell_gap * size:
            cells.append(Cell("".join(text).strip(), left, right))
            text, left = [], None
        text.append(ch)
        left = box[0] if left is None else left
        right = box[2]
    cells.append(Cell("".join(text).strip(), left, right))
    if len(cells) > 1:  # a row: numbers a space apart are two cells (59624.5 6.22)
        cells = [part for c in cells for part in _split_numbers(c)]
    return Line(number, cells, min(b[0] for _, b in inked), max(b[2] for _, b in inked),
                min(b[1] for _, b in inked), max(b[3] for _, b in inked), _lead(inked), size)


def _split_numbers(cell: Cell) -> list[Cell]:
    parts = _NUMBERS_APART.split(cell.text)
    if len(parts) == 1:
        return [cell]
    width = (cell.right - cell.left) / max(1, len(cell.text))  # the cells' edges, estimated
    out, start = [], 0
    for part in parts:
        at = cell.text.index(part, start)
        out.append(Cell(part, cell.left + at * width, cell.left + (at + len(part)) * width))
        start = at + len(part)
    return out


def _lead(inked: list[tuple[str, tuple[float, float, float, float]]]) -> float:
    """The width of what could not be left at the end of the line before: the first Chinese
    character with the closing marks that may not begin a line (通、), or a Latin word up to the
    first Chinese character or gap (the line before wrapped early because it did not fit)."""
    height = inked[0][1][3] - inked[0][1][1]
    end = 1
    if _WIDE.match(inked[0][0]):
        while end < len(inked) and inked[end][0] in _NO_LINE_START:
            end += 1
    else:
        while end < len(inked) and not _WIDE.match(inked[end][0]) and (
                inked[end][1][0] - inked[end - 1][1][2] < 0.2 * height):
            end += 1
    return inked[end - 1][1][2] - inked[0][1][0]


def merge_table_rows(lines: list[Line]) -> list[Line]:
    """Table rows put back together. PDFium gives a row's cells as lines of their own, and a
    cell that wraps as lines below it: a line on the baseline of a recent row, beside its cells,
    is more cells of that row; a line just below a row, within one of its cells, is the rest of
    that cell's text."""
    out: list[Line] = []
    for ln in lines:
        recent = [r for r in out[-LAYOUT.row_lookback:] if r.page == ln.page]
        beside = next((r for r in reversed(recent) if _same_row(r, ln)), None)
        below = next((r for r in reversed(recent) if r.is_row and _wraps_into(r, ln)), None)
        if beside is not None:
            beside.cells = sorted(beside.cells + ln.cells, key=lambda c: c.left)
            _extend(beside, ln)
        elif below is not None and not ln.is_row:
            cell = next(c for c in below.cells if c.left - ln.size <= ln.left
                        and ln.right <= c.right + LAYOUT.cell_gap * ln.size)
            cell.text += ln.text
            _extend(below, ln)
        else:
            out.append(ln)
    return out


def _extend(row: Line, part: Line) -> None:
    row.left, row.right = min(row.left, part.left), max(row.right, part.right)
    row.bottom, row.top = min(row.bottom, part.bottom), max(row.top, part.top)


def _same_row(a: Line, b: Line) -> bool:
    """`b` is on `a`'s baseline and clear of its cells (to its right, or between two)."""
    overlap = min(a.top, b.top) - max(a.bottom, b.bottom)
    if overlap < 0.5 * min(a.size, b.size):
        return False
    return all(b.right <= c.left or b.left >= c.right for c in a.cells)


def _wraps_into(row: Line, ln: Line) -> bool:
    """`ln` is below the row's first line, at most a line's spacing below its bottom, and
    inside one of its cells."""
    below_first = ln.top < row.top - 0.5 * ln.size
    return below_first and row.bottom - ln.top <= LAYOUT.wrap_gap * ln.size and any(
        c.left - ln.size <= ln.left and ln.right <= c.right + LAYOUT.cell_gap * ln.size
        for c in row.cells)


# --- the whole document ------------------------------------------------------------------------

def running_key(line: Line) -> str:
    """A header or footer repeats with only its numbers changed (page 3, 2025年第2期)."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", line.text))


def _in_margin(line: Line, page: Page) -> bool:
    band = LAYOUT.margin_band * page.height
    return line.bottom >= page.height - band or line.top <= band


def drop_running_lines(pages: list[Page]) -> list[Page]:
    """Pages without their running headers and footers: lines in the top or bottom band of the
    page whose text, numbers aside, recurs on at least half of the pages (two at least), and
    page numbers alone in those bands."""
    keys = Counter(key for p in pages for key in {running_key(ln) for ln in p.lines
                                                  if _in_margin(ln, p)})
    needed = max(2, math.ceil(LAYOUT.running_share * len(pages)))
    running = {k for k, n in keys.items() if n >= needed}
    out = []
    for p in pages:
        kept = [ln for ln in p.lines if not (_in_margin(ln, p) and (
            running_key(ln) in running or _PAGE_NUMBER.match(ln.text)))]
        out.append(Page(kept, p.width, p.height))
    return out


def join_paragraphs(lines: list[Line]) -> str:
    """One paragraph a line: a line as long as the lines around it in its column goes on in
    the next line unless that one is indented; two centred lines of one size are one heading."""
    areas: dict[int, tuple[float, float]] = {}
    for ln in lines:
        left, right = areas.get(ln.page, (ln.left, ln.right))
        areas[ln.page] = (min(left, ln.left), max(right, ln.right))
    ends = [continues(lines, i, areas) for i in range(len(lines) - 1)]
    return join_lines([ln.text for ln in lines], ends)


def _overlaps(a: Line, b: Line) -> bool:
    """Whether `a` and `b` are in one column: they overlap by half the narrower one's width."""
    return (a.page == b.page and min(a.right, b.right) - max(a.left, b.left)
            >= 0.5 * min(a.right - a.left, b.right - b.left))


def _near(lines: list[Line], i: int) -> list[Line]:
    """The lines around line i in reading order (three each side) that are in its column."""
    window = lines[max(0, i - 3):i] + lines[i + 1:i + 4]
    return [ln for ln in window if _overlaps(ln, lines[i])]


def _edge(others: list[Line], slack: float) -> float | None:
    """The right edge of a column: the farthest place where at least two of `others` (all,
    when fewer) end within `slack` of each other; None when they end at scattered places (a
    list, headings). One line reaching past the others (a Latin word, a wide mark) is not it."""
    needed = min(2, len(others))
    for right in sorted((ln.right for ln in others), reverse=True):
        if sum(1 for ln in others if abs(ln.right - right) <= slack) >= needed:
            return right
    return None


def continues(lines: list[Line], i: int, areas: dict[int, tuple[float, float]]) -> bool:
    """Whether line i+1 goes on the paragraph of line i. The lines around line i in its column
    set the column's right edge, those around line i+1 its left edge: a paragraph's lines reach
    the right edge (justified), or stop short of it only by the next line's first word (ragged
    right), and its first line is indented."""
    a, b = lines[i], lines[i + 1]
    if a.is_row or b.is_row:
        return False
    size = min(a.size, b.size)
    if abs(a.size - b.size) > LAYOUT.size_change * size:
        return False
    area_left, area_right = areas[a.page]
    edge = _edge(_near(lines, i), LAYOUT.edge_cluster * size)
    if edge is None and a.left <= area_left + LAYOUT.indent * size:
        edge = area_right  # a line of a page-wide column with no regular neighbours
    if edge is not None and edge - a.left < LAYOUT.min_column * (area_right - area_left):
        edge = None  # items of a list that end together are no column
    following = _near(lines, i + 1)
    left = _median([ln.left for ln in following]) if following else b.left
    # a closing mark may hang past the edge (，at a line's end), a longer line is no part of it
    full = edge is not None and a.right <= edge + LAYOUT.hanging * size and (
        a.right >= edge - LAYOUT.full_line_slack * size or a.right + b.lead > edge)
    indented = b.left > left + LAYOUT.indent * size
    if full and not indented:
        return True
    if a.right >= areas[a.page][1] - LAYOUT.full_line_slack * size and _centred(
            b, *areas[b.page], size):  # a heading that fills its first line and wraps
        return True
    return (_centred(a, *areas[a.page], size) and _centred(b, *areas[b.page], size)
            and a.right - a.left >= LAYOUT.long_heading * (areas[a.page][1] - areas[a.page][0]))


def _centred(line: Line, left: float, right: float, size: float) -> bool:
    before, after = line.left - left, right - line.right
    return before > size and after > size and abs(before - after) < LAYOUT.centre_slack * size


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else 0.0


def _ranges(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers[:10]) + (" …" if len(numbers) > 10 else "")
