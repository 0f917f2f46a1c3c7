"""Linking our entities to another graph's: proposing links from a SPARQL endpoint (propose.py) by
identifier and name (match.py)."""
