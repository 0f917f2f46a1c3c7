"""The main text of a web page (.html, .htm): trafilatura finds the article among the
navigation, sidebars, share buttons, previous/next links and footer (precision favoured: a
sidebar's place names would otherwise become mentions) and gives one paragraph a line, tables
one row a line. A page where it finds no main text is read whole, with a warning.

The page's bytes are decoded first: a byte order mark, else the charset its <meta> declares,
else as a text file is (kg/inputs/encoding.py)."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import trafilatura
from lxml import html as lxml_html

from kg.errors import EncodingRefused, InputError
from kg.inputs.encoding import decode_chinese
from kg.inputs.layout import ReadText

READER = f"html/trafilatura-{trafilatura.__version__}+precision-1"
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
# GB2312 and GBK pages often hold characters only GB18030 has; it is their superset.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs"}
HEAD = 4096  # a <meta charset> must be in the first 1024 bytes (HTML standard); some are later


def read_html(path: Path, data: bytes) -> ReadText:
    page, warnings = decode_page(path, data)
    text = trafilatura.extract(page, include_tables=True, include_comments=False,
                               include_links=False, include_images=False, favor_precision=True,
                               deduplicate=False)
    if not text or not text.strip():
        warnings.append(f"{path}: no main text was found in the page; the whole page is read")
        text = whole_page(page)
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return ReadText("\n".join(lines) + "\n" if lines else "", READER, tuple(warnings))


def decode_page(path: Path, data: bytes) -> tuple[str, list[str]]:
    """The page as text: by its BOM, its declared charset, or how Chinese it reads."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace"), []
    declared = _META_CHARSET.search(data[:HEAD])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        try:
            codec = codecs.lookup(_SUPERSETS.get(name, name)).name
        except LookupError:
            raise InputError(f"{path}: the page declares an unknown charset {name!r}") from None
        try:
            return data.decode(codec), []
        except UnicodeDecodeError as e:
            return data.decode(codec, errors="replace"), [
                f"{path}: bytes at {e.start} are not {name} as the page declares; "
                "replaced with U+FFFD"]
    try:
        decoded = decode_chinese(data)
    except EncodingRefused as e:
        raise InputError(f"{path}: {e}") from None
    return decoded.text, []


def whole_page(page: str) -> str:
    """Every block of the body's text, scripts and styles left out."""
    tree = lxml_html.document_fromstring(page)
    for node in tree.xpath("//script|//style|//noscript"):
        node.drop_tree()
    blocks = tree.xpath("//body//*[self::p or self::div or self::li or self::td or self::h1 "
                        "or self::h2 or self::h3 or self::h4 or self::tr]")
    texts = [" ".join(b.text_content().split()) for b in blocks if not b.xpath(
        ".//p|.//div|.//li|.//tr")]
    return "\n".join(t for t in texts if t)
