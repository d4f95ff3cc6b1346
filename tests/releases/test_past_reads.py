"""Reads of the past (`?release=`, `?as_of=`): records edited, deleted, created and renamed between two
releases read as they were at each, through lists (filters, cursors, counts), details, histories and
exports, and the response naming the state it shows.

Each release is made in a transaction of its own, after the writes before it have committed (as in
test_between.py): these tests are transactional.
"""

import csv
import io
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import Actor, Claim, Event, Place
from events.vocabularies import ClaimRelationKind, ClaimStatus, EventType
from releases.making import make_release
from sources.models import Source
from tests import factories
from tests.api_testing import DATA_VERSION
from tests.releases.test_between import administrator

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def two_releases():
    """Release A; then an event edited (its title, a contradicting claim added), an event deleted, an event
    created, an event renamed, an actor, a place, a claim and a source edited; then release B; then an
    edit after B."""
    curator = administrator()
    edited = factories.documented_event(claims=1, slug="edited-event", title="Original wording")
    first_claim = edited.claims.get()
    factories.event(slug="deleted-event", event_type=EventType.BATTLES, sub_event_type="")
    renamed = factories.event(slug="old-name", title="Renamed later")
    actor = factories.actor(slug="named-actor", name="Name at A")
    place = factories.place(slug="named-place", name="Place at A")
    source = factories.source(slug="named-source", title="Source at A")
    make_release(name="A", user=curator)

    edited.title = "Corrected headline"
    edited.save()
    factories.claim_relation(
        from_claim=factories.claim(event=edited), to_claim=first_claim, kind=ClaimRelationKind.CONTRADICTS
    )
    Event.objects.get(slug="deleted-event").delete()
    factories.event(slug="created-event", event_type=EventType.BATTLES, sub_event_type="")
    renamed.slug = "new-name"
    renamed.save()
    Actor.objects.filter(pk=actor.pk).update(name="Name at B")
    Place.objects.filter(pk=place.pk).update(name="Place at B")
    Claim.objects.filter(pk=first_claim.pk).update(status=ClaimStatus.CONTESTED)
    Source.objects.filter(pk=source.pk).update(title="Source at B")
    make_release(name="B", user=curator)

    Event.objects.filter(slug="edited-event").update(title="Latest headline")
    return first_claim.slug


def every_slug(api, path, query) -> list[str]:
    """The slugs of every page of a list, a record a page, following `next`."""
    body = api.get(path, {**query, "page_size": 1}).json()
    slugs = [record["slug"] for record in body["results"]]
    while body["next"]:
        body = api.get(body["next"]).json()
        slugs += [record["slug"] for record in body["results"]]
    return slugs


def test_an_event_reads_as_it_was_at_each_release(api, two_releases):
    at_a = api.get("/api/v1/events/edited-event/", {"release": "A"})
    at_b = api.get("/api/v1/events/edited-event/", {"release": "B"})
    now = api.get("/api/v1/events/edited-event/")

    assert [r.status_code for r in (at_a, at_b, now)] == [200, 200, 200]
    assert [r.json()["title"] for r in (at_a, at_b, now)] == [
        "Original wording",
        "Corrected headline",
        "Latest headline",
    ]
    assert (at_a.json()["claim_count"], at_a.json()["disputed"]) == (1, False)
    assert (at_b.json()["claim_count"], at_b.json()["disputed"]) == (2, True)
    assert [c["status"] for c in at_a.json()["claims"]] == ["unverified"]
    assert at_a["Data-State"].startswith("release=A; as_of=")
    assert "Data-State" not in now


def test_a_record_deleted_later_is_there_and_one_created_later_is_not(api, two_releases):
    def status(slug, release):
        return api.get(f"/api/v1/events/{slug}/", {"release": release}).status_code

    assert (status("deleted-event", "A"), status("deleted-event", "B")) == (200, 404)
    assert (status("created-event", "A"), status("created-event", "B")) == (404, 200)


def test_a_renamed_record_is_found_under_its_slug_at_the_point(api, two_releases):
    assert api.get("/api/v1/events/old-name/", {"release": "A"}).json()["title"] == "Renamed later"
    at_b = api.get("/api/v1/events/old-name/", {"release": "B"})
    assert at_b.status_code == 301
    assert at_b["Location"].endswith("/api/v1/events/new-name/?release=B")
    # Its later slug names the same record: at A, under the slug it had then.
    later = api.get("/api/v1/events/new-name/", {"release": "A"})
    assert later.status_code == 301
    assert later["Location"].endswith("/api/v1/events/old-name/?release=A")


def test_a_list_filters_pages_and_counts_the_records_at_the_point(api, two_releases):
    battles = {"event_type": EventType.BATTLES}

    assert every_slug(api, "/api/v1/events/", {**battles, "release": "A"}) == ["deleted-event"]
    assert every_slug(api, "/api/v1/events/", {**battles, "release": "B"}) == ["created-event"]
    at_a = every_slug(api, "/api/v1/events/", {"release": "A"})
    assert at_a == ["deleted-event", "edited-event", "old-name"]
    assert every_slug(api, "/api/v1/events/", {"release": "B"}) == [
        "created-event",
        "edited-event",
        "new-name",
    ]
    page = api.get("/api/v1/events/", {"release": "A", "page_size": 1}).json()
    assert (page["count"], page["count_is_estimate"]) == (3, False)
    assert page["state"]["release"] == "A"
    assert "release=A" in page["next"]
    assert every_slug(api, "/api/v1/events/", {"search": "Original", "release": "A"}) == ["edited-event"]
    assert every_slug(api, "/api/v1/events/", {"search": "Original", "release": "B"}) == []
    assert every_slug(api, "/api/v1/events/", {"disputed": "true", "release": "A"}) == []
    assert every_slug(api, "/api/v1/events/", {"disputed": "true", "release": "B"}) == ["edited-event"]


@pytest.mark.parametrize(
    ("collection", "slug", "field", "at_a", "at_b"),
    [
        ("actors", "named-actor", "name", "Name at A", "Name at B"),
        ("places", "named-place", "name", "Place at A", "Place at B"),
        ("sources", "named-source", "title", "Source at A", "Source at B"),
    ],
)
def test_every_collection_reads_as_it_was(api, two_releases, collection, slug, field, at_a, at_b):
    path = f"/api/v1/{collection}/"
    for release, expected in (("A", at_a), ("B", at_b)):
        assert api.get(f"{path}{slug}/", {"release": release}).json()[field] == expected
        found = api.get(path, {"search": expected, "release": release}).json()["results"]
        assert [record[field] for record in found if record["slug"] == slug] == [expected]
        export = api.get(path, {"format": "csv", "release": release})
        rows = csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode()))
        assert [row[field] for row in rows if row["slug"] == slug] == [expected]
        history = api.get(f"{path}{slug}/history/", {"release": release}).json()["results"]
        assert history[-1]["data"][field] == expected


def test_claims_read_as_they_were(api, two_releases):
    slug = two_releases
    for release, expected in (("A", "unverified"), ("B", "contested")):
        assert api.get(f"/api/v1/claims/{slug}/", {"release": release}).json()["status"] == expected
        listed = api.get("/api/v1/claims/", {"status": expected, "release": release}).json()["results"]
        assert slug in [claim["slug"] for claim in listed]
    assert len(api.get("/api/v1/claims/", {"event": "edited-event", "release": "A"}).json()["results"]) == 1
    assert len(api.get("/api/v1/claims/", {"event": "edited-event", "release": "B"}).json()["results"]) == 2


def test_an_export_is_of_the_records_at_the_point(api, two_releases):
    response = api.get("/api/v1/events/", {"format": "csv", "release": "A"})

    assert response.status_code == 200
    assert response["Data-State"].startswith("release=A")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [(row["slug"], row["title"]) for row in rows] == [
        ("deleted-event", "Event deleted-event"),
        ("edited-event", "Original wording"),
        ("old-name", "Renamed later"),
    ]


def test_a_history_shows_the_versions_up_to_the_point(api, two_releases):
    def versions(**query):
        response = api.get("/api/v1/events/edited-event/history/", query)
        assert response.status_code == 200
        return [version["data"]["title"] for version in response.json()["results"]]

    assert versions(release="A") == ["Original wording"]
    assert versions(release="B") == ["Original wording", "Corrected headline"]
    assert versions() == ["Original wording", "Corrected headline", "Latest headline"]


def test_an_aggregate_counts_the_records_at_the_point(api, two_releases):
    def disputed(release):
        query = {"group_by": "event_type", "disputed": "true", "release": release}
        response = api.get("/api/v1/events/aggregate/", query)
        assert response["Data-State"].startswith(f"release={release}")
        return [(row["event_type"], row["events"]) for row in response.json()["results"]]

    assert disputed("A") == []
    assert disputed("B") == [(EventType.EXPLOSIONS_REMOTE_VIOLENCE, 1)]


def test_an_aggregate_a_tally_could_answer_reads_the_records_at_the_point(api, two_releases):
    """The tallies (events/tallies.py) count the records as they are: at a point, the records answer."""
    for query in ({"release": "A"}, {"release": "B"}, {}):
        claims = api.get("/api/v1/claims/", {**query, "page_size": 1000}).json()["results"]
        rows = api.get("/api/v1/claims/aggregate/", {"group_by": "status", **query}).json()["results"]
        assert {row["status"]: row["claims"] for row in rows} == Counter(claim["status"] for claim in claims)
        events = api.get("/api/v1/events/", {**query, "page_size": 1000}).json()["results"]
        body = api.get("/api/v1/events/aggregate/", {"group_by": "event_type,year", **query}).json()
        assert sum(row["events"] for row in body["results"] + body["imprecise"]) == len(events)


def test_a_page_at_a_release_costs_its_statements_only(api, two_releases, django_assert_num_queries):
    # The read's transaction (BEGIN, COMMIT) around the release looked up, the point set, and the page read
    # (the whole list, its own count), and the data version that keys a kept answer.
    with django_assert_num_queries(5 + DATA_VERSION):
        response = api.get("/api/v1/events/", {"release": "A"})
    assert len(response.json()["results"]) == 3


def test_a_count_at_a_release_is_counted_once(api, two_releases):
    def counts():
        with CaptureQueriesContext(connection) as queries:
            body = api.get("/api/v1/events/", {"release": "A", "page_size": 1}).json()
        assert (body["count"], body["count_is_estimate"]) == (3, False)
        return sum("COUNT(*)" in query["sql"] for query in queries.captured_queries)

    assert counts() == 1
    assert counts() == 0  # a release never changes: its count neither
    with CaptureQueriesContext(connection) as queries:
        api.get("/api/v1/events/", {"page_size": 1})
    assert any("COUNT(*)" in query["sql"] for query in queries.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("operation", ["/api/v1/{}/", "/api/v1/{}/{{slug}}/", "/api/v1/{}/{{slug}}/history/"])
@pytest.mark.parametrize("collection", ["events", "actors", "places", "claims", "sources"])
def test_the_schema_gives_both_parameters_to_every_read(api, operation, collection):
    schema = api.get("/api/schema/", {"format": "json"}).json()

    parameters = schema["paths"][operation.format(collection)]["get"]["parameters"]
    assert {"release", "as_of"} <= {p["name"] for p in parameters if p["in"] == "query"}
    assert "Data-State" in schema["paths"][operation.format(collection)]["get"]["responses"]["200"]["headers"]


def test_as_of_a_moment_between_two_edits(api):
    place = factories.place(slug="moving-place", name="First")
    time.sleep(0.01)
    between = timezone.now()
    time.sleep(0.01)
    Place.objects.filter(pk=place.pk).update(name="Second")

    assert api.get("/api/v1/places/moving-place/", {"as_of": between.isoformat()}).json()["name"] == "First"
    later = api.get("/api/v1/places/", {"as_of": timezone.now().isoformat()})
    assert [p["name"] for p in later.json()["results"]] == ["Second"]
    assert later.json()["state"] == {"release": None, "as_of": later.json()["state"]["as_of"]}
    before = (between - timedelta(days=1)).isoformat()
    assert api.get("/api/v1/places/moving-place/", {"as_of": before}).status_code == 404
    assert api.get("/api/v1/places/", {"as_of": before}).json()["results"] == []


@pytest.mark.parametrize(
    ("query", "status", "names"),
    [
        ({"release": "nope"}, 404, []),
        ({"release": "A", "as_of": "2026-01-01T00:00:00Z"}, 400, ["release", "as_of"]),
        ({"as_of": "yesterday"}, 400, ["as_of"]),
        ({"as_of": "9999-01-01T00:00:00Z"}, 400, ["as_of"]),
    ],
)
@pytest.mark.parametrize("path", ["/api/v1/events/", "/api/v1/actors/", "/api/v1/claims/x/"])
def test_bad_points_are_problems_naming_them(api, query, status, names, path):
    make_release(name="A", user=administrator())

    response = api.get(path, query)

    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    if status == 404:
        assert "'nope'" in response.json()["detail"]
    else:
        assert sorted(error["attr"] for error in response.json()["errors"]) == sorted(names)


def test_a_write_at_a_point_is_a_400_and_writes_nothing(api):
    make_release(name="A", user=administrator())
    api.force_authenticate(administrator())

    response = api.post("/api/v1/places/?release=A", {"slug": "new-place", "name": "New"}, format="json")

    assert response.status_code == 400
    assert [error["attr"] for error in response.json()["errors"]] == ["release"]
    assert not Place.objects.filter(slug="new-place").exists()
