"""What the name rules ask jieba's dictionary: is a word ordinary or a name, and where does a
free name (one no table lists: 汉江国家实验室) begin. Read in the components' initialize()."""

from __future__ import annotations

import re
from collections import ChainMap
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import jieba
import jieba.posseg

from .. import gazetteer, jieba_start, resolve, shapes

# jieba's tags of proper names and codes: a free name needs a place name (汉江/ns 国家 实验室)
# or a code (G331); its tags of persons' names and other proper nouns (nr, nz, j) fall on
# ordinary words too often (智慧/nr, 深化/j, 俄文/nz).
PROPER_TAGS = frozenset({"ns", "eng"})
# tags of words that may stand inside a name (nouns and proper nouns, verbal nouns,
# distinguishing words, idioms, numbers): 城乡融合发展试验区, 海洋经济发展示范区.
NAME_PART_TAGS = PROPER_TAGS | frozenset({"n", "nr", "nrt", "nrfg", "nz", "j", "nt", "vn", "b",
                                          "l", "m", "an", "ng"})
# tags of the words that open an item of a counted list (extract/shapes.py): any proper noun
ITEM_OPENER_TAGS = PROPER_TAGS | frozenset({"nr", "nrt", "nrfg", "nz", "j"})
# tags of the words that may make a port of entry's name (nouns and proper nouns): 黑瞎子/nr 岛/n
PORT_NAME_TAGS = frozenset({"n", "nr", "ns", "nz", "nrt", "nrfg", "ng", "j", "eng"})
# A word jieba's dictionary counts this often is a word, whatever its tag says (智慧/nr 1,581,
# 普通/nz 6,768), not two abbreviations (京广 267, 包银 273) nor a rare name.
FREQUENT_WORD = 1000
# A port's name opens with a word jieba's dictionary counts fewer times than this: a frequent
# noun before 口岸 is generic (人员 19,810, 货物 1,482), a rare one a name (皇岗 270, 樟木 47).
PORT_NAME_MAX_FREQ = 1000
# a count in words (两个, 三家): jieba tags it a numeral (m), which may stand inside a name (一号)
COUNT = re.compile(r"[一二两三四五六七八九十百千]+[个家座所条项批]")
# A national centre is named 国家 + what it is about (国家脑机接口技术创新中心): at least this many
# characters between 国家 and its head word.
NATIONAL = "国家"
NATIONAL_NAME_MIN = 2
# How far before a place a dictionary word holding it may begin (长白山: one character; the
# longest mountain and lake names add three, 喜马拉雅山)
WORD_REACH = 4
# Directions jieba tags as localisers (f) that stand inside a name right after its place: 宜昌东部
# 产业新区 is the new area of eastern Yichang (annotator a: a named development area).
PLACE_PART_DIRECTIONS = frozenset({"东部", "西部", "南部", "北部", "中部"})
# jieba's tag classes of function words (punctuation, prepositions, conjunctions, particles,
# pronouns, adverbs), which no centre's name holds
NATIONAL_NAME_BREAK = frozenset("xpcurd")
# China's abbreviation before a country's in a bilateral name (中俄, 中德)
BILATERAL = "中"
# words jieba tags as places that open no name: 中国特色, 美丽中国, 全省 are phrases
NOT_PROPER = frozenset({"中国", "全国", "国家", "全省", "我省", "我国"})


@dataclass(frozen=True)
class Words:
    """jieba's part-of-speech tags, and the common nouns it tags as places (not_place_words.tsv:
    高原, 城市)."""

    tags: Mapping[str, str]
    common: frozenset[str]
    freq: Mapping[str, int]

    def ordinary_word(self, word: str) -> bool:
        """A word of the dictionary that is not a name (发展, 推进), a common noun tagged as a
        place, or a frequent word tagged as another kind of name (智慧/nr, 普通/nz)."""
        tag = self.tags.get(word)
        return ((tag is not None and tag not in resolve.NAME_TAGS) or word in self.common
                or (tag != "ns" and self.freq.get(word, 0) >= FREQUENT_WORD))

    def exact_cut(self, text: str) -> list[str]:
        """The words of `text` by the dictionary alone, unknown words not guessed (HMM off)."""
        return list(jieba.dt.cut(text, HMM=False))

    def word_start(self, text: str, start: int, at: int) -> int:
        """Where the dictionary word that holds `start` and ends at `at` begins, if it begins
        before `start` (长白山 holds the city 白山, 贺兰山 the district 兰山: the place read inside
        a longer word is no anchor of the name, the word is); else `start`."""
        lo = max(0, start - WORD_REACH)
        for i in range(start - 1, lo - 1, -1):
            if text[i] in shapes.NAME_STOPS:
                lo = i + 1
                break
        pos = lo
        for word in self.exact_cut(text[lo:at]):
            if pos < start < pos + len(word) and pos + len(word) == at:
                return pos
            pos += len(word)
        return start

    def pos_cut(self, text: str) -> list[tuple[str, str]]:
        """The words of `text` with jieba's part-of-speech tags."""
        return [(t.word, t.flag) for t in jieba.posseg.dt.cut(text)]

    def proper(self, word: str, tag: str) -> bool:
        return tag in PROPER_TAGS and word not in NOT_PROPER and word not in self.common

    def ordinary_county_names(self, gaz: gazetteer.Gazetteer) -> frozenset[str]:
        """The short names of counties that are ordinary words (富裕, 合作), or common nouns
        jieba tags as places (新建: not_place_words.tsv)."""
        return resolve.ordinary_short_names(
            gaz, ChainMap(dict.fromkeys(self.common, "n"), self.tags))

    def free_name_start(self, text: str, at: int, lo: int,
                        known: frozenset[str] = frozenset()) -> int | None:
        """Where the proper name that ends at `at` begins: the words before it, read back while
        they may stand in a name (jieba's part-of-speech tags, within the clause), holding at
        least one proper name or a `known` name. None when there is none."""
        window_start = lo
        for i in range(at - 1, lo - 1, -1):
            if text[i] in shapes.NAME_STOPS:
                window_start = i + 1
                break
        window = text[window_start:at]
        if len(window) < 2:
            return None
        start = at
        parts: list[tuple[str, str]] = []
        for word, tag in reversed(list(jieba.posseg.dt.cut(window))):
            # a count (2个国际机场, 两个实验室) ends the name before it, it is no part of the name
            if ((tag not in NAME_PART_TAGS and not _glued_adjective(word, tag, parts)
                 and word not in PLACE_PART_DIRECTIONS)
                    or any(ch.isdigit() for ch in word) or COUNT.fullmatch(word)):
                break
            parts.insert(0, (word, tag))
            start -= len(word)
        # The name begins at its first proper word: 高质量建设格尔木盐湖绿色产业园 is 格尔木….
        # One character tagged a place is an abbreviation, which opens no name (在京国家实验室,
        # 和美乡村: 美), except a country's after 中, which opens a bilateral one with it
        # (中俄国际合作先行区).
        while parts and not ((self.proper(*parts[0]) and (
                len(parts[0][0]) > 1 or text[start - 1:start] == BILATERAL))
                             or parts[0][0] in known):
            start += len(parts.pop(0)[0])
        if parts and len(parts[0][0]) == 1 and parts[0][0] not in known:
            start -= len(BILATERAL)
        # a code's letters after its digits (6G实验室) are no name of their own
        if start > 0 and text[start - 1].isascii() and text[start - 1].isalnum():
            return None
        return start if parts and start < at else None


    def list_item_start(self, text: str, at: int, lo: int,
                        known: frozenset[str] = frozenset()) -> int | None:
        """Where the item of a counted list ending at `at` begins (长白山、三江、吉光3个省实验室):
        the words before it that may stand in a name, read back from `at` to `lo`, beginning at
        a proper noun that is no ordinary word. A list and its count say the items are names, so
        persons' names and other proper nouns (吉光/nr, 神农/nz, 贺兰山/nr) open one here, not only
        places. None when there is none."""
        parts: list[tuple[str, str]] = []
        for word, tag in reversed(list(jieba.posseg.dt.cut(text[lo:at]))):
            # a known place is a name whatever jieba tags it (遵义/v)
            if word not in known and (tag not in NAME_PART_TAGS or any(
                    ch in shapes.NAME_STOPS or ch.isdigit() for ch in word)):
                break
            parts.insert(0, (word, tag))
        while parts and not self._opens_item(*parts[0], known):
            parts.pop(0)
        length = sum(len(word) for word, _ in parts)
        return at - length if length >= 2 else None

    def _opens_item(self, word: str, tag: str, known: frozenset[str]) -> bool:
        if word in known:
            return True
        return (tag in ITEM_OPENER_TAGS and word not in NOT_PROPER
                and not self.ordinary_word(word))

    def national_name_start(self, text: str, at: int, lo: int) -> int | None:
        """Where a national centre's name that ends at `at` begins: 国家 and at least
        `NATIONAL_NAME_MIN` characters of nouns after it (国家脑机接口技术创新中心, 国家现代中药
        创新中心); a bare 国家技术创新中心 is the kind, not a centre."""
        parts: list[str] = []
        for word, tag in reversed(list(jieba.posseg.dt.cut(text[lo:at]))):
            if word == NATIONAL:
                inside = sum(map(len, parts))
                return at - inside - len(word) if inside >= NATIONAL_NAME_MIN else None
            # what a centre is about may be any content word (合成/v 生物, 现代/t 中药, 脑机
            # 接口/v); function words end it
            if tag[0] in NATIONAL_NAME_BREAK or any(ch in shapes.NAME_STOPS for ch in word):
                return None
            parts.append(word)
        return None

    def port_name_start(self, text: str, at: int, lo: int,
                        kinds: frozenset[str] = frozenset()) -> int | None:
        """Where the name of the port of entry whose 口岸 begins at `at` begins: words that say
        the port's kind (`kinds`: 公路, 边境, 智慧) right before 口岸, and before them nouns and
        proper nouns (jieba's tags) that are not such words: 黑瞎子岛公路口岸, 吉隆口岸. None when
        no noun names it (智慧口岸, 扩能改造边境口岸)."""
        window = text[lo:at]
        for i in range(len(window) - 1, -1, -1):
            if window[i] in shapes.NAME_STOPS:
                window = window[i + 1:]
                break
        tokens = list(jieba.posseg.dt.cut(window))
        while tokens and tokens[-1].word in kinds:
            tokens.pop()
        parts: list[str] = []
        for word, tag in reversed([(t.word, t.flag) for t in tokens]):
            if tag not in PORT_NAME_TAGS or word in kinds or word in self.common:
                break
            parts.insert(0, word)
        while parts and self.freq.get(parts[0], 0) >= PORT_NAME_MAX_FREQ:
            parts.pop(0)
        name = sum(map(len, parts))
        if name < 2:
            return None
        return at - len(window) + sum(len(t.word) for t in tokens) - name


def _glued_adjective(word: str, tag: str, after: list[tuple[str, str]]) -> bool:
    """A one-character adjective right before a noun of the name is part of the noun jieba
    splits (大/a 数据/n in 贵阳大数据科创城, 新/a 材料/n)."""
    return tag == "a" and len(word) == 1 and bool(after) and after[0][1].startswith("n")


@lru_cache(maxsize=1)
def load() -> Words:
    """jieba's dictionary is loaded once per process, however many pipelines ask for it."""
    jieba_start.initialize()  # jieba.dt.initialize(), its cache read whole (0.5 CPU s less)
    common = frozenset(row[0] for row in gazetteer.read_tsv(gazetteer.PATTERNS /
                                                            "not_place_words.tsv"))
    return Words(jieba.posseg.dt.word_tag_tab, common, jieba.dt.FREQ)
