"""Statistics tables in a text: tab-separated PDF text and HTML `<table>`s.

`find_tables(text)` returns `Table` records whose `Observation`s carry offsets into the ORIGINAL
text (`text[o.start:o.end] == o.raw`). The rules are general:

- a table body is a run of tab-separated lines, or an HTML `<table>…</table>`;
- its caption is a line `表N …` next to it (before or after, only blank lines between), its
  source a line `数据来源:…` / `资料来源:…` after it;
- header lines: a line of year groups (`2020年`, also split `202` + `0年`; an incomplete `202`
  is completed from the caption's years when only one fits), a line of indicator headers
  (`GDP (亿元)` -> indicator `GDP`, unit `亿元`);
- year groups are laid over the indicator columns so that no group repeats an indicator,
  preferring groups that repeat each other, then the header positions;
- row labels resolve through the gazetteer; one unknown label is recovered by elimination when
  the other rows name all but one member of a known set of regions and the label differs from
  it by one character;
- a cell holding several well-formed numbers next to empty cells is split over them; a cell
  that cannot be read as one number is recorded `missing`, value None, with a warning.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Observation", "Table", "find_tables"]


@dataclass(frozen=True, slots=True)
class Observation:
    table: str
    row_text: str
    region: str | None  # gazetteer ref
    year: int | None
    indicator: str | None
    unit: str | None
    value: float | None
    raw: str  # == text[start:end]
    start: int
    end: int
    confidence: float
    status: str  # "ok" | "recovered" | "missing"
    note: str = ""


@dataclass(frozen=True, slots=True)
class Table:
    label: str | None  # 表1
    caption: str | None  # the caption after the label
    source: str | None  # the 数据来源 line
    start: int  # span of caption, body and source line in the original text
    end: int
    observations: tuple[Observation, ...]
    warnings: tuple[str, ...]


# ---------------------------------------------------------------------------------------------
# small parsers

CAPTION_RE = re.compile(r"^\s*#*\s*(表\s*\d+)\s*[.:：、]?\s*(.*?)\s*$")
SOURCE_RE = re.compile(r"^\s*(?:数据来源|资料来源|来源)\s*[:：]")
NUMBER_RE = re.compile(r"^[+-]?(?:0|[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*)(?:\.\d+)?%?$")
NUMERICISH_RE = re.compile(r"^[\d\s.,%+\-]+$")
YEAR_RE = re.compile(r"^((?:19|20)\d\d)\s*年?$")
YEAR_HEAD_RE = re.compile(r"^(\d{1,3})$")
YEAR_TAIL_RE = re.compile(r"^(\d{1,3})年$")
CAPTION_YEAR_RE = re.compile(r"((?:19|20)\d\d)\s*年")
UNIT_RE = re.compile(r"^(.*?)[(（]([^()（）]*)[)）]$")
HAS_WORD_RE = re.compile(r"[\u4e00-\u9fffA-Za-z]")
WS_RE = re.compile(r"\s+")
TAG_RE = re.compile(r"<(/?)([A-Za-z]+)([^>]*)>")
SPAN_RE = re.compile(r"""(rowspan|colspan)\s*=\s*["']?(\d+)""", re.I)


@dataclass(frozen=True, slots=True)
class _Cell:
    text: str  # stripped
    start: int
    end: int
    pos: int  # column position in its line / grid


def _squash(s: str) -> str:
    return WS_RE.sub("", s)


def _number(s: str) -> float | None:
    s = s.strip()
    if not NUMBER_RE.match(s):
        return None
    return float(s.rstrip("%").replace(",", ""))


def _split_unit(header: str) -> tuple[str | None, str | None]:
    h = _squash(header)
    if not h:
        return None, None
    m = UNIT_RE.match(h)
    if m and m.group(1):
        return m.group(1), (m.group(2) or None)
    return h, None


def _tab_cells(text: str, start: int, end: int) -> list[_Cell]:
    cells, i = [], start
    for pos, part in enumerate(text[start:end].split("\t")):
        lead = len(part) - len(part.lstrip())
        body = part.strip()
        cells.append(_Cell(body, i + lead, i + lead + len(body), pos))
        i += len(part) + 1
    return cells


def _lines(text: str) -> list[tuple[int, int]]:
    out, i = [], 0
    for line in text.split("\n"):
        end = i + len(line)
        out.append((i, end - 1 if line.endswith("\r") else end))
        i = end + 1
    return out


# ---------------------------------------------------------------------------------------------
# regions

@lru_cache(maxsize=1)
def _gazetteer():
    from .gazetteer import default

    return default()


@lru_cache(maxsize=1)
def _row_sets() -> tuple[frozenset[str], ...]:
    """Sets of regions a table's rows commonly list in full: the partitions of the provinces
    into macro-regions found in the gazetteer (east/central/west/northeast, north/south), and
    all provinces."""
    g = _gazetteer()
    provinces = [e for r, e in g.entries.items() if r.startswith("province/")]
    member: dict[str, set[str]] = {}
    for p in provinces:
        for prop, value in p.facts:
            if prop == "partOf" and value.startswith("macro-region/"):
                member.setdefault(value, set()).add(p.ref)
    covered = set().union(*member.values()) if member else set()
    sets: list[frozenset[str]] = []
    regions = sorted(member)
    if len(regions) <= 16:
        for k in range(2, len(regions) + 1):
            for combo in itertools.combinations(regions, k):
                if any(s <= set(combo) for s in sets):
                    continue
                counts = [sum(p in member[r] for r in combo) for p in covered]
                if all(c == 1 for c in counts):
                    sets.append(frozenset(combo))
    sets.append(frozenset(p.ref for p in provinces))
    return tuple(sets)


@dataclass(frozen=True, slots=True)
class _RowRegion:
    """The region a row label names."""

    ref: str | None  # gazetteer ref; None when the label names no place
    confidence: float
    note: str  # why the confidence is below 1
    recovered: bool  # read by elimination, not by name


def _resolve(label: str) -> _RowRegion:
    g = _gazetteer()
    refs = [r for r in g.surfaces.get(_squash(label)) or []
            if "Place" in g.lineage(g.entries[r].cls)]
    if not refs:
        return _RowRegion(None, 1.0, "", False)
    if len(refs) == 1:
        return _RowRegion(refs[0], 1.0, "", False)
    return _RowRegion(refs[0], 0.8, f"row label {label!r} is ambiguous: {', '.join(refs)}",
                      False)


def _one_char_apart(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def _resolve_rows(labels: list[str]) -> list[_RowRegion]:
    """The region of each row label; one unknown label may be recovered by elimination."""
    out = [_resolve(lbl) for lbl in labels]
    known = {r.ref for r in out if r.ref}
    unknown = [i for i, r in enumerate(out) if r.ref is None and HAS_WORD_RE.search(labels[i])]
    if len(unknown) != 1 or len(known) < 2:
        return out
    i = unknown[0]
    recovered = _by_elimination(labels[i], known)
    if recovered is not None:
        out[i] = recovered
    return out


def _by_elimination(label: str, known: set[str]) -> _RowRegion | None:
    """The one region the other rows leave out of the first known set they belong to, when
    `label` is one character away from its name."""
    g = _gazetteer()
    for members in _row_sets():
        if not known <= members:
            continue
        left = members - known
        if len(left) != 1:
            continue
        ref = next(iter(left))
        entry = g.entries[ref]
        if not any(_one_char_apart(_squash(label), n) for n in (entry.label_zh, *entry.aliases)):
            return None
        note = (f"row label {label!r} is not a known name; the other rows name all of "
                f"{'/'.join(sorted(g.entries[m].label_zh for m in members))} but "
                f"{entry.label_zh}, one character away: read as {entry.label_zh}")
        return _RowRegion(ref, 0.8, note, True)
    return None


# ---------------------------------------------------------------------------------------------
# header: years and indicators

@dataclass(frozen=True, slots=True)
class _Year:
    pos: int
    year: int | None
    partial: str  # digits read when the year is incomplete
    note: str = ""


def _year_cells(cells: list[_Cell]) -> list[_Year] | None:
    """The year groups of a header line, or None when the line is not a year line."""
    live = [c for c in cells if c.text]
    if not live:
        return None
    years: list[_Year] = []
    stub_seen = False
    i = 0
    while i < len(live):
        c = live[i]
        t = _squash(c.text)
        nxt = _squash(live[i + 1].text) if i + 1 < len(live) else ""
        m = YEAR_RE.match(t)
        if m:
            years.append(_Year(c.pos, int(m.group(1)), ""))
        elif YEAR_HEAD_RE.match(t) and YEAR_TAIL_RE.match(nxt) and len(t) + len(nxt) - 1 == 4:
            joined = t + nxt[:-1]
            if YEAR_RE.match(joined):
                years.append(_Year(c.pos, int(joined), ""))
            else:
                years.append(_Year(c.pos, None, joined))
            i += 1
        elif YEAR_HEAD_RE.match(t) or YEAR_TAIL_RE.match(t):
            years.append(_Year(c.pos, None, t.rstrip("年")))
        elif i == 0 and HAS_WORD_RE.search(t) and not stub_seen:
            stub_seen = True  # the row-label column's title (地区)
        else:
            return None
        i += 1
    if not any(y.year for y in years):
        return None
    return years


def _complete_years(years: list[_Year], caption: str) -> tuple[list[_Year], list[str]]:
    known = [int(y) for y in CAPTION_YEAR_RE.findall(caption or "")]
    known = list(dict.fromkeys(known))
    out, warnings = [], []
    for i, y in enumerate(years):
        if y.year is not None:
            out.append(y)
            continue
        lo = max((v.year for v in years[:i] if v.year), default=0)
        hi = min((v.year for v in years[i + 1:] if v.year), default=10000)
        used = {v.year for v in years if v.year}
        fits = [k for k in known if lo < k < hi and k not in used
                and str(k).startswith(y.partial)]
        if len(fits) == 1:
            out.append(_Year(y.pos, fits[0], y.partial,
                             f"year header read as {y.partial!r}, completed from the caption"))
        else:
            out.append(y)
            warnings.append(f"year header {y.partial!r} is incomplete and the caption does not "
                            "decide it: its columns have no year")
    return out, warnings


def _group_years(indicators: list[str | None], positions: list[int],
                 years: list[_Year]) -> tuple[list[_Year | None], float, str]:
    """Lay year groups over the columns: (year per column, confidence, note)."""
    n, k = len(indicators), len(years)
    if k == 0 or n == 0:
        return [None] * n, 1.0, ""
    if k == 1:
        return [years[0]] * n, 1.0, ""
    if k > n:
        return [None] * n, 1.0, "more year groups than columns"
    best: list[tuple[tuple[int, int], tuple[int, ...]]] = []
    for cuts in itertools.combinations(range(1, n), k - 1):
        bounds = (0, *cuts, n)
        groups = [tuple(indicators[a:b]) for a, b in itertools.pairwise(bounds)]
        if any(len(set(gr)) != len(gr) for gr in groups):
            continue
        repeats = sum(groups.count(gr) > 1 for gr in groups)
        dist = sum(abs(positions[a] - y.pos) for a, y in zip(bounds[:-1], years, strict=True))
        best.append(((-repeats, dist), bounds))
        if len(best) > 200_000:
            break
    if not best:
        return [None] * n, 1.0, "year groups cannot be laid over the columns"
    best.sort()
    score, bounds = best[0]
    ties = [b for s, b in best if s == score]
    out: list[_Year | None] = [None] * n
    for (a, b), y in zip(itertools.pairwise(bounds), years, strict=True):
        for j in range(a, b):
            out[j] = y
    if len(ties) > 1:
        return [None] * n, 1.0, "year groups are ambiguous over the columns"
    if score[0] < 0:
        return out, 1.0, ""
    return out, 0.9, "year groups laid over the columns by header position"


# ---------------------------------------------------------------------------------------------
# observations

@dataclass(frozen=True, slots=True)
class _Read:
    """What reading (part of) a table gives: observations, and warnings about what it could
    not read."""

    observations: tuple[Observation, ...] = ()
    warnings: tuple[str, ...] = ()


def _joined(reads: Iterable[_Read]) -> _Read:
    observations: list[Observation] = []
    warnings: list[str] = []
    for r in reads:
        observations += r.observations
        warnings += r.warnings
    return _Read(tuple(observations), tuple(warnings))


@dataclass(frozen=True, slots=True)
class _RowHead:
    """What every observation of a row says about it."""

    table: str  # the table's label
    text: str  # the row label, whitespace removed
    region: _RowRegion


@dataclass(frozen=True, slots=True)
class _Column:
    """What the header says about a value column."""

    year: _Year | None
    header: str | None  # indicator (unit)
    confidence: float = 1.0  # of laying the year groups over the columns
    note: str = ""  # why that confidence is below 1


# a repaired cell's confidence: it was split off a cell holding several numbers
REPAIRED = 0.9


def _observe(row: _RowHead, column: _Column, cell: _Cell, repair: str = "") -> _Read:
    """The observation of one cell; a warning when it cannot be read as one number."""
    indicator, unit = _split_unit(column.header) if column.header else (None, None)
    notes = [n for n in (row.region.note, column.note) if n]
    conf = min(row.region.confidence, column.confidence)
    recovered = row.region.recovered
    year = column.year
    if year is not None and year.note:
        notes.append(year.note)
        conf = min(conf, 0.9)
        recovered = True
    if repair:
        conf = min(conf, REPAIRED)
        notes.append(repair)
        recovered = True
    value = _number(cell.text)
    warnings: tuple[str, ...] = ()
    if value is None:
        why = "empty cell" if not cell.text else f"cell {cell.text!r} cannot be read as one number"
        notes.append(why)
        where = (f"{row.table} row {row.text!r}, column {indicator or '?'} "
                 f"{year.year if year else ''}")
        warnings = (f"{where}: {why}; recorded as missing",)
        status = "missing"
    else:
        status = "recovered" if recovered else "ok"
    return _Read((Observation(row.table, row.text, row.region.ref, year.year if year else None,
                              indicator, unit, value, cell.text, cell.start, cell.end, conf,
                              status, "; ".join(notes)),), warnings)


def _repair_row(values: list[_Cell], n: int) -> tuple[list[_Cell], dict[int, str]]:
    """Split a cell holding several well-formed numbers over the empty cells after it, or over
    the cells the row lacks. Returns the cells and notes per repaired index."""
    values = list(values)
    notes: dict[int, str] = {}
    i = 0
    while i < len(values):
        c = values[i]
        tokens = [(m.group(), c.start + m.start()) for m in re.finditer(r"\S+", c.text)]
        if len(tokens) >= 2 and all(NUMBER_RE.match(t) for t, _ in tokens):
            m = len(tokens)
            room = values[i + 1:i + m]
            fits_empty = len(room) == m - 1 and all(not r.text for r in room)
            fits_short = len(values) + m - 1 == n
            if fits_empty or fits_short:
                parts = [_Cell(t, s, s + len(t), c.pos) for t, s in tokens]
                values[i:i + (m if fits_empty else 1)] = parts
                for j in range(m):
                    notes[i + j] = (f"cell {c.text!r} holds {m} numbers; split over "
                                    f"{m} columns")
                i += m
                continue
        i += 1
    return values, notes


# ---------------------------------------------------------------------------------------------
# tab-separated tables

def _is_row(cells: list[_Cell]) -> bool:
    live = [c for c in cells if c.text]
    if len(live) < 2 or not HAS_WORD_RE.search(live[0].text) or YEAR_RE.match(live[0].text):
        return False
    rest = live[1:]
    return sum(bool(NUMERICISH_RE.match(c.text)) for c in rest) * 2 >= len(rest)


def _is_indicator_line(cells: list[_Cell]) -> bool:
    live = [c for c in cells if c.text]
    return len(live) >= 2 and sum(bool(HAS_WORD_RE.search(c.text)) for c in live) * 2 > len(live)


@dataclass(frozen=True, slots=True)
class _Body:
    start: int
    end: int
    first_line: int
    last_line: int
    kind: str = "tab"  # or "html"


@dataclass(frozen=True, slots=True)
class _Caption:
    label: str  # 表1
    text: str  # what follows the label
    start: int  # the line, stripped, in the text
    end: int


@dataclass(frozen=True, slots=True)
class _Source:
    text: str  # the 数据来源 line, stripped
    start: int
    end: int


def _caption_at(text: str, span: tuple[int, int]) -> _Caption | None:
    line = text[span[0]:span[1]]
    m = CAPTION_RE.match(line.split("\t")[0])
    if not m or len(m.group(2)) > 80 or m.group(2).endswith("。"):
        return None
    lead = len(line) - len(line.lstrip())
    return _Caption(_squash(m.group(1)), m.group(2).strip(), span[0] + lead,
                    span[0] + len(line.rstrip()))


def _tab_bodies(text: str, lines: list[tuple[int, int]]) -> list[_Body]:
    bodies = []
    i = 0
    while i < len(lines):
        s, e = lines[i]
        if "\t" not in text[s:e]:
            i += 1
            continue
        j = i
        while j + 1 < len(lines) and "\t" in text[lines[j + 1][0]:lines[j + 1][1]]:
            j += 1
        block = range(i, j + 1)
        if sum(_is_row(_tab_cells(text, *lines[k])) for k in block) >= 1 and len(block) >= 2:
            bodies.append(_Body(lines[i][0], lines[j][1], i, j))
        i = j + 1
    return bodies


@dataclass(frozen=True, slots=True)
class _TabRow:
    label: _Cell
    values: tuple[_Cell, ...]  # the cells after the label, trailing empty cells dropped


def _tab_row(cells: list[_Cell]) -> _TabRow:
    live = [i for i, c in enumerate(cells) if c.text]
    return _TabRow(cells[live[0]], tuple(cells[live[0] + 1:live[-1] + 1]))


@dataclass(frozen=True, slots=True)
class _TabLines:
    """The lines of a tab-separated body, by what they hold."""

    years: tuple[_Year, ...]  # the year header line, if any
    indicator_lines: tuple[tuple[_Cell, ...], ...]  # header lines of indicators
    rows: tuple[_TabRow, ...]
    warnings: tuple[str, ...]  # the lines read as none of these


def _sort_lines(text: str, lines: list[tuple[int, int]], body: _Body) -> _TabLines:
    """Headers come before the first row: a line of years, lines of indicators."""
    years: list[_Year] | None = None
    indicator_lines: list[tuple[_Cell, ...]] = []
    rows: list[_TabRow] = []
    warnings: list[str] = []
    for k in range(body.first_line, body.last_line + 1):
        cells = _tab_cells(text, *lines[k])
        if not any(c.text for c in cells):
            continue
        if CAPTION_RE.match(cells[0].text) and _caption_at(text, lines[k]):
            continue  # the caption inside the block
        if not rows and years is None and (found := _year_cells(cells)):
            years = found
        elif _is_row(cells):
            rows.append(_tab_row(cells))
        elif not rows and _is_indicator_line(cells):
            indicator_lines.append(tuple(cells))
        else:
            shown = text[lines[k][0]:lines[k][1]].replace("\t", " | ")
            warnings.append(f"line {k + 1} not read as part of the table: {shown!r}")
    return _TabLines(tuple(years or ()), tuple(indicator_lines), tuple(rows), tuple(warnings))


def _header_cells(indicator_lines: Sequence[Sequence[_Cell]], counts: list[int]
                  ) -> tuple[tuple[_Cell, ...], tuple[str, ...]]:
    """The indicator header of each value column: the header lines joined cell by cell when
    they are all as long (GDP / (亿元)), else the last one; without the row labels' title
    (地区) when the header has one cell more than most rows have values."""
    if not indicator_lines:
        return (), ()
    merged = [[c for c in line if c.text] for line in indicator_lines]
    warnings: tuple[str, ...] = ()
    if len(merged) > 1 and len({len(m) for m in merged}) == 1:
        last = merged[-1]
        headers = [_Cell(" ".join(m[j].text for m in merged), last[j].start, last[j].end,
                         last[j].pos) for j in range(len(last))]
    else:
        if len(merged) > 1:
            warnings = ("several header lines of different lengths: the last one used",)
        headers = merged[-1]
    modal = max(set(counts), key=counts.count) if counts else 0
    if len(headers) == modal + 1:
        headers = headers[1:]
    return tuple(headers), warnings


@dataclass(frozen=True, slots=True)
class _Columns:
    """The value columns: their indicator headers (when there are any) and years."""

    headers: tuple[_Cell, ...]
    years: tuple[_Year | None, ...]  # one per column
    confidence: float  # of laying the year groups over the columns
    note: str

    def __len__(self) -> int:
        return len(self.years)

    def column(self, j: int) -> _Column:
        header = self.headers[j].text if self.headers else None
        return _Column(self.years[j], header, self.confidence,
                       self.note if self.confidence < 1 else "")


def _columns(headers: tuple[_Cell, ...], header_years: tuple[_Year, ...], caption: str,
             counts: list[int]) -> tuple[_Columns, tuple[str, ...]]:
    """The years of the columns: the year header completed from the caption and laid over the
    indicator headers; the caption's one year when there is no year header."""
    years, notes = _complete_years(list(header_years), caption)
    warnings = list(notes)
    if headers:
        names = [_split_unit(h.text)[0] for h in headers]
        col_years, confidence, note = _group_years(names, [h.pos for h in headers], years)
    elif years:
        col_years, confidence, note = list(years), 1.0, ""
    else:
        col_years, confidence, note = [None] * (max(counts) if counts else 0), 1.0, ""
    if not years:
        cap_years = list(dict.fromkeys(CAPTION_YEAR_RE.findall(caption or "")))
        if len(cap_years) == 1:
            col_years = [_Year(-1, int(cap_years[0]), "")] * len(col_years)
    if note and confidence == 1.0:
        warnings.append(f"{note}: columns have no year")
    return _Columns(headers, tuple(col_years), confidence, note), tuple(warnings)


def _row_cells(label: str, row: _TabRow, region: _RowRegion, columns: _Columns) -> _Read:
    """The observations of a row, its cells laid over the columns."""
    head = _RowHead(label, _squash(row.label.text), region)
    values, repaired = _repair_row(list(row.values), len(columns))
    if len(values) != len(columns):
        return _misaligned(head, values, len(columns))
    note = (f"{label}: {region.note}",) if region.recovered else ()
    return _joined([_Read((), note), *(_observe(head, columns.column(j), c, repaired.get(j, ""))
                                       for j, c in enumerate(values))])


def _misaligned(row: _RowHead, values: list[_Cell], n: int) -> _Read:
    """A row whose cells cannot be laid over the header's columns: every cell is missing."""
    warning = (f"{row.table} row {row.text!r} has {len(values)} cells, the header {n} columns: "
               "its cells cannot be aligned and are recorded missing")
    return _Read(tuple(Observation(row.table, row.text, row.region.ref, None, None, None, None,
                                   c.text, c.start, c.end, 0.0, "missing",
                                   "row does not match the header's columns")
                       for c in values if c.text), (warning,))


def _read_tab(text: str, lines: list[tuple[int, int]], body: _Body, label: str,
              caption: str) -> _Read:
    found = _sort_lines(text, lines, body)
    counts = [len(r.values) for r in found.rows]
    headers, header_warnings = _header_cells(found.indicator_lines, counts)
    columns, column_warnings = _columns(headers, found.years, caption, counts)
    regions = _resolve_rows([r.label.text for r in found.rows])
    return _joined([_Read((), found.warnings + header_warnings + column_warnings),
                    *(_row_cells(label, row, region, columns)
                      for row, region in zip(found.rows, regions, strict=True))])


# ---------------------------------------------------------------------------------------------
# HTML tables

def _html_bodies(text: str) -> list[_Body]:
    out = []
    for m in re.finditer(r"<table\b[^>]*>.*?</table\s*>", text, re.S | re.I):
        first = text.count("\n", 0, m.start())
        last = text.count("\n", 0, m.end())
        out.append(_Body(m.start(), m.end(), first, last, kind="html"))
    return out


def _html_grid(text: str, start: int, end: int) -> list[list[_Cell | None]]:
    rows: list[list[tuple[_Cell, int, int]]] = []
    cell_open: tuple[int, int, int] | None = None  # content start, rowspan, colspan
    for m in TAG_RE.finditer(text, start, end):
        closing, tag = m.group(1), m.group(2).lower()
        if tag == "tr" and not closing:
            rows.append([])
        elif tag in ("td", "th") and not closing:
            spans = {k.lower(): int(v) for k, v in SPAN_RE.findall(m.group(3))}
            cell_open = (m.end(), spans.get("rowspan", 1), spans.get("colspan", 1))
        elif tag in ("td", "th") and closing and cell_open and rows:
            s, rs, cs = cell_open
            raw = text[s:m.start()]
            lead = len(raw) - len(raw.lstrip())
            body = raw.strip()
            rows[-1].append((_Cell(body, s + lead, s + lead + len(body), 0), rs, cs))
            cell_open = None
    grid: list[list[_Cell | None]] = []
    carry: dict[tuple[int, int], _Cell] = {}
    for r, cells in enumerate(rows):
        line: list[_Cell | None] = []
        c = 0
        queue = list(cells)
        while queue or any((r, x) in carry for x in range(c, c + 50)):
            if (r, c) in carry:
                line.append(carry.pop((r, c)))
                c += 1
                continue
            if not queue:
                c += 1
                line.append(None)
                continue
            cell, rs, cs = queue.pop(0)
            for dc in range(cs):
                placed = _Cell(cell.text, cell.start, cell.end, c + dc)
                line.append(placed if dc == 0 else _Cell("", cell.end, cell.end, c + dc))
                for dr in range(1, rs):
                    carry[(r + dr, c + dc)] = placed
            c += cs
        grid.append(line)
    return grid


def _read_html(text: str, body: _Body, label: str, caption: str) -> _Read:
    grid = _html_grid(text, body.start, body.end)
    if not grid:
        return _Read()
    width = max(len(r) for r in grid)
    grid = [r + [None] * (width - len(r)) for r in grid]

    def is_num(c: _Cell | None) -> bool:
        return c is not None and _number(html.unescape(c.text)) is not None

    nhead = 0
    while nhead < len(grid) and not any(is_num(c) for c in grid[nhead]):
        nhead += 1
    head, rows = grid[:nhead], grid[nhead:]
    if not rows:
        return _Read()
    value_cols = [j for j in range(width)
                  if sum(is_num(r[j]) for r in rows) * 2 >= len(rows)
                  and any(is_num(r[j]) for r in rows)]
    if not value_cols:
        return _Read()
    label_cols = range(value_cols[0])
    last_head = head[-1] if head else [None] * width
    col_year: dict[int, _Year | None] = {}
    cap_years = list(dict.fromkeys(CAPTION_YEAR_RE.findall(caption or "")))
    for j in value_cols:
        y = None
        for hrow in head:
            c = hrow[j]
            if c is not None and (m := YEAR_RE.match(_squash(html.unescape(c.text)))):
                y = _Year(j, int(m.group(1)), "")
        if y is None and len(cap_years) == 1:
            y = _Year(j, int(cap_years[0]), "")
        col_year[j] = y
    labels = [" / ".join(_squash(r[j].text) for j in label_cols if r[j] and r[j].text)
              for r in rows]
    last_labels = [next((_squash(r[j].text) for j in reversed(label_cols)
                         if r[j] and r[j].text), "") for r in rows]
    regions = _resolve_rows(last_labels)
    reads = []
    for r, row_text, region in zip(rows, labels, regions, strict=True):
        if region.recovered:
            reads.append(_Read((), (f"{label}: {region.note}",)))
        for j in value_cols:
            c = r[j]
            if c is None:
                continue
            h = last_head[j]
            header = html.unescape(h.text) if h is not None and h.text else None
            if header and YEAR_RE.match(_squash(header)):
                header = None
            reads.append(_observe(_RowHead(label, row_text, region), _Column(col_year[j], header),
                                  c))
    return _joined(reads)


# ---------------------------------------------------------------------------------------------
# captions, sources, entry point

def _nearby(lines: list[tuple[int, int]], text: str, k: int, step: int,
            limit: int = 6, skip: Iterable[str] = ("Tab.", "Table")) -> Iterable[int]:
    """Line numbers from k in direction step, over blank lines and English caption lines."""
    seen = 0
    i = k + step
    while 0 <= i < len(lines) and seen < limit:
        line = text[lines[i][0]:lines[i][1]].strip()
        if line and not any(line.startswith(s) for s in skip):
            yield i
            seen += 1
            if not (CAPTION_RE.match(line) or SOURCE_RE.match(line)):
                return
        i += step


def find_tables(text: str) -> list[Table]:
    """Every statistics table of the text, in order."""
    lines = _lines(text)
    bodies = sorted(_tab_bodies(text, lines) + _html_bodies(text), key=lambda b: b.start)
    claimed: set[int] = set()
    tables = []
    for body in bodies:
        # caption: inside the block, directly before, or directly after
        cap = None
        if body.kind == "tab":
            first = lines[body.first_line]
            cap = _caption_at(text, first)
            if cap:
                claimed.add(body.first_line)
        after_line = body.last_line
        if cap is None:
            for k in _nearby(lines, text, body.first_line, -1):
                if k not in claimed and (c := _caption_at(text, lines[k])):
                    cap, _ = c, claimed.add(k)
                break
        if cap is None:
            for k in _nearby(lines, text, body.last_line, 1):
                line = text[lines[k][0]:lines[k][1]]
                if k not in claimed and (c := _caption_at(text, lines[k])):
                    cap, after_line = c, k
                    claimed.add(k)
                    break
                if not SOURCE_RE.match(line):
                    break
        source = None
        for k in _nearby(lines, text, after_line, 1):
            line = text[lines[k][0]:lines[k][1]]
            if SOURCE_RE.match(line):
                s = lines[k][0]
                lead = len(line) - len(line.lstrip())
                source = _Source(line.strip(), s + lead, s + lead + len(line.strip()))
                break
            if not CAPTION_RE.match(line):
                break
        label = cap.label if cap else f"table@{body.start}"
        caption = cap.text if cap else ""
        if body.kind == "tab":
            read = _read_tab(text, lines, body, label, caption)
        else:
            read = _read_html(text, body, label, caption)
        if not read.observations:
            continue
        spans = [(body.start, body.end)]
        if cap:
            spans.append((cap.start, cap.end))
        if source:
            spans.append((source.start, source.end))
        tables.append(Table(cap.label if cap else None, caption or None,
                            source.text if source else None,
                            min(s for s, _ in spans), max(e for _, e in spans),
                            read.observations, tuple(dict.fromkeys(read.warnings))))
    return tables
