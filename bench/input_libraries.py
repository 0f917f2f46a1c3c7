"""Compares the libraries that could read .pdf, .docx and .html for `kg build`, on the fixtures of
tests/data/inputs/ (made by tools/make_input_fixtures.py with LibreOffice and Chromium).

    python bench/input_libraries.py [--repeat 5]

For each library, its raw text is scored against what went into the file (fixtures.json):
- order: the share of the source paragraphs found whole and in order in the text (whitespace
  ignored, look-alike characters folded), the two-column page included;
- full-width: the share of the full-width marks (，。：；（）“”) of the paragraphs that come out
  full-width;
- breaks: line breaks inside paragraphs (0 is what a reader of sentences wants);
- spaces: spaces put between two Chinese characters, or between a Chinese character and a digit,
  where the source has none;
- boilerplate: header and footer lines of the PDF pages, or navigation strings of the CMS page,
  still in the text;
- look-alikes: Kangxi radicals in the text (the source had two);
- speed: characters of text out per second (best of --repeat), and as a multiple of reading
  the same text from a .txt file in the same run.
The candidates are only needed to run this script (they are not dependencies of the project):
pip install pypdfium2 pdfminer.six pypdf pdfplumber python-docx docx2python trafilatura
readability-lxml justext selectolax.
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import re
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "inputs"
sys.path.insert(0, str(ROOT))

FULL_WIDTH = "，。：；（）“”"
KANGXI = re.compile("[\u2f00-\u2fdf\u2e80-\u2eff]")
CJK = r"\u4e00-\u9fff"


# --- candidates --------------------------------------------------------------------------------

def pdf_pypdfium2(path: Path) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


def pdf_pdfminer(path: Path) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(path)


def pdf_pypdf(path: Path) -> str:
    import pypdf

    return "\n".join(p.extract_text() for p in pypdf.PdfReader(path).pages)


def pdf_pdfplumber(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return "\n".join(p.extract_text() for p in pdf.pages)


def pdf_ours(path: Path) -> str:
    from kg.inputs.pdf import read_pdf

    return read_pdf(path, path.read_bytes()).text


def docx_python_docx(path: Path) -> str:
    import docx

    d = docx.Document(str(path))
    cells = ["\t".join(c.text for c in row.cells) for t in d.tables for row in t.rows]
    return "\n".join([p.text for p in d.paragraphs] + cells)


def docx_docx2python(path: Path) -> str:
    from docx2python import docx2python

    with docx2python(path) as d:
        return d.text


def docx_ours(path: Path) -> str:
    from kg.inputs.docx import read_docx

    return read_docx(path, path.read_bytes()).text


def html_trafilatura(path: Path) -> str:
    import trafilatura

    return trafilatura.extract(path.read_bytes(), include_tables=True) or ""


def html_readability(path: Path) -> str:
    from lxml import html
    from readability import Document

    summary = Document(path.read_bytes()).summary()
    return html.fromstring(summary).text_content()


def html_justext(path: Path) -> str:
    import justext

    paragraphs = justext.justext(path.read_bytes(), frozenset(), stopwords_low=0,
                                 stopwords_high=0, length_low=10, length_high=30)
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def html_selectolax_body(path: Path) -> str:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(path.read_bytes())
    for node in tree.css("script, style"):
        node.decompose()
    return tree.body.text(separator="\n") if tree.body else ""


def html_ours(path: Path) -> str:
    from kg.inputs.html import read_html

    return read_html(path, path.read_bytes()).text


CANDIDATES: dict[str, list[tuple[str, Callable[[Path], str]]]] = {
    "report.pdf": [("pypdfium2", pdf_pypdfium2), ("pdfminer.six", pdf_pdfminer),
                   ("pypdf", pdf_pypdf), ("pdfplumber", pdf_pdfplumber),
                   ("kg (pypdfium2 + layout)", pdf_ours)],
    "cms-page.pdf": [("pypdfium2", pdf_pypdfium2), ("pdfminer.six", pdf_pdfminer),
                     ("pypdf", pdf_pypdf), ("pdfplumber", pdf_pdfplumber),
                     ("kg (pypdfium2 + layout)", pdf_ours)],
    "report.docx": [("python-docx", docx_python_docx), ("docx2python", docx_docx2python),
                    ("kg (python-docx, body order)", docx_ours)],
    "cms-page.html": [("trafilatura", html_trafilatura), ("readability-lxml", html_readability),
                      ("justext", html_justext), ("selectolax, whole body", html_selectolax_body),
                      ("kg (trafilatura + fallback)", html_ours)],
}


# --- scores ------------------------------------------------------------------------------------

def fold(text: str) -> str:
    from extract.normalize import fold_lookalikes

    return re.sub(r"\s+", "", fold_lookalikes(text))


def source_paragraphs(fixtures: dict, name: str) -> list[str]:
    if name.startswith("cms"):
        return [fixtures["cms"]["title"], *fixtures["cms"]["paragraphs"]]
    r = fixtures["report"]
    return [r["title"], r["abstract"], *r["intro"], r["heading_2"], *r["two_columns"],
            r["table_text"], r["caption"], r["source_note"], r["outline_heading"],
            *(number + text for _, number, text in r["outline"])]


def source_texts(fixtures: dict, name: str) -> list[str]:
    """Everything that went into the file: the paragraphs and the table's cells."""
    cells = [] if name.startswith("cms") else [c for row in fixtures["report"]["table"]
                                                for c in row]
    return source_paragraphs(fixtures, name) + cells


def in_order(paragraphs: list[str], text: str) -> float:
    flat, pos, found = fold(text), 0, 0
    for p in paragraphs:
        at = flat.find(fold(p), pos)
        if at >= 0:
            found += 1
            pos = at + len(fold(p))
    return found / len(paragraphs)


def full_width_kept(paragraphs: list[str], text: str) -> float:
    wanted = sum(p.count(c) for p in paragraphs for c in FULL_WIDTH)
    return min(1.0, sum(text.count(c) for c in FULL_WIDTH) / wanted)


def breaks_inside(paragraphs: list[str], text: str) -> int:
    """Line breaks that fall inside one of the paragraphs: the six characters before the break
    and the six after it stand together in a paragraph."""
    lines = [fold(ln) for ln in text.splitlines() if ln.strip()]
    flat = [fold(p) for p in paragraphs]
    return sum(1 for a, b in itertools.pairwise(lines)
               if any(a[-6:] + b[:6] in p for p in flat))


def extra_spaces(paragraphs: list[str], text: str) -> int:
    pattern = re.compile(rf"(?<=[{CJK}])[ \t]+(?=[{CJK}\d])|(?<=\d)[ \t]+(?=[{CJK}])")
    return max(0, len(pattern.findall(text)) - sum(len(pattern.findall(p)) for p in paragraphs))


def boilerplate_left(fixtures: dict, name: str, text: str) -> int:
    if name.startswith("cms-page.html"):
        return sum(1 for b in fixtures["boilerplate"] if fold(b) in fold(text))
    if name.endswith(".pdf") and name.startswith("report"):
        header = fold(fixtures["header"])
        footer = re.compile(r"^\s*—\s*\d+\s*—\s*$", re.M)
        return fold(text).count(header) + len(footer.findall(text))
    return 0


def best_time(read: Callable[[Path], str], path: Path, repeat: int) -> tuple[str, float]:
    best = float("inf")
    text = ""
    for _ in range(repeat):
        started = time.perf_counter()
        text = read(path)
        best = min(best, time.perf_counter() - started)
    return text, best


def txt_baseline(text: str, repeat: int, tmp: Path) -> float:
    """Characters per second of `kg`'s own .txt reading (decoding included) of the same text."""
    from kg.inputs.files import decode

    tmp.write_text(text, encoding="utf-8")
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        decode(tmp, tmp.read_bytes())
        best = min(best, time.perf_counter() - started)
    return len(text) / best


def main() -> None:
    logging.disable(logging.WARNING)  # pdfminer's complaints about each font
    warnings.simplefilter("ignore")  # docx2python's about numbering formats it lacks
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    fixtures = json.loads((DATA / "fixtures.json").read_text(encoding="utf-8"))
    import tempfile

    print("| file | library | order | full-width | breaks | spaces | boilerplate | look-alikes "
          "| k chars/s | × .txt |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name, candidates in CANDIDATES.items():
            paragraphs = source_paragraphs(fixtures, name)
            for label, read in candidates:
                try:
                    text, seconds = best_time(read, DATA / name, args.repeat)
                except ImportError as e:
                    print(f"| {name} | {label} | not installed ({e.name}) |||||||")
                    continue
                speed = len(text) / seconds
                ratio = speed / txt_baseline(text or "空", args.repeat, Path(tmp) / "same.txt")
                print(f"| {name} | {label} | {in_order(paragraphs, text):.2f} "
                      f"| {full_width_kept(paragraphs, text):.2f} "
                      f"| {breaks_inside(paragraphs, text)} "
                      f"| {extra_spaces(source_texts(fixtures, name), text)} "
                      f"| {boilerplate_left(fixtures, name, text)} "
                      f"| {len(KANGXI.findall(text))} | {speed / 1000:.0f} | {ratio:.4f} |")


if __name__ == "__main__":
    main()
