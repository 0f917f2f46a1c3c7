"""Writing what the graph holds for other tools: tables (tables.py), the whole graph (graph.py),
the ontology's documentation (ontology_docs.py), and spreadsheet-safe CSV (spreadsheet.py)."""
