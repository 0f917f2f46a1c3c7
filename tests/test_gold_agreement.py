"""tools/gold_agreement.py: two readers' gold compared as the scorer compares the pipeline's."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import gold_agreement  # noqa: E402

TEXT = "湖北与湖南合作，武汉港连接长江经济带。"
ENTITY_HEADER = "start\tend\ttext\ttype\tcanonical\tparent\tin_reference\tnote\n"
RELATION_HEADER = "subject\tpredicate\tobject\tstart\tend\tevidence\tin_name\timplicit\tnote\n"


def _span(name: str) -> tuple[int, int]:
    start = TEXT.index(name)
    return start, start + len(name)


def _write(folder: Path, mentions: list[tuple[str, str, str, str]],
           relations: list[tuple[str, str, str]]) -> Path:
    folder.mkdir()
    rows = []
    for text, kind, canonical, in_reference in mentions:
        start, end = _span(text)
        rows.append(f"{start}\t{end}\t{text}\t{kind}\t{canonical}\t\t{in_reference}\t\n")
    (folder / "doc.entities.tsv").write_text(ENTITY_HEADER + "".join(rows), encoding="utf-8")
    rel = [f"{s}\t{p}\t{o}\t0\t7\t{TEXT[:7]}\tno\tno\t\n" for s, p, o in relations]
    (folder / "doc.relations.tsv").write_text(RELATION_HEADER + "".join(rel), encoding="utf-8")
    return folder


def test_a_second_reader_scored_like_a_prediction(tmp_path: Path) -> None:
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "doc.txt").write_text(TEXT, encoding="utf-8")
    first = _write(tmp_path / "first", [
        ("湖北", "Province", "湖北省", "yes"), ("湖南", "Province", "湖南省", "yes"),
        ("武汉港", "Platform", "武汉港", "no"),
        ("长江经济带", "EconomicBelt", "长江经济带", "yes")],
        [("湖北省", "cooperatesWith", "湖南省"), ("武汉港", "connects", "长江经济带"),
         ("武汉港", "locatedIn", "武汉市")])
    # The second reader misses 湖南, types 武汉港 as a corridor and spells it otherwise, and
    # writes the cooperation the other way round.
    second = _write(tmp_path / "second", [
        ("湖北", "Province", "湖北省", "yes"), ("武汉港", "Corridor", "武汉港口", "no"),
        ("长江经济带", "EconomicBelt", "长江经济带", "yes")],
        [("湖南省", "cooperatesWith", "湖北省"), ("武汉港口", "connects", "长江经济带")])
    row = gold_agreement.agree("doc", first, second, tmp_path / "texts")
    assert (row.mentions.gold, row.mentions.predicted) == (4, 3)
    assert (row.mentions.found, row.mentions.right, row.mentions.typed) == (3, 3, 2)
    assert row.mentions.linked == 2  # 湖北省 and 长江经济带; 湖南省 not found
    assert (row.relations.right, row.relations.found) == (2, 2)
    assert (row.relations.precision, round(row.relations.recall, 3)) == (1.0, 0.667)


def test_folders_without_a_shared_report_are_refused(tmp_path: Path, capsys) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert gold_agreement.main([str(tmp_path / "a"), str(tmp_path / "b")]) == 2
    assert "share no report's gold" in capsys.readouterr().err
