"""Reading a built graph back (the in-process store)."""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Dataset

from kg.errors import InputError
from kg.ontology import CONTEXT_IRI, local_context

NO_FILE = "no such graph file (`kg build --trig` or `kg export graph --out FILE` writes one)"
FORMATS = {".trig": "trig", ".nq": "nquads", ".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld"}


def load_dataset(path: Path) -> Dataset:
    if not path.is_file():
        raise InputError(f"{path}: {NO_FILE}")
    fmt = FORMATS.get(path.suffix)
    if fmt is None:
        raise InputError(f"{path}: unknown graph format (expected one of {', '.join(FORMATS)})")
    ds = Dataset()
    try:
        if fmt == "json-ld":  # a `kg export graph` JSON-LD names its context by an IRI: not fetched
            ds = parse_jsonld(path.read_text(encoding="utf-8"))
        else:
            ds.parse(path, format=fmt)
    except Exception as e:  # rdflib raises many parser-specific types
        raise InputError(f"{path}: cannot parse as {fmt}: {str(e).splitlines()[0]}") from None
    return ds


def parse_jsonld(text: str) -> Dataset:
    """Read an export back with the local context in place of its IRI (which is not fetched)."""
    doc = json.loads(text)
    if doc.get("@context") == CONTEXT_IRI:
        doc["@context"] = local_context()
    ds = Dataset()
    ds.parse(data=json.dumps(doc, ensure_ascii=False), format="json-ld")
    return ds
