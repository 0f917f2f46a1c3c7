"""Analysing and picturing a built graph: what a node is called and where (nodes.py), networkx
projections (network.py), their measures (measures.py), the interactive HTML views (views.py)
and the matplotlib pictures (plots.py)."""

# The named projections of network.py. Here, not there, so that the command-line parsers can
# offer them without importing networkx on every `kg` command.
NETWORKS = ("linkages", "recommendations", "comentions")
