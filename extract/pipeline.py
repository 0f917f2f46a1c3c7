"""Text in, one record out: the whole extraction of one document (`Extractor.extract`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from spacy.language import Language

from . import gazetteer
from .claim_check import cells_from_tables, check_claims
from .claim_restated import check_restated
from .claim_sums import find_sums
from .claim_text import check_by_year, check_in_text
from .claims import find_claims
from .components import SHAPES, build_nlp
from .metadata import document_meta
from .ner import model_mentions, tag
from .normalize import MIN_PROSE_LINE, is_cjk
from .recommendations import find_recommendations
from .records import CheckedClaim, Entities, ExtractedDocument, Mention
from .relations import find_relations, home_place
from .resolve import resolve
from .sections import body_end
from .tables import Table, find_tables

CHUNK = 4000  # characters per spaCy Doc: long enough to amortise the per-Doc cost
_CLOSERS = "”’」』)）\""
_SENTENCE_END = re.compile(rf"[。！？!?][{_CLOSERS}]*")
_ANY_CUT = re.compile(rf"\n|{_SENTENCE_END.pattern}")


def _safe_cut(text: str, pos: int) -> bool:
    """A line break the normaliser keeps, because the text on one side of the whitespace around
    it is not Chinese (。, a digit), so no name or sentence runs across it."""
    if text[pos] != "\n":
        return False
    before = pos
    while before > 0 and text[before - 1].isspace():
        before -= 1
    after = pos
    while after < len(text) and text[after].isspace():
        after += 1
    return before == 0 or after == len(text) or not (is_cjk(text[before - 1])
                                                      and is_cjk(text[after]))


def _sentence_cut(text: str, pos: int) -> bool:
    """After a sentence end (。！？ with its closing quotes), where a chunk may end when no line
    break can. No name or sentence runs across it; the characters on both sides are not
    whitespace, so no deletion of the normaliser runs across it or looks across it; and the line
    it splits is long prose on its own (the normaliser judges a line break by the length of the
    line before it, which a chunk starting mid-line would shorten)."""
    if pos >= len(text) or text[pos].isspace() or text[pos] in _CLOSERS:
        return False
    line_end = text.find("\n", pos)
    return line_end == -1 or len(text[pos:line_end].strip()) >= MIN_PROSE_LINE


def _cut_in(text: str, start: int, end: int) -> int | None:
    """Where a chunk starting at `start` ends at the latest by `end`: after its last safe line
    break, else after its last safe sentence end; None when there is neither."""
    cut = text.rfind("\n", start, end)
    while cut > start and not _safe_cut(text, cut):
        cut = text.rfind("\n", start, cut)
    if cut > start:
        return cut + 1
    ends = [m.end() for m in _SENTENCE_END.finditer(text, start, end)]
    return next((e for e in reversed(ends) if _sentence_cut(text, e)), None)


def _next_cut(text: str, pos: int) -> int:
    """The first safe line break or sentence end from `pos` on, else the end of the text."""
    for m in _ANY_CUT.finditer(text, pos):
        if m.group() == "\n" and _safe_cut(text, m.start()):
            return m.start() + 1
        if m.group() != "\n" and _sentence_cut(text, m.end()):
            return m.end()
    return len(text)


def chunks(text: str, size: int = CHUNK) -> Iterator[tuple[str, int]]:
    """The ORIGINAL text in pieces of about `size`, cut only where normalisation never joins:
    at a line break it keeps or, in a text without one in reach (a file without line breaks),
    at a sentence end."""
    start = 0
    n = len(text)
    while start < n:
        end = min(n, start + size)
        if end < n:
            cut = _cut_in(text, start, end)
            end = cut if cut is not None else _next_cut(text, end)
        yield text[start:end], start
        start = end


class Extractor:
    """Holds the spaCy pipeline and the gazetteer; `extract` is a pure function of the text."""

    def __init__(self, nlp: Language | None = None, reference_dir: str = "",
                 chunk_size: int = CHUNK, ner: bool = False) -> None:
        self.chunk_size = chunk_size
        # the statistical recogniser beside the rules (extract/ner.py): off unless asked for
        self.ner = ner
        # The bulk path reads the records; it does not need Docs re-cut at every name.
        self.nlp = nlp or build_nlp(reference_dir, cut_doc=False)
        # the gazetteer the pipeline's components link with, for the relation rules
        self.gaz = gazetteer.load(Path(reference_dir)) if reference_dir else gazetteer.default()
        # the short names of counties that are ordinary words (富裕, 合作), as the shape rules
        # read them: the judge of short names over the whole document reads the same set
        self.ordinary = self.nlp.get_pipe(SHAPES).ordinary
        # jieba's dictionary, for the judgements over the whole document (resolve)
        self.dictionary = self.nlp.get_pipe(SHAPES).words

    def extract(self, doc_id: str, text: str, path: str = "",
                on_chunk: Callable[[int], object] | None = None,
                on_step: Callable[[str], object] | None = None) -> ExtractedDocument:
        """Everything the document says, in one pass: its metadata, the spaCy pass over the
        body (`entities`), then the tables and recommendations of the whole text, the relations
        between the mentions, and the numeric claims checked against the document's own tables.
        `on_chunk(n)` is told each chunk's length as the spaCy pass goes, `on_step(what)` the
        name of each later step as it starts (for progress output)."""
        step = on_step or _silent
        found = self.entities(doc_id, text, on_chunk)
        # Tables and recommendations are read from the whole original text, as the mentions
        # are: the offsets of all the parts match.
        step("tables")
        tables = tuple(find_tables(text))
        step("recommendations")
        recommendations = tuple(find_recommendations(text))
        step("relations")
        meta = document_meta(text, self.gaz)
        home = home_place(text, meta.title, found.mentions, self.gaz)
        relations = tuple(find_relations(text, found.mentions, found.sentences, self.gaz, home))
        step("numeric claims")
        claims = checked_claims(text, found, tables)
        return ExtractedDocument(
            doc=doc_id, path=path, text=text, meta=meta, mentions=found.mentions,
            sentences=found.sentences, tables=tables, recommendations=recommendations,
            relations=relations, claims=claims)

    def entities(self, doc_id: str, text: str,
                 on_chunk: Callable[[int], object] | None = None) -> Entities:
        """The mentions and sentences of the body. The tokenizer normalises each chunk; its
        offset map leads back to the chunk, and the chunk's start to the original text."""
        mentions: list[Mention] = []
        sentences: list[tuple[int, int]] = []
        body = body_end(text)
        pieces = list(chunks(text[:body], self.chunk_size))
        docs = self.nlp.pipe(piece for piece, _ in pieces)
        for doc, (piece, base) in zip(docs, pieces, strict=True):
            to_chunk = doc._.pkg_offsets.span_to_original
            for s, e in doc._.pkg_sentences.spans():
                cs, ce = to_chunk(s, e)
                sentences.append((base + cs, base + ce))
            for name in doc._.pkg_mentions:
                cs, ce = to_chunk(name.start, name.end)
                o_start, o_end = base + cs, base + ce
                mentions.append(Mention(doc_id, o_start, o_end, text[o_start:o_end], name.cls,
                                        name.ref, name.rule, name.confidence,
                                        members=name.members))
            if on_chunk is not None:
                on_chunk(len(piece))
        if on_chunk is not None and body < len(text):
            on_chunk(len(text) - body)  # the bibliography, not read: done all the same
        if self.ner:
            mentions = with_model_mentions(doc_id, text[:body], mentions, self.gaz)
        mentions = resolve(mentions, text, self.gaz, self.ordinary, self.dictionary, doc_id)
        return Entities(tuple(mentions), tuple(sentences))


def with_model_mentions(doc_id: str, body: str, mentions: list[Mention],
                        gaz: gazetteer.Gazetteer) -> list[Mention]:
    """The rules' mentions and, where none of them is, the NER model's (extract/ner.py); the
    whole-document judgements (`resolve`) then apply to both alike."""
    added = model_mentions(doc_id, body, tag(body), mentions, gaz)
    return sorted([*mentions, *added], key=lambda m: (m.start, m.end))


def checked_claims(text: str, found: Entities, tables: Sequence[Table]
                   ) -> tuple[CheckedClaim, ...]:
    """The numeric claims of the text, each checked against the document's own tables, or
    against the other figures of its sentence (extract/claim_text.py), or against the same
    figure stated earlier (extract/claim_restated.py); with the sums the text states, each
    whole against its parts (extract/claim_sums.py)."""
    claims = find_claims(text, found.mentions, found.sentences)
    checks = check_claims(claims, cells_from_tables(tables))
    # what no table checks, the figures of its own sentence may (part / whole)
    regions = [(m.start, m.ref) for m in found.mentions if m.ref is not None]
    checks = check_in_text(text, claims, checks, regions)
    checks = check_by_year(text, claims, checks)
    checks = check_restated(claims, checks, found.sentences)
    pairs = list(zip(claims, checks, strict=True)) + find_sums(text, claims)
    pairs.sort(key=lambda pair: (pair[0].start, pair[0].end, pair[0].kind))
    return tuple(CheckedClaim(c, check) for c, check in pairs)


def _silent(_: str) -> None:
    """No progress output."""
