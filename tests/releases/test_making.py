"""Making a release on two connections at once: the CSVs read by a second connection in the snapshot the
first exports, while the first writes the NDJSON (releases/making.py). Every file shows the moment of that
snapshot, whatever another connection commits meanwhile, and a failure on either connection stores
nothing. Transactional: a second connection sees only what has committed."""

import json
import time

import psycopg
import pytest
from django.db import connection

from events.models import Event
from releases import making
from releases.making import make_release
from releases.models import Release, ReleaseFile, ReleaseFileChunk
from tests import factories
from tests.releases.test_between import administrator

pytestmark = pytest.mark.django_db(transaction=True)


def file_text(release: Release, name: str) -> str:
    chunks = ReleaseFileChunk.objects.filter(file__release=release, file__name=name).order_by("number")
    return b"".join(bytes(chunk.data) for chunk in chunks).decode()


def committed_elsewhere(statement: str, params=()) -> None:
    """`statement` run and committed by a connection of its own (neither of the release's)."""
    with psycopg.connect(**connection.get_connection_params()) as other:
        other.execute(statement, params)


def other_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
        return cursor.fetchone()[0]


def test_a_write_committed_while_the_release_is_made_is_in_none_of_its_files(monkeypatch):
    happened = factories.documented_event(claims=2)
    claim = happened.claims.order_by("slug").first()
    exported = making.exported_snapshot

    def then_a_write(*arguments):
        # After the snapshot is taken and exported, before the second connection reads in it: another
        # connection renames the event's title, edits a claim and adds an event, and commits.
        snapshot = exported(*arguments)
        committed_elsewhere("UPDATE events_event SET title = 'Changed title' WHERE id = %s", [happened.id])
        committed_elsewhere("UPDATE events_claim SET statement = 'Changed' WHERE id = %s", [claim.id])
        committed_elsewhere(
            "INSERT INTO events_event (slug, previous_slugs, title, summary, search_names, search_text, "
            "event_type, sub_event_type, start_date, end_date, date_precision, created_at, updated_at) "
            "SELECT 'added-meanwhile', '{}', 'Added', '', '', '', event_type, sub_event_type, start_date, "
            "end_date, date_precision, now(), now() FROM events_event WHERE id = %s",
            [happened.id],
        )
        return snapshot

    monkeypatch.setattr(making, "exported_snapshot", then_a_write)
    release = make_release(name="r1", user=administrator())

    assert Event.objects.get(id=happened.id).title == "Changed title"  # the writes did commit
    assert Event.objects.filter(slug="added-meanwhile").exists()
    events_csv, claims_csv = file_text(release, "events.csv"), file_text(release, "claims.csv")
    lines = [json.loads(line) for line in file_text(release, "records.ndjson").splitlines()]
    events = [line["record"] for line in lines if line["collection"] == "events"]
    claims = [line["record"] for line in lines if line["collection"] == "claims"]
    assert happened.title in events_csv and "Changed" not in events_csv
    assert "added-meanwhile" not in events_csv
    assert claim.statement in claims_csv and "Changed" not in claims_csv
    assert [event["title"] for event in events] == [happened.title]
    assert [c["statement"] for c in claims if c["slug"] == claim.slug] == [claim.statement]
    assert release.counts["events"] == 1 == events_csv.count("\n") - 1


def test_a_failure_on_the_csvs_connection_stores_nothing(monkeypatch):
    factories.documented_event(claims=2)
    statements = making.csv_statements

    def one_fails():
        return statements() | {"claims": "COPY (SELECT 1 / 0) TO STDOUT"}

    monkeypatch.setattr(making, "csv_statements", one_fails)
    with pytest.raises(psycopg.errors.DivisionByZero):
        make_release(name="r1", user=administrator())

    assert not Release.objects.exists() and not ReleaseFile.objects.exists()
    assert not ReleaseFileChunk.objects.exists()
    assert other_connections() == 0


def test_a_failure_on_the_ndjsons_connection_stores_nothing_and_ends_the_other(monkeypatch):
    factories.documented_event(claims=2)
    statements = making.csv_statements

    def slow_csvs():  # still reading when the NDJSON fails, so that it must be stopped
        return statements() | {"sources": "COPY (SELECT pg_sleep(30)) TO STDOUT"}

    monkeypatch.setattr(making, "csv_statements", slow_csvs)
    monkeypatch.setattr(making, "lines_statement", lambda *arguments: "COPY (SELECT 1 / 0) TO STDOUT")
    started = time.monotonic()
    with pytest.raises(psycopg.errors.DivisionByZero):
        make_release(name="r1", user=administrator())

    assert time.monotonic() - started < 20  # the sleeping statement was cancelled
    assert not Release.objects.exists() and not ReleaseFile.objects.exists()
    assert not ReleaseFileChunk.objects.exists()
    assert other_connections() == 0
