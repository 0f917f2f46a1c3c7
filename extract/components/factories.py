"""The components, registered under versioned names with what each requires and assigns.

Each component is built empty by its factory; `nlp.initialize()` calls its `initialize()`, which
reads what it needs (the gazetteer, its automaton, the abbreviation rules, jieba's dictionary)
with the settings of `[initialize.components.<name>]` in `pipeline.cfg`. What each one sets is in
`results.py`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterable
from functools import partial
from pathlib import Path

import jieba
import jieba.posseg
from spacy.language import Language
from spacy.tokens import Doc, Span

from .. import abbreviations, boundaries, gazetteer, linking, matching, shapes
from ..normalize import is_cjk
from ..records import Candidate
from ..sentences import split_sentences
from . import words
from .results import (
    CANDIDATES,
    CHOSEN,
    MENTIONS,
    OFFSETS,
    ORIGINAL,
    RUNS,
    SENTENCES,
    SHAPE_CANDIDATES,
    TEXT,
    LinkedName,
    Sentences,
    doc_attr,
    register_extensions,
)
from .tokenizer import doc_cut_at, mark_sentences

# jieba configures its own logger ("jieba") when imported: DEBUG, with a handler of its own on
# stderr, so that loading its dictionary prints four lines. Quietening it touches jieba's
# messages only (not the root logger, nor any other library's); this process uses jieba for
# the pipeline alone, so the setting is ours to make.
jieba.setLogLevel(60)
register_extensions()

GetExamples = Callable[[], Iterable[object]] | None


class NotInitialized(RuntimeError):
    """A component was called before `nlp.initialize()` gave it its data."""

    def __init__(self, name: str) -> None:
        super().__init__(f"{name} has no data yet: call nlp.initialize() (build_nlp() does)")


def read_gazetteer(reference_dir: str) -> gazetteer.Gazetteer:
    """The tables of `reference_dir`, or the shipped ones (read once per process by
    `gazetteer.default()`, which the build shares) when it is empty."""
    return gazetteer.load(Path(reference_dir)) if reference_dir else gazetteer.default()


@Language.component("policy_kg_sentences_v1",
                    requires=[], assigns=["token.is_sent_start", doc_attr(SENTENCES)])
def sentences(doc: Doc) -> Doc:
    spans = split_sentences(doc._.get(TEXT))
    found = Sentences(tuple(s for s, _ in spans), tuple(e for _, e in spans))
    doc._.set(SENTENCES, found)
    mark_sentences(doc, found.starts)
    return doc


class GazetteerMatcher:
    """Every gazetteer name in the text, in one Aho-Corasick pass; overlaps are kept."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.automaton = None

    def initialize(self, get_examples: GetExamples = None, *, nlp: Language | None = None,
                   reference_dir: str = "") -> None:
        self.automaton = matching.build_automaton(read_gazetteer(reference_dir))

    def __call__(self, doc: Doc) -> Doc:
        if self.automaton is None:
            raise NotInitialized(self.name)
        doc._.set(CANDIDATES, tuple(matching.gazetteer_candidates(doc._.get(TEXT), self.automaton)))
        return doc


@Language.factory("policy_kg_gazetteer_v1", requires=[], assigns=[doc_attr(CANDIDATES)])
def make_gazetteer(nlp: Language, name: str) -> GazetteerMatcher:
    return GazetteerMatcher(name)


class AbbreviationRuns:
    """Runs of one-character abbreviations (浙粤苏琼), one place per character."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.rules: abbreviations.RunRules | None = None
        self.words: words.Words | None = None

    def initialize(self, get_examples: GetExamples = None, *, nlp: Language | None = None,
                   reference_dir: str = "") -> None:
        self.rules = abbreviations.load_rules(read_gazetteer(reference_dir))
        self.words = words.load()

    def __call__(self, doc: Doc) -> Doc:
        if self.rules is None:
            raise NotInitialized(self.name)
        text = doc._.get(TEXT)
        runs = tuple(abbreviations.find_runs(text, self.rules, word_tag=self.words.tags.get))
        quoted, closes = _quoted_in(doc)
        compounds = tuple(abbreviations.find_city_compounds(
            text, self.rules, quoted, self.words.ordinary_word, closes=closes))
        doc._.set(RUNS, runs + compounds)
        return doc


_OPEN_QUOTES = frozenset("“\"「『")
_CLOSE_QUOTES = frozenset("”\"」』")


def _quoted_in(doc: Doc) -> tuple[Callable[[int, int], bool], Callable[[int], bool]]:
    """Are the normalised characters start..end quoted in the original text (“宜荆荆”)? And
    does a quotation close at end? Normalisation deletes the quotes. The rule asks at every
    position of the text: the ends where a quotation closes are found once, from the few
    closing quotes of the original (each `doc._` read costs ≈4 µs, a position ≈1 µs)."""
    original = doc._.get(ORIGINAL)
    to_original = doc._.get(OFFSETS).to_original
    size = len(doc._.get(TEXT))
    ends = set()
    for q, ch in enumerate(original):
        if ch in _CLOSE_QUOTES:
            end = _first_at_or_after(to_original, size, q)
            if end > 0 and to_original(end - 1) + 1 == q:
                ends.add(end)

    def closed_at(end: int) -> bool:
        return end in ends

    def quoted(start: int, end: int) -> bool:
        if end not in ends:
            return False
        o_start = to_original(start)
        return o_start > 0 and original[o_start - 1] in _OPEN_QUOTES

    return quoted, closed_at


def _first_at_or_after(to_original: Callable[[int], int], size: int, o: int) -> int:
    """The first normalised offset whose original offset is `o` or later (size if none):
    `to_original` grows with its argument."""
    lo, hi = 0, size
    while lo < hi:
        mid = (lo + hi) // 2
        if to_original(mid) < o:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _across_quotes(doc: Doc) -> Callable[[int, int], bool]:
    """Does the normalised span start..end hold a quote of the original that is not its own?
    Normalisation deletes quotes, so a name could be read across one (“四融一共”和美乡村先行区
    holds 共和, a county); a name may hold only the closing quote of a nickname it opens with
    (“冰雪丝路”创新先导区)."""
    original = doc._.get(ORIGINAL)
    to_original = doc._.get(OFFSETS).to_original
    quotes = _OPEN_QUOTES | _CLOSE_QUOTES
    if not any(ch in quotes for ch in original):
        return lambda start, end: False

    def across(start: int, end: int) -> bool:
        o_start, o_end = to_original(start), to_original(end - 1) + 1
        inside = [ch for ch in original[o_start:o_end] if ch in quotes]
        if not inside:
            return False
        opens_own = o_start > 0 and original[o_start - 1] in _OPEN_QUOTES
        return not (opens_own and len(inside) == 1 and inside[0] in _CLOSE_QUOTES)

    return across


# The most characters between a quoted nickname's closing quote and the head word of the
# platform it names (“冰雪丝路”创新先导区: 2).
QUOTE_TO_HEAD_MAX = 4


def _quoted_name_start(doc: Doc, text: str, at: int, lo: int,
                       known: Container[str]) -> int | None:
    """Where a platform's name that opens with a quoted nickname begins (“冰雪丝路”创新先导区):
    the nickname's first character, when its closing quote is at most `QUOTE_TO_HEAD_MAX`
    characters before the head word at `at`, within the clause. A slogan with digits or signs
    (“1+11”, “机器人+”) or a name the tables know as something else (“一带一路”联合实验室: a
    kind of laboratory of the strategy) is no nickname."""
    original = doc._.get(ORIGINAL)
    to_original = doc._.get(OFFSETS).to_original
    if at >= len(text):
        return None
    o_at = to_original(at)
    for p in range(at - 1, lo - 1, -1):
        if text[p] in shapes.NAME_STOPS:
            return None
        o_p = to_original(p)
        if o_p > 0 and original[o_p - 1] in _OPEN_QUOTES:
            closes = [i for i in range(o_p, o_at) if original[i] in _CLOSE_QUOTES]
            nickname = original[o_p:closes[0]] if closes else ""
            if (nickname and o_at - closes[-1] - 1 <= QUOTE_TO_HEAD_MAX
                    and all(is_cjk(ch) for ch in nickname) and nickname not in known):
                return p
            return None
    return None


@Language.factory("policy_kg_abbreviations_v1", requires=[], assigns=[doc_attr(RUNS)])
def make_abbreviations(nlp: Language, name: str) -> AbbreviationRuns:
    return AbbreviationRuns(name)


class ShapeRules:
    """Names the gazetteer lacks: an anchor and a type suffix (赣州都市圈), the earlier items of
    a list that share the last one's suffix (川藏、新藏、滇藏铁路), and roads by their code
    (G331)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.rules: shapes.ShapeRules | None = None
        self.run_pattern: re.Pattern[str] | None = None
        self.gaz: gazetteer.Gazetteer | None = None
        self.place_words: frozenset[str] = frozenset()
        self.road_codes: re.Pattern[str] | None = None
        self.rail_lines: tuple[re.Pattern[str], re.Pattern[str]] | None = None
        self.words: words.Words | None = None
        self.ordinary: frozenset[str] = frozenset()
        self.free_name: Callable[[str, int, int], int | None] | None = None
        self.port_name: Callable[[str, int, int], int | None] | None = None
        self.counted_heads: shapes.CountedHeads | None = None
        self.item_start: Callable[[str, int, int], int | None] | None = None
        self.initials: frozenset[str] = frozenset()

    def initialize(self, get_examples: GetExamples = None, *, nlp: Language | None = None,
                   reference_dir: str = "") -> None:
        self.gaz = read_gazetteer(reference_dir)
        self.rules = shapes.load_rules()
        self.road_codes = shapes.load_road_codes()
        self.rail_lines = shapes.load_rail_lines()
        run_rules = abbreviations.load_rules(self.gaz)
        self.run_pattern = run_rules.pattern
        self.place_words = _place_words()
        self.words = words.load()
        self.ordinary = self.words.ordinary_county_names(self.gaz)
        # A known name of a division or a part of one (a conventional compound too: 巴蜀) opens
        # a free name as a place word does: 巴蜀文化旅游走廊. A region (中西部地区机场) or an
        # industry (新能源走廊) before a head word is generic, and so is a county's short name
        # that is an ordinary word (交流合作示范区).
        known = frozenset(name for name, refs in self.gaz.surfaces.items()
                          if any(self.gaz.entries[r].cls in _NAME_OPENERS for r in refs)
                          and name not in self.ordinary)
        self.free_name = partial(self.words.free_name_start, known=known | set(run_rules.named))
        port_kinds = frozenset(row[0] for row in gazetteer.read_tsv(gazetteer.PATTERNS /
                                                                    "port_words.tsv"))
        self.port_name = partial(self.words.port_name_start, kinds=port_kinds)
        self.counted_heads = shapes.load_counted_heads()
        self.item_start = partial(self.words.list_item_start, known=known)
        self.initials = _city_initials(self.gaz)

    def _lookup(self, name: str) -> tuple[tuple[str, ...], str] | None:
        refs = tuple(self.gaz.surfaces.get(name, ()))
        return (refs, self.gaz.entries[refs[0]].cls) if refs else None

    def _free_name(self, doc: Doc, text: str, at: int, lo: int) -> int | None:
        """A free proper name (汉江国家实验室), else a quoted nickname (“冰雪丝路”创新先导区)."""
        start = self.free_name(text, at, lo)
        return start if start is not None else _quoted_name_start(doc, text, at, lo,
                                                                  self.gaz.surfaces)

    def _place_word_ending(self, text: str) -> int:
        """Length of the longest place word (jieba's `ns` tag) that ends `text`, or 0."""
        for n in range(min(len(text), 6), 1, -1):
            if text[-n:] in self.place_words:
                return n
        return 0

    def __call__(self, doc: Doc) -> Doc:
        if self.rules is None:
            raise NotInitialized(self.name)
        text = doc._.get(TEXT)
        known = doc._.get(CANDIDATES)
        # a compound of cities' characters anchors a zone as a run does (哈大齐自创区)
        compounds = [(r.start, r.end) for r in doc._.get(RUNS)
                     if r.rule == abbreviations.COMPOUND_RULE]
        # A county's short name that is an ordinary word (富裕, 合作) anchors no name:
        # 共同富裕示范区, 国际合作产业园.
        # Between 至 and a line's head word it names a place all the same (富裕至加格达奇铁路).
        anchors = [c for c in known if not (c.cls == "County"
                                            and text[c.start:c.end] in self.ordinary)]
        shaped = tuple(shapes.shape_candidates(text, anchors, self.run_pattern, self.rules,
                                               self._place_word_ending,
                                               free_name=partial(self._free_name, doc),
                                               ordinary_word=self.words.ordinary_word,
                                               line_ends=known, compounds=compounds,
                                               port_name=self.port_name,
                                               national_name=self.words.national_name_start,
                                               word_start=self.words.word_start,
                                               initials=self.initials))
        shared = tuple(shapes.ellipsis_candidates(text, known + shaped, self.run_pattern,
                                                  self.rules, self._lookup,
                                                  item_places=anchors, initials=self.initials,
                                                  ordinary_word=self.words.ordinary_word))
        coded = (*shapes.road_code_candidates(text, self.road_codes),
                 *shapes.rail_line_candidates(text, self.rail_lines, known))
        counted = tuple(shapes.counted_list_candidates(text, known + shaped, self.counted_heads,
                                                       self.item_start,
                                                       self.words.ordinary_word))
        doc._.set(SHAPE_CANDIDATES, shaped + shared + coded + counted)
        return doc


_NAME_OPENERS = frozenset({"Province", "City", "County", "Town", "ProvincialSubRegion"})


def _city_initials(gaz: gazetteer.Gazetteer) -> frozenset[str]:
    """The first characters of the short names of the cities and of the national new areas
    (雄安: 雄商高铁), and the provinces' abbreviations."""
    firsts = {min((e.label_zh, *e.aliases), key=len)[0] for e in gaz.entries.values()
              if e.cls == "City"}
    # a new area's full name (两江新区, 天府新区) opens with no abbreviation; its short one does
    firsts |= {a[0] for e in gaz.entries.values() if e.cls == "NationalNewArea"
               for a in e.aliases if len(a) == 2}
    return frozenset(firsts | set(gaz.province_abbr))


def _place_words() -> frozenset[str]:
    """The words jieba's dictionary tags `ns` (place name), less the common nouns of
    `patterns/not_place_words.tsv` it also tags so (城市, 高原)."""
    common = {row[0] for row in gazetteer.read_tsv(gazetteer.PATTERNS / "not_place_words.tsv")}
    tags = jieba.posseg.dt.word_tag_tab
    return frozenset(w for w, tag in tags.items() if tag == "ns" and w not in common)


@Language.factory("policy_kg_shapes_v1", requires=[doc_attr(CANDIDATES), doc_attr(RUNS)],
                  assigns=[doc_attr(SHAPE_CANDIDATES)])
def make_shapes(nlp: Language, name: str) -> ShapeRules:
    return ShapeRules(name)


class BoundaryCheck:
    """Chooses among overlapping names, and drops the ones that are only part of a longer word
    (广东 in 推广东部); a dropped name frees its characters for the names it had beaten."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.words: jieba.Tokenizer | None = None
        self.compound: frozenset[str] = frozenset()

    def initialize(self, get_examples: GetExamples = None, *, nlp: Language | None = None,
                   reference_dir: str = "") -> None:
        # jieba's default dictionary, as spaCy's own jieba segmenter uses it: jieba loads it
        # once per process however many pipelines ask for it (≈1.7 s).
        self.words = jieba.dt
        self.words.initialize()
        # What may follow or precede a name inside one jieba token without making it a longer
        # word: another known name (广西北海, 中国香港) or a word of compound_words.tsv (国家).
        compound = gazetteer.read_tsv(gazetteer.PATTERNS / "compound_words.tsv")
        self.compound = frozenset(read_gazetteer(reference_dir).surfaces) | {
            row[0] for row in compound}

    def _segment(self, text: str) -> Iterable[str]:
        return self.words.cut(text, HMM=False)

    def _is_word(self, text: str, c: Candidate, sentences: Sentences) -> bool:
        """Is the name a word of its sentence, not a part of a longer word?"""
        if c.end - c.start > boundaries.MAX_CHECKED and c.cls != "run":  # runs: always
            return True
        if c.rule == abbreviations.COMPOUND_RULE:  # its own checks are stricter (汉孝随襄十万亿级)
            return True
        lo, hi = sentences.around(c.start, len(text))
        return boundaries.is_word(text, c.start, c.end, self.words.FREQ, self._segment,
                                  self.compound, lo, hi)

    def __call__(self, doc: Doc) -> Doc:
        if self.words is None:
            raise NotInitialized(self.name)
        text = doc._.get(TEXT)
        sentences = doc._.get(SENTENCES)
        runs = tuple(Candidate(r.start, r.end, r.refs, "run", r.rule, abbreviations.RUN_PRIORITY)
                     for r in doc._.get(RUNS))
        pool = doc._.get(CANDIDATES) + doc._.get(SHAPE_CANDIDATES) + runs
        across = _across_quotes(doc)
        chosen = linking.resolve_overlaps(
            [c for c in pool if not across(c.start, c.end)],
            keep=lambda c: self._is_word(text, c, sentences))
        doc._.set(CHOSEN, tuple(chosen))
        return doc


@Language.factory("policy_kg_boundaries_v1",
                  requires=[doc_attr(SENTENCES), doc_attr(CANDIDATES), doc_attr(RUNS),
                            doc_attr(SHAPE_CANDIDATES)],
                  assigns=[doc_attr(CHOSEN)])
def make_boundaries(nlp: Language, name: str) -> BoundaryCheck:
    return BoundaryCheck(name)


class Linker:
    """Links every chosen name to one entity, or leaves it unlinked with its shape type."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.gaz: gazetteer.Gazetteer | None = None
        self.weak: frozenset[str] = frozenset()

    def initialize(self, get_examples: GetExamples = None, *, nlp: Language | None = None,
                   reference_dir: str = "") -> None:
        self.gaz = read_gazetteer(reference_dir)
        self.weak = gazetteer.weak_names()

    def _run_names(self, run: Candidate) -> list[LinkedName]:
        """A compound (川渝, 宜荆荆) names one area made of its members; any other run names one
        place per character."""
        if _is_compound(run):
            return [LinkedName(run.start, run.end, "AreaCompound", None, run.rule, 0.8,
                               members=run.refs)]
        return [LinkedName(run.start + k, run.start + k + 1, self.gaz.entries[ref].cls, ref,
                           run.rule, 0.9) for k, ref in enumerate(run.refs)]

    def _link(self, chosen: tuple[Candidate, ...], i: int, text: str) -> LinkedName | None:
        """The name chosen[i] with its entity; None when it is no mention (a direction after
        a place, a weak name out of a place context)."""
        c = chosen[i]
        if not c.refs:
            return LinkedName(c.start, c.end, c.cls, None, c.rule, 0.6)
        if _direction_of_a_place(chosen, i, text, self.gaz):
            return None
        if text[c.start:c.end] in self.weak and not _in_place_context(chosen, i, text):
            return None
        ref, confidence = linking.choose_ref(c.refs, self.gaz)
        return LinkedName(c.start, c.end, self.gaz.entries[ref].cls, ref, c.rule, confidence)

    def __call__(self, doc: Doc) -> Doc:
        if self.gaz is None:
            raise NotInitialized(self.name)
        text = doc._.get(TEXT)
        chosen = doc._.get(CHOSEN)
        names: list[LinkedName] = []
        for i, c in enumerate(chosen):
            if c.cls == "run":
                names += self._run_names(c)
            elif (name := self._link(chosen, i, text)) is not None:
                names.append(name)
        doc._.set(MENTIONS, tuple(names))
        return doc


def _is_compound(c: Candidate) -> bool:
    """A run of provinces' abbreviations (川渝, 鄂湘赣) or of cities' (宜荆荆, 北上广深) names
    one area made of them; a run of foreign places (美欧日韩) or directions (东中西部) stays
    a list of its places."""
    return c.rule in (abbreviations.RUN_RULE, abbreviations.NAMED_RUN_RULE,
                      abbreviations.COMPOUND_RULE) and not any(
        r.startswith(("country/", "world-region/", "organization/")) for r in c.refs)


_LIST_GLUE = frozenset("、和与及")
_PLACE_CLASSES = frozenset({"Province", "City", "County", "Town", "ProvincialSubRegion",
                            "CityCluster", "MetropolitanArea", "StrategicRegion", "Country"})


def _in_place_context(chosen: tuple[Candidate, ...], i: int, text: str) -> bool:
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


def _direction_of_a_place(chosen: tuple[Candidate, ...], i: int, text: str,
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


@Language.factory("policy_kg_linker_v1", requires=[doc_attr(CHOSEN)],
                  assigns=[doc_attr(MENTIONS)])
def make_linker(nlp: Language, name: str) -> Linker:
    return Linker(name)


@Language.component("policy_kg_entities_v1", requires=[doc_attr(SENTENCES), doc_attr(MENTIONS)],
                    assigns=["doc.ents", "token.is_sent_start"], retokenizes=True)
def entities(doc: Doc) -> Doc:
    """A new Doc cut where the sentences and the linked names begin and end, with the names as
    `doc.ents` (label: class; kb_id: entity ref) and the results of the Doc it replaces."""
    text = doc._.get(TEXT)
    sentences = doc._.get(SENTENCES)
    names = doc._.get(MENTIONS)
    cuts = {0, len(text), *sentences.starts, *sentences.ends}
    cuts.update(edge for n in names for edge in (n.start, n.end))
    out = doc_cut_at(doc.vocab, text, cuts)
    out.user_data.update(doc.user_data)  # the extensions live in user_data
    mark_sentences(out, sentences.starts)
    index = {t.idx: t.i for t in out}
    index[len(text)] = len(out)
    out.ents = [Span(out, index[n.start], index[n.end], label=n.cls, kb_id=n.ref or "")
                for n in names]
    return out
