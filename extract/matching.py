"""Gazetteer matching: one Aho-Corasick pass over the normalised text finds every known name."""

from __future__ import annotations

from collections.abc import Iterable

import ahocorasick

from .gazetteer import Gazetteer
from .records import Candidate

GAZETTEER_RULE = "gazetteer/v1"
GAZETTEER_PRIORITY = 3  # wins an overlap of equal length: a known name beats a guessed one


def build_automaton(gaz: Gazetteer) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for form, names_of in gaz.surfaces.items():
        refs = tuple(names_of)
        classes = tuple(gaz.entries[r].cls for r in refs)
        automaton.add_word(form, (len(form), refs, classes))
    automaton.make_automaton()
    return automaton


def gazetteer_candidates(text: str, automaton: ahocorasick.Automaton,
                         base: int = 0) -> Iterable[Candidate]:
    """Every occurrence of every known name, overlaps included (resolved later)."""
    if len(automaton) == 0:
        return
    for end_index, (length, refs, classes) in automaton.iter(text):
        end = end_index + 1
        yield Candidate(base + end - length, base + end, refs, classes[0], GAZETTEER_RULE,
                        GAZETTEER_PRIORITY)
