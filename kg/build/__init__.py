"""Building the graph: one document's record turned into its named graph (document.py, from
evidence, statistics, recommendations, relations, claims), the reference graph, SHACL
validation, the report, and the output folder (run.py orchestrates)."""
