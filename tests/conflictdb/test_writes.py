"""What a write does: its response, its atomicity, its validation, deletes of referenced records,
If-Match preconditions, and the history's record of who wrote."""

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.test import Client

from events.models import Claim, Event, EventActor
from events.vocabularies import ActorRole
from tests import factories
from tests.api_testing import (
    WRITABLE,
    WRITABLE_BY_NAME,
    curator_client,
    error_attrs,
    problem,
    token_client,
)

pytestmark = pytest.mark.django_db
EVENTS = WRITABLE_BY_NAME["events"]


@pytest.fixture
def curator():
    return curator_client()


def snapshot(record) -> dict:
    """Every stored field of `record`, read again from the database."""
    fresh = type(record).objects.get(pk=record.pk)
    return {field.attname: getattr(fresh, field.attname) for field in fresh._meta.concrete_fields}


# Responses -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("collection", WRITABLE, ids=str)
def test_create_is_a_201_with_location_etag_and_the_record_as_read(curator, collection):
    response = curator.post(collection.url(), collection.body() | {"slug": "new-one"}, format="json")

    assert response.status_code == 201, response.content
    assert response["Location"] == collection.url("new-one")
    read = curator.get(response["Location"])
    assert response.json() == read.json()
    assert response["ETag"] == read["ETag"]


def test_a_created_event_nests_its_place_and_its_actors_in_their_roles(curator):
    raqqa = factories.place(name="Raqqa")
    air_force, isis = factories.actor(name="Air force"), factories.actor(name="ISIS")
    body = EVENTS.body() | {
        "slug": "strike",
        "place": raqqa.slug,
        "actors": [
            {"actor": isis.slug, "role": ActorRole.TARGET},
            {"actor": air_force.slug, "role": ActorRole.PERPETRATOR},
        ],
    }

    created = curator.post(EVENTS.url(), body, format="json").json()

    assert created["place"]["slug"] == raqqa.slug
    assert created["place"]["name"] == "Raqqa"
    assert [(a["slug"], a["name"], a["role"]) for a in created["actors"]] == [
        (air_force.slug, "Air force", "perpetrator"),
        (isis.slug, "ISIS", "target"),
    ]


def test_patching_actors_replaces_the_list_and_the_history_shows_only_the_difference(curator):
    kept, dropped, added = factories.actor(), factories.actor(), factories.actor()
    event = factories.event(actors=[(kept, ActorRole.PERPETRATOR), (dropped, ActorRole.TARGET)])
    versions = apps.get_model("events", "EventActorVersion").objects.filter(event=event)
    before = versions.count()

    response = curator.patch(
        EVENTS.url(event.slug),
        {"actors": [{"actor": kept.slug, "role": "perpetrator"}, {"actor": added.slug, "role": "target"}]},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert {(link.actor, link.role) for link in event.event_actors.all()} == {
        (kept, "perpetrator"),
        (added, "target"),
    }
    new_versions = versions.order_by("pgh_id")[before:]
    assert {(v.pgh_label, v.actor_id, v.role) for v in new_versions} == {
        ("delete", dropped.pk, "target"),
        ("insert", added.pk, "target"),
    }


def test_patching_without_actors_keeps_them(curator):
    event = factories.event(actors=[(factories.actor(), ActorRole.PERPETRATOR)])

    assert curator.patch(EVENTS.url(event.slug), {"title": "Renamed"}, format="json").status_code == 200
    assert event.event_actors.count() == 1


# Atomicity -------------------------------------------------------------------------------------------


def test_a_claim_related_to_an_unknown_claim_is_a_400_and_nothing_is_written(curator):
    collection = WRITABLE_BY_NAME["claims"]
    existing = factories.claim(statement="As it was")
    relations = [{"claim": "no-such-claim", "kind": "supports"}]

    created = curator.post(
        collection.url(), collection.body() | {"slug": "new-claim", "relations": relations}, format="json"
    )
    changed = curator.patch(
        collection.url(existing.slug), {"statement": "Changed", "relations": relations}, format="json"
    )

    assert error_attrs(created) == error_attrs(changed) == {"relations.0.claim"}
    assert not Claim.objects.filter(slug="new-claim").exists()
    assert Claim.objects.get(pk=existing.pk).statement == "As it was"


# Committed for real, so that only a real rollback undoes the event's row. (A superuser writes: the Curators
# group, made by a migration, is gone once an earlier transactional test has flushed the database.)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("method", ["post", "patch"])
def test_a_failure_after_the_event_row_is_saved_rolls_the_whole_write_back(monkeypatch, method):
    curator = token_client(factories.token(User.objects.create_superuser("root")))
    curator.raise_request_exception = False
    event = factories.event(title="As it was")
    before = snapshot(event)
    event_versions = event.history.count()

    def fail(self, *args, **kwargs):
        raise RuntimeError("the database went away halfway")

    monkeypatch.setattr(EventActor, "save", fail)
    body = EVENTS.body() | {"title": "Changed"}
    if method == "post":
        response = curator.post(EVENTS.url(), body | {"slug": "half-written"}, format="json")
    else:
        response = curator.patch(EVENTS.url(event.slug), body, format="json")

    assert response.status_code == 500
    assert not Event.objects.filter(slug="half-written").exists()
    assert snapshot(event) == before
    assert event.history.count() == event_versions
    assert not EventActor.objects.filter(event=event).exists()


# Validation: a 400 naming the field(s), and nothing written ----------------------------------------------

INVALID = [
    ("events", {"start_date": "2015-10-02", "end_date": "2015-10-01"}, "end_date,start_date"),
    (
        "events",
        {"fatalities_low": 9, "fatalities_best": 3, "fatalities_high": None},
        "fatalities_low,fatalities_best,fatalities_high",
    ),
    ("events", {"event_type": "protests", "sub_event_type": "air_drone_strike"}, "sub_event_type,event_type"),
    ("events", {"event_type": "skirmish"}, "event_type"),
    ("events", {"place": "atlantis"}, "place"),
    ("events", {"actors": [{"actor": "nobody", "role": "perpetrator"}]}, "actors.0.actor"),
    ("places", {"latitude": 91}, "latitude"),
    ("places", {"country": "Syria"}, "country"),
    ("claims", {"value": 20, "unit": ""}, "unit,value,value_high,value_low"),
    ("claims", {"source": "nowhere"}, "source"),
    ("claims", {"status": "probable"}, "status"),
    ("actors", {"parent": "nobody"}, "parent"),
    ("actors", {"kind": "alien"}, "kind"),
    ("sources", {"kind": "rumour"}, "kind"),
]


@pytest.mark.parametrize("method", ["post", "patch"])
@pytest.mark.parametrize(("name", "change", "attr"), INVALID)
def test_invalid_values_are_a_400_naming_the_fields_and_nothing_is_written(
    curator, method, name, change, attr
):
    collection = WRITABLE_BY_NAME[name]
    record, body = collection.make(), collection.body() | {"slug": "invalid"} | change
    before, count = snapshot(record), collection.model.objects.count()

    if method == "post":
        response = curator.post(collection.url(), body, format="json")
    else:
        response = curator.patch(collection.url(record.slug), change, format="json")

    assert attr in error_attrs(response)
    assert collection.model.objects.count() == count
    assert snapshot(record) == before


def test_an_unknown_role_is_a_400_naming_it(curator):
    event = factories.event()
    actors = [{"actor": factories.actor().slug, "role": "bystander"}]

    response = curator.patch(EVENTS.url(event.slug), {"actors": actors}, format="json")

    assert error_attrs(response) == {"actors.0.role"}
    assert not event.event_actors.exists()


@pytest.mark.parametrize(
    ("name", "change", "attr"),
    [
        ("events", {"place": "raqqa\x00"}, "place"),
        ("events", {"actors": [{"actor": "isis\x00", "role": "target"}]}, "actors.0.actor"),
        ("claims", {"claimant": "\x00"}, "claimant"),
        ("actors", {"parent": "\x00"}, "parent"),
        ("sources", {"reported_in": "\x00"}, "reported_in"),
    ],
)
def test_a_nul_character_in_a_reference_is_a_400_naming_it(curator, name, change, attr):
    collection = WRITABLE_BY_NAME[name]
    curator.raise_request_exception = False
    body = collection.body() | {"slug": "with-nul"} | change

    assert error_attrs(curator.post(collection.url(), body, format="json")) == {attr}


# Deleting a record something still refers to -------------------------------------------------------------


def place_of_an_event():
    event = factories.event()
    return event.place, [event]


def claimant():
    claim = factories.claim()
    return claim.claimant, [claim]


def source_of_claims():
    source = factories.source()
    return source, [factories.claim(source=source), factories.claim(source=source)]


def event_with_claims():
    event = factories.event()
    return event, [factories.claim(event=event)]


def actor_in_an_event():
    actor = factories.actor()
    event = factories.event(actors=[(actor, ActorRole.TARGET)])
    return actor, [event.event_actors.get()]


@pytest.mark.parametrize(
    ("name", "referenced"),
    [
        ("places", place_of_an_event),
        ("actors", claimant),
        ("sources", source_of_claims),
        ("events", event_with_claims),
        ("actors", actor_in_an_event),
    ],
)
def test_deleting_a_referenced_record_is_a_409_naming_the_references(curator, name, referenced):
    record, references = referenced()

    response = curator.delete(WRITABLE_BY_NAME[name].url(record.slug))

    detail = problem(response, 409)["detail"]
    for reference in references:
        assert str(reference) in detail
    assert type(record).objects.filter(pk=record.pk).exists()


# If-Match ----------------------------------------------------------------------------------------------


def test_if_match_guards_writes_against_lost_updates(curator):
    event = factories.event(title="First")
    url = EVENTS.url(event.slug)
    first = curator.get(url)["ETag"]

    changed = curator.patch(url, {"title": "Second"}, format="json", HTTP_IF_MATCH=first)
    assert changed.status_code == 200, changed.content
    second = changed["ETag"]
    assert second != first
    assert curator.get(url)["ETag"] == second

    problem(curator.patch(url, {"title": "Lost"}, format="json", HTTP_IF_MATCH=first), 412)
    problem(curator.put(url, EVENTS.body() | {"slug": event.slug}, format="json", HTTP_IF_MATCH=first), 412)
    problem(curator.delete(url, HTTP_IF_MATCH=first), 412)
    assert Event.objects.get(pk=event.pk).title == "Second"

    listed = f'"0", {second}'
    assert curator.patch(url, {"title": "Third"}, format="json", HTTP_IF_MATCH=listed).status_code == 200
    assert curator.patch(url, {"title": "Any"}, format="json", HTTP_IF_MATCH="*").status_code == 200
    assert curator.delete(url, HTTP_IF_MATCH="*").status_code == 204
    assert not Event.objects.filter(pk=event.pk).exists()


# Attribution -------------------------------------------------------------------------------------------


def test_the_history_names_the_user_whose_token_wrote(curator):
    writer = factories.user(username="writer", curator=True)
    client = curator_client()
    client.credentials(HTTP_AUTHORIZATION=f"Token {factories.token(writer)}")

    assert client.post(EVENTS.url(), EVENTS.body() | {"slug": "attributed"}, format="json").status_code == 201
    assert client.patch(EVENTS.url("attributed"), {"title": "Later"}, format="json").status_code == 200
    versions = Client().get(EVENTS.url("attributed") + "history/").json()["results"]

    assert [(v["action"], v["user"], v["url"]) for v in versions] == [
        ("create", "writer", EVENTS.url()),
        ("update", "writer", EVENTS.url("attributed")),
    ]


# The schema of what writes answer ------------------------------------------------------------------------


@pytest.mark.parametrize("component", ["Event", "EventDetail"])
def test_the_schema_allows_an_event_without_a_place(curator, component):
    body = EVENTS.body() | {"slug": "nowhere", "place": None}
    assert curator.post(EVENTS.url(), body, format="json").json()["place"] is None

    schemas = Client().get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]
    assert schemas[component]["properties"]["place"].get("nullable") is True


# A slug already taken ---------------------------------------------------------------------------------


@pytest.mark.parametrize("collection", WRITABLE, ids=str)
def test_a_slug_already_taken_is_one_409_naming_it_without_database_text(curator, collection):
    taken = collection.make()
    body = collection.body() | {"slug": taken.slug}
    before = snapshot(taken), collection.model.objects.count()

    response = curator.post(collection.url(), body, format="json")

    detail = problem(response, 409)["detail"]
    assert repr(taken.slug) in detail
    assert "constraint" not in detail and "Key (" not in detail
    assert (snapshot(taken), collection.model.objects.count()) == before
    if collection.links:
        assert not getattr(taken, collection.links).exists()  # nothing of the refused write is kept


@pytest.mark.django_db(transaction=True)
def test_two_writes_racing_for_one_slug_get_one_201_and_one_409():
    import threading

    from django.db import connection

    barrier = threading.Barrier(2)
    key = factories.token(User.objects.create_superuser("racer"))  # the Curators group is flushed here
    statuses = []

    def create():
        try:
            client = token_client(key)
            barrier.wait()
            body = WRITABLE_BY_NAME["actors"].body() | {"slug": "raced"}
            statuses.append(client.post("/api/v1/actors/", body, format="json").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(statuses) == [201, 409]
