"""The manifest of a build folder: what the last complete build was made from, so that the next
build re-extracts only the documents that changed.

`DIR/manifest.json` records the pipeline's version (a hash of the code and rule data that turn a
text into its graph), the reference data's version (a hash of the ontology, shapes and
reference tables) and each document's content hash. Each document's result is kept in
`DIR/documents/KEY.HASH.*`, named by its content hash: its record (`.pickle`), its graph as
N-Triples (`.nt`), its rows of mentions.jsonl (`.mentions.jsonl`) and a summary
(`.summary.json`: its entries of the report, its violations), which is written last and
makes the others count. A rebuild reads only the summaries of unchanged documents (and their
graphs where the store must be rewritten or `--trig` is asked for), never their records. It

- reuses the result of a document whose text, pipeline and reference data are unchanged;
- re-runs the per-document step for a new or changed document;
- leaves out a document no longer among the inputs (its cached result is deleted);
- re-runs every document when the pipeline or the reference data changed.

The manifest also says whether the build's store (`DIR/store`) holds exactly what it names
(`store`): a build sets it to false before it touches the store and to true when it is done, so
that after a build killed while writing the store the next one rewrites the store whole (from
the cached results: nothing is extracted again) instead of trusting it.

The cached records are Python pickles, read only by tests and tools (`load_record`), never by a
build: still, the build folder is trusted as the code is (do not build into a folder others
can write). A result with a missing or unreadable file is made again.
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
FORMAT = 2  # bump when the manifest or the cached results change shape
# The cached files of one document, by kind: its record, its graph, its mention rows (as in
# mentions.jsonl) and its summary (its parts of the report, its violations), written last
CACHE_FILES = {"record": ".pickle", "graph": ".nt", "mentions": ".mentions.jsonl",
               "summary": ".summary.json"}


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


def cache_stem(out: Path, key: str, text_sha: str) -> str:
    """The name every cached file of this text starts with, before its `CACHE_FILES` suffix."""
    return f"{key}.{text_sha[:16]}"


def cache_file(out: Path, key: str, text_sha: str, kind: str) -> Path:
    """A cached file of this text: `kind` is one of `CACHE_FILES`."""
    return out / RESULTS / (cache_stem(out, key, text_sha) + CACHE_FILES[kind])


def result_path(out: Path, key: str, text_sha: str) -> Path:
    return cache_file(out, key, text_sha, "record")


def load_record(out: Path, key: str, text_sha: str):
    """The cached record of this text (an ExtractedDocument), or None."""
    try:
        return pickle.loads(result_path(out, key, text_sha).read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None


def load_records(out: Path) -> dict:
    """The records of the last complete build into `out`, by document key
    (for tests and tools: a build itself reads none)."""
    manifest = read_manifest(out)
    if manifest is None:
        return {}
    return {key: load_record(out, key, sha) for key, sha in manifest.documents.items()}


def save_record(out: Path, key: str, text_sha: str, record: object) -> None:
    (out / RESULTS).mkdir(parents=True, exist_ok=True)
    data = pickle.dumps(record, protocol=5)
    write_atomic(result_path(out, key, text_sha), lambda tmp: tmp.write_bytes(data))


def remove_stale_results(out: Path, keep: set[str]) -> None:
    """Deletes the cached files of documents (or texts) the build no longer has, and what a
    killed build left half-written: every file whose name is not a kept stem (`cache_stem`)
    and a known suffix."""
    folder = out / RESULTS
    if not folder.is_dir():
        return
    kept = {stem + suffix for stem in keep for suffix in CACHE_FILES.values()}
    for path in folder.iterdir():
        if path.name not in kept and path.is_file():
            path.unlink(missing_ok=True)
