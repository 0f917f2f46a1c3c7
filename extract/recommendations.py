"""The hierarchy of policy recommendations / measures in a Chinese policy text.

A text's top-level sections ("一、…" at a line start) whose heading contains a keyword of
`patterns/recommendation_markers.tsv` (建议, 任务, 措施 …) are read as recommendation sections;
a text with no top-level headings at all is read as one section. Inside a section, groups
"(一)…", items "1.…" and sub-points "一是…" / "宏观上…" become `Recommendation`s, and verb +
object phrases (`patterns/action_verbs.tsv`) inside each one's own text become its `Action`s.

Every marker, keyword and verb is data; a marker counts only when its ordinal is the next one of
its series inside its parent, so stray "2." or "一是" in running text do not open a level.
All offsets are Python string indices into the ORIGINAL text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import DataError
from .gazetteer import PATTERNS, read_tsv
from .normalize import normalise

STRENGTHS = ("exploratory", "supportive", "strong", "mandatory")  # weakest first
LEVELS = ("group", "item", "point")  # outermost first; a section is not a Recommendation
MAX_TITLE = 40  # a longer heading run into its paragraph is cut at its first comma
# A bare heading line (no number) is as short as a section heading: "2025年工作安排" has 8
# characters, "关于2025年工作" 9; a longer unnumbered line is a paragraph, not a heading.
MAX_BARE_HEADING = 16

_CLAUSE_END = frozenset("，,；;。：:！!？?\n")  # ends an action's object and a point's title
_TITLE_END = frozenset("。；;！!？?\n")  # ends a group's or an item's heading
_COMMA = frozenset("，,")
# characters after which an inline marker (一是, 宏观上) may start
_BEFORE_INLINE = frozenset("，,；;。：:！!？?、)）】」』”\"'")
_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}


@dataclass(frozen=True, slots=True)
class Action:
    """A verb (or chain of adjacent verbs) and its object: `text[start:end]` spans both."""

    verb: str
    object: str
    start: int
    end: int
    strength: str


@dataclass(frozen=True, slots=True)
class Recommendation:
    """One group, item or sub-point; `text[start:end]` starts with its number marker."""

    id: str
    number: str  # number path, e.g. "五.(一).1.一是"
    level: str  # group | item | point
    title: str
    start: int
    end: int
    parent: str | None
    actions: tuple[Action, ...]
    strength: str | None  # strongest of its own actions; None without actions


@dataclass(frozen=True, slots=True)
class _Marker:
    level: str
    where: str  # line | head | inline
    series: str
    regex: re.Pattern[str]
    label: str


@dataclass(frozen=True, slots=True)
class Rules:
    markers: tuple[_Marker, ...]
    orders: dict[str, tuple[str, ...]]
    keywords: tuple[re.Pattern[str], ...]  # a heading that opens a plan section
    body: tuple[re.Pattern[str], ...]  # a section intro that makes it a plan section
    preambles: tuple[re.Pattern[str], ...]  # a plan section's heading that holds no groups
    excludes: tuple[re.Pattern[str], ...]  # a group title that is not a task of the plan
    stops: tuple[str, ...]
    addresses: tuple[str, ...]  # 各位代表: an address to the audience
    closings: tuple[re.Pattern[str], ...]  # an address paragraph that closes the plan
    verbs: dict[str, str]  # verb -> strength

    @property
    def max_verb(self) -> int:
        return max(map(len, self.verbs), default=0)


_PATTERN_KINDS = ("keyword", "body", "preamble", "exclude", "closing")
_WORD_KINDS = ("stop", "address")


@lru_cache(maxsize=4)
def load_rules(patterns: Path = PATTERNS) -> Rules:
    markers, orders = [], {}
    listed: dict[str, list] = {kind: [] for kind in (*_PATTERN_KINDS, *_WORD_KINDS)}
    for row in read_tsv(patterns / "recommendation_markers.tsv"):
        kind = row[0]
        if kind == "marker":
            _, level, where, series, pattern, label = row
            markers.append(_Marker(level, where, series, re.compile(pattern), label))
        elif kind == "order":
            orders[row[1]] = tuple(row[2].split())
        elif kind in _PATTERN_KINDS:
            listed[kind].append(re.compile(row[1]))
        elif kind in _WORD_KINDS:
            listed[kind].append(row[1])
        else:
            raise DataError(f"recommendation_markers.tsv: unknown row kind {kind!r}")
    verbs = {}
    for verb, strength in read_tsv(patterns / "action_verbs.tsv"):
        if strength not in STRENGTHS:
            raise DataError(f"action_verbs.tsv: unknown strength {strength!r} of {verb}")
        verbs[verb] = strength
    return Rules(tuple(markers), orders, *(tuple(listed[k]) for k in _PATTERN_KINDS[:4]),
                 tuple(listed["stop"]), tuple(listed["address"]), tuple(listed["closing"]),
                 verbs)


def _ordinal(num: str, series: str, rules: Rules) -> int | None:
    """1-based ordinal of a marker's `num`, or None when it is not one."""
    if num.isdigit():
        return int(num)
    if series in rules.orders:
        order = rules.orders[series]
        return order.index(num) + 1 if num in order else None
    if len(num) == 1:
        return _CN_DIGITS.get(num) if num != "十" else 10
    tens, _, ones = num.partition("十")
    if not _ or len(ones) > 1 or len(tens) > 1:
        return None
    return (_CN_DIGITS.get(tens, 0) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)


def clean(s: str) -> str:
    """Text without the PDF's whitespace: none next to a CJK character, one space elsewhere."""
    s = re.sub(r"\s+", " ", s).strip()
    return re.sub(r" (?=[^\x00-\x7f])|(?<=[^\x00-\x7f]) ", "", s)


# --- sections -------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Section:
    label: str  # "五"; "" for a bare heading or a text without top-level headings
    title: str
    head: int  # where its heading line starts (its body's start for a text without headings)
    body: int  # where its content starts (after the heading line)
    end: int


def _lines(text: str):
    pos = 0
    for line in text.splitlines(keepends=True):
        yield pos, line
        pos += len(line)


def _is_bare_heading(line: str, rules: Rules) -> bool:
    """A line of its own that names a plan without a number ("2025年工作安排")."""
    line = line.strip()
    return (0 < len(line) <= MAX_BARE_HEADING and not any(ch in _CLAUSE_END for ch in line)
            and any(k.search(line) for k in rules.keywords))


def _closes(text: str, lead: int, stripped: str, rules: Rules) -> bool:
    """Whether the paragraph at `lead` is an address to the audience that closes the plan (the
    government's own conduct, the final appeal): a stray "各位代表！" before more tasks is not.
    An address alone on its line is read with the next paragraph that is not blank."""
    address = next((a for a in rules.addresses if stripped.startswith(a)), None)
    if address is None:
        return False
    end = text.find("\n", lead)
    end = len(text) if end < 0 else end
    if len(text[lead:end].strip()) <= len(address) + 1:  # "各位代表！" and nothing more
        nxt = end
        while nxt < len(text) and text[nxt].isspace():  # blank lines between paragraphs
            nxt += 1
        following = text.find("\n", nxt)
        end = len(text) if following < 0 else following
    return any(c.search(text, lead, end) for c in rules.closings)


def sections(text: str, rules: Rules | None = None) -> list[_Section]:
    """Top-level sections, each ending at the next heading, at a stop line (注释, 参考文献 …) or
    at a closing address (各位代表！…让我们…). A heading is numbered ("二、…", each the next
    ordinal) or a bare plan heading line ("2025年工作安排")."""
    rules = rules or load_rules()
    heads = [m for m in rules.markers if m.level == "section"]
    found: list[_Section] = []
    open_: tuple[str, str, int, int] | None = None
    last: int | None = None
    stop_at: int | None = None  # the first stop line, for a text without headings

    def close(at: int) -> None:
        nonlocal open_
        if open_:
            found.append(_Section(*open_, at))
        open_ = None

    for pos, line in _lines(text):
        stripped = line.lstrip()
        lead = pos + len(line) - len(stripped)
        if (any(stripped.startswith(s) for s in rules.stops)
                or _closes(text, lead, stripped, rules)):
            close(lead)
            stop_at = lead if stop_at is None else stop_at
            continue
        numbered = next((m for rule in heads if (m := rule.regex.match(stripped))), None)
        if numbered is None:
            if _is_bare_heading(stripped, rules):
                close(lead)
                open_ = ("", clean(stripped), lead, pos + len(line))
            continue
        rule = next(rule for rule in heads if rule.regex is numbered.re)
        n = _ordinal(numbered.group("num"), rule.series, rules)
        if n is not None and (last is None or n == last + 1):
            close(lead)
            last = n
            label = rule.label.format(num=numbered.group("num"))
            open_ = (label, clean(stripped[numbered.end():]), lead, pos + len(line))
    close(len(text))
    if not found and last is None:
        end = len(text) if stop_at is None else stop_at
        return [_Section("", "", 0, 0, end)]
    return found


def _intro(text: str, sec: _Section, rules: Rules) -> tuple[int, int]:
    """The span of a section's text before its first group marker."""
    firsts = [m.start() for rule in rules.markers if rule.level == "group"
              for m in [rule.regex.search(text, sec.body, sec.end)] if m]
    return sec.body, min(firsts, default=sec.end)


def _is_plan(text: str, sec: _Section, rules: Rules) -> bool:
    if not sec.title:  # a text without headings is read whole
        return True
    if any(k.search(sec.title) for k in rules.keywords):
        return True
    start, end = _intro(text, sec, rules)
    return any(b.search(text, start, end) for b in rules.body)


def plan_sections(text: str, rules: Rules | None = None) -> list[tuple[_Section, bool]]:
    """The recommendation (plan) sections, each with whether it holds task groups: a preamble
    (总体要求和主要目标) followed at once by another plan section holds none."""
    rules = rules or load_rules()
    secs = sections(text, rules)
    plan = [_is_plan(text, sec, rules) for sec in secs]
    out = []
    for i, sec in enumerate(secs):
        if not plan[i]:
            continue
        followed = i + 1 < len(secs) and plan[i + 1] and secs[i + 1].head == sec.end
        preamble = followed and any(p.search(sec.title) for p in rules.preambles)
        out.append((sec, not preamble))
    return out


# --- the hierarchy --------------------------------------------------------------------------

@dataclass(slots=True)
class _Node:
    level: str
    label: str
    start: int
    marker_end: int
    parent: int | None  # index into the node list
    end: int = 0


def _candidates(text: str, a: int, b: int, rules: Rules):
    """(start, end, rank, marker, num) of every marker match in text[a:b] at a valid place."""
    out = []
    for rule in rules.markers:
        if rule.level not in LEVELS:
            continue
        rank = LEVELS.index(rule.level)
        for m in rule.regex.finditer(text, a, b):
            s = m.start()
            prev = text[s - 1] if s > 0 else "\n"
            if rule.where == "line":
                ok = _at_line_start(text, s)
            elif rule.where == "head":
                ok = prev.isspace()
            else:
                ok = prev.isspace() or prev in _BEFORE_INLINE
            if ok:
                out.append((s, m.end(), rank, rule, m.group("num")))
    out.sort(key=lambda c: (c[0], c[2]))
    return _one_group_series(out, rules)


def _one_group_series(candidates: list, rules: Rules) -> list:
    """Drops the group candidates of every series but the first (in the order of the marker
    rows) whose first ordinal occurs: a plan numbers its groups (一) or 一是, not both; and
    drops every candidate before the first group."""
    group = LEVELS.index("group")
    starting = {c[3] for c in candidates
                if c[2] == group and _ordinal(c[4], c[3].series, rules) == 1}
    chosen = next((m for m in rules.markers if m in starting), None)
    if chosen is None:
        return candidates
    # what is numbered before the first group (the principles of the plan's intro) is not a task
    first = min(c[0] for c in candidates if c[3] is chosen)
    return [c for c in candidates if c[0] >= first and (c[2] != group or c[3] is chosen)]


def _at_line_start(text: str, pos: int) -> bool:
    """Only whitespace between the line's start and `pos`. Scans back over whitespace alone:
    looking back for the line break itself costs the whole line, which in a text without line
    breaks is the whole text, for every candidate."""
    i = pos
    while i > 0 and text[i - 1].isspace() and text[i - 1] != "\n":
        i -= 1
    return i == 0 or text[i - 1] == "\n"


def _ends(nodes: list[_Node], section_end: int) -> list[int]:
    """Where each node ends: at the next node of its level or an outer one, else at the end of
    the section. One pass from the back with the next start per level, not a scan per node."""
    ends = [section_end] * len(nodes)
    next_at: list[int | None] = [None] * len(LEVELS)  # next start of a node of each level
    for i in range(len(nodes) - 1, -1, -1):
        rank = LEVELS.index(nodes[i].level)
        later = [at for at in next_at[:rank + 1] if at is not None]
        ends[i] = min(later, default=section_end)
        next_at[rank] = nodes[i].start
    return ends


def _tree(text: str, sec: _Section, rules: Rules) -> list[_Node]:
    nodes: list[_Node] = []
    open_at: list[int | None] = [None] * len(LEVELS)  # open node per level
    counters: dict[tuple[int | None, int], tuple[str, int]] = {}  # (parent, rank) -> last
    taken = -1
    for s, e, rank, rule, num in _candidates(text, sec.body, sec.end, rules):
        if s < taken:
            continue
        n = _ordinal(num, rule.series, rules)
        if n is None:
            continue
        parent = next((open_at[r] for r in range(rank - 1, -1, -1) if open_at[r] is not None),
                      None)
        series, last = counters.get((parent, rank), ("", 0))
        if not ((n == last + 1 and (series == rule.series or last == 0))
                or (rank == LEVELS.index("point") and n == 1)):
            continue
        counters[(parent, rank)] = (rule.series, n)
        nodes.append(_Node(rule.level, rule.label.format(num=num), s, e, parent))
        open_at[rank] = len(nodes) - 1
        for r in range(rank + 1, len(LEVELS)):
            open_at[r] = None  # children of the new node count from 1: keyed by its index
        taken = e
    for node, end in zip(nodes, _ends(nodes, sec.end), strict=True):
        while end > node.start and text[end - 1].isspace():
            end -= 1
        node.end = end
    return nodes


def _title(text: str, node: _Node, starts: list[int]) -> str:
    """`starts`: the starts of all nodes, in text order."""
    a = node.marker_end
    after = bisect_left(starts, a)
    limit = min(node.end, starts[after]) if after < len(starts) else node.end
    if node.level == "point":
        while a < limit and (text[a] in _CLAUSE_END or text[a].isspace()):
            a += 1
        stops = _CLAUSE_END
    else:
        stops = _TITLE_END
    b = next((k for k in range(a, limit) if text[k] in stops), limit)
    title = clean(text[a:b])
    if len(title) > MAX_TITLE:
        cut = next((k for k, ch in enumerate(title) if ch in _COMMA), len(title))
        title = title[:cut]
    return title


# --- actions --------------------------------------------------------------------------------

def find_actions(text: str, start: int = 0, end: int | None = None,
                 rules: Rules | None = None) -> list[Action]:
    """Verb + object phrases in text[start:end].

    The text is read as the normaliser reads it: the PDF's whitespace inside a sentence (even a
    line or page break) and quotation marks are skipped; a line break the normaliser keeps ends
    an object. Verb and object are given as normalised text; offsets point into `text`.
    Adjacent verbs form one chain (加快推进) with the strength of its first word. The object runs
    to the next clause punctuation (，；。：！？ and their ASCII forms) or line break; 、 does not
    end it (推动能源、化工、食品等行业…). A verb inside an earlier object is part of that object
    (支持…加快… is one supportive action); a verb after 的 is a noun (…的支持) and is skipped.
    """
    rules = rules or load_rules()
    end = len(text) if end is None else end
    norm = normalise(text[start:end])
    s = norm.text
    index = [start + norm.offsets.to_original(i) for i in range(len(s))]
    longest = rules.max_verb

    def verb_at(i: int) -> str | None:
        for n in range(min(longest, len(s) - i), 0, -1):
            if s[i:i + n] in rules.verbs:
                return s[i:i + n]
        return None

    out: list[Action] = []
    i = 0
    while i < len(s):
        first = verb_at(i)
        if first is None or (i > 0 and s[i - 1] == "的"):
            i += 1
            continue
        j = i + len(first)
        while (more := verb_at(j)) is not None:
            j += len(more)
        k = j
        while k < len(s) and s[k] not in _CLAUSE_END:
            k += 1
        if k > j:
            out.append(Action(clean(s[i:j]), clean(s[j:k]),
                              index[i], index[k - 1] + 1, rules.verbs[first]))
        i = k
    return out


def strongest(strengths) -> str | None:
    ranked = [STRENGTHS.index(s) for s in strengths]
    return STRENGTHS[max(ranked)] if ranked else None


# --- entry point ----------------------------------------------------------------------------

def find_recommendations(text: str, rules: Rules | None = None) -> list[Recommendation]:
    """Groups, items and sub-points of the text's recommendation sections, in text order."""
    rules = rules or load_rules()
    out: list[Recommendation] = []
    seen: dict[str, int] = {}
    for sec, holds_groups in plan_sections(text, rules):
        if not holds_groups:
            continue
        nodes = _tree(text, sec, rules)
        starts = [node.start for node in nodes]
        titles = [_title(text, node, starts) for node in nodes]
        kept = _without_excluded(nodes, titles, rules)
        ids: dict[int, str] = {}
        numbers: dict[int, str] = {}
        for i in kept:
            node = nodes[i]
            prefix = numbers[node.parent] if node.parent is not None else sec.label
            number = f"{prefix}.{node.label}" if prefix else node.label
            seen[number] = seen.get(number, 0) + 1
            ids[i] = number if seen[number] == 1 else f"{number}~{seen[number]}"
            numbers[i] = number
        children_of: dict[int, list[_Node]] = {}
        for i in kept:
            if nodes[i].parent is not None:
                children_of.setdefault(nodes[i].parent, []).append(nodes[i])
        for i in kept:
            node = nodes[i]
            children = children_of.get(i, [])
            actions: list[Action] = []
            a = node.marker_end
            for child in [*children, None]:
                b = child.start if child else node.end
                actions += find_actions(text, a, b, rules)
                a = child.end if child else a
            out.append(Recommendation(
                id=ids[i], number=numbers[i], level=node.level,
                title=titles[i], start=node.start, end=node.end,
                parent=ids[node.parent] if node.parent is not None else None,
                actions=tuple(actions), strength=strongest(x.strength for x in actions)))
    return out


def _without_excluded(nodes: list[_Node], titles: list[str], rules: Rules) -> list[int]:
    """Indices of the nodes that stay: a top-level node whose title an `exclude` row matches
    (政府自身建设) goes, with everything inside it."""
    dropped: set[int] = set()
    for i, node in enumerate(nodes):
        if node.parent in dropped or (
                node.parent is None and any(x.search(titles[i]) for x in rules.excludes)):
            dropped.add(i)
    return [i for i in range(len(nodes)) if i not in dropped]
