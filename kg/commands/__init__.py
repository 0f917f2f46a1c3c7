"""One module per `kg` command: `add(subparsers)` registers it, `run(args)` runs it by calling the
library."""
