"""Giving freed memory back to the system while a build runs (docs/scale.md, "Memory").

A document's step allocates tens of megabytes that it frees when it ends (pyshacl-turbo's
parse of the validation context, the document's triples and text); glibc keeps most of that in
its heap, so the build's resident set stayed about 20 MB above what it holds between documents
and crept up with fragmentation. `malloc_trim(0)` returns the free pages of every arena to the
system; it costs well under a millisecond here, once a document.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import lru_cache


@lru_cache(maxsize=1)
def _malloc_trim():  # the C function, or None where the C library is not glibc
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        return ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to trim
        return None


def release_free_memory() -> None:
    """Returns the C heap's free pages to the system (glibc only; a no-op elsewhere)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
