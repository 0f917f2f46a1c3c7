"""How deeply a SPARQL text nests, read from its brackets before any parser sees it.

rdflib's parser (pyparsing) and its algebra recurse once or more per nested `{ }`, `( )` or
`[ ]` and per group in a chain, so a text of 10,000 `{` or 10,000 `OPTIONAL { … }` only ends in
a RecursionError, after seconds of work. This scan is linear, stops at the first limit passed,
and skips brackets inside strings, IRIs and comments, so `"{{{"` or `<urn:x(>` count nothing.
The limits and why they are these numbers: docs/serve.md ("Query shape").
"""

from __future__ import annotations

import re

MAX_DEPTH = 64  # levels of { } ( ) [ ] inside each other
MAX_GROUPS = 1_000  # `{` in one text: each group joins the algebra one level deeper

# What may hold brackets that are not brackets: strings, IRIs, comments. Long strings first:
# '''…''' must not be read as '' followed by a '. A string left open runs to the end of its line
# (short) or of the text (long) instead of failing: a failed match would be tried again from
# the next quote, and "\"\"\… would cost quadratic time. (The parser refuses an open string
# anyway; this scan only needs to stay linear.)
_HIDDEN = re.compile(r"""
      '''(?:[^'\\]++|\\.|'(?!''))*+(?:'''|\\?\Z)
    | \"\"\"(?:[^"\\]++|\\.|"(?!""))*+(?:\"\"\"|\\?\Z)
    | '(?:[^'\\\n\r]++|\\[^\n\r])*+(?:'|\\?(?=[\n\r]|\Z))
    | "(?:[^"\\\n\r]++|\\[^\n\r])*+(?:"|\\?(?=[\n\r]|\Z))
    | <[^<>"{}|^`\\\x00-\x20]*+>
    | \#[^\n\r]*
""", re.VERBOSE | re.DOTALL)
_NOT_BRACKET = re.compile(r"[^{}()\[\]]+")
_OPENING = frozenset("{([")


def shape_problem(text: str, max_depth: int = MAX_DEPTH,
                  max_groups: int = MAX_GROUPS) -> str | None:
    """Why the text is refused (the first limit it passes), or None. Unbalanced brackets are
    the parser's business: this only measures."""
    brackets = _NOT_BRACKET.sub("", _HIDDEN.sub(" ", text))  # both passes run in C
    depth = 0
    for bracket in brackets:
        if bracket in _OPENING:
            depth += 1
            if depth > max_depth:
                return f"the query nests more than {max_depth} levels of {{ }}, ( ) or [ ]"
        elif depth:
            depth -= 1
    if brackets.count("{") > max_groups:
        return f"the query has more than {max_groups} groups {{ … }}; split it"
    return None
