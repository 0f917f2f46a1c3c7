"""Every error a `kg` command reports on purpose, and the exit code each gives.

A `KgError` is the user's to act on (bad input, a store that cannot be reached, an endpoint
that does not answer): `kg` prints its message as one line and exits with its `exit_code`, never
with a traceback. Anything else that escapes a command is a bug: kg/cli.py prints one line naming
a log file with the traceback and exits EXIT_INTERNAL. `extract/` may not import `kg`, so its one
error for broken data files lives in extract/errors.py; kg/cli.py maps it to EXIT_BAD_INPUT.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_INVALID = 1  # the graph breaks the shapes, a check query found rows, `kg why` found nothing
EXIT_BAD_INPUT = 2  # every KgError
EXIT_INTERNAL = 3  # a bug
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT


class KgError(Exception):
    """A failure the user can act on: the message is one line that says what to do."""

    exit_code = EXIT_BAD_INPUT


class InputError(KgError, ValueError):
    """Bad input: a file, a folder, an option, a name, a query."""


class UsageError(InputError):
    """The command line itself is wrong (an unknown option, a missing argument)."""


class EncodingRefused(InputError):
    """The bytes read as Chinese in no encoding tried; the message says what was tried."""


class StoreError(InputError):
    """A store cannot be opened or reached, or refused a request."""


class StoreBusy(StoreError):
    """Another process reads or writes the store."""


class StoreWriteError(StoreError):
    """The store cannot be opened for writing."""


class FetchError(StoreError):
    """An HTTP endpoint gave no usable answer (kg link, SERVICE, a remote store)."""


class NoAnswerInTime(FetchError):
    """The deadline passed before the whole answer arrived."""


class AnswerTooLarge(FetchError):
    """The answer is over the size limit."""


def first_line(e: object) -> str:
    """The first line of an error's message: what a one-line report shows of it."""
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__
