"""What the tokenizer and the components leave on a Doc: registered extensions (`doc._.…`), each
holding a tuple of frozen records in the Doc's (normalised) offsets.

- `pkg_text` (the tokenizer): the Doc's text, read once: `doc.text` decodes it anew on every
  access (≈25 µs for a chunk of 4,000 characters, six times per chunk);
- `pkg_offsets` (the tokenizer): the `OffsetMap` from the Doc's offsets to the original chunk;
- `pkg_sentences` (`policy_kg_sentences_v1`): `Sentences`;
- `pkg_candidates` (`policy_kg_gazetteer_v1`): `Candidate`s, every gazetteer name, overlaps
  included;
- `pkg_runs` (`policy_kg_abbreviations_v1`): `Run`s of one-character abbreviations;
- `pkg_shape_candidates` (`policy_kg_shapes_v1`): `Candidate`s the gazetteer lacks (shape
  names, the items of a list that share a suffix);
- `pkg_chosen` (`policy_kg_boundaries_v1`): the `Candidate`s that are words, without overlaps,
  in text order;
- `pkg_mentions` (`policy_kg_linker_v1`): `LinkedName`s.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from spacy.tokens import Doc

TEXT = "pkg_text"
OFFSETS = "pkg_offsets"
SENTENCES = "pkg_sentences"
CANDIDATES = "pkg_candidates"
RUNS = "pkg_runs"
SHAPE_CANDIDATES = "pkg_shape_candidates"
CHOSEN = "pkg_chosen"
MENTIONS = "pkg_mentions"

EXTENSIONS = (TEXT, OFFSETS, SENTENCES, CANDIDATES, RUNS, SHAPE_CANDIDATES, CHOSEN, MENTIONS)


@dataclass(frozen=True, slots=True)
class Sentences:
    """Sentence i is `text[starts[i]:ends[i]]`, in text order. One record per Doc rather than one
    per sentence: a Doc of 4,000 characters has about a hundred."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def spans(self) -> Iterator[tuple[int, int]]:
        return zip(self.starts, self.ends, strict=True)

    def around(self, pos: int, text_length: int) -> tuple[int, int]:
        """The span of the last sentence starting at or before `pos`; the whole text when no
        sentence does."""
        i = bisect_right(self.starts, pos) - 1
        return (self.starts[i], self.ends[i]) if i >= 0 else (0, text_length)


class LinkedName(NamedTuple):
    """A chosen name with the entity it names: `ref` is `kind/key`, None when unlinked (a shape
    name the gazetteer lacks; `cls` is then the shape's class).

    Immutable like the frozen dataclasses, and read by field name, but a NamedTuple: one is made
    per name, and a frozen dataclass takes three times as long to make (≈1.3 µs more per name,
    2 % of the whole extraction)."""

    start: int
    end: int
    cls: str
    ref: str | None
    rule: str
    confidence: float


def register_extensions() -> None:
    """Each result is absent (None) until its component has run."""
    for name in EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


def doc_attr(name: str) -> str:
    """The attribute as `assigns` and `requires` name it."""
    return f"doc._.{name}"
