"""Slugs that stay published: a rename keeps the old slug, whose URLs redirect, whose filters and
references still select the record; no other record may take it; the history and the feed show it."""

import json

import pytest
from django.db import IntegrityError, transaction

from conflictdb.models import PublishedSlug
from events.dataset import DatasetError, load
from events.models import Actor, Claim, Event
from tests import factories
from tests.api_testing import WRITABLE, WRITABLE_BY_NAME, curator_client, error_attrs, problem

pytestmark = pytest.mark.django_db
EVENTS, CLAIMS = WRITABLE_BY_NAME["events"], WRITABLE_BY_NAME["claims"]


@pytest.fixture
def curator():
    return curator_client()


def rename(curator, collection, record, slug: str) -> dict:
    response = curator.patch(collection.url(record.slug), {"slug": slug}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize("method", ["put", "patch"])
@pytest.mark.parametrize("collection", WRITABLE, ids=str)
def test_a_rename_keeps_the_old_slug(curator, collection, method):
    record = collection.make()
    old = record.slug
    body = {"slug": "renamed"} | (collection.body() if method == "put" else {})

    response = getattr(curator, method)(collection.url(old), body, format="json")

    assert response.status_code == 200, response.content
    assert (response.json()["slug"], response.json()["previous_slugs"]) == ("renamed", [old])
    record.refresh_from_db()
    assert (record.slug, record.previous_slugs) == ("renamed", [old])
    assert sorted(
        PublishedSlug.objects.filter(record_id=record.pk, kind=record._meta.db_table).values_list(
            "slug", flat=True
        )
    ) == sorted([old, "renamed"])


@pytest.mark.parametrize("collection", WRITABLE, ids=str)
def test_an_old_url_answers_301_to_the_new_one_with_its_query(curator, collection):
    record = collection.make()
    old = record.slug
    rename(curator, collection, record, "renamed")

    detail = curator.get(collection.url(old), {"format": "json"})
    history = curator.get(f"{collection.url(old)}history/", {"page_size": "1"})

    assert detail.status_code == 301
    assert detail["Location"] == f"http://testserver{collection.url('renamed')}?format=json"
    assert history.status_code == 301
    assert history["Location"] == f"http://testserver{collection.url('renamed')}history/?page_size=1"
    assert curator.get(detail["Location"]).json()["slug"] == "renamed"


def test_a_write_to_an_old_url_is_a_308_that_writes_nothing(curator):
    event = factories.event()
    old = event.slug
    rename(curator, EVENTS, event, "renamed")

    response = curator.patch(EVENTS.url(old), {"title": "Changed"}, format="json")

    assert response.status_code == 308
    assert response["Location"] == f"http://testserver{EVENTS.url('renamed')}"
    assert Event.objects.get(pk=event.pk).title != "Changed"


def test_an_unknown_slug_is_still_a_404(api):
    factories.event(slug="known")

    assert api.get(EVENTS.url("never-was")).status_code == 404


def test_the_history_of_a_renamed_record_follows_it(curator):
    event = factories.event(slug="first")
    rename(curator, EVENTS, event, "second")

    versions = curator.get(f"{EVENTS.url('second')}history/").json()["results"]

    assert [v["data"]["slug"] for v in versions] == ["first", "second"]
    assert versions[-1]["changes"]["slug"] == {"from": "first", "to": "second"}
    assert versions[-1]["changes"]["previous_slugs"] == {"from": [], "to": ["first"]}


def test_the_changes_feed_shows_a_rename_with_both_slugs(curator, api):
    actor = factories.actor(slug="old-name")
    factories.actor(slug="bystander")
    Actor.objects.filter(slug="bystander").update(name="Changed, not renamed")
    rename(curator, WRITABLE_BY_NAME["actors"], actor, "new-name")

    results = api.get("/api/v1/changes/", {"since": "2000-01-01T00:00:00Z"}).json()["results"]

    updates = [(c["slug"], c["renamed_from"]) for c in results if c["action"] == "update"]
    assert updates == [("bystander", None), ("new-name", "old-name")]
    assert all(c["renamed_from"] is None for c in results if c["action"] != "update")


def test_renamed_twice_and_back_every_slug_stays(curator):
    event = factories.event(slug="a")
    rename(curator, EVENTS, event, "b")
    rename(curator, EVENTS, Event.objects.get(pk=event.pk), "c")
    back = rename(curator, EVENTS, Event.objects.get(pk=event.pk), "a")

    assert back["previous_slugs"] == ["b", "c"]  # the last is the one it was renamed from
    assert curator.get(EVENTS.url("b")).status_code == 301


@pytest.mark.parametrize("collection", WRITABLE, ids=str)
def test_a_retired_slug_cannot_be_taken_by_another_record(curator, collection):
    record = collection.make()
    old = record.slug
    rename(curator, collection, record, "renamed")

    created = curator.post(collection.url(), collection.body() | {"slug": old}, format="json")
    other = collection.make()
    claimed = curator.patch(collection.url(other.slug), {"previous_slugs": ["renamed"]}, format="json")
    taken = curator.patch(collection.url(other.slug), {"slug": old}, format="json")

    for response in (created, claimed, taken):
        assert old in problem(response, 409)["detail"] or "renamed" in problem(response, 409)["detail"]
    assert "slug" in problem(created, 409)["detail"]
    assert collection.model.objects.get(pk=other.pk).slug == other.slug


def test_the_database_refuses_a_slug_another_record_has_or_had():
    first, second = factories.actor(slug="first"), factories.actor(slug="second")
    Actor.objects.filter(pk=first.pk).update(slug="first-renamed")

    for write in (
        lambda: Actor.objects.filter(pk=second.pk).update(previous_slugs=["first"]),
        lambda: Actor.objects.filter(pk=second.pk).update(slug="first-renamed"),
        lambda: factories.actor(slug="first"),
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            write()


def test_a_previous_slug_is_never_taken_away(curator):
    event = factories.event(slug="before")
    rename(curator, EVENTS, event, "after")

    response = curator.patch(EVENTS.url("after"), {"previous_slugs": []}, format="json")

    assert error_attrs(response) == {"previous_slugs"}
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(previous_slugs=[])
    assert Event.objects.get(pk=event.pk).previous_slugs == ["before"]


def test_a_deleted_record_frees_its_slugs(curator):
    actor = factories.actor(slug="gone")
    rename(curator, WRITABLE_BY_NAME["actors"], actor, "gone-renamed")
    assert curator.delete(WRITABLE_BY_NAME["actors"].url("gone-renamed")).status_code == 204

    assert not PublishedSlug.objects.filter(slug__in=["gone", "gone-renamed"]).exists()
    factories.actor(slug="gone")


def test_an_old_slug_in_a_filter_selects_the_record(curator, api):
    event, other = factories.event(slug="old-event"), factories.event()
    claim = factories.claim(event=event)
    factories.claim(event=other)
    place = event.place
    rename(curator, EVENTS, event, "new-event")
    rename(curator, WRITABLE_BY_NAME["places"], place, "new-place")

    by_event = api.get("/api/v1/claims/", {"event": "old-event"}).json()["results"]
    by_place = api.get("/api/v1/events/", {"place": place.slug}).json()["results"]

    assert [c["slug"] for c in by_event] == [claim.slug]
    assert [e["slug"] for e in by_place] == ["new-event"]
    assert api.get("/api/v1/claims/", {"event": "never-was"}).status_code == 400


def test_an_old_slug_in_a_write_names_the_record(curator):
    event = factories.event(slug="old-event")
    rename(curator, EVENTS, event, "new-event")

    response = curator.post(
        CLAIMS.url(), CLAIMS.body() | {"slug": "about-it", "event": "old-event"}, format="json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["event"] == "new-event"
    assert Claim.objects.get(slug="about-it").event_id == event.pk


# The loader ---------------------------------------------------------------------------------------------


def write(tmp_path, **collections) -> list:
    path = tmp_path / "dataset.json"
    path.write_text(json.dumps(collections), encoding="utf-8")
    return [path]


def actor_record(slug: str, previous: list[str], name: str = "Syrian Observatory for Human Rights") -> dict:
    return {"slug": slug, "previous_slugs": previous, "name": name, "kind": "ngo"}


def test_the_loader_renames_a_record_its_file_renamed(tmp_path, api):
    load(write(tmp_path, actors=[actor_record("sohr", [])]))
    first = Actor.objects.get(slug="sohr")

    report = load(write(tmp_path, actors=[actor_record("syrian-observatory", ["sohr"])]))

    assert report.counts["actors"]["updated"] == 1 and report.total("created") == 0
    renamed = Actor.objects.get(pk=first.pk)
    assert (renamed.slug, renamed.previous_slugs) == ("syrian-observatory", ["sohr"])
    assert api.get("/api/v1/actors/sohr/").status_code == 301
    again = load(write(tmp_path, actors=[actor_record("syrian-observatory", ["sohr"])]))
    assert again.total("unchanged") == 1


def test_the_loader_creates_a_record_with_the_previous_slugs_of_its_file(tmp_path, api):
    load(write(tmp_path, actors=[actor_record("syrian-observatory", ["sohr"])]))

    assert Actor.objects.get(slug="syrian-observatory").previous_slugs == ["sohr"]
    assert api.get("/api/v1/actors/sohr/")["Location"].endswith("/api/v1/actors/syrian-observatory/")


def test_the_loader_rejects_slugs_that_name_two_records(tmp_path):
    load(write(tmp_path, actors=[actor_record("one", []), actor_record("two", [], name="Another")]))

    with pytest.raises(DatasetError, match=r"previous_slugs: names several records: one, two"):
        load(write(tmp_path, actors=[actor_record("one", ["two"])]))
    with pytest.raises(DatasetError, match=r"duplicate slug one"):
        load(write(tmp_path, actors=[actor_record("one", []), actor_record("three", ["one"], name="Other")]))
    assert sorted(Actor.objects.values_list("slug", flat=True)) == ["one", "two"]
