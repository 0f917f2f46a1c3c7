"""SPARQL text as tokens: the terminals of the SPARQL 1.1 grammar (section 19.8), so that a
query can be changed in one place without touching anything else.

Parameters and the SERVICE relay (kg/sparql/params.py, kg/store/relay.py) put a term where a
variable or an IRI stands. Done on tokens, a `VALUES ?x {` or `SERVICE <…>` inside a comment or
a string (short, long, single- or double-quoted) is never taken for one, and the text comes back
unchanged everywhere else: `join(tokenize(text)) == text` for any text. Why a lexer and not a
parser's text writer: docs/queries.md ("How parameters reach the text").

Anything the grammar has no terminal for is a one-character OTHER token: tokenizing never fails;
the engine that runs the text reports what is wrong with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache
from typing import NamedTuple

WS, COMMENT, IRI, PNAME, BNODE, VAR, STRING, LANGTAG, NUMBER, WORD, PUNCT, OTHER = (
    "ws", "comment", "iri", "pname", "bnode", "var", "string", "langtag", "number", "word",
    "punct", "other")

# The grammar's character classes (PN_CHARS_BASE, PN_CHARS_U, PN_CHARS), as regex classes.
_BASE = ("A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
         "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff")
_U = _BASE + "_"
_CHARS = _U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PREFIX = rf"[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?"
_LOCAL = rf"(?:[{_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"
_VARNAME = rf"[{_U}0-9][{_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*"
_ECHAR = r"\\."  # the grammar allows \t \b \n \r \f \\ \" \'; the engine judges the rest

_TERMINALS = [  # in the order they are tried: a long string before a short one, an IRI before <
    (WS, r"[ \t\r\n]+"),
    (COMMENT, r"#[^\r\n]*"),
    (STRING, rf"'''(?:(?:'|'')?(?:[^'\\]|{_ECHAR}))*'''"),
    (STRING, rf'"""(?:(?:"|"")?(?:[^"\\]|{_ECHAR}))*"""'),
    (STRING, rf"'(?:[^'\\\n\r]|{_ECHAR})*'"),
    (STRING, rf'"(?:[^"\\\n\r]|{_ECHAR})*"'),
    (IRI, r'<[^<>"{}|^`\\\x00-\x20]*>'),
    (VAR, rf"[?$]{_VARNAME}"),
    (BNODE, rf"_:[{_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?"),
    (PNAME, rf"(?:{_PREFIX})?:(?:{_LOCAL})?"),
    (LANGTAG, r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*"),
    (NUMBER, r"[0-9]+\.[0-9]*[eE][+-]?[0-9]+|[0-9]*\.[0-9]+(?:[eE][+-]?[0-9]+)?"
             r"|[0-9]+(?:[eE][+-]?[0-9]+)?"),
    (WORD, r"[A-Za-z_][A-Za-z0-9_]*"),  # keywords, function names, `a`, true/false
    (PUNCT, r"\^\^|\|\||&&|!=|<=|>=|[{}()\[\].,;*+\-/!=<>^|?]"),
    (OTHER, r"."),
]
_KINDS = {f"t{i}": kind for i, (kind, _) in enumerate(_TERMINALS)}


class Token(NamedTuple):  # a NamedTuple: a query has hundreds, made in a tight loop
    kind: str
    text: str

    def is_word(self, *words: str) -> bool:
        """A keyword (SPARQL keywords are case-insensitive) among `words` (upper case)."""
        return self.kind == WORD and self.text.upper() in words

    def is_punct(self, text: str) -> bool:
        return self.kind == PUNCT and self.text == text

    @property
    def var(self) -> str | None:
        """The variable's name without ? or $ (they are the same variable), or None."""
        return self.text[1:] if self.kind == VAR else None


def tokenize(text: str) -> list[Token]:
    kinds = _KINDS
    return [Token(kinds[m.lastgroup], m.group())  # type: ignore[index]
            for m in _lexer().finditer(text)]


@cache
def _lexer() -> re.Pattern[str]:
    """Compiled on first use: its Unicode classes take 30 ms to compile, which a command whose
    query has nothing to substitute need not pay (kg/sparql/params.py, `prepare_inline`)."""
    return re.compile("|".join(f"(?P<t{i}>{pattern})" for i, (_, pattern) in enumerate(_TERMINALS)),
                      re.DOTALL)


def join(tokens: Iterable[Token]) -> str:
    return "".join(t.text for t in tokens)


def code(tokens: Sequence[Token]) -> list[int]:
    """The positions of the tokens that count: not white space, not comments."""
    return [i for i, (kind, _) in enumerate(tokens) if kind != WS and kind != COMMENT]


def closing(tokens: Sequence[Token], positions: Sequence[int], at: int) -> int:
    """Where the bracket at `positions[at]` closes, as an index into `positions` (the last one
    if it never closes)."""
    opening = tokens[positions[at]].text
    close = {"{": "}", "(": ")", "[": "]"}[opening]
    depth = 0
    for k in range(at, len(positions)):
        token = tokens[positions[k]]
        if token.kind == PUNCT:
            depth += (token.text == opening) - (token.text == close)
            if depth == 0:
                return k
    return len(positions) - 1


def has_keyword(text: str, word: str) -> bool:
    """Whether `word` is a keyword of the text (not inside a comment, string or IRI)."""
    return word.upper() in text.upper() and any(t.is_word(word.upper()) for t in tokenize(text))
