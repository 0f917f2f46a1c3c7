"""Where a graph lives and how it gets there: the store kinds (registry.py; memory, oxigraph,
remote on base.py), loading (load.py), the lock and all-or-nothing swap of an Oxigraph store,
graph files and atomic writes, HTTP bounded in time and size (http.py), the SERVICE relay."""
