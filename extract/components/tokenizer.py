"""The tokenizer of the pipeline: it normalises the text and makes the whole chunk one token."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

from ..normalize import normalise
from .results import OFFSETS, ORIGINAL, TEXT, register_extensions

TOKENIZER = "policy_kg_chunk_tokenizer_v1"


class ChunkTokenizer:
    """The whole chunk as one token: the components work on the text and keep plain records.

    `policy_kg_entities_v1` returns a Doc cut where the linked names and the sentences begin and
    end, with the names as `doc.ents`. A token per character from the start would cost more than
    all the matching together; the bulk path (`Extractor`) leaves that component out and reads
    the records.
    """

    # Tokens of running text are unique strings: in the language's vocab each would become a
    # lexeme with computed attributes (≈65 µs each) kept for ever. A bare Vocab makes them cheap,
    # and a new one for each Doc (15 µs) keeps none past its Doc: one shared by the Docs kept
    # every chunk's text (12 KB a chunk, 57 MB over 1,000 reports; docs/scale.md, "Memory").

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        register_extensions()

    @staticmethod
    def vocab_for_new_doc() -> Vocab:
        return Vocab()

    def __call__(self, original: str) -> Doc:
        """Normalisation happens here: a Doc's text cannot change after the tokenizer. The Doc
        holds the normalised text (also in `doc._.pkg_text`); `doc._.pkg_offsets` maps its offsets
        back to `original`."""
        norm = normalise(original)
        doc = doc_cut_at(self.vocab_for_new_doc(), norm.text, {0, len(norm.text)})
        doc._.set(TEXT, norm.text)
        doc._.set(OFFSETS, norm.offsets)
        doc._.set(ORIGINAL, original)
        return doc


@registry.tokenizers(TOKENIZER)
def create_chunk_tokenizer() -> Callable[[Language], ChunkTokenizer]:
    def make(nlp: Language) -> ChunkTokenizer:
        return ChunkTokenizer(nlp.vocab)

    return make


def doc_cut_at(vocab: Vocab, text: str, cuts: Iterable[int]) -> Doc:
    """A Doc of `text` with a token boundary at each cut (cuts outside the text are ignored)."""
    edges = sorted({c for c in cuts if 0 <= c <= len(text)})
    words = [text[a:b] for a, b in itertools.pairwise(edges) if b > a]
    return Doc(vocab, words=words, spaces=[False] * len(words))


def mark_sentences(doc: Doc, sentence_starts: Iterable[int]) -> None:
    """Token.is_sent_start for the tokens that begin at a sentence start; the others are not."""
    if not len(doc):
        return
    index = {t.idx: t.i for t in doc}
    # One array write: setting Token.is_sent_start one by one rescans the Doc each time.
    flags = numpy.full((len(doc), 1), -1, dtype="int64")
    flags[0, 0] = 1
    for s in sentence_starts:
        if s in index:
            flags[index[s], 0] = 1
    doc.from_array([SENT_START], flags.astype("uint64"))
