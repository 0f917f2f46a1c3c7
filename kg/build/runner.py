"""The documents of a build run in a process of their own (docs/scale.md, "Memory").

The extraction pipeline (spaCy, jieba, pypinyin's dictionaries, the automata: about 0.3 GB) and
the reference lines the validator reads are needed only while documents run. Freed in the
build's process, they stayed in its heap, under the store's loader at the end of a build, which
made that build's peak. So a fresh interpreter (not a fork: it would map the build's pages
again) loads the pipeline, runs each document's step (`--jobs` workers forked from it, or a
Dask cluster) and caches its result as files (kg/build/summarize.py), and sends the build back
only each document's summary, in input order, and the progress; when the documents are done it
exits and its memory goes with it, before the build loads its store.

The two talk over two pipes of pickles: the build sends the job, then the path of the
reference lines (once the shared graphs' child has written them) and the sources one by one (a
thread feeds them, so neither process holds every text twice); the runner sends progress
calls, summaries, and `done` or the error that ended it. It dies with the build (a build killed
at any moment leaves no process behind, and it holds no file lock of the build's: it is
not forked from it).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import subprocess
import sys
import threading
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from kg.inputs.files import SourceText
from kg.progress import Progress

if TYPE_CHECKING:
    from extract import gazetteer as gazetteer_module
    from kg.build.steps import DocumentResult
    from kg.build.summary import DocumentSummary

PROGRESS, SUMMARY, DONE, ERROR = "progress", "summary", "done", "error"
TEXT_ERRORS = "surrogatepass"  # as pickle writes a str: any text goes through unchanged


@dataclass(frozen=True, slots=True)
class Job:
    """What the runner is to do: `count` documents, their results cached in `out_dir`, with the
    NER model or not, in `jobs` processes or on `executor` (as `kg build` takes them)."""

    out_dir: Path
    count: int
    ner: bool
    jobs: int
    executor: str


def saved_summaries(results: Iterable[DocumentResult], shas: dict[str, str], out_dir: Path,
                    gaz: gazetteer_module.Gazetteer) -> Iterator[DocumentSummary]:
    """Caches each result as its files and yields its summary; the result is dropped first."""
    from kg.build.memory import release_free_memory
    from kg.build.summarize import save_document

    for result in results:
        summary = save_document(out_dir, shas[result.record.doc], result, gaz)
        del result  # only its files and summary are kept
        release_free_memory()  # what the step freed: the heap would keep it
        yield summary


class DocumentProcess:
    """The runner, started at once so that it loads the pipeline while the build does the rest
    of its start; `summaries` feeds it and yields what it sends back."""

    def __init__(self, job: Job):
        self.job = job
        job_read, self._job_write = os.pipe()
        self._result_read, result_write = os.pipe()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kg.build.runner", str(job_read), str(result_write),
             str(os.getpid())],
            pass_fds=(job_read, result_write), stdin=subprocess.DEVNULL, env=_child_env())
        os.close(job_read)
        os.close(result_write)
        self.to_runner = os.fdopen(self._job_write, "wb")
        self.from_runner = os.fdopen(self._result_read, "rb")
        _send(self.to_runner, job)
        self.feeder: threading.Thread | None = None
        self.finished = False  # the runner sent `done`
        self.ending = False  # it sent `done` or its error: it ends by itself
        self.closed = False

    def summaries(self, reference_lines: Path, sources: list[SourceText], shas: dict[str, str],
                  progress: Progress) -> Iterator[DocumentSummary]:
        """The summary of each of `sources`, in their order; `reference_lines` must be written
        (the runner reads it before its first document)."""
        self.feeder = threading.Thread(target=self._feed, args=(reference_lines, sources, shas),
                                       name="kg build: feeding the documents", daemon=True)
        self.feeder.start()
        while True:
            try:
                kind, *payload = pickle.load(self.from_runner)
            except EOFError:
                raise RuntimeError(f"the documents' process ended with {self.process.wait()}, "
                                   "before its documents were done") from None
            if kind == PROGRESS:
                method, args = payload
                getattr(progress, method)(*args)
            elif kind == SUMMARY:
                yield payload[0]
            elif kind == ERROR:
                self.ending = True
                raise payload[0]
            else:
                self.finished = self.ending = True
                return

    def _feed(self, reference_lines: Path, sources: list[SourceText],
              shas: dict[str, str]) -> None:
        try:
            _send(self.to_runner, reference_lines)
            for source in sources:
                _send(self.to_runner, (*_without_text(source), shas[source.doc]))
            self.to_runner.close()
        except (BrokenPipeError, ValueError):  # the runner ended (its error is read) or was
            pass                               # stopped: nothing more to feed

    def close(self) -> None:
        """Waits for the runner to end when it has sent its last message, or ends it (the build
        failed or was interrupted); once."""
        if self.closed:
            return
        self.closed = True
        if not self.ending:
            self.process.kill()
        code = self.process.wait()
        if self.feeder is not None:
            self.feeder.join()  # the runner gone, a write it was blocked in fails
        for pipe in (self.to_runner, self.from_runner):
            with contextlib.suppress(OSError):  # the feeder's, its reader gone: nothing to write
                pipe.close()
        if self.finished and code != 0:
            raise RuntimeError(f"the documents' process ended with {code}")


def _child_env() -> dict[str, str]:
    """This environment, with the folder this `kg` package is in first on the path: the runner
    must run the same code as the build (a test may have put it on sys.path only)."""
    root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    return env


def _without_text(source: SourceText) -> tuple[SourceText, bytes]:
    """The source without its text, and the text in UTF-8. Pickling a str of Chinese text
    caches its UTF-8 form in the str for as long as it lives (CPython), and the build holds
    every text to the end: 54 KB a report, 54 MB at 1,000 reports in the build's process
    (tracemalloc); `str.encode` makes a copy that goes when it is sent."""
    return replace(source, text=""), source.text.encode("utf-8", TEXT_ERRORS)


def _send(pipe: IO[bytes], message: Any) -> None:
    pickle.dump(message, pipe, protocol=pickle.HIGHEST_PROTOCOL)
    pipe.flush()  # a progress line is shown when it happens, not when a buffer fills


class ProgressSender:
    """The runner's `Progress`: each call is sent to the build, which shows it."""

    def __init__(self, pipe: IO[bytes]):
        self.pipe = pipe

    def __getattr__(self, method: str):
        return lambda *args: _send(self.pipe, (PROGRESS, method, args))


class Incoming:
    """The sources as the build feeds them, read one at a time; their text hashes kept."""

    def __init__(self, pipe: IO[bytes], count: int):
        self.pipe, self.count = pipe, count
        self.shas: dict[str, str] = {}

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[SourceText]:
        for _ in range(self.count):
            source, text, sha = pickle.load(self.pipe)
            self.shas[source.doc] = sha
            yield replace(source, text=text.decode("utf-8", TEXT_ERRORS))


def run(job: Job, job_pipe: IO[bytes], result_pipe: IO[bytes]) -> None:
    """In the runner: the job's documents, each step's summary sent back as it is saved."""
    from extract.pipeline import Extractor
    from kg.build.steps import document_results
    from kg.build.validate import DocumentValidator

    extractor = Extractor(ner=job.ner)
    with Path(pickle.load(job_pipe)).open("rb") as f:
        validator = DocumentValidator(pickle.load(f))  # this build's child wrote the file
    incoming = Incoming(job_pipe, job.count)
    progress: Any = ProgressSender(result_pipe)
    sources: Any = incoming if job.jobs <= 1 and job.executor == "processes" else list(incoming)
    results = document_results(sources, extractor, validator, job.jobs, progress,
                               job.executor)
    for summary in saved_summaries(results, incoming.shas, job.out_dir, extractor.gaz):
        _send(result_pipe, (SUMMARY, summary))


def main(argv: list[str]) -> int:
    from extract.jieba_start import import_posseg
    from extract.spacy_start import without_cli
    from kg.build.shared import die_with

    without_cli()  # this process runs the pipeline only: spaCy's command line is not loaded
    import_posseg()  # before the pipeline imports it: its word-tag table read from a file
    job_fd, result_fd, parent = (int(a) for a in argv)
    die_with(parent)
    with os.fdopen(job_fd, "rb") as job_pipe, os.fdopen(result_fd, "wb") as result_pipe:
        try:
            run(pickle.load(job_pipe), job_pipe, result_pipe)
        except BaseException as e:  # the build re-raises it: a bad input is its error line
            _send(result_pipe, (ERROR, _picklable(e)))
            return 1
        _send(result_pipe, (DONE,))
    return 0


def _picklable(e: BaseException) -> BaseException:
    """The error as the build is to raise it: kg's own errors (a bad input), the system's (a
    file) and an interruption as they are, their handlers print one line; any other, a bug, with
    this process's traceback in its message, which the build's error log keeps."""
    from kg.errors import KgError

    if isinstance(e, KgError | OSError | KeyboardInterrupt):
        try:
            return pickle.loads(pickle.dumps(e))
        except Exception:  # an error class that does not pickle: a bug's way below
            pass
    detail = "".join(traceback.format_exception(e))
    return RuntimeError(f"the documents' process failed: {type(e).__name__}: {e}\n{detail}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
