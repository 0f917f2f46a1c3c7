"""`kg query`: run a catalogue query, a `.rq` file or inline SPARQL, with parameters.

Results print as an aligned table (Chinese characters count two columns) or in the standard
SPARQL 1.1 result formats: CSV, TSV, JSON. CONSTRUCT and DESCRIBE print Turtle; ASK prints
`true` or `false`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import BNode, Literal, URIRef
from rdflib.query import Result

from kg import iris
from kg.errors import InputError
from kg.export.spreadsheet import csv_text, neutralise
from kg.sparql.catalogue import catalogue
from kg.vocab import ONT_IRI

FORMATS = ("table", "csv", "tsv", "json")
_SPARQL = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True, slots=True)
class QueryText:
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


def parse_param(text: str) -> tuple[str, URIRef | Literal]:
    """`name=value`: an IRI (<…>, http…, pkgid:kind/key, pkg:term, kind/key), a number, a
    `"text"@lang` literal, or text (tagged @zh when it has Chinese characters)."""
    name, sep, value = text.partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise InputError(f"--param {text!r}: expected name=value")
    return name, _term(value.strip())


def _term(value: str) -> URIRef | Literal:
    iri = iris.parse(value)
    if iri is not None:
        return iri
    if value.startswith("pkg:"):
        return URIRef(ONT_IRI + value.removeprefix("pkg:"))
    quoted = re.fullmatch(r'"(.*)"(?:@([A-Za-z-]+))?', value)
    if quoted:
        return Literal(quoted.group(1), lang=quoted.group(2))
    if re.fullmatch(r"-?\d+", value):
        return Literal(int(value))
    try:
        if re.fullmatch(r"-?\d*\.\d+", value):
            return Literal(Decimal(value))
    except InvalidOperation:
        pass
    return Literal(value, lang="zh" if _CJK.search(value) else None)


_VALUES = re.compile(r"VALUES\s+\?([A-Za-z_][A-Za-z0-9_]*)\s*\{\s*([^}]*?)\s*\}")
_DEFAULT = re.compile(r'"([^"]*)"(?:@([A-Za-z-]+))?|<([^>]*)>')


def prepare(text: str, params: dict[str, URIRef | Literal]
            ) -> tuple[str, dict[str, URIRef | Literal]]:
    """The query text and its bindings. A `VALUES ?name { one term }` is a parameter's default:
    a given parameter replaces it, and a default is bound like a parameter too, because rdflib
    joins a VALUES block only after the rest of the pattern has run (docs/queries.md)."""
    bindings = dict(params)

    def default(m: re.Match) -> str:
        name, body = m.group(1), m.group(2)
        if name in params:
            return ""
        term = _default_term(body)
        if term is None:  # several values, or a form we do not read: leave it to SPARQL
            return m.group(0)
        bindings[name] = term
        return ""

    text = _VALUES.sub(default, text)
    return bind_services(text, bindings), bindings


def _default_term(body: str) -> URIRef | Literal | None:
    term = _DEFAULT.fullmatch(body)
    if term is None:
        return None
    literal, lang, iri = term.groups()
    return URIRef(iri) if iri is not None else Literal(literal, lang=lang)


_SERVICE = re.compile(r"\bSERVICE(\s+SILENT)?\s+[?$]([A-Za-z_][A-Za-z0-9_]*)", re.IGNORECASE)


def bind_services(text: str, terms: dict[str, URIRef | Literal]) -> str:
    """`SERVICE ?endpoint` -> `SERVICE <iri>`, from a parameter or its `VALUES` default: engines
    (rdflib, Oxigraph) call only a service named by an IRI in the text. Comments, strings and
    IRIs are left alone."""
    masked = _PROLOGUE.sub(lambda m: " " * len(m.group(0)), text)
    out, pos = [], 0
    for m in _SERVICE.finditer(masked):
        name = m.group(2)
        term = terms.get(name)
        if not isinstance(term, URIRef):
            raise InputError(f"SERVICE ?{name} needs an endpoint: --param {name}=<http://…>")
        out += [text[pos:m.start()], f"SERVICE{m.group(1) or ''} <{term}>"]
        pos = m.end()
    return "".join([*out, text[pos:]])


def prepare_inline(text: str, params: dict[str, URIRef | Literal]) -> str:
    """The query text with its parameters written into it, for engines that take text only
    (Oxigraph substitutes only projected variables; a server takes no bindings at all). Each
    parameter, and each one-term `VALUES ?name {…}` default, is a value for its variable:
    - where the variable is a plain term of the WHERE group (not projected, assigned, used in a
      subquery or after the group), the value is written in its place and the VALUES block
      dropped: engines plan from constants, and Oxigraph and Virtuoso do not narrow their
      search by a VALUES block (evidence-of-triple: 143 ms with a VALUES block, 0.8 ms with the
      IRIs in place; docs/stores-bench.md). This is what rdflib's bindings do (`prepare`);
    - otherwise it stays a VALUES block: the default's own, or one at the start of the group."""
    rest = dict(params)
    defaults = {m.group(1): t for m in _VALUES.finditer(text)
                if (t := _default_term(m.group(2))) is not None}
    text = bind_services(text, {**defaults, **params})
    values: dict[str, URIRef | Literal] = {}

    def take(m: re.Match) -> str:  # a placeholder of the same length keeps the offsets
        name = m.group(1)
        term = rest.pop(name) if name in rest else _default_term(m.group(2))
        if term is None:  # several values: SPARQL's own business
            return m.group(0)
        values[name] = term
        return f"\0{name}\0".ljust(len(m.group(0)))

    text = _VALUES.sub(take, text)
    masked = _PROLOGUE.sub(lambda m: " " * len(m.group(0)), text)
    where = _WHERE.search(masked)
    for name, term in {**values, **rest}.items():
        if where is None:
            break
        end = _group_end(masked, where.end())
        if _substitutable(name, masked[:where.end() - 1], masked[where.end():end],
                          masked[end:]):
            text = (text[:where.end()] + _replace_var(text[where.end():end],
                                                      masked[where.end():end], name, _n3(term))
                    + text[end:])
            text = text.replace(f"\0{name}\0", " " * (len(name) + 2))
            masked = _PROLOGUE.sub(lambda m: " " * len(m.group(0)), text)
            values.pop(name, None)
            rest.pop(name, None)
    for name, term in values.items():
        text = text.replace(f"\0{name}\0", f"VALUES ?{name} {{ {_n3(term)} }}")
    if not rest:
        return text
    if where is None:
        return f"{text}\n{_values_block(rest)}\n"  # a trailing VALUES joins the whole result
    return f"{text[:where.end()]}\n  {_values_block(rest)}\n{text[where.end():]}"


def _group_end(masked: str, start: int) -> int:
    """Where the group opened just before `start` closes (or the end of the text)."""
    depth = 1
    for i in range(start, len(masked)):
        depth += {"{": 1, "}": -1}.get(masked[i], 0)
        if depth == 0:
            return i
    return len(masked)


def _values_block(params: dict[str, URIRef | Literal]) -> str:
    return (f"VALUES ({' '.join(f'?{n}' for n in params)}) "
            f"{{ ({' '.join(_n3(t) for t in params.values())}) }}")


def _var(name: str) -> re.Pattern:
    return re.compile(rf"[?$]{re.escape(name)}\b")


def _substitutable(name: str, head: str, group: str, tail: str) -> bool:
    """Writing a constant in a variable's place keeps the query's meaning only where the
    variable is a plain term of the WHERE group: not projected, assigned (AS, VALUES), used in
    a subquery or in the solution modifiers after the group."""
    var = _var(name)
    if var.search(head) or var.search(tail) or re.search(r"\bSELECT\b", group, re.IGNORECASE):
        return False
    assigned = rf"\bAS\s+[?$]{re.escape(name)}\b|\bVALUES\s*\(?[^{{]*[?$]{re.escape(name)}\b"
    return not re.search(assigned, group, re.IGNORECASE)


def _replace_var(text: str, masked: str, name: str, term: str) -> str:
    out, pos = [], 0
    for m in _var(name).finditer(masked):
        out += [text[pos:m.start()], term]
        pos = m.end()
    return "".join([*out, text[pos:]])


_PROLOGUE = re.compile(r"#[^\n]*|<[^>\s]*>|\"(?:[^\"\\]|\\.)*\"")  # comments, IRIs, strings
_WHERE = re.compile(r"\bWHERE\s*\{|\b(?:SELECT|ASK|DESCRIBE)\b[^{]*?\{", re.IGNORECASE)


def _n3(term: URIRef | Literal) -> str:
    if not isinstance(term, URIRef | Literal):
        raise InputError(f"{term!r}: only IRIs and literals can be parameters")
    return term.n3()


def run(store, query: QueryText, params: dict[str, URIRef | Literal]) -> Result:
    """Run on any store (kg/stores.py): rdflib, Oxigraph or a SPARQL server."""
    return store.query(query.text, params, query.origin)


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
    """SPARQL 1.1 CSV, each cell safe to open in a spreadsheet (kg/spreadsheet.py)."""
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
