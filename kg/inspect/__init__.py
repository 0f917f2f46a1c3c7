"""Answers computed in Python from a built graph: counts (stats.py), the evidence of a triple
(why.py), the numeric claims rechecked (claims.py)."""
