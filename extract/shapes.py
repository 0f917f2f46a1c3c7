"""Shape rules: names the gazetteer lacks, recognised as an anchor followed by a type suffix.

昆明都市圈 = a known place + 都市圈; 川藏铁路 = a run of abbreviations + 铁路; 平陆运河 = a jieba
place-name token + 运河; 南宁至深圳高铁 = place 至 place + 高铁. The suffixes, their classes and the
anchors each one accepts are data (`patterns/shapes.tsv`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from .abbreviations import MAX_RUN
from .gazetteer import PATTERNS
from .normalize import is_cjk
from .records import Candidate

SHAPE_PRIORITY = 2  # an overlap of equal length: below a gazetteer name, above a run
# The text before a suffix read for a jieba place-name word as its anchor: 6 characters hold 98 %
# of the 17,700 place names (tag ns) of jieba's dictionary; the longer ones are full official
# names, not the short names a shape is built on.
PLACE_WORD_MAX = 6
# The text before a suffix read for a free proper name (汉江国家实验室, 燕矶长江大桥).
FREE_NAME_MAX = 12
# A platform or cluster takes its name from a province, a city, a province's sub-region or a
# cluster (赣州都市圈, 吉西南承接产业转移示范区, 京津冀科技创新走廊); a country name before a
# platform word is generic (中国综合性国家科学中心).
ANCHOR_CLASSES = frozenset({"Province", "City", "County", "Town", "ProvincialSubRegion",
                            "CityCluster", "StrategicRegion"})
# Places a platform of a city is named after: a city, or a county-level place (霍尔果斯口岸).
CITY_CLASSES = frozenset({"City", "County", "Town"})
CONNECTORS = ("至", "—", "一")
# Regions, whose names no city before them opens: 洛阳中原城市群 is 洛阳 and 中原城市群 (a
# facility's is: 宜昌三峡机场).
REGION_CLASSES = frozenset({"CityCluster", "MetropolitanArea", "StrategicRegion",
                            "EconomicBelt"})
# Lines and services a facility of theirs is named after (`line` anchor: 中欧班列集结中心).
LINE_CLASSES = frozenset({"FreightTrainService", "Railway", "LandSeaCorridor"})
# Words for divisions and parts of lines, never the abbreviation of a line's end (县通高速).
DIVISION_WORDS = frozenset("省市县区镇乡村段线")
# Where a free name (anchor `name`) may begin: no name runs across these.
NAME_STOPS = frozenset("，。；：、！？（）()“”\"《》〈〉 \n\t的和与及或等")

# length of the place-name word (by jieba's dictionary tags) that ends a string, or 0
PlaceWord = Callable[[str], int]
# where the proper name that ends text[:at] begins (jieba's part-of-speech tags), or None
FreeName = Callable[[str, int, int], int | None]
# where the dictionary word that ends at `at` and holds offset `start` begins (`start` when no
# word straddles it): 长白山 holds 白山, so 长白山实验室 is not 白山 + 实验室
WordStart = Callable[[str, int, int], int]
# a full name -> (entity refs, class) when the gazetteer knows it
Lookup = Callable[[str], tuple[tuple[str, ...], str] | None]
ELLIPSIS_RULE = "ellipsis/v1"
ROAD_CODE_RULE = "road-code/v1"
# An item of a list that shares the last item's suffix is read as that kind of name before any
# place of the same spelling: 贵南 in 渝昆、贵南、隆黄铁路 is a railway, not 贵南县.
ELLIPSIS_PRIORITY = 4


@dataclass(frozen=True, slots=True)
class ShapeRule:
    suffix: str
    cls: str
    anchors: frozenset[str]


@dataclass(frozen=True, slots=True)
class ShapeRules:
    rules: dict[str, ShapeRule]
    pattern: re.Pattern[str]
    lengths: tuple[int, ...]  # of the suffixes, longest first


def load_road_codes(patterns: Path = PATTERNS) -> re.Pattern[str]:
    """The pattern of a road code (`patterns/road_codes.tsv`): group `digits`, group `word`."""
    rows: dict[str, list[str]] = {}
    for line in (patterns / "road_codes.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, value = line.split("\t")
            rows.setdefault(kind, []).append(value)
    prefixes = "".join(map(re.escape, rows["prefix"]))
    words = "|".join(map(re.escape, sorted(rows["road_word"], key=len, reverse=True)))
    min_bare = int(rows["min_bare_digits"][0])
    return re.compile(rf"(?<![A-Za-z0-9])[{prefixes}](?P<digits>\d{{1,4}})(?![0-9A-Za-z.．])"
                      rf"(?:(?P<word>{words})|(?<=\d{{{min_bare}}}))")


def road_code_candidates(text: str, pattern: re.Pattern[str]) -> Iterable[Candidate]:
    """G331, S27公路: a road's code names the road (a Highway)."""
    for m in pattern.finditer(text):
        yield Candidate(m.start(), m.end(), (), "Highway", ROAD_CODE_RULE, SHAPE_PRIORITY)


RAIL_LINE_RULE = "rail-line/v1"
# A rail transit line's code: a letter or none, 1-2 digits, 号 or none, 线 (4号线, S1线, Z4线).
_LINE_CODE = r"[A-Z]?[0-9]{1,2}号?线"
# What may stand between two lines of one list: a section (一期西段, 北段, 全线) and a separator.
_LINE_LIST_GAP = r"(?:全线|[一二三四五六七八九十]期)?(?:[东南西北]段)?[、和及]"


def load_rail_lines(patterns: Path = PATTERNS) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The pattern of a rail transit line (`patterns/rail_line_words.tsv`: 地铁4号线), and of
    the next line of its list (、7号线)."""
    words = [line for line in (patterns / "rail_line_words.tsv").read_text(
        encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]
    alternatives = "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
    return (re.compile(rf"(?:{alternatives}){_LINE_CODE}"),
            re.compile(rf"{_LINE_LIST_GAP}(?P<code>{_LINE_CODE})"))


def rail_line_candidates(text: str, patterns: tuple[re.Pattern[str], re.Pattern[str]],
                         found: Sequence[Candidate], base: int = 0) -> Iterable[Candidate]:
    """地铁11号线, 长春轨道交通6号线 and the lines listed after one (、5号线): each a Railway
    named by its code. A city right before the word is part of the name."""
    line, following = patterns
    cities = {c.end - base: c.start - base for c in found if c.cls in CITY_CLASSES}
    for m in line.finditer(text):
        yield Candidate(base + cities.get(m.start(), m.start()), base + m.end(), (), "Railway",
                        RAIL_LINE_RULE, SHAPE_PRIORITY)
        at = m.end()
        while (nxt := following.match(text, at)) is not None:
            yield Candidate(base + nxt.start("code"), base + nxt.end(), (), "Railway",
                            RAIL_LINE_RULE, SHAPE_PRIORITY)
            at = nxt.end()


def load_rules(patterns: Path = PATTERNS) -> ShapeRules:
    rules: dict[str, ShapeRule] = {}
    for line in (patterns / "shapes.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        suffix, cls, anchors = line.split("\t")
        rules[suffix] = ShapeRule(suffix, cls, frozenset(anchors.split(",")))
    alternatives = "|".join(re.escape(s) for s in sorted(rules, key=len, reverse=True))
    lengths = tuple(sorted({len(s) for s in rules}, reverse=True))
    return ShapeRules(rules, re.compile(alternatives), lengths)


@dataclass(frozen=True, slots=True)
class Anchors:
    """What a suffix may be anchored on in one chunk: the known places ending at each offset,
    every name's end, the abbreviation runs, and jieba's word and name readers."""

    text: str
    places_ending: dict[int, list[Candidate]]
    names_ending: set[int]
    run_pattern: re.Pattern[str]
    place_word: PlaceWord
    free_name: FreeName | None
    ordinary_word: Callable[[str], bool]
    base: int
    # the known places ending at each offset, those that anchor nothing else included: a line's
    # ends (X至Y铁路) are places by their connector
    line_ends_at: dict[int, list[Candidate]]
    # where a compound of cities' characters (哈大齐) that ends at an offset begins: a run anchor
    compound_start: dict[int, int]
    port_name: FreeName | None
    # where the known line or service that ends at an offset begins (中欧班列 + 集结中心)
    lines_ending: dict[int, int]
    national_name: FreeName | None
    word_start: WordStart = lambda text, start, at: start
    # characters that open a city's short name or abbreviate a province (平, 南, 京): the third
    # end a line's name may hold before its pair (平漯周高铁, 南信合高铁, 京雄商高铁)
    initials: frozenset[str] = frozenset()


def shape_candidates(text: str, found: Sequence[Candidate], run_pattern: re.Pattern[str],
                     rules: ShapeRules, place_word: PlaceWord,
                     base: int = 0, free_name: FreeName | None = None,
                     ordinary_word: Callable[[str], bool] = lambda w: True,
                     line_ends: Sequence[Candidate] | None = None,
                     compounds: Iterable[tuple[int, int]] = (),
                     port_name: FreeName | None = None,
                     national_name: FreeName | None = None,
                     word_start: WordStart | None = None,
                     initials: frozenset[str] = frozenset()) -> Iterable[Candidate]:
    """Shape candidates in `text` (a chunk starting at `base`), anchored on `found` candidates;
    the ends of a line named X至Y may also be any of `line_ends` (default: `found`), and a run
    anchor any of the `compounds` (start, end) of cities' characters."""
    places_ending = _places_ending(found, base)
    names_ending = {c.end - base for c in found}
    line_ends_at = places_ending if line_ends is None else _places_ending(line_ends, base)
    anchors = Anchors(text, places_ending, names_ending, run_pattern, place_word, free_name,
                      ordinary_word, base, line_ends_at,
                      {end - base: start - base for start, end in compounds}, port_name,
                      {c.end - base: c.start - base for c in found if c.cls in LINE_CLASSES},
                      national_name,
                      word_start if word_start is not None else Anchors.word_start, initials)
    spans = [(c.start - base, c.end - base) for c in found]
    for m in rules.pattern.finditer(text):
        rule = rules.rules[m.group()]
        start = _anchor_start(m.start(), rule, anchors)
        if start is None:
            start = _qualified_anchor_start(m.start(), rule, anchors)
        if start is not None:
            start = _known_name_start(start, m.start(), spans)
        if start is not None and start < m.start():
            if rule.cls not in REGION_CLASSES:
                start = _with_city_before(start, anchors)
            yield Candidate(base + start, base + m.end(), (), rule.cls,
                            f"shape/{rule.suffix}/v1", SHAPE_PRIORITY)


def _known_name_start(start: int, at: int, spans: Sequence[tuple[int, int]]) -> int:
    """A name that begins inside a known name begins where that one does: jieba tags 雄安 as
    an adjective, so the free name of 雄安新区中关村科技园 would begin at 新区."""
    holders = [s for s, e in spans if s < start < e <= at]
    return min(holders) if holders else start


def _places_ending(found: Iterable[Candidate], base: int) -> dict[int, list[Candidate]]:
    ending: dict[int, list[Candidate]] = {}
    for c in found:
        if c.cls in ANCHOR_CLASSES:
            ending.setdefault(c.end - base, []).append(c)
    return ending


def _with_city_before(start: int, a: Anchors) -> int:
    """A name read from a place word or a proper name begins at the city written right before
    it (宜昌 + 三峡机场, 西双版纳 + 关累港): the city is part of the facility's name."""
    cities = [p for p in a.places_ending.get(start, []) if p.cls in CITY_CLASSES]
    return min(p.start for p in cities) - a.base if cities else start


def _pair_start(at: int, a: Anchors) -> int | None:
    """place 至 place, each a known place or a jieba place word: 南宁至深圳, 珲春至防川."""
    text = a.text
    places = a.line_ends_at.get(at, [])
    first = min(p.start for p in places) - a.base if places else at - a.place_word(
        text[max(0, at - PLACE_WORD_MAX):at])
    if first >= at or first <= 0 or text[first - 1] not in CONNECTORS:
        return None
    before = a.line_ends_at.get(first - 1, [])
    if before:
        return min(p.start for p in before) - a.base
    n = a.place_word(text[max(0, first - 1 - PLACE_WORD_MAX):first - 1])
    return first - 1 - n if n else None


# A national zone of one place is named 中国 + the place in brackets (中国（贵州）自由贸易试验区,
# 中国（鄂州）跨境电子商务综合试验区); normalisation makes the brackets ASCII.
NATIONAL_PREFIX = "中国("


def _national_bracket_start(at: int, a: Anchors) -> int | None:
    """中国(place) right before the head word: the name begins at 中国."""
    if at < 1 or a.text[at - 1] != ")":
        return None
    places = a.places_ending.get(at - 1, [])
    if not places:
        return None
    start = min(p.start for p in places) - a.base - len(NATIONAL_PREFIX)
    return start if start >= 0 and a.text.startswith(NATIONAL_PREFIX, start) else None


def _abbreviation_pair_start(at: int, a: Anchors) -> int | None:
    """Two characters that are no word of their own before a line's suffix name its two ends by
    abbreviation (荆荆高铁, 汉宜高速, 沈白高铁): no run of abbreviations needed."""
    start = at - 2
    pair = a.text[start:at]
    if start < 0 or len(pair) != 2 or not all(is_cjk(ch) for ch in pair):
        return None
    if any(ch in NAME_STOPS or ch in DIVISION_WORDS for ch in pair) or a.ordinary_word(pair):
        return None
    # 分别是高速铁路: the first character ends a word that begins before it.
    if start > 0 and a.ordinary_word(a.text[start - 1:start + 1]):
        return None
    return _with_third_initial(start, a)


def _with_third_initial(start: int, a: Anchors) -> int:
    """A line named by three ends (平漯周高铁, 南信合高铁) holds the character before its pair
    when that one opens a city's short name or abbreviates a province, is no word with the
    character before it (新建, 推进, 续建 are verbs) and no word with the pair's first."""
    third = start - 1
    if third < 0 or a.text[third] not in a.initials or a.text[third] in NAME_STOPS:
        return start
    if a.ordinary_word(a.text[third:start + 1]) or (
            third > 0 and a.ordinary_word(a.text[third - 1:start])):
        return start
    return third


# The longest qualifier in brackets between a name and its head word: 中欧（中亚）班列,
# 中欧班列（郑州）集结中心 (normalisation makes the brackets ASCII).
QUALIFIER_MAX = 4


def _qualified_anchor_start(at: int, rule: ShapeRule, a: Anchors) -> int | None:
    """A name anchored before a short qualifier in brackets that stands right before its head
    word (中欧（中亚）班列 is the China–Europe service to Central Asia): the anchor is read before
    the brackets, and the name holds them."""
    text = a.text
    if at < 3 or text[at - 1] != ")":
        return None
    opening = text.rfind("(", max(0, at - 2 - QUALIFIER_MAX), at - 1)
    if opening < 1 or not all(is_cjk(ch) for ch in text[opening + 1:at - 1]):
        return None
    return _anchor_start(opening, rule, a)


def _anchor_start(at: int, rule: ShapeRule, a: Anchors) -> int | None:
    text, base = a.text, a.base
    places = a.places_ending.get(at, [])
    if "pair" in rule.anchors:
        start = _pair_start(at, a)
        if start is not None:
            return start
    if "place" in rule.anchors and places:
        return a.word_start(text, min(p.start for p in places) - base, at)
    cities = [p for p in places if p.cls in CITY_CLASSES]
    if "city" in rule.anchors and cities:
        return a.word_start(text, min(p.start for p in cities) - base, at)
    if "run" in rule.anchors and at in a.compound_start:
        return a.compound_start[at]
    if "run" in rule.anchors:
        lo = max(0, at - MAX_RUN)  # no run is longer
        for m in a.run_pattern.finditer(text, lo, at):
            if m.end() == at:
                return m.start()
    # A jieba place-name token is an anchor only where no known name ends (东北地区 is a region,
    # not the name of a medical centre).
    if ("word" in rule.anchors and at not in a.names_ending and at > 0
            and is_cjk(text[at - 1])):
        n = a.place_word(text[max(0, at - PLACE_WORD_MAX):at])
        if n:
            return at - n
    if "name" in rule.anchors and a.free_name is not None and at > 0:
        start = a.free_name(text, at, max(0, at - FREE_NAME_MAX))
        if start is not None:
            return start
    if "port" in rule.anchors and a.port_name is not None and at > 0:
        start = a.port_name(text, at, max(0, at - FREE_NAME_MAX))
        if start is not None:
            return start
    if "cn" in rule.anchors:
        start = _national_bracket_start(at, a)
        if start is not None:
            return start
    if "line" in rule.anchors and at in a.lines_ending:
        return a.lines_ending[at]
    if "national" in rule.anchors and a.national_name is not None and at > 0:
        start = a.national_name(text, at, max(0, at - FREE_NAME_MAX))
        if start is not None:
            return start
    if "abbr2" in rule.anchors:
        return _abbreviation_pair_start(at, a)
    return None


def ellipsis_candidates(text: str, found: Sequence[Candidate], run_pattern: re.Pattern[str],
                        rules: ShapeRules, lookup: Lookup,
                        item_places: Sequence[Candidate] | None = None,
                        initials: frozenset[str] = frozenset(),
                        ordinary_word: Callable[[str], bool] = lambda w: True
                        ) -> Iterable[Candidate]:
    """Names that share the suffix of the last one in a list: 川藏、新藏、滇藏铁路 names three
    railways; 渝昆、贵南、隆黄铁路 too. Each earlier item is as long as the last one's anchor,
    and is a name only if the gazetteer knows item + suffix or the item is an abbreviation run.
    A list of cities' or counties' names before a facility named after the last of them
    (威宁、德江机场) shares it too: `_place_items`; the places such an item may be are
    `item_places` (default: all of `found`). An item whose characters each open a city's
    short name or abbreviate a province (`initials`: 焦洛平、南信合高铁) is a line's too, when
    the suffix is a line's named by its ends' abbreviations (`abbr2`), the item is no known
    name (南昌、赣江新区) and no two of its characters make an ordinary word."""
    places = _city_places(found if item_places is None else item_places)
    for c in found:
        if c.start == 0 or text[c.start - 1] != "、":
            continue
        surface = text[c.start:c.end]
        suffix = next((surface[-n:] for n in rules.lengths
                       if n < len(surface) and surface[-n:] in rules.rules), None)
        if suffix is None:
            continue
        width = len(surface) - len(suffix)
        if "city" in rules.rules[suffix].anchors and (c.start, c.end - len(suffix)) in places:
            yield from _place_items(text, c, places, lookup, suffix)
            continue
        if "pair" in rules.rules[suffix].anchors and CONNECTORS[0] in surface[:width]:
            yield from _pair_items(text, c, places)
            continue
        pos = c.start
        while pos > width and text[pos - 1] == "、":
            item_start = pos - 1 - width
            item = text[item_start:pos - 1]
            known = lookup(item + suffix)
            if known is not None:
                refs, cls = known
            elif ((run_pattern.fullmatch(item) and not any(ch.isspace() for ch in item))
                  or ("abbr2" in rules.rules[suffix].anchors and lookup(item) is None
                      and _initials_item(item, initials, ordinary_word))):
                refs, cls = (), c.cls
            else:
                break
            yield Candidate(item_start, pos - 1, refs, cls, ELLIPSIS_RULE, ELLIPSIS_PRIORITY)
            pos = item_start


def _initials_item(item: str, initials: frozenset[str],
                   ordinary_word: Callable[[str], bool]) -> bool:
    return (len(item) > 1 and all(ch in initials and ch not in NAME_STOPS for ch in item)
            and not any(ordinary_word(item[i:i + 2]) for i in range(len(item) - 1)))


def _pair_items(text: str, last: Candidate, places: dict[tuple[int, int], Candidate]
                ) -> Iterable[Candidate]:
    """The items before `last` (a line named place 至 place: 松江河至长白高速) that are each
    place 至 place, parted by 、: each is a line of the same kind (白山至临江、松江河至长白高速
    are two expressways). Both ends must be known cities, counties or towns."""
    ends: dict[int, list[int]] = {}
    for start, end in places:
        ends.setdefault(end, []).append(start)
    pos = last.start
    while pos > 1 and text[pos - 1] == "、" and ends.get(pos - 1):
        second = min(ends[pos - 1])
        if text[second - 1] != CONNECTORS[0] or not ends.get(second - 1):
            return
        first = min(ends[second - 1])
        yield Candidate(first, pos - 1, (), last.cls, ELLIPSIS_RULE, ELLIPSIS_PRIORITY)
        pos = first


def _city_places(found: Sequence[Candidate]) -> dict[tuple[int, int], Candidate]:
    """The names of cities, counties and towns among `found`, by their span."""
    return {(c.start, c.end): c for c in found if c.cls in CITY_CLASSES}


def _place_items(text: str, last: Candidate, places: dict[tuple[int, int], Candidate],
                 lookup: Lookup, suffix: str) -> Iterable[Candidate]:
    """The items before `last` (a facility named after a city or county: 德江机场) that are each
    a city's or county's whole name, parted by 、: each names that kind of facility of its
    place (威宁、德江机场 are two airports), a listed one (item + suffix) linked. When the
    last one is listed, an item must be too: 经格尔木、吉隆口岸 is a city and a port of entry,
    which the tables list all of."""
    ends: dict[int, list[int]] = {}
    for start, end in places:
        ends.setdefault(end, []).append(start)
    listed = lookup(text[last.start:last.end]) is not None
    pos = last.start
    while pos > 0 and text[pos - 1] == "、" and ends.get(pos - 1):
        item_start = min(ends[pos - 1])
        known = lookup(text[item_start:pos - 1] + suffix)
        if known is None and listed:
            return
        refs, cls = known if known is not None else ((), last.cls)
        yield Candidate(item_start, pos - 1, refs, cls, ELLIPSIS_RULE, ELLIPSIS_PRIORITY)
        pos = item_start


COUNTED_LIST_RULE = "counted-list/v1"
# Characters that join the last two items of a counted list (六盘山和贺兰山两个实验室).
LIST_JOINERS = "和及与"
# The longest item read as a name in a counted list (武汉东湖 is 4; 黑瞎子岛 4, 马栏山 3): longer
# stretches before a count are clauses, not names. Each end of a line's X至Y item is read as far.
COUNTED_ITEM_MAX = 6
# The longest first end of an X至Y item taken whole when it does not read as a name (黄桶, a town):
# only right after a 、, where nothing but the item can stand.
LINE_END_BARE_MAX = 4
# A line's item without 至 abbreviates its ends: 广惠 (广州–惠州), 广韶北, 赣龙厦.
LINE_ABBREVIATION_WIDTHS = (2, 3)
# where the name that ends at an offset begins, reading back no further than a bound
NameStart = Callable[[str, int, int], int | None]


@dataclass(frozen=True, slots=True)
class CountedHeads:
    pattern: re.Pattern[str]  # a count or 等, a qualifier, a head word (group `head`)
    classes: dict[str, str]  # head word -> class
    lines: frozenset[str]  # the head words of lines, whose items are X至Y or abbreviations


def load_counted_heads(patterns: Path = PATTERNS) -> CountedHeads:
    """The heads a counted list may share, their qualifiers and measure words
    (`patterns/counted_heads.tsv`)."""
    rows: dict[str, list[list[str]]] = {}
    for line in (patterns / "counted_heads.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, *values = line.split("\t")
            rows.setdefault(kind, []).append(values)
    classes = {value: cls for value, cls in rows["head"] + rows["line_head"]}

    def alternatives(words: Iterable[str]) -> str:
        return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))

    units = alternatives(v[0] for v in rows["unit"])
    quals = alternatives(v[0] for v in rows["qualifier"])
    count = rf"(?:等)?(?:[0-9]+|[一二两三四五六七八九十]+)(?:{units})|等"
    return CountedHeads(re.compile(rf"(?:{count})(?:{quals})?(?P<head>{alternatives(classes)})"),
                        classes, frozenset(value for value, _ in rows["line_head"]))


def counted_list_candidates(text: str, found: Sequence[Candidate], heads: CountedHeads,
                            name_start: NameStart, ordinary_word: Callable[[str], bool],
                            base: int = 0) -> Iterable[Candidate]:
    """The items of a list closed by a count (or 等) and a platform's or a line's head
    word, each a name of the head's class: 长白山、三江、吉光3个省实验室; 武汉东湖、
    襄阳、宜昌3家高新区 (the cities name the zones here, not themselves); 盘州至兴义、
    黄桶至百色等铁路. The last item must read as a name, or the list is none (安全人工
    智能、应用超导等省实验室 lists fields). An item that already names something other
    than a place (鄂州花湖机场、宜昌三峡机场2个国际机场) keeps its own name."""
    not_places = {(c.start - base, c.end - base) for c in found if c.cls not in ANCHOR_CLASSES}
    for m in heads.pattern.finditer(text):
        head = m.group("head")
        if head in heads.lines:
            item_start = partial(_line_item_start, name_start=name_start,
                                 ordinary_word=ordinary_word)
        else:
            item_start = partial(_platform_item_start, name_start=name_start)
        for start, end in _counted_items(text, m.start(), item_start):
            if (start, end) not in not_places:
                yield Candidate(base + start, base + end, (), heads.classes[head],
                                COUNTED_LIST_RULE, ELLIPSIS_PRIORITY)


# where the item of a list that ends at an offset begins: (text, end, width of the item after
# it or 0) -> start, or None when no item ends there
ItemStart = Callable[[str, int, int], int | None]


def _counted_items(text: str, at: int, item_start: ItemStart) -> list[tuple[int, int]]:
    """The items of the list that ends at `at` (the count), last first. Items are parted by 、,
    the last two also by 和/及/与; the walk back stops at the first stretch that is no item or
    at the first item after no separator, which begins where its name does (组织长白山: 长白山)."""
    items: list[tuple[int, int]] = []
    end = at
    while True:
        width = items[-1][1] - items[-1][0] if items else 0
        start = item_start(text, end, width)
        if start is None:
            return items
        items.append((start, end))
        before = text[start - 1] if start > 0 else ""
        if not (before == "、" or (before and before in LIST_JOINERS and len(items) == 1)):
            return items
        end = start - 1


def _platform_item_start(text: str, end: int, _width: int, name_start: NameStart) -> int | None:
    return name_start(text, end, max(0, end - COUNTED_ITEM_MAX))


def _stretch_start(text: str, end: int, longest: int) -> int:
    """Where the stretch of text that ends at `end` begins: after the nearest stop, at most
    `longest` characters back."""
    lo = max(0, end - longest)
    for i in range(end - 1, lo - 1, -1):
        if text[i] in NAME_STOPS:
            return i + 1
    return lo


def _line_item_start(text: str, end: int, width: int, name_start: NameStart,
                     ordinary_word: Callable[[str], bool]) -> int | None:
    """A line's item: place 至 place (盘州至兴义; the first place read as a name, 加快盘州: 盘州),
    or an abbreviation of its ends, two or three characters that are no ordinary word (广惠;
    推进广惠 before 广深: as wide as the item after it)."""
    lo = _stretch_start(text, end, 2 * COUNTED_ITEM_MAX + 1)
    stretch = text[lo:end]
    if "至" in stretch:
        to = lo + stretch.rindex("至")
        if not 0 < end - to - 1 <= COUNTED_ITEM_MAX or to - lo < 1:
            return None
        first = name_start(text, to, max(lo, to - COUNTED_ITEM_MAX))
        if first is not None:
            return first
        # a place jieba reads as no name (黄桶) is the whole first end after a 、
        return lo if to - lo <= LINE_END_BARE_MAX and lo > 0 and text[lo - 1] == "、" else None
    if len(stretch) not in LINE_ABBREVIATION_WIDTHS and width in LINE_ABBREVIATION_WIDTHS:
        lo = end - width if len(stretch) > width else lo
    item = text[lo:end]
    if (len(item) not in LINE_ABBREVIATION_WIDTHS or not all(is_cjk(ch) for ch in item)
            or any(ch in DIVISION_WORDS for ch in item) or ordinary_word(item)):
        return None
    return lo
