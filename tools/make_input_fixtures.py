"""Writes the input fixtures of tests/data/inputs/: real files made the way such files are made.

    python tools/make_input_fixtures.py

Needs LibreOffice (`apt-get install libreoffice-writer-nogui`), Chromium, poppler-utils and the
Noto CJK fonts (`fonts-noto-cjk`); the tests need none of them: they read the committed files.

From paragraphs of the article in corpus/ (re-punctuated with the full-width marks a word
processor's user types, and the PDF's stray spaces inside sentences removed) it writes:

- `report.fodt`, a flat OpenDocument text written here: a header and a footer with the page
  number on every page, a title, an abstract, one-column paragraphs, a two-column section that
  fills a page, a table with a caption, and two look-alike characters of the kind Chinese PDF
  fonts produce (⼯ U+2F2F for 工, ⼆ U+2F06 for 二);
- `report.docx` and `report.pdf`: LibreOffice Writer, headless, saving as Word and exporting to
  PDF (a word processor and its PDF printer);
- `cms-page.html`: an article page of a government CMS (navigation, breadcrumbs, an information
  bar, a sidebar of links, a footer with the site's registration) around four paragraphs, in
  UTF-8; `cms-page-gbk.htm`: the same page in GBK, declared by its meta tag;
- `cms-page.pdf`: that page printed to PDF by Chromium (a browser's "Save as PDF");
- `scanned.pdf`: the first page of report.pdf as a 150-dpi image only, as a scanner writes it
  (no text layer);
- `fixtures.json`: what went in: the paragraphs of each file in order, the header, footer and
  boilerplate strings, the table's rows. The tests compare the readers' text with it.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "corpus" / "lu-li-2025-regional-coordination.zh.txt"
OUT = ROOT / "tests" / "data" / "inputs"
FONT = "Noto Sans CJK SC"
HEADER = "宏观经济管理 2025年第2期"
FOOTER_PREFIX = "— "
FOOTER_SUFFIX = " —"
LOOKALIKES = {"工": "⼯", "二": "⼆"}  # Kangxi radicals U+2F2F, U+2F06

_CJK = r"\u4e00-\u9fff"
_FULL_WIDTH = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "?": "？",
                             "!": "！"})


def article_lines() -> list[str]:
    return [ln for ln in ARTICLE.read_text(encoding="utf-8").splitlines() if ln.strip()]


def starting(lines: list[str], opening: str) -> str:
    return next(ln for ln in lines if ln.startswith(opening))


def word_processor_text(line: str) -> str:
    """The article's PDF text as its authors typed it: no spaces inside sentences, full-width
    punctuation between Chinese characters, curly quotation marks."""
    text = re.sub(rf"(?<=[{_CJK}，。、）)])\s+(?=[{_CJK}（(\d])", "", line.strip())
    text = re.sub(rf"(?<=[%\d])\s+(?=[{_CJK}（(])", "", text)  # 表1 2020年 keeps its space
    text = re.sub(rf"(?<=[{_CJK}\d%）)])([,:;?!])", lambda m: m.group(1).translate(_FULL_WIDTH),
                  text)
    text = re.sub(rf"([(])(?=[{_CJK}])", "（", text)
    text = re.sub(rf"(?<=[{_CJK}\d])([)])", "）", text)
    quotes = iter("“”" * text.count('"'))
    return re.sub('"', lambda _: next(quotes), text)


def with_lookalikes(text: str, count: int = 1) -> str:
    for real, lookalike in LOOKALIKES.items():
        text = text.replace(real, lookalike, count)
    return text


# --- the report --------------------------------------------------------------------------------

def report_content(lines: list[str]) -> dict:
    wp = word_processor_text
    title = wp(lines[1])
    abstract = with_lookalikes(wp(starting(lines, "摘 要")).replace("摘 要", "摘要", 1))
    intro = [wp(starting(lines, o)) for o in ("区域协调发展是推动", "新时代以来")]
    two_columns = [wp(starting(lines, o)) for o in ("区域协调发展作为实现", "从传统视角看",
                                                    "从社会视角看", "从创新视角看",
                                                    "从开放视角看")]
    table_text = wp(starting(lines, "经济发展绝对差距拉大"))
    caption = wp(starting(lines, "表1 "))
    start = lines.index(starting(lines, "地区\t\t2020年"))
    rows = [[wp(c) for c in ln.split("\t")] for ln in lines[start:start + 6]]
    width = max(len(r) for r in rows)
    rows = [(r + [""] * width)[:width] for r in rows]
    rows = [r[:-1] for r in rows] if all(not r[-1] for r in rows) else rows
    outline = numbered_outline(lines)
    return {"title": title, "authors": "卢伟 李沛霖", "abstract": abstract,
            "heading_1": "一、引言", "intro": intro,
            "heading_2": with_lookalikes("二、区域协调发展的研究进展"),
            "two_columns": two_columns, "table_text": table_text, "caption": caption,
            "table": rows, "source_note": wp(starting(lines, "数据来源")),
            "outline_heading": "三、主要进展", "outline": outline}


def numbered_outline(lines: list[str]) -> list[list]:
    """The article's section headings (一) … and their items 1. 2. …, as [level, number,
    text]: in the document Word numbers them (a list with Chinese counting at level 1), so the
    numbers are not in the paragraphs' text."""
    out: list[list] = []
    for ln in lines:
        section = re.match(r"^\(([一二三四五六七八九])\)(.{4,30})$", ln)
        item = re.match(r"^(\d)\.([^\d].{4,30})$", ln)
        if section and any(o[1] == f"（{section.group(1)}）" for o in out):
            break  # the next chapter's sections: one chapter is enough
        if section:
            out.append([1, f"（{section.group(1)}）", word_processor_text(section.group(2))])
        elif item and out:
            out.append([2, f"{item.group(1)}.", word_processor_text(item.group(2))])
    return out


def _p(style: str, text: str) -> str:
    return f'<text:p text:style-name="{style}">{escape(text)}</text:p>'


def _table(rows: list[list[str]]) -> str:
    columns = f'<table:table-column table:number-columns-repeated="{len(rows[0])}"/>'
    body = "".join("<table:table-row>" + "".join(
        f'<table:table-cell office:value-type="string">{_p("Cell", c)}</table:table-cell>'
        for c in row) + "</table:table-row>" for row in rows)
    return (f'<table:table table:name="Table1" table:style-name="Table1">{columns}{body}'
            "</table:table>")


def _list(outline: list[list]) -> str:
    """A two-level list numbered by Writer (list style "Plan" of the template)."""
    out, open_item = ['<text:list text:style-name="Plan">'], False
    for level, _number, text in outline:
        if level == 1:
            if open_item:
                out.append("</text:list></text:list-item>")
            out.append(f"<text:list-item>{_p('Body', text)}<text:list>")
            open_item = True
        else:
            out.append(f"<text:list-item>{_p('Body', text)}</text:list-item>")
    out.append("</text:list></text:list-item></text:list>" if open_item else "</text:list>")
    return "".join(out)


def report_fodt(c: dict) -> str:
    body = "".join([
        _p("Title", c["title"]), _p("Authors", c["authors"]), _p("Body", c["abstract"]),
        _p("Heading", c["heading_1"]), *(_p("Body", t) for t in c["intro"]),
        _p("Heading", c["heading_2"]),
        '<text:section text:style-name="TwoColumns" text:name="TwoColumns">',
        *(_p("Body", t) for t in c["two_columns"]), "</text:section>",
        _p("Body", c["table_text"]), _p("Caption", c["caption"]), _table(c["table"]),
        _p("Body", c["source_note"]), _p("Heading", c["outline_heading"]),
        _list(c["outline"]),
    ])
    template = (Path(__file__).with_name("fixtures") / "report-template.fodt").read_text(
        encoding="utf-8")
    return (template.replace("{FONT}", FONT).replace("{HEADER}", escape(HEADER))
            .replace("{FOOTER_PREFIX}", escape(FOOTER_PREFIX))
            .replace("{FOOTER_SUFFIX}", escape(FOOTER_SUFFIX)).replace("{BODY}", body))


# --- the CMS page ------------------------------------------------------------------------------

def cms_content(lines: list[str]) -> dict:
    wp = word_processor_text
    return {"title": "“十四五”时期区域协调发展进展评述",
            "paragraphs": [wp(starting(lines, o)) for o in (
                "区域协调发展是推动", "新时代以来", "从传统视角看", "从开放视角看")]}


def cms_page(c: dict, charset: str) -> str:
    template = (Path(__file__).with_name("fixtures") / "cms-template.html").read_text(
        encoding="utf-8")
    paragraphs = "\n".join(f"<p style=\"text-indent:2em\">{html.escape(p)}</p>"
                           for p in c["paragraphs"])
    return (template.replace("{CHARSET}", charset).replace("{TITLE}", html.escape(c["title"]))
            .replace("{PARAGRAPHS}", paragraphs))


def boilerplate_strings() -> list[str]:
    """Texts of the template outside the article (navigation, sidebar, footer): a reader that
    keeps any of them has kept boilerplate."""
    template = (Path(__file__).with_name("fixtures") / "cms-template.html").read_text(
        encoding="utf-8")
    blocks = re.findall(r"<!-- boilerplate -->(.*?)<!-- /boilerplate -->", template, flags=re.S)
    texts = [html.unescape(t).strip() for b in blocks for t in re.findall(r">([^<>]+)<", b)]
    return sorted({t for t in texts if re.search(rf"[{_CJK}]{{2}}", t)})


# --- conversions -------------------------------------------------------------------------------

def soffice(source: Path, to: str, out_dir: Path, profile: Path) -> Path:
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", to, "--outdir", str(out_dir), str(source)],
                   check=True, capture_output=True, timeout=300)
    return out_dir / f"{source.stem}.{to.split(':')[0]}"


def chromium_pdf(page: Path, out: Path) -> None:
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                    "--no-pdf-header-footer", f"--print-to-pdf={out}", page.as_uri()],
                   check=True, capture_output=True, timeout=300)


def scanned_pdf(pdf: Path, out: Path, work: Path) -> None:
    from PIL import Image

    subprocess.run(["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-gray", "-png", str(pdf),
                    str(work / "page")], check=True, timeout=300)
    image = Image.open(next(work.glob("page*.png")))
    image.save(out, "PDF", resolution=150.0)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    lines = article_lines()
    report = report_content(lines)
    cms = cms_content(lines)
    (OUT / "report.fodt").write_text(report_fodt(report), encoding="utf-8")
    (OUT / "cms-page.html").write_text(cms_page(cms, "utf-8"), encoding="utf-8")
    (OUT / "cms-page-gbk.htm").write_bytes(cms_page(cms, "gbk").encode("gbk"))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for to in ("docx:MS Word 2007 XML", "pdf:writer_pdf_Export"):
            made = soffice(OUT / "report.fodt", to, work, work / "profile")
            shutil.copyfile(made, OUT / made.name)
        chromium_pdf(OUT / "cms-page.html", OUT / "cms-page.pdf")
        scanned_pdf(OUT / "report.pdf", OUT / "scanned.pdf", work)
    fixtures = {"report": report, "cms": cms, "header": HEADER,
                "footer": [FOOTER_PREFIX.strip(), FOOTER_SUFFIX.strip()],
                "lookalikes": LOOKALIKES, "boilerplate": boilerplate_strings()}
    (OUT / "fixtures.json").write_text(json.dumps(fixtures, ensure_ascii=False, indent=1) + "\n",
                                       encoding="utf-8")
    for f in sorted(OUT.iterdir()):
        print(f"{f.stat().st_size:>8}  {f.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
