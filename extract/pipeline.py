"""Text in, records out: the whole extraction of one document."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.language import Language

from .components import build_nlp
from .metadata import document_meta
from .normalize import normalise
from .records import ExtractedDocument, Mention
from .sections import body_end

CHUNK = 4000  # characters per spaCy Doc: long enough to amortise the per-Doc cost


def chunks(text: str, size: int = CHUNK) -> Iterator[tuple[str, int]]:
    """Split at line breaks (no name or sentence crosses one) into pieces of about `size`."""
    start = 0
    n = len(text)
    while start < n:
        end = min(n, start + size)
        if end < n:
            cut = text.rfind("\n", start, end)
            end = cut + 1 if cut > start else end
        yield text[start:end], start
        start = end


class Extractor:
    """Holds the spaCy pipeline; `extract` is a pure function of the text."""

    def __init__(self, nlp: Language | None = None, reference_dir: str = "") -> None:
        # The bulk path reads the records; it does not need Docs re-cut at every name.
        self.nlp = nlp or build_nlp(reference_dir, cut_doc=False)

    def extract(self, doc_id: str, text: str, path: str = "") -> ExtractedDocument:
        norm = normalise(text)
        to_original = norm.offsets.span_to_original
        mentions: list[Mention] = []
        sentences: list[tuple[int, int]] = []
        pieces = list(chunks(norm.text[:body_end(norm.text)]))
        docs = self.nlp.pipe(piece for piece, _ in pieces)
        for doc, (_, base) in zip(docs, pieces, strict=True):
            for s, e in doc.user_data["pkg_sentences"]:
                sentences.append(to_original(base + s, base + e))
            for s, e, cls, ref, rule, confidence in doc.user_data["pkg_mentions"]:
                o_start, o_end = to_original(base + s, base + e)
                mentions.append(Mention(doc_id, o_start, o_end, text[o_start:o_end], cls, ref,
                                        rule, confidence))
        return ExtractedDocument(doc_id, path, text, document_meta(text), tuple(mentions),
                                 tuple(sentences))
