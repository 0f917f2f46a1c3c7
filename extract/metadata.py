"""Document metadata as the text states it (pure, heuristic): title, authors, date and year,
document type, issuing body, the place it is of, five-year plan periods, 文号 and script. The
rule data is in patterns/ (document_types.tsv, plan_periods.tsv, script_chars.tsv)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .gazetteer import Gazetteer, read_tsv
from .gazetteer import default as default_gazetteer
from .normalize import fold_lookalikes
from .records import DocumentMeta

PATTERNS = Path(__file__).resolve().parent / "patterns"

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


@dataclass(frozen=True, slots=True)
class DocumentType:
    key: str
    label_zh: str
    label_en: str
    key_template: str
    national_key_template: str
    title: re.Pattern[str] | None
    text: re.Pattern[str] | None


@dataclass(frozen=True, slots=True)
class PlanPeriod:
    name: str  # 十四五
    start: int
    end: int
    label_en: str


@lru_cache(maxsize=1)
def document_types() -> tuple[DocumentType, ...]:
    return tuple(DocumentType(key, zh, en, template, national,
                              re.compile(title) if title else None,
                              re.compile(text) if text else None)
                 for key, zh, en, template, national, title, text
                 in read_tsv(PATTERNS / "document_types.tsv"))


@lru_cache(maxsize=1)
def plan_periods() -> tuple[PlanPeriod, ...]:
    return tuple(PlanPeriod(name, int(start), int(end), en)
                 for name, start, end, en in read_tsv(PATTERNS / "plan_periods.tsv"))


@lru_cache(maxsize=1)
def _script_chars() -> dict[str, frozenset[str]]:
    return {script: frozenset(chars) for script, chars in read_tsv(PATTERNS / "script_chars.tsv")}


# The front matter where a document names its genre, 文号 and issuer: its first lines.
FRONT = 2000
# A work report says whom it speaks for after its greeting ("现在，我代表省人民政府，向大会报告…"):
# within the first 200 characters in the 69 of the 78 dev reports that say it; 4,000 leaves
# room for a long preface without reaching the body, where 我代表 may mean something else.
SPEECH_FRONT = 4000
# 国发〔2024〕12号, 川府发[2023]5号: an issuer's abbreviation, the year in brackets, a number.
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}\s*[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]"
                         r"\s*第?\s*\d{1,4}\s*号")
# "我代表省人民政府，向大会报告政府工作": the body a government work report speaks for.
_SPEAKS_FOR = re.compile(r"我代表([\u4e00-\u9fff]{2,20}?)[，,、]?\s*(?:向|作)")
# A report of the whole country names the State Council in its title.
_TITLE_ORGAN = re.compile(r"国务院|中央人民政府")
# "国务院关于印发…的通知": the issuer before 关于, when it names an organ.
_TITLE_ISSUER = re.compile(r"^([\u4e00-\u9fff、]{2,40}?(?:国务院|人民政府|政府|委员会|办公厅|办公室"
                           r"|部|局|署|厅|院|中心))关于")
_NATIONAL = re.compile(r"国务院|中央人民政府|中华人民共和国|全国人民代表大会")
_TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_PLACE_CLASSES = ("Province", "City")  # municipalities are provinces in the gazetteer
# What may follow a title's genre word: a period （2021—2035年）, a qualifier （摘要）, （草案）.
TITLE_TAIL = re.compile(r"\s*[（(][^（()）]{1,16}[）)]\s*$")


def document_type(title: str | None, text: str) -> DocumentType:
    """The first type whose title pattern matches the title (a trailing period such as
    （2021—2035年） aside) or whose text pattern matches the front matter."""
    head = TITLE_TAIL.sub("", (title or "").strip())
    front = text[:FRONT]
    for t in document_types():
        if (t.title and head and t.title.search(head)) or (t.text and t.text.search(front)):
            return t
    return document_types()[-1]


def place_in(title: str, gaz: Gazetteer) -> str | None:
    """The first province or city the title names (the longest name at the first place)."""
    for start in range(len(title)):
        for end in range(min(len(title), start + 12), start + 1, -1):
            refs = [r for r in gaz.surfaces.get(title[start:end], [])
                    if gaz.entries[r].cls in _PLACE_CLASSES]
            if refs:
                return refs[0]
    return None


def issuer_of(title: str | None, text: str, place: str | None, gaz: Gazetteer) -> str | None:
    """The issuing body: the organ a title's "X关于…" names, or the one a report speaks for
    ("我代表省人民政府" of 安徽 → 安徽省人民政府)."""
    m = _TITLE_ISSUER.match(title or "")
    if m:
        return m.group(1)
    m = _SPEAKS_FOR.search(text[:SPEECH_FRONT])
    if not m:
        organ = _TITLE_ORGAN.search(title or "")
        return organ.group(0) if organ else None
    body = m.group(1)
    if body.startswith(("省", "市", "自治区", "区", "州", "县")) and place:
        return gaz.entries[place].label_zh + body.lstrip("省市自治区州县")
    return body


def year_of(date: str | None, title: str | None) -> int | None:
    if date:
        return int(date[:4])
    m = _TITLE_YEAR.search(title or "")
    return int(m.group(1)) if m else None


def periods_named(text: str) -> tuple[str, ...]:
    """The five-year plans `text` names: quoted (“十四五”), before 规划/计划/时期/期间, or in
    full (第十四个五年规划); in the order of the plans."""
    found = []
    for p in plan_periods():
        ordinal = p.name[:-1]
        pattern = (rf"[“\"「『]{p.name}[”\"」』]|(?<![一二三四五六七八九十]){p.name}"
                   rf"(?=规划|计划|时期|期间|纲要)|第{ordinal}个五年(?:规划|计划)")
        if re.search(pattern, text):
            found.append(p.name)
    return tuple(found)


def plan_periods_of(title: str | None, year: int | None, doc_type: str) -> tuple[str, ...]:
    """The plans the title names; else, for a government document (not a research article,
    whose year says when it was published, not what it is about), the plan in force in the
    document's year."""
    named = periods_named(title or "")
    if named or year is None or doc_type == "research-article":
        return named
    return tuple(p.name for p in plan_periods() if p.start <= year <= p.end)


def language_of(text: str) -> str:
    """zh-Hant when more of the text's characters are traditional-only than simplified-only."""
    chars = _script_chars()
    simplified = sum(1 for ch in text if ch in chars["zh-Hans"])
    traditional = sum(1 for ch in text if ch in chars["zh-Hant"])
    return "zh-Hant" if traditional > simplified else "zh-Hans"


def doc_number_of(text: str) -> str | None:
    m = _DOC_NUMBER.search(text[:FRONT])
    return re.sub(r"\s+", "", m.group(0)) if m else None


def document_meta(text: str, gaz: Gazetteer | None = None) -> DocumentMeta:
    """What the text says about itself. The title is kept as the text writes it (other steps
    find it in the text); its genre, place, issuer and periods are read from it with look-alike
    characters folded (a PDF's 政府⼯作报告 is a government work report)."""
    gaz = gaz or default_gazetteer()
    lines = _header(text)
    title = _title(lines)
    read = fold_lookalikes(title) if title else None
    date = _date(lines, text)
    doc_type = document_type(read, text)
    national = bool(_NATIONAL.search(read or "")) or (
        doc_type.key == "government-work-report" and "全国人民代表大会" in text[:FRONT])
    place = None if national else place_in(read or "", gaz)
    issuer = issuer_of(read, text, place, gaz)
    national = national or bool(issuer and _NATIONAL.match(issuer))
    year = year_of(date, read)
    return DocumentMeta(title, _authors(text, lines, title), date, doc_type.key, issuer,
                        None if national else place, national, year,
                        plan_periods_of(read, year, doc_type.key), doc_number_of(text),
                        language_of(text))
