"""Which part of a text is its body: a bibliography names places in the titles of other works,
which are not what the text says about them, so extraction stops at its heading."""

from __future__ import annotations

import re

_BIBLIOGRAPHY = re.compile(r"^[#*\s]*(?:参\s*考\s*文\s*献|References|REFERENCES|Bibliography)"
                           r"[:：\s*]*$", re.MULTILINE)


def body_end(text: str) -> int:
    """Offset where the bibliography heading starts, or the text's length."""
    # The last heading: a table of contents may list 参考文献 before the body.
    starts = [m.start() for m in _BIBLIOGRAPHY.finditer(text)]
    return starts[-1] if starts else len(text)
