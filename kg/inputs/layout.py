"""What every reader returns, and the joining of lines into paragraphs that PDF and HTML share."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_WIDE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef\u2014\u2018-\u201d]")


@dataclass(frozen=True, slots=True)
class ReadText:
    """The text a reader extracted (offsets of the evidence point into it), the reader's name
    and version, and what it could not read."""

    text: str
    reader: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PdfLayout:
    """The thresholds of the PDF layout rules (kg/inputs/pdf.py), in character heights unless
    said otherwise; measured on LibreOffice's and Chromium's PDFs (docs/inputs.md)."""

    cell_gap: float = 1.0  # a gap wider than this inside a line separates two table cells
    full_line_slack: float = 0.5  # a line ending this close to its column's right edge is full
    edge_cluster: float = 1.0  # two lines ending this close to each other mark a column's edge
    min_column: float = 0.4  # share of the page's text width: a narrower "column" is a list
    hanging: float = 1.5  # a mark hanging past the column's edge reaches this far past it
    indent: float = 0.8  # a line starting further right than this is a paragraph's first
    size_change: float = 0.1  # lines whose heights differ by more are not one paragraph
    centre_slack: float = 1.5  # a centred line's two margins differ by less than this
    long_heading: float = 0.6  # a centred line this wide (share of the column) may wrap
    row_lookback: int = 4  # a table cell's wrapped or late lines follow its row within 4 lines
    wrap_gap: float = 1.5  # a cell's next line starts at most this far below the row's bottom
    margin_band: float = 0.1  # share of the page height at the top and bottom for headers
    running_share: float = 0.5  # a header or footer recurs on this share of pages (2 at least)


PDF_LAYOUT = PdfLayout()


def joiner(before: str, after: str) -> str:
    """What goes between two lines of one paragraph: nothing beside a Chinese character or
    full-width mark (Chinese has no spaces between words), a space between two Latin words."""
    if not before or not after or _WIDE.match(before[-1]) or _WIDE.match(after[0]):
        return ""
    return "" if before.endswith("-") else " "


def join_lines(lines: Sequence[str], continues: Sequence[bool]) -> str:
    """`lines` as text: line i and i+1 joined into one paragraph where `continues[i]`, else
    separated by a line break."""
    parts: list[str] = []
    for i, line in enumerate(lines):
        if i:
            parts.append(joiner(lines[i - 1], line) if continues[i - 1] else "\n")
        parts.append(line)
    return "".join(parts) + ("\n" if lines else "")
