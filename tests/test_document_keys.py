"""Document metadata (extract/metadata.py) and readable keys (kg/build/keys.py) on the real texts:
the 27 provincial reports of 2025 and the 51 national reports of the development corpus are
named by their curators gwr-2025-<province> and gwr-national-<year>, which is what their keys
must be, read from their text alone; the article and the western-zones paper are research
articles keyed by year and title. Clashing keys get a deterministic suffix."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import ARTICLE, ARTICLE_KEY, shared_input

from extract.metadata import document_meta
from kg.build.keys import assign_keys, metadata_key
from kg.inputs.files import SourceText


def texts(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.txt"))


def source(path: Path, text: str | None = None) -> SourceText:
    text = path.read_text(encoding="utf-8") if text is None else text
    return SourceText("file-key", path, text, "utf-8",
                      source_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())


@pytest.mark.parametrize(("folder", "count"), [("gwr-2025", 27), ("national-gwr", 51)])
def test_every_dev_report_is_keyed_as_its_curator_named_it(folder, count, gaz):
    paths = texts(shared_input("corpus-dev", folder))
    assert len(paths) == count
    keys = [metadata_key(document_meta(p.read_text(encoding="utf-8"), gaz), gaz) for p in paths]
    assert keys == [p.stem for p in paths]


def test_provincial_reports_state_their_type_issuer_place_year_and_plan(gaz):
    for path in texts(shared_input("corpus-dev", "gwr-2025")):
        meta = document_meta(path.read_text(encoding="utf-8"), gaz)
        assert meta.doc_type == "government-work-report", path.name
        assert meta.year == 2025 and meta.plan_periods == ("十四五",), path.name
        assert not meta.national and meta.place and meta.place.startswith("province/")
        # the government the report speaks for ("我代表省人民政府"), named with its province
        assert meta.issuer and meta.issuer.endswith(("人民政府", "省政府")), path.name
        assert gaz.entries[meta.place].label_zh[:2] in meta.issuer, path.name


@pytest.mark.parametrize(("year", "period", "issuer", "language"), [
    (1954, "一五", "中央人民政府", "zh-Hant"),  # printed in traditional characters
    (1964, None, "国务院", "zh-Hans"),  # 1963-1965 had no five-year plan
    (1986, "七五", "国务院", "zh-Hans"),
    (2021, "十四五", "国务院", "zh-Hans"),
])
def test_national_reports_over_seventy_years(year, period, issuer, language, gaz):
    path = shared_input("corpus-dev", "national-gwr", f"gwr-national-{year}.txt")
    meta = document_meta(path.read_text(encoding="utf-8"), gaz)
    assert (meta.national, meta.place, meta.year) == (True, None, year)
    assert meta.plan_periods == ((period,) if period else ())
    assert meta.issuer == issuer and meta.language == language


def test_the_article_and_the_paper_are_research_articles_keyed_by_year_and_title(gaz):
    article = document_meta(ARTICLE.read_text(encoding="utf-8"), gaz)
    assert article.doc_type == "research-article" and article.year == 2025
    # the periods its title names, not the one in force in its year
    assert article.plan_periods == ("十四五", "十五五")
    assert metadata_key(article, gaz) == ARTICLE_KEY
    paper = shared_input("corpus-dev", "05_western-dev-zones-2020.txt")
    meta = document_meta(paper.read_text(encoding="utf-8"), gaz)
    assert meta.doc_type == "research-article" and meta.plan_periods == ()
    assert metadata_key(meta, gaz) == "article-2020-zhongguo-xibu-diqu-kaifaqu-chanye-shikong"


def test_a_notice_states_its_issuer_and_document_number(gaz):
    text = ("国务院关于印发《长三角地区协同发展实施方案》的通知\n\n国发〔2024〕12号\n\n"
            "各省、自治区、直辖市人民政府：\n现将方案印发给你们。\n\n国务院\n2024年3月20日\n")
    meta = document_meta(text, gaz)
    assert (meta.doc_type, meta.issuer, meta.doc_number, meta.year, meta.national) == (
        "notice", "国务院", "国发〔2024〕12号", 2024, True)
    assert metadata_key(meta, gaz).startswith("notice-national-2024-")


def test_a_text_that_states_no_type_nor_year_keeps_its_file_name_key(gaz, tmp_path):
    s = replace(source(tmp_path / "notes.txt", "一些关于区域发展的笔记。\n"), doc="notes")
    assert [k.doc for k in assign_keys([s], gaz)] == ["notes"]


def test_clashing_keys_get_their_files_hash_and_identical_files_a_number(gaz, tmp_path):
    text = ARTICLE.read_text(encoding="utf-8")
    a = source(tmp_path / "a" / "article.txt", text)
    b = source(tmp_path / "b" / "article.txt", text + "\n附录。\n")  # same metadata, other bytes
    c = source(tmp_path / "c" / "article.txt", text)  # the same bytes as a
    keys = [s.doc for s in assign_keys([a, b, c], gaz)]
    assert keys == [f"{ARTICLE_KEY}-{a.source_sha256[:6]}", f"{ARTICLE_KEY}-{b.source_sha256[:6]}",
                    f"{ARTICLE_KEY}-{a.source_sha256[:6]}-2"]
    # the same files give the same keys, in whatever order they are named
    again = {str(s.path): s.doc for s in assign_keys([c, b, a], gaz)}
    assert [again[str(s.path)] for s in (a, b, c)] == keys
