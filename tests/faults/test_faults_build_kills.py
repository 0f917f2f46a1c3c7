"""A build killed at any moment, several times in a row (issue 14): each time the last complete
build's store answers as before, and the next build finishes with the graph a build from
scratch gives. The moments are found by polling the build folder, never by sleeping."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import shared_input, store_nquads

BUILD_TIMEOUT = 600  # generous: CI shares 2 cores
POLL = 0.002  # seconds between looks at the build folder
FIRST = "推动广东省发展，支持广西、云南建设沿边开放平台。\n"


def build(kg_command, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*kg_command, "build", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=BUILD_TIMEOUT, stdin=subprocess.DEVNULL)


def kill_when(kg_command, cwd: Path, moment: Callable[[], bool], *args: str) -> None:
    """Starts `kg build ARGS`, polls for `moment` and kills the build with SIGKILL then; fails
    if the build ended first (the moment was never seen)."""
    running = subprocess.Popen([*kg_command, "build", *args], cwd=cwd,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        while running.poll() is None and not moment():
            time.sleep(POLL)
        running.send_signal(signal.SIGKILL)
    finally:
        _, stderr = running.communicate(timeout=BUILD_TIMEOUT)
    assert running.returncode == -signal.SIGKILL, f"the build ended before it was killed: {stderr}"


def documents_listing(kg_command, cwd: Path) -> str:
    """`kg documents` with no store named: it reads build/store."""
    done = subprocess.run([*kg_command, "documents"], cwd=cwd, capture_output=True, text=True,
                          timeout=BUILD_TIMEOUT)
    assert done.returncode == 0, done.stderr
    return done.stdout


def store_flag(out: Path) -> bool:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))["store"]


@pytest.mark.slow
def test_a_build_killed_again_and_again_leaves_the_last_store_and_the_next_one_finishes(
        kg_command, tmp_path):
    (tmp_path / "first.txt").write_text(FIRST, encoding="utf-8")
    second = tmp_path / "gwr-2025-beijing.txt"  # long enough for each moment to last
    second.write_bytes(shared_input("corpus-dev", "gwr-2025", second.name).read_bytes())
    out = tmp_path / "build"
    done = build(kg_command, tmp_path, "first.txt")
    assert done.returncode == 0, done.stderr
    quads, listing = store_nquads(out / "store"), documents_listing(kg_command, tmp_path)
    assert "1 document(s)" in listing
    both = ("first.txt", second.name)

    def assert_as_before(when: str) -> None:
        assert store_nquads(out / "store") == quads, when
        assert documents_listing(kg_command, tmp_path) == listing, when

    # 1. while the second document is extracted and validated: its result is cached
    kill_when(kg_command, tmp_path, lambda: any((out / "documents").glob("gwr-2025-beijing.*")),
              *both)
    assert_as_before("killed after the new document's result was cached")
    # 2. while its graph is written into a copy of the store
    staging = out / "store.kg-staging"
    kill_when(kg_command, tmp_path, staging.exists, *both)
    assert_as_before("killed while the store's copy was written")
    assert not store_flag(out), "the manifest should say the store is not to be trusted"
    # 3. the next build rewrites the untrusted store whole, into a new store in its staging
    # folder (loaded while the documents run): killed once it has table files
    kill_when(kg_command, tmp_path, lambda: any(out.glob(".build-*/store/*.sst")), *both)
    assert_as_before("killed while the whole store was written again")

    done = build(kg_command, tmp_path, *both)

    assert done.returncode == 0, done.stderr
    assert store_flag(out)
    assert not staging.exists() and not list(out.glob(".build-*"))
    fresh = build(kg_command, tmp_path, *both, "--out", "fresh")
    assert fresh.returncode == 0, fresh.stderr
    assert store_nquads(out / "store") == store_nquads(tmp_path / "fresh" / "store")
    assert "2 document(s)" in documents_listing(kg_command, tmp_path)


@pytest.mark.slow
def test_a_build_while_another_process_reads_the_store_is_refused_before_any_work(
        kg_command, tmp_path):
    from kg.store.lock import lock_store

    (tmp_path / "first.txt").write_text(FIRST, encoding="utf-8")
    done = build(kg_command, tmp_path, "first.txt")
    assert done.returncode == 0, done.stderr
    quads = store_nquads(tmp_path / "build" / "store")
    second = "重庆市和四川省共建成渝地区双城经济圈。\n"
    (tmp_path / "second.txt").write_text(second, encoding="utf-8")
    reading = lock_store(tmp_path / "build" / "store", exclusive=False, wait=0, purpose="read it")
    try:  # this process reads the store, as a kg serve would
        refused = build(kg_command, tmp_path, "first.txt", "second.txt")
    finally:
        reading.release()
    assert refused.returncode == 2
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: oxigraph:"), refused.stderr
    assert "cannot write the build into it now: in use by pid" in lines[0]
    assert "or pass --wait SECONDS" in lines[0]
    assert not list((tmp_path / "build" / "documents").glob("second.*"))  # no work was done
    assert store_nquads(tmp_path / "build" / "store") == quads
