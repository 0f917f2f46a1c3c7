"""spaCy pipeline components of policy-kg, registered under versioned names.

The tokenizer normalises the text (a Doc's text cannot change later) and keeps the offset map
back to the original in `doc.user_data["pkg_offsets"]`. Each component does one job on a Doc of
normalised text (one token per chunk, made by
`ChunkTokenizer`) and keeps its results as plain records in `doc.user_data`:

| component | needs | sets |
|---|---|---|
| `policy_kg_sentences_v1` | text | sentence starts; `pkg_sentences` |
| `policy_kg_gazetteer_v1` | text | `pkg_candidates` (every gazetteer name) |
| `policy_kg_abbreviations_v1` | text | `pkg_runs` (abbreviation runs) |
| `policy_kg_shapes_v1` | `pkg_candidates`, `pkg_sentences` | more `pkg_candidates` |
| `policy_kg_boundaries_v1` | candidates, runs, sentences | `pkg_chosen`: names that are words |
| `policy_kg_linker_v1` | `pkg_chosen` | a new Doc cut at the names' edges; `doc.ents` (kb_id =
  entity ref); `pkg_mentions` |
"""

from .factories import ChunkTokenizer, build_nlp, ordinary_county_names

__all__ = ["ChunkTokenizer", "build_nlp", "ordinary_county_names"]
