"""`kg plot`: the data behind the pictures, and the pictures themselves (glyphs, pixels, XML)."""

from __future__ import annotations

import io
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from conftest import kg_in_process
from matplotlib import font_manager
from matplotlib.image import imread
from rdflib import RDF, RDFS

from kg import cli
from kg.analysis import plots
from kg.store.files import load_dataset
from kg.vocab import PKG

REGIONS = ["东部地区", "中部地区", "西部地区", "东北地区"]


@pytest.fixture(scope="module")
def built(article_graph: Path) -> Path:
    return article_graph


@pytest.fixture(scope="module")
def ds(built):
    d = load_dataset(built)
    d.default_union = True
    return d


@pytest.fixture(scope="module")
def font():
    return plots.cjk_font()


@pytest.fixture(scope="module")
def pictures(built, tmp_path_factory, kg_command) -> dict[str, Path]:
    """Both pictures in both formats, through the real command."""
    out = tmp_path_factory.mktemp("pictures")
    printed = []
    for picture in ("targets", "changes"):
        run = kg_in_process("plot", picture, "--graph", str(built),
                            "--out", str(out), "--format", "both")
        assert run.returncode == 0, run.stderr
        printed += run.stdout.split()
    assert printed == [str(out / f"{p}.{e}") for p in ("targets", "changes")
                       for e in ("png", "svg")]
    assert sorted(p.name for p in out.iterdir()) == [
        "changes.png", "changes.svg", "targets.png", "targets.svg"]  # no temporary left
    return {Path(p).name: Path(p) for p in printed}


# ---------------------------------------------------------------- data


@pytest.mark.slow
def test_gdp_change_of_the_east(ds):
    rows = {(c.indicator, c.region): c for c in plots.indicator_changes(ds)}
    east = rows["GDP", "东部地区"]
    assert (east.unit, east.start_year, east.end_year) == ("亿元", 2020, 2023)
    assert (east.start_value, east.end_value) == (525752.3, 652084.2)
    assert east.change == pytest.approx(126331.9)
    assert east.change_pct == pytest.approx(24.03)  # 126331.9 / 525752.3 = 24.029 %


@pytest.mark.slow
def test_changes_cover_the_tables(ds):
    changes = plots.indicator_changes(ds)
    indicators = list(dict.fromkeys(c.indicator for c in changes))
    assert indicators[:3] == ["GDP", "人均GDP", "人均可支配收入"]  # 表1 first, in its order
    assert len(indicators) == 14
    assert "国家区域医疗中心数量" not in indicators  # 2024 only: no change to show
    # the transport network lengths stop in 2022, everything else in 2023
    ends = {c.indicator: c.end_year for c in changes}
    assert {i for i, y in ends.items() if y == 2022} == {"铁路营业里程", "高速等级公路里程"}
    assert {c.start_year for c in changes} == {2020}
    for c in changes:
        assert c.change == pytest.approx(c.end_value - c.start_value)
        assert c.region in REGIONS
    # a cell that could not be read (status missing) drops that region only
    assert [c.region for c in changes if c.indicator == "客运量"] == REGIONS[:3]
    assert [c.region for c in changes if c.indicator == "GDP"] == REGIONS


@pytest.mark.slow
def test_target_matrix_marks_the_northeast_item(ds):
    m = plots.target_matrix(ds)
    assert len(m.rows) == len(set(ds.subjects(RDF.type, PKG.PolicyRecommendation))) == 31
    assert m.rows[0].startswith("五.(一) ")
    i = next(i for i, r in enumerate(m.rows) if r.startswith("五.(一).4 "))
    assert m.rows[i] == "五.(一).4 不断强化东北地区经济回升向…"
    j = m.cols.index("东北地区")
    # the item's own span names 东北地区 four times (17455, 17482, 17546, 17855)
    assert m.values[i][j] == 4
    assert (m.row_iris[i], PKG.targets, m.col_iris[j]) in ds


@pytest.mark.slow
def test_target_matrix_cells_are_the_targets_triples_on_places(ds):
    m = plots.target_matrix(ds)
    marked = {(m.row_iris[i], m.col_iris[j]) for i, row in enumerate(m.values)
              for j, v in enumerate(row) if v}
    places = set(ds.transitive_subjects(RDFS.subClassOf, PKG.Place))  # the graph's ontology
    stated = {(r, t) for r, t in ds.subject_objects(PKG.targets)
              if any(c in places for c in ds.objects(t, RDF.type))}
    assert marked == stated
    assert "中国" in m.cols and "长江经济带" in m.cols
    assert not any(c.startswith("中老铁路") and c.endswith("铁路") for c in m.cols)  # corridor
    # columns grouped by class, macro-regions first
    order = list(dict.fromkeys(m.col_classes))
    assert order[0] == "MacroRegion" and order.index("Province") < order.index("City")


# ---------------------------------------------------------------- font and glyphs


def _glyph(ft, ch: str) -> np.ndarray:
    ft.set_size(48, 72)
    ft.set_text(ch)
    ft.draw_glyphs_to_bitmap()
    return np.asarray(ft.get_image())


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")
def test_the_font_has_real_chinese_glyphs(font):
    ft = plots.open_face(font.path, font.index)
    assert ft.family_name == font.name
    assert "CJK" in font.name
    for ch in "东部地区":
        assert ft.get_char_index(ord(ch)) != 0
    # drawn, the four differ from each other and from the missing-glyph box
    missing = next(chr(c) for c in range(0xE000, 0xF8FF) if ft.get_char_index(c) == 0)
    bitmaps = [_glyph(ft, ch) for ch in [*"东部地区", missing]]
    assert all(b.any() for b in bitmaps[:4])
    for a in range(5):
        for b in range(a + 1, 5):
            x, y = bitmaps[a], bitmaps[b]
            assert x.shape != y.shape or not np.array_equal(x, y), (a, b)


@pytest.mark.slow
def test_no_cjk_font_is_bad_input(monkeypatch, built, tmp_path, capsys):
    latin = [f for f in font_manager.fontManager.ttflist if "DejaVu" in f.name]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", latin)
    with pytest.raises(plots.InputError, match="fonts-noto-cjk"):
        plots.cjk_font()
    code = cli.main(["plot", "changes", "--graph", str(built), "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("kg: error: no font with Chinese glyphs")
    assert err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_every_character_of_the_pictures_has_a_glyph(ds, font, fmt):
    """matplotlib warns "Glyph … missing from font(s)" for each box it draws: none may."""
    figures = [plots.plot_target_heatmap(plots.target_matrix(ds), font),
               plots.plot_indicator_changes(plots.indicator_changes(ds), font)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for fig in figures:
            fig.savefig(io.BytesIO(), format=fmt)


# ---------------------------------------------------------------- the files


def _ink(png: Path) -> np.ndarray:
    """True where a pixel is clearly darker than the white background."""
    rgb = imread(png)[..., :3]
    return rgb.mean(axis=2) < 0.5


@pytest.mark.slow
def test_pngs_have_size_and_content(pictures):
    targets, changes = imread(pictures["targets.png"]), imread(pictures["changes.png"])
    h, w = targets.shape[:2]
    assert w > 2000 and 900 < h < w  # 71 places across, 31 recommendations down
    h, w = changes.shape[:2]
    assert w > 1200 and h > 1500  # 14 panels, 3 a row
    for name in ("targets.png", "changes.png"):
        ink = _ink(pictures[name])
        assert 0.01 < ink.mean() < 0.5, name  # drawn, not blank, not a black page
        # the title: dark pixels in the middle of the top band
        top = ink[: max(8, ink.shape[0] // 40), ink.shape[1] // 4: 3 * ink.shape[1] // 4]
        assert top.sum() > 100, name


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")
def test_chinese_title_is_drawn_not_tofu(font, tmp_path):
    """The same title in the CJK font and in DejaVu Sans (boxes for Chinese) must differ; and
    with the CJK font the four characters, drawn alone, differ from each other."""
    from matplotlib.figure import Figure

    def draw(text: str, family: str) -> np.ndarray:
        fig = Figure(figsize=(2, 1), dpi=100)
        fig.text(0.5, 0.5, text, family=family, size=28, ha="center", va="center")
        path = tmp_path / "t.png"
        fig.savefig(path)
        return _ink(path)

    cjk, tofu = draw("东部地区", font.name), draw("东部地区", "DejaVu Sans")
    assert cjk.sum() > 200 and not np.array_equal(cjk, tofu)
    singles = [draw(ch, font.name) for ch in "东部地区"]
    for a in range(4):
        for b in range(a + 1, 4):
            assert not np.array_equal(singles[a], singles[b])


@pytest.mark.slow
def test_svgs_parse_and_keep_chinese_text(pictures, font):
    for name, expected in (("changes.svg", ["东部地区", "GDP(亿元)2020→2023",
                                            "四大板块主要指标的变化"]),
                           ("targets.svg", ["东北地区", "五.(一).4 不断强化东北地区经济回升向…"])):
        root = ET.parse(pictures[name]).getroot()
        assert root.tag.endswith("svg")
        text = "".join(root.itertext())
        for s in expected:
            assert s in text, (name, s)
        assert font.name in pictures[name].read_text(encoding="utf-8")  # the font is named


@pytest.mark.slow  # kg plot: matplotlib and the graph, over 2 s
def test_bad_graph_is_one_line_exit_2(kg_command, tmp_path):
    run = kg_in_process("plot", "targets", "--graph", str(tmp_path / "no.trig"),
                        "--out", str(tmp_path / "out"))
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and "no such graph file" in run.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_out_naming_a_file_is_exit_2(kg_command, built, tmp_path):
    (tmp_path / "taken").write_text("not a folder")
    run = kg_in_process("plot", "changes", "--graph", str(built),
                        "--out", str(tmp_path / "taken"))
    assert run.returncode == 2 and run.stderr.count("\n") == 1
    assert "Traceback" not in run.stderr and "taken" in run.stderr


@pytest.mark.slow
def test_one_format_writes_one_file(kg_command, built, tmp_path):
    run = kg_in_process("plot", "changes", "--graph", str(built),
                        "--out", str(tmp_path), "--format", "svg")
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == [str(tmp_path / "changes.svg")]
    assert [p.name for p in tmp_path.iterdir()] == ["changes.svg"]


@pytest.mark.slow  # kg plot: matplotlib and the graph, over 2 s
@pytest.mark.parametrize(("picture", "message"), [
    ("targets", "no policy recommendation targets a place"),
    ("changes", "no indicator has values for two years")])
def test_nothing_to_draw_is_exit_2(kg_command, tmp_path, picture, message):
    graph = tmp_path / "empty.trig"
    graph.write_text("<urn:g> { <urn:a> a <https://w3id.org/policy-kg/ont#Document> . }\n")
    run = kg_in_process("plot", picture, "--graph", str(graph),
                        "--out", str(tmp_path / "out"))
    assert run.returncode == 2 and run.stderr.count("\n") == 1 and message in run.stderr
    assert not (tmp_path / "out").exists()
