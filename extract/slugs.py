"""ASCII slugs of Chinese names and titles, for readable keys: Hanyu Pinyin without tones, one
hyphen-separated part per word (a title segmented by jieba: 区域协调发展 → quyu-xietiao-fazhan),
or per syllable for a name (云南 → yun-nan, as the entity keys of ontology/reference/ are)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from .gazetteer import read_tsv

TITLE_WORDS = 6  # a title's slug keeps its first six words: enough to tell titles apart
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_CJK = re.compile(r"[\u3400-\u9fff]")
SKIP_WORDS = Path(__file__).resolve().parent / "patterns" / "slug_skip_words.tsv"


@lru_cache(maxsize=1)
def skip_words() -> frozenset[str]:
    return frozenset(row[0] for row in read_tsv(SKIP_WORDS))


def ascii_slug(text: str) -> str:
    """Lower-case letters and digits, other runs as one hyphen (Inner Mongolia → inner-mongolia)."""
    return _NOT_SLUG.sub("-", text.lower()).strip("-")


def pinyin(word: str) -> str:
    """The word's syllables in Pinyin, joined (发展 → fazhan); Latin letters and digits kept."""
    from pypinyin import Style, lazy_pinyin  # 0.3 s of imports that a reading command never needs

    return "".join(lazy_pinyin(word, style=Style.NORMAL, errors="default"))


def title_slug(title: str, words: int = TITLE_WORDS,
               readings: Mapping[str, str] | None = None) -> str:
    """The first `words` words of `title` that hold a letter, a digit or a Chinese character,
    each in Pinyin, function words (patterns/slug_skip_words.tsv) left out: "十四五"时期中国区域
    协调发展… → shisiwu-shiqi-zhongguo-quyu-xietiao-fazhan. `readings` gives the slug of words
    whose reading Pinyin's dictionary gets wrong (长三角: changsanjiao, not zhangsanjiao)."""
    import jieba  # imported here for the same reason as pypinyin in pinyin()

    readings = readings or {}
    parts = []
    for word in jieba.lcut(title):
        if word in skip_words():
            continue
        if word in readings:
            slug = readings[word]
        else:
            slug = ascii_slug(pinyin(word)) if _CJK.search(word) else ascii_slug(word)
        if slug:
            parts.append(slug)
        if len(parts) == words:
            break
    return "-".join(parts)


OPEN_WORLD_SEGMENT = "name"  # <kind>/name/<slug>: an entity minted from a text's name
SLUG_SYLLABLES = 12  # of the pinyin in an open-world slug: enough to read it, short to write
HASH_CHARS = 8  # of the SHA-256 of class and name: names alike in pinyin stay apart


@lru_cache(maxsize=8192)  # a report names the same lines and ports again and again
def open_world_key(kind: str, cls: str, name: str) -> str:
    """The key of the entity a name of class `cls` recognised by its shape stands for, in no
    reference table: `<kind>/name/<pinyin>-<hash>`. `name` is the normalised name; the same name
    and class give the same key in every document and build, and the hash of both keeps
    homophones (and the same name in two classes) apart."""
    from pypinyin import lazy_pinyin  # as in pinyin()

    syllables = [re.sub(r"[^a-z0-9]+", "", s.lower()) for s in lazy_pinyin(name)]
    slug = "-".join(s for s in syllables[:SLUG_SYLLABLES] if s) or "x"
    digest = hashlib.sha256(f"{cls}\t{name}".encode()).hexdigest()[:HASH_CHARS]
    return f"{kind}/{OPEN_WORLD_SEGMENT}/{slug}-{digest}"
