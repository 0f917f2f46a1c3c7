"""A throw-away Virtuoso (Debian's `virtuoso-opensource`, 7.2) to test the SPARQL store against.

`start_virtuoso(workdir)` writes its own virtuoso.ini into `workdir` (database, logs and the files
to load all live there; both ports picked free at run time and bound to 127.0.0.1 only), starts
`virtuoso-t +foreground`, waits until the SPARQL endpoint answers and hands back a
`VirtuosoServer`. `stop()` shuts it down and waits for the process to end; the server is also a
context manager. See docs/virtuoso.md for what was measured and how Virtuoso's SPARQL differs.

Install: `DEBIAN_FRONTEND=noninteractive apt-get install -y virtuoso-opensource` (the package's
postinst tries to start a system service; in a container /usr/sbin/policy-rc.d must deny it).
"""

from __future__ import annotations

import atexit
import contextlib
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

VIRTUOSO = "virtuoso-t"
ISQL = ("isql-vt", "isql")  # Debian names it isql-vt; upstream builds call it isql
USER = "dba"
PASSWORD = "dba"  # the fresh database's default; the server listens on 127.0.0.1 only

# The settings the server needs; everything else keeps Virtuoso's built-in defaults.
_INI = """\
[Database]
DatabaseFile       = {dir}/virtuoso.db
ErrorLogFile       = {dir}/virtuoso.log
LockFile           = {dir}/virtuoso.lck
TransactionFile    = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {dir}/virtuoso-temp.db
TransactionFile    = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort         = 127.0.0.1:{sql_port}
DisableUnixSocket  = 1
DisableTcpSocket   = 0
CheckpointInterval = 0
CaseMode           = 2
DirsAllowed        = ., {dir}
NumberOfBuffers    = 10000
MaxDirtyBuffers    = 6000
MaxQueryMem        = 500M

[HTTPServer]
ServerPort         = 127.0.0.1:{http_port}
ServerRoot         = {dir}
ServerThreads      = 10
MaxClientConnections = 10
Charset            = UTF-8
EnabledGzipContent = 0

[SPARQL]
; no silent truncation of results, and no "anytime" partial answers within the tests
ResultSetMaxRows           = 10000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime      = 0
"""


class VirtuosoError(RuntimeError):
    """The server did not start, or an admin (isql) command failed."""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _binary(*names: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    raise VirtuosoError(f"{' or '.join(names)} not found: apt-get install virtuoso-opensource")


def available() -> bool:
    """Whether Virtuoso is installed (tests skip on machines without it)."""
    return shutil.which(VIRTUOSO) is not None and any(shutil.which(n) for n in ISQL)


@dataclass
class VirtuosoServer:
    workdir: Path
    process: subprocess.Popen[bytes]
    sql_port: int
    http_port: int
    user: str = USER
    password: str = PASSWORD
    startup_seconds: float = 0.0  # from the launch to the first answer of the endpoint
    _loaded: int = field(default=0, repr=False)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def query_url(self) -> str:
        """SPARQL 1.1 Protocol, queries, no authentication."""
        return f"{self.base_url}/sparql"

    @property
    def update_url(self) -> str:
        """SPARQL 1.1 Update with HTTP digest authentication (`user`, `password`); with
        `open_writes`, `query_url` takes updates without authentication too. Virtuoso's parser
        gives up (SP030 memory exhausted) on an INSERT DATA of more than ~4,900 triples."""
        return f"{self.base_url}/sparql-auth"

    @property
    def gsp_url(self) -> str:
        """SPARQL 1.1 Graph Store Protocol (`?graph=…`; Virtuoso also reads `?graph-uri=…`),
        no authentication: writable only when the server was started with `open_writes`."""
        return f"{self.base_url}/sparql-graph-crud"

    @property
    def gsp_auth_url(self) -> str:
        """The Graph Store Protocol with HTTP digest authentication (`user`, `password`). A
        client that sends the body before the 401 challenge (urllib, for one) loses the
        connection on a body of more than a few hundred kilobytes; curl --digest does not."""
        return f"{self.base_url}/sparql-graph-crud-auth"

    @property
    def credentials(self) -> tuple[str, str]:
        return self.user, self.password

    @property
    def log(self) -> Path:
        return self.workdir / "virtuoso.log"

    def isql(self, sql: str, timeout: float = 300) -> str:
        """Run SQL statements (`;`-separated) as dba; raises VirtuosoError on any SQL error."""
        done = subprocess.run(
            [_binary(*ISQL), f"127.0.0.1:{self.sql_port}", self.user, self.password,
             f"exec={sql}"],
            capture_output=True, text=True, timeout=timeout, check=False, stdin=subprocess.DEVNULL)
        if done.returncode != 0 or "*** Error" in done.stderr:
            raise VirtuosoError(f"isql failed ({done.returncode}): {done.stderr.strip()}")
        return done.stdout

    def load_trig(self, path: Path | str, default_graph: str = "urn:x-default") -> float:
        """Load a TriG file keeping its named graphs (triples outside any graph block go to
        `default_graph`). Returns the seconds it took.

        The file is copied into the work directory (the only place DirsAllowed lets the server
        read) and parsed by Virtuoso's own loader, `DB.DBA.TTLP_MT` with flag 256 (TriG), in one
        transaction: 0.3-1.7 s for build/graph.trig's 48k quads, against ~3 s for a Graph Store
        PUT per graph. Literals, language tags and datatypes arrive exactly as written."""
        start = time.perf_counter()
        self._loaded += 1
        target = self.workdir / f"load-{self._loaded}.trig"
        shutil.copyfile(path, target)
        self.isql(f"DB.DBA.TTLP_MT(file_to_string_output('{_sql_string(str(target))}'), '', "
                  f"'{_sql_string(default_graph)}', 256);")
        target.unlink()
        return time.perf_counter() - start

    def clear(self, graph: str) -> None:
        """Drop one graph (SPARQL CLEAR)."""
        self.isql(f"SPARQL CLEAR GRAPH <{graph}>;")

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = 30) -> None:
        """Shut the server down (SIGTERM: Virtuoso checkpoints and exits), SIGKILL after
        `timeout` seconds; returns once the process is gone."""
        atexit.unregister(self.stop)
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)

    def __enter__(self) -> VirtuosoServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _sql_string(text: str) -> str:
    return text.replace("'", "''")


def _answers(url: str) -> bool:
    query = urllib.parse.urlencode({"query": "ASK {}"})
    request = urllib.request.Request(f"{url}?{query}",
                                     headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return response.status == 200 and b"boolean" in response.read()
    except (OSError, urllib.error.URLError):
        return False


def start_virtuoso(workdir: Path, timeout: float = 300, *, open_writes: bool = True
                   ) -> VirtuosoServer:
    """Start a fresh Virtuoso whose database lives in `workdir`; returns once `/sparql` answers.
    Raises VirtuosoError (with the log's tail) if it exits or is not ready within `timeout`.

    `open_writes` grants SPARQL_UPDATE to the anonymous SPARQL user, so that `gsp_url` and
    `query_url` take writes without authentication (the server listens on 127.0.0.1 only and
    dies with the test). The server is stopped at interpreter exit if nobody stopped it."""
    workdir = Path(workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    binary = _binary(VIRTUOSO)
    _binary(*ISQL)
    for attempt in range(3):  # a port picked free can be taken before the server binds it
        sql_port, http_port = _free_port(), _free_port()
        if sql_port == http_port:
            continue
        ini = workdir / "virtuoso.ini"
        ini.write_text(_INI.format(dir=workdir, sql_port=sql_port, http_port=http_port),
                       encoding="utf-8")
        start = time.perf_counter()
        with open(workdir / "virtuoso.out", "ab") as out:
            process = subprocess.Popen(
                [binary, "+foreground", "+configfile", str(ini)], cwd=workdir,
                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
        server = VirtuosoServer(workdir, process, sql_port, http_port)
        while time.perf_counter() - start < timeout:
            if process.poll() is not None:
                break
            if _answers(server.query_url):
                atexit.register(server.stop)
                if open_writes:
                    server.isql('GRANT SPARQL_UPDATE TO "SPARQL"; '
                                "DB.DBA.RDF_DEFAULT_USER_PERMS_SET('nobody', 7);")
                server.startup_seconds = time.perf_counter() - start
                return server
            time.sleep(0.1)
        server.stop()
        tail = _tail(workdir / "virtuoso.log")
        if process.returncode is not None and "address already in use" in tail.lower() \
                and attempt < 2:
            continue
        raise VirtuosoError(f"Virtuoso not ready within {timeout:.0f} s "
                            f"(exit code {process.returncode}):\n{tail}")
    raise VirtuosoError("no free ports for Virtuoso")


def _tail(path: Path, lines: int = 20) -> str:
    with contextlib.suppress(OSError):
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    return ""
