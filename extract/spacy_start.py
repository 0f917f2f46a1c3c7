"""spaCy without its command line, in a process that only runs the pipeline (docs/scale.md,
"The runner's start").

`import spacy` imports `spacy.cli.info` for its `spacy.info` function, and with it every
command of spaCy's command line (downloads through requests, project templates through weasel,
typer): a third of the import's CPU seconds, which the documents' process of a build pays
before its first document. The pipeline never calls them (spaCy's own modules import
`spacy.cli` nowhere else). `without_cli()`, called before spaCy is imported, puts a module in
`spacy.cli.info`'s place whose `info` says it is left out; the rest of spaCy is as it is.
"""

from __future__ import annotations

import sys
import types

LEFT_OUT = "spacy.cli.info"


def without_cli() -> None:
    """Makes the coming `import spacy` leave out its command line; nothing where spaCy is
    imported already (its command line is loaded: nothing left to save)."""
    if "spacy" in sys.modules or LEFT_OUT in sys.modules:
        return
    stand_in = types.ModuleType(LEFT_OUT, "spaCy's `info` command, left out of this process "
                                          "(extract/spacy_start.py)")
    stand_in.info = _info_left_out  # type: ignore[attr-defined]
    sys.modules[LEFT_OUT] = stand_in


def _info_left_out(*args: object, **kwargs: object) -> None:
    raise RuntimeError("spacy.info is left out of this process (extract/spacy_start.py)")
