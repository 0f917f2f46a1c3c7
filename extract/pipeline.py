"""Text in, records out: the whole extraction of one document."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.language import Language

from .components import build_nlp
from .metadata import document_meta
from .normalize import is_cjk
from .records import ExtractedDocument, Mention
from .sections import body_end

CHUNK = 4000  # characters per spaCy Doc: long enough to amortise the per-Doc cost


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


def chunks(text: str, size: int = CHUNK) -> Iterator[tuple[str, int]]:
    """The ORIGINAL text in pieces of about `size`, cut only where normalisation never joins."""
    start = 0
    n = len(text)
    while start < n:
        end = min(n, start + size)
        if end < n:
            cut = text.rfind("\n", start, end)
            while cut > start and not _safe_cut(text, cut):
                cut = text.rfind("\n", start, cut)
            if cut > start:
                end = cut + 1
            else:  # no safe line break in reach: the chunk grows to the next one (or the end)
                cut = text.find("\n", end)
                while cut != -1 and not _safe_cut(text, cut):
                    cut = text.find("\n", cut + 1)
                end = n if cut == -1 else cut + 1
        yield text[start:end], start
        start = end


class Extractor:
    """Holds the spaCy pipeline; `extract` is a pure function of the text."""

    def __init__(self, nlp: Language | None = None, reference_dir: str = "",
                 chunk_size: int = CHUNK) -> None:
        self.chunk_size = chunk_size
        # The bulk path reads the records; it does not need Docs re-cut at every name.
        self.nlp = nlp or build_nlp(reference_dir, cut_doc=False)

    def extract(self, doc_id: str, text: str, path: str = "") -> ExtractedDocument:
        """The tokenizer normalises each chunk; its offset map leads back to the chunk, and the
        chunk's start to the original text."""
        mentions: list[Mention] = []
        sentences: list[tuple[int, int]] = []
        pieces = list(chunks(text[:body_end(text)], self.chunk_size))
        docs = self.nlp.pipe(piece for piece, _ in pieces)
        for doc, (_, base) in zip(docs, pieces, strict=True):
            to_chunk = doc.user_data["pkg_offsets"].span_to_original
            for s, e in doc.user_data["pkg_sentences"]:
                cs, ce = to_chunk(s, e)
                sentences.append((base + cs, base + ce))
            for s, e, cls, ref, rule, confidence in doc.user_data["pkg_mentions"]:
                cs, ce = to_chunk(s, e)
                o_start, o_end = base + cs, base + ce
                mentions.append(Mention(doc_id, o_start, o_end, text[o_start:o_end], cls, ref,
                                        rule, confidence))
        return ExtractedDocument(doc_id, path, text, document_meta(text), tuple(mentions),
                                 tuple(sentences))
