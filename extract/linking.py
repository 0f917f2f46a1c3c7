"""Choosing among overlapping candidates, and linking each chosen name to one entity."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from .gazetteer import Gazetteer
from .records import Candidate

# When one name could be several entities, the kind that policy texts mean most often wins:
# 海南 the province, not the Qinghai prefecture; 吉林 the province, not the city.
# The confidence of an ambiguous name linked by class preference: the share of one reading, plus
# this for the preference, so that a choice between two readings (0.8) ranks with the likely
# readings of the relation rules (0.8) and below a certain link (1.0).
PREFERENCE_BONUS = 0.3
CLASS_PREFERENCE = ("Province", "MacroRegion", "Country", "CityCluster", "StrategicRegion",
                    "City", "WorldRegion")


def resolve_overlaps(candidates: Iterable[Candidate],
                     keep: Callable[[Candidate], bool] | None = None) -> list[Candidate]:
    """Longest first, then higher priority, then leftmost: a greedy, deterministic choice.

    `keep` is asked only about a candidate that would be chosen; one it refuses leaves its
    characters free for the shorter candidates after it (广东 refused, 东部地区 chosen)."""
    ordered = sorted(candidates, key=lambda c: (c.start - c.end, -c.priority, c.start))
    if not ordered:
        return []
    taken = bytearray(max(c.end for c in ordered))
    chosen: list[Candidate] = []
    for c in ordered:
        if any(taken[c.start:c.end]) or (keep is not None and not keep(c)):
            continue
        chosen.append(c)
        taken[c.start:c.end] = b"\x01" * (c.end - c.start)
    chosen.sort(key=lambda c: c.start)
    return chosen


def choose_ref(refs: Sequence[str], gaz: Gazetteer) -> tuple[str, float]:
    """One entity for an ambiguous name, with a confidence that says it was a choice."""
    if len(refs) == 1:
        return refs[0], 1.0

    def rank(ref: str) -> int:
        cls = gaz.entries[ref].cls
        return CLASS_PREFERENCE.index(cls) if cls in CLASS_PREFERENCE else len(CLASS_PREFERENCE)

    best = min(refs, key=lambda r: (rank(r), r))
    return best, round(1.0 / len(refs) + PREFERENCE_BONUS, 2)
