"""SPARQL as text: the query catalogue (catalogue.py), the text as tokens of the SPARQL grammar
(tokens.py), parameters written into it on those tokens (params.py), which engine errors are
the query's fault (engine_errors.py), result formats (results.py), and the cheap shape check
before parsing (shape.py)."""
