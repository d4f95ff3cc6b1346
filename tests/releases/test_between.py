"""Records edited, deleted and created between two releases read correctly at each, and the changes
between them (`/api/v1/changes/?since_release=A&until_release=B`) are exact: each changed record once, as
it is at B (its line of B's NDJSON file), or a tombstone, and nothing else.

Each release is made in a transaction of its own (as the command makes it), after the writes before it
have committed: these tests are transactional.
"""

import json

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from events.models import Event, EventActor, Place
from events.vocabularies import ActorRole
from releases import making
from releases.making import make_release
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def administrator():
    """A user who may make releases (a transactional test's flush takes the Curators group away)."""
    made = factories.user()
    made.is_superuser = True
    made.save()
    return made


def records(client, name: str) -> dict[tuple[str, str], dict]:
    """{(collection, slug): record} of a release's NDJSON file."""
    response = client.get(f"/api/v1/releases/{name}/files/records.ndjson")
    lines = b"".join(response.streaming_content).decode().splitlines()
    return {(line["collection"], line["record"]["slug"]): line["record"] for line in map(json.loads, lines)}


def between(client, **query) -> list[dict]:
    """Every changed record, following `next` to the end."""
    response = client.get("/api/v1/changes/", query)
    assert response.status_code == 200, response.content
    body = response.json()
    found = body["results"]
    while body["next"]:
        body = client.get(body["next"]).json()
        found += body["results"]
    return found


@pytest.fixture
def two_releases(api):
    """Release A; then an event edited with one of its actors removed, an event's actors alone changed, an
    event deleted, a place created, a place created and deleted, an actor changed and changed back; then
    release B; then an edit after B."""
    curator = administrator()
    edited = factories.documented_event(claims=2, slug="edited-event")
    relinked = factories.event(slug="relinked-event")
    deleted = factories.event(slug="deleted-event")
    actor = factories.actor(slug="restored-actor", name="Army of Conquest")
    make_release(name="A", user=curator)

    edited.title = "Edited title"
    edited.save()
    edited.event_actors.filter(role=ActorRole.ALLY).delete()
    EventActor.objects.create(event=relinked, actor=actor, role=ActorRole.PERPETRATOR)
    deleted.delete()
    factories.place(slug="created-place")
    factories.place(slug="passing-place").delete()
    actor.name = "Jaish al-Fatah"
    actor.save()
    actor.name = "Army of Conquest"
    actor.save()
    make_release(name="B", user=curator)

    Event.objects.filter(slug="edited-event").update(title="After B")
    return records(api, "A"), records(api, "B")


EXPECTED = {
    ("actors", "restored-actor", "update"),
    ("places", "created-place", "create"),
    ("events", "edited-event", "update"),
    ("events", "relinked-event", "update"),
    ("events", "deleted-event", "delete"),
}


def test_each_release_reads_the_records_as_they_were_and_the_changes_between_are_exact(api, two_releases):
    at_a, at_b = two_releases

    assert at_a["events", "edited-event"]["title"] == "Event edited-event"
    assert at_b["events", "edited-event"]["title"] == "Edited title"
    assert {a["role"] for a in at_a["events", "edited-event"]["actors"]} == {"perpetrator", "target", "ally"}
    assert {a["role"] for a in at_b["events", "edited-event"]["actors"]} == {"perpetrator", "target"}
    assert at_a["events", "relinked-event"]["actors"] == []
    assert at_b["events", "relinked-event"]["actors"] == [{"actor": "restored-actor", "role": "perpetrator"}]
    assert ("events", "deleted-event") in at_a and ("events", "deleted-event") not in at_b
    assert ("places", "created-place") not in at_a and ("places", "created-place") in at_b
    assert ("places", "passing-place") not in at_a and ("places", "passing-place") not in at_b
    assert at_a["actors", "restored-actor"]["name"] == at_b["actors", "restored-actor"]["name"]

    changed = between(api, since_release="A", until_release="B")

    assert {(c["collection"], c["slug"], c["action"]) for c in changed} == EXPECTED
    assert len(changed) == len(EXPECTED)  # each once
    for change in changed:
        expected = None if change["action"] == "delete" else at_b[change["collection"], change["slug"]]
        assert change["record"] == expected, change["slug"]
    one_at_a_time = between(api, since_release="A", until_release="B", page_size=1)
    assert one_at_a_time == changed
    assert between(api, since_release="A", until_release="A") == []


def test_without_an_end_the_changes_run_up_to_now_and_moments_bound_them_as_releases_do(api, two_releases):
    changed = between(api, since_release="B")

    assert [(c["collection"], c["slug"], c["action"]) for c in changed] == [
        ("events", "edited-event", "update")
    ]
    assert changed[0]["record"]["title"] == "After B"
    a, b = (api.get(f"/api/v1/releases/{name}/").json()["created_at"] for name in "AB")
    assert {(c["collection"], c["slug"], c["action"]) for c in between(api, since=a, until=b)} == EXPECTED
    now = timezone.now().isoformat()
    assert [c["record"]["title"] for c in between(api, since=b, until=now)] == ["After B"]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"since_release": "nope", "until_release": "B"}, "since_release"),
        ({"since_release": "A", "until_release": "nope"}, "until_release"),
        ({"since_release": "A\x00"}, "since_release"),
        ({"until_release": "B"}, "since_release"),
        ({"since_release": "A", "since": "2026-01-01T00:00:00Z"}, "since_release"),
        ({"since_release": "A", "until": "yesterday"}, "until"),
        ({"since_release": "B", "until_release": "A"}, "until_release"),
        ({"since_release": "A", "after": "events_eventversion,x"}, "after"),
        ({"since_release": "A", "after": "auth_user,1"}, "after"),
        ({"since_release": "A", "colour": "red"}, "colour"),
    ],
)
@pytest.mark.django_db  # in the test's transaction: nothing here needs a snapshot of its own
def test_bad_bounds_are_400s_naming_the_parameter(api, query, parameter):
    curator = administrator()
    make_release(name="A", user=curator)
    make_release(name="B", user=curator)

    response = api.get("/api/v1/changes/", query)

    assert response.status_code == 400
    assert [error["attr"] for error in response.json()["errors"]] == [parameter]


@pytest.mark.django_db  # the feed shows a reader its own changes at once, others' after older transactions
def test_the_feed_without_release_bounds_is_unchanged(api):
    place = factories.place(slug="fed-place")
    Place.objects.filter(pk=place.pk).update(name="Renamed")

    response = api.get("/api/v1/changes/", {"since": "2000-01-01T00:00:00Z"})

    assert [(c["action"], c["slug"]) for c in response.json()["results"]] == [
        ("create", "fed-place"),
        ("update", "fed-place"),
    ]
    assert "resume" in response.json()


def test_every_file_of_a_release_is_read_in_one_snapshot(api, monkeypatch):
    """A record written (and committed) by another client while the release is being made is in none of
    its files, and is among the changes since it."""
    factories.place(slug="before-place")
    exported = making.exported_snapshot
    written = []

    def exported_then_a_write_elsewhere():
        # After the snapshot was taken and exported, before any file is read (on either connection).
        snapshot = exported()
        settings = connection.settings_dict
        with psycopg.connect(
            dbname=settings["NAME"],
            user=settings["USER"],
            host=settings["HOST"],
            port=settings["PORT"],
            password=settings["PASSWORD"],
            autocommit=True,
        ) as other:
            other.execute(
                "INSERT INTO events_place (slug, name, aliases, country, admin1, geo_precision, "
                "created_at, updated_at, search_names, search_text) VALUES ('meanwhile-place', "
                "'Meanwhile', '{}', 'SYR', '', 'country', now(), now(), '', '')"
            )
        written.append(snapshot)
        return snapshot

    monkeypatch.setattr(making, "exported_snapshot", exported_then_a_write_elsewhere)
    make_release(name="A", user=administrator())

    assert written and Place.objects.filter(slug="meanwhile-place").exists()
    assert [slug for _collection, slug in records(api, "A")] == ["before-place"]
    places_csv = b"".join(api.get("/api/v1/releases/A/files/places.csv").streaming_content).decode()
    assert "before-place" in places_csv and "meanwhile-place" not in places_csv
    assert api.get("/api/v1/releases/A/").json()["counts"]["places"] == 1
    changed = between(api, since_release="A")
    assert [(c["slug"], c["action"]) for c in changed] == [("meanwhile-place", "create")]
