"""Analysing and picturing a built graph: networkx projections (network.py), their measures
(measures.py), the interactive HTML views (views.py) and the matplotlib pictures (plots.py)."""
