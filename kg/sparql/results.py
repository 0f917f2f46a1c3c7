"""Query results for people and programs: an aligned table (Chinese characters count two
columns) or the standard SPARQL 1.1 result formats: CSV, TSV, JSON. CONSTRUCT and DESCRIBE
print Turtle; ASK prints `true` or `false`.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from kg.bases import ONT_IRI, id_base
from kg.sparql.answer import BNODE, IRI, Answer, Cell, of_result

if TYPE_CHECKING:  # rdflib is loaded where its terms are printed (TSV, JSON, Turtle)
    from rdflib.query import Result

FORMATS = ("table", "csv", "tsv", "json")
ANSWER_FORMATS = ("table", "csv")  # printed from an Answer's cells (kg/sparql/answer.py)


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, n: int) -> str:
    return text + " " * (n - width(text))


def _display(cell: Cell | None, prefixes: dict[str, str]) -> str:
    if cell is None:
        return ""
    if cell.kind == IRI:
        for prefix, ns in prefixes.items():
            if cell.text.startswith(ns):
                return f"{prefix}:{cell.text[len(ns):]}"
        return f"<{cell.text}>"
    return " ".join(cell.text.split())


def as_table(result: Result | Answer) -> str:
    answer = result if isinstance(result, Answer) else of_result(result)
    prefixes = {"pkg": ONT_IRI, "pkgid": id_base()}
    head = answer.vars
    rows = [[_display(c, prefixes) for c in row] for row in answer.rows]
    widths = [max([width(h), *(width(r[i]) for r in rows)]) for i, h in enumerate(head)]
    lines = ["  ".join(_pad(h, w) for h, w in zip(head, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip()
              for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _tsv_term(term) -> str:
    from rdflib import BNode, Literal

    from kg.export.spreadsheet import neutralise

    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):  # the lexical form is what a spreadsheet would evaluate
        safe = neutralise(str(term))
        if safe != str(term):
            term = Literal(safe, lang=term.language, datatype=term.datatype)
    return term.n3()


def _csv_term(cell: Cell | None) -> str | None:
    """SPARQL 1.1 CSV: an IRI or literal as its string, a blank node as _:label."""
    if cell is None:
        return None
    return f"_:{cell.text}" if cell.kind == BNODE else cell.text


def as_csv(result: Result | Answer) -> str:
    """SPARQL 1.1 CSV, each cell safe to open in a spreadsheet (kg/export/spreadsheet.py)."""
    from kg.export.spreadsheet import csv_text  # with the csv module: not for a table

    answer = result if isinstance(result, Answer) else of_result(result)
    return csv_text(answer.vars, [[_csv_term(c) for c in row] for row in answer.rows],
                    line_end="\r\n")


def as_tsv(result: Result) -> str:
    """SPARQL 1.1 TSV: `?var` headers, terms in Turtle/N-Triples syntax."""
    lines = ["\t".join(f"?{v}" for v in result.vars)]
    lines += ["\t".join(_tsv_term(t).replace("\t", "\\t").replace("\n", "\\n") for t in row)
              for row in result]
    return "\n".join(lines) + "\n"


def render_answer(answer: Answer, fmt: str) -> str:
    """An answer in one of ANSWER_FORMATS (table, csv), or an ASK, CONSTRUCT or DESCRIBE."""
    if answer.kind == "ASK":
        return ("true" if answer.ask else "false") + "\n"
    if answer.kind in ("CONSTRUCT", "DESCRIBE"):
        return answer.graph.serialize(format="turtle")
    return as_table(answer) if fmt == "table" else as_csv(answer)


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
        import json

        text = json.dumps(json.loads(text), ensure_ascii=False, indent=1)
    return text if text.endswith("\n") else text + "\n"
