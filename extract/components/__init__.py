"""The spaCy pipeline of policy-kg: its config (`pipeline.cfg`), tokenizer and components,
registered under versioned names.

The tokenizer normalises the text (a Doc's text cannot change later) and keeps the offset map
back to the original in `doc._.pkg_offsets`. Each component does one job on a Doc of normalised
text (one token per chunk) and keeps its results as frozen records in a Doc extension
(`results.py`):

| component | requires | assigns |
|---|---|---|
| `policy_kg_sentences_v1` | text | sentence starts; `pkg_sentences` |
| `policy_kg_gazetteer_v1` | text | `pkg_candidates` (every gazetteer name) |
| `policy_kg_abbreviations_v1` | text | `pkg_runs` (abbreviation runs) |
| `policy_kg_shapes_v1` | `pkg_candidates` | `pkg_shape_candidates` |
| `policy_kg_boundaries_v1` | sentences, candidates, runs | `pkg_chosen`: the names that are words |
| `policy_kg_linker_v1` | `pkg_chosen` | `pkg_mentions`: each name with its entity |
| `policy_kg_entities_v1` | sentences, mentions | a Doc cut at the names; `doc.ents` |

`policy_kg_entities_v1` gives each entity its class as label and its ref as `kb_id`; the bulk
path (`Extractor`) leaves it out and reads `pkg_mentions`.
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.util import load_config, load_model_from_config
from thinc.api import Config

from .factories import NotInitialized
from .results import LinkedName, Sentences
from .tokenizer import ChunkTokenizer

CONFIG = Path(__file__).with_name("pipeline.cfg")
ENTITIES = "policy_kg_entities_v1"

__all__ = ["CONFIG", "ChunkTokenizer", "LinkedName", "NotInitialized", "Sentences", "build_nlp",
           "pipeline_config"]


def pipeline_config(reference_dir: str = "") -> Config:
    """`pipeline.cfg` with the reference tables of `reference_dir` ("" for the shipped ones)."""
    return load_config(CONFIG, overrides={"paths.reference": reference_dir}, interpolate=False)


def build_nlp(reference_dir: str = "", cut_doc: bool = True) -> Language:
    """The pipeline of `pipeline.cfg`, initialised. With `cut_doc`, `nlp(text)` returns a Doc
    cut at the names with the names as `doc.ents`; without it (the bulk path) the Doc is one
    token per chunk and the results are in its extensions only."""
    nlp = load_model_from_config(pipeline_config(reference_dir), auto_fill=True,
                                 exclude=[] if cut_doc else [ENTITIES])
    # spaCy's Chinese defaults add the settings of its own tokenizer (pkuseg); ours has none.
    nlp.config["initialize"]["tokenizer"] = {}
    nlp.initialize()
    return nlp
