"""The history of every record: a version for every write, whatever made it, attributed to who or what
made it, and never altered afterwards."""

import os

import pghistory
import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import ProgrammingError, connection, transaction

from events.dataset import load
from events.models import Actor, ActorVersion, Event, EventActor
from events.vocabularies import ActorRole
from tests import factories
from tests.api_testing import error_parameters
from tests.throwaway import manage, new_database

pytestmark = pytest.mark.django_db

FIXTURES = settings.BASE_DIR / "fixtures"


def history(api, record) -> list[dict]:
    response = api.get(f"/api/v1/{record._meta.verbose_name_plural}/{record.slug}/history/")
    assert response.status_code == 200, response.content
    return response.json()["results"]


def commands(versions) -> set:
    """(action, command) of `versions`."""
    return {(v.pgh_label, v.pgh_context.metadata.get("command") if v.pgh_context else None) for v in versions}


def test_an_admin_edit_is_attributed_to_the_user_and_page(admin_client, admin_user, api):
    actor = factories.actor(description="Armed group.")

    factories.edit_in_admin(admin_client, actor, description="Jihadist armed group.")

    *_, edit = history(api, actor)
    assert edit | {"at": None} == {
        "version": 2,
        "action": "update",
        "at": None,
        "user": admin_user.username,
        "url": f"/admin/events/actor/{actor.pk}/change/",
        "command": None,
        "application": "conflictdb",
        "data": edit["data"],
        "changes": {"description": {"from": "Armed group.", "to": "Jihadist armed group."}},
    }
    assert edit["data"]["slug"] == actor.slug


def test_the_loader_in_the_command_context_records_inserts_by_load_dataset(api):
    with pghistory.context(command="load_dataset"):
        load([FIXTURES])

    versions = ActorVersion.objects.select_related("pgh_context")
    assert versions.count() == Actor.objects.count() > 0
    assert commands(versions) == {("insert", "load_dataset")}
    (created,) = history(api, Actor.objects.get(slug="islamic-state"))
    assert (created["action"], created["command"], created["user"]) == ("create", "load_dataset", None)
    assert created["data"]["name"] == "Islamic State"


def test_call_command_alone_names_no_command_manage_py_does():
    call_command("load_dataset", stdout=open(os.devnull, "w"))  # noqa: SIM115

    versions = ActorVersion.objects.select_related("pgh_context")
    assert versions.count() == Actor.objects.count() > 0
    assert commands(versions) == {("insert", None)}
    assert set(versions.values_list("pgh_db_application", flat=True)) == {"conflictdb"}


@pytest.fixture
def throwaway_database(migrated_database):
    """A migrated database of the test's own, copied from the session's migrated one."""
    with new_database("conflictdb_history", template=migrated_database) as database_url:
        yield database_url


def test_manage_py_attributes_every_change_to_the_command(throwaway_database):
    assert "total:" in manage(throwaway_database, "load_dataset")

    with psycopg.connect(throwaway_database) as db:
        attributed = db.execute(
            """SELECT v.pgh_label, c.metadata->>'command', v.pgh_db_application, count(*)
               FROM events_actorversion v LEFT JOIN pghistory_context c ON c.id = v.pgh_context_id
               GROUP BY 1, 2, 3"""
        ).fetchall()
        actors = db.execute("SELECT count(*) FROM events_actor").fetchone()[0]
    assert attributed == [("insert", "load_dataset", "conflictdb", actors)]
    assert actors > 10


def test_a_bulk_update_records_a_version_per_row(api):
    isis, nusra, other = (factories.actor(description="Armed group.") for _ in range(3))

    Actor.objects.filter(pk__in=[isis.pk, nusra.pk]).update(description="Jihadist armed group.")

    for actor in (isis, nusra):
        *_, bulk = history(api, actor)
        assert (bulk["version"], bulk["action"], bulk["user"], bulk["command"], bulk["application"]) == (
            2,
            "update",
            None,
            None,
            "conflictdb",
        )
        assert bulk["changes"] == {"description": {"from": "Armed group.", "to": "Jihadist armed group."}}
    assert [v["action"] for v in history(api, other)] == ["create"]


def test_raw_sql_records_a_version_with_the_clients_name(api):
    actor = factories.actor(name="ISIS")

    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('application_name', 'psql', true)")  # as if from psql
        cursor.execute("UPDATE events_actor SET name = %s WHERE slug = %s", ["Islamic State", actor.slug])

    *_, raw = history(api, actor)
    assert (raw["action"], raw["user"], raw["command"], raw["application"]) == ("update", None, None, "psql")
    assert raw["changes"] == {"name": {"from": "ISIS", "to": "Islamic State"}}


def test_a_delete_records_the_last_data():
    actor = factories.actor(slug="jaish-al-fatah", name="Army of Conquest", country="SYR")
    actor.name = "Jaish al-Fatah"
    actor.save()
    pk = actor.pk

    actor.delete()

    versions = ActorVersion.objects.filter(pgh_obj_id=pk).order_by("pgh_id")
    assert [v.pgh_label for v in versions] == ["insert", "update", "delete"]
    deleted = versions.last()
    assert (deleted.slug, deleted.name, deleted.country) == ("jaish-al-fatah", "Jaish al-Fatah", "SYR")


@pytest.mark.parametrize(
    "alter",
    [
        lambda versions: versions.update(name="Rewritten"),
        lambda versions: versions.delete(),
        lambda versions: versions.model.objects.filter(pk=versions[0].pk).update(pgh_label="update"),
    ],
    ids=["update", "delete", "relabel"],
)
def test_versions_cannot_be_altered(alter):
    actor = factories.actor(name="ISIS")
    versions = ActorVersion.objects.filter(pgh_obj_id=actor.pk)

    # PL/pgSQL's RAISE EXCEPTION (SQLSTATE P0001), which Django reports as a ProgrammingError.
    with (
        pytest.raises(ProgrammingError, match="Cannot update or delete rows") as caught,
        transaction.atomic(),
    ):
        alter(versions)
    assert isinstance(caught.value.__cause__, psycopg.errors.RaiseException)

    assert list(versions.values_list("pgh_label", "name")) == [("insert", "ISIS")]


def test_versions_cannot_be_altered_by_raw_sql():
    factories.actor()

    with pytest.raises(ProgrammingError, match="Cannot update or delete"), transaction.atomic():
        connection.cursor().execute("DELETE FROM events_actorversion")

    assert ActorVersion.objects.count() == 1


# The API ------------------------------------------------------------------------------------------------


def test_history_lists_versions_oldest_first_with_only_what_changed(api):
    event = factories.event(title="Strike on Raqqa", summary="")
    event.summary = "Russian jets struck a command post."
    event.save()
    event.title, event.fatalities_best = "Strike near Raqqa", 3
    event.save()

    versions = history(api, event)

    assert [(v["version"], v["action"]) for v in versions] == [(1, "create"), (2, "update"), (3, "update")]
    assert versions[0]["changes"] == {}
    assert versions[0]["data"]["title"] == "Strike on Raqqa"
    assert versions[0]["data"]["place"] == event.place.slug  # references by slug, as the API gives them
    assert versions[1]["changes"] == {"summary": {"from": "", "to": "Russian jets struck a command post."}}
    assert versions[2]["changes"] == {
        "title": {"from": "Strike on Raqqa", "to": "Strike near Raqqa"},
        "fatalities_best": {"from": None, "to": 3},
    }
    assert [v["at"] for v in versions] == sorted(v["at"] for v in versions)


def test_history_of_an_unknown_record_is_404(api):
    assert api.get("/api/v1/events/no-such-event/history/").status_code == 404


def test_history_rejects_unknown_parameters(api):
    event = factories.event()

    response = api.get(f"/api/v1/events/{event.slug}/history/", {"since": "2015-10-03"})

    assert error_parameters(response) == {"since"}


def test_a_link_written_in_the_events_transaction_shows_with_its_version_before_it(api):
    """(The test's one transaction holds every write.) A link shows with the event's version written
    last before it in its transaction: the API touches the event before writing its links."""
    event = factories.event()
    actor = factories.actor()
    EventActor.objects.create(event=event, actor=actor, role=ActorRole.PERPETRATOR)

    Event.objects.filter(pk=event.pk).update(summary="Changed.")

    versions = history(api, event)
    assert [(v["version"], list(v["changes"])) for v in versions] == [(1, ["actors"]), (2, ["summary"])]
    assert versions[0]["changes"]["actors"] == {
        "added": [{"actor": actor.slug, "role": "perpetrator"}],
        "removed": [],
    }


def renamed(actor, times: int):
    """`times` versions more of `actor`, each changing its name."""
    for number in range(times):
        Actor.objects.filter(pk=actor.pk).update(name=f"Name {number}")


def test_history_pages_by_cursor_numbering_on_and_differing_from_the_version_before(api):
    actor = factories.actor(name="First")
    renamed(actor, 4)  # versions 2..5

    first = api.get(f"/api/v1/actors/{actor.slug}/history/", {"page_size": 2}).json()
    assert "cursor=" in first["next"] and first["count"] == 5
    second = api.get(first["next"]).json()
    third = api.get(second["next"]).json()

    assert [v["version"] for v in first["results"] + second["results"] + third["results"]] == [1, 2, 3, 4, 5]
    assert second["results"][0]["changes"] == {"name": {"from": "Name 0", "to": "Name 1"}}
    assert third["next"] is None
    back = api.get(third["previous"]).json()
    assert [v["version"] for v in back["results"]] == [3, 4]


@pytest.mark.parametrize("length", [3, 60])
def test_a_history_page_costs_a_page_however_long_the_history(api, django_assert_num_queries, length):
    actor = factories.actor()
    renamed(actor, length)
    first = api.get(f"/api/v1/actors/{actor.slug}/history/", {"page_size": 2}).json()

    # The record, the page, the count of all, the count before the page, the version before it.
    with django_assert_num_queries(5):
        response = api.get(first["next"])
    assert len(response.json()["results"]) == 2
