"""Query parameters: `--param name=value` read into RDF terms, and put into a query for the
stores that take text only (Oxigraph substitutes projected variables only; a server takes
text)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from rdflib import Literal, URIRef

from kg import iris
from kg.errors import InputError
from kg.vocab import ONT_IRI

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


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
