"""Relations between the entities a sentence names, by general rules over its linked mentions.

`find_relations(text, mentions, sentences, gaz)` is pure. It reads each sentence as clauses
(split at ，；：。 …) of linked mentions, groups the mentions of a clause into coordinated lists
("A、B和C"), and applies these rules, each a name with a version:

- `relation/corridor-nearest/v1` corridor `connects` place: every place of a clause is linked to
  the nearest corridor (list) before it in the clause, else the nearest after it. A connecting
  verb (连接, 延伸, 联动 …) between them raises the confidence.
- `relation/corridor-project/v1` corridor `connects` place: a corridor list that is the subject of
  a project ("…等项目的建设，…，促进广西、湖南…发展") serves the places of the later clauses.
- `relation/name-place/v1`: the place a platform's or corridor's own name starts with, or names
  after (, 至, — (南宁国际铁路港, 贺州至连山高速, 中国—中亚—西亚经济走廊).
- `relation/name-abbreviations/v1` line `connects` place: a line named by a run of
  abbreviations (昌九高铁, 黔粤班列) joins the places of the document they stand for.
- `relation/platform-host/v1` platform `locatedIn` place: PLACE 承载/拥有/布局 … PLATFORM, and
  PLATFORM 位于/落户/分布在 … PLACE, and PLATFORM（PLACE）.
- `relation/member-list/v1` place `partOf` macro-region: "宁夏、甘肃、山西等西部地区省份",
  "西部地区有5个(贵州、广西…)", "东部地区的北京、上海", "东北地区吉林、辽宁".
- `relation/relies-on/v1` `builtOn`: 依托 X — the list just before 依托, or the list of a
  "以 Y 为支撑" frame of the sentence, or the next entity of the clause, is built on X.
- `relation/comparison/v1` `comparedWith` (symmetric): A 高于/超过/相比 B, "A与B、C…差距/比值",
  and the places of one run ("南北方…差距").
- `relation/shared-predicate/v1` `listedWith` (symmetric): the members of a list that shares one
  predicate (…分别…, …均…).
- `relation/corridor-parts/v1` `componentOf`: the lines and ports a clause builds (加快 … 建设)
  right after a whole corridor's clause.
- `relation/hub/v1` `connects`: 以 X 为…枢纽: the corridors the sentence runs along (沿 …)
  connect X.
- and cooperation, agreement, compound-partners, partner-link, joins, qualified-place,
  strategy-region, service-corridor, home-abbreviation and bracketed-ends
  (docs/extraction.md, "Relations", has the table).

Names in no reference table take part by the key their name mints (`relation_key`).

Words are data (`patterns/relation_words.tsv`); no rule knows a name. Offsets are ORIGINAL
text offsets, like the mentions'.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from .abbreviations import GROUP_RULE, SPLIT_RULE
from .gazetteer import PATTERNS, Gazetteer, read_tsv, weak_names
from .line_sections import entity_name, line_name_end, line_own_name
from .records import Mention
from .resolve import AREA_RULE
from .shapes import COUNTED_LIST_RULE, ELLIPSIS_RULE
from .slugs import open_world_key

RULE_VERSION = "v1"
SYMMETRIC = frozenset({"comparedWith", "listedWith", "cooperatesWith"})
_CLAUSE_END = frozenset("，,；;。：:！!？?")
_ENUMERATION = "、"  # separates the items of an enumeration (of projects, of places)
_CHAIN = frozenset({"、", "和", "及", "以及"})  # 与 in "依托中欧班列与欧洲" means "with", not "and"
# characters (without whitespace) a place may stand before the corridor it is linked to: a verb
# and a little more (西部地区依托中欧班列: 2); a place further ahead is the subject of another verb
_MAX_FORWARD = 6
_NAME_OPENERS = frozenset("(（至—–-到一")  # 一: the OCR dash (中国一中亚一西亚经济走廊)
# a platform is in a province or city of its name; a corridor may name countries it links; a
# metropolitan area or circle has its cities as members (武汉都市圈); "Place" holds the places
# of no other family (counties, foreign cities) where the recogniser knows them
_INSIDE = {"Platform": frozenset({"Province", "City", "Place", "AreaCompound"}),
           "Corridor": frozenset({"Province", "City", "Country", "WorldRegion", "Place",
                                  "AreaCompound"}),
           "CityCluster": frozenset({"City"})}
# characters between two compared places: the verb and a short indicator before it
# (西部地区人均收入仍低于东部地区: 7)
_MAX_COMPARE_GAP = 10
_MAX_GAP = 12  # characters (without whitespace) a rule may look across inside a clause
# A corridor list is the subject of a project when a project word (的建设, 开通 …) follows within
# _PROJECT_REACH characters (等项目的建设: 6), read from at most 2 more characters of the text:
# room for the spaces and line breaks a PDF leaves inside a sentence.
_PROJECT_REACH = 10
_PROJECT_TEXT = _PROJECT_REACH + 2
# Characters between a region and the bracket that opens its members: 有5个( (西部地区有5个(贵州…)).
_MAX_MEMBER_GAP = 6
# The text before a list read for a rely marker (依托, 借助: 2 characters), with 2 characters of
# room for a PDF's spaces.
_RELY_REACH = 4
# Characters between a list and the rely marker after it (沈阳依托: 0; 沈阳要依托: 1)
_MAX_RELY_SUBJECT_GAP = 2
# The text before a list read for the 以 that opens a "以 Y 为支撑" frame: 以 and 2 characters
# of room for a PDF's spaces.
_FRAME_LEAD = 3
# How far after a frame's last known name its 为支撑 may stand: names the gazetteer does not know
# may come between (以武汉都市圈、某某都市圈为支撑).
_FRAME_REACH = 30
# The text before a list read for the partner marker 与 of "与 LIST 合作": 与 and one character
# of room for a PDF's space.
_PARTNER_LEAD = 2
# How far after a list its cooperation word may stand (等地区对接合作: 5 characters before 合作;
# “金三角”大空间协同发展: 7), read from at most _COOP_REACH characters of the clause.
_MAX_COOP_GAP = 8
# The text before a list read for the verb and 与 of "深化与 LIST": 3 characters and room for a
# PDF's space.
_PARTNER_VERB_LEAD = 4
_COOP_REACH = 14
# How far after an area compound its cooperation word may stand (粤黔东西部协作: 3; 吉浙对口合作: 0)
_MAX_COMPOUND_COOP_GAP = 3
# The clause read after a list for a signing verb and the agreement it signs (签署长江流域横向生态
# 保护补偿协议: 15 characters), and how far after the list the verb may stand (等省市签署: 3).
_AGREEMENT_REACH = 24
_MAX_AGREEMENT_VERB_GAP = 3
# The text before a list read for a join verb and its filler (融入高质量共建“: 8 characters).
_JOIN_LEAD = 9
_QUOTES = "“”\"'‘’「」《》"
# Characters between 为 and the hub word of a "以 X 为 … 枢纽" frame: a short qualifier (西,
# 重要, 国际性: 3).
_MAX_HUB_QUALIFIER = 4
# The text before a list read for 沿 (along): 沿着 and room for a PDF's space.
_ALONG_LEAD = 3
_ALONG_FAMILIES = frozenset({"Corridor", "EconomicBelt"})  # what a sentence may run along
# The longest run of abbreviations a line's name is read for (京津塘高速: 3; 盐泰锡常宜: 5 is
# read no more: such a run names places the document need not name)
_MAX_ABBREVIATION_RUN = 4
# The text after a line read for a facility word (国家集结中心: 6 characters, and room for a
# PDF's space)
_FACILITY_REACH = 8
# The text after a place read for a section word (段: 1 character, and room for a PDF's space).
_SECTION_REACH = 2
# The text after a line read for the section word of a section between two places (武平至梅州段:
# 5 characters, and room for a PDF's space and a longer place name).
_SECTION_SPAN = 10
# Characters between a corridor and the bracket that opens its ends (中泰铁路一期(: 3).
_MAX_BRACKET_LEAD = 4
# The shortest corridor name a service's name may start with (中欧班列's 中欧 is no corridor;
# 西部陆海新通道: 7).
_MIN_CORRIDOR_NAME = 3
# The longest surface tried for a place named inside a platform's or corridor's own name: the
# short forms names are built from (南宁国际铁路港, 中国—中亚…) are 2–4 characters; 6 reaches
# 内蒙古自治区.
_MAX_PLACE_IN_NAME = 6
# The longest cluster's name a line's name may open with (长春现代化都市圈: 7).
_MAX_CLUSTER_IN_NAME = 10
# 九江打造长江经济带重要节点城市: a verb of two characters (打造, 建强) may stand between a city and
# the cluster or belt it is a centre of, and a qualifier (重要, 区域性) between the belt and the
# role word; 副中心城市 is the longest role word
_MAX_ROLE_VERB = 2
_MAX_ROLE_QUALIFIER = 3
_ROLE_REACH = 8
_ROLE_REGIONS = frozenset({"CityCluster", "EconomicBelt"})
# the rules of names that are items of a list sharing a head word written once (厦门、福州机场;
# 周口、潢川、鲁山等机场; 武汉东湖、襄阳、宜昌3家高新区): such an item may be a place's name alone
_SHARED_HEAD_ITEMS = frozenset({ELLIPSIS_RULE, COUNTED_LIST_RULE})


@dataclass(frozen=True, slots=True)
class Relation:
    """`subject predicate object` as the sentence sentence_start..sentence_end states it; the
    evidence span start..end covers the mentions (and words) the rule read."""

    subject: str  # gazetteer ref
    predicate: str  # local name of a pkg: property
    object: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    rule: str
    confidence: float


@dataclass(frozen=True, slots=True)
class _Group:
    """A coordinated list of mentions of one family inside one clause."""

    members: tuple[Mention, ...]
    family: str
    clause: int

    @property
    def start(self) -> int:
        return self.members[0].start

    @property
    def end(self) -> int:
        return self.members[-1].end


@lru_cache(maxsize=1)
def words() -> dict[str, tuple[str, ...]]:
    """role -> words, longest first."""
    out: dict[str, list[str]] = {}
    for fields in read_tsv(PATTERNS / "relation_words.tsv"):
        out.setdefault(fields[0], []).append(fields[1])
    return {role: tuple(sorted(ws, key=len, reverse=True)) for role, ws in out.items()}


def _squash(s: str) -> str:
    return "".join(s.split())


# The class families, the one list of them: a mention's family is the nearest ancestor of its
# class in this list. The relation rules group mentions by family, and `kg eval` scores by it.
# CityCluster covers metropolitan areas and strategic regions; ProvincialSubRegion (皖北) is a
# family of its own, because a sub-region stands in lists of provinces and cities as their
# equal; AreaCompound (京津冀, 川渝: an area named by its members' abbreviations) is one too, for
# the same reason (深化与京津冀、长三角、粤港澳等地区对接合作: a list of areas and a cluster);
# Place holds the places of no other family (法兰西岛大区).
FAMILIES = ("MacroRegion", "Province", "City", "ProvincialSubRegion", "AreaCompound",
            "CityCluster", "EconomicBelt", "Country", "WorldRegion", "Place", "Corridor",
            "Platform", "Organization", "Agreement", "Industry", "Strategy")
PLACE_FAMILIES = frozenset({"MacroRegion", "Province", "City", "ProvincialSubRegion",
                            "AreaCompound", "CityCluster", "EconomicBelt", "Country",
                            "WorldRegion"})
# what a province or city can be part of in the text's own words
_REGION_FAMILIES = frozenset({"MacroRegion"})
_MEMBER_FAMILIES = frozenset({"Province", "City", "ProvincialSubRegion", "AreaCompound",
                              "CityCluster"})


def family(cls: str, gaz: Gazetteer) -> str:
    """The class's nearest ancestor in FAMILIES; a class below none of them (or outside the
    ontology) is a family of its own."""
    lineage = gaz.lineage(cls) if cls in gaz.class_parent else [cls]
    return next((c for c in lineage if c in FAMILIES), cls)


def _clause_ids(text: str, start: int, end: int) -> list[int]:
    """For each offset start..end of the sentence, the index of its clause."""
    ids = []
    n = 0
    for i in range(start, end):
        ids.append(n)
        ch = text[i]
        # 78680.3 and 1,000 are numbers, not clause ends
        if ch in _CLAUSE_END and not (ch in ",." and i + 1 < end and text[i + 1].isdigit()):
            n += 1
    return ids


def _is_joiner(gap: str) -> bool:
    return gap == "" or gap in words()["list_joiner"]


def _compatible(a: str, b: str) -> bool:
    """May one list hold both families? "北京、上海、粤港澳大湾区" mixes places of one scale."""
    return a == b or {a, b} <= _MEMBER_FAMILIES


def _groups(text: str, ms: Sequence[Mention], fams: dict[Mention, str],
            clause_of: dict[Mention, int]) -> list[_Group]:
    groups: list[_Group] = []
    current: list[Mention] = []
    for m in ms:
        if current:
            prev = current[-1]
            if (clause_of[prev] == clause_of[m] and _compatible(fams[prev], fams[m])
                    and _is_joiner(_squash(text[prev.end:m.start]))):
                current.append(m)
                continue
            groups.append(_Group(tuple(current), fams[current[0]], clause_of[current[0]]))
        current = [m]
    if current:
        groups.append(_Group(tuple(current), fams[current[0]], clause_of[current[0]]))
    return groups


class _Sentence:
    """One sentence's linked mentions, clauses and groups, and the rules' shared helpers."""

    def __init__(self, text: str, span: tuple[int, int], ms: Sequence[Mention],
                 gaz: Gazetteer, home: Mention | None = None,
                 doc_places: frozenset[str] = frozenset()) -> None:
        self.text = text
        self.home = home  # the document's own place: the subject a clause may leave unwritten
        # the provinces, cities and counties the document names: what an abbreviation in a
        # line's name may stand for (昌九高铁 in a report that names 南昌 and 九江)
        self.doc_places = doc_places
        self.start, self.end = span
        ids = _clause_ids(text, self.start, self.end)
        self.clause_of = {m: ids[m.start - self.start] for m in ms}
        self.gaz = gaz
        self.fams = {m: family(m.type, gaz) for m in ms}
        self.groups = _groups(text, ms, self.fams, self.clause_of)
        self.out: list[Relation] = []

    def gap(self, a: int, b: int) -> str:
        return _squash(self.text[a:b])

    def emit(self, s: Mention, p: str, o: Mention, rule: str, confidence: float,
             extra: Iterable[int] = ()) -> None:
        if s.ref == o.ref or s.ref is None or o.ref is None:
            return
        if p == "cooperatesWith" and (_contains(self.gaz, s.ref, o.ref)
                                      or _contains(self.gaz, o.ref, s.ref)):
            return  # 深化与中国商飞合作: a province does not cooperate with its own country
        if p in SYMMETRIC and s.start > o.start:
            s, o = o, s
        # the document's own place, left unwritten, is no part of the evidence span
        points = [x for m in (s, o) if m is not self.home for x in (m.start, m.end)]
        points += extra
        self.out.append(Relation(s.ref, p, o.ref, min(points), max(points), self.start,
                                 self.end, f"relation/{rule}/{RULE_VERSION}", confidence))


def _starts_with(s: str, role: str) -> str | None:
    return next((w for w in words()[role] if s.startswith(w)), None)


def _ends_with(s: str, role: str) -> str | None:
    return next((w for w in words()[role] if s.endswith(w)), None)


def _corridors(sent: _Sentence) -> None:
    for clause in {g.clause for g in sent.groups}:
        groups = [g for g in sent.groups if g.clause == clause]
        corridors = [g for g in groups
                     if g.family == "Corridor" and not _names_a_facility(sent, g)]
        if not corridors:
            continue
        for g in groups:
            if g.family not in PLACE_FAMILIES:
                continue
            before = [c for c in corridors if c.end <= g.start]
            after = [c for c in corridors if c.start >= g.end]
            # a place before its corridor is its subject only when close (西部地区依托中欧班列)
            after = [c for c in after if len(sent.gap(g.end, c.start)) <= _MAX_FORWARD]
            corridor = before[-1] if before else after[0] if after else None
            if corridor is None:
                continue
            lo, hi = min(corridor.end, g.end), max(corridor.start, g.start)
            between = sent.gap(lo, hi)
            # G331吉林段, 宝中铁路宁夏段: the line runs via the section's place, so it joins it
            # (annotators i and j; a has the section located in it, an entity the graph lacks)
            if (_qualifies_a_line(sent, corridor, g)
                    or _names_a_facility_of_a_line(sent, corridor, g)):
                continue
            if _ENUMERATION in between:
                # 漳汕高铁、福州机场二期、厦门新机场: another item of an enumeration of projects
                # stands between; the place belongs to it, not to the line
                continue
            strong = any(w in between for w in words()["connect_verb"])
            lines = corridor.members
            if _in_a_section(sent, corridor, g):
                # 漳汕高铁、龙龙铁路武平至梅州段: the section is of the line it follows
                lines = lines[-1:]
            for c in lines:
                for p in g.members:
                    sent.emit(c, "connects", p, "corridor-nearest", 0.8 if strong else 0.6)


def _member_places(m: Mention) -> list[Mention]:
    """The places a compound of abbreviations stands for (对接京津: 北京, 天津), else `m` itself."""
    if not m.members:
        return [m]
    return [Mention(m.doc, m.start, m.end, m.text, "", ref, "") for ref in m.members]


def _names_a_facility(sent: _Sentence, corridor: _Group) -> bool:
    """沈阳建设国家中欧班列集结中心: a line's name followed by a facility word names a facility
    (the place builds the facility, which the line serves); the place is where the facility
    is, which the line does not state."""
    after = sent.gap(corridor.end, min(sent.end, corridor.end + _FACILITY_REACH))
    return _starts_with(after, "corridor_facility") is not None


def _line_names_a_facility(sent: _Sentence, m: Mention) -> bool:
    """深圳西丽高铁枢纽: a line's name followed by a facility word is a facility's name read
    short; the places in it are not places the line joins."""
    after = sent.gap(m.end, min(sent.end, m.end + _FACILITY_REACH))
    return _starts_with(after, "corridor_facility") is not None


def _qualifies_a_line(sent: _Sentence, corridor: _Group, place: _Group) -> bool:
    """浙江中欧班列（义新欧）: a place written right before a line, nothing between, says whose
    service or section it is (as 中国 qualifies 西部地区), not a place the line joins; a place
    that joins it is linked by a word (西部地区依托中欧班列)."""
    return place.end <= corridor.start and not sent.gap(place.end, corridor.start)


def _names_a_facility_of_a_line(sent: _Sentence, corridor: _Group, place: _Group) -> bool:
    """中欧班列华中区域集结中心: a place written between a line and a facility word names where
    the line's facility is (a hub of the region), not a place the line joins."""
    if corridor.end > place.start or sent.gap(corridor.end, place.start):
        return False
    after = sent.gap(place.end, min(sent.end, place.end + _FACILITY_REACH))
    return _starts_with(after, "corridor_facility") is not None


def _in_a_section(sent: _Sentence, corridor: _Group, place: _Group) -> bool:
    """Is the place inside a section written right after the list's last line (龙龙铁路武平至
    梅州段: the places between the line and 段, with no other item of an enumeration between)?"""
    if corridor.end > place.start:
        return False
    span = sent.text[corridor.end:min(sent.end, corridor.end + _SECTION_SPAN)]
    at = min((span.find(w) for w in words()["section_word"] if w in span), default=-1)
    return (at != -1 and place.end <= corridor.end + at
            and not any(ch in span[:at] for ch in _CLAUSE_END | {_ENUMERATION}))


def _projects(sent: _Sentence) -> None:
    for i, g in enumerate(sent.groups):
        if g.family != "Corridor":
            continue
        after = sent.text[g.end:min(sent.end, g.end + _PROJECT_TEXT)]
        if not any(w in _squash(after)[:_PROJECT_REACH] for w in words()["project_word"]):
            continue
        for later in sent.groups[i + 1:]:
            if (later.family in PLACE_FAMILIES and later.clause > g.clause
                    and _served(sent, later)):
                for c in g.members:
                    for p in later.members:
                        sent.emit(c, "connects", p, "corridor-project", 0.5)


def _served(sent: _Sentence, g: _Group) -> bool:
    """Does a verb earlier in the list's clause say that the projects serve it (促进广西、湖南…
    发展, 助力新疆、云南)? "梅龙高铁开通运营，梅州等老区苏区与大湾区联系更加紧密" says what the
    line brings closer, not where it runs."""
    lead = sent.gap(_clause_span(sent, g.clause)[0], g.start)
    return any(w in lead for w in words()["serve_verb"])


def _platforms(sent: _Sentence) -> None:
    for a, b in zip(sent.groups, sent.groups[1:], strict=False):
        if a.clause != b.clause:
            continue
        between = sent.gap(a.end, b.start)
        if a.family in PLACE_FAMILIES and b.family == "Platform" and len(between) <= _MAX_GAP:
            if _starts_with(between, "host_verb"):
                for place in a.members:
                    for platform in b.members:
                        sent.emit(platform, "locatedIn", place, "platform-host", 0.8)
        elif a.family == "Platform" and b.family in PLACE_FAMILIES:
            verb = _ends_with(between, "located_verb")
            bracketed = between in ("(", "（") and sent.gap(b.end, b.end + 1) in (")", "）")
            if (verb and len(between) <= len(verb) + 2) or bracketed:
                for platform in a.members:
                    for place in b.members:
                        sent.emit(platform, "locatedIn", place, "platform-host",
                                  0.8 if verb else 0.7)


def _members(sent: _Sentence) -> None:
    for a, b in zip(sent.groups, sent.groups[1:], strict=False):
        if a.clause != b.clause:
            continue
        between = sent.gap(a.end, b.start)
        region, members = None, None
        # "LIST 等 REGION": the region follows 等 at once; "哈尔滨、广州等城市至中西部地区"
        # links the cities to the region, it does not put them in it
        if (a.family in _MEMBER_FAMILIES and b.family in _REGION_FAMILIES
                and len(b.members) == 1 and between in words()["member_before"]):
            region, members = b, a
        elif a.family in _REGION_FAMILIES and len(a.members) == 1 and b.family in (
                _MEMBER_FAMILIES):
            opened = between[-1:] in ("(", "（") and len(between) <= _MAX_MEMBER_GAP
            if between == "" or between in words()["member_after"] or opened:
                region, members = a, b
        if region is None or members is None:
            continue
        for m in members.members:
            sent.emit(m, "partOf", region.members[0], "member-list", 0.8)


def _member_roles(sent: _Sentence) -> None:
    """建强洛阳中原城市群副中心城市, 九江打造长江经济带重要节点城市: a city made the centre or a
    node city of a cluster or belt written right after it (a verb between at most) is one of its
    members."""
    ms = list(sent.fams)
    for city, region in itertools.pairwise(ms):
        if (sent.fams[city] != "City" or sent.fams[region] not in _ROLE_REGIONS
                or sent.clause_of[city] != sent.clause_of[region]
                or len(sent.gap(city.end, region.start)) > _MAX_ROLE_VERB):
            continue
        tail = _clause_tail(sent, region.end, _ROLE_REACH)
        at = min((tail.find(w) for w in words()["member_role"] if w in tail), default=-1)
        if 0 <= at <= _MAX_ROLE_QUALIFIER:
            sent.emit(city, "memberOf", region, "member-role", 0.8)


# what is no named entity of the report genre: 依托X打造数字经济集聚区 builds no industry on X
_NOT_BUILT = frozenset({"Industry", "Organization", "Agreement"})


def _relies(sent: _Sentence) -> None:
    for i, g in enumerate(sent.groups):
        if g.family in _NOT_BUILT:
            continue
        before = sent.text[max(sent.start, g.start - _RELY_REACH):g.start]
        marker = _ends_with(_squash(before), "rely_marker")
        if marker is None:
            continue
        marker_at = sent.text.rfind(marker[0], sent.start, g.start)
        # 依托黄河流域和陇海—兰新线: a list across families is still one object list
        objects = list(g.members)
        k = i
        while (k + 1 < len(sent.groups) and sent.groups[k + 1].clause == g.clause
               and sent.gap(sent.groups[k].end, sent.groups[k + 1].start) in _CHAIN):
            k += 1
            objects.extend(sent.groups[k].members)
        for subject_group, confidence in _rely_subjects(sent, k, marker_at):
            if subject_group.family in _NOT_BUILT:
                continue
            for s in subject_group.members:
                for o in objects:
                    sent.emit(s, "builtOn", o, "relies-on", confidence, (marker_at,))


def _rely_subjects(sent: _Sentence, i: int, marker_at: int) -> list[tuple[_Group, float]]:
    """`sent.groups[i]` ends the object list that follows the marker at `marker_at`."""
    g = sent.groups[i]
    before = [x for x in sent.groups if x.end <= marker_at]
    prev = before[-1] if before else None
    # 沈阳依托沈阳都市圈: the list just before the marker
    if (prev is not None and prev.clause == g.clause
            and len(sent.gap(prev.end, marker_at)) <= _MAX_RELY_SUBJECT_GAP):
        return [(prev, 0.8)]
    # 依托 X，以 Y、Z 为支撑: Y and Z, in the sentence after the marker
    frames = []
    for later in sent.groups[i + 1:]:
        lead = sent.gap(max(sent.start, later.start - _FRAME_LEAD), later.start)
        if lead.endswith("以") and _closes_frame(sent, later.end):
            frames.append((later, 0.8))
    if frames:
        return frames
    # 依托 X 强化 Y: the next entity of the clause
    nxt = sent.groups[i + 1] if i + 1 < len(sent.groups) else None
    if nxt is not None and nxt.clause == g.clause and len(sent.gap(g.end, nxt.start)) <= _MAX_GAP:
        return [(nxt, 0.6)]
    # 依托哈长城市群，… 提升哈尔滨和长春发展动能: the next provinces or cities of the sentence
    later = [x for x in sent.groups[i + 1:] if x.family in ("Province", "City")]
    return [(later[0], 0.5)] if later else []


def _closes_frame(sent: _Sentence, at: int) -> bool:
    """Does "为支撑" (or another support_frame) close the clause's 以 … frame after `at`? Names
    the gazetteer does not know may stand between (以武汉都市圈、某某都市圈为支撑)."""
    end = at
    while end < sent.end and sent.text[end] not in _CLAUSE_END and end - at < _FRAME_REACH:
        end += 1
    tail = sent.gap(at, end)
    at_wei = tail.find("为")
    return at_wei != -1 and _starts_with(tail[at_wei + 1:], "support_frame") is not None


def _comparisons(sent: _Sentence) -> None:
    for g in sent.groups:
        if _compares_first(sent, g):
            for other in g.members[1:]:
                sent.emit(g.members[0], "comparedWith", other, "comparison", 0.8)
        elif _compares_run(sent, g):
            for i, x in enumerate(g.members):
                for y in g.members[i + 1:]:
                    sent.emit(x, "comparedWith", y, "comparison", 0.7)
    for a, b in zip(sent.groups, sent.groups[1:], strict=False):
        if a.clause != b.clause or a.family not in PLACE_FAMILIES or (
                b.family not in PLACE_FAMILIES):
            continue
        between = sent.gap(a.end, b.start)
        # "西部地区人均收入仍低于东部地区": the verb may follow a short indicator
        if len(between) <= _MAX_COMPARE_GAP and any(v in between for v in words()["compare_verb"]):
            for x in a.members:
                for y in b.members:
                    sent.emit(x, "comparedWith", y, "comparison", 0.8)


def _compares_first(sent: _Sentence, g: _Group) -> bool:
    """"东部地区与中部地区、西部地区…差距": the first member is compared with the others."""
    if len(g.members) < 2 or g.family not in PLACE_FAMILIES:
        return False
    if sent.gap(g.members[0].end, g.members[1].start) not in words()["compare_joiner"]:
        return False
    clause_text = _clause_text(sent, g.clause)
    return any(k in clause_text for k in words()["compare_keyword"])


def _compares_run(sent: _Sentence, g: _Group) -> bool:
    """"南北方…差距", "东中西部地区…差距": places written as one run are compared."""
    if len(g.members) < 2 or g.family not in PLACE_FAMILIES:
        return False
    if any(sent.gap(a.end, b.start) for a, b in zip(g.members, g.members[1:], strict=False)):
        return False
    clause_text = _clause_text(sent, g.clause)
    return any(k in clause_text for k in words()["compare_keyword"])


def _clause_text(sent: _Sentence, clause: int) -> str:
    lo, hi = _clause_span(sent, clause)
    return _squash(sent.text[lo:hi])


def _distributes(s: str) -> bool:
    """Has `s` a distributive word (分别, 均 …) that is not part of a longer word (均等化)?"""
    blocked = words()["not_distributive"]
    for w in words()["distributive"]:
        at = s.find(w)
        while at != -1:
            if not any(s[max(0, at - len(b) + len(w)):at + len(b)].find(b) != -1 for b in blocked
                       if w in b):
                return True
            at = s.find(w, at + 1)
    return False


def _shared_predicates(sent: _Sentence) -> None:
    for g in sent.groups:
        if len(g.members) < 2 or g.family not in _LISTED or _compares_run(sent, g):
            continue
        after = _clause_text(sent, g.clause)
        tail = after[after.find(_squash(g.members[-1].text)) + len(_squash(g.members[-1].text)):]
        if not _distributes(tail):
            continue
        members = list({m.ref: m for m in g.members}.values())
        if _compares_first(sent, g):
            members = members[1:]
        for i, x in enumerate(members):
            for y in members[i + 1:]:
                sent.emit(x, "listedWith", y, "shared-predicate", 0.7)


_LISTED = PLACE_FAMILIES | {"Corridor", "Platform"}  # lists of industries are not relations
# who may cooperate: places and platforms (洋浦港与阿布扎比港合作), not industries
_COOPERATING = PLACE_FAMILIES | {"Platform", "Place"}
# who may be the written subject of an earlier clause that 与 goes on from (湖南加快发展，与湖北
# 签署…): a province, a city or a sub-region; a macro-region there qualifies something else
# (中部地区首单…落地，与湖北、安徽签署…)
_SIGNING = frozenset({"Province", "City", "ProvincialSubRegion", "AreaCompound", "Place"})
# what a place joins (融入, 对接): a region, belt, corridor or strategy, not a province or city
# what a place joins (融入/对接): a region, belt, corridor or strategy of the guidelines; not a
# foreign region (强化与中东国家经贸对接 is trade with it, which no dev reader gives as connects)
# an area compound too (对接京津冀; a pair of provinces, 对接京津, is cooperation: `_names_parties`)
_JOINED = frozenset({"MacroRegion", "AreaCompound", "CityCluster", "EconomicBelt", "Corridor",
                     "Strategy"})
# who may join a region, belt, corridor or strategy: a place, or a platform (怀化国际陆港全面融入
# 西部陆海新通道); a platform before the verb also keeps the document's own place out
# who joins: a place, a platform, or a place of no other family (a county, a compound of
# counties: 推动“黎从榕”打造对接融入粤港澳大湾区桥头堡)
_JOINING = PLACE_FAMILIES | {"Platform", "Place"}
# what a strategy is about: the region its name starts with
_ABOUT = frozenset({"MacroRegion", "Province", "City", "ProvincialSubRegion", "CityCluster",
                    "EconomicBelt"})
_HOME_FAMILIES = ("Province", "City")  # what a document may speak for (a province's report)
_DASHES = frozenset({"—", "–", "-", "一", "至", "、", "－"})
_QUALIFIED = PLACE_FAMILIES - {"Country", "WorldRegion"}


def _without_qualifiers(text: str, ms: list[Mention], gaz: Gazetteer) -> list[Mention]:
    """Drops a country written right before a smaller place of its own (中国西部地区, 中国(广西)):
    it qualifies the place; it is not a member of the clause's lists."""
    out = []
    for m, nxt in itertools.zip_longest(ms, ms[1:]):
        qualified = nxt is not None and family(nxt.type, gaz) in _QUALIFIED
        if qualified and family(m.type, gaz) == "Country" and not _squash(text[m.end:nxt.start]):
            continue
        out.append(m)
    return out


def _names_inside(sent: _Sentence) -> None:
    """南宁国际铁路港, 中柬(北海)产业园, 贺州至连山高速, 兰州—西宁城市群: a place named at the start
    of a platform's, corridor's or city cluster's own name, or after (, 至, —, is where it is,
    what it links, or a member."""
    gaz = sent.gaz
    weak = weak_names()
    for m, fam in sent.fams.items():
        if fam not in _INSIDE:
            continue
        name = _squash(m.text)
        if (fam == "CityCluster" and m.ref not in gaz.entries
                and _ends_with(name, "metro_area_head") is None):
            # a cluster the tables do not list is a guess from its head word (湛江临港经济区,
            # 洛阳中原城市群): the place in its name is no member; a metropolitan area
            # (哈尔滨现代化都市圈) is named after its own cities
            continue
        if fam == "Corridor" and _line_names_a_facility(sent, m):
            continue  # 深圳西丽高铁枢纽: a station of the city, read short as a line
        starts = [0] + [i + 1 for i, ch in enumerate(name) if ch in _NAME_OPENERS]
        if fam == "Corridor":
            _section_places(sent, m, name)
            cluster = _opening_cluster(name, gaz) if _is_local_line(name) else None
            if cluster is not None:
                # 长春都市圈西环线 (R8): an urban line connects the area its name opens with, not
                # the city that opens the area's name
                sent.emit(m, "connects", Mention(m.doc, m.start, m.end, m.text, "", cluster, ""),
                          "name-place", 0.9)
                starts = starts[1:]
        for at in starts:
            # after 至 a line's name may end with its place: 盘州至兴义 is an item of a list
            # whose head word the items share (盘州至兴义、黄桶至百色等铁路); so may a platform
            # that is such an item (厦门、福州机场: 厦门 is 厦门机场; 周口、潢川、鲁山等机场)
            to_end = (fam == "Corridor" and at > 0) or (
                fam == "Platform" and m.rule in _SHARED_HEAD_ITEMS)
            ref = _place_at(name, at, gaz, weak, _INSIDE[fam], to_end)
            if ref is None or ref == m.ref:
                continue
            if not _county_in_context(sent, ref):
                continue
            if fam == "Platform" and at == 0 and _sited_in_another_city(name, ref, gaz):
                continue
            place = Mention(m.doc, m.start, m.end, m.text, "", ref, "")
            if fam == "CityCluster":
                sent.emit(place, "memberOf", m, "name-place", 0.9)
            elif fam == "Platform":
                sent.emit(m, "locatedIn", place, "name-place", 0.9)
            else:
                # a city's own line (长春轨道交通, 萍乡绕城高速) connects it too, never lies in it
                # (revision 2 of the gold, R8)
                sent.emit(m, "connects", place, "name-place", 0.9)
        if fam == "Platform":
            ref = _branch_place(name, gaz, weak)
            if ref is not None and ref != m.ref:
                sent.emit(m, "locatedIn", Mention(m.doc, m.start, m.end, m.text, "", ref, ""),
                          "name-place", 0.9)


def _opening_cluster(name: str, gaz: Gazetteer) -> str | None:
    """The city cluster of the reference tables a line's name opens with (长春都市圈西环线), if
    exactly one; never the whole name."""
    for n in range(min(_MAX_CLUSTER_IN_NAME, len(name) - 1), 2, -1):
        refs = [r for r in gaz.surfaces.get(name[:n], ())
                if r in gaz.entries and family(gaz.entries[r].cls, gaz) == "CityCluster"]
        if len(refs) == 1:
            return refs[0]
    return None


def _section_places(sent: _Sentence, m: Mention, name: str) -> None:
    """G331吉林段, 大广高速吉安至南康段, G318川藏段 (R9): one mention of the line; it connects the
    places its section names, read between the line's own name and 段. A section's ends are
    places whatever else their short names are (吉安 is weak elsewhere); a section written as a
    run of abbreviations (川藏) names the places they stand for."""
    end = line_name_end(name)
    if end is None:
        return
    refs = [ref for at in range(end, len(name) - 1)
            if (ref := _place_at(name, at, sent.gaz, frozenset(), _INSIDE["Corridor"]))]
    run = name[end:-1]
    if not refs and 2 <= len(run) <= _MAX_ABBREVIATION_RUN:
        places = _one_level([_abbreviated_places(ch, sent) for ch in run], sent.gaz)
        refs = [] if None in places else [p for p in places if p]
    for ref in dict.fromkeys(refs):
        if ref != m.ref:
            place = Mention(m.doc, m.start, m.end, m.text, "", ref, "")
            sent.emit(m, "connects", place, "name-place", 0.9)


def _sited_in_another_city(name: str, ref: str, gaz: Gazetteer) -> bool:
    """拉萨贡嘎机场: a facility named after the city it serves and then after its site, a county
    the reference data puts in another city of the same province (贡嘎县 in 山南), stands in
    the site, not in the city its name opens with (杭州萧山, 郑州新郑: sites in their city; 铜仁
    凤凰: 凤凰县 is in another province, the place served, not the site)."""
    if family(gaz.entries[ref].cls, gaz) != "City":
        return False
    lead = next((n for n in range(min(_MAX_PLACE_IN_NAME, len(name)), 1, -1)
                 if ref in gaz.surfaces.get(name[:n], ())), 0)
    provinces = {r for r in _ancestors(ref, gaz)
                 if family(gaz.entries[r].cls, gaz) == "Province"}
    for n in range(min(_MAX_PLACE_IN_NAME, len(name) - lead - 1), 1, -1):
        counties = [r for r in gaz.surfaces.get(name[lead:lead + n], ())
                    if r in gaz.entries and "County" in gaz.lineage(gaz.entries[r].cls)]
        if counties:
            return (not any(ref in _ancestors(c, gaz) for c in counties)
                    and any(_ancestors(c, gaz) & provinces for c in counties))
    return False


def _branch_place(name: str, gaz: Gazetteer, weak: frozenset[str]) -> str | None:
    """国家实验室贵州创新中心, 太行国家实验室江西创新中心: a province or city written inside a
    platform's name right before the branch word that ends it (创新中心, 基地 …) is where the
    branch stands. Not a county: its short name is an ordinary stretch of a name too often."""
    head = _ends_with(name, "branch_head")
    if head is None:
        return None
    body = name[:-len(head)]
    for n in range(min(_MAX_PLACE_IN_NAME, len(body) - 1), 1, -1):
        surface = body[-n:]
        refs = [r for r in gaz.surfaces.get(surface, ())
                if family(gaz.entries[r].cls, gaz) in ("Province", "City")]
        if len(refs) == 1 and surface not in weak:
            return refs[0]
    return None


def _named_places(mentions: Sequence[Mention], home: Mention | None,
                  gaz: Gazetteer) -> frozenset[str]:
    """The provinces, cities and counties of the reference data a document names."""
    refs = {m.ref for m in mentions if m.ref in gaz.entries}
    refs |= {home.ref} if home is not None and home.ref else set()
    return frozenset(r for r in refs if _abbreviable(r, gaz))


def _abbreviable(ref: str, gaz: Gazetteer) -> bool:
    lineage = gaz.lineage(gaz.entries[ref].cls)
    return any(c in lineage for c in ("Province", "City", "County"))


def _abbreviated_as(ref: str, gaz: Gazetteer) -> frozenset[str]:
    """The characters a line's name may abbreviate the place by: a province's abbreviations
    (黔, 粤), a city's or county's short name's first character (九 for 九江, 本 for 本溪) and
    the last of a two-character one (昌 for 南昌, 汉 for 武汉)."""
    entry = gaz.entries[ref]
    lineage = gaz.lineage(entry.cls)
    if "Province" in lineage:
        return frozenset(entry.abbr)
    short = min((n for n in (entry.label_zh, *entry.aliases) if len(n) >= 2), key=len)
    # a county by its first character only: 湖 of 沪苏湖高铁 is 湖州, not 建湖县
    last = len(short) == 2 and "County" not in lineage
    return frozenset({short[0], short[-1]} if last else {short[0]})


def _names_abbreviated(sent: _Sentence) -> None:
    """昌九高铁, 汉宜高速, 黔粤班列, 赣粤运河: a line whose name is a run of abbreviations before
    its head word connects the places they stand for, when each character stands for exactly
    one place the document names (荆荆高铁 names two places by one character: nothing)."""
    for m, fam in sent.fams.items():
        if fam != "Corridor":
            continue
        name = line_own_name(_squash(m.text))
        head = _ends_with(name, "line_head")
        # 广惠、广深、广韶北…高速, 赣龙厦、昌福厦等高铁: an item of a list that shares the head
        # word written once is a run of abbreviations alone
        run = name[:-len(head)] if head else name if m.rule in _SHARED_HEAD_ITEMS else ""
        if (not 2 <= len(run) <= _MAX_ABBREVIATION_RUN or run in sent.gaz.surfaces
                or _is_local_line(name) or _line_names_a_facility(sent, m)):
            continue  # 萍乡绕城高速 runs inside its city (`_names_inside`)
        if sent.text[m.start - 1:m.start] in sent.gaz.province_abbr:
            continue  # 沪苏湖高铁 read as 苏湖高铁: the run may go on before the name

        places = _one_level([_abbreviated_places(ch, sent) for ch in run], sent.gaz)
        rule = "name-abbreviations"
        if None in places or len(set(places)) < len(places):
            places, rule = _home_side_places(run, m.start, sent), "home-abbreviation"
        for ref in places:
            place = Mention(m.doc, m.start, m.end, m.text, "", ref, "")
            sent.emit(m, "connects", place, rule, 0.7)
    _clusters_abbreviated(sent)


def _clusters_abbreviated(sent: _Sentence) -> None:
    """厦漳泉都市圈, 苏锡常都市圈, 长株潭城市群: a cluster whose name is a run of abbreviations
    before its head word has the places they stand for as members, read as a line's run is
    (each character one place the document names); a run read otherwise names no member."""
    for m, fam in sent.fams.items():
        if fam != "CityCluster":
            continue
        name = _squash(m.text)
        head = _ends_with(name, "cluster_head")
        run = name[:-len(head)] if head else ""
        if not 2 <= len(run) <= _MAX_ABBREVIATION_RUN or _names_a_place(run, sent.gaz):
            continue  # 兰西 is a county's name too; 长株潭 only the cluster's own
        places = _one_level([_abbreviated_places(ch, sent) for ch in run], sent.gaz)
        if None in places or len(set(places)) < len(places):
            continue
        for ref in places:
            place = Mention(m.doc, m.start, m.end, m.text, "", ref, "")
            sent.emit(place, "memberOf", m, "name-abbreviations", 0.7)


def _names_a_place(surface: str, gaz: Gazetteer) -> bool:
    return any(family(gaz.entries[r].cls, gaz) in _MEMBER_FAMILIES - {"CityCluster"}
               for r in gaz.surfaces.get(surface, ()) if r in gaz.entries)


def _home_side_places(run: str, start: int, sent: _Sentence) -> list[str]:
    """津潍高铁 in Tianjin's report, 秦沈高速 in Liaoning's: a run the document's places do not
    resolve one to one still names the report's own end. A character that stands for the
    report's province or one of its cities (and for nothing else the document names) is read;
    the others may name places the report need not name (潍坊, 秦皇岛). Not a county: its first
    character is an ordinary stretch of a name too often (江 of 江夏区 in 沿江高铁)."""
    home = sent.home.ref if sent.home is not None else None
    if home is None or "Province" not in sent.gaz.lineage(sent.gaz.entries[home].cls):
        return []
    if run[0] in words()["country_initial"]:
        return []  # 中欧班列, 中老铁路: a country's initial, not 中山's
    before = sent.text[max(sent.start, start - 1):start]
    if before and any(before in _abbreviated_as(r, sent.gaz) for r in sent.doc_places
                      if "County" not in sent.gaz.lineage(sent.gaz.entries[r].cls)):
        # 广佛东环城际 read as 东环城际, 广清永高铁 as 清永高铁: the run goes on before the
        # name (a county's first character does not count: 开建温福高铁, 建 of 建瓯)
        return []
    out: list[str] = []
    for i, ch in enumerate(run):
        refs = _county_yields_to_a_city(
            [r for r in sent.doc_places if ch in _abbreviated_as(r, sent.gaz)], sent.gaz)
        if len(refs) > 1 and home in refs and _pairs_with_a_province(run, i, sent.gaz):
            # 黔粤班列, 黔桂铁路 in Guizhou's report: 黔 is also 黔南's first character, but a
            # run of provinces' abbreviations joins provinces (长赣, 沪苏湖: cities)
            refs = [home]
        if len(refs) != 1:
            continue
        ref = refs[0]
        lineage = sent.gaz.lineage(sent.gaz.entries[ref].cls)
        own = ref == home or ("City" in lineage and home in _ancestors(ref, sent.gaz))
        if own and "County" not in lineage and ref not in out:
            out.append(ref)
    return out


def _county_yields_to_a_city(refs: list[str], gaz: Gazetteer) -> list[str]:
    """太绥高铁 in Shanxi's report: 太 is 太原, not its district 太谷区 (a county yields to a
    city, as in `_abbreviated_places`); beside the province's own abbreviation it stays (苏 of
    沪苏湖高铁 in Jiangsu's report stays unread: 苏州, or a county, may be meant)."""
    cities = [r for r in refs if _level(r, gaz) == "City"]
    if not cities or any(_level(r, gaz) == "Province" for r in refs):
        return refs
    return [r for r in refs if _level(r, gaz) != "County"]


def _pairs_with_a_province(run: str, at: int, gaz: Gazetteer) -> bool:
    """Is every other character of the run a province's abbreviation (粤 of 黔粤班列)? A run
    with one that is not (湖 of 沪苏湖高铁) joins cities, whatever 沪 is."""
    return all(ch in gaz.province_abbr for i, ch in enumerate(run) if i != at)


def _abbreviated_places(ch: str, sent: _Sentence) -> list[str]:
    """The places the document names that `ch` abbreviates. A county yields to a province or
    city (汉宜高速 in Hubei's report: 汉 is 武汉, not its district 江汉区; 宜 is 宜昌, not the
    county-level 宜城)."""
    refs = [r for r in sent.doc_places if ch in _abbreviated_as(r, sent.gaz)]
    above = [r for r in refs if "County" not in sent.gaz.lineage(sent.gaz.entries[r].cls)]
    return above or refs


def _level(ref: str, gaz: Gazetteer) -> str:
    lineage = gaz.lineage(gaz.entries[ref].cls)
    return next((c for c in ("Province", "City", "County") if c in lineage), "")


def _one_level(candidates: list[list[str]], gaz: Gazetteer) -> list[str | None]:
    """Each character's one place, else None. A run joins places of one level: a character
    that stands for a province and a city (赣: 江西, 赣州) is the province beside provinces
    (赣粤运河) and the city beside cities (赣九高铁)."""
    fixed = {_level(refs[0], gaz) for refs in candidates if len(refs) == 1}
    level = next(iter(fixed)) if len(fixed) == 1 else None
    out: list[str | None] = []
    for refs in candidates:
        if len(refs) > 1 and level is not None:
            refs = [r for r in refs if _level(r, gaz) == level]
        out.append(refs[0] if len(refs) == 1 else None)
    return out


def _is_local_line(name: str) -> bool:
    """长春轨道交通, 萍乡绕城高速: a line that runs inside the place its name opens with."""
    return any(w in name for w in words()["local_line_word"])


def _ancestors(ref: str, gaz: Gazetteer) -> set[str]:
    """The places the reference data puts `ref` in, up the partOf chain (county -> city ->
    province)."""
    out: set[str] = set()
    todo = [ref]
    while todo:
        current = todo.pop()
        entry = gaz.entries.get(current)
        for parent in (v for p, v in entry.facts if p == "partOf") if entry else ():
            if parent not in out:
                out.add(parent)
                todo.append(parent)
    return out


def _contains(gaz: Gazetteer, outer: str, inner: str) -> bool:
    """Does the reference data put `inner` inside `outer` (a county in its city or province, a
    province in its country)? A macro-region is a group of peers, not a container here: 山西
    加强与中部地区联动发展 is the province working with the others of its region."""
    entry = gaz.entries.get(outer)
    return (entry is not None and family(entry.cls, gaz) not in _REGION_FAMILIES
            and outer in _ancestors(inner, gaz))


def _county_in_context(sent: _Sentence, ref: str) -> bool:
    """Names are built from short names of places (珲春至防川高速, 崂山实验室), but a county's
    short name is an ordinary stretch of another name too often (平陆运河: 平陆 is a county of
    Shanxi, the canal is in Guangxi; 太湖实验室 is in Jiangsu, 太湖县 in Anhui). A county named
    inside a name is read only when its own city or province is named in the sentence or is
    the document's place; a province or city needs no context."""
    entry = sent.gaz.entries[ref]
    if "County" not in sent.gaz.lineage(entry.cls):
        return True
    context = {m.ref for m in sent.fams}
    if not _opens_a_region_name(ref, sent.gaz) and sent.home is not None:
        # 中原科技城 in Henan's report: 中原 is the Central Plains (中原城市群) before it is a
        # district of Zhengzhou, so the document's province is no context for it
        context.add(sent.home.ref)
    # the country and the macro-regions are above every county: 中国 in the sentence is no
    # context (太湖实验室 in Jiangsu's report is not in Anhui's 太湖县)
    own = {r for r in _ancestors(ref, sent.gaz)
           if family(sent.gaz.entries[r].cls, sent.gaz) in _HOME_FAMILIES}
    return bool(own & context)


_REGION_NAME_FAMILIES = frozenset({"MacroRegion", "CityCluster", "EconomicBelt"})


def _opens_a_region_name(ref: str, gaz: Gazetteer) -> bool:
    """Is a short name of the county the opening of a region's, cluster's or belt's name in the
    reference data (中原 of 中原城市群, 兰西 of 兰西城市群, 天山 of 天山北坡城市群)?"""
    cached = _REGION_WORD_COUNTIES.get(id(gaz))
    if cached is None or cached[0] is not gaz:  # a Gazetteer is not hashable
        cached = (gaz, _region_word_counties(gaz))
        _REGION_WORD_COUNTIES[id(gaz)] = cached
    return ref in cached[1]


_REGION_WORD_COUNTIES: dict[int, tuple[Gazetteer, frozenset[str]]] = {}


def _region_word_counties(gaz: Gazetteer) -> frozenset[str]:
    openings = {surface[:n] for surface, refs in gaz.surfaces.items()
                if any(r in gaz.entries
                       and family(gaz.entries[r].cls, gaz) in _REGION_NAME_FAMILIES
                       for r in refs)
                for n in range(2, len(surface))}
    return frozenset(r for surface in openings for r in gaz.surfaces.get(surface, ())
                     if r in gaz.entries and "County" in gaz.lineage(gaz.entries[r].cls))


def _place_at(name: str, at: int, gaz: Gazetteer, weak: frozenset[str],
              families: frozenset[str], to_end: bool = False) -> str | None:
    """The place whose short name stands at `at` in `name`; it ends before the name does (never
    the whole name, nor a name that is only a place) unless `to_end`."""
    longest = len(name) - at - (0 if to_end else 1)
    for n in range(min(_MAX_PLACE_IN_NAME, longest), 1, -1):
        surface = name[at:at + n]
        refs = _without_namesake_counties(
            [r for r in gaz.surfaces.get(surface, ())
             if family(gaz.entries[r].cls, gaz) in families], gaz)
        if len(refs) == 1 and surface not in weak and not _names_a_landform(
                name[at + n:], refs[0], gaz):
            return refs[0]
    return None


def _without_namesake_counties(refs: list[str], gaz: Gazetteer) -> list[str]:
    """A city and a county of its own that share a short name (南昌市 and 南昌县): the bare
    short name is the city's, since the county is written with its suffix."""
    cities = [r for r in refs if family(gaz.entries[r].cls, gaz) == "City"]
    if len(cities) != 1:
        return refs
    return [r for r in refs if r == cities[0] or not _contains(gaz, cities[0], r)]


def _names_a_landform(rest: str, ref: str, gaz: Gazetteer) -> bool:
    """A county's short name before a mountain word (长白 + 山): the name is the mountain's (a
    county is often named after its mountain). Only counties: their short names are the ones
    that are ordinary stretches of other names (see `_county_in_context`)."""
    return ("County" in gaz.lineage(gaz.entries[ref].cls)
            and _starts_with(rest, "landform_head") is not None)


# a word after a list of partners -> the relation it states between them
_PARTNER_WORDS = (("cooperate_word", "cooperatesWith"), ("link_word", "connects"))


def _cooperations(sent: _Sentence) -> None:
    """A与B合作, 与B、C对接合作 (the document's own place cooperates), 延安、榆林协同发展,
    黑龙江—瑞士经贸合作: the entities of a list followed closely by a cooperation word (合作, 协作,
    对口合作 …); A与B互联互通 the same way with a linking word (A connects B)."""
    for i, g in enumerate(sent.groups):
        if g.family not in _COOPERATING:
            continue
        for role, predicate in _PARTNER_WORDS:
            if _word_follows(sent, g, role):
                _partners(sent, i, predicate)
                break
        else:
            if _agreement_follows(sent, g):
                _partners(sent, i, "cooperatesWith", "agreement")
            elif _after_a_partner_marker(sent, g) and _word_follows(sent, g, "merge_word"):
                _partners(sent, i, "cooperatesWith")


def _after_a_partner_marker(sent: _Sentence, g: _Group) -> bool:
    """Does 与 stand before the list or between its members (北三县与通州区一体化)? A merge
    word (一体化, 融合发展) states a cooperation only there: 京津冀一体化算力网 is a network."""
    lead = sent.gap(max(sent.start, g.start - _PARTNER_LEAD), g.start)
    gaps = (sent.gap(a.end, b.start) for a, b in itertools.pairwise(g.members))
    return any(lead.endswith(w) for w in words()["partner_marker"]) or any(
        gap in words()["partner_marker"] for gap in gaps)


def _agreement_follows(sent: _Sentence, g: _Group) -> bool:
    """与 LIST [等…] 签署…协议 / 建立…机制: the list follows the partner marker, a signing verb
    follows it closely (等省市签署: 3 characters before it) and an agreement word closes what is
    signed, within the clause (签署长江流域横向生态保护补偿协议)."""
    lead = sent.gap(max(sent.start, g.start - _PARTNER_LEAD), g.start)
    if not any(lead.endswith(w) for w in words()["partner_marker"]):
        return False
    tail = _clause_tail(sent, g.end, _AGREEMENT_REACH)
    verb_at = min((tail.find(w) for w in words()["agreement_verb"] if w in tail), default=-1)
    if not 0 <= verb_at <= _MAX_AGREEMENT_VERB_GAP:
        return False
    return any(w in tail[verb_at:] for w in words()["agreement_word"])


def _clause_tail(sent: _Sentence, start: int, reach: int) -> str:
    """The clause's text from `start`, at most `reach` characters, without whitespace."""
    end = start
    while end < sent.end and sent.text[end] not in _CLAUSE_END and end - start < reach:
        end += 1
    return sent.gap(start, end)


def _written_compounds(sent: _Sentence) -> Iterable[tuple[Mention, list[Mention]]]:
    """The sentence's compounds of places, each with its places: an area compound (川渝, its
    members), and a compound read as its provinces one character each (吉浙 in 吉浙对口合作:
    extract/resolve.py, `split_party_compounds`), whose pieces stand side by side. A named
    grouping of provinces (东北三省一区战略合作) names no partners of each other (R4)."""
    for m in sent.fams:
        if len(m.members) >= 2 and m.rule != GROUP_RULE:
            yield m, [Mention(m.doc, m.start, m.end, m.text, "", ref, "") for ref in m.members]
    pieces: list[Mention] = []
    for m in [*sorted((m for m in sent.fams if m.rule == SPLIT_RULE), key=lambda m: m.start),
              None]:
        if m is not None and pieces and pieces[-1].end == m.start:
            pieces.append(m)
            continue
        if len(pieces) >= 2:
            whole = pieces[0]
            yield replace(whole, end=pieces[-1].end, text=sent.text[whole.start:pieces[-1].end],
                          members=tuple(p.ref for p in pieces)), pieces
        pieces = [m] if m is not None else []


def _compound_partners(sent: _Sentence) -> None:
    """吉浙对口合作, 粤黔东西部协作: the places an area compound is made of cooperate, when a
    cooperation word follows it closely (东西部协作: 3 characters before it) and does not go on
    as the head of a name (湘赣产业合作园, 赣台经贸合作交流大会: a park, an event). After 与
    the compound is a partner of another (开展与港澳台交流合作: `cooperation` reads it), not a
    pair of partners itself; so is an item of a list (与京津冀、粤港澳等区域合作: the partners
    of the report's province, annotator l)."""
    listed = {m for g in sent.groups if len(g.members) > 1 for m in g.members}
    for m, places in _written_compounds(sent):
        if m in listed:
            continue
        lead = sent.gap(max(sent.start, m.start - _PARTNER_LEAD), m.start)
        if any(lead.endswith(w) for w in words()["partner_marker"]):
            continue
        tail = _clause_tail(sent, m.end, _COOP_REACH)
        hits = [(tail.find(w), w) for w in words()["cooperate_word"] if w in tail]
        if not hits:
            continue
        at, word = min(hits, key=lambda h: (h[0], -len(h[1])))
        after = tail[at + len(word):]
        if at > _MAX_COMPOUND_COOP_GAP or any(after.startswith(w)
                                               for w in words()["partner_name_head"]):
            continue
        for x, y in itertools.combinations(places, 2):
            sent.emit(x, "cooperatesWith", y, "compound-partners", 0.7)


def _partners(sent: _Sentence, i: int, predicate: str,
              rule: str | None = None) -> None:
    """The list `sent.groups[i]` is followed by a word stating `predicate` between partners:
    its first member with the others (A与B), the subject before 与 with all of them, or (for a
    symmetric predicate) each pair."""
    g = sent.groups[i]
    rule = rule or ("cooperation" if predicate == "cooperatesWith" else "partner-link")
    gaps = [sent.gap(a.end, b.start) for a, b in itertools.pairwise(g.members)]
    markers = [k for k, gap in enumerate(gaps) if gap in words()["partner_marker"]]
    if len(markers) > 1:
        # 赣州与深圳、吉安与东莞对口合作: the two names around each 与
        for k in markers:
            sent.emit(g.members[k], predicate, g.members[k + 1], rule, 0.8)
        return
    if markers == [0]:
        # A与B、C合作: A with each of the others
        for other in g.members[1:]:
            sent.emit(g.members[0], predicate, other, rule, 0.8)
        return
    lead = sent.gap(max(sent.start, g.start - _PARTNER_LEAD), g.start)
    if any(lead.endswith(w) for w in words()["partner_marker"]):
        subject = _partner_subject(sent, i)
        for other in g.members:
            if subject is not None:
                sent.emit(subject, predicate, other, rule, 0.7, (g.start - 1,))
        return
    # 延安、榆林协同发展; a run written without separators (港澳台合作平台, 沪苏浙…结对合作帮扶)
    # may name partners of a third, so it states nothing
    if predicate in SYMMETRIC and all(gaps) and not _bilateral_parks(sent, g):
        for x, y in itertools.combinations(g.members, 2):
            sent.emit(x, predicate, y, rule, 0.7)


def _bilateral_parks(sent: _Sentence, g: _Group) -> bool:
    """中德、中日产业园…双向合作, 中法生态城、中德产业园: parks named after China and a partner
    country (the country's initial first) each cooperate with their own partner, not with each
    other."""
    return g.family == "Platform" and any(
        _squash(m.text)[:1] in words()["country_initial"] for m in g.members)


def _word_follows(sent: _Sentence, g: _Group, role: str) -> bool:
    """Does a word of `role` follow the list within its clause, after at most a short verb and
    a category word (等地区对接合作: 5; “金三角”大空间协同发展: 7)?"""
    return 0 <= _word_at(sent, g, role) <= _MAX_COOP_GAP


def _word_at(sent: _Sentence, g: _Group, role: str) -> int:
    """Where the first word of `role` stands after the list in its clause (characters after
    it, read over at most _COOP_REACH), else -1."""
    end = g.end
    while end < sent.end and sent.text[end] not in _CLAUSE_END and end - g.end < _COOP_REACH:
        end += 1
    tail = sent.gap(g.end, end)
    for blocked in words()["not_partner_word"]:  # 中法生态城、中德产业园等合作平台
        tail = tail.replace(blocked, "#" * len(blocked))
    return min((tail.find(w) for w in words()[role] if w in tail), default=-1)


def _partner_subject(sent: _Sentence, i: int) -> Mention | None:
    """The subject of "(SUBJECT)与 LIST 合作": the one entity just before 与 in the clause, else
    the document's own place (深化与京津冀…对接合作 in a province's report)."""
    g = sent.groups[i]
    prev = sent.groups[i - 1] if i > 0 else None
    if (prev is not None and prev.clause == g.clause and len(prev.members) == 1
            and prev.family in _COOPERATING
            and sent.gap(prev.end, g.start) in words()["partner_marker"]):
        # right before 与: in 河套深圳园区与香港园区, 中原农谷与… the place opens a name the
        # recogniser did not read, whose entity is the partner
        return prev.members[0]
    earlier = [x for x in sent.groups[:i] if x.clause == g.clause and x.family in PLACE_FAMILIES]
    # 深化与…: a verb before 与 leaves the subject unwritten; "促进珲春与…" names one the
    # recogniser may have missed
    lead = sent.gap(max(sent.start, g.start - _PARTNER_VERB_LEAD), g.start)
    verb_before = any(lead[:-1].endswith(v) for v in words()["partner_verb"])
    # "…落地，与湖北、安徽签署…": 与 opens the clause of a sentence that names no partner
    # before it, so the subject is the one the whole report leaves unwritten
    opens_clause = not lead[:-1] or lead[-2] in _CLAUSE_END
    none_before = not any(x.family in _SIGNING for x in sent.groups[:i])
    if not earlier and (verb_before or (opens_clause and none_before)):
        return sent.home
    return None


def _joins(sent: _Sentence) -> None:
    """主动融入长江经济带, 对接京津冀, 怀化国际陆港融入西部陆海新通道: the place or platform just
    before the verb, else the document's own place, connects the regions, belts, corridors and
    strategies after it; "做好与京津冀等国家重大战略对接" the same with the verb after the list."""
    for i, g in enumerate(sent.groups):
        if (g.family not in _JOINED and not _split_parties(g)) or _not_joined(sent, g):
            continue
        if _joined_by_verb(sent, g):
            subjects = _join_subjects(sent, i)
        elif _joined_after(sent, g):
            subject = _partner_subject(sent, i)
            subjects = [subject] if subject is not None else []
        else:
            continue
        for s in subjects:
            for o in _chained(sent, i, _JOINED):
                if _names_parties(o):
                    # 对接京津, 与港澳规则衔接、机制对接: the provinces are partners (gold R3)
                    for p in _member_places(o):
                        sent.emit(s, "cooperatesWith", p, "joins", 0.7, (g.start - 1,))
                else:
                    sent.emit(s, "connects", o, "joins", 0.7, (g.start - 1,))


def _split_parties(g: _Group) -> bool:
    """Is the list a compound read as its provinces (对接京津 → 京, 津: gold R3)?"""
    return all(m.rule == SPLIT_RULE for m in g.members)


def _names_parties(m: Mention) -> bool:
    """Is `m` a compound of abbreviations that names several parties (京津, 港澳: gold R3), or
    one province of such a compound read one character each (京 of 对接京津:
    extract/resolve.py, `split_party_compounds`), not the area of an established region
    (京津冀, 粤港澳: `abbreviated_area`, gold R5)?"""
    return (bool(m.members) and m.rule not in (AREA_RULE, GROUP_RULE)) or m.rule == SPLIT_RULE



def _join_subjects(sent: _Sentence, i: int) -> list[Mention]:
    """Who joins `sent.groups[i]`: the list of places or platforms just before the verb, else
    (no place or platform earlier in the clause) the document's own place."""
    g = sent.groups[i]
    earlier = [x for x in sent.groups[:i] if x.clause == g.clause]
    prev = earlier[-1] if earlier else None
    if prev is not None and prev.family in _JOINING and len(
            sent.gap(prev.end, g.start)) <= _JOIN_LEAD:
        return list(prev.members)
    if not any(x.family in _JOINING for x in earlier) and sent.home is not None:
        return [sent.home]
    return []


def _joined_after(sent: _Sentence, g: _Group) -> bool:
    """与 LIST [等…] 对接 (做好与京津冀等国家重大战略对接): the list follows the partner marker and
    a join word follows it closely; a cooperation word there makes it a cooperation instead
    (深化与京津冀…对接合作)."""
    lead = sent.gap(max(sent.start, g.start - _PARTNER_LEAD), g.start)
    if not any(lead.endswith(w) for w in words()["partner_marker"]):
        return False
    return _word_follows(sent, g, "join_after") and not _word_follows(sent, g, "cooperate_word")


def _chained(sent: _Sentence, i: int, families: frozenset[str]) -> list[Mention]:
    """The members of `sent.groups[i]` and of the lists of `families` chained to it by 和, 及 …
    in its clause (融入长三角和中部地区: a cluster and a region are two lists of one object)."""
    out = list(sent.groups[i].members)
    for prev, g in itertools.pairwise(sent.groups[i:]):
        if (g.clause != prev.clause or g.family not in families
                or sent.gap(prev.end, g.start) not in _CHAIN):
            break
        out.extend(g.members)
    return out


def _joined_by_verb(sent: _Sentence, g: _Group) -> bool:
    """Does a join verb stand just before the list, with at most a filler between (深度融入高质量
    共建“一带一路”)? Quotes do not count."""
    lead = sent.gap(max(sent.start, g.start - _JOIN_LEAD), g.start).strip(_QUOTES)
    for verb in words()["join_verb"]:
        at = lead.rfind(verb)
        if at != -1 and lead[at + len(verb):] in ("", *words()["join_filler"]):
            return True
    return False


def _not_joined(sent: _Sentence, g: _Group) -> bool:
    """融入新发展格局 (or its other name 双循环), 融入全国统一大市场: a strategy that is no place
    is not joined."""
    if g.family != "Strategy":
        return False
    names = [_squash(m.text) for m in g.members]
    names += [e.label_zh for m in g.members if (e := sent.gaz.entries.get(m.ref or ""))]
    return any(n.endswith(w) for n in names for w in words()["not_joined_tail"])


def _qualified_places(sent: _Sentence) -> None:
    """安徽合肥: a place written right before a smaller place of its own (as the reference data
    has it) states that the smaller one is part of it; "四川重庆" states nothing."""
    ms = sorted(sent.fams, key=lambda m: m.start)
    for outer, inner in itertools.pairwise(ms):
        if sent.gap(outer.end, inner.start) or inner.ref not in sent.gaz.entries:
            continue
        rest = sent.gap(inner.end, min(sent.end, inner.end + _SECTION_REACH))
        if _names_a_landform(rest, inner.ref, sent.gaz):
            continue  # 厦门同安湾: a bay of the city, not its county 同安区
        if ("partOf", outer.ref) in sent.gaz.entries[inner.ref].facts:
            sent.emit(inner, "partOf", outer, "qualified-place", 0.9)


def _strategy_regions(sent: _Sentence) -> None:
    """长三角一体化发展, 中部地区崛起: a strategy is about the region its own name starts with."""
    for m, fam in sent.fams.items():
        if fam != "Strategy":
            continue
        entry = sent.gaz.entries.get(m.ref or "")
        for name in (_squash(m.text), *((entry.label_zh,) if entry else ())):
            ref = _place_at(name, 0, sent.gaz, weak_names(), _ABOUT)
            if ref is not None:
                place = Mention(m.doc, m.start, m.end, m.text, "", ref, "")
                sent.emit(m, "about", place, "strategy-region", 0.9)
                break


def _services(sent: _Sentence) -> None:
    """西部陆海新通道海铁联运班列, 西部陆海新通道的班列: a service (a freight-train service …) is
    about the corridor its own name starts with, or that stands right before it."""
    ms = sorted(sent.fams, key=lambda m: m.start)
    for i, m in enumerate(ms):
        if not _is_service(m, sent.gaz):
            continue
        entry = sent.gaz.entries.get(m.ref or "")
        for name in (_squash(m.text), *((entry.label_zh,) if entry else ())):
            ref = _corridor_at_start(name, m.ref, sent.gaz)
            if ref is not None:
                corridor = Mention(m.doc, m.start, m.end, m.text, "", ref, "")
                sent.emit(m, "about", corridor, "service-corridor", 0.9)
                break
        prev = ms[i - 1] if i else None
        if (prev is not None and sent.fams[prev] == "Corridor" and not _is_service(prev, sent.gaz)
                and sent.gap(prev.end, m.start) in ("", "的")):
            sent.emit(m, "about", prev, "service-corridor", 0.8)


def _is_service(m: Mention, gaz: Gazetteer) -> bool:
    lineage = gaz.lineage(m.type) if m.type in gaz.class_parent else [m.type]
    return any(c in words()["service_class"] for c in lineage)


def _corridor_at_start(name: str, own: str | None, gaz: Gazetteer) -> str | None:
    """The one corridor (not a service) whose name starts `name` and is shorter than it."""
    for n in range(len(name) - 1, _MIN_CORRIDOR_NAME - 1, -1):
        refs = {r for r in gaz.surfaces.get(name[:n], ()) if r != own
                and family(gaz.entries[r].cls, gaz) == "Corridor"
                and not any(c in words()["service_class"]
                            for c in gaz.lineage(gaz.entries[r].cls))}
        if len(refs) == 1:
            return refs.pop()
    return None


def _bracketed_ends(sent: _Sentence) -> None:
    """中泰铁路一期(曼谷—呵呖): the places in brackets just after a corridor are what it joins."""
    for i, g in enumerate(sent.groups):
        if g.family != "Corridor" or i + 1 >= len(sent.groups):
            continue
        nxt = sent.groups[i + 1]
        lead = sent.gap(g.end, nxt.start)
        if (nxt.family not in PLACE_FAMILIES or not lead or lead[-1] not in "(（"
                or len(lead) > _MAX_BRACKET_LEAD or "、" in lead):
            continue
        ends = [nxt]
        k = i + 1
        while (k + 1 < len(sent.groups) and sent.groups[k + 1].family in PLACE_FAMILIES
               and sent.gap(sent.groups[k].end, sent.groups[k + 1].start) in _DASHES):
            k += 1
            ends.append(sent.groups[k])
        if sent.gap(ends[-1].end, ends[-1].end + 1) not in (")", "）"):
            continue
        for c in g.members:
            for e in ends:
                for p in e.members:
                    sent.emit(c, "connects", p, "bracketed-ends", 0.8)


def _corridor_parts(sent: _Sentence) -> None:
    """增强西部陆海新通道发展能级，加快渝昆、贵南、隆黄铁路、北部湾国际门户港及平陆运河建设: the
    lines and ports a clause enumerates between a build verb and its tail (加快 … 建设), right
    after the clause of a whole corridor (a land–sea or economic corridor, an axis), are its
    components. One facility is no enumeration (实施格尔木陆港扩能工程 after a corridor)."""
    wholes = sorted((m for m, fam in sent.fams.items()
                     if fam == "Corridor" and _is_class(m, sent.gaz, "whole_corridor_class")),
                    key=lambda m: m.start)
    for clause in sorted({sent.clause_of[m] for m in wholes}):
        whole = [m for m in wholes if sent.clause_of[m] == clause][-1]
        parts = sorted((m for m in sent.fams if sent.clause_of[m] == clause + 1),
                       key=lambda m: m.start)
        if _enumerated_parts(sent, parts):
            for part in parts:
                sent.emit(part, "componentOf", whole, "corridor-parts", 0.8)


def _enumerated_parts(sent: _Sentence, parts: Sequence[Mention]) -> bool:
    """Are `parts` (a clause's mentions) an enumeration of two or more lines or ports, the
    clause's only names, opened by a build verb and closed by a build tail?"""
    if len(parts) < 2 or not all(_is_class(m, sent.gaz, "part_class") for m in parts):
        return False
    if not all(_is_joiner(sent.gap(a.end, b.start)) for a, b in itertools.pairwise(parts)):
        return False
    lo, hi = _clause_span(sent, sent.clause_of[parts[0]])
    return (_starts_with(sent.gap(lo, parts[0].start), "build_verb") is not None
            and sent.gap(parts[-1].end, hi) in words()["build_tail"])


def _clause_span(sent: _Sentence, clause: int) -> tuple[int, int]:
    """The offsets of the clause's text, without the mark that ends it."""
    ms = [m for m, c in sent.clause_of.items() if c == clause]
    lo, hi = min(m.start for m in ms), max(m.end for m in ms)
    while lo > sent.start and sent.text[lo - 1] not in _CLAUSE_END:
        lo -= 1
    while hi < sent.end and sent.text[hi] not in _CLAUSE_END:
        hi += 1
    return lo, hi


def _is_class(m: Mention, gaz: Gazetteer, role: str) -> bool:
    """Is the mention's class, or one of its ancestors, a class of `role`?"""
    lineage = gaz.lineage(m.type) if m.type in gaz.class_parent else [m.type]
    return any(c in words()[role] for c in lineage)


def _hubs(sent: _Sentence) -> None:
    """以成渝地区双城经济圈为西枢纽，向北沿中欧班列…，向南沿中老铁路经济带和西部陆海新通道…: the
    place a 以 … 为 … 枢纽 frame makes a hub (门户, 节点 …) is connected by every corridor or
    belt the rest of the sentence runs along (沿 LIST)."""
    for i, g in enumerate(sent.groups):
        if g.family not in PLACE_FAMILIES or not _hub_frame(sent, g):
            continue
        for line in _along(sent, i + 1):
            for hub in g.members:
                sent.emit(line, "connects", hub, "hub", 0.7)


def _hub_frame(sent: _Sentence, g: _Group) -> bool:
    """Is the list the X of "以 X 为 … 枢纽", with at most _MAX_HUB_QUALIFIER characters (西,
    重要, 国际性) between 为 and the hub word?"""
    lead = sent.gap(max(sent.start, g.start - _FRAME_LEAD), g.start)
    if not lead.endswith("以"):
        return False
    _, hi = _clause_span(sent, g.clause)
    tail = sent.gap(g.end, hi)
    if not tail.startswith("为"):
        return False
    return any(0 <= tail.find(w) <= _MAX_HUB_QUALIFIER + 1 for w in words()["hub_word"])


def _along(sent: _Sentence, first: int) -> list[Mention]:
    """The corridors and belts of `sent.groups[first:]` that stand right after 沿 (along), with
    the lists chained to them (沿中老铁路经济带和西部陆海新通道)."""
    out: list[Mention] = []
    chained = False
    for k in range(first, len(sent.groups)):
        g = sent.groups[k]
        prev = sent.groups[k - 1]
        lead = sent.gap(max(sent.start, g.start - _ALONG_LEAD), g.start)
        after_marker = _ends_with(lead, "along_marker") is not None
        chained = after_marker or (chained and prev.clause == g.clause
                                   and sent.gap(prev.end, g.start) in _CHAIN)
        if chained and g.family in _ALONG_FAMILIES:
            out.extend(g.members)
        elif chained:
            chained = False
    return out


RULES = (_names_inside, _names_abbreviated, _corridors, _projects, _platforms, _members,
         _member_roles, _relies,
         _comparisons, _shared_predicates, _cooperations, _joins, _qualified_places,
         _strategy_regions, _services, _bracketed_ends, _corridor_parts, _hubs,
         _compound_partners)


def home_place(text: str, title: str | None, mentions: Sequence[Mention],
               gaz: Gazetteer) -> Mention | None:
    """The place a document speaks for (湖北 in 2025年湖北省政府工作报告): the one province or
    city its title names. A report's clauses leave it unwritten (主动融入长江经济带)."""
    if not title:
        return None
    at = text.find(title)
    if at == -1:
        return None
    named = {m.ref: m for m in mentions if m.ref and at <= m.start and m.end <= at + len(title)
             and family(m.type, gaz) in _HOME_FAMILIES}
    if named:
        return next(iter(named.values())) if len(named) == 1 else None
    return _named_in_title(title, at, gaz)


def _named_in_title(title: str, at: int, gaz: Gazetteer) -> Mention | None:
    """The one province or city whose name the title holds, where no mention was found there
    (the recogniser may leave a title line out)."""
    found: dict[str, Mention] = {}
    for i in range(len(title)):
        for n in range(min(_MAX_PLACE_IN_NAME, len(title) - i), 1, -1):
            refs = [r for r in gaz.surfaces.get(title[i:i + n], ())
                    if family(gaz.entries[r].cls, gaz) in _HOME_FAMILIES]
            if len(refs) == 1:
                found.setdefault(refs[0], Mention("", at + i, at + i + n, title[i:i + n],
                                                  gaz.entries[refs[0]].cls, refs[0], "title"))
                break
    return next(iter(found.values())) if len(found) == 1 else None


def relation_key(m: Mention, gaz: Gazetteer) -> str | None:
    """The key a relation names a mention's entity by: its reference entry, else (a name
    recognised by its shape, of a class the ontology knows: 宜昌三峡机场, 珲春至防川高速公路) the
    key of the open-world entity its name mints, the same the build mints its IRI from."""
    if m.ref:
        return m.ref
    kind = gaz.class_kind.get(m.type)
    return open_world_key(kind, m.type, entity_name(m)) if kind else None


def keyed_mention(m: Mention, gaz: Gazetteer) -> Mention:
    """`m` with its relation key as its ref (an open-world name's minted key)."""
    key = relation_key(m, gaz)
    return m if key == m.ref else replace(m, ref=key)


def find_relations(text: str, mentions: Sequence[Mention], sentences: Sequence[tuple[int, int]],
                   gaz: Gazetteer, home: Mention | None = None) -> list[Relation]:
    """Relations stated by each sentence; one per (subject, predicate, object, sentence), the
    most confident rule's, in text order. `home` is the place the document speaks for
    (`home_place`), the subject of clauses that leave it unwritten."""
    keyed = (keyed_mention(m, gaz) for m in mentions)
    linked = sorted((m for m in keyed if m.ref), key=lambda m: (m.start, m.end))
    linked = _without_qualifiers(text, linked, gaz)
    doc_places = _named_places(linked, home, gaz)
    out: list[Relation] = []
    i = 0
    for span in sentences:
        while i < len(linked) and linked[i].start < span[0]:
            i += 1
        j = i
        while j < len(linked) and linked[j].end <= span[1]:
            j += 1
        ms = linked[i:j]
        if not ms:
            continue
        sent = _Sentence(text, span, ms, gaz, home, doc_places)
        for rule in RULES:
            rule(sent)
        best: dict[tuple[str, str, str], Relation] = {}
        for r in sent.out:
            key = (r.subject, r.predicate, r.object)
            if key not in best or r.confidence > best[key].confidence:
                best[key] = r
        out.extend(sorted(best.values(), key=lambda r: (r.start, r.end, r.predicate)))
    return out
