"""The query catalogue: SPARQL files shipped in `queries/` (answers and checks), and what `kg
query` is given: a catalogue name, a `.rq` file or inline SPARQL."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import kgdata
from kg.errors import InputError

if TYPE_CHECKING:  # rdflib is loaded by the stores that need it (kg/sparql/answer.py)
    from rdflib import Literal, URIRef
    from rdflib.query import Result

    from kg.sparql.answer import Answer

KINDS = ("answers", "checks")
_SPARQL = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def catalogue() -> dict[str, Path]:
    """`answers/<name>` and `checks/<name>` (without `.rq`) -> the file."""
    root = kgdata.queries_dir()
    return {f"{kind}/{p.stem}": p for kind in KINDS
            for p in sorted((root / kind).glob("*.rq"))}


def header(path: Path) -> list[str]:
    """The comment lines that open a query file: its question in zh and en, its parameters."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("# ").rstrip())
    return lines


class QueryText(NamedTuple):  # not a dataclass: see kg/sparql/answer.py
    text: str
    origin: str  # the file, the catalogue name, or "inline"


def resolve(query: str) -> QueryText:
    """QUERY is a `.rq` file, a catalogue name (`answers/x`, `checks/x` or just `x`), or SPARQL."""
    path = Path(query)
    if query.endswith(".rq"):
        if not path.is_file():
            raise InputError(f"{query}: no such query file")
        return QueryText(path.read_text(encoding="utf-8"), str(path))
    names = catalogue()
    for name in (query, f"answers/{query}", f"checks/{query}"):
        if name in names:
            return QueryText(names[name].read_text(encoding="utf-8"), name)
    if _SPARQL.search(query):
        return QueryText(query, "inline")
    raise InputError(f"{query!r}: not a .rq file, a catalogue name or SPARQL "
                     f"(catalogue: {', '.join(sorted(names))})")


def run(store, query: QueryText, params: dict[str, URIRef | Literal]) -> Result:
    """Run on any store (kg/store/): rdflib, Oxigraph or a SPARQL server."""
    return store.query(query.text, params, query.origin)


def answer(store, query: QueryText, params: dict[str, URIRef | Literal]) -> Answer:
    """`run`'s answer as a table or CSV prints it (kg/sparql/answer.py)."""
    return store.answer(query.text, params, query.origin)
