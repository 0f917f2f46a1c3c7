"""The one error extract/ raises on purpose: a data file it reads (the reference tables, the rule
patterns) is broken. kg/cli.py reports it as bad input (exit 2); extract/ may not import kg."""

from __future__ import annotations


class DataError(ValueError):
    """A reference table or pattern file cannot be used; the message names the file and row."""
