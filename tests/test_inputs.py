"""Reading .pdf, .docx and .html (kg/inputs/): on real files made by LibreOffice Writer (a word
processor and its PDF export) and Chromium (a CMS page printed to PDF), committed under
tests/data/inputs/ with the script that made them (tools/make_input_fixtures.py). What went into
each file is in fixtures.json; every expectation below is read from it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from extract.normalize import fold_lookalikes, normalise
from kg.errors import InputError
from kg.inputs.docx import read_docx
from kg.inputs.files import read_source
from kg.inputs.html import read_html
from kg.inputs.layout import join_lines
from kg.inputs.numbering import chinese_counting
from kg.inputs.pdf import read_pdf

DATA = Path(__file__).parent / "data" / "inputs"
FIXTURES = json.loads((DATA / "fixtures.json").read_text(encoding="utf-8"))
REPORT = FIXTURES["report"]
KANGXI = re.compile("[\u2e80-\u2fdf]")


def flat(text: str) -> str:
    return re.sub(r"\s+", "", fold_lookalikes(text))


def read(reader, name: str):
    path = DATA / name
    return reader(path, path.read_bytes())


def report_paragraphs() -> list[str]:
    """The report's paragraphs in order, numbered items with the numbers Word draws."""
    return [REPORT["title"], REPORT["abstract"], *REPORT["intro"], REPORT["heading_2"],
            *REPORT["two_columns"], REPORT["table_text"], REPORT["caption"],
            REPORT["source_note"], REPORT["outline_heading"],
            *(number + text for _, number, text in REPORT["outline"])]


def table_rows() -> list[str]:
    """The table's data rows (those starting with a region) as a reader writes them."""
    return ["\t".join(c for c in row if c) for row in REPORT["table"] if row[0].endswith("地区")]


def assert_paragraphs_are_lines(text: str, paragraphs: list[str]) -> None:
    """Each paragraph is one line of `text` (its line breaks joined, nothing else joined to
    it), and the lines come in the paragraphs' order."""
    lines = [flat(ln) for ln in text.splitlines()]
    positions = []
    for p in paragraphs:
        assert flat(p) in lines, f"not one line: {p[:30]}…"
        positions.append(lines.index(flat(p)))
    assert positions == sorted(positions)


# --- PDF ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def report_pdf():
    return read(read_pdf, "report.pdf")


def test_pdf_paragraphs_come_whole_and_in_order_across_two_columns(report_pdf):
    assert report_pdf.reader.startswith("pdf/pypdfium2-")
    assert_paragraphs_are_lines(report_pdf.text, report_paragraphs())


def test_pdf_running_header_and_page_numbers_are_dropped(report_pdf):
    assert flat(FIXTURES["header"]) not in flat(report_pdf.text)
    assert not re.search(r"^\s*—\s*\d+\s*—\s*$", report_pdf.text, re.M)


def test_pdf_table_rows_keep_their_cells_with_wrapped_numbers_rejoined(report_pdf):
    lines = report_pdf.text.splitlines()
    for row in table_rows():
        assert row in lines


def test_pdf_keeps_full_width_punctuation_and_spaces_only_where_typed(report_pdf):
    text = report_pdf.text
    for mark in "，。：；（）“”":
        assert text.count(mark) >= sum(p.count(mark) for p in report_paragraphs()), mark
    # PDFium infers a space where Writer widened the gap between Chinese and Latin text
    assert "2023年" in text and "2023 年" not in text


def test_pdf_lookalike_characters_are_folded_without_moving_offsets(report_pdf):
    raw = report_pdf.text
    assert KANGXI.search(raw), "the PDF's text layer has ⼯ and ⼆ for 工 and 二"
    folded = normalise(raw)
    assert not KANGXI.search(folded.text)
    for m in KANGXI.finditer(raw):
        assert folded.offsets.to_original(m.start()) >= m.start()
        assert fold_lookalikes(raw[m.start()]) in "工二"
    assert len(fold_lookalikes(raw)) == len(raw)


def test_a_name_written_with_a_lookalike_is_found_where_it_stands(extractor):
    # ⻄ (U+2EC4, a CJK radical) is what a PDF font's text layer may give for 西
    text = "推动⻄部地区和东北地区协调发展。\n"
    first = extractor.extract("x", text).mentions[0]
    assert (first.start, first.end, first.text, first.ref) == (2, 6, "⻄部地区",
                                                                 "macro-region/west")


def test_a_printed_web_page_reads_in_order_with_its_paragraphs_whole():
    text = read(read_pdf, "cms-page.pdf").text
    assert_paragraphs_are_lines(text, [FIXTURES["cms"]["title"], *FIXTURES["cms"]["paragraphs"]])
    # Chromium's font maps 工 to a Kangxi radical in other readers' hands; PDFium's does not
    assert not KANGXI.search(text)


def test_a_scanned_pdf_without_a_text_layer_is_refused():
    with pytest.raises(InputError, match=r"no text layer.*OCR"):
        read(read_pdf, "scanned.pdf")


def test_a_file_named_pdf_that_is_not_one_is_refused(tmp_path):
    fake = tmp_path / "fake.pdf"
    fake.write_text("推动广西发展。", encoding="utf-8")
    with pytest.raises(InputError, match="not a readable PDF"):
        read_source(fake, "fake")


# --- DOCX --------------------------------------------------------------------------------------

def test_docx_body_in_order_with_words_numbering_and_table_rows():
    result = read(read_docx, "report.docx")
    assert result.reader.startswith("docx/python-docx-")
    assert_paragraphs_are_lines(result.text, report_paragraphs())
    lines = result.text.splitlines()
    for row in table_rows():
        assert row in [ln.replace("\t\t", "\t").strip("\t") for ln in lines]


def test_docx_header_and_footer_are_not_body_text():
    text = read(read_docx, "report.docx").text
    assert flat(FIXTURES["header"]) not in flat(text)


def test_chinese_counting_as_word_writes_it():
    assert [chinese_counting(n) for n in (1, 9, 10, 11, 20, 21, 99)] == [
        "一", "九", "十", "十一", "二十", "二十一", "九十九"]


def test_a_file_named_docx_that_is_not_one_is_refused(tmp_path):
    fake = tmp_path / "fake.docx"
    fake.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError, match="not a readable Word document"):
        read_source(fake, "fake")


def test_an_old_binary_word_file_is_refused_with_a_hint(tmp_path):
    old = tmp_path / "old.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(InputError, match=r"save it as \.docx"):
        read_source(old, "old")


# --- HTML --------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["cms-page.html", "cms-page-gbk.htm"])
def test_html_main_text_without_navigation_sidebar_or_footer(name):
    result = read(read_html, name)
    lines = [ln for ln in result.text.splitlines() if ln.strip()]
    assert [flat(ln) for ln in lines] == [flat(p) for p in (FIXTURES["cms"]["title"],
                                                            *FIXTURES["cms"]["paragraphs"])]
    for boilerplate in FIXTURES["boilerplate"]:
        assert flat(boilerplate) not in flat(result.text), boilerplate
    assert result.warnings == ()


def test_a_page_with_no_article_is_read_whole_with_a_warning(tmp_path):
    page = tmp_path / "list.html"
    page.write_text("<html><body><ul><li>广西</li><li>云南</li></ul></body></html>",
                    encoding="utf-8")
    result = read_source(page, "list")
    assert result.text.split() == ["广西", "云南"]
    assert "no main text" in result.warnings[0]


# --- shared ------------------------------------------------------------------------------------

def test_join_lines_puts_a_space_only_between_latin_words():
    text = join_lines(["中国区域", "协调发展，Chen et", "al. (2017)认为", "下一段"],
                      [True, True, False])
    assert text == "中国区域协调发展，Chen et al. (2017)认为\n下一段\n"


def test_every_source_records_its_reader_media_type_and_file_hash():
    import hashlib

    for name, media in (("report.pdf", "application/pdf"), ("cms-page.html", "text/html")):
        source = read_source(DATA / name, "k")
        assert source.media_type == media and source.extracted
        assert source.source_sha256 == hashlib.sha256((DATA / name).read_bytes()).hexdigest()
