"""`kg export`: the graph's mentions and observations as JSON lines or CSV."""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import kg_in_process

pytestmark = pytest.mark.slow  # every test here reads the real build of the article


@pytest.fixture(scope="module")
def built(article_build):
    result, out = article_build
    assert result.returncode == 0, result.stderr
    return out


def export(kg_command, built, *args: str) -> str:
    result = kg_in_process("export", *args, "--graph", str(built / "graph.trig"))
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_mentions_export_holds_every_linked_mention_of_the_build(kg_command, built):
    rows = [json.loads(line) for line in export(kg_command, built, "mentions").splitlines()]
    built_rows = [json.loads(line) for line in (built / "mentions.jsonl").read_text().splitlines()]
    linked = [r for r in built_rows if r["iri"]]
    key = ("doc", "start", "end", "text", "type", "iri", "rule")
    assert sorted(tuple(r[k] for k in key) for r in rows) == sorted(
        tuple(r[k] for k in key) for r in linked)


def test_observations_export_as_csv(kg_command, built):
    rows = list(csv.DictReader(io.StringIO(export(kg_command, built, "observations",
                                                   "--format", "csv"))))
    assert len(rows) == 116
    gdp = [r for r in rows if r["region"] == "东部地区" and r["indicator"] == "GDP"]
    assert {(r["year"], r["unit"], r["value"]) for r in gdp} == {
        ("2020", "亿元", "525752.3"), ("2023", "亿元", "652084.2")}
    missing = [r for r in rows if r["region"] == "东北地区" and r["indicator"] == "客运量"]
    assert {r["value"] for r in missing} == {""}


def test_export_to_a_file(kg_command, built, tmp_path):
    target = tmp_path / "obs.jsonl"
    export(kg_command, built, "observations", "--out", str(target))
    assert len(target.read_text(encoding="utf-8").splitlines()) == 116
    assert not list(tmp_path.glob(".*.tmp"))


def test_unknown_kind_is_a_usage_error(kg_command, built):
    result = kg_in_process("export", "claims-of-the-future")
    assert result.returncode == 2 and "invalid choice" in result.stderr


def test_recommendations_export_lists_targets_and_actions(kg_command, built):
    rows = [json.loads(line) for line in export(kg_command, built, "recommendations").splitlines()]
    first = rows[0]
    assert (first["section"], first["parent"], first["title"], first["strength"]) == (
        "五.(一)", None, "推动形成优势互补、高质量发展的区域经济布局", "strong")
    corridors = next(r for r in rows if r["section"] == "五.(一).1")
    assert corridors["parent"] == "五.(一)"
    assert {"西部陆海新通道", "平陆运河", "隆黄铁路"} <= set(corridors["targets"])
    assert "加快渝昆、贵南、隆黄铁路、北部湾国际门户港及平陆运河建设" in corridors["actions"]
    assert len([r for r in rows if r["parent"] is None]) == 4
