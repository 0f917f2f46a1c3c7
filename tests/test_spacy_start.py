"""spaCy's command line left out of the documents' process (extract/spacy_start.py): the
pipeline runs the same without it (tests/test_build_runner.py compares the outputs of a build
whose documents ran there with those of one that ran them in its own process)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from extract import spacy_start

ROOT = Path(__file__).resolve().parents[1]


def test_spacy_is_imported_without_its_command_line_and_its_stand_in_says_so():
    script = textwrap.dedent("""
        import sys
        from extract.spacy_start import without_cli
        without_cli()
        import spacy
        nlp = spacy.blank("xx")
        print(len(nlp("policy kg")), "spacy.cli" in sys.modules, "requests" in sys.modules)
        try:
            spacy.info()
        except RuntimeError as e:
            print(e)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    loaded, message = done.stdout.splitlines()
    assert loaded.split() == ["2", "False", "False"]  # tokens, spacy.cli, requests
    assert "left out of this process" in message


def test_where_spacy_is_imported_already_nothing_changes():
    pytest.importorskip("spacy")
    before = sys.modules.get(spacy_start.LEFT_OUT)
    spacy_start.without_cli()
    assert sys.modules.get(spacy_start.LEFT_OUT) is before
