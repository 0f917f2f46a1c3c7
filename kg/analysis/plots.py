"""`kg plot`: pictures of the graph (matplotlib, Agg backend, no display needed).

Two pictures, each a pure data function and a drawing function:

- `target_matrix` / `plot_target_heatmap`: which places each policy recommendation targets.
  Rows are the `pkg:PolicyRecommendation`s in text order, labelled `sectionNumber title`; columns
  are the targeted entities that are places (any subclass of `pkg:Place` in the ontology:
  macro-regions, economic belts, city clusters, provinces, sub-regions, cities, world regions,
  countries), grouped by class in that order, then by adcode or key. A cell counts the linked
  mentions of the place in the recommendation's own span (children's spans excluded, as for
  `pkg:targets`); 0 means not targeted.
- `indicator_changes` / `plot_indicator_changes`: for each statistics indicator (the
  `qb:Observation`s' `pkg:indicator`), each region's change from its first to its last year with
  a value. An indicator with a single year (国家区域医疗中心数量, 2024 only) has no change and
  is left out.

Chinese text needs a CJK font: `cjk_font()` picks one installed (Noto Sans CJK first) and fails
with an `InputError` (exit 2 from the CLI) when there is none, rather than drawing boxes. SVG
keeps text as text (`svg.fonttype = "none"`): searchable and small, shown with the reader's own
CJK font (the SVG names the family).

Figures are `matplotlib.figure.Figure`s, never pyplot: no GUI backend is loaded and PNGs are
rendered by Agg (SVG by the svg backend).

The graph is walked in Python rather than with SPARQL: rdflib joins the evidence nodes of each
recommendation and mention slowly (docs/queries.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import matplotlib
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from rdflib import RDF, Dataset, URIRef
from rdflib.namespace import DCTERMS

from kg.analysis.nodes import label_zh, local_name, place_classes
from kg.errors import InputError
from kg.store.atomic import write_atomic
from kg.vocab import OA, PKG

QB = "http://purl.org/linked-data/cube#"
QB_OBSERVATION = URIRef(QB + "Observation")
FORMATS = {"png": ("png",), "svg": ("svg",), "both": ("png", "svg")}
PREFERRED_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK TC",
                   "Noto Serif CJK SC", "Noto Serif CJK JP")
# Column groups of the heatmap, in this order; any other place class comes after them.
PLACE_ORDER = ("MacroRegion", "EconomicBelt", "CityCluster", "MetropolitanArea",
               "StrategicRegion", "Province", "ProvincialSubRegion", "City", "WorldRegion",
               "Country")
TITLE_CHARS = 14


# ---------------------------------------------------------------- fonts


@dataclass(frozen=True)
class CjkFont:
    name: str
    path: str
    index: int = 0  # the face in a collection (.ttc): Noto Sans CJK SC is face 2


def open_face(path: str, index: int = 0):
    """The FreeType face matplotlib draws with (face_index needs matplotlib ≥ 3.10)."""
    from matplotlib.ft2font import FT2Font

    try:
        return FT2Font(path, face_index=index)
    except TypeError:  # older matplotlib reads the first face of a collection only
        return FT2Font(path)


def _covers(path: str, index: int = 0, text: str = "中东部地区") -> bool:
    try:
        font = open_face(path, index)
    except Exception:  # unreadable font file: not a candidate
        return False
    return all(font.get_char_index(ord(c)) != 0 for c in text)


def cjk_font() -> CjkFont:
    """An installed font that has Chinese glyphs; InputError when there is none."""
    # regular upright faces first: the Bold file of a family is listed under the same name
    entries = sorted(font_manager.fontManager.ttflist,
                     key=lambda f: (f.weight not in (400, "normal", "regular"),
                                    f.style != "normal", f.fname))
    for wanted in PREFERRED_FONTS:
        for f in entries:
            if f.name == wanted and _covers(f.fname, getattr(f, "index", 0)):
                return CjkFont(f.name, f.fname, getattr(f, "index", 0))
    candidates = sorted(entries, key=lambda f: ("CJK" not in f.name, f.name))
    for f in candidates:
        if _covers(f.fname, getattr(f, "index", 0)):
            return CjkFont(f.name, f.fname, getattr(f, "index", 0))
    raise InputError("no font with Chinese glyphs is installed (install fonts-noto-cjk: "
                     "apt-get install fonts-noto-cjk), so Chinese labels cannot be drawn")


def _style(font: CjkFont) -> dict:
    # the family by name, not "sans-serif": a Text keeps it, so saving outside this context
    # still finds the CJK font (a generic family is looked up again when drawing)
    return {"font.family": [font.name, "DejaVu Sans"],
            "axes.unicode_minus": False, "svg.fonttype": "none"}


# ---------------------------------------------------------------- targets


@dataclass(frozen=True)
class TargetMatrix:
    rows: list[str]           # "五.(一).4 不断强化东北地区经济回升向…" (title cut to 14)
    cols: list[str]           # zh labels of the places
    values: list[list[int]]   # values[i][j]: mentions of cols[j] in rows[i]'s own span
    col_classes: list[str]    # local class name of each column
    row_iris: list[URIRef]
    col_iris: list[URIRef]


def _span(ds: Dataset, node) -> tuple[URIRef | None, int, int]:
    target = ds.value(node, OA.hasTarget)
    start = end = None
    for selector in ds.objects(target, OA.hasSelector):
        start = ds.value(selector, OA.start, default=start)
        end = ds.value(selector, OA.end, default=end)
    if start is None or end is None:
        return ds.value(target, OA.hasSource), 0, 0
    return ds.value(target, OA.hasSource), int(start), int(end)


def _short(title: str) -> str:
    return title if len(title) <= TITLE_CHARS else title[:TITLE_CHARS - 1] + "…"


def target_matrix(ds: Dataset) -> TargetMatrix:
    """The recommendation × place matrix (see the module docstring)."""
    ds.default_union = True
    places = place_classes()
    recs = []
    for r in ds.subjects(RDF.type, PKG.PolicyRecommendation):
        doc, start, end = _span(ds, r)
        recs.append((str(doc), start, end, r))
    recs.sort(key=lambda t: (t[0], t[1], -t[2]))
    children: dict[URIRef, list[tuple[int, int]]] = {}
    for _, start, end, r in recs:
        parent = ds.value(r, PKG.parent)
        if parent is not None:
            children.setdefault(parent, []).append((start, end))
    # the linked mentions of each document: (entity, start)
    mentions: dict[str, list[tuple[URIRef, int]]] = {}
    for m in ds.subjects(RDF.type, PKG.Mention):
        body = ds.value(m, OA.hasBody)
        if body is not None:
            doc, start, _ = _span(ds, m)
            mentions.setdefault(str(doc), []).append((body, start))
    classes: dict[URIRef, URIRef] = {}
    cells: dict[tuple[URIRef, URIRef], int] = {}
    for doc, start, end, r in recs:
        own = children.get(r, [])
        for t in ds.objects(r, PKG.targets):
            cls = next((c for c in ds.objects(t, RDF.type) if c in places), None)
            if cls is None:
                continue
            classes[t] = cls
            n = sum(1 for e, s in mentions.get(doc, ()) if e == t and start <= s < end
                    and not any(cs <= s < ce for cs, ce in own))
            cells[r, t] = max(n, 1)  # targeted: at least one, whatever the span arithmetic
    rank = {name: i for i, name in enumerate(PLACE_ORDER)}

    def col_key(t: URIRef) -> tuple:
        name = local_name(classes[t])
        return (rank.get(name, len(rank)), name, str(t))

    cols = sorted(classes, key=col_key)
    rows = [r for *_, r in recs]
    values = [[cells.get((r, t), 0) for t in cols] for r in rows]
    labels = [f"{ds.value(r, PKG.sectionNumber)} {_short(str(ds.value(r, DCTERMS.title)))}"
              for r in rows]
    if len({doc for doc, *_ in recs}) > 1:  # section numbers repeat across documents
        labels = [f"{local_name(doc)} {label}"
                  for (doc, *_), label in zip(recs, labels, strict=True)]
    return TargetMatrix(labels, [label_zh(ds, t) for t in cols], values,
                        [local_name(classes[t]) for t in cols], rows, cols)


def plot_target_heatmap(matrix: TargetMatrix, font: CjkFont | None = None) -> Figure:
    font = font or cjk_font()
    with matplotlib.rc_context(_style(font)):
        n_rows, n_cols = len(matrix.rows), len(matrix.cols)
        fig = Figure(figsize=(max(8.0, 2.8 + 0.24 * n_cols), max(4.0, 1.6 + 0.28 * n_rows)),
                     dpi=120, layout="constrained")
        ax = fig.add_subplot()
        if n_rows and n_cols:
            top = max(max(row) for row in matrix.values) or 1
            image = ax.imshow(matrix.values, cmap="Blues", vmin=0, vmax=top, aspect="auto",
                              interpolation="nearest")
            bar = fig.colorbar(image, ax=ax, shrink=0.6, pad=0.01)
            bar.set_label("提及次数")
            bar.ax.yaxis.set_major_locator(MaxNLocator(integer=True))
            for i, row in enumerate(matrix.values):
                for j, v in enumerate(row):
                    if v:
                        ax.text(j, i, str(v), ha="center", va="center", fontsize=6,
                                color="white" if v > top / 2 else "black")
            for j in range(1, n_cols):  # a line between class groups
                if matrix.col_classes[j] != matrix.col_classes[j - 1]:
                    ax.axvline(j - 0.5, color="0.4", linewidth=0.8)
        ax.set_xticks(range(n_cols), matrix.cols, rotation=90, fontsize=8)
        ax.set_yticks(range(n_rows), matrix.rows, fontsize=7)
        ax.set_title("政策建议 × 目标地区(建议本身文段内的提及次数)", fontsize=11)
        ax.set_xlabel("目标地区(按类别:大区、经济带、城市群、省份、城市、国外…)")
        return fig


# ---------------------------------------------------------------- indicator changes


@dataclass(frozen=True)
class Change:
    indicator: str
    unit: str
    region: str
    start_year: int
    end_year: int
    start_value: float
    end_value: float
    change: float
    change_pct: float | None   # None when the start value is 0

    COLUMNS = ("indicator", "unit", "region", "start_year", "end_year", "start_value",
               "end_value", "change", "change_pct")


REGION_ORDER = ("东部地区", "中部地区", "西部地区", "东北地区")


def indicator_changes(ds: Dataset) -> list[Change]:
    """Each indicator's change per region, from the region's first to its last year with a
    value; indicators in first-seen table order, regions east, central, west, northeast."""
    ds.default_union = True
    series: dict[tuple[str, str, str], dict[int, float]] = {}
    first_seen: dict[str, tuple[str, int]] = {}
    for o in ds.subjects(RDF.type, QB_OBSERVATION):
        value, area, year = (ds.value(o, PKG.value), ds.value(o, PKG.refArea),
                             ds.value(o, PKG.refYear))
        indicator, unit = ds.value(o, PKG.indicator), ds.value(o, PKG.unit)
        if value is None or area is None or year is None or indicator is None:
            continue
        key = (str(indicator), str(unit or ""), label_zh(ds, area))
        series.setdefault(key, {})[int(str(year)[:4])] = float(value)
        node = str(o)
        table, _, number = node.rpartition("/observation/")
        where = (table, int(number) if number.isdigit() else 0)
        if str(indicator) not in first_seen or where < first_seen[str(indicator)]:
            first_seen[str(indicator)] = where
    rows = []
    for (indicator, unit, region), by_year in series.items():
        if len(by_year) < 2:
            continue
        y0, y1 = min(by_year), max(by_year)
        v0, v1 = by_year[y0], by_year[y1]
        change = round(v1 - v0, 6)
        pct = round(100 * change / v0, 2) if v0 else None
        rows.append(Change(indicator, unit, region, y0, y1, v0, v1, change, pct))
    region_rank = {r: i for i, r in enumerate(REGION_ORDER)}
    rows.sort(key=lambda c: (_table_key(first_seen[c.indicator]), c.indicator,
                             region_rank.get(c.region, len(region_rank)), c.region))
    return rows


def _table_key(where: tuple[str, int]) -> tuple:
    table, number = where
    head, _, n = table.rpartition("table-")
    return (head, int(n) if n.isdigit() else 0, number)


def plot_indicator_changes(changes: list[Change], font: CjkFont | None = None) -> Figure:
    """Small multiples: one panel per indicator, a bar per region (the change, in the
    indicator's unit), labelled with the change in percent."""
    font = font or cjk_font()
    indicators: dict[tuple[str, str], list[Change]] = {}
    for c in changes:
        indicators.setdefault((c.indicator, c.unit), []).append(c)
    n = len(indicators)
    ncols = 3 if n > 4 else max(n, 1)
    nrows = max(1, -(-n // ncols))
    colors = {"东部地区": "#1f77b4", "中部地区": "#ff7f0e", "西部地区": "#2ca02c",
              "东北地区": "#d62728"}
    with matplotlib.rc_context(_style(font)):
        fig = Figure(figsize=(4.2 * ncols, 3.0 * nrows + 0.6), dpi=110, layout="constrained")
        fig.suptitle("四大板块主要指标的变化(各地区首年→末年)", fontsize=14)
        axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
        for ax, ((indicator, unit), rows) in zip(axes, indicators.items(), strict=False):
            years = sorted({(c.start_year, c.end_year) for c in rows})
            period = "、".join(f"{a}→{b}" for a, b in years)
            names = [c.region for c in rows]
            bars = ax.bar(names, [c.change for c in rows],
                          color=[colors.get(r, "0.5") for r in names])
            ax.bar_label(bars, labels=[f"{c.change_pct:+.1f}%" if c.change_pct is not None
                                       else "" for c in rows], fontsize=7, padding=1)
            ax.axhline(0, color="0.3", linewidth=0.6)
            ax.set_title(f"{indicator}({unit}){period}", fontsize=10)
            ax.set_ylabel(f"变化量({unit})", fontsize=8)
            ax.tick_params(labelsize=8)
            ax.margins(y=0.18)
        for ax in axes[n:]:
            ax.set_visible(False)
        return fig


# ---------------------------------------------------------------- files


def save(fig: Figure, out_dir: Path, stem: str, fmt: str) -> list[Path]:
    """Write the figure as `out_dir/stem.png` and/or `.svg`, each whole or not at all
    (written beside its target, then renamed over it)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for ext in FORMATS[fmt]:
        path = out_dir / f"{stem}.{ext}"
        # rc_context only lasts for drawing; svg.fonttype is read when saving
        with matplotlib.rc_context({"svg.fonttype": "none"}):
            write_atomic(path, lambda tmp, ext=ext: fig.savefig(tmp, format=ext, dpi=fig.dpi))
        written.append(path)
    return written
