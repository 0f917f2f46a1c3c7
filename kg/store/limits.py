"""The limits of remote calls (a deadline, a largest answer), apart from kg/store/http.py: every
command's options and every store name them, and importing the HTTP client (http.client, ssl)
for that cost each reading command a tenth of a second."""

from __future__ import annotations

import time
from typing import NamedTuple

from kg.errors import InputError

MB = 1024 * 1024
DEFAULT_MAX_ANSWER_MB = 64  # docs/linking.md; `--max-answer-mb` raises it


class Deadline:
    """One end time, shared by every request of a call (`kg link`: the endpoint's requests)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds

    def remaining(self) -> float:
        return max(0.0, self._end - time.monotonic())


class Limits(NamedTuple):  # not a dataclass: see kg/sparql/answer.py
    deadline: Deadline | None = None  # None: each socket wait has the per-request timeout
    max_bytes: int | None = None  # None: any size
    same_origin: bool = False  # refuse a redirect to another scheme, host or port


def max_answer_bytes(mb: float) -> int:
    if not mb > 0:
        raise InputError(f"--max-answer-mb {mb:g}: must be above 0")
    return int(mb * MB)
