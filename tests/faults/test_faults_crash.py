"""A text with nothing to extract builds; no traceback ever reaches a user (issue 10, item 2)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import kg_in_process, store_nquads

NOTHING = "今天天气很好，我们一起去公园散步吧。\n"
PLACES = "重庆、四川、贵州等西部地区省份要加快发展。\n"


def build(kg_command, tmp_path: Path, *inputs: Path) -> subprocess.CompletedProcess:
    return kg_in_process("build", *map(str, inputs), "--out", str(tmp_path / "out"))


@pytest.mark.slow
def test_a_text_without_names_builds_with_a_warning(kg_command, tmp_path):
    (tmp_path / "weather.txt").write_text(NOTHING, encoding="utf-8")
    result = build(kg_command, tmp_path, tmp_path / "weather.txt")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["documents"]["weather"]["mentions"] == 0
    assert any("weather.txt: no entity was recognised" in w for w in report["warnings"])
    assert any("graph/doc/weather" in line for line in store_nquads(tmp_path / "out" / "store"))


@pytest.mark.slow
def test_one_empty_handed_text_does_not_fail_its_folder(kg_command, tmp_path):
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "a-weather.txt").write_text(NOTHING, encoding="utf-8")
    (folder / "b-west.txt").write_text(PLACES, encoding="utf-8")
    result = build(kg_command, tmp_path, folder)
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["documents"]["a-weather"]["mentions"] == 0
    assert report["relations_per_document"]["b-west"] == {"partOf": 3}


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "。\n",  # punctuation only, but Chinese
    "中国\n",  # one country, nothing to relate it to
    "一、总体要求\n（一）坚持稳中求进。\n",  # a plan heading with no place
    "表1 各地区生产总值\n单位：亿元\n2020 2021\n",  # a table caption with no rows
], ids=["punctuation", "one-name", "heading", "empty-table"])
def test_texts_with_almost_nothing_build(kg_command, tmp_path, text):
    (tmp_path / "t.txt").write_text(text, encoding="utf-8")
    result = build(kg_command, tmp_path, tmp_path / "t.txt")
    assert "Traceback" not in result.stderr
    assert result.returncode in (0, 2), result.stderr  # built, or refused in one line
    if result.returncode == 2:
        assert len(result.stderr.strip().splitlines()) == 1
    else:
        assert store_nquads(tmp_path / "out" / "store")


def test_an_internal_error_is_one_line_naming_the_log(tmp_path, monkeypatch, capsys):
    """The last resort for a bug: forced here by a command that fails the way a bug does."""
    from kg import cli
    from kg.errors import EXIT_INTERNAL

    def broken(args):
        raise ValueError("zip() argument 2 is longer than argument 1")

    parser = cli.parser

    def parser_with_broken_stats(argv=None):
        p = parser(argv)
        p._subparsers._group_actions[0].choices["stats"].set_defaults(func=broken)
        return p

    monkeypatch.setattr(cli, "parser", parser_with_broken_stats)
    monkeypatch.setenv(cli.LOG_DIR_ENV, str(tmp_path))
    code = cli.main(["stats"])
    err = capsys.readouterr().err
    assert code == EXIT_INTERNAL == 3
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("kg: internal error: ValueError: zip() argument 2 is longer")
    logs = list(tmp_path.glob("kg-error-*.log"))
    assert len(logs) == 1 and str(logs[0]) in err
    log = logs[0].read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in log and "in broken" in log
