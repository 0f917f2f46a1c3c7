"""Query results for people and programs: an aligned table (Chinese characters count two
columns) or the standard SPARQL 1.1 result formats: CSV, TSV, JSON. CONSTRUCT and DESCRIBE
print Turtle; ASK prints `true` or `false`.
"""

from __future__ import annotations

import json
import unicodedata

from rdflib import BNode, Literal, URIRef
from rdflib.query import Result

from kg import iris
from kg.export.spreadsheet import csv_text, neutralise
from kg.vocab import ONT_IRI

FORMATS = ("table", "csv", "tsv", "json")


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, n: int) -> str:
    return text + " " * (n - width(text))


def _display(term, prefixes: dict[str, str]) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        for prefix, ns in prefixes.items():
            if term.startswith(ns):
                return f"{prefix}:{term[len(ns):]}"
        return f"<{term}>"
    return " ".join(str(term).split())


def as_table(result: Result) -> str:
    prefixes = {"pkg": ONT_IRI, "pkgid": iris.id_base()}
    head = [str(v) for v in result.vars]
    rows = [[_display(t, prefixes) for t in row] for row in result]
    widths = [max([width(h), *(width(r[i]) for r in rows)]) for i, h in enumerate(head)]
    lines = ["  ".join(_pad(h, w) for h, w in zip(head, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip()
              for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _tsv_term(term) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):  # the lexical form is what a spreadsheet would evaluate
        safe = neutralise(str(term))
        if safe != str(term):
            term = Literal(safe, lang=term.language, datatype=term.datatype)
    return term.n3()


def _csv_term(term) -> str | None:
    """SPARQL 1.1 CSV: an IRI or literal as its string, a blank node as _:label."""
    if term is None:
        return None
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def as_csv(result: Result) -> str:
    """SPARQL 1.1 CSV, each cell safe to open in a spreadsheet (kg/export/spreadsheet.py)."""
    return csv_text([str(v) for v in result.vars],
                     [[_csv_term(t) for t in row] for row in result], line_end="\r\n")


def as_tsv(result: Result) -> str:
    """SPARQL 1.1 TSV: `?var` headers, terms in Turtle/N-Triples syntax."""
    lines = ["\t".join(f"?{v}" for v in result.vars)]
    lines += ["\t".join(_tsv_term(t).replace("\t", "\\t").replace("\n", "\\n") for t in row)
              for row in result]
    return "\n".join(lines) + "\n"


def render(result: Result, fmt: str) -> str:
    if result.type == "ASK":
        return ("true" if result.askAnswer else "false") + "\n"
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return result.graph.serialize(format="turtle")
    if fmt == "table":
        return as_table(result)
    if fmt == "tsv":
        return as_tsv(result)
    if fmt == "csv":
        return as_csv(result)
    out = result.serialize(format=fmt, encoding="utf-8")
    text = out.decode("utf-8") if isinstance(out, bytes) else str(out)
    if fmt == "json":  # rdflib escapes non-ASCII; keep Chinese readable
        text = json.dumps(json.loads(text), ensure_ascii=False, indent=1)
    return text if text.endswith("\n") else text + "\n"
