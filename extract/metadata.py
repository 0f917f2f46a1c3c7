"""Document metadata as the text states it: title, authors, date (pure, heuristic)."""

from __future__ import annotations

import re

from .records import DocumentMeta

# The front matter: the non-blank lines read for a title, the authors' line and a date. Twelve
# reach past a journal's header, a two-line title and an author list to the abstract.
HEADER_LINES = 12
# A title is 4 to 80 characters: a shorter line is a label (摘要), a longer one a paragraph.
TITLE_LENGTH = range(4, 81)
# The first page, where a paper prints its authors' notes (张三，男，…) and its article number;
# further on, the same patterns are other works' authors and years in citations.
FIRST_PAGE = 5000
_BRACKETED = re.compile(r"^[【\[].*[】\]]$")
_AUTHOR_BIO = re.compile(r"(?:^|[\n。:：])\s*([\u4e00-\u9fff]{2,4})[,，](?:男|女)[,，]")
_NAME_LIST = re.compile(r"^[\u4e00-\u9fff]{2,4}(?:[，,、 ][\u4e00-\u9fff]{2,4}){1,9}$")
_FULL_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_ARTICLE_YEAR = re.compile(r"文章编号[:：]?\s*\S*?\((\d{4})\)")
_CITATION_YEAR = re.compile(r"[,，]\s*((?:19|20)\d{2})\s*[,，]\s*\d+\s*\(\d+\)")
_SUPERSCRIPTS = re.compile(r"[\d¹²³⁴⁵⁶⁷⁸⁹⁰,*]+$")


def _header(text: str) -> list[str]:
    lines = [ln.strip().lstrip("#").strip() for ln in text.splitlines()]
    return [ln for ln in lines if ln][:HEADER_LINES]


def _title(lines: list[str]) -> str | None:
    for ln in lines:
        if _BRACKETED.match(ln) or len(ln) not in TITLE_LENGTH:
            continue
        return ln
    return None


def _authors(text: str, lines: list[str], title: str | None) -> tuple[str, ...]:
    bios = _AUTHOR_BIO.findall(text[:FIRST_PAGE])
    if bios:
        return tuple(dict.fromkeys(bios))
    if title and title in lines:
        after = lines[lines.index(title) + 1:lines.index(title) + 2]
        if after:
            head = re.split(r"[（(]", after[0])[0]
            names = [_SUPERSCRIPTS.sub("", n) for n in re.split(r"[，,、]\s*", head)]
            candidate = "，".join(n for n in names if n)
            if _NAME_LIST.match(candidate):
                return tuple(n for n in names if n)
    return ()


def _date(lines: list[str], text: str) -> str | None:
    for ln in lines:
        m = _FULL_DATE.search(ln)
        if m:
            y, mo, d = m.groups()
            return f"{y}-{int(mo):02d}-{int(d):02d}"
    head = text[:FIRST_PAGE]
    for pattern in (_ARTICLE_YEAR, _CITATION_YEAR):
        m = pattern.search(head)
        if m:
            return m.group(1)
    return None


def document_meta(text: str) -> DocumentMeta:
    lines = _header(text)
    title = _title(lines)
    return DocumentMeta(title, _authors(text, lines, title), _date(lines, text))
