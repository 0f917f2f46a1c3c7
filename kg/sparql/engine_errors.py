"""Which exceptions of a SPARQL engine say that the query is wrong, as opposed to a failure.

A store or a view turns the first kind into one line for the user ("not valid SPARQL: …") and
lets anything else go on as it is: a bug, ours or an engine's, must reach kg/cli.py, which logs
its traceback, and not be reported as the user's bad SPARQL.
"""

from __future__ import annotations

import sys

# rdflib raises a bare Exception for an undeclared prefix (rdflib/plugins/sparql/sparql.py,
# Prologue.resolvePName): the one bare Exception of its engine that a query itself causes.
_RDFLIB_UNKNOWN_PREFIX = "Unknown namespace prefix"


def engine_refused(e: BaseException) -> bool:
    """Whether an engine raised `e` because of the query: rdflib's parser (pyparsing) and
    engine (SPARQLError), Oxigraph's parser (SyntaxError), and rdflib's undeclared prefix."""
    if isinstance(e, (SyntaxError, *_loaded_error_types())):
        return True
    return type(e) is Exception and str(e).startswith(_RDFLIB_UNKNOWN_PREFIX)


def _loaded_error_types() -> tuple[type, ...]:
    """rdflib's parser and engine errors, if rdflib's SPARQL engine was loaded: importing it
    (pyparsing's grammar) costs a reading command a third of a second, and an error of an engine
    that never ran cannot be one of its errors."""
    found = []
    for module, name in (("pyparsing", "ParseBaseException"),
                         ("rdflib.plugins.sparql.sparql", "SPARQLError")):
        loaded = sys.modules.get(module)
        if loaded is not None:
            found.append(getattr(loaded, name))
    return tuple(found)
