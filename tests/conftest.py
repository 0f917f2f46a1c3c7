from __future__ import annotations

import contextlib
import fcntl
import io
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Read-only inputs beside the repository (development texts, the reference tables as received).
# They are not part of the product: a test that reads them asks `shared_input`, which skips it
# with the reason where they are absent. The article is in the repository (ARTICLE).
SHARED = ROOT.parent / "shared"
ARTICLE = ROOT / "corpus" / "lu-li-2025-regional-coordination.zh.txt"
# the article's document key, read from its metadata by kg build (kg/build/keys.py)
ARTICLE_KEY = "article-2025-shisiwu-shiqi-zhongguo-quyu-xietiao-fazhan"
DEV_CORPUS = SHARED / "corpus-dev"


def shared_input(*parts: str) -> Path:
    """The path of a read-only input under ../shared/; the calling test is skipped, with the
    reason, where it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the read-only inputs of ../shared/ are not on this "
                    "machine")
    return path


POLL = 0.02  # seconds between two looks at a condition: short, so a wait ends soon after it

# The fast subset is `pytest -m "not slow"`. A test is marked `slow` (pyproject.toml registers
# the marker) when it runs a real build, a server, a browser or Virtuoso, or takes over ~2 s.
# These fixtures are such work, so a test that uses one, directly or through another fixture,
# must be marked: collection fails otherwise, before a fast run quietly grows slow.
SLOW_FIXTURES = frozenset({"article_build", "article_graph", "article_store",
                           "article_validation", "other_policy_graph"})


# The cache of the shared graphs' files (kg/build/cache.py): one folder for the whole run, made
# by the first process (the controller under pytest-xdist, whose workers inherit the variables)
# and removed by it, so that the run's builds make the entry once and never touch the user's
# own cache.
RUN_CACHE_OWNER = "_POLICY_KG_TEST_CACHE_OWNER"  # the pid of the process that made the folder


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get(RUN_CACHE_OWNER):
        return  # a worker, or a run inside a test: the folder of the run that made it
    os.environ["KG_CACHE_DIR"] = tempfile.mkdtemp(prefix="policy-kg-test-cache-")
    os.environ[RUN_CACHE_OWNER] = str(os.getpid())


def pytest_unconfigure(config: pytest.Config) -> None:
    if os.environ.get(RUN_CACHE_OWNER) == str(os.getpid()):
        shutil.rmtree(os.environ["KG_CACHE_DIR"], ignore_errors=True)
        del os.environ[RUN_CACHE_OWNER]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--shacl-parity", action="store_true",
                     help="also run the tests marked shacl_parity: pySHACL on every shape case, "
                          "compared with pyshacl-turbo (by default only on a subset)")
    parser.addoption("--module-cpu", type=Path, metavar="FILE",
                     help="append to FILE each test module's CPU seconds (its tests, fixtures "
                          "and the child processes they waited for), a TSV line per module: "
                          "steadier than seconds on a shared machine")


# CPU seconds per module (--module-cpu): the process's own and its waited-for children's
_module_cpu: dict[str, float] = {}


def _cpu_seconds() -> float:
    own, children = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                          resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    path = item.config.getoption("--module-cpu")
    if path is None:
        yield
        return
    start = _cpu_seconds()
    yield  # the module's fixtures are torn down here when `nextitem` is in another module
    module = _module_of(item)
    _module_cpu[module] = _module_cpu.get(module, 0.0) + _cpu_seconds() - start
    if nextitem is None or _module_of(nextitem) != module:
        # written as each module ends, so that a run stopped early still tells what it did
        _write_module_cpu(path, module, _module_cpu.pop(module))


def _module_of(item: pytest.Item) -> str:
    return item.nodeid.split("::")[0]


def _write_module_cpu(path: Path, module: str, cpu: float) -> None:
    with open(path, "a", encoding="utf-8") as f:  # one short write: the workers' lines stay whole
        f.write(f"{module}\t{cpu:.2f}\n")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    _skip_shacl_parity_unless_asked(config, items)
    _require_slow_marks(items)
    _heaviest_modules_first(items)


# The CPU seconds each module took in a measured run (--module-cpu): the workers take the
# heaviest modules first (pyproject.toml turns off pytest-xdist's own order, by number of
# tests), so that the run does not end with one worker alone in a heavy module. A module not
# listed counts as this many.
MODULE_SECONDS = Path(__file__).with_name("module_seconds.tsv")
UNLISTED_MODULE_SECONDS = 20.0


def module_seconds() -> dict[str, float]:
    """tests/module_seconds.tsv: a module's path from the repository root → its CPU seconds."""
    seconds = {}
    for line in MODULE_SECONDS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            path, value = line.split("\t")
            seconds[path] = float(value)
    return seconds


def _heaviest_modules_first(items: list[pytest.Item]) -> None:
    """Modules in the order of their measured seconds, heaviest first; each module's tests in
    their own order (a stable sort). Every worker sorts its identical collection the same way."""
    seconds = module_seconds()
    items.sort(key=lambda item: -seconds.get(item.nodeid.split("::")[0],
                                             UNLISTED_MODULE_SECONDS))


def _skip_shacl_parity_unless_asked(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--shacl-parity"):
        return
    skip = pytest.mark.skip(reason="pySHACL on every shape case runs with --shacl-parity")
    for item in items:
        if item.get_closest_marker("shacl_parity") is not None:
            item.add_marker(skip)


def _require_slow_marks(items: list[pytest.Item]) -> None:
    unmarked = [f"{item.nodeid} (uses {', '.join(sorted(SLOW_FIXTURES & set(item.fixturenames)))})"
                for item in items
                if SLOW_FIXTURES & set(getattr(item, "fixturenames", ()))
                and item.get_closest_marker("slow") is None]
    if unmarked:
        raise pytest.UsageError("mark these tests @pytest.mark.slow (tests/conftest.py, "
                                "SLOW_FIXTURES):\n  " + "\n  ".join(unmarked))


def wait_until(condition: Callable[[], object], timeout: float, what: str):
    """Poll `condition` until it returns something true, and return that; fail the test naming
    `what` at the deadline. Tests wait for a state like this, never for a fixed time."""
    deadline = time.monotonic() + timeout
    while True:
        found = condition()
        if found:
            return found
        if time.monotonic() >= deadline:
            pytest.fail(f"{what}: not seen within {timeout:g} s")
        time.sleep(POLL)


def process_running(pid: int) -> bool:
    """Whether the process `pid` still runs (Linux /proc): a zombie has ended, init reaps it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture(scope="session")
def extractor():
    from extract.pipeline import Extractor

    return Extractor()


@pytest.fixture(scope="session")
def gaz():
    from extract.gazetteer import default

    return default()


@pytest.fixture(scope="session")
def kg_command() -> list[str]:
    """The installed console script, run as a real subprocess."""
    exe = Path(sys.executable).with_name("kg")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "kg.cli"]


def kg_in_process(*args: str, cwd: Path | None = None, env: Mapping[str, str] | None = None,
                  timeout: float = 300) -> subprocess.CompletedProcess:
    """`kg ARGS` run by kg.cli.main in this process, returned as a finished process: its exit
    code and what it printed on stdout and stderr (with the warnings Python would print). It
    saves the 1-6 s of imports that each `kg` subprocess pays. A test about the process itself
    (a signal, a crash, its memory, a server, a terminal, --jobs) runs the real one
    (`kg_command`). A command still running at `timeout` fails the test, as subprocess.run's
    timeout would; it runs in the test's own thread (pyoxigraph's objects must be dropped on
    the thread that made them)."""
    from kg.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.ExitStack() as stack:
        if cwd is not None:
            stack.enter_context(contextlib.chdir(cwd))
        stack.enter_context(_environment(env or {}))
        stack.enter_context(_argv(["kg", *args]))  # what a bug's log file names
        stack.enter_context(contextlib.redirect_stdout(out))
        stack.enter_context(contextlib.redirect_stderr(err))
        stack.enter_context(_warnings_to(err))
        try:
            with _deadline(timeout):
                code = _exit_code(main, list(args))
        except _StillRunning:
            pytest.fail(f"kg {' '.join(args)}: still running after {timeout:g} s")
    return subprocess.CompletedProcess(["kg", *args], code, out.getvalue(), err.getvalue())


class _StillRunning(BaseException):
    """Raised into a command at its deadline: a BaseException, which kg's handlers let pass."""


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """SIGALRM after `seconds` raises _StillRunning in the running command (a signal handler
    runs in the main thread, where pytest runs the tests)."""
    def expire(signum, frame):
        raise _StillRunning

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _exit_code(main: Callable[[list[str]], int], argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as e:  # argparse's --help exits 0 through SystemExit
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)


@contextlib.contextmanager
def _warnings_to(stream: io.StringIO) -> Iterator[None]:
    """Warnings written to `stream` as a `kg` process writes them to its stderr: Python's
    default filters (DeprecationWarning and the like are not shown), each place once."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        for category in (DeprecationWarning, PendingDeprecationWarning, ImportWarning,
                         ResourceWarning):
            warnings.filterwarnings("ignore", category=category)
        yield
    for w in caught:
        stream.write(warnings.formatwarning(w.message, w.category, w.filename, w.lineno, w.line))


@contextlib.contextmanager
def _environment(changes: Mapping[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in changes}
    os.environ.update(changes)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextlib.contextmanager
def _argv(argv: list[str]) -> Iterator[None]:
    saved, sys.argv = sys.argv, argv
    try:
        yield
    finally:
        sys.argv = saved


def once_per_run(tmp_path_factory: pytest.TempPathFactory, name: str,
                 make: Callable[[Path], dict]) -> tuple[dict, Path]:
    """`make(folder)` run once for the whole test run, even across pytest-xdist's worker
    processes, which each have a session of their own: the first worker to ask makes it under
    a lock, the others wait for it and read what it returned (a dict of JSON values) and the
    folder it wrote. Returns (that dict, the folder)."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):  # each worker's base is inside the run's folder
        root = root.parent
    folder, done = root / f"once-{name}", root / f"once-{name}.json"
    with open(root / f"once-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, however the test ends
        if not done.exists():
            folder.mkdir(exist_ok=True)
            partial = done.with_suffix(".part")
            partial.write_text(json.dumps(make(folder)), encoding="utf-8")
            partial.rename(done)  # whole or absent: a worker never reads half of it
        return json.loads(done.read_text(encoding="utf-8")), folder


def _finished(process: subprocess.CompletedProcess) -> dict:
    return {"args": process.args, "returncode": process.returncode, "stdout": process.stdout,
            "stderr": process.stderr}


def _process(finished: dict) -> subprocess.CompletedProcess:
    return subprocess.CompletedProcess(**finished)


@pytest.fixture(scope="session")
def article_build(tmp_path_factory, kg_command) -> tuple[subprocess.CompletedProcess, Path]:
    """The article built once by the real `kg build` (a subprocess), shared by every test that
    only reads the outputs, in every xdist worker: (the finished process, the output folder,
    with its store and, by `--trig`, graph.trig). Do not write into it: copy it first."""
    def build(folder: Path) -> dict:
        return _finished(subprocess.run([*kg_command, "build", str(ARTICLE), "--out",
                                         str(folder / "out"), "--trig"],
                                        capture_output=True, text=True, timeout=600))

    finished, folder = once_per_run(tmp_path_factory, "article-build", build)
    return _process(finished), folder / "out"


@pytest.fixture(scope="session")
def article_graph(article_build) -> Path:
    """`graph.trig` of the shared build of the article (which must have succeeded)."""
    result, out = article_build
    assert result.returncode == 0, result.stderr
    return out / "graph.trig"


@pytest.fixture(scope="session")
def article_store(article_build) -> Path:
    """The Oxigraph store of the shared build of the article (OUT/store: the quads of its
    graph.trig, test_scale.py checks). Do not open it for writing: `copy_store` it first."""
    result, out = article_build
    assert result.returncode == 0, result.stderr
    return out / "store"


def copy_store(store: Path, to: Path) -> Path:
    """A copy of an Oxigraph store folder, for a test that needs the article in a store it may
    write into (an embedded store, or an `oxigraph serve` over it) and is not about `kg load`
    (test_stores.py and the load faults are): a copy takes a fraction of a second where a load
    parses the article's file again (2-3 CPU s) and writes every quad. Copied file by file, not
    hard-linked: a writer appends to some of a store's files."""
    shutil.copytree(store, to)
    return to


@pytest.fixture(scope="module")
def other_policy_graph(tmp_path_factory):
    """A second Oxigraph server with tests/data/other-policy-graph.ttl (tests/other_graph.py)."""
    from other_graph import start_other_graph

    server = start_other_graph(tmp_path_factory.mktemp("other-graph"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def article_validation(tmp_path_factory, article_graph, kg_command
                       ) -> subprocess.CompletedProcess:
    """`kg validate` of the shared build, run once: the shapes take about 15 s on the article."""
    def validate(_: Path) -> dict:
        return _finished(subprocess.run([*kg_command, "validate", "--graph", str(article_graph)],
                                        capture_output=True, text=True, timeout=600))

    return _process(once_per_run(tmp_path_factory, "article-validation", validate)[0])


def store_nquads(store: Path) -> list[str]:
    """The quads of an Oxigraph store folder (a build's OUT/store) as sorted N-Quads lines."""
    import pyoxigraph as ox

    text = ox.Store.read_only(str(store)).dump(format=ox.RdfFormat.N_QUADS).decode("utf-8")
    return sorted(line for line in text.splitlines() if line)


def file_nquads(graph_file: Path) -> list[str]:
    """A TriG (or .nq N-Quads) file's quads as an Oxigraph store holds them (it writes
    xsd:nonNegativeInteger as xsd:integer, and decimals canonically), as sorted N-Quads
    lines."""
    import pyoxigraph as ox

    fmt = ox.RdfFormat.N_QUADS if graph_file.suffix == ".nq" else ox.RdfFormat.TRIG
    store = ox.Store()
    store.bulk_extend(ox.parse(path=graph_file, format=fmt))
    text = store.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8")
    return sorted(line for line in text.splitlines() if line)


def cell(value) -> str | None:
    """A query's value as the catalogue tests compare it: rows are equal when their values are,
    and Oxigraph writes a decimal in its canonical form (0.8) where rdflib keeps the lexical
    form it read (0.80)."""
    if value is None:
        return None
    text = str(value)
    if re.fullmatch(r"-?\d+\.\d+", text):
        text = text.rstrip("0").rstrip(".")
    return text
