"""kg/store/atomic.py: a file is whole or absent, and has the permissions of any new file (the
umask applies) without the process's umask ever being changed to find them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kg.store.atomic import write_atomic, write_text_atomic

WRITE = """
import os, sys
from pathlib import Path
os.umask(int(sys.argv[2], 8))
from kg.store.atomic import write_text_atomic
write_text_atomic(Path(sys.argv[1]), "data")
print(oct(os.stat(sys.argv[1]).st_mode & 0o777))
"""


@pytest.mark.parametrize("umask, mode", [("027", "0o640"), ("002", "0o664"), ("077", "0o600")])
def test_the_file_gets_the_mode_any_new_file_gets(tmp_path, umask, mode):
    target = tmp_path / "out.txt"
    done = subprocess.run([sys.executable, "-c", WRITE, str(target), umask],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == mode
    assert target.read_text(encoding="utf-8") == "data"


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "out.txt"
    write_text_atomic(target, "old")

    def half(tmp: Path) -> None:
        tmp.write_text("half", encoding="utf-8")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, half)
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]
