"""The manifest of a build folder: what the last complete build was made from, so that the next
build re-extracts only the documents that changed.

`DIR/manifest.json` records the pipeline's version (a hash of the code and rule data that turn a
text into its graph), the reference data's version (a hash of the ontology, shapes and
reference tables) and each document's content hash. Each document's result (its record, its
graph as N-Triples, its violations) is kept in `DIR/documents/KEY.pickle`, named in the
manifest with its content hash. A rebuild

- reuses the result of a document whose text, pipeline and reference data are unchanged;
- re-runs the per-document step for a new or changed document;
- leaves out a document no longer among the inputs (its cached result is deleted);
- re-runs every document when the pipeline or the reference data changed.

The manifest also says whether the build's store (`DIR/store`) holds exactly what it names
(`store`): a build sets it to false before it touches the store and to true when it is done, so
that after a build killed while writing the store the next one rewrites the store whole (from
the cached results: nothing is extracted again) instead of trusting it.

The cached results are Python pickles: the build folder is trusted as the code is (do not
build into a folder others can write). A result whose file is missing or unreadable is made
again.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from dataclasses import dataclass, field
from pathlib import Path

import extract
import kg.build
import kgdata
from kg.inputs.files import SourceText
from kg.store.atomic import write_atomic, write_text_atomic

MANIFEST = "manifest.json"
RESULTS = "documents"
FORMAT = 1  # bump when the manifest or the cached results change shape


def tree_hash(*roots: Path) -> str:
    """A hash of every file under the roots (names and contents), in a stable order."""
    digest = hashlib.sha256()
    for root in roots:
        files = sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        for path in files:
            digest.update(str(path.relative_to(root)).encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def pipeline_version() -> str:
    """The code and rule data that make a document's graph: extract/ and kg/build/."""
    return f"{FORMAT}:" + tree_hash(Path(extract.__file__).parent, Path(kg.build.__file__).parent)


def reference_version() -> str:
    """The ontology, its shapes and the reference tables."""
    return tree_hash(kgdata.ontology_dir())


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def source_hash(source: SourceText) -> str:
    """A hash of everything a document's result depends on besides the pipeline and the
    reference data: its text, and where it came from (the path, the reader, the file's bytes),
    which its graph records."""
    where = f"{source.path}\n{source.media_type}\n{source.reader}\n{source.source_sha256}\n"
    return text_hash(where + source.text)


@dataclass
class Manifest:
    pipeline: str
    reference: str
    documents: dict[str, str] = field(default_factory=dict)  # document key → text hash
    store: bool = False  # DIR/store holds the graphs of these documents, of these versions

    @classmethod
    def current(cls, ner: bool = False) -> Manifest:
        # a build with the NER model (kg build --ner) makes other records from the same code
        return cls(pipeline_version() + (":ner" if ner else ""), reference_version())

    def same_versions(self, other: Manifest) -> bool:
        return (self.pipeline, self.reference) == (other.pipeline, other.reference)


def read_manifest(out: Path) -> Manifest | None:
    """The manifest of the last complete build, or None (none, unreadable, another format)."""
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        return Manifest(data["pipeline"], data["reference"], dict(data["documents"]),
                        data.get("store") is True)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_manifest(out: Path, manifest: Manifest) -> None:
    """Written last in a build: what it names is in place."""
    write_text_atomic(out / MANIFEST, json.dumps(
        {"pipeline": manifest.pipeline, "reference": manifest.reference,
         "store": manifest.store, "documents": dict(sorted(manifest.documents.items()))},
        indent=1) + "\n")


def result_path(out: Path, key: str, text_sha: str) -> Path:
    return out / RESULTS / f"{key}.{text_sha[:16]}.pickle"


def load_result(out: Path, key: str, text_sha: str):
    """The cached result of this text, or None."""
    try:
        return pickle.loads(result_path(out, key, text_sha).read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None


def save_result(out: Path, key: str, text_sha: str, result: object) -> None:
    (out / RESULTS).mkdir(parents=True, exist_ok=True)
    data = pickle.dumps(result, protocol=5)
    write_atomic(result_path(out, key, text_sha), lambda tmp: tmp.write_bytes(data))


def remove_stale_results(out: Path, keep: set[Path]) -> None:
    """Deletes the cached results of documents (or texts) the build no longer has."""
    folder = out / RESULTS
    if folder.is_dir():
        for path in folder.glob("*.pickle"):
            if path not in keep:
                path.unlink(missing_ok=True)
