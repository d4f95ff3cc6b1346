"""Repeated reads: ETags and 304s on lists and records, Cache-Control, and anonymous answers kept under the
data version, which every write advances however it is made (conflictdb/response_cache.py,
conflictdb/data_version.py)."""

import gzip

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pghistory.models import Event as Version

from conflictdb.data_version import TRACKED_TABLES, TRIGGER
from conflictdb.renderers import JSONRenderer
from conflictdb.response_cache import record_part
from events.services import save_event
from events.vocabularies import ActorRole
from tests import factories
from tests.api_testing import curator_client

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip"}
READS = ["/api/v1/events/", "/api/v1/events/{event}/", "/api/v1/actors/", "/api/v1/claims/{claim}/"]


@pytest.fixture(autouse=True)
def kept_responses(settings):
    settings.RESPONSE_CACHE_SECONDS = 600


@pytest.fixture
def records():
    event = factories.documented_event(claims=2)
    return {"event": event.slug, "claim": event.claims.order_by("slug").first().slug}


def queries_of(read) -> tuple[list[str], object]:
    with CaptureQueriesContext(connection) as captured:
        response = read()
    return [query["sql"] for query in captured.captured_queries], response


@pytest.mark.parametrize("path", READS)
def test_a_repeated_anonymous_read_runs_the_data_versions_query_alone_and_gives_the_same_bytes(
    api, records, path, settings
):
    url = path.format(**records)
    missed, first = queries_of(lambda: api.get(url))
    hit, again = queries_of(lambda: api.get(url))

    assert first.status_code == again.status_code == 200
    assert len(missed) > 1 and "conflictdb_dataversion" in missed[0]  # the version before any data
    assert len(hit) == 1 and "conflictdb_dataversion" in hit[0]
    assert again.content == first.content
    assert dict(again.items()) == dict(first.items())
    settings.RESPONSE_CACHE_SECONDS = 0
    uncached = api.get(url)
    assert uncached.content == first.content and dict(uncached.items()) == dict(first.items())


@pytest.mark.parametrize("path", READS)
@pytest.mark.parametrize("coding", [{}, GZIP], ids=["identity", "gzip"])
def test_if_none_match_is_a_304_of_one_query_that_renders_nothing(api, records, path, coding, monkeypatch):
    url = path.format(**records)
    first = api.get(url, **coding)
    assert first.status_code == 200 and first["ETag"]
    if coding:
        assert first["Content-Encoding"] == "gzip"

    def not_rendered(*args, **kwargs):
        raise AssertionError("a 304 renders no body")

    monkeypatch.setattr(JSONRenderer, "render", not_rendered)
    queries, again = queries_of(lambda: api.get(url, HTTP_IF_NONE_MATCH=first["ETag"], **coding))

    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"] and again["Cache-Control"] == first["Cache-Control"]
    assert len(queries) == 1


@pytest.mark.parametrize("path", READS)
def test_a_304_without_the_kept_answer_is_decided_before_rendering(api, records, path, settings):
    url = path.format(**records)
    tag = api.get(url)["ETag"]
    settings.RESPONSE_CACHE_SECONDS = 0

    assert api.get(url, HTTP_IF_NONE_MATCH=f'"other", {tag}').status_code == 304
    assert api.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_a_lists_etag_is_weak_and_a_records_strong_with_its_own_part_for_if_match(api, records):
    event = factories.event()
    listed = api.get("/api/v1/events/")["ETag"]
    read = api.get(f"/api/v1/events/{event.slug}/")

    assert listed.startswith('W/"')
    assert read["ETag"].startswith('"') and not read["ETag"].startswith("W/")
    assert record_part(read["ETag"]) == str(int(event.updated_at.timestamp() * 1_000_000))
    assert read["Last-Modified"]
    assert "Last-Modified" not in api.get("/api/v1/events/")


@pytest.mark.parametrize("path", READS)
def test_cache_control_is_the_settings_for_anonymous_reads_and_private_for_a_curator(
    api, records, path, settings
):
    url = path.format(**records)
    assert api.get(url)["Cache-Control"] == "public, max-age=0, must-revalidate"
    settings.ANONYMOUS_CACHE_CONTROL = "public, max-age=30"
    assert api.get(url)["Cache-Control"] == "public, max-age=30"
    assert curator_client().get(url)["Cache-Control"] == "private"


def test_an_authenticated_read_is_never_kept(records):
    client = curator_client()
    client.get("/api/v1/events/")
    queries, again = queries_of(lambda: client.get("/api/v1/events/"))
    assert again.status_code == 200 and len(queries) > 1


def test_an_export_is_never_kept(api, records):
    first = api.get("/api/v1/events/?format=csv")
    first.getvalue()

    def export():
        response = api.get("/api/v1/events/?format=csv")
        return response, response.getvalue()

    queries, (again, body) = queries_of(export)
    assert "ETag" not in first and "ETag" not in again
    assert len(queries) > 1 and records["event"].encode() in body


def test_links_are_written_for_the_host_asked_for(api):
    for _ in range(3):
        factories.event()
    one = api.get("/api/v1/events/?page_size=1", HTTP_HOST="localhost").json()
    other = api.get("/api/v1/events/?page_size=1", HTTP_HOST="127.0.0.1").json()
    assert one["next"].startswith("http://localhost/") and other["next"].startswith("http://127.0.0.1/")


def rewrite_by_api(event):
    written = curator_client().patch(f"/api/v1/events/{event.slug}/", {"title": "Rewritten."}, format="json")
    assert written.status_code == 200, written.content


def rewrite_by_service(event):  # as the admin and the loader write
    save_event(event=event, fields={"title": "Rewritten."}, actors=None)


def rewrite_by_sql(event):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE events_event SET title = 'Rewritten.' WHERE id = %s", [event.pk])


def rename_an_actor_by_sql(event):  # another table than the response's own
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE events_actor SET name = 'Rewritten.' WHERE id IN"
            " (SELECT actor_id FROM events_eventactor WHERE event_id = %s)",
            [event.pk],
        )


WRITES = [rewrite_by_api, rewrite_by_service, rewrite_by_sql, rename_an_actor_by_sql]


@pytest.mark.parametrize("write", WRITES)
@pytest.mark.parametrize("path", ["/api/v1/events/", "/api/v1/events/{event}/"])
def test_a_write_however_made_makes_the_next_read_fresh(api, path, write):
    event = factories.event(actors=[(factories.actor(), ActorRole.PERPETRATOR)])
    url = path.format(event=event.slug)
    before = api.get(url)
    assert api.get(url).content == before.content  # kept

    write(event)
    after = api.get(url)

    assert after.status_code == 200 and after.content != before.content
    assert b"Rewritten." in after.content and b"Rewritten." not in before.content
    assert after["ETag"] != before["ETag"]
    assert api.get(url, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 200


def test_a_kept_answer_is_decompressed_the_same_through_gzip(api, records):
    plain = api.get("/api/v1/events/")
    coded = api.get("/api/v1/events/", **GZIP)
    assert coded["Content-Encoding"] == "gzip" and gzip.decompress(coded.content) == plain.content


def test_every_table_a_public_answer_reads_advances_the_data_version():
    """Every table of the records' apps but the versions and the tallies is tracked, and carries the
    trigger; a table added without one fails here. (The tallies, events/tallies.py, are written only by
    the triggers of statements on tracked tables, whose own trigger has advanced the version.)"""
    tables = {
        model._meta.db_table
        for app in ("events", "sources", "releases")
        for model in apps.get_app_config(app).get_models(include_auto_created=True)
        if not issubclass(model, Version) and model.__module__ != "events.tallies"
    }
    assert tables == set(TRACKED_TABLES)
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = %s", [TRIGGER])
        assert {table for (table,) in cursor.fetchall()} == tables


def test_a_lost_version_row_comes_back_above_every_number_it_had(api):
    """Without its row (a TRUNCATE, as the test runner's flush does) nothing is kept or validated; the next
    write makes it again, above the number before, so that no answer kept earlier is reachable."""
    factories.event()
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM conflictdb_dataversion")
        (before,) = cursor.fetchone()
        cursor.execute("DELETE FROM conflictdb_dataversion")
        listed = api.get("/api/v1/events/")
        assert listed.status_code == 200 and "ETag" not in listed
        factories.actor()
        cursor.execute("SELECT version FROM conflictdb_dataversion")
        (after,) = cursor.fetchone()
    assert after > before
    assert api.get("/api/v1/events/")["ETag"].startswith('W/"')
