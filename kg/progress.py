"""Progress of a long `kg build` on stderr: one status line, rewritten in place.

Silent unless stderr is a terminal, so logs, pipes and tests see only the build's own lines.
The line counts documents and characters done, the rate, and the time left at that rate; the
characters of a document done in another process (`kg build --jobs N`) count when it is done.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

INTERVAL = 0.5  # seconds between redraws of the same step: a status line, not a log
_CLEAR = "\r\x1b[K"  # back to the line's start, erase it


class Progress:
    """`start` a build of N documents; `document_started` and `chars_done` as the extraction
    goes; `step` for each step after it, per document or once; `close` erases the line. A new
    step is drawn at once; within a step the line is redrawn at most every INTERVAL seconds."""

    def __init__(self, stream: TextIO | None = None, enabled: bool | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = _is_terminal(self.stream) if enabled is None else enabled
        self.clock = clock
        self.documents = self.characters = 0
        self.document = self.done = 0
        self.started = self.shown = 0.0
        self.current = ""  # the step on the line

    def start(self, documents: int, characters: int) -> None:
        self.documents, self.characters = documents, characters
        self.started = self.clock()

    def document_started(self, number: int) -> None:
        self.document = number
        self._show("extracting", self._extracting())

    def chars_done(self, n: int) -> None:
        self.done += n
        self._show("extracting", self._extracting())

    def step(self, what: str, number: int | None = None) -> None:
        of = f" (document {number} of {self.documents})" if number is not None else ""
        self._show(what, f"kg build: {what}{of}")

    def close(self) -> None:
        if self.enabled:
            self.stream.write(_CLEAR)
            self.stream.flush()

    def _extracting(self) -> str:
        elapsed = self.clock() - self.started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        left = (f", about {_duration((self.characters - self.done) / rate)} left"
                if rate > 0 and self.done < self.characters else "")
        return (f"kg build: extracting document {self.document} of {self.documents}, "
                f"{_mega(self.done)} of {_mega(self.characters)} characters, "
                f"{_mega(rate)} characters/s{left}")

    def _show(self, step: str, line: str) -> None:
        if not self.enabled:
            return
        now = self.clock()
        if step == self.current and now - self.shown < INTERVAL:
            return
        self.current, self.shown = step, now
        self.stream.write(f"{_CLEAR}{line}")
        self.stream.flush()


def _duration(seconds: float) -> str:
    """The time left at the rate so far: whole seconds, or minutes past two of them."""
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.0f} min"


def _mega(n: float) -> str:
    return f"{n / 1e6:.2f} M"


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or odd stream: stay silent
        return False
