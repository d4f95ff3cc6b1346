"""Repeated reads: ETags and 304s on lists and records, Cache-Control, and anonymous answers kept under the
data version, which every committed write moves however it is made (conflictdb/response_cache.py,
conflictdb/data_version.py).

The tests commit (`transaction=True`): a read in a transaction that has written has no version, and is
neither validated nor kept. The version of a primary is its snapshot, which the commits of every database
of the server move, other test runs' included: what needs it to stand still between two reads is tried
again until it did (`steadily`)."""

import gzip

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from conflictdb.data_version import current_version
from conflictdb.renderers import JSONRenderer
from conflictdb.response_cache import record_part
from events.models import Event
from events.services import save_event
from events.vocabularies import ActorRole
from tests import factories
from tests.api_testing import curator_client
from tests.clusters import api_server, call, sql, stop_api_server, url

pytestmark = pytest.mark.django_db(transaction=True)

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip"}
READS = ["/api/v1/events/", "/api/v1/events/{event}/", "/api/v1/actors/", "/api/v1/claims/{claim}/"]
VERSION_STATEMENT = "pg_current_snapshot"


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


def steadily(attempt, tries: int = 20):
    """What `attempt` gives when the data version stood still while it ran (each try from an empty cache);
    a failure when it never did."""
    for _ in range(tries):
        caches["responses"].clear()
        before = current_version(Event)
        result = attempt()
        if current_version(Event) == before:
            return result
    pytest.fail("the data version never stood still")


def test_the_version_is_none_in_a_transaction_that_has_written():
    assert current_version(Event) is not None
    with transaction.atomic():
        assert current_version(Event) is not None  # nothing written yet
        factories.place()
        assert current_version(Event) is None


@pytest.mark.parametrize("path", READS)
def test_a_repeated_anonymous_read_runs_the_data_versions_statement_alone_and_gives_the_same_bytes(
    api, records, path, settings
):
    url = path.format(**records)

    def read_thrice():
        settings.RESPONSE_CACHE_SECONDS = 600
        missed, hit = queries_of(lambda: api.get(url)), queries_of(lambda: api.get(url))
        settings.RESPONSE_CACHE_SECONDS = 0
        return missed, hit, api.get(url)

    (missed, first), (hit, again), uncached = steadily(read_thrice)

    assert first.status_code == again.status_code == 200
    assert len(missed) > 1 and VERSION_STATEMENT in missed[0]  # the version before any data
    assert len(hit) == 1 and VERSION_STATEMENT in hit[0]
    assert again.content == first.content
    assert dict(again.items()) == dict(first.items())
    assert uncached.content == first.content and dict(uncached.items()) == dict(first.items())


@pytest.mark.parametrize("path", READS)
@pytest.mark.parametrize("coding", [{}, GZIP], ids=["identity", "gzip"])
def test_if_none_match_is_a_304_of_one_statement_that_renders_nothing(
    api, records, path, coding, monkeypatch
):
    url = path.format(**records)
    rendered = []

    def revalidated():
        first = api.get(url, **coding)
        rendered.clear()
        with monkeypatch.context() as patched:
            # Counted, not raised: a try whose version moved renders its 200, and is tried again.
            patched.setattr(JSONRenderer, "render", lambda *args, **kwargs: rendered.append(args) or b"")
            return first, queries_of(lambda: api.get(url, HTTP_IF_NONE_MATCH=first["ETag"], **coding))

    first, (queries, again) = steadily(revalidated)
    assert rendered == []  # a 304 renders no body
    assert first.status_code == 200 and first["ETag"]
    if coding:
        assert first["Content-Encoding"] == "gzip"
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"] and again["Cache-Control"] == first["Cache-Control"]
    assert len(queries) == 1 and VERSION_STATEMENT in queries[0]


@pytest.mark.parametrize("path", READS)
def test_a_304_without_the_kept_answer_is_decided_before_rendering(api, records, path, settings):
    url = path.format(**records)

    def revalidated():
        tag = api.get(url)["ETag"]
        settings.RESPONSE_CACHE_SECONDS = 0
        answers = (
            api.get(url, HTTP_IF_NONE_MATCH=f'"other", {tag}'),
            api.get(url, HTTP_IF_NONE_MATCH='"other"'),
        )
        settings.RESPONSE_CACHE_SECONDS = 600
        return answers

    matched, other = steadily(revalidated)
    assert matched.status_code == 304 and other.status_code == 200


def test_a_lists_etag_is_weak_and_a_records_strong_with_its_own_part_for_if_match(api, records):
    event = factories.event()
    listed = api.get("/api/v1/events/")
    read = api.get(f"/api/v1/events/{event.slug}/")

    assert listed["ETag"].startswith('W/"')
    assert read["ETag"].startswith('"') and not read["ETag"].startswith("W/")
    assert record_part(read["ETag"]) == str(int(event.updated_at.timestamp() * 1_000_000))
    assert read["Last-Modified"] and "Last-Modified" not in listed


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
    queries = steadily(lambda: [queries_of(lambda: client.get("/api/v1/events/")) for _ in range(2)])
    assert all(answer.status_code == 200 and len(run) > 1 for run, answer in queries)


def test_an_export_is_never_kept(api, records):
    first = api.get("/api/v1/events/?format=csv")
    first.getvalue()

    def export():
        response = api.get("/api/v1/events/?format=csv")
        return response, response.getvalue()

    queries, (again, body) = queries_of(export)
    assert "ETag" not in first and "ETag" not in again
    assert len(queries) > 1 and records["event"].encode() in body


def test_a_body_over_the_largest_kept_is_computed_every_time(api, records, settings):
    size = len(api.get("/api/v1/events/").content)
    settings.RESPONSE_CACHE_MAX_BYTES = size - 1
    over = steadily(lambda: [queries_of(lambda: api.get("/api/v1/events/"))[0] for _ in range(2)])
    assert all(len(queries) > 1 for queries in over)
    settings.RESPONSE_CACHE_MAX_BYTES = size
    within = steadily(lambda: [queries_of(lambda: api.get("/api/v1/events/"))[0] for _ in range(2)])
    assert len(within[0]) > 1 and len(within[1]) == 1


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


def kept(api, url: str):
    """The answer to `url`, read and then served again from the cache with the data version's statement
    alone."""
    (_, before), (hit, again) = steadily(
        lambda: (queries_of(lambda: api.get(url)), queries_of(lambda: api.get(url)))
    )
    assert len(hit) == 1 and again.content == before.content
    return before


@pytest.mark.parametrize("write", WRITES)
@pytest.mark.parametrize("path", ["/api/v1/events/", "/api/v1/events/{event}/"])
def test_a_committed_write_however_made_makes_the_next_read_fresh(api, path, write):
    event = factories.event(actors=[(factories.actor(), ActorRole.PERPETRATOR)])
    url = path.format(event=event.slug)
    before = kept(api, url)

    write(event)
    after = api.get(url)

    assert after.status_code == 200 and after.content != before.content
    assert b"Rewritten." in after.content and b"Rewritten." not in before.content
    assert after["ETag"] != before["ETag"]
    assert api.get(url, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 200


def test_a_truncate_makes_the_next_read_fresh(api):
    event = factories.event()
    before = kept(api, "/api/v1/places/")
    assert event.place.slug.encode() in before.content
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE events_place CASCADE")
    after = api.get("/api/v1/places/")
    assert after.status_code == 200 and after.json()["results"] == []


def test_a_transaction_that_has_written_is_neither_served_nor_kept(api):
    event = factories.event()
    url = f"/api/v1/events/{event.slug}/"
    before = kept(api, url)
    with transaction.atomic():
        rewrite_by_sql(event)
        inside = [queries_of(lambda: api.get(url)) for _ in range(2)]
        transaction.set_rollback(True)

    for queries, answer in inside:
        assert len(queries) > 1 and b"Rewritten." in answer.content  # its own write, read and not kept
        assert answer["ETag"].startswith('"') and answer["ETag"] != before["ETag"]  # the record's own part
    after = api.get(url)
    assert after.content == before.content and b"Rewritten." not in after.content  # rolled back


def test_a_kept_answer_is_decompressed_the_same_through_gzip(api, records):
    plain = api.get("/api/v1/events/")
    coded = api.get("/api/v1/events/", **GZIP)
    assert coded["Content-Encoding"] == "gzip" and gzip.decompress(coded.content) == plain.content


def test_a_read_routed_to_a_replica_is_keyed_by_the_replicas_version(cluster):
    """While the replica replays nothing, the primary's snapshot moves with a write and the replica's
    position does not: an answer read from the replica under the primary's version would keep the old
    page under the new version, and serve it after the replica caught up."""
    process, base = api_server(
        DATABASE_URL=url(cluster.primary),
        DATABASE_REPLICA_URLS=url(cluster.replica),
        DATABASE_REPLICA_MAX_LAG_S=3600,  # however far behind, the replica serves every anonymous read
        RESPONSE_CACHE_SECONDS=600,
        WORKERS=1,  # one worker, one local-memory cache
    )
    slug = cluster.seeded["events"][1]
    path = f"/api/v1/events/{slug}/"
    try:
        cluster.caught_up()
        status, _headers, first = call(base, path)
        assert status == 200 and b"(corrected)" not in first

        def served_kept() -> bool:  # the replica's position moves with any WAL it replays: tried again
            read_before = cluster.statement_calls(cluster.replica, "events_event")
            assert call(base, path)[2] == first
            return cluster.statement_calls(cluster.replica, "events_event") == read_before

        assert any(served_kept() for _ in range(5))
        pages_read = cluster.statement_calls(cluster.replica, "events_event")

        cluster.replay(paused=True)
        sql(
            cluster.primary,
            "UPDATE events_event SET summary = summary || ' (corrected)' WHERE slug = %s",
            [slug],
        )
        assert call(base, path)[2] == first  # what the replica has
        cluster.replay(paused=False)
        cluster.caught_up()

        status, _headers, fresh = call(base, path)
        assert status == 200 and b"(corrected)" in fresh
        assert cluster.statement_calls(cluster.replica, "events_event") > pages_read  # read from the replica
    finally:
        cluster.replay(paused=False)
        sql(
            cluster.primary,
            "UPDATE events_event SET summary = replace(summary, ' (corrected)', '') WHERE slug = %s",
            [slug],
        )
        cluster.caught_up()
        stop_api_server(process)
