"""The feed of changes (/api/v1/changes/): every create, update and delete since a moment, in order, with
tombstones for deletes and link rows reported as updates of the record they belong to."""

import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from events.models import ActorVersion, EventActor
from events.vocabularies import ActorRole
from tests import factories
from tests.api_testing import error_parameters

LONG_AGO = "2000-01-01T00:00:00Z"


def feed(api, **query) -> dict:
    response = api.get("/api/v1/changes/", {"since": LONG_AGO} | query)
    assert response.status_code == 200, response.content
    return response.json()


def changes(api, **query) -> list[tuple[str, str, str]]:
    """(action, collection, slug) of every change on the first page."""
    return [(c["action"], c["collection"], c["slug"]) for c in feed(api, **query)["results"]]


def come_back(api, body: dict) -> dict:
    """The next read of a client that has read `body` to the end: from its `resume` link where the feed
    gives one, otherwise since the last change it saw."""
    if body.get("resume"):
        response = api.get(body["resume"])
        assert response.status_code == 200, response.content
        return response.json()
    return feed(api, since=body["results"][-1]["at"]) if body["results"] else feed(api)


def every_page(api, **query) -> list[dict]:
    body = feed(api, **query)
    results = body["results"]
    while body["next"]:
        response = api.get(body["next"])
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["results"], "a next link should lead to more changes"
        results += body["results"]
    return results


@pytest.mark.django_db
class TestFeed:
    def test_create_update_delete_in_order_with_a_tombstone(self, api):
        actor = factories.actor(slug="jaish-al-fatah", name="Army of Conquest")
        actor.name = "Jaish al-Fatah"
        actor.save()
        actor.delete()

        body = feed(api)

        assert body["next"] is None
        assert [(c["action"], c["collection"], c["slug"]) for c in body["results"]] == [
            ("create", "actors", "jaish-al-fatah"),
            ("update", "actors", "jaish-al-fatah"),
            ("delete", "actors", "jaish-al-fatah"),
        ]
        created = body["results"][0]
        assert (created["user"], created["command"], created["application"]) == (None, None, "conflictdb")
        assert datetime.fromisoformat(created["at"]) <= datetime.now(UTC)

    def test_a_change_of_an_events_actors_is_an_update_of_the_event(self, api):
        event = factories.event(slug="raqqa-strike", place=None)
        link = EventActor.objects.create(
            event=event, actor=factories.actor(slug="isis"), role=ActorRole.TARGET
        )
        link.role = ActorRole.PERPETRATOR
        link.save()

        assert Counter(changes(api)) == {
            ("create", "actors", "isis"): 1,
            ("create", "events", "raqqa-strike"): 1,
            ("update", "events", "raqqa-strike"): 2,  # the link added, then its role changed
        }

    def test_a_change_of_a_claims_relations_is_an_update_of_the_from_claim(self, api):
        source, claimant = factories.source(slug="afp"), factories.actor(slug="sohr")
        first = factories.claim(slug="sohr-12-killed", source=source, claimant=claimant)
        second = factories.claim(slug="ru-mod-no-civilians", source=source, claimant=claimant)
        factories.claim_relation(from_claim=second, to_claim=first).delete()

        assert Counter(change for change in changes(api) if change[1] == "claims") == {
            ("create", "claims", "sohr-12-killed"): 1,
            ("create", "claims", "ru-mod-no-civilians"): 1,
            ("update", "claims", "ru-mod-no-civilians"): 2,  # the relation added, then deleted
        }

    def test_a_deleted_records_links_still_name_it_and_the_tombstone_comes_last(self, api):
        event = factories.event(slug="raqqa-strike", place=None)
        EventActor.objects.create(event=event, actor=factories.actor(), role=ActorRole.PERPETRATOR)

        event.delete()  # deletes its actor links first

        mine = [action for action, _, slug in changes(api) if slug == "raqqa-strike"]
        assert Counter(mine) == {"create": 1, "update": 2, "delete": 1}
        assert mine[-1] == "delete"

    def test_a_record_is_created_before_its_links_change(self, api):
        event = factories.event(slug="raqqa-strike", place=None)
        EventActor.objects.create(event=event, actor=factories.actor(), role=ActorRole.PERPETRATOR)

        assert [action for action, _, slug in changes(api) if slug == "raqqa-strike"] == ["create", "update"]

    def test_since_leaves_out_older_changes(self, api):
        factories.actor(slug="isis")
        factories.actor(slug="nusra")
        moment = ActorVersion.objects.get(slug="nusra").pgh_created_at
        assert ActorVersion.objects.get(slug="isis").pgh_created_at < moment

        assert changes(api, since=moment.isoformat()) == [("create", "actors", "nusra")]

    def test_since_is_inclusive_and_later_is_empty(self, api):
        factories.actor(slug="isis")
        (version,) = ActorVersion.objects.all()
        moment = version.pgh_created_at

        assert changes(api, since=moment.isoformat()) == [("create", "actors", "isis")]
        assert changes(api, since=(moment + timedelta(microseconds=1)).isoformat()) == []

    @pytest.mark.parametrize("page_size", [1, 2, 4, 5, 6])
    def test_next_links_give_every_change_once_in_order(self, api, page_size):
        isis = factories.actor(slug="isis")
        factories.actor(slug="nusra")
        factories.place(slug="raqqa")
        factories.source(slug="afp")
        isis.name = "Islamic State"
        isis.save()
        everything = feed(api)["results"]
        assert len(everything) == 5

        paged = every_page(api, page_size=page_size)

        assert paged == everything
        assert [(c["action"], c["slug"]) for c in paged] == [
            ("create", "isis"),
            ("create", "nusra"),
            ("create", "raqqa"),
            ("create", "afp"),
            ("update", "isis"),
        ]

    def test_resume_gives_what_happened_since(self, api):
        factories.actor(slug="isis")
        first = feed(api)
        factories.place(slug="raqqa")

        assert [c["slug"] for c in come_back(api, first)["results"]] == ["raqqa"]

    def test_the_last_page_has_no_next_link(self, api):
        for _ in range(5):
            factories.actor()

        pages = [feed(api, page_size=2)]
        while pages[-1]["next"]:
            pages.append(api.get(pages[-1]["next"]).json())

        assert [len(page["results"]) for page in pages] == [2, 2, 1]
        assert pages[-1]["next"] is None
        assert all("after=" in page["next"] and "page_size=2" in page["next"] for page in pages[:-1])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "blamed"),
    [
        ({}, "since"),
        ({"since": "yesterday"}, "since"),
        ({"since": "2015-10-03T00:00:00"}, "since"),  # no time zone
        ({"since": "2015-10-03"}, "since"),
        ({"since": LONG_AGO, "after": "soon"}, "after"),
        ({"since": LONG_AGO, "after": "2015-10-03T00:00:00Z,events_actorversion,x"}, "after"),
        ({"since": LONG_AGO, "after": "2015-10-03T00:00:00Z,events_actorversion"}, "after"),
        ({"since": LONG_AGO, "page_size": "0"}, "page_size"),
        ({"since": LONG_AGO, "collection": "events"}, "collection"),
    ],
)
def test_bad_parameters_are_400_naming_them(api, query, blamed):
    assert error_parameters(api.get("/api/v1/changes/", query)) == {blamed}


# Across transactions ---------------------------------------------------------------------------------
# The feed holds back changes while an older transaction is still running, on any database of the server
# (transaction ids are server-wide): other test runs sharing the server can delay, never reorder, a change.


def eventually(read, done, seconds: float = 120):
    """read() until done(result), for at most `seconds`; the last result."""
    deadline = time.monotonic() + seconds
    while not done(result := read()) and time.monotonic() < deadline:
        time.sleep(0.2)
    return result


@pytest.mark.django_db(transaction=True)
def test_next_links_across_transactions(api):
    for number in range(5):
        factories.actor(slug=f"actor-{number}")

    paged = eventually(lambda: every_page(api, page_size=2), lambda results: len(results) >= 5)

    assert [c["slug"] for c in paged] == [f"actor-{n}" for n in range(5)]


@pytest.mark.django_db(transaction=True)
def test_a_slow_transaction_is_not_missed_by_a_client_keeping_up(api):
    server = settings.DATABASES["default"]
    other = psycopg.connect(
        host=server["HOST"],
        port=server["PORT"],
        user=server["USER"],
        password=server["PASSWORD"],
        dbname=connection.settings_dict["NAME"],
        application_name="conflictdb",
    )
    try:
        # Another writer starts a transaction and writes a record, but is slow to commit.
        other.execute(
            "INSERT INTO events_actor (slug, name, kind, country, aliases, description, created_at, "
            "updated_at) VALUES ('slow', 'Slow', 'armed_group', '', '{}', '', now(), now())"
        )
        factories.actor(slug="fast")
        first = feed(api)  # a client keeping in sync reads the feed...
        other.commit()
    finally:
        other.close()
    # ... and later asks for what happened since.
    second = eventually(
        lambda: come_back(api, first), lambda body: len(first["results"] + body["results"]) >= 2
    )

    seen = [c["slug"] for c in first["results"] + second["results"]]
    assert sorted(seen) == ["fast", "slow"]  # each exactly once
