"""Query parameters: `--param name=value` read into RDF terms, and put into a query: as
bindings for rdflib (`prepare`), written into the text for the stores that take text only
(`prepare_inline`: Oxigraph substitutes projected variables only; a server takes text).

Both work on the query's tokens (kg/sparql/tokens.py): a `VALUES ?x {` or `SERVICE ?x` in a
comment or a string is text, never a block or a call, and the rest of the query is passed on
exactly as written."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from kg.bases import ONT_IRI
from kg.errors import InputError
from kg.sparql.tokens import (
    IRI,
    LANGTAG,
    PUNCT,
    STRING,
    Token,
    closing,
    code,
    has_keyword,
    join,
    tokenize,
)

if TYPE_CHECKING:  # rdflib is loaded where a term is made: a query without one needs none
    from rdflib import Literal, URIRef

    Term = URIRef | Literal

_CJK = r"[\u3400-\u9fff\uf900-\ufaff]"  # compiled by re when first used: 15 ms at import


def parse_param(text: str) -> tuple[str, URIRef | Literal]:
    """`name=value`: an IRI (<…>, http…, pkgid:kind/key, pkg:term, kind/key), a number, a
    `"text"@lang` literal, or text (tagged @zh when it has Chinese characters)."""
    name, sep, value = text.partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise InputError(f"--param {text!r}: expected name=value")
    return name, _term(value.strip())


def _term(value: str) -> URIRef | Literal:
    from rdflib import Literal, URIRef

    from kg import iris

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
    if re.fullmatch(r"-?\d*\.\d+", value):
        from decimal import Decimal, InvalidOperation  # imported by a parameter only

        try:
            return Literal(Decimal(value))
        except InvalidOperation:
            pass
    return Literal(value, lang="zh" if re.search(_CJK, value) else None)



class ValuesBlock(NamedTuple):  # not a dataclass: see kg/sparql/answer.py
    """A `VALUES ?name { … }` block of one variable: a parameter's default when it holds one
    term that `default` reads (an IRI, or a string with or without a language tag)."""

    name: str
    first: int  # the token index of VALUES
    last: int  # the token index of its closing brace
    default: Term | None


def prepare(text: str, params: dict[str, Term]) -> tuple[str, dict[str, Term]]:
    """The query text and its bindings. A `VALUES ?name { one term }` is a parameter's default:
    a given parameter replaces it, and a default is bound like a parameter too, because rdflib
    joins a VALUES block only after the rest of the pattern has run (docs/queries.md)."""
    tokens = tokenize(text)
    positions = code(tokens)
    bindings = dict(params)
    dropped: list[ValuesBlock] = []
    for block in values_blocks(tokens, positions):
        if block.name in params:
            dropped.append(block)
        elif block.default is not None:
            bindings[block.name] = block.default
            dropped.append(block)
        # several values, or a form we do not read: SPARQL's own business
    tokens = _bind_services(tokens, bindings, positions)  # before the blocks go: one for one
    return join(_replace_blocks(tokens, {b: [] for b in dropped})), bindings


def bind_services(text: str, terms: dict[str, Term]) -> str:
    """`SERVICE ?endpoint` -> `SERVICE <iri>`, from a parameter or its `VALUES` default: engines
    (rdflib, Oxigraph) call only a service named by an IRI in the text."""
    return join(_bind_services(tokenize(text), terms))


def _bind_services(tokens: list[Token], terms: dict[str, Term],
                   positions: list[int] | None = None) -> list[Token]:
    out = list(tokens)
    for at in service_targets(tokens, positions):
        name = tokens[at].var
        if name is None:
            continue
        term = terms.get(name)
        if not _is_iri(term):
            raise InputError(f"SERVICE ?{name} needs an endpoint: --param {name}=<http://…>")
        out[at] = Token(IRI, f"<{term}>")
    return out


def service_targets(tokens: list[Token], positions: list[int] | None = None) -> list[int]:
    """The token index of what each `SERVICE [SILENT]` names: an IRI, a prefixed name or a
    variable. `positions`: `code(tokens)`, if the caller has it."""
    positions = code(tokens) if positions is None else positions
    targets = []
    for k, i in enumerate(positions):
        if tokens[i].is_word("SERVICE"):
            k += 1
            if k < len(positions) and tokens[positions[k]].is_word("SILENT"):
                k += 1
            if k < len(positions):
                targets.append(positions[k])
    return targets


def has_substitutions(text: str) -> bool:
    """Whether the text may hold a VALUES default or a SERVICE to bind: the words anywhere,
    comments and strings included (the tokens tell which count)."""
    upper = text.upper()
    return "VALUES" in upper or "SERVICE" in upper


def uses_service(text: str) -> bool:
    """Whether the query calls a SERVICE (the word in a comment or a string does not count)."""
    return has_keyword(text, "SERVICE")


def values_blocks(tokens: list[Token], positions: list[int] | None = None) -> list[ValuesBlock]:
    """Every `VALUES ?name { … }` of one variable, wherever it stands."""
    positions = code(tokens) if positions is None else positions
    blocks = []
    for k, i in enumerate(positions[:-2]):
        name, brace = tokens[positions[k + 1]].var, tokens[positions[k + 2]]
        if tokens[i].is_word("VALUES") and name is not None and brace.is_punct("{"):
            end = closing(tokens, positions, k + 2)
            body = [tokens[j] for j in positions[k + 3:end]]
            blocks.append(ValuesBlock(name, i, positions[end], _default_term(body)))
    return blocks


def _default_term(body: list[Token]) -> Term | None:
    from rdflib import Literal, URIRef

    if len(body) == 1 and body[0].kind == IRI:
        return URIRef(body[0].text[1:-1])
    if body and body[0].kind == STRING and (
            len(body) == 1 or (len(body) == 2 and body[1].kind == LANGTAG)):
        return Literal(string_value(body[0].text),
                       lang=body[1].text[1:] if len(body) == 2 else None)
    return None


_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'",
            "\\": "\\"}
_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.DOTALL)


def string_value(token: str) -> str:
    """The value of a STRING token (any of the four quotings), its escapes read."""
    quote = 3 if token[:3] in ("'''", '"""') else 1
    return _ESCAPE.sub(_unescape, token[quote:-quote])


def _unescape(m: re.Match[str]) -> str:
    escaped = m.group(1)
    if escaped[0] in "uU" and len(escaped) > 1:
        return chr(int(escaped[1:], 16))
    return _ESCAPES.get(escaped, m.group(0))


def prepare_inline(text: str, params: dict[str, Term]) -> str:
    """The query text with its parameters written into it, for engines that take text only
    (Oxigraph substitutes only projected variables; a server takes no bindings at all). Each
    parameter, and each one-term `VALUES ?name {…}` default, is a value for its variable:
    - where the variable is a plain term of the WHERE group (not projected, assigned, used in a
      subquery, in BOUND or after the group), the value is written in its place and the VALUES
      block dropped: engines plan from constants, and Oxigraph and Virtuoso do not narrow their
      search by a VALUES block (evidence-of-triple: 143 ms with a VALUES block, 0.8 ms with the
      IRIs in place; docs/stores-bench.md). This is what rdflib's bindings do (`prepare`);
    - otherwise it stays a VALUES block: the default's own, or one at the start of the group.
    A text without parameters, VALUES or SERVICE is given back as it is, untokenized."""
    if not params and not has_substitutions(text):
        return text
    tokens = tokenize(text)
    positions = code(tokens)  # the same after the services are bound: one token for one
    blocks = values_blocks(tokens, positions)
    defaults = {b.name: b.default for b in blocks if b.default is not None}
    tokens = _bind_services(tokens, {**defaults, **params}, positions)
    rest = dict(params)
    valued: dict[ValuesBlock, Term] = {}  # the blocks that hold one value, and that value
    for block in blocks:
        term = rest.pop(block.name) if block.name in rest else block.default
        if term is not None:  # else several values: SPARQL's own business
            valued[block] = term
    group = where_group(tokens, positions)
    in_blocks = {i for b in valued for i in range(b.first, b.last + 1)}
    outside_blocks = [i for i in positions if i not in in_blocks]
    written: dict[str, Term] = {}
    for name, term in {**{b.name: t for b, t in valued.items()}, **rest}.items():
        if group is not None and _substitutable(tokens, outside_blocks, group, name):
            written[name] = term
    tokens = [Token(t.kind, _n3(written[t.var])) if t.var in written and _inside(i, group)
              and i not in in_blocks else t for i, t in enumerate(tokens)]
    tokens = _replace_blocks(tokens, {
        b: [] if b.name in written else [Token(PUNCT, f"VALUES ?{b.name} {{ {_n3(t)} }}")]
        for b, t in valued.items()})
    rest = {n: t for n, t in rest.items() if n not in written}
    if not rest:
        return join(tokens)
    block = _values_block(rest)
    group = where_group(tokens)
    if group is None:
        return f"{join(tokens)}\n{block}\n"  # a trailing VALUES joins the whole result
    opening = group[0] + 1
    return f"{join(tokens[:opening])}\n  {block}\n{join(tokens[opening:])}"


def where_group(tokens: list[Token], positions: list[int] | None = None
                ) -> tuple[int, int] | None:
    """The token indexes of the braces of the query's WHERE group (the keyword WHERE is
    optional after SELECT, ASK and DESCRIBE; a CONSTRUCT template comes before it)."""
    positions = code(tokens) if positions is None else positions
    for k, i in enumerate(positions):
        token = tokens[i]
        if token.is_word("WHERE") and k + 1 < len(positions) and \
                tokens[positions[k + 1]].is_punct("{"):
            start = k + 1
        elif token.is_word("SELECT", "ASK", "DESCRIBE"):
            start = next((j for j in range(k, len(positions))
                          if tokens[positions[j]].is_punct("{")), None)
            if start is None:
                return None
        else:
            continue
        return positions[start], positions[closing(tokens, positions, start)]
    return None


def _substitutable(tokens: list[Token], positions: list[int], group: tuple[int, int],
                   name: str) -> bool:
    """Writing a constant in a variable's place keeps the query's meaning only where the
    variable is a plain term of the WHERE group: not projected (by name or by SELECT *),
    assigned (AS, VALUES other than its own one-term block), in BOUND (which takes a variable
    only), used in a subquery or in the solution modifiers after the group. `positions`: the
    tokens that count, less the one-term VALUES blocks that hold the parameters."""
    for k, i in enumerate(positions):
        token = tokens[i]
        before = tokens[positions[k - 1]] if k else None
        if token.var == name and not _inside(i, group):
            return False  # projected, in a CONSTRUCT template, or used after the group
        if token.is_punct("*") and before is not None and before.is_word(
                "SELECT", "DISTINCT", "REDUCED", "DESCRIBE") and i < group[0]:
            return False  # SELECT *: every variable is projected
        if not _inside(i, group):
            continue
        if token.is_word("SELECT"):
            return False  # a subquery: its scope is its own
        if token.var == name and before is not None and (
                before.is_word("AS") or (before.is_punct("(") and k > 1
                                         and tokens[positions[k - 2]].is_word("BOUND"))):
            return False
        if token.is_word("VALUES") and name in _values_vars(tokens, positions, k):
            return False
    return True


def _values_vars(tokens: list[Token], positions: list[int], at: int) -> set[str]:
    """The variables a VALUES keyword at `positions[at]` assigns: `?x` or `(?x ?y …)`."""
    names = set()
    for i in positions[at + 1:]:
        token = tokens[i]
        if token.var is not None:
            names.add(token.var)
        elif not token.is_punct("(") or names:
            break
    return names


def _inside(i: int, group: tuple[int, int] | None) -> bool:
    return group is not None and group[0] < i < group[1]


def _replace_blocks(tokens: list[Token], replacements: dict[ValuesBlock, list[Token]]
                    ) -> list[Token]:
    """The tokens with each block replaced (none overlap: a VALUES block holds no other)."""
    out: list[Token] = []
    pos = 0
    for block in sorted(replacements, key=lambda b: b.first):
        out += tokens[pos:block.first] + replacements[block]
        pos = block.last + 1
    return out + tokens[pos:]


def _values_block(params: dict[str, Term]) -> str:
    return (f"VALUES ({' '.join(f'?{n}' for n in params)}) "
            f"{{ ({' '.join(_n3(t) for t in params.values())}) }}")


def _is_iri(term: object) -> bool:
    from rdflib import URIRef

    return isinstance(term, URIRef)


def _n3(term: Term) -> str:
    from rdflib import Literal, URIRef

    if not isinstance(term, URIRef | Literal):
        raise InputError(f"{term!r}: only IRIs and literals can be parameters")
    return term.n3()
