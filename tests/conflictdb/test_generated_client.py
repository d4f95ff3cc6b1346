"""A client generated from the served schema by openapi-python-client imports whole and works against a
live server: filtered lists with several values, pages followed through `next`, a detail, a create, a
PATCH with If-Match and a nested list, a stale If-Match, a delete, and problems parsed as such.

The generator is not a dependency of the project: it is installed from PyPI, pinned, into its own
virtualenv in the user's cache folder, outside the checkout and keyed by the pin (so that a second run,
and CI's next run from a fresh clone on the same machine, reuse it; only the first run pays for it), and
the test is skipped, saying why, where that cannot be done. The generated code runs in that virtualenv
too (tests/conflictdb/generated_client_session.py), whose packages are the ones it is generated for.
"""

import fcntl
import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from events.models import Event
from events.vocabularies import EventType
from tests import factories
from tests.tools import tools_cache

GENERATOR = "openapi-python-client==0.29.1"
SESSION = Path(__file__).with_name("generated_client_session.py")
CONFIG = "package_name_override: conflictdb_client\npost_hooks: []\n"  # no formatter run on the output


def tools_folder() -> Path:
    """Where the generator's virtualenv is kept (tests/tools.py), in a folder named by the pin and the
    Python it runs on, so that a new pin or a new Python gets a virtualenv of its own."""
    python = f"py{sys.version_info.major}.{sys.version_info.minor}"
    return tools_cache() / f"{GENERATOR.replace('==', '-')}-{python}"


def usable(tools: Path) -> bool:
    """Whether a virtualenv made before is whole (its install finished) and its Python still runs."""
    python = tools / "bin" / "python"
    if not (tools / ".installed").exists() or not python.exists():
        return False
    return subprocess.run([str(python), "-c", ""], capture_output=True, timeout=60).returncode == 0


def install(tools: Path) -> None:
    """The generator, pinned, into a new virtualenv at `tools`; a skip, saying why, without PyPI."""
    shutil.rmtree(tools, ignore_errors=True)
    python = tools / "bin" / "python"
    steps = [
        [sys.executable, "-m", "venv", str(tools)],
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", GENERATOR],
    ]
    for step in steps:
        try:
            subprocess.run(step, check=True, capture_output=True, text=True, timeout=600)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            shutil.rmtree(tools, ignore_errors=True)
            output = (getattr(exc, "stderr", None) or "").strip().splitlines()[-3:]
            pytest.skip(f"{GENERATOR} could not be installed from PyPI: {exc} {' '.join(output)}")
    (tools / ".installed").touch()


@pytest.fixture(scope="session")
def generator(tmp_path_factory) -> Path:
    """The generator's virtualenv from the cache, made there on first use. Runs at once (two test
    workers, two checkouts) wait for each other's install on a lock beside it rather than both writing
    it; where the cache folder cannot be written, the virtualenv is made for this run alone."""
    tools = tools_folder()
    try:
        tools.parent.mkdir(parents=True, exist_ok=True)
        lock = (tools.parent / f"{tools.name}.lock").open("w")
    except OSError:
        tools = tmp_path_factory.mktemp("tools") / tools.name
        install(tools)
        return tools
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # let go when the file is closed
        if not usable(tools):
            install(tools)
    return tools


def generate(generator: Path, directory: Path) -> str:
    """The client generated from the schema /api/schema/ serves, in `directory`/conflictdb_client; the
    generator's output."""
    schema = directory / "openapi.json"
    schema.write_bytes(Client().get("/api/schema/", {"format": "json"}).content)
    config = directory / "config.yaml"
    config.write_text(CONFIG)
    command = [str(generator / "bin" / "openapi-python-client"), "generate", "--path", str(schema)]
    command += [
        "--meta",
        "none",
        "--output-path",
        str(directory / "conflictdb_client"),
        "--config",
        str(config),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def on(day: int, **fields) -> Event:
    return factories.event(start_date=date(2015, 10, day), end_date=date(2015, 10, day), **fields)


@pytest.mark.django_db(transaction=True)
def test_a_generated_client_reads_pages_and_writes(generator, live_server, tmp_path):
    syria, iraq, turkey = (factories.place(country=code) for code in ("SYR", "IRQ", "TUR"))
    strikes = EventType.EXPLOSIONS_REMOTE_VIOLENCE
    matching = [
        on(1, place=syria, event_type=strikes),
        on(2, place=iraq, event_type=EventType.BATTLES, sub_event_type=""),
        on(3, place=syria, event_type=EventType.BATTLES, sub_event_type=""),
        on(3, place=iraq, event_type=strikes),
        on(4, place=syria, event_type=strikes),
    ]
    on(5, place=turkey, event_type=strikes)  # another country
    on(5, place=syria, event_type=EventType.STRATEGIC_DEVELOPMENTS, sub_event_type="")  # another type
    russia, rebels = factories.actor(), factories.actor()
    token = factories.token(User.objects.create_superuser("root"))
    newest_first = sorted(matching, key=lambda event: (-event.start_date.toordinal(), event.slug))
    plan = {
        "countries": ["SYR", "IRQ"],
        "event_types": [strikes.value, EventType.BATTLES.value],
        "read": matching[0].slug,
        "new": {
            "slug": "generated-client-event",
            "title": "Written by a generated client",
            "new_title": "Patched by a generated client",
            "event_type": strikes.value,
            "date": "2015-10-06",
            "place": syria.slug,
            "perpetrator": russia.slug,
            "target": rebels.slug,
        },
    }

    output = generate(generator, tmp_path)
    assert "Warning" not in output, output  # every part of the schema was understood
    run = subprocess.run(
        [
            str(generator / "bin" / "python"),
            str(SESSION),
            str(tmp_path),
            live_server.url,
            token,
            json.dumps(plan),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout)

    assert seen["modules"] > 50  # every operation's module and every model's, imported
    assert seen["listed"] == [event.slug for event in newest_first]
    assert (seen["pages"], seen["count"]) == (3, 5)  # two a page: 2 + 2 + 1
    assert seen["read"]["status"] == 200 and seen["read"]["title"] == matching[0].title
    assert seen["read"]["etag"]
    assert seen["problem"] == {"status": 400, "attrs": ["country"]}
    assert seen["created"] == {"status": 201, "actors": [[russia.slug, "perpetrator"]]}
    assert seen["patched"] == {
        "status": 200,
        "title": "Patched by a generated client",
        "actors": [[rebels.slug, "target"]],
        "etag_changed": True,
    }
    assert seen["stale"] == {"status": 412, "is_problem": True}
    assert seen["deleted"] == {"status": 204, "then": 404}
    assert not Event.objects.filter(slug="generated-client-event").exists()
