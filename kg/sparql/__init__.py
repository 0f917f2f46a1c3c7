"""SPARQL as text: the query catalogue (catalogue.py), parameters (params.py), result formats
(results.py), and the cheap shape check before parsing (shape.py)."""
