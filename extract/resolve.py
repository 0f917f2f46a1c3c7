"""What one chunk cannot know: choices made over the whole document's mentions.

The spaCy pass reads a document in chunks of ≈4,000 characters; some names can only be judged
against the whole text:

- **Home provinces.** A provincial report speaks of its own province's counties by their short
  names (钟祥, 麻城). A short name of a county elsewhere is far more often an ordinary word
  (新建 "newly built" is 新建区 of Nanchang). The home provinces are those named in the title
  line, else those that hold at least `HOME_SHARE` of the document's province-level places.
- **Short names of counties** count where the county lies in a home province and the short
  name is not an ordinary word, or where the text itself places them: right after the county's
  own city or province (荆州松滋), or in a list beside a place that counts (赤壁、当阳).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Protocol

from .abbreviations import COMPOUND_RULE, GROUP_RULE, SPLIT_RULE, run_contexts
from .gazetteer import PATTERNS, Gazetteer, read_tsv, weak_names, written
from .line_sections import line_sections
from .records import Mention

HOME_SHARE = 0.4  # of the province-level places of the document (a province, its cities, …)
TITLE_CHARS = 40  # the title line is read for the document's own province
_LIST_GLUE = frozenset("、和与及")
_LOCAL = frozenset({"City", "County", "Town"})


class Dictionary(Protocol):
    """What the judgements below ask of the segmenter's dictionary (jieba's, through
    `extract.components.words.Words`, which is where jieba is imported)."""

    tags: Mapping[str, str]  # word -> part-of-speech tag
    freq: Mapping[str, int]  # word -> count

    def exact_cut(self, text: str) -> list[str]:
        """The words of `text` by the dictionary alone (no guessing of unknown words)."""
        ...

    def pos_cut(self, text: str) -> list[tuple[str, str]]:
        """The words of `text` with their part-of-speech tags."""
        ...


# jieba's tags of proper names: a short name of a county tagged so is a name, not a word.
NAME_TAGS = frozenset({"ns", "nr", "nrt", "nrfg", "nz", "j"})


def ordinary_short_names(gaz: Gazetteer, tags: Mapping[str, str]) -> frozenset[str]:
    """Short names of counties that are also ordinary words (合作, 通道, 振兴, 东方, 新建): a
    word of the dictionary `tags` (word -> part-of-speech tag: jieba's) tagged as a common word,
    not as a name."""
    return frozenset(name for entry in gaz.entries.values() if entry.cls == "County"
                     for name in (entry.label_zh, *entry.aliases)
                     if tags.get(name, "ns") not in NAME_TAGS)


def province_of(ref: str, gaz: Gazetteer) -> str | None:
    """The province a place lies in, by its reference facts (a county's city's province)."""
    seen = set()
    while ref in gaz.entries and ref not in seen:
        seen.add(ref)
        entry = gaz.entries[ref]
        if entry.cls == "Province":
            return ref
        parents = [v for p, v in entry.facts if p in ("partOf", "locatedIn")
                   and v.startswith(("province/", "city/", "county/"))]
        if not parents:
            return None
        ref = parents[0]
    return None


def home_provinces(mentions: Sequence[Mention], text: str, gaz: Gazetteer) -> frozenset[str]:
    title_end = text.find("\n")
    title_end = TITLE_CHARS if title_end < 0 else min(title_end, TITLE_CHARS)
    in_title = {m.ref for m in mentions if m.end <= title_end and m.ref
                and gaz.entries[m.ref].cls == "Province"}
    if in_title:
        return frozenset(in_title)
    counts = Counter(p for m in mentions if m.ref for p in [province_of(m.ref, gaz)] if p)
    total = sum(counts.values())
    return frozenset(p for p, n in counts.items() if total and n / total >= HOME_SHARE)


def is_short_name(m: Mention, gaz: Gazetteer, ordinary_words: frozenset[str]) -> bool:
    """A county written by its short name (钟祥 for 钟祥市), or by a full name that is an
    ordinary word (城区, 郊区)."""
    return bool(m.ref) and gaz.entries[m.ref].cls == "County" and (
        written(m.text) != written(gaz.entries[m.ref].label_zh) or m.text in ordinary_words)


def _placed_by_text(i: int, mentions: Sequence[Mention], text: str, gaz: Gazetteer,
                    kept: Sequence[bool], ordinary: bool) -> bool:
    """After its own city or province (荆州松滋, 湖北仙桃), or listed beside a kept place of
    its province. A short name that is an ordinary word (振兴) not after its province alone:
    辽宁振兴 is Liaoning's revival."""
    m = mentions[i]
    province = province_of(m.ref, gaz)
    parents = {v for p, v in gaz.entries[m.ref].facts if p == "partOf"}
    if not ordinary:
        parents |= {province}
    for j in (i - 1, i + 1):
        if not 0 <= j < len(mentions) or not mentions[j].ref or not kept[j]:
            continue
        other = mentions[j]
        gap = text[other.end:m.start] if j < i else text[m.end:other.start]
        if j < i and gap == "" and other.ref in parents:
            return True
        # a list of places of the same level and province: not a county's short name among
        # clusters (成渝、长江中游、中原、山东半岛 lists clusters), nor another province's
        # county among a province's (兴城古城、盖州古城: 古城 is Lijiang's)
        if (len(gap) == 1 and gap in _LIST_GLUE
                and gaz.entries[other.ref].cls in _LOCAL
                and province_of(other.ref, gaz) == province):
            return True
    return False


def resolve(mentions: Sequence[Mention], text: str, gaz: Gazetteer,
            ordinary_words: frozenset[str], dictionary: Dictionary,
            doc: str = "") -> list[Mention]:
    """The document's mentions, judged over the whole document (module docstring).
    `ordinary_words` are the short names of counties that are also ordinary words."""
    words = document_words()
    kept = [m for m in mentions if not inside_phrase(m, text, words.phrases)
            and not in_organisation(m, text, gaz, words, dictionary)
            and not opens_the_source(m, text)]
    starts = {m.start for m in kept}
    kept = [m for m in kept if not names_water(m, text, gaz, words, starts)]
    home = home_provinces(kept, text, gaz)
    kept = [home_county(m, gaz, home) for m in kept if not foreign_compound(m, gaz, home)
            and not own_part_word(m, home, words)]
    kept = judge_short_names(kept, text, gaz, ordinary_words, home, dictionary.freq)
    kept = new_areas_by_context(kept, text, gaz)
    kept = [abbreviated_area(m, text, gaz) for m in kept]
    if own_zone_ref(gaz, home) is not None:
        # 实施自贸试验区提升战略: the province implements the strategy in its own zone, which the
        # text names (the gold guidelines); the zone is read below, the strategy's name gives way
        kept = [m for m in kept if not (m.type == "Strategy" and _FTZ_WORDS.match(m.text))]
    # a literary name takes the place of a shorter reading (中原区), not of a longer name
    literary = [m for m in (*literary_names(text, gaz, words, dictionary),
                            *province_groups(text, gaz))
                if not any(k.start <= m.start and m.end <= k.end and k.end - k.start > len(m.text)
                           for k in kept)]
    kept = [m for m in kept if not _covered(literary, m.start, m.end)]
    added = [replace(m, doc=doc) for m in (*literary, *title_places(kept, text, gaz),
                                           *own_zone(kept, text, gaz, home),
                                           *abbreviations_after_verbs(kept, text, gaz, words,
                                                                      dictionary, home),
                                           *home_pairs(kept, text, gaz, dictionary, home),
                                           *home_city_pairs(kept, text, gaz, dictionary, home))]
    added += [replace(m, doc=doc) for m in home_weak_cities([*kept, *added], text, gaz, words,
                                                           dictionary, home)]
    titles = work_titles(text)
    placed = [placed_by_name(m, gaz) for m in [*kept, *added]
              if not _within(titles, m.start, m.end)]
    ordered = sorted(split_party_compounds(placed, text, gaz), key=lambda m: m.start)
    return line_sections(ordered, text, gaz)


# Classes a name may open with to state where its platform or line lies (昆明片区, 霍尔果斯口岸).
_NAMING_PLACES = frozenset({"Province", "City", "County", "Town"})
# The families whose open-world names are placed by their first word: a platform lies in the
# place it is named after. A line named after places joins them (a relation, not a place).
_PLACED_FAMILIES = frozenset({"Platform"})


def placed_by_name(m: Mention, gaz: Gazetteer) -> Mention:
    """An open-world platform with the place its own name opens with, the longest name of a
    province, city, county or town that ends before the name does (昆明片区 → 昆明)."""
    if m.ref or m.members or m.type not in gaz.class_parent or not _PLACED_FAMILIES & set(
            gaz.lineage(m.type)):
        return m
    name = written(m.text)
    for n in range(len(name) - 1, 1, -1):
        refs = [r for r in gaz.surfaces.get(name[:n], ()) if gaz.entries[r].cls in _NAMING_PLACES]
        if refs:
            return replace(m, place=refs[0])
    return m


def home_county(m: Mention, gaz: Gazetteer, home: frozenset[str]) -> Mention:
    """A short name several counties share (海城: 海城市 of Liaoning, 海城区 of Guangxi) is the
    county of the report's own province; the linker chose one without knowing it."""
    if not m.ref or not home or gaz.entries[m.ref].cls != "County":
        return m
    counties = [r for r in gaz.surfaces.get(written(m.text), ())
                if gaz.entries[r].cls == "County"]
    if len(counties) < 2 or province_of(m.ref, gaz) in home:
        return m
    own = [r for r in counties if province_of(r, gaz) in home]
    return replace(m, ref=own[0]) if own else m


# The class of a national new area (浦东新区, 滨海新区: a district of the same name too)
NEW_AREA = "NationalNewArea"
LIST_MARK = "、"


def new_areas_by_context(mentions: Sequence[Mention], text: str,
                         gaz: Gazetteer) -> list[Mention]:
    """A name that is both a district and a national new area (滨海新区, 浦东新区) is the new
    area, a platform, unless it stands in a list beside another county-level division
    (滨海新区、武清区、宝坻区: the districts): the gold guidelines' choice by context, which
    the linker's class preference (district first) cannot make."""
    out = list(mentions)
    for i, m in enumerate(out):
        area = _new_area_ref(m, gaz)
        if area is not None and not _listed_with_a_county(i, out, text, gaz):
            out[i] = replace(m, type=NEW_AREA, ref=area)
    return out


def _new_area_ref(m: Mention, gaz: Gazetteer) -> str | None:
    if not m.ref or gaz.entries[m.ref].cls != "County":
        return None
    areas = [r for r in gaz.surfaces.get(m.text, ()) if gaz.entries[r].cls == NEW_AREA]
    return areas[0] if areas else None


def _listed_with_a_county(i: int, mentions: Sequence[Mention], text: str,
                          gaz: Gazetteer) -> bool:
    m = mentions[i]
    before = mentions[i - 1] if i > 0 else None
    after = mentions[i + 1] if i + 1 < len(mentions) else None
    return any(n is not None and n.ref and gaz.entries[n.ref].cls == "County"
               and LIST_MARK in (text[n.end:m.start], text[m.end:n.start])
               for n in (before, after))


AREA_RULE = "abbreviated-area/v1"
STRATEGY_RULE = "abbreviated-strategy/v1"
# The classes whose short name, written bare, names the provinces' area rather than the entity
# (京津冀党政主要领导座谈: the three provinces, not the city cluster)
_AREA_OF_CLASSES = frozenset({"CityCluster", "StrategicRegion"})
MIN_AREA_RUN = 3  # 京津 and 港澳 are pairs of provinces already (patterns/named_runs.tsv)
# A list that closes with a cluster's head word lists clusters (京津冀、长三角、珠三角等东部地区
# 城市群: the article's gold); one that closes with 战略 lists strategies (做好与京津冀等国家重大
# 战略对接: annotator a types 京津冀 the strategy 京津冀协同发展). Read to the end of the clause,
# at most this many characters.
_LIST_OF_CLUSTERS = re.compile(
    r"[^，。；：！？\n]{0,20}?等[^，。；：！？\n]{0,8}?(?:城市群|都市圈)")
_LIST_OF_STRATEGIES = re.compile(r"[^，。；：！？\n]{0,20}?等[^，。；：！？\n]{0,8}?战略")


def abbreviated_area(m: Mention, text: str, gaz: Gazetteer) -> Mention:
    """A cluster's or region's name written as its provinces' abbreviations alone (京津冀,
    粤港澳) names their area, a compound of those provinces (SubRegion in the gold guidelines:
    "京津冀 when it names the area not the cluster"); its longer names (京津冀城市群, 京津冀协同
    发展) stay the entity. The report readers a, e, f, i, k and l type the bare 京津冀 so (19 of
    20 on dev..dev4). One in a list of clusters stays the cluster; one in a list of strategies
    is the strategy named after it (京津冀等国家重大战略). 京津冀地区 stays the cluster too (the
    readers' SubRegion): the numeric claims of a region need an entity of the tables (the
    article's 京津冀地区常住人口…减少了24.5万人), which an area compound is not."""
    if m.ref is None or gaz.entries[m.ref].cls not in _AREA_OF_CLASSES:
        return m
    members = _provinces_abbreviated(m.text, gaz)
    if not members or _LIST_OF_CLUSTERS.match(text, m.end):
        return m
    if _LIST_OF_STRATEGIES.match(text, m.end):
        strategy = _strategy_named_after(m.text, gaz)
        return m if strategy is None else replace(m, type="Strategy", ref=strategy,
                                                  rule=STRATEGY_RULE)
    return replace(m, type="AreaCompound", ref=None, rule=AREA_RULE, members=members)


def _provinces_abbreviated(run: str, gaz: Gazetteer) -> tuple[str, ...]:
    """The provinces a run of one-character abbreviations stands for, one each (京津冀), else ()."""
    if len(run) < MIN_AREA_RUN or any(ch not in gaz.province_abbr for ch in run):
        return ()
    members = tuple(dict.fromkeys(gaz.province_abbr[ch] for ch in run))
    return members if len(members) == len(run) else ()


def _strategy_named_after(name: str, gaz: Gazetteer) -> str | None:
    """The one strategy of the tables whose name opens with `name` (京津冀 -> 京津冀协同发展)."""
    refs = [ref for ref, e in gaz.entries.items()
            if e.cls == "Strategy" and e.label_zh.startswith(name)]
    return refs[0] if len(refs) == 1 else None


def own_part_word(m: Mention, home: frozenset[str], words: DocumentWords) -> bool:
    """边境地区 in the report of one province: its own border areas, a category, not the
    national macro-region (patterns/own_part_words.tsv)."""
    return len(home) == 1 and m.type == "MacroRegion" and m.text in words.own_parts


def foreign_compound(m: Mention, gaz: Gazetteer, home: frozenset[str]) -> bool:
    """A run of characters read as one province's cities (宜荆荆) names an area of the report's
    own province: read as another province's (“普拉桑” 台风, “三高四新” 战略) it is a slogan or a
    name, not a compound. Kept when the report has no home province."""
    return (m.rule == COMPOUND_RULE and bool(home)
            and any(province_of(r, gaz) not in home for r in m.members))


# A county's short name that jieba tags as a common word but counts fewer times than this is a
# place it mis-tags (瓦房店 3, 兴义 27, 织金 20, 分宜 9: tagged n or v), not a word: in a report of
# its own province it counts like any other short name. Ordinary words are counted more often
# (富民 122, 同心 209, 振兴 659, 合作 and 通道 thousands).
RARE_WORD_FREQ = 100


def judge_short_names(mentions: Sequence[Mention], text: str, gaz: Gazetteer,
                      ordinary_words: frozenset[str], home: frozenset[str],
                      freq: Mapping[str, int]) -> list[Mention]:
    ordered = sorted(mentions, key=lambda m: m.start)
    shorts = [is_short_name(m, gaz, ordinary_words) for m in ordered]
    kept = [not s or (province_of(m.ref, gaz) in home and (
                m.text not in ordinary_words or freq.get(m.text, 0) < RARE_WORD_FREQ))
            for m, s in zip(ordered, shorts, strict=True)]
    # A list of short names may hang on one placed name: repeat until nothing changes.
    changed = True
    while changed:
        changed = False
        for i, s in enumerate(shorts):
            if s and not kept[i] and _placed_by_text(i, ordered, text, gaz, kept,
                                                     ordered[i].text in ordinary_words):
                kept[i] = changed = True
    return [replace(m, confidence=min(m.confidence, 0.9)) if s else m
            for m, s, k in zip(ordered, shorts, kept, strict=True) if k]


@dataclass(frozen=True, slots=True)
class DocumentWords:
    phrases: tuple[str, ...]  # fixed phrases (中国特色社会主义)
    organisation: re.Pattern[str]  # an organisation's head after a place (证券交易所)
    heads: tuple[str, ...]  # the heads alone, longest first (not the `glued` ones)
    verbs: frozenset[str]  # characters before a province's abbreviation (驻鄂)
    home_verbs: frozenset[str]  # … before the report's own province's only (在津, 入黔)
    water_after: re.Pattern[str]  # a water word after a place's name (水库, 流域)
    water_list: re.Pattern[str]  # the rest of a list of waters (、梁子湖等湖库)
    site_after: re.Pattern[str]  # a site of nature after a mountain's name (国家公园)
    own_parts: frozenset[str]  # a province's own parts in its report (边境地区)


@lru_cache(maxsize=1)
def document_words() -> DocumentWords:
    phrases = tuple(sorted((r[0] for r in read_tsv(PATTERNS / "fixed_phrases.tsv")), key=len,
                           reverse=True))
    head_rows = list(read_tsv(PATTERNS / "organisation_heads.tsv"))
    heads = sorted((r[0] for r in head_rows), key=len, reverse=True)
    # a `glued` head ends an organisation's name only right after the place (宁德时代)
    named_heads = tuple(h for h in heads
                        if all(r[1:] != ["glued"] for r in head_rows if r[0] == h))
    # the PDF's space may stand between the session and the body (青海省第十四届 人民代表大会)
    organisation = re.compile(r"[省市县区]?(?:第[一二三四五六七八九十百]+届\s*)?(?:"
                              + "|".join(map(re.escape, heads)) + ")")
    verb_rows = list(read_tsv(PATTERNS / "abbreviation_verbs.tsv"))
    verbs = frozenset(verb for verb, scope in verb_rows if scope == "any")
    home_verbs = frozenset(verb for verb, scope in verb_rows if scope == "home")
    water = list(read_tsv(PATTERNS / "water_words.tsv"))
    after = _alternatives(w for w, where in water if "after" in where.split(","))
    closing = _alternatives(w for w, where in water if "list" in where.split(","))
    water_list = re.compile(r"(?:、[^、，。；：等\s]{1,8})*等(?:" + closing + ")")
    sites = _alternatives(w for w, where in water if "mountain" in where.split(","))
    return DocumentWords(phrases, organisation, named_heads, verbs, home_verbs,
                         # 湾区 is a bay area, a place: no water word goes on with 区
                         re.compile(f"(?:{after})(?!区)"),
                         water_list, re.compile(sites),
                         frozenset(r[0] for r in read_tsv(PATTERNS / "own_part_words.tsv")))


def _alternatives(words: Iterable[str]) -> str:
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


def inside_phrase(m: Mention, text: str, phrases: Sequence[str]) -> bool:
    """中国 in 中国特色社会主义: a place inside a fixed phrase is no mention."""
    lo = max(0, m.start - max(map(len, phrases), default=0))
    window = text[lo:m.end + max(map(len, phrases), default=0)]
    for phrase in phrases:
        at = window.find(phrase)
        while at != -1:
            if lo + at <= m.start and m.end <= lo + at + len(phrase) and phrase != m.text:
                return True
            at = window.find(phrase, at + 1)
    return False


# The line that names where a text was taken from (来源：江苏新闻, 来源：湖北日报): the gold
# guidelines leave the source's name out whatever its head word.
_SOURCE = re.compile(r"来源\s*[:：]\s*$")
SOURCE_REACH = 8  # characters before a name read for 来源：


def opens_the_source(m: Mention, text: str) -> bool:
    """江苏 in 来源：江苏新闻: the place opens the name of the text's source, no mention. An
    organisation named there stays one (资料来源：国家统计局: the article's gold counts it)."""
    return (m.type in _PLACE_LIKE
            and _SOURCE.search(text, max(0, m.start - SOURCE_REACH), m.start) is not None)


# The title of a law, plan or book (《福建省民营经济促进条例》) on one line, at most this long.
WORK_TITLE_MAX = 60
_WORK_TITLE = re.compile(f"《[^《》\\n]{{1,{WORK_TITLE_MAX}}}》")


def work_titles(text: str) -> list[tuple[int, int]]:
    """The spans of the titles of works in `text`. A name inside one is part of the work's own
    name, as a newspaper's is (湖北日报), and no mention (the gold guidelines; readers j and k
    leave them out, f marks 江西省 in five)."""
    return [(m.start(), m.end()) for m in _WORK_TITLE.finditer(text)]


def _within(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    return any(a <= start and end <= b for a, b in spans)


_PLACE_LIKE = frozenset({"Province", "City", "County", "Town", "Country", "AreaCompound"})
# A new area is a place too where an organisation is named after it (雄安宣武医院, 北京四中雄安
# 校区); only here: 来源： and the rest read places alone.
_AREA_NAMES = frozenset({"NationalNewArea"})


def in_organisation(m: Mention, text: str, gaz: Gazetteer, words: DocumentWords,
                    dictionary: Dictionary) -> bool:
    """北京 in 北京证券交易所, 湖北省 in 湖北省人民政府: a place that begins an organisation's
    name is no mention; nor one in brackets after it (香港城市大学（东莞）)."""
    cls = gaz.entries[m.ref].cls if m.ref else m.type
    if cls not in _PLACE_LIKE | _AREA_NAMES:
        return False
    return (words.organisation.match(text, m.end) is not None
            or _named_organisation_after(text, m.end, words.heads, dictionary)
            or _campus_of_an_organisation(text, m.start, words.heads))


_OPENING_BRACKETS = "（("


def _campus_of_an_organisation(text: str, start: int, heads: tuple[str, ...]) -> bool:
    """香港城市大学（东莞）, 西藏完全中学(四川天府): a place in brackets right after an
    organisation's head names its campus, as 人民大学通州校区 does (organisation_heads.tsv)."""
    if start == 0 or text[start - 1] not in _OPENING_BRACKETS:
        return False
    before = text[max(0, start - 1 - max(map(len, heads))):start - 1]
    return any(before.endswith(h) for h in heads)


# The longest stretch of nouns between a place and its organisation's head (贵州|能源|集团,
# 天津|智能农业|研究院, 北京|协和医院): longer ones are clauses.
ORGANISATION_GAP_MAX = 4
# jieba's tags of the words that may stand between a place and an organisation's head: nouns,
# proper nouns, adjectives and distinguishing words (大数据交易所), not verbs (天津建设数据交易所
# is Tianjin building one); a verbal noun only after the first word (文化旅游学院).
_ORGANISATION_GAP_TAGS = frozenset({"n", "nz", "nt", "nr", "ns", "j", "a", "b", "an", "ng"})


def _named_organisation_after(text: str, at: int, heads: tuple[str, ...],
                              dictionary: Dictionary) -> bool:
    """Does an organisation's name go on at `at`: a few nouns, then a word ending with an
    organisation's head (贵州能源集团, 上海交通大学, 北京协和医院, 辽宁男篮)?"""
    window = text[at:at + ORGANISATION_GAP_MAX + 2 * max(map(len, heads))]
    # A word of the window can end with a head only where the head is in the window: most
    # windows have none, and jieba's tagger (its HMM) was a third of the extraction's time.
    if not any(h in window for h in heads):
        return False
    gap = 0
    words = dictionary.pos_cut(window)
    for i, (word, tag) in enumerate(words):
        if any(word.endswith(h) for h in heads):
            return i + 1 == len(words) or not _glued_noun(*words[i + 1])
        allowed = tag in _ORGANISATION_GAP_TAGS or (i > 0 and tag == "vn")
        gap += len(word)
        if not allowed or gap > ORGANISATION_GAP_MAX:
            return False
    return False


def _glued_noun(word: str, tag: str) -> bool:
    """A one-character noun after an organisation's head makes it part of a longer noun
    (江西学子大学梦); a longer word does not: it is what the organisation's name is the subject
    or the owner of (交易所交易额, 人民医院毕节医院, 京剧院演员)."""
    return len(word) == 1 and tag.startswith("n")


# Places named after their water: a county or a city (丹江口市, 牡丹江市), a town.
_NAMED_AFTER_WATER = frozenset({"County", "City", "Town"})


def names_water(m: Mention, text: str, gaz: Gazetteer, words: DocumentWords,
                starts: frozenset[int] | set[int]) -> bool:
    """丹江口 in 丹江口水库, 牡丹江 in 牡丹江流域, 洪湖 in 洪湖、梁子湖等湖库: a place's name
    that names its river, lake or reservoir is no mention of the place; nor one that names its
    mountain before a site of nature (庐山国家植物园, 井冈山国家公园). A name right after it
    (湖 + 北京) keeps it a place."""
    cls = gaz.entries[m.ref].cls if m.ref else m.type
    if cls not in _NAMED_AFTER_WATER or m.end in starts:
        return False
    return (words.water_after.match(text, m.end) is not None
            or words.water_list.match(text, m.end) is not None
            or (m.text.endswith(MOUNTAIN) and words.site_after.match(text, m.end) is not None))


MOUNTAIN = "山"  # the last character of a place named after its mountain (庐山, 井冈山)


LITERARY_RULE = "literary-name/v1"


@lru_cache(maxsize=1)
def _literary_pattern() -> tuple[re.Pattern[str], dict[str, str | None], tuple[str, ...]]:
    """The literary names (province ref, or None for a region of several provinces), and the
    heads of the names they may open (a platform's, a cluster's, a line's: shapes.tsv)."""
    rows = list(read_tsv(PATTERNS / "literary_names.tsv"))
    names: dict[str, str | None] = {r[1]: r[2] for r in rows if r[0] == "name"}
    names.update({r[1]: None for r in rows if r[0] == "region"})
    heads = tuple(sorted({r[0] for r in read_tsv(PATTERNS / "shapes.tsv")}, key=len,
                         reverse=True))
    return re.compile(_alternatives(names)), names, heads


LITERARY_REGION = "ProvincialSubRegion"  # 岭南, 吴越: a region of several provinces


def literary_names(text: str, gaz: Gazetteer, words: DocumentWords,
                   dictionary: Dictionary) -> Iterable[Mention]:
    """燕赵大地, 荆楚文化, “三晋英才”, 岭南文化: a province's literary name names the province,
    one several provinces share a region of theirs (`patterns/literary_names.tsv`); it replaces
    what else read it (中原区). Not where a word runs into it (北京城市, 京津城际: jieba may
    glue its end to the word after it, 荆|楚文化, 岭南文化), nor
    where it opens the name of a platform, a cluster, a line or an organisation, a title of
    people or a site of nature (燕赵钢铁实验室, 中原城市群, 燕赵名师工作室, 岭南国家公园)."""
    pattern, names, heads = _literary_pattern()
    for m in pattern.finditer(text):
        ref = names[m.group()]
        if ref is not None and ref not in gaz.entries:
            continue
        found = Mention("", m.start(), m.end(), m.group(), "Province" if ref else LITERARY_REGION,
                        ref, LITERARY_RULE, 0.8)
        if (_starts_a_word(text, m.start(), dictionary)
                and words.organisation.match(text, m.end()) is None
                and words.site_after.match(text, m.end()) is None  # 岭南国家公园 (R7)
                and not any(_named_organisation_after(text, m.end(), h, dictionary)
                            for h in (words.heads, heads))):
            yield found


@lru_cache(maxsize=1)
def _province_groups() -> dict[str, tuple[str, ...]]:
    return {r[0]: tuple(r[1].split(";")) for r in read_tsv(PATTERNS / "province_groups.tsv")}


def province_groups(text: str, gaz: Gazetteer) -> Iterable[Mention]:
    """东北三省一区, 西北五省区: a named grouping of provinces is one area of its members
    (`patterns/province_groups.tsv`, R4); it replaces a shorter reading (东北三省)."""
    groups = _province_groups()
    if not groups:
        return
    for m in re.finditer(_alternatives(groups), text):
        members = groups[m.group()]
        if all(r in gaz.entries for r in members):
            yield Mention("", m.start(), m.end(), m.group(), "AreaCompound", None, GROUP_RULE,
                          0.8, members=members)


def _covered(mentions: Sequence[Mention], start: int, end: int) -> bool:
    return any(m.start < end and start < m.end for m in mentions)


def title_places(mentions: Sequence[Mention], text: str, gaz: Gazetteer) -> Iterable[Mention]:
    """The province a report's title names (2025年湖北省政府工作报告): jieba reads 湖北省政府 as
    one word, so the boundary check drops it, but the title names the province."""
    title_end = text.find("\n")
    title = text[:title_end if title_end >= 0 else min(len(text), TITLE_CHARS)]
    if "政府工作报告" not in title:
        return
    for n in range(min(len(title), 8), 1, -1):
        for start in range(len(title) - n + 1):
            refs = [r for r in gaz.surfaces.get(title[start:start + n], ())
                    if gaz.entries[r].cls == "Province"]
            if refs and not _covered(mentions, start, start + n):
                yield Mention("", start, start + n, title[start:start + n], "Province", refs[0],
                              "title/v1", 0.9)
                return


_FTZ_WORDS = re.compile(r"自由贸易试验区|自贸试验区|自贸区")
# Before a bare 自贸试验区, these make it a kind, not the province's own zone (全国自贸试验区).
_KIND_BEFORE = ("全国", "各", "国家", "多个", "个", "其他", "省级")


def own_zone(mentions: Sequence[Mention], text: str, gaz: Gazetteer,
             home: frozenset[str]) -> Iterable[Mention]:
    """A bare 自贸试验区 in a province's report is its own free trade zone (the gold
    guidelines): linked when the document has one home province and the tables its zone."""
    zone = own_zone_ref(gaz, home)
    if zone is None:
        return
    for m in _FTZ_WORDS.finditer(text):
        if _covered(mentions, m.start(), m.end()):
            continue
        before = text[max(0, m.start() - 2):m.start()]
        if any(before.endswith(k) for k in _KIND_BEFORE):
            continue
        yield Mention("", m.start(), m.end(), m.group(), "FreeTradeZone", zone,
                      "own-zone/v1", 0.8)


def own_zone_ref(gaz: Gazetteer, home: frozenset[str]) -> str | None:
    """The free trade zone of the document's one home province, when the tables have one."""
    if len(home) != 1:
        return None
    province = next(iter(home))
    zones = [ref for ref, e in gaz.entries.items() if e.cls == "FreeTradeZone"
             and ("locatedIn", province) in e.facts]
    return zones[0] if len(zones) == 1 else None


def abbreviations_after_verbs(mentions: Sequence[Mention], text: str, gaz: Gazetteer,
                              words: DocumentWords, dictionary: Dictionary,
                              home: frozenset[str] = frozenset()) -> Iterable[Mention]:
    """驻鄂, 留吉, 在京, 援疆, 人才强冀, 对台: a province's one-character form after a verb or a
    preposition of `patterns/abbreviation_verbs.tsv` names the province (revision 2 of the
    report gold, R1), unless it is an ordinary word far more often (新:
    `WORD_ABBREVIATION_FREQ`) or the pair is another word (`patterns/abbreviation_words.tsv`).
    The verb and the abbreviation must each be a word of their own in jieba's reading (带来新的
    机遇, 现在川渝, 10年来新高, 闽商 name nothing), or the two one verb of its dictionary (援藏,
    进京); and the abbreviation no part of a run (the character after it is no abbreviation)."""
    shorts, not_words = _abbreviation_words()
    forms = {**gaz.province_abbr, **{ch: ref for ch, ref in shorts.items() if ref in gaz.entries}}
    abbrs = re.escape("".join(sorted(forms)))
    verbs = words.verbs | (words.home_verbs if home else frozenset())
    if not abbrs or not verbs:
        return
    pattern = f"(?<=[{re.escape(''.join(sorted(verbs)))}])[{abbrs}](?![{abbrs}])"
    for m in re.finditer(pattern, text):
        ref = forms[m.group()]
        if (dictionary.freq.get(m.group(), 0) >= WORD_ABBREVIATION_FREQ
                or text[m.start() - 1:m.end()] in not_words
                or (text[m.start() - 1] in words.home_verbs and ref not in home)):
            continue
        if not _covered(mentions, m.start() - 1, m.end()) and (
                _words_of_their_own(text, m.start() - 1, m.end(), dictionary)
                or _one_verb(text, m.start() - 1, m.end(), dictionary)):
            yield Mention("", m.start(), m.end(), m.group(), "Province", ref,
                          "abbrev-after-verb/v1", 0.8)


@lru_cache(maxsize=1)
def _abbreviation_words() -> tuple[dict[str, str], frozenset[str]]:
    rows = list(read_tsv(PATTERNS / "abbreviation_words.tsv"))
    return ({r[1]: r[2] for r in rows if r[0] == "short"},
            frozenset(r[1] for r in rows if r[0] == "not"))


VERB_TAG = "v"


def _one_verb(text: str, start: int, end: int, dictionary: Dictionary) -> bool:
    """援藏, 进京: the governing character and the abbreviation are one verb of jieba's
    dictionary, cut as one word in its context."""
    return (dictionary.tags.get(text[start:end]) == VERB_TAG
            and _words_of_their_own(text, start, end, dictionary, whole=True))


# A province's abbreviation that jieba's dictionary counts this often as a word of its own is
# read as the word after 在/入/兴 (在新时代, 入新阶段) and in a pair (在津新设机构, 苏新消费):
# only 新 (62,626); the next, 台 (16,964), names Taiwan in 对台, 赣台.
WORD_ABBREVIATION_FREQ = 20_000
# The characters read on each side of a verb and its abbreviation to see how jieba cuts them.
WORD_WINDOW = 4


def _words_of_their_own(text: str, start: int, end: int, dictionary: Dictionary,
                        whole: bool = False) -> bool:
    """Does jieba (its dictionary, no guessing) cut text[start:end] into one-character words,
    each a word of its own in its context (毕业生/来/辽/就业, not 带来/新, 年/来/新高)? With
    `whole`, only its two ends must be cuts (the stretch is one word or several)."""
    lo = max(0, start - WORD_WINDOW)
    cuts = {lo}
    for word in dictionary.exact_cut(text[lo:end + WORD_WINDOW]):
        cuts.add(max(cuts) + len(word))
    needed = (start, end) if whole else range(start, end + 1)
    return all(i in cuts for i in needed)


@lru_cache(maxsize=1)
def _area_compound_words() -> tuple[re.Pattern[str], frozenset[str]]:
    """The heads after which a compound of provinces names one area, and the established
    regions' names never split (`patterns/area_compounds.tsv`)."""
    rows = list(read_tsv(PATTERNS / "area_compounds.tsv"))
    heads = _alternatives(r[1] for r in rows if r[0] == "head")
    return (re.compile(f"等?(?:{heads})"),
            frozenset(r[1] for r in rows if r[0] == "region"))


def split_party_compounds(mentions: Iterable[Mention], text: str,
                          gaz: Gazetteer) -> Iterable[Mention]:
    """港澳同胞, 港澳台工作, 吉浙对口合作, 与京津共建: a compound of provinces' abbreviations
    that the text does not use as one area names its provinces, one mention per character
    (revision 2 of the report gold, R3); one before an area's head (川渝地区, 京津同城化) or an
    established region's name (京津冀, R5) stays one compound."""
    area_head, regions = _area_compound_words()
    for m in mentions:
        if not _party_compound(m, text, gaz, area_head, regions):
            yield m
            continue
        for k, ref in enumerate(m.members):
            yield Mention(m.doc, m.start + k, m.start + k + 1, m.text[k], gaz.entries[ref].cls,
                          ref, SPLIT_RULE, m.confidence)


def _party_compound(m: Mention, text: str, gaz: Gazetteer, area_head: re.Pattern[str],
                    regions: frozenset[str]) -> bool:
    return (m.type == "AreaCompound" and m.ref is None and len(m.members) == len(m.text) >= 2
            and m.text not in regions
            and all(r in gaz.entries and gaz.entries[r].cls == "Province" for r in m.members)
            and area_head.match(text, m.end) is None)


def _starts_a_word(text: str, start: int, dictionary: Dictionary) -> bool:
    """Does jieba (its dictionary, no guessing) begin a word at `start` in its context?"""
    lo = max(0, start - WORD_WINDOW)
    at = lo
    for word in dictionary.exact_cut(text[lo:start + WORD_WINDOW]):
        if at >= start:
            break
        at += len(word)
    return at == start


HOME_PAIR_RULE = "home-pair/v1"
# jieba's tag of an abbreviation: a pair the dictionary tags so is the pair (湘赣, 川黔, 陕甘);
# one it tags otherwise is another word (苏宁, 新津, 宁津: a company, a district, a county).
ABBREVIATION_TAG = "j"



# A pair jieba tags a place name yet rarely meets (闽台 3, 闽宁 2, 粤港 6) is the pair of
# provinces; a frequent one is a word of its own (青藏 220: the plateau, the railway; 苏宁 298: the
# company). Below this count, and when no place of the tables bears it (新津, 宁津: counties).
RARE_PLACE_PAIR_FREQ = 10
PLACE_TAG = "ns"


def _another_word(pair: str, gaz: Gazetteer, dictionary: Dictionary) -> bool:
    """Is the pair a word of the dictionary that names something else than the two provinces?"""
    freq, tag = dictionary.freq.get(pair, 0), dictionary.tags.get(pair)
    if freq == 0 or tag == ABBREVIATION_TAG:
        return False
    return not (tag == PLACE_TAG and freq < RARE_PLACE_PAIR_FREQ and pair not in gaz.surfaces)


_OPENING_QUOTES = "“\"「『"
_CLOSING_QUOTES = "”\"」』"
QUOTED_NAME_MAX = 8  # characters of a quoted brand or service after the pair (“津港通”)


def _opens_a_quoted_name(text: str, start: int, end: int) -> bool:
    """“津港通”: the pair opens a quoted name longer than itself, a brand or a service's name
    (the gold guidelines leave places inside quoted brands out). Asked of a pair the dictionary
    knows (津港, Tianjin's port, 4): a pair it does not know stays one (“青豫直流”, a line)."""
    if start == 0 or text[start - 1] not in _OPENING_QUOTES:
        return False
    after = text[end:end + QUOTED_NAME_MAX + 1]
    close = next((i for i, ch in enumerate(after) if ch in _CLOSING_QUOTES), None)
    return close is not None and close > 0


def home_pairs(mentions: Sequence[Mention], text: str, gaz: Gazetteer, dictionary: Dictionary,
               home: frozenset[str]) -> Iterable[Mention]:
    """粤黔东西部协作, 黔渝跨省生态补偿, 京津出行, 赣台经贸: two provinces' abbreviations, one
    of them the report's own, name the pair (an `AreaCompound`) where they are no word of the
    dictionary but an abbreviation (湘赣) and jieba reads them as no part of a longer word.
    Elsewhere two characters need a place word after them (abbreviation_runs.tsv): 中欧,
    苏宁 and 新青 are words."""
    if not home:
        return
    abbrs = re.escape("".join(sorted(gaz.province_abbr)))
    freq = dictionary.freq
    for m in re.finditer(f"(?<![{abbrs}])[{abbrs}]{{2}}(?![{abbrs}])", text):
        refs = tuple(gaz.province_abbr[ch] for ch in m.group())
        if (len(set(refs)) < 2 or not home & set(refs) or _covered(mentions, m.start(), m.end())
                or any(freq.get(ch, 0) >= WORD_ABBREVIATION_FREQ for ch in m.group())
                or _another_word(m.group(), gaz, dictionary)
                or (freq.get(m.group(), 0) > 0 and _opens_a_quoted_name(text, m.start(), m.end()))
                or not _words_of_their_own(text, m.start(), m.end(), dictionary, whole=True)):
            continue
        yield Mention("", m.start(), m.end(), m.group(), "AreaCompound", None, HOME_PAIR_RULE,
                      0.7, members=refs)



HOME_CITY_PAIR_RULE = "home-city-pair/v1"
LIST_ITEM_GAP = 1  # characters between two items of a list of pairs (、)


def home_city_pairs(mentions: Sequence[Mention], text: str, gaz: Gazetteer,
                    dictionary: Dictionary, home: frozenset[str]) -> Iterable[Mention]:
    """郑开同城化, 支持郑开、郑新、郑焦等重点产业带: two characters, each the first of the short
    name of a city of the report's one home province (a different city each, the one city of
    that province whose name opens so), name the pair's area (an `AreaCompound`) where a
    context word follows them (abbreviation_runs.tsv: 同城化, 协同, 一体化 …) or they are an
    item of a list of such pairs (、); never a word of the dictionary, and each end a cut of
    jieba's. Three characters or more are the compound rule's (宜荆荆); two need the home
    province, since two such characters side by side are most often a word elsewhere."""
    if len(home) != 1:
        return
    by_char = home_city_initials(gaz, next(iter(home)))
    if not by_char:
        return
    initials = re.escape("".join(sorted(by_char)))
    pattern = re.compile(f"(?<![{initials}])[{initials}]{{2}}(?![{initials}])")
    spans = {(m.start(), m.end()) for m in pattern.finditer(text)
             if m.group()[0] != m.group()[1] and dictionary.freq.get(m.group(), 0) == 0}
    follow = _context_after(run_contexts())
    for start, end in sorted(spans):
        if not (_listed_with_a_pair(start, end, spans, text) or follow.match(text, end)):
            continue
        if _covered(mentions, start, end) or not _words_of_their_own(
                text, start, end, dictionary, whole=True):
            continue
        yield Mention("", start, end, text[start:end], "AreaCompound", None,
                      HOME_CITY_PAIR_RULE, 0.7,
                      members=tuple(by_char[ch] for ch in text[start:end]))


def _listed_with_a_pair(start: int, end: int, spans: set[tuple[int, int]], text: str) -> bool:
    gap = LIST_ITEM_GAP
    before = (start - gap - 2, start - gap)
    after = (end + gap, end + gap + 2)
    return ((before in spans and text[before[1]:start] == LIST_MARK)
            or (after in spans and text[end:after[0]] == LIST_MARK))


def home_city_initials(gaz: Gazetteer, province: str) -> dict[str, str]:
    """character -> the one city of `province` whose short name opens with it (郑 → 郑州)."""
    cities: dict[str, list[str]] = {}
    for ref, entry in gaz.entries.items():
        if entry.cls == "City" and province_of(ref, gaz) == province:
            short = min((entry.label_zh, *entry.aliases), key=len)
            cities.setdefault(short[0], []).append(ref)
    return {ch: refs[0] for ch, refs in cities.items() if len(refs) == 1}


@lru_cache(maxsize=4)
def _context_after(follow: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, sorted(follow, key=len, reverse=True))) or "(?!)")


HOME_WEAK_CITY_RULE = "home-weak-city/v1"


def home_weak_cities(mentions: Sequence[Mention], text: str, gaz: Gazetteer,
                     words: DocumentWords, dictionary: Dictionary,
                     home: frozenset[str]) -> Iterable[Mention]:
    """深圳到中山车程, 支持云浮建设: a city's short name that is also an ordinary word or a
    person's name (patterns/weak_names.tsv) counts outside a list of places in its own
    province's report, where the readers mark it the city; never inside a longer word of
    jieba's (中山大学, 长白山), an organisation's name (云浮中学) or a water's."""
    if not home:
        return
    starts = {m.start for m in mentions}
    for name, ref in _home_weak_names(gaz, home).items():
        for found in re.finditer(re.escape(name), text):
            start, end = found.start(), found.end()
            m = Mention("", start, end, name, "City", ref, HOME_WEAK_CITY_RULE, 0.8)
            if (_covered(mentions, start, end)
                    or not _words_of_their_own(text, start, end, dictionary, whole=True)
                    or inside_phrase(m, text, words.phrases)
                    or in_organisation(m, text, gaz, words, dictionary)
                    or names_water(m, text, gaz, words, starts)):
                continue
            yield m


def _home_weak_names(gaz: Gazetteer, home: frozenset[str]) -> dict[str, str]:
    """weak name -> the one city of a home province it is the short name of."""
    found: dict[str, str] = {}
    for name in sorted(weak_names()):
        refs = [r for r in gaz.surfaces.get(name, ()) if gaz.entries[r].cls == "City"
                and province_of(r, gaz) in home]
        if len(refs) == 1:
            found[name] = refs[0]
    return found
