"""Which database serves a request (conflictdb/routing.py), how far behind a replica is taken to be
(conflictdb/replicas.py), and the settings of both. The same with real servers: test_replicas.py."""

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import DatabaseError
from django.http import HttpResponse
from django.test import RequestFactory

from conflictdb import replicas as replicas_module
from conflictdb import routing
from conflictdb.replicas import Sample, lag_seconds

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


# How far behind ------------------------------------------------------------------------------------


def test_a_replica_past_a_sample_of_the_primary_is_fresh_as_of_that_sample():
    samples = [Sample(100, at(0), 1000.0), Sample(200, at(1), 1001.0), Sample(300, at(2), 1002.0)]

    # It has replayed up to the second sample; the primary's clock is now 2.5 s past T0.
    assert lag_seconds(samples, 250, replayed_at=at(-60), now=1002.5) == pytest.approx(1.5)
    # Level with the last: as fresh as the last sample, however long ago its last commit.
    assert lag_seconds(samples, 300, replayed_at=at(-3600), now=1002.5) == pytest.approx(0.5)


def test_a_replica_behind_every_sample_is_as_fresh_as_its_last_replayed_commit():
    samples = [Sample(500, at(10), 1010.0)]

    assert lag_seconds(samples, 400, replayed_at=at(7), now=1011.0) == pytest.approx(4.0)


def test_without_evidence_a_replica_is_taken_to_be_infinitely_behind():
    assert lag_seconds([Sample(500, at(10), 1010.0)], None, replayed_at=None, now=1011.0) == float("inf")
    # No sample of the primary at all (it never answered): nothing to measure against.
    assert lag_seconds([], 400, replayed_at=at(7), now=1011.0) == float("inf")


def test_a_lag_is_never_negative():
    assert lag_seconds([Sample(500, at(10), 1010.0)], 500, replayed_at=at(12), now=1010.0) == 0.0


# Which database ------------------------------------------------------------------------------------


class FakeReplicas:
    """Replicas as routing sees them: one usable replica, or none."""

    def __init__(self, usable=True):
        self.usable = usable
        self.rechecked = []

    def choose(self):
        return "replica1" if self.usable else None

    def usable_now(self, alias):
        self.rechecked.append(alias)
        return self.usable


@pytest.fixture
def replicas(monkeypatch, settings):
    settings.REPLICA_MAX_LAG_SECONDS = 5
    fake = FakeReplicas()
    monkeypatch.setattr(routing, "replicas", lambda: fake)
    return fake


def serve(request, status=200, user=None):
    """The middleware around a view that reads once; (where it read, the response)."""
    read_from = []

    def view(request):
        read_from.append(routing.ReplicaRouter().db_for_read(None))
        if user is not None:
            request.user = user
        return HttpResponse(status=status if len(read_from) == 1 else 200)

    response = routing.ReplicaReadsMiddleware(view)(request)
    return read_from, response


def test_an_anonymous_read_goes_to_a_replica_and_only_that_request(replicas):
    assert serve(RequestFactory().get("/api/v1/events/"))[0] == ["replica1"]
    # Outside a request (commands, the shell, tests): the primary.
    assert routing.ReplicaRouter().db_for_read(None) == "default"


def test_writes_and_migrations_stay_on_the_primary(replicas):
    router = routing.ReplicaRouter()

    assert router.db_for_write(None) == "default"
    assert router.allow_migrate("default", "events") and not router.allow_migrate("replica1", "events")
    assert serve(RequestFactory().post("/api/v1/events/"))[0] == ["default"]


def test_the_admin_reads_the_primary(replicas):
    assert serve(RequestFactory().get("/admin/events/event/"))[0] == ["default"]


def test_with_no_usable_replica_the_primary_serves(replicas):
    replicas.usable = False
    assert serve(RequestFactory().get("/api/v1/events/"))[0] == ["default"]


@pytest.mark.django_db
def test_a_writer_reads_the_primary_for_the_pin_by_cookie_or_by_credentials(replicas):
    curator = User.objects.create_user("pinned-curator")
    factory = RequestFactory()
    _read, written = serve(factory.patch("/api/v1/events/e/", HTTP_AUTHORIZATION="Token abc"), user=curator)
    cookie = written.cookies[routing.PIN_COOKIE]
    assert cookie["max-age"] == routing.pin_seconds() == 7  # the bound, the check's second, and one more
    assert cookie["httponly"]

    with_cookie = factory.get("/api/v1/events/")
    with_cookie.COOKIES[routing.PIN_COOKIE] = cookie.value
    assert serve(with_cookie)[0] == ["default"]
    # The same credentials without the cookie (a token client keeping none): pinned all the same.
    assert serve(factory.get("/api/v1/events/", HTTP_AUTHORIZATION="Token abc"))[0] == ["default"]
    # Others are not.
    assert serve(factory.get("/api/v1/events/", HTTP_AUTHORIZATION="Token other"))[0] == ["replica1"]
    assert serve(factory.get("/api/v1/events/"))[0] == ["replica1"]


def test_a_forged_or_anonymous_pin_pins_nothing(replicas):
    forged = RequestFactory().get("/api/v1/events/")
    forged.COOKIES[routing.PIN_COOKIE] = "1"
    assert serve(forged)[0] == ["replica1"]
    # An anonymous unsafe request is refused and changes nothing: no pin.
    _read, refused = serve(RequestFactory().post("/api/v1/events/"), status=401, user=AnonymousUser())
    assert routing.PIN_COOKIE not in refused.cookies


def test_a_request_failing_on_a_lost_replica_is_served_again_from_the_primary(replicas):
    calls = []

    def view(request):
        calls.append(routing.ReplicaRouter().db_for_read(None))
        if len(calls) == 1:
            replicas.usable = False  # the replica goes away during the request
            return HttpResponse(status=503)
        return HttpResponse(status=200)

    response = routing.ReplicaReadsMiddleware(view)(RequestFactory().get("/api/v1/events/"))
    assert (calls, response.status_code, replicas.rechecked) == (["replica1", "default"], 200, ["replica1"])


def test_a_503_of_a_replica_that_still_answers_is_the_answer(replicas):
    # A statement timeout: the replica is well, and the same statement would be as slow on the primary.
    reads, response = serve(RequestFactory().get("/api/v1/events/"), status=503)
    assert (reads, response.status_code, replicas.rechecked) == (["replica1"], 503, ["replica1"])


# The settings ----------------------------------------------------------------------------------------

PRINT_DATABASES = (
    "import json, conflictdb.settings as s; "
    "print(json.dumps({'databases': s.DATABASES, 'replicas': s.DATABASE_REPLICAS, "
    "'routers': getattr(s, 'DATABASE_ROUTERS', []), 'middleware': s.MIDDLEWARE}, default=str))"
)


def imported_settings(**environment) -> dict:
    child = subprocess.run(
        [sys.executable, "-c", PRINT_DATABASES],
        env=os.environ | {"DATABASE_URL": "postgres://app@db.example.org/conflictdb"} | environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert child.returncode == 0, child.stderr
    return json.loads(child.stdout)


def test_each_replica_url_is_an_alias_with_the_primarys_connection_settings():
    found = imported_settings(
        DATABASE_REPLICA_URLS="postgres://app@replica-a.example.org/conflictdb, postgres://app@replica-b/conflictdb"
    )
    databases = found["databases"]

    assert found["replicas"] == ["replica1", "replica2"]
    assert [databases[alias]["HOST"] for alias in found["replicas"]] == ["replica-a.example.org", "replica-b"]
    assert databases["replica1"]["OPTIONS"] == databases["default"]["OPTIONS"]
    assert databases["replica1"]["TEST"] == {"MIRROR": "default"}
    assert found["routers"] == ["conflictdb.routing.ReplicaRouter"]
    assert "conflictdb.routing.ReplicaReadsMiddleware" in found["middleware"]


def test_without_replicas_there_is_no_router_and_no_middleware():
    found = imported_settings()

    assert (found["replicas"], found["routers"]) == ([], [])
    assert "conflictdb.routing.ReplicaReadsMiddleware" not in found["middleware"]


def test_behind_a_transaction_pooler_no_connection_sends_startup_options():
    found = imported_settings(
        DATABASE_TRANSACTION_POOLING="true", DATABASE_REPLICA_URLS="postgres://app@replica/conflictdb"
    )

    for database in found["databases"].values():
        assert "options" not in database["OPTIONS"]
        assert database["OPTIONS"]["application_name"] == "conflictdb"
    assert "options" in imported_settings()["databases"]["default"]["OPTIONS"]


# Checking the replicas -------------------------------------------------------------------------------


class Unanswering:
    """A connection whose server does not answer, counting the attempts."""

    def __init__(self):
        self.attempts = 0

    def cursor(self):
        self.attempts += 1
        raise DatabaseError("the server does not answer")

    def close(self):
        pass


class Standby(Unanswering):
    """A connection to a server at LSN 100 at T0: as a primary its position, as a standby its replay."""

    def cursor(self):
        self.attempts += 1
        standby = self

        class Cursor:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return False

            def execute(self, sql):
                standby.sql = sql

            def fetchone(self):
                return (100, T0) if standby.sql == replicas_module.PRIMARY_POSITION else (True, 100, T0)

        return Cursor()


def test_a_primary_that_does_not_answer_is_asked_again_only_after_a_while(monkeypatch):
    primary, replica = Unanswering(), Standby()
    monkeypatch.setattr(replicas_module, "connections", {"default": primary, "replica1": replica})
    clock = [1000.0]
    monkeypatch.setattr(replicas_module.time, "monotonic", lambda: clock[0])
    known = replicas_module.Replicas(["replica1"], max_lag=5)

    for _ in range(4):  # the replica is checked every second; the primary is not asked every time
        assert known.choose() is None  # no sample of the primary: its lag cannot be known
        clock[0] += replicas_module.CHECK_SECONDS
    assert (primary.attempts, replica.attempts) == (1, 4)
    clock[0] += replicas_module.DOWN_SECONDS
    known.choose()
    assert (primary.attempts, replica.attempts) == (2, 5)


def test_a_replica_that_does_not_answer_is_asked_again_only_after_a_while(monkeypatch):
    replica = Unanswering()
    monkeypatch.setattr(replicas_module, "connections", {"default": Standby(), "replica1": replica})
    clock = [1000.0]
    monkeypatch.setattr(replicas_module.time, "monotonic", lambda: clock[0])
    known = replicas_module.Replicas(["replica1"], max_lag=5)

    assert known.choose() is None
    clock[0] += replicas_module.CHECK_SECONDS
    assert known.choose() is None
    assert replica.attempts == 1
    clock[0] += replicas_module.DOWN_SECONDS
    known.choose()
    assert replica.attempts == 2
