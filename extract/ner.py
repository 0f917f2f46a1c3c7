"""A small statistical recogniser beside the rules (issue 12): spaCy's own NER in a blank "zh"
pipeline with the jieba segmenter, trained by tools/train_ner.py and shipped in
`extract/models/ner-zh/`. Nothing is fetched: the weights are package data.

The rules stay the authority. The model only adds a span where no rule mention overlaps it;
such a span links to the gazetteer entry its text names (chosen as the rules choose), or else
becomes an open-world name whose class comes from its head word (`patterns/shapes.tsv`'s
suffixes); a name the tables lack and that has no head word is dropped (read on reports outside
the test split, such spans were nearly all phrases: 携手港澳, 启动美丽, 皖美).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .gazetteer import Gazetteer, read_tsv
from .linking import choose_ref
from .records import Mention

MODEL_DIR = Path(__file__).with_name("models") / "ner-zh"
PATTERNS = Path(__file__).with_name("patterns")
RULE = "ner/v1"
# A model span is less sure than a rule's: relations and claims may weigh it by this.
CONFIDENCE = 0.6
# The labels the model is trained on: the covered types of the report gold
# (tests/gold/gwr-2025/README.md), so that silver labels from the rules and gold agree.
LABELS = ("MacroRegion", "SubRegion", "Province", "City", "County", "Town", "CityCluster",
          "EconomicBelt", "Corridor", "Platform")
# Sentences longer than this are cut (at a comma) before tagging: the transition-based
# parser's cost grows with the Doc, and no name crosses a clause.
MAX_SENTENCE = 300
_SENTENCE = re.compile(r"[^。！？；\n]*(?:[。！？；]|\n|$)")


def sentence_spans(text: str, max_len: int = MAX_SENTENCE) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence of `text` with some non-space character, cut at commas
    when longer than `max_len`."""
    for m in _SENTENCE.finditer(text):
        start, end = m.start(), m.end()
        if not text[start:end].strip():
            continue
        yield from _cut_long(text, start, end, max_len)


def _cut_long(text: str, start: int, end: int, max_len: int) -> Iterator[tuple[int, int]]:
    while end - start > max_len:
        cut = max(text.rfind("，", start, start + max_len), text.rfind(",", start, start + max_len))
        cut = cut + 1 if cut > start else start + max_len
        yield start, cut
        start = cut
    if end > start:
        yield start, end


@dataclass(frozen=True, slots=True)
class Span:
    """A span the model tagged, in the coordinates of the text it was given."""

    start: int
    end: int
    label: str


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_DIR):
    """The shipped spaCy pipeline (tok2vec + ner), read from the package's data only."""
    import spacy

    if not (path / "config.cfg").is_file():
        raise FileNotFoundError(f"{path}: no NER model here (tools/train_ner.py writes it)")
    return spacy.load(path)


def tag(text: str, nlp=None) -> list[Span]:
    """The spans the model tags in `text`, sentence by sentence, in text order."""
    nlp = nlp or load_model()
    pieces = list(sentence_spans(text))
    out = []
    for doc, (base, _) in zip(nlp.pipe(text[s:e] for s, e in pieces), pieces, strict=True):
        out.extend(Span(base + e.start_char, base + e.end_char, e.label_) for e in doc.ents)
    return out


@lru_cache(maxsize=1)
def _head_words() -> tuple[tuple[str, str], ...]:
    """(suffix, class) of the shape rules, longest first: the head word that names a class."""
    rows = [(row[0], row[1]) for row in read_tsv(PATTERNS / "shapes.tsv")]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


def is_bare_head_word(name: str) -> bool:
    """A category name alone (自贸试验区, 高新区) names no entity by itself: which zone it means
    is the rules' judgement over the document (a report's own FTZ, extract/resolve.py)."""
    return any(name == suffix for suffix, _ in _head_words())


def class_of(name: str) -> str | None:
    """An open-world name's class: its head word's (None: it has none, drop it)."""
    for suffix, cls in _head_words():
        if name.endswith(suffix) and len(name) > len(suffix):
            return cls
    return None


_PAIRS = ("（）", "()", "“”", "‘’", "《》", "「」")


def is_whole(name: str) -> bool:
    """No bracket or quote left open or closed alone, no punctuation at either end: the model
    cut a name where the text does not (长江（, 兰亭奖”)."""
    if any(name.count(a) != name.count(b) for a, b in _PAIRS):
        return False
    return not (unicodedata.category(name[0]).startswith("P")
                or unicodedata.category(name[-1]).startswith("P"))


def model_mentions(doc_id: str, text: str, spans: Sequence[Span], rule_mentions:
                   Sequence[Mention], gaz: Gazetteer) -> list[Mention]:
    """The model's spans that no rule mention overlaps, as mentions: linked when the
    gazetteer knows the name, else open-world by head word or label."""
    taken = sorted((m.start, m.end) for m in rule_mentions)
    out = []
    for s in spans:
        name = text[s.start:s.end]
        if (len(name) < 2 or name != name.strip() or not is_whole(name)
                or is_bare_head_word(name) or _overlaps_any(s.start, s.end, taken)):
            continue
        refs = gaz.surfaces.get(name)
        if refs:
            ref, confidence = choose_ref(refs, gaz)
            out.append(Mention(doc_id, s.start, s.end, name, gaz.entries[ref].cls, ref, RULE,
                               min(confidence, CONFIDENCE)))
            continue
        cls = class_of(name)
        if cls is not None:
            out.append(Mention(doc_id, s.start, s.end, name, cls, None, RULE, CONFIDENCE))
    return out


def _overlaps_any(start: int, end: int, taken: Sequence[tuple[int, int]]) -> bool:
    # `taken` is small (hundreds per document); a linear scan is cheap beside tagging
    return any(s < end and start < e for s, e in taken)
