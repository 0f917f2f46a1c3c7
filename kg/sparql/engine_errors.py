"""Which exceptions of a SPARQL engine say that the query is wrong, as opposed to a failure.

A store or a view turns the first kind into one line for the user ("not valid SPARQL: …") and
lets anything else go on as it is: a bug, ours or an engine's, must reach kg/cli.py, which logs
its traceback, and not be reported as the user's bad SPARQL.
"""

from __future__ import annotations

from pyparsing import ParseBaseException
from rdflib.plugins.sparql.sparql import SPARQLError

# rdflib raises a bare Exception for an undeclared prefix (rdflib/plugins/sparql/sparql.py,
# Prologue.resolvePName): the one bare Exception of its engine that a query itself causes.
_RDFLIB_UNKNOWN_PREFIX = "Unknown namespace prefix"


def engine_refused(e: BaseException) -> bool:
    """Whether an engine raised `e` because of the query: rdflib's parser (pyparsing) and
    engine (SPARQLError), Oxigraph's parser (SyntaxError), and rdflib's undeclared prefix."""
    if isinstance(e, ParseBaseException | SPARQLError | SyntaxError):
        return True
    return type(e) is Exception and str(e).startswith(_RDFLIB_UNKNOWN_PREFIX)
