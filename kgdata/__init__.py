"""Where the project's data lives: the one place that resolves data paths.

In a wheel the data folders are installed inside this package (see pyproject's force-include);
in a source checkout or an editable install they sit at the repository root, beside it.
"""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    inside = _HERE / name
    if inside.is_dir():
        return inside
    beside = _HERE.parent / name
    if beside.is_dir():
        return beside
    raise FileNotFoundError(f"policy-kg data folder {name!r} is missing from the installation")


def ontology_dir() -> Path:
    return _data_dir("ontology")


def reference_dir() -> Path:
    return ontology_dir() / "reference"


def shapes_dir() -> Path:
    return ontology_dir() / "shapes"


def queries_dir() -> Path:
    return _data_dir("queries")


def packaged_corpus_dir() -> Path:
    return _data_dir("corpus")
