"""Where a build's graph lies in its output folder: names only, so that a build with nothing to
redo finds them without importing a store's libraries (kg/store/registry.py reads them)."""

STORE_DIR = "store"  # the build's Oxigraph store, in its output folder
TRIG_FILE = "graph.trig"  # the build's graph as a file, with `kg build --trig`
