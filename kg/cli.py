"""The `kg` command line: the parser of every command (kg/commands/), and errors to exit codes.

Exit codes are in kg/errors.py. A `KgError` is one line on stderr with its code; a bug is one
line naming the log file that holds its traceback (EXIT_INTERNAL). No traceback reaches a user.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from importlib import import_module

from extract.errors import DataError
from kg.errors import (
    EXIT_BAD_INPUT,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    KgError,
    UsageError,
    first_line,
)

# The modules of kg/commands/, in the order `kg --help` lists them. Imported by name when their
# parser is built: a command imports only its own module (docs/scale.md, "The fixed cost").
COMMANDS = ("build", "validate", "stats", "documents", "export", "query", "why", "claims", "plot",
            "analyze", "viz", "load", "docs", "link", "serve", "eval")
LOG_DIR_ENV = "KG_LOG_DIR"  # where a bug's traceback goes (default: the temporary folder)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 too, but prints usage noise
        raise UsageError(f"{self.prog}: {message}")


def parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """Every command's parser; where `argv` starts with a command's name, that command's only,
    and only its module imported: the others' modules and parsers were a third of a reading
    command's start (docs/scale.md), and the command's own parser parses its arguments the same
    alone."""
    p = _Parser(prog="kg", description="A knowledge graph of Chinese regional-development policy.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    named = [name for name in COMMANDS if argv and name == argv[0]]
    for name in named or COMMANDS:
        import_module(f"kg.commands.{name}").add(sub)
    return p


def run(argv: Sequence[str] | None, handlers: dict[type, Callable[[BaseException], int]]) -> int:
    try:
        argv = sys.argv[1:] if argv is None else argv
        args = parser(argv).parse_args(argv)
        return args.func(args)
    except tuple(handlers) as e:
        return next(h(e) for t, h in handlers.items() if isinstance(e, t))


def _usage(e: BaseException) -> int:
    print(f"{e} (see: kg --help)", file=sys.stderr)  # the message names the (sub)command
    return EXIT_BAD_INPUT


def _reported(e: BaseException) -> int:
    print(f"kg: error: {e}", file=sys.stderr)
    return e.exit_code if isinstance(e, KgError) else EXIT_BAD_INPUT


def _os_error(e: BaseException) -> int:
    """A file the command had to write or read could not be (e.g. --out names a file)."""
    assert isinstance(e, OSError)
    where = f"{e.filename}: " if e.filename else ""
    print(f"kg: error: {where}{e.strerror or e}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _interrupted(e: BaseException) -> int:
    print("kg: interrupted", file=sys.stderr)
    return EXIT_INTERRUPTED


def _internal_error(e: BaseException) -> int:
    """The last resort: a bug. The user gets one line and the path of the traceback, which is
    what a bug report needs; a traceback on the terminal would look like their mistake."""
    import tempfile
    import traceback

    what = f"{type(e).__name__}: {first_line(e)}"
    try:
        fd, log = tempfile.mkstemp(prefix="kg-error-", suffix=".log",
                                   dir=os.environ.get(LOG_DIR_ENV) or None)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(f"kg {' '.join(sys.argv[1:])}\n\n")
            f.write("".join(traceback.format_exception(e)))
        where = f"the traceback is in {log}"
    except OSError as log_error:
        where = f"the traceback could not be written ({log_error.strerror})"
    print(f"kg: internal error: {what} ({where}; please report it)", file=sys.stderr)
    return EXIT_INTERNAL



def main(argv: Sequence[str] | None = None) -> int:
    # The first handler whose type matches wins: specific types first, Exception last.
    return run(argv, {UsageError: _usage, KgError: _reported, DataError: _reported,
                      KeyboardInterrupt: _interrupted, BrokenPipeError: lambda e: EXIT_OK,
                      OSError: _os_error, Exception: _internal_error})


if __name__ == "__main__":
    sys.exit(main())
