"""The components and the tokenizer; see the package docstring for what each one sets."""

from __future__ import annotations

import itertools
from bisect import bisect_right
from functools import lru_cache
from pathlib import Path

import jieba
import jieba.posseg
import numpy
import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from .. import abbreviations, boundaries, gazetteer, linking, matching, shapes
from ..normalize import normalise
from ..records import Candidate
from ..sentences import split_sentences

# jieba configures its own logger ("jieba") when imported: DEBUG, with a handler of its own on
# stderr, so that loading its dictionary prints four lines. Quietening it touches jieba's
# messages only (not the root logger, nor any other library's); this process uses jieba for
# the pipeline alone, so the setting is ours to make.
jieba.setLogLevel(60)


class ChunkTokenizer:
    """The whole chunk as one token: the components work on the text and keep plain records.

    `policy_kg_linker_v1` (with `cut_doc`, the default) returns a Doc cut where the kept names and
    the sentences begin and end, with the names as `doc.ents`. A token per character from the
    start would cost more than all the matching together; the bulk path (`Extractor`) skips the
    re-cut and reads the records.
    """

    # Tokens of running text are unique strings: in the language's vocab each would become a
    # lexeme with computed attributes (≈65 µs each) kept for ever. A bare Vocab makes them cheap,
    # and replacing it now and then bounds the memory a long corpus takes.
    MAX_STRINGS = 200_000

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self.scratch = Vocab()

    def vocab_for_new_doc(self) -> Vocab:
        if len(self.scratch.strings) > self.MAX_STRINGS:
            self.scratch = Vocab()
        return self.scratch

    def __call__(self, original: str) -> Doc:
        """Normalisation happens here: a Doc's text cannot change after the tokenizer. The Doc
        holds the normalised text; `pkg_offsets` maps its offsets back to `original`."""
        norm = normalise(original)
        text = norm.text
        doc = _doc_cut_at(self.vocab_for_new_doc(), text, {0, len(text)})
        doc.user_data["pkg_text"] = text  # Doc.text is rebuilt from tokens on every access
        doc.user_data["pkg_offsets"] = norm.offsets
        return doc


def _doc_cut_at(vocab: Vocab, text: str, cuts: set[int]) -> Doc:
    edges = sorted(c for c in cuts if 0 <= c <= len(text))
    words = [text[a:b] for a, b in itertools.pairwise(edges) if b > a]
    return Doc(vocab, words=words, spaces=[False] * len(words))


def _text(doc: Doc) -> str:
    return doc.user_data["pkg_text"]


def _token_starts(doc: Doc) -> dict[int, int]:
    return {t.idx: t.i for t in doc}


def _mark_sentences(doc: Doc, sentence_starts: list[int]) -> None:
    if not len(doc):
        return
    index = _token_starts(doc)
    # One array write: setting Token.is_sent_start one by one rescans the Doc each time.
    flags = numpy.full((len(doc), 1), -1, dtype="int64")
    flags[0, 0] = 1
    for s in sentence_starts:
        if s in index:
            flags[index[s], 0] = 1
    doc.from_array([SENT_START], flags.astype("uint64"))


@lru_cache(maxsize=4)
def _gazetteer(reference_dir: str) -> gazetteer.Gazetteer:
    return gazetteer.load(Path(reference_dir)) if reference_dir else gazetteer.default()


@lru_cache(maxsize=4)
def _automaton(reference_dir: str):
    return matching.build_automaton(_gazetteer(reference_dir))


@lru_cache(maxsize=4)
def _run_rules(reference_dir: str) -> abbreviations.RunRules:
    return abbreviations.load_rules(_gazetteer(reference_dir))


@lru_cache(maxsize=1)
def _jieba():
    jieba.initialize()
    return jieba.dt


def _sentence_bounds(doc: Doc, pos: int) -> tuple[int, int]:
    sents = doc.user_data["pkg_sentences"]
    i = bisect_right(doc.user_data["pkg_sentence_starts"], pos) - 1
    return sents[i] if i >= 0 else (0, len(_text(doc)))


@Language.component("policy_kg_sentences_v1")
def sentences(doc: Doc) -> Doc:
    spans = split_sentences(_text(doc))
    doc.user_data["pkg_sentences"] = spans
    doc.user_data["pkg_sentence_starts"] = [s for s, _ in spans]
    _mark_sentences(doc, doc.user_data["pkg_sentence_starts"])
    return doc


class GazetteerMatcher:
    def __init__(self, reference_dir: str) -> None:
        self.automaton = _automaton(reference_dir)

    def __call__(self, doc: Doc) -> Doc:
        doc.user_data["pkg_candidates"] = list(
            matching.gazetteer_candidates(_text(doc), self.automaton))
        return doc


@Language.factory("policy_kg_gazetteer_v1", default_config={"reference_dir": ""})
def make_gazetteer(nlp: Language, name: str, reference_dir: str) -> GazetteerMatcher:
    return GazetteerMatcher(reference_dir)


class AbbreviationRuns:
    def __init__(self, reference_dir: str) -> None:
        self.rules = _run_rules(reference_dir)

    def __call__(self, doc: Doc) -> Doc:
        doc.user_data["pkg_runs"] = list(abbreviations.find_runs(_text(doc), self.rules))
        return doc


@Language.factory("policy_kg_abbreviations_v1", default_config={"reference_dir": ""})
def make_abbreviations(nlp: Language, name: str, reference_dir: str) -> AbbreviationRuns:
    return AbbreviationRuns(reference_dir)


class ShapeRules:
    def __init__(self, reference_dir: str) -> None:
        self.rules = shapes.load_rules()
        self.run_pattern = _run_rules(reference_dir).pattern
        self.gaz = _gazetteer(reference_dir)

    def _lookup(self, name: str) -> tuple[tuple[str, ...], str] | None:
        refs = tuple(self.gaz.surfaces.get(name, ()))
        return (refs, self.gaz.entries[refs[0]].cls) if refs else None

    def __call__(self, doc: Doc) -> Doc:
        text = _text(doc)
        found = doc.user_data["pkg_candidates"]
        found.extend(list(shapes.shape_candidates(text, found, self.run_pattern, self.rules,
                                                  _place_word_ending)))
        found.extend(list(shapes.ellipsis_candidates(text, found, self.run_pattern, self.rules,
                                                     self._lookup)))
        return doc


def _place_word_ending(text: str) -> int:
    """Length of the longest jieba dictionary word tagged `ns` (place name) that ends `text`."""
    tags = _word_tags()
    common = _common_nouns()
    for n in range(min(len(text), 6), 1, -1):
        word = text[-n:]
        if tags.get(word) == "ns" and word not in common:
            return n
    return 0


@lru_cache(maxsize=1)
def _common_nouns() -> frozenset[str]:
    return frozenset(row[0] for row in gazetteer.read_tsv(gazetteer.PATTERNS /
                                                          "not_place_words.tsv"))


@lru_cache(maxsize=1)
def _word_tags() -> dict[str, str]:
    _jieba()
    return jieba.posseg.dt.word_tag_tab


@Language.factory("policy_kg_shapes_v1", default_config={"reference_dir": ""})
def make_shapes(nlp: Language, name: str, reference_dir: str) -> ShapeRules:
    return ShapeRules(reference_dir)


class BoundaryCheck:
    """Chooses among overlapping names, and drops the ones that are only part of a longer word
    (广东 in 推广东部); a dropped name frees its characters for the names it had beaten."""

    def __init__(self, reference_dir: str) -> None:
        self.dt = _jieba()
        self.compound = _compound_parts(reference_dir)

    def _segment(self, text: str):
        return self.dt.cut(text, HMM=False)

    def _keep(self, doc: Doc, c: Candidate) -> bool:
        if c.end - c.start > boundaries.MAX_CHECKED and c.cls != "run":  # runs: always
            return True
        lo, hi = _sentence_bounds(doc, c.start)
        return boundaries.is_word(_text(doc), c.start, c.end, self.dt.FREQ, self._segment,
                                  self.compound, lo, hi)

    def __call__(self, doc: Doc) -> Doc:
        pool = list(doc.user_data["pkg_candidates"]) + [
            Candidate(r.start, r.end, r.refs, "run", r.rule, abbreviations.RUN_PRIORITY)
            for r in doc.user_data["pkg_runs"]]
        doc.user_data["pkg_chosen"] = linking.resolve_overlaps(
            pool, keep=lambda c: self._keep(doc, c))
        return doc


@Language.factory("policy_kg_boundaries_v1", default_config={"reference_dir": ""})
def make_boundaries(nlp: Language, name: str, reference_dir: str) -> BoundaryCheck:
    return BoundaryCheck(reference_dir)


@lru_cache(maxsize=4)
def _compound_parts(reference_dir: str) -> frozenset[str]:
    """What may follow or precede a name inside one jieba token without making it a longer word:
    another known name (广西北海, 中国香港) or a word of `patterns/compound_words.tsv` (国家)."""
    words = {row[0] for row in gazetteer.read_tsv(gazetteer.PATTERNS / "compound_words.tsv")}
    return frozenset(_gazetteer(reference_dir).surfaces) | words


class Linker:
    """Links every chosen name to one entity (or leaves it unlinked with its shape type), and
    returns the Doc cut at the names' edges with the names as `doc.ents`."""

    def __init__(self, reference_dir: str, cut_doc: bool) -> None:
        self.gaz = _gazetteer(reference_dir)
        self.weak = gazetteer.weak_names()
        self.cut_doc = cut_doc

    def __call__(self, doc: Doc) -> Doc:
        text = _text(doc)
        chosen = doc.user_data["pkg_chosen"]
        mentions: list[tuple[int, int, str, str | None, str, float]] = []
        for i, c in enumerate(chosen):
            if c.cls == "run":
                for k, ref in enumerate(c.refs):
                    mentions.append((c.start + k, c.start + k + 1, self.gaz.entries[ref].cls,
                                     ref, c.rule, 0.9))
            elif not c.refs:
                mentions.append((c.start, c.end, c.cls, None, c.rule, 0.6))
            elif _direction_of_a_place(chosen, i, text, self.gaz):
                continue
            elif text[c.start:c.end] not in self.weak or _in_place_context(chosen, i, text):
                ref, confidence = linking.choose_ref(c.refs, self.gaz)
                mentions.append((c.start, c.end, self.gaz.entries[ref].cls, ref, c.rule,
                                 confidence))
        doc.user_data["pkg_mentions"] = mentions
        if not self.cut_doc:
            return doc
        cuts = {0, len(text)}
        for s, e in doc.user_data["pkg_sentences"]:
            cuts.update((s, e))
        for s, e, *_ in mentions:
            cuts.update((s, e))
        out = _doc_cut_at(doc.vocab, text, cuts)
        out.user_data.update(doc.user_data)
        _mark_sentences(out, doc.user_data["pkg_sentence_starts"])
        index = _token_starts(out)
        index[len(text)] = len(out)
        out.ents = [Span(out, index[s], index[e], label=t, kb_id=ref or "")
                    for s, e, t, ref, _, _ in mentions]
        return out


_LIST_GLUE = frozenset("、和与及")
_PLACE_CLASSES = frozenset({"Province", "City", "ProvincialSubRegion", "CityCluster",
                            "MetropolitanArea", "StrategicRegion", "Country"})


def _in_place_context(chosen: list[Candidate], i: int, text: str) -> bool:
    """A weak name counts next to another place: 广西来宾, 来宾、百色, 百色和来宾, 大同地区."""
    c = chosen[i]
    for j in (i - 1, i + 1):
        if not 0 <= j < len(chosen) or chosen[j].cls not in _PLACE_CLASSES:
            continue
        other = chosen[j]
        gap = text[other.end:c.start] if j < i else text[c.end:other.start]
        if gap == "" or (len(gap) == 1 and gap in _LIST_GLUE):
            return True
    return text[c.end:c.end + 1] == "市" or text[c.end:c.end + 2] == "地区"


def _direction_of_a_place(chosen: list[Candidate], i: int, text: str,
                          gaz: gazetteer.Gazetteer) -> bool:
    """湖北东部, 广东西部沿海: a bare direction (not the full 东部地区) right after a province or
    city is a part of that place, not the macro-region."""
    c = chosen[i]
    if c.cls != "MacroRegion" or i == 0:
        return False
    if any(gaz.entries[r].label_zh == text[c.start:c.end] for r in c.refs):
        return False
    before = chosen[i - 1]
    return before.end == c.start and before.cls in ("Province", "City", "ProvincialSubRegion")


@Language.factory("policy_kg_linker_v1", default_config={"reference_dir": "", "cut_doc": True})
def make_linker(nlp: Language, name: str, reference_dir: str, cut_doc: bool) -> Linker:
    return Linker(reference_dir, cut_doc)


PIPELINE = ("policy_kg_sentences_v1", "policy_kg_gazetteer_v1", "policy_kg_abbreviations_v1",
            "policy_kg_shapes_v1", "policy_kg_boundaries_v1", "policy_kg_linker_v1")


def build_nlp(reference_dir: str = "", cut_doc: bool = True) -> Language:
    """spaCy `blank("zh")` with the jieba segmenter, our character tokenizer and components.

    jieba is the word segmenter: `policy_kg_boundaries_v1` asks it about the few windows
    where a boundary is in doubt, so the whole text is never segmented word by word.
    """
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.tokenizer = ChunkTokenizer(nlp.vocab)
    for name in PIPELINE:
        config = {} if name == "policy_kg_sentences_v1" else {"reference_dir": reference_dir}
        if name == "policy_kg_linker_v1":
            config["cut_doc"] = cut_doc
        nlp.add_pipe(name, config=config)
    return nlp
