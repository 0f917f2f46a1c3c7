"""The text of a Word document (.docx): python-docx reads the body in order, paragraph by
paragraph and table by table (one row a line, cells separated by tabs); the numbers Word draws
before numbered paragraphs (一、 （一） 1.) are written out as Word shows them
(kg/inputs/numbering.py). Headers, footers, footnotes and comments are not the body and are
left out.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import docx
from docx.document import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from kg.errors import InputError
from kg.inputs.layout import ReadText, joiner
from kg.inputs.numbering import Numbering

READER = f"docx/python-docx-{docx.__version__}+numbering-1"


def read_docx(path, data: bytes) -> ReadText:
    """The text of `data`, a .docx file; InputError when it is not one."""
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise InputError(f"{path}: not a readable Word document (.docx): {e}") from None
    numbering = Numbering.of(document)
    lines = [line for line in body_lines(document, numbering) if line.strip()]
    return ReadText("\n".join(lines) + "\n" if lines else "", READER)


def body_lines(document: Document, numbering: Numbering) -> Iterator[str]:
    """The body's paragraphs and table rows in document order."""
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            p = Paragraph(child, document)
            yield numbering.label(p) + one_line(p.text)
        elif child.tag == qn("w:tbl"):
            yield from table_rows(Table(child, document))
        elif child.tag == qn("w:sdt"):  # a content control: its paragraphs are body text too
            for p in child.iter(qn("w:p")):
                yield one_line(Paragraph(p, document).text)


def table_rows(table: Table) -> Iterator[str]:
    """One line a row; a cell merged across columns is written once."""
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(one_line(cell.text))
        yield "\t".join(cells)


def one_line(text: str) -> str:
    """A paragraph's manual line breaks (and a cell's paragraphs) joined as a reader reads
    them: nothing between Chinese characters, a space between Latin words."""
    parts = [p.strip() for p in text.split("\n") if p.strip()]
    out = parts[:1]
    for part in parts[1:]:
        out.append(joiner(out[-1], part) + part)
    return "".join(out)
