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
from collections.abc import Iterable
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


def _resolve(label: str) -> tuple[str | None, float, str]:
    g = _gazetteer()
    refs = [r for r in g.surfaces.get(_squash(label)) or []
            if "Place" in g.lineage(g.entries[r].cls)]
    if not refs:
        return None, 1.0, ""
    if len(refs) == 1:
        return refs[0], 1.0, ""
    return refs[0], 0.8, f"row label {label!r} is ambiguous: {', '.join(refs)}"


def _one_char_apart(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def _resolve_rows(labels: list[str]) -> list[tuple[str | None, float, str, bool]]:
    """(ref, confidence, note, recovered) per row label."""
    out = [(*_resolve(lbl), False) for lbl in labels]
    known = {r for r, *_ in out if r}
    unknown = [i for i, (r, *_) in enumerate(out) if r is None and HAS_WORD_RE.search(labels[i])]
    if len(unknown) != 1 or len(known) < 2:
        return out
    i = unknown[0]
    g = _gazetteer()
    for members in _row_sets():
        if not known <= members:
            continue
        left = members - known
        if len(left) != 1:
            continue
        ref = next(iter(left))
        entry = g.entries[ref]
        names = (entry.label_zh, *entry.aliases)
        label = _squash(labels[i])
        if any(_one_char_apart(label, n) for n in names):
            note = (f"row label {labels[i]!r} is not a known name; the other rows name all of "
                    f"{'/'.join(sorted(g.entries[m].label_zh for m in members))} but "
                    f"{entry.label_zh}, one character away: read as {entry.label_zh}")
            out[i] = (ref, 0.8, note, True)
        break
    return out


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

def _observe(label: str, row_text: str, region: tuple[str | None, float, str, bool],
             year: _Year | None, year_conf: float, year_note: str, header: str | None,
             cell: _Cell, extra: tuple[float, str] | None,
             warnings: list[str]) -> Observation:
    indicator, unit = _split_unit(header) if header else (None, None)
    ref, rconf, rnote, recovered = region
    notes = [n for n in (rnote, year_note) if n]
    conf = min(rconf, year_conf)
    if year is not None and year.note:
        notes.append(year.note)
        conf = min(conf, 0.9)
        recovered = True
    if extra:
        conf = min(conf, extra[0])
        notes.append(extra[1])
        recovered = True
    value = _number(cell.text)
    where = f"{label} row {row_text!r}, column {indicator or '?'} {year.year if year else ''}"
    if value is None:
        why = "empty cell" if not cell.text else f"cell {cell.text!r} cannot be read as one number"
        notes.append(why)
        warnings.append(f"{where}: {why}; recorded as missing")
        status = "missing"
    else:
        status = "recovered" if recovered else "ok"
    return Observation(label, row_text, ref, year.year if year else None, indicator, unit, value,
                       cell.text, cell.start, cell.end, conf, status, "; ".join(notes))


def _repair_row(values: list[_Cell], n: int, text: str) -> tuple[list[_Cell], dict[int, str]]:
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


@dataclass(slots=True)
class _Body:
    start: int
    end: int
    first_line: int
    last_line: int
    caption: tuple[str, str, int, int] | None = None  # label, caption, start, end
    source: tuple[str, int, int] | None = None
    kind: str = "tab"
    payload: object = None


def _caption_at(text: str, span: tuple[int, int]) -> tuple[str, str, int, int] | None:
    line = text[span[0]:span[1]]
    m = CAPTION_RE.match(line.split("\t")[0])
    if not m or len(m.group(2)) > 80 or m.group(2).endswith("。"):
        return None
    lead = len(line) - len(line.lstrip())
    return _squash(m.group(1)), m.group(2).strip(), span[0] + lead, span[0] + len(line.rstrip())


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


def _read_tab(text: str, lines: list[tuple[int, int]], body: _Body, label: str,
              caption: str, warnings: list[str]) -> list[Observation]:
    header_years: list[_Year] | None = None
    ind_lines: list[list[_Cell]] = []
    rows: list[list[_Cell]] = []
    for k in range(body.first_line, body.last_line + 1):
        cells = _tab_cells(text, *lines[k])
        if not any(c.text for c in cells):
            continue
        if CAPTION_RE.match(cells[0].text) and _caption_at(text, lines[k]):
            continue  # the caption inside the block
        if not rows and header_years is None and (years := _year_cells(cells)):
            header_years = years
            continue
        if _is_row(cells):
            rows.append(cells)
            continue
        if not rows and _is_indicator_line(cells):
            ind_lines.append(cells)
            continue
        shown = text[lines[k][0]:lines[k][1]].replace("\t", " | ")
        warnings.append(f"line {k + 1} not read as part of the table: {shown!r}")

    # value cells of each row: after the label, trailing empties dropped
    row_cells: list[tuple[_Cell, list[_Cell]]] = []
    for cells in rows:
        live = [i for i, c in enumerate(cells) if c.text]
        values = cells[live[0] + 1:live[-1] + 1]
        row_cells.append((cells[live[0]], values))

    counts = [len(v) for _, v in row_cells]
    headers: list[_Cell] = []
    if ind_lines:
        merged = [[c for c in line if c.text] for line in ind_lines]
        if len(merged) > 1 and len({len(m) for m in merged}) == 1:
            headers = [_Cell(" ".join(m[j].text for m in merged), m_[j].start, m_[j].end,
                             m_[j].pos)
                       for m_ in [merged[-1]] for j in range(len(m_))]
        else:
            if len(merged) > 1:
                warnings.append("several header lines of different lengths: the last one used")
            headers = merged[-1]
        modal = max(set(counts), key=counts.count) if counts else 0
        if len(headers) == modal + 1:
            headers = headers[1:]  # the row-label column's title
    years = header_years or []
    years, notes = _complete_years(years, caption)
    warnings.extend(notes)
    if headers:
        n = len(headers)
        names = [_split_unit(h.text)[0] for h in headers]
        col_years, yconf, ynote = _group_years(names, [h.pos for h in headers], years)
    elif years:
        n = len(years)
        headers = []
        col_years, yconf, ynote = list(years), 1.0, ""
    else:
        n = max(counts) if counts else 0
        col_years, yconf, ynote = [None] * n, 1.0, ""
    if not years:
        cap_years = list(dict.fromkeys(CAPTION_YEAR_RE.findall(caption or "")))
        if len(cap_years) == 1:
            col_years = [_Year(-1, int(cap_years[0]), "")] * n
    if ynote and yconf == 1.0:
        warnings.append(f"{ynote}: columns have no year")
    yconf_note = ynote if yconf < 1 else ""

    regions = _resolve_rows([lbl.text for lbl, _ in row_cells])
    out: list[Observation] = []
    for (lbl, values), region in zip(row_cells, regions, strict=True):
        row_text = _squash(lbl.text)
        values, repaired = _repair_row(values, n, text)
        if len(values) != n:
            warnings.append(f"{label} row {row_text!r} has {len(values)} cells, the header "
                            f"{n} columns: its cells cannot be aligned and are recorded missing")
            for c in values:
                if c.text:
                    out.append(Observation(label, row_text, region[0], None, None, None, None,
                                           c.text, c.start, c.end, 0.0, "missing",
                                           "row does not match the header's columns"))
            continue
        if region[3]:
            warnings.append(f"{label}: {region[2]}")
        for j, c in enumerate(values):
            extra = (0.9, repaired[j]) if j in repaired else None
            out.append(_observe(label, row_text, region, col_years[j], yconf, yconf_note,
                                headers[j].text if headers else None, c, extra, warnings))
    return out


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


def _read_html(text: str, body: _Body, label: str, caption: str,
               warnings: list[str]) -> list[Observation]:
    grid = _html_grid(text, body.start, body.end)
    if not grid:
        return []
    width = max(len(r) for r in grid)
    grid = [r + [None] * (width - len(r)) for r in grid]

    def is_num(c: _Cell | None) -> bool:
        return c is not None and _number(html.unescape(c.text)) is not None

    nhead = 0
    while nhead < len(grid) and not any(is_num(c) for c in grid[nhead]):
        nhead += 1
    head, rows = grid[:nhead], grid[nhead:]
    if not rows:
        return []
    value_cols = [j for j in range(width)
                  if sum(is_num(r[j]) for r in rows) * 2 >= len(rows)
                  and any(is_num(r[j]) for r in rows)]
    if not value_cols:
        return []
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
    out = []
    for r, row_text, region in zip(rows, labels, regions, strict=True):
        if region[3]:
            warnings.append(f"{label}: {region[2]}")
        for j in value_cols:
            c = r[j]
            if c is None:
                continue
            h = last_head[j]
            header = html.unescape(h.text) if h is not None and h.text else None
            if header and YEAR_RE.match(_squash(header)):
                header = None
            out.append(_observe(label, row_text, region, col_year[j], 1.0, "", header, c,
                                None, warnings))
    return out


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
                source = (line.strip(), s + lead, s + lead + len(line.strip()))
                break
            if not CAPTION_RE.match(line):
                break
        label = cap[0] if cap else f"table@{body.start}"
        caption = cap[1] if cap else ""
        warnings: list[str] = []
        if body.kind == "tab":
            obs = _read_tab(text, lines, body, label, caption, warnings)
        else:
            obs = _read_html(text, body, label, caption, warnings)
        if not obs:
            continue
        spans = [(body.start, body.end)]
        if cap:
            spans.append((cap[2], cap[3]))
        if source:
            spans.append((source[1], source[2]))
        tables.append(Table(cap[0] if cap else None, caption or None,
                            source[0] if source else None,
                            min(s for s, _ in spans), max(e for _, e in spans),
                            tuple(obs), tuple(dict.fromkeys(warnings))))
    return tables
