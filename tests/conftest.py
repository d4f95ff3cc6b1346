"""Shared fixtures of the test suite."""

import sys
from contextlib import ExitStack

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from pytest_django.plugin import blocking_manager_key, validate_django_db
from rest_framework.test import APIClient

from tests.browser import browser  # noqa: F401 (a fixture: headless Chromium)


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture(scope="module")
def curated_dataset_of_module(django_db_setup, django_db_blocker):
    """The curated dataset (fixtures/), loaded once for a module whose every test reads it, in a
    transaction of the module's own that is rolled back after its last test. Each test's own
    transaction (the `db` fixture) is then a savepoint within it, rolled back after the test, so that
    every test starts from the dataset as loaded, as it would from a load of its own, without paying
    for one. Not for transactional tests, which commit and flush."""
    import pghistory

    from events.dataset import load

    with ExitStack() as module_transaction:
        with django_db_blocker.unblock():
            module_transaction.enter_context(transaction.atomic())
            with pghistory.context(command="load_dataset"):  # as manage.py load_dataset writes it
                load([settings.BASE_DIR / "fixtures"])
        yield
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            module_transaction.close()


# The groups the migrations wrote (the Curators), each with its permissions' natural keys, as pytest-django's
# migrate left them in the test database.
MIGRATED_GROUPS: dict[str, list[tuple[str, str, str]]] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, made and migrated by pytest-django, with its groups taken note of."""
    from django.contrib.auth.models import Group

    with django_db_blocker.unblock():
        for group in Group.objects.prefetch_related("permissions__content_type"):
            MIGRATED_GROUPS[group.name] = [permission.natural_key() for permission in group.permissions.all()]


def transactional(item: pytest.Item) -> bool:
    """Whether the test commits, and so ends in a flush of every table (pytest-django's own rule)."""
    marker = item.get_closest_marker("django_db")
    committing = marker is not None and any(validate_django_db(marker)[:2])
    return committing or {"transactional_db", "live_server"} & set(item.fixturenames) != set()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test's flush takes away the groups that migrations, not tests, wrote; the next test
    must find them as migrated. pytest-django runs the transactional tests last, so a whole run in one
    process hardly meets this, but a test worker (xdist) runs each file's tests, flushing ones included,
    before the next file's."""
    torn_down = yield
    if MIGRATED_GROUPS and nextitem is not None and transactional(item):  # not after the last
        from django.contrib.auth.models import Group, Permission

        with item.session.config.stash[blocking_manager_key].unblock():
            for name, keys in MIGRATED_GROUPS.items():
                group, made = Group.objects.get_or_create(name=name)
                if made:
                    group.permissions.set([Permission.objects.get_by_natural_key(*key) for key in keys])
    return torn_down


@pytest.fixture(autouse=True)
def no_rate_limits(settings):
    """Tests send many requests from one address; the rate-limit tests set their own rates."""
    settings.API_RATES = {"anon": None, "user": None}


@pytest.fixture(autouse=True)
def no_kept_responses(settings):
    """Tests read the same URL again to see what changed; the response cache's tests turn it on."""
    settings.RESPONSE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with empty caches: no rate-limit counts, no row estimates, no answers kept by
    another test."""
    for alias in settings.CACHES:
        caches[alias].clear()
    yield
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture(autouse=True)
def export_slots_given_back(django_db_blocker):
    """A test that reads part of an export and drops the response never has it closed, as a server
    would (conflictdb/export_limits.py): its slot would stay held, and a later test get a 429."""
    yield
    from conflictdb.export_limits import AdvisorySlots

    if AdvisorySlots.held:
        AdvisorySlots.held.clear()
        from django.db import connection

        if connection.connection is not None and not connection.connection.closed:
            with django_db_blocker.unblock(), connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock_all()")


def pytest_terminal_summary(terminalreporter):
    """Report how many property-based cases ran, and for the hostile inputs what each operation answered,
    for the record (only of the modules that were collected)."""
    for kind, module in [("reads", "test_schemathesis"), ("writes", "test_schemathesis_writes")]:
        collected = sys.modules.get(f"tests.conflictdb.{module}")
        cases = collected.CASES if collected else {"count": 0}
        if cases["count"]:
            terminalreporter.write_line(
                f"schemathesis {kind}: {cases['count']} cases over {len(cases['operations'])} operations"
            )
    hostile = sys.modules.get("tests.conflictdb.test_hostile_input")
    for operation, answers in (hostile.CASES if hostile else {}).items():
        server_errors = sum(
            n for status, n in answers.items() if status.startswith("5") and "known" not in status
        )
        statuses = ", ".join(f"{status}: {n}" for status, n in sorted(answers.items()))
        terminalreporter.write_line(
            f"hostile input, {operation}: {answers.total()} cases, {server_errors} server errors ({statuses})"
        )
