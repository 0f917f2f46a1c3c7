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

Words are data (`patterns/relation_words.tsv`); no rule knows a name. Offsets are ORIGINAL
text offsets, like the mentions'.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .gazetteer import PATTERNS, Gazetteer, read_tsv, weak_names
from .records import Mention

RULE_VERSION = "v1"
SYMMETRIC = frozenset({"comparedWith", "listedWith"})
_CLAUSE_END = frozenset("，,；;。：:！!？?")
_CHAIN = frozenset({"、", "和", "及", "以及"})  # 与 in "依托中欧班列与欧洲" means "with", not "and"
# characters (without whitespace) a place may stand before the corridor it is linked to: a verb
# and a little more (西部地区依托中欧班列: 2); a place further ahead is the subject of another verb
_MAX_FORWARD = 6
_NAME_OPENERS = frozenset("(（至—–-到一")  # 一: the OCR dash (中国一中亚一西亚经济走廊)
# a platform is in a province or city of its name; a corridor may name countries it links
_INSIDE = {"Platform": frozenset({"Province", "City"}),
           "Corridor": frozenset({"Province", "City", "Country", "WorldRegion"})}
# characters between two compared places: the verb and a short indicator before it
# (西部地区人均收入仍低于东部地区: 7)
_MAX_COMPARE_GAP = 10
_MAX_GAP = 12  # characters (without whitespace) a rule may look across inside a clause
# A corridor list is the subject of a project when a project word (的建设, 开通 …) follows within
# _PROJECT_REACH characters (等项目的建设: 6), read from at most 2 more characters of the text:
# room for the spaces and line breaks a PDF leaves inside a sentence.
_PROJECT_REACH = 10
_PROJECT_TEXT = _PROJECT_REACH + 2
# Characters between a list and the region it belongs to: 等 (LIST 等西部地区省份), 有5个(
# (西部地区有5个(贵州…)), and a few more.
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
# The longest surface tried for a place named inside a platform's or corridor's own name: the
# short forms names are built from (南宁国际铁路港, 中国—中亚…) are 2–4 characters; 6 reaches
# 内蒙古自治区.
_MAX_PLACE_IN_NAME = 6


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
# equal; Place holds the places of no other family (法兰西岛大区).
FAMILIES = ("MacroRegion", "Province", "City", "ProvincialSubRegion", "CityCluster",
            "EconomicBelt", "Country", "WorldRegion", "Place", "Corridor", "Platform",
            "Organization", "Agreement", "Industry", "Strategy")
PLACE_FAMILIES = frozenset({"MacroRegion", "Province", "City", "ProvincialSubRegion",
                            "CityCluster", "EconomicBelt", "Country", "WorldRegion"})
# what a province or city can be part of in the text's own words
_REGION_FAMILIES = frozenset({"MacroRegion"})
_MEMBER_FAMILIES = frozenset({"Province", "City", "ProvincialSubRegion", "CityCluster"})


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
                 gaz: Gazetteer) -> None:
        self.text = text
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
        if p in SYMMETRIC and s.start > o.start:
            s, o = o, s
        points = [s.start, s.end, o.start, o.end, *extra]
        self.out.append(Relation(s.ref, p, o.ref, min(points), max(points), self.start,
                                 self.end, f"relation/{rule}/{RULE_VERSION}", confidence))


def _starts_with(s: str, role: str) -> str | None:
    return next((w for w in words()[role] if s.startswith(w)), None)


def _ends_with(s: str, role: str) -> str | None:
    return next((w for w in words()[role] if s.endswith(w)), None)


def _corridors(sent: _Sentence) -> None:
    for clause in {g.clause for g in sent.groups}:
        groups = [g for g in sent.groups if g.clause == clause]
        corridors = [g for g in groups if g.family == "Corridor"]
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
            strong = any(w in between for w in words()["connect_verb"])
            for c in corridor.members:
                for p in g.members:
                    sent.emit(c, "connects", p, "corridor-nearest", 0.8 if strong else 0.6)


def _projects(sent: _Sentence) -> None:
    for i, g in enumerate(sent.groups):
        if g.family != "Corridor":
            continue
        after = sent.text[g.end:min(sent.end, g.end + _PROJECT_TEXT)]
        if not any(w in _squash(after)[:_PROJECT_REACH] for w in words()["project_word"]):
            continue
        for later in sent.groups[i + 1:]:
            if later.family in PLACE_FAMILIES and later.clause > g.clause:
                for c in g.members:
                    for p in later.members:
                        sent.emit(c, "connects", p, "corridor-project", 0.5)


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
        if (a.family in _MEMBER_FAMILIES and b.family in _REGION_FAMILIES
                and len(b.members) == 1 and any(between.startswith(w) for w in
                                                words()["member_before"])
                and len(between) <= _MAX_MEMBER_GAP):
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


def _relies(sent: _Sentence) -> None:
    for i, g in enumerate(sent.groups):
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
    ms = [m for m, c in sent.clause_of.items() if c == clause]
    lo = min(m.start for m in ms)
    hi = max(m.end for m in ms)
    # widen to the clause's ends
    while lo > sent.start and sent.text[lo - 1] not in _CLAUSE_END:
        lo -= 1
    while hi < sent.end and sent.text[hi] not in _CLAUSE_END:
        hi += 1
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
    """南宁国际铁路港, 中柬(北海)产业园, 贺州至连山高速: a province or city named at the start of a
    platform's or corridor's own name, or after (, 至, —, is where it is or what it links."""
    gaz = sent.gaz
    weak = weak_names()
    for m, fam in sent.fams.items():
        if fam not in ("Platform", "Corridor"):
            continue
        name = _squash(m.text)
        starts = [0] + [i + 1 for i, ch in enumerate(name) if ch in _NAME_OPENERS]
        for at in starts:
            ref = _place_at(name, at, gaz, weak, _INSIDE[fam])
            if ref is not None and ref != m.ref:
                place = Mention(m.doc, m.start, m.end, m.text, "", ref, "")
                sent.emit(m, "locatedIn" if fam == "Platform" else "connects", place,
                          "name-place", 0.9)


def _place_at(name: str, at: int, gaz: Gazetteer, weak: frozenset[str],
              families: frozenset[str]) -> str | None:
    for n in range(min(_MAX_PLACE_IN_NAME, len(name) - at - 1), 1, -1):  # never the whole name
        surface = name[at:at + n]
        refs = [r for r in gaz.surfaces.get(surface, ())
                if family(gaz.entries[r].cls, gaz) in families]
        if len(refs) == 1 and surface not in weak:
            return refs[0]
    return None


RULES = (_names_inside, _corridors, _projects, _platforms, _members, _relies, _comparisons,
         _shared_predicates)


def find_relations(text: str, mentions: Sequence[Mention], sentences: Sequence[tuple[int, int]],
                   gaz: Gazetteer) -> list[Relation]:
    """Relations stated by each sentence; one per (subject, predicate, object, sentence), the
    most confident rule's, in text order."""
    linked = sorted((m for m in mentions if m.ref), key=lambda m: (m.start, m.end))
    linked = _without_qualifiers(text, linked, gaz)
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
        sent = _Sentence(text, span, ms, gaz)
        for rule in RULES:
            rule(sent)
        best: dict[tuple[str, str, str], Relation] = {}
        for r in sent.out:
            key = (r.subject, r.predicate, r.object)
            if key not in best or r.confidence > best[key].confidence:
                best[key] = r
        out.extend(sorted(best.values(), key=lambda r: (r.start, r.end, r.predicate)))
    return out
