"""Real servers for the tests of what runs past one machine: a PostgreSQL primary and its streaming replica,
pgbouncer in transaction mode, Redis, and the API under gunicorn in front of them.

Each runs on a free port in a folder of its own under the system's temporary folder, started once per
test session and stopped at its end. PostgreSQL comes from the machine (Debian keeps its programs under
/usr/lib/postgresql/<version>/bin) or else from the embedded server's wheel; pgbouncer and Redis are
Debian's, installed when missing where that can be done (as root, with apt-get). What cannot be had is
a skip that says why, or a failure under CI.

The primary's database is a copy of the test run's own (migrated by pytest-django), so that no migration
runs again; the servers' role and a few records are added to it by `seed` in a manage.py process.
"""

import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
import redis
from django.conf import settings

from bench.server import database_env, free_port, start_server
from tests.schema_dump import SEARCHED, pg_dump
from tests.throwaway import database_url

DATABASE = "conflictdb"
APP_ROLE = "conflictdb_app"
SUPERUSER = "postgres"
# The settings the servers' connections otherwise send at start-up, which pgbouncer does not pass on: its
# connect_query gives them to each server connection it opens (docs/scaling.md).
CONNECT_QUERY = "SET jit = off; SET random_page_cost = 1.1; SET statement_timeout = 5000"


def unavailable(reason: str):
    """Skip, or fail under CI, where the test must run."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: this must run)")
    pytest.skip(reason)


def run(*command, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, check=True, capture_output=True, text=True, timeout=120, **kwargs)


def server_user() -> list[str]:
    """The prefix that runs a program as a user PostgreSQL and pgbouncer accept: they refuse root."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam(SUPERUSER)
    except KeyError:
        unavailable("running as root without a 'postgres' user to run PostgreSQL and pgbouncer as")
    return ["runuser", "-u", SUPERUSER, "--"]


def postgresql_programs() -> Path:
    """The folder of initdb, pg_ctl, pg_basebackup and psql, with pg_stat_statements beside them."""
    for folder in SEARCHED:
        folder = Path(shutil.which("initdb") or "").parent if folder is None else folder
        names = ["initdb", "pg_ctl", "pg_basebackup", "psql", "pg_config"]
        if all((folder / name).exists() for name in names):
            libraries = Path(run(str(folder / "pg_config"), "--pkglibdir").stdout.strip())
            if (libraries / "pg_stat_statements.so").exists():
                return folder
    unavailable("no PostgreSQL programs (initdb, pg_basebackup) with pg_stat_statements were found")


def installed(program: str, package: str) -> str:
    """The path of `program`, from Debian's `package`, installed if need be."""
    path = f"{os.environ.get('PATH', '')}:/usr/sbin:/usr/bin"
    if shutil.which(program, path=path) is None and os.geteuid() == 0 and shutil.which("apt-get"):
        environment = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
        install = ["apt-get", "install", "-y", "-qq", package]
        if subprocess.run(install, env=environment, capture_output=True, timeout=300).returncode:
            subprocess.run(["apt-get", "update", "-qq"], env=environment, capture_output=True, timeout=300)
            subprocess.run(install, env=environment, capture_output=True, timeout=300)
    found = shutil.which(program, path=path)
    if found is None:
        unavailable(f"{program} is not installed and cannot be (Debian: apt-get install {package})")
    return found


def listening(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port}")


def url(port: int, user: str = APP_ROLE, database: str = DATABASE) -> str:
    return f"postgres://{user}@127.0.0.1:{port}/{database}"


def sql(port: int, statement: str, params=(), database: str = DATABASE):
    """Every row `statement` gives, run as the superuser."""
    with psycopg.connect(url(port, SUPERUSER, database), autocommit=True) as connection:
        cursor = connection.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


@dataclass
class Cluster:
    """A PostgreSQL primary and its streaming replica, with what `seed` wrote."""

    folder: Path
    programs: Path
    primary: int  # ports
    replica: int
    seeded: dict

    def pg_ctl(self, data: str, *arguments: str) -> None:
        run(*server_user(), str(self.programs / "pg_ctl"), "-D", str(self.folder / data), *arguments)

    def start(self, data: str, port: int) -> None:
        log = str(self.folder / f"{data}.log")
        self.pg_ctl(data, "-o", f"-p {port}", "-l", log, "-w", "-t", "60", "start")

    def stop(self, data: str) -> None:
        """Stop the server at once, as a crash would."""
        self.pg_ctl(data, "-m", "immediate", "-w", "stop")

    def running(self, data: str) -> bool:
        status = [*server_user(), str(self.programs / "pg_ctl"), "-D", str(self.folder / data), "status"]
        return subprocess.run(status, capture_output=True).returncode == 0

    def replay(self, paused: bool) -> None:
        """Pause or resume the replica's replay of the primary's changes."""
        sql(self.replica, f"SELECT pg_wal_replay_{'pause' if paused else 'resume'}()")

    def caught_up(self, seconds: float = 30) -> None:
        """Wait until the replica has replayed everything the primary has written so far."""
        (target,) = sql(self.primary, "SELECT pg_current_wal_flush_lsn()")[0]
        deadline = time.monotonic() + seconds
        while sql(self.replica, "SELECT pg_last_wal_replay_lsn() >= %s", [target])[0][0] is not True:
            assert time.monotonic() < deadline, "the replica did not catch up"
            time.sleep(0.1)

    def statement_calls(self, port: int, table: str) -> int:
        """How many statements reading `table` the servers' role ran on the server at `port`
        (pg_stat_statements: counted when each statement ends, on the server that ran it)."""
        return sql(
            port,
            """SELECT coalesce(sum(calls), 0)::int
                 FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid
                WHERE r.rolname = %s AND s.query LIKE %s""",
            [APP_ROLE, f'%"{table}"%'],
        )[0][0]


def test_database_url() -> str:
    return database_url(settings.DATABASES["default"]["NAME"])


def start_cluster(folder: Path) -> Cluster:
    programs = postgresql_programs()
    as_server = server_user()
    cluster = Cluster(folder, programs, free_port(), free_port(), {})
    initdb = [str(programs / "initdb"), "-D", str(folder / "primary"), "-U", SUPERUSER, "-A", "trust"]
    run(*as_server, *initdb, "--no-sync", "--encoding=UTF8", "--no-locale")
    with open(folder / "primary" / "postgresql.conf", "a") as conf:
        conf.write(
            "listen_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{folder}'\n"
            "fsync = off\nfull_page_writes = off\n"
            "shared_buffers = 32MB\nmax_connections = 60\n"
            "shared_preload_libraries = 'pg_stat_statements'\n"
        )
    with open(folder / "primary" / "pg_hba.conf", "a") as hba:
        hba.write("host replication all 127.0.0.1/32 trust\n")
    cluster.start("primary", cluster.primary)
    sql(cluster.primary, f'CREATE DATABASE "{DATABASE}"', database="postgres")
    # The test run's database, as pytest-django migrated it, into the primary.
    dump = run(pg_dump(test_database_url()), "--no-owner", "--dbname", test_database_url()).stdout
    subprocess.run(
        [str(programs / "psql"), "-q", "-v", "ON_ERROR_STOP=1", url(cluster.primary, SUPERUSER)],
        input=dump,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    sql(cluster.primary, "CREATE EXTENSION pg_stat_statements")
    seeded = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", "from tests.clusters import seed; seed()"],
        cwd=settings.BASE_DIR,
        env=os.environ | {"DATABASE_URL": url(cluster.primary, SUPERUSER)},
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    cluster.seeded = json.loads(seeded.stdout.strip().splitlines()[-1])
    run(
        *as_server,
        str(programs / "pg_basebackup"),
        "--dbname",
        f"host=127.0.0.1 port={cluster.primary} user={SUPERUSER}",
        "-D",
        str(folder / "replica"),
        "--write-recovery-conf",
        "--wal-method=stream",
        "--checkpoint=fast",
        "--no-sync",
    )
    cluster.start("replica", cluster.replica)
    cluster.caught_up()
    return cluster


def seed():
    """In a manage.py process on the primary, as its superuser: the servers' role and its grants, two
    curators with a token each, and three events. Prints what a test needs to know, as JSON."""
    from django.contrib.auth.models import Group, Permission

    from conflictdb import roles
    from events.curators import ensure_curators_group
    from tests import factories

    roles.create_role(APP_ROLE, password=None)
    roles.grant(APP_ROLE)
    ensure_curators_group(Group, Permission)
    curators = {
        name: factories.token(factories.user(username=name, curator=True)) for name in ("alice", "bob")
    }
    events = [
        factories.event(slug=f"cluster-event-{n}", summary=f"As first written ({n}).") for n in range(3)
    ]
    print(json.dumps({"tokens": curators, "events": [event.slug for event in events]}))


@pytest.fixture(scope="session")
def server_folder():
    """A folder the servers' user may write in (pytest's own temporary folders are root's alone): in
    memory where the machine has room, as the servers' files are written, copied and removed at speed."""
    memory = Path("/dev/shm")
    in_memory = memory.is_dir() and os.access(memory, os.W_OK) and shutil.disk_usage(memory).free > 2**30
    folder = Path(tempfile.mkdtemp(prefix="conflictdb-servers-", dir=memory if in_memory else None))
    if os.geteuid() == 0 and server_user():
        shutil.chown(folder, SUPERUSER)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def cluster(django_db_setup, django_db_blocker, server_folder):
    """A primary holding a copy of the test database, and its streaming replica; stopped at the end."""
    stopping = Cluster(server_folder, postgresql_programs(), 0, 0, {})
    try:
        with django_db_blocker.unblock():
            found = start_cluster(server_folder)
        yield found
    finally:
        for data in ("replica", "primary"):
            if (server_folder / data).exists() and stopping.running(data):
                stopping.stop(data)


@pytest.fixture(scope="session")
def redis_url(server_folder):
    """A Redis of the session's own (the rate limits' and pins' shared state), or None without one."""
    program = shutil.which("redis-server")
    if program is None:
        yield None
        return
    port = free_port()
    process = subprocess.Popen(
        [program, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=server_folder,
        stdout=subprocess.DEVNULL,
    )
    try:
        listening(port)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture
def empty_redis(redis_url):
    """The URL of a database of the session's own Redis, empty before and after the test: never the
    machine's Redis, which other test runs at the same time (another checkout, another worker) share."""
    if redis_url is None:
        unavailable("redis-server is not installed (Debian: apt-get install redis-server)")
    url = redis_url.rsplit("/", 1)[0] + "/15"  # apart from the database the API servers' tests use
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    client.flushdb()
    yield url
    client.flushdb()


@pytest.fixture(scope="session")
def pgbouncer(cluster, server_folder):
    """pgbouncer in transaction mode in front of the primary; its port."""
    program = installed("pgbouncer", "pgbouncer")
    port = free_port()
    users = server_folder / "users.txt"
    users.write_text(f'"{APP_ROLE}" ""\n"{SUPERUSER}" ""\n')
    config = server_folder / "pgbouncer.ini"
    config.write_text(
        "[databases]\n"
        f"{DATABASE} = host=127.0.0.1 port={cluster.primary} dbname={DATABASE} "
        f"connect_query='{CONNECT_QUERY}'\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir = {server_folder}\n"
        f"auth_type = trust\nauth_file = {users}\n"
        "pool_mode = transaction\n"
        # A few server connections, each transaction on the next: what a session left on one is then
        # soon met by another client's transaction, as under load.
        "default_pool_size = 3\nmin_pool_size = 3\nserver_round_robin = 1\n"
        f"max_client_conn = 200\nlogfile = {server_folder / 'pgbouncer.log'}\n"
    )
    process = subprocess.Popen([*server_user(), program, str(config)], stdout=subprocess.DEVNULL)
    try:
        listening(port)
        yield port
    finally:
        process.terminate()
        process.wait(10)


def api_server(**environment) -> tuple[subprocess.Popen, str]:
    """gunicorn serving the API with `environment` over production-like settings, as the bench starts it
    (its workers: WORKERS, else 2)."""
    env = {k: v for k, v in database_env().items() if k not in ("CONFLICTDB_PGDATA", "REDIS_URL")}
    workers = int(environment.pop("WORKERS", 2))
    env |= {key: str(value) for key, value in environment.items() if value is not None}
    return start_server(env, workers=workers)


def stop_api_server(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(10)


def call(base: str, path: str, *, method="GET", token=None, body=None, headers=None):
    """(status, headers, body) of a request to the API at `base`, as a client sends it."""
    headers = dict(headers or {})
    if token:
        headers["Authorization"] = f"Token {token}"
    if body is not None:
        headers["Content-Type"] = "application/json"
        body = json.dumps(body).encode()
    request = urllib.request.Request(f"{base}{path}", data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def read(base: str, path: str, **options) -> dict:
    """The JSON of a successful request."""
    status, _headers, body = call(base, path, **options)
    assert status == 200, (status, body[:500])
    return json.loads(body)
