"""CSV and TSV for people who open them in a spreadsheet.

A cell that starts with = + - @ (or a tab or carriage return) is run as a formula by Excel,
LibreOffice and Google Sheets, so a sentence of an untrusted text such as `=HYPERLINK(…)` would
become a live link or worse (CSV injection). Following OWASP's advice, such a cell is written
with a leading apostrophe, which spreadsheets show as text and do not evaluate. A number such as
-0.28 is left alone: it is a value, not a formula. JSON, JSON lines and the SPARQL endpoint stay
verbatim, for programs (docs/exports.md).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?")


def neutralise(value: object) -> object:
    """`value`, or the text `'value` where a spreadsheet would evaluate it."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_text(columns: Iterable[str], rows: Iterable[Iterable[object]],
             line_end: str = "\n") -> str:
    """CSV of rows whose cells are already plain values; None is ""."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=line_end)
    writer.writerow([neutralise(c) for c in columns])
    writer.writerows([["" if v is None else neutralise(v) for v in row] for row in rows])
    return out.getvalue()
