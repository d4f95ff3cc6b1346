"""The application's database role cannot rewrite the history (conflictdb/roles.py, docs/security.md).

Each attempt is made as a role created by `manage.py create_app_role`, in plain SQL over its own psycopg
connection (not through the ORM, which an attacker holding the credentials would not use either), and
must be refused by PostgreSQL; the application's own writes through that role still work and are versioned.
"""

import io
import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from urllib.parse import urlparse

import pghistory
import pgtrigger
import psycopg
import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.auth.models import Permission
from django.core.checks import run_checks
from django.core.management import call_command
from django.db import connection
from django.db.models.signals import post_migrate
from django.utils import timezone
from pghistory.models import Context

from conflictdb import roles
from events.models import Actor, ActorVersion, Place
from tests import factories
from tests.throwaway import manage, new_database

pytestmark = pytest.mark.django_db(transaction=True)


def pgid(uri: str) -> str:
    """The PostgreSQL name of the trigger pgtrigger registered as `uri` ("app.Model:name")."""
    [(model, trigger)] = pgtrigger.registered(uri)
    return trigger.get_pgid(model)


ACTOR_INSERT = "events.Actor:insert_insert"
VERSION_APPEND_ONLY = "events.ActorVersion:append_only"


@pytest.fixture
def app_role():
    """A new application role with its grants, dropped afterwards."""
    name = f"test_app_{uuid.uuid4().hex[:10]}"
    call_command("create_app_role", name, stdout=io.StringIO())
    yield name
    connection.close()  # any connection of the role's own is closed by now; ours may hold no lock
    with connection.cursor() as cursor:
        cursor.execute(f'DROP OWNED BY "{name}"')
        cursor.execute(f'DROP ROLE "{name}"')


@pytest.fixture
def as_app(app_role):
    """A plain psycopg connection to the test database as the application's role (autocommit)."""
    server = connection.settings_dict
    session = psycopg.connect(
        host=server["HOST"], port=server["PORT"], dbname=server["NAME"], user=app_role, autocommit=True
    )
    yield session
    session.close()


@pytest.fixture
def versioned_actor():
    """An actor written by the owner under a committed context: one version, one context of the past."""
    with pghistory.context(user=1, url="/admin/"):
        actor = factories.actor(description="Armed group.")
    version = ActorVersion.objects.get(pgh_obj=actor)
    return actor, version


REWRITE_VERSION = "UPDATE events_actorversion SET description = 'rewritten' WHERE pgh_id = %s"
SET_CONTEXT = (
    "SELECT set_config('pghistory.context_id', %s, {local}), "
    "set_config('pghistory.context_metadata', %s, {local})"
)


def refused(session: psycopg.Connection, sql: str, params=()):
    """Run `sql` as `session`; assert PostgreSQL refuses it for want of privilege."""
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        session.execute(sql, params)


def test_the_app_role_cannot_update_or_delete_a_version(as_app, versioned_actor):
    _actor, version = versioned_actor
    refused(
        as_app, "UPDATE events_actorversion SET description = 'rewritten' WHERE pgh_id = %s", [version.pk]
    )
    refused(as_app, "DELETE FROM events_actorversion WHERE pgh_id = %s", [version.pk])
    version.refresh_from_db()
    assert version.description == "Armed group."


def test_the_app_role_cannot_forge_a_version_or_a_context(as_app, versioned_actor):
    """Versions and contexts are written by the tracking triggers with the owner's rights, not the role's."""
    actor, version = versioned_actor
    refused(
        as_app,
        """INSERT INTO events_actorversion (pgh_created_at, pgh_label, pgh_obj_id, pgh_context_id, id, slug,
                                            name, kind, country, aliases, description, created_at, updated_at)
           SELECT now() - interval '1 year', 'update', id, %s, id, slug, 'Forged', kind, country, aliases,
                  description, created_at, updated_at FROM events_actor WHERE id = %s""",
        [version.pgh_context_id, actor.pk],
    )
    refused(
        as_app,
        "INSERT INTO pghistory_context (id, metadata, created_at, updated_at) VALUES "
        "(gen_random_uuid(), '{\"user\": 1}', now(), now())",
    )
    as_app.execute(SET_CONTEXT.format(local="false"), [str(uuid.uuid4()), '{"user": 1}'])
    refused(as_app, "SELECT _pgh_attach_context()")  # pghistory's upsert, called outside a trigger


def test_a_temporary_table_cannot_receive_the_versions(as_app):
    """A session's temporary tables come first in its search_path; the trigger functions have their own."""
    as_app.execute("CREATE TEMPORARY TABLE events_actorversion (LIKE public.events_actorversion)")
    as_app.execute(
        """INSERT INTO events_actor (slug, name, kind, country, aliases, description, created_at,
                                     updated_at, search_names, search_text)
           VALUES ('diverted', 'Diverted', 'armed_group', '', '{}', '', now(), now(), '', '')"""
    )
    assert ActorVersion.objects.filter(pgh_obj__slug="diverted").count() == 1


def test_the_app_role_cannot_truncate_versions_or_contexts(as_app, versioned_actor):
    refused(as_app, "TRUNCATE events_actorversion")
    refused(as_app, "TRUNCATE pghistory_context")
    refused(as_app, "TRUNCATE events_actor CASCADE")
    assert ActorVersion.objects.exists() and Context.objects.exists()


def test_the_ignore_list_does_not_unlock_versions_for_the_app_role(as_app, versioned_actor):
    _actor, version = versioned_actor
    append_only = pgid(VERSION_APPEND_ONLY)
    as_app.execute("SELECT set_config('pgtrigger.ignore', %s, false)", ["{" + append_only + "}"])
    assert as_app.execute("SELECT _pgtrigger_should_ignore(%s)", [append_only]).fetchone() == (False,)
    refused(
        as_app, "UPDATE events_actorversion SET description = 'rewritten' WHERE pgh_id = %s", [version.pk]
    )
    refused(as_app, "DELETE FROM events_actorversion WHERE pgh_id = %s", [version.pk])
    assert ActorVersion.objects.filter(pk=version.pk, description="Armed group.").exists()


def test_the_ignore_list_does_not_skip_the_history_of_the_app_roles_writes(as_app):
    as_app.execute("SELECT set_config('pgtrigger.ignore', %s, false)", ["{" + pgid(ACTOR_INSERT) + "}"])
    as_app.execute(
        """INSERT INTO events_actor (slug, name, kind, country, aliases, description, created_at,
                                     updated_at, search_names, search_text)
           VALUES ('unrecorded', 'Unrecorded', 'armed_group', '', '{}', '', now(), now(), '', '')"""
    )
    actor = Actor.objects.get(slug="unrecorded")
    assert list(ActorVersion.objects.filter(pgh_obj=actor).values_list("pgh_label", flat=True)) == ["insert"]


def test_the_owner_may_still_use_the_ignore_list(versioned_actor):
    """The synthetic loader's way of writing a million rows without history (synthetic/tables.py)."""
    actor, _version = versioned_actor
    with pgtrigger.ignore("events.Actor:update_update"):
        Actor.objects.filter(pk=actor.pk).update(description="Unversioned.")
    assert ActorVersion.objects.filter(pgh_obj=actor).count() == 1


def test_the_app_role_cannot_rewrite_a_past_context(as_app, versioned_actor):
    _actor, version = versioned_actor
    context = version.pgh_context
    refused(as_app, """UPDATE pghistory_context SET metadata = '{"user": 999}' WHERE id = %s""", [context.id])
    refused(as_app, "UPDATE pghistory_context SET updated_at = now() WHERE id = %s", [context.id])
    refused(as_app, "DELETE FROM pghistory_context WHERE id = %s", [context.id])
    context.refresh_from_db()
    assert context.metadata == {"user": 1, "url": "/admin/"}


def test_the_context_upsert_cannot_rewrite_a_past_context(as_app, versioned_actor):
    """pghistory's upsert updates a context whose id a session names: only its own transaction's."""
    actor, version = versioned_actor
    context = version.pgh_context
    as_app.execute(SET_CONTEXT.format(local="false"), [str(context.id), '{"user": 999}'])
    refused(as_app, "UPDATE events_actor SET description = 'Blamed on another.' WHERE id = %s", [actor.pk])
    context.refresh_from_db()
    assert context.metadata == {"user": 1, "url": "/admin/"}
    assert ActorVersion.objects.filter(pgh_obj=actor).count() == 1


def test_a_transaction_may_grow_its_own_contexts_metadata(as_app, versioned_actor):
    """A request's context gains metadata as it goes (pghistory.context() nested), even in a savepoint."""
    actor, _version = versioned_actor
    context_id = str(uuid.uuid4())
    update = "UPDATE events_actor SET description = %s WHERE id = %s"
    with as_app.transaction():
        as_app.execute(SET_CONTEXT.format(local="true"), [context_id, '{"user": 1}'])
        with as_app.transaction():  # a savepoint: the context row is inserted by a subtransaction
            as_app.execute(update, ["First.", actor.pk])
        as_app.execute(
            "SELECT set_config('pghistory.context_metadata', %s, true)", ['{"user": 1, "step": 2}']
        )
        as_app.execute(update, ["Second.", actor.pk])
    assert Context.objects.get(id=context_id).metadata == {"user": 1, "step": 2}
    assert ActorVersion.objects.filter(pgh_obj=actor, pgh_context_id=context_id).count() == 2


def test_the_app_role_cannot_disable_drop_or_replace_triggers(as_app):
    refused(as_app, "ALTER TABLE events_actorversion DISABLE TRIGGER ALL")
    refused(as_app, f"ALTER TABLE events_actor DISABLE TRIGGER {pgid(ACTOR_INSERT)}")
    refused(as_app, "ALTER TABLE pghistory_context DISABLE TRIGGER conflictdb_context_append_only")
    refused(as_app, f"DROP TRIGGER {pgid(ACTOR_INSERT)} ON events_actor")
    refused(as_app, "CREATE FUNCTION public.sneak() RETURNS int AS 'SELECT 1' LANGUAGE sql")
    refused(as_app, "CREATE SCHEMA sneak")
    refused(as_app, "CREATE TRIGGER sneak BEFORE INSERT ON events_actor FOR EACH ROW EXECUTE FUNCTION now()")
    refused(
        as_app,
        """CREATE OR REPLACE FUNCTION public._pgtrigger_should_ignore(trigger_name NAME) RETURNS BOOLEAN
           AS 'SELECT true' LANGUAGE sql""",
    )
    refused(as_app, "SET session_replication_role = replica")  # fires no trigger at all: superusers only


@contextmanager
def connected_as(role: str):
    """Django's own connection as `role`, as a server's connects (DATABASE_URL)."""
    saved = connection.settings_dict["USER"], connection.settings_dict["PASSWORD"]
    connection.close()
    connection.settings_dict.update(USER=role, PASSWORD="")
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["USER"], connection.settings_dict["PASSWORD"] = saved


def test_the_apis_writes_work_through_the_app_role_and_are_versioned(api, app_role):
    curator = factories.user()  # the Curators group is gone: a transactional test starts from empty tables
    curator.user_permissions.set(
        Permission.objects.filter(content_type__app_label="events", codename__endswith="_actor")
    )
    api.credentials(HTTP_AUTHORIZATION=f"Token {factories.token(curator)}")
    with connected_as(app_role):
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone() == (app_role,)
        created = api.post(
            "/api/v1/actors/", {"slug": "al-nusra", "name": "Al-Nusra Front", "kind": "armed_group"}
        )
        assert created.status_code == 201, created.content
        changed = api.patch("/api/v1/actors/al-nusra/", {"description": "Jihadist armed group."})
        assert changed.status_code == 200, changed.content
        history = api.get("/api/v1/actors/al-nusra/history/")
        assert history.status_code == 200, history.content
        deleted = api.delete("/api/v1/actors/al-nusra/")
        assert deleted.status_code == 204, deleted.content
    versions = ActorVersion.objects.filter(slug="al-nusra").order_by("pgh_id")
    assert [version.pgh_label for version in versions] == ["insert", "update", "delete"]
    assert {version.pgh_context.metadata["user"] for version in versions} == {curator.pk}


def test_migrate_gives_the_grants_again_to_new_tables(settings, app_role):
    """Tables a later migration adds are granted to the configured app role by the post_migrate handler."""
    settings.DATABASE_APP_ROLE = app_role
    with connection.cursor() as cursor:
        cursor.execute(f'REVOKE ALL ON events_actor FROM "{app_role}"')  # as a table new to the role
    conflictdb = apps.get_app_config("conflictdb")
    post_migrate.send(  # as migrate sends it, with its plan (here nothing left to apply)
        sender=conflictdb, app_config=conflictdb, verbosity=0, interactive=False, using="default", plan=[]
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT has_table_privilege(%s, 'events_actor', 'INSERT')", [app_role])
        assert cursor.fetchone() == (True,)


def test_a_privileged_role_is_refused_as_app_role():
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]
    with pytest.raises(roles.RoleError):
        roles.grant(owner)


def test_production_with_one_database_url_is_warned_of_the_owner_serving(settings):
    settings.DATABASE_APP_ROLE = None
    assert "conflictdb.W002" in {message.id for message in run_checks(include_deployment_checks=True)}
    settings.DATABASE_APP_ROLE = "conflictdb_app"
    assert "conflictdb.W002" not in {message.id for message in run_checks(include_deployment_checks=True)}


def test_the_password_comes_from_the_environment(monkeypatch, app_role):
    monkeypatch.setenv("TEST_APP_PASSWORD", "a long pass phrase")
    call_command("create_app_role", app_role, "--password-env", "TEST_APP_PASSWORD", stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolpassword IS NOT NULL FROM pg_authid WHERE rolname = %s", [app_role])
        assert cursor.fetchone() == (True,)


def test_migrate_connects_as_the_owner_and_grants_the_app_role(monkeypatch, app_role):
    """DATABASE_URL the app's role, DATABASE_OWNER_URL the owner's: migrate (its data migrations too) runs
    as the owner, and the role can then serve, and only serve."""
    with new_database("approle") as owner_url:
        owner = urlparse(owner_url)
        app_url = owner._replace(netloc=owner.netloc.replace(owner.username, app_role, 1)).geturl()
        monkeypatch.setenv("DATABASE_OWNER_URL", owner_url)
        manage(app_url, "create_app_role", app_role)
        manage(app_url, "migrate", "--noinput")
        with psycopg.connect(app_url.replace("postgres://", "postgresql://", 1), autocommit=True) as session:
            assert session.execute("SELECT current_user").fetchone() == (app_role,)
            assert session.execute("SELECT name FROM auth_group").fetchall() == [("Curators",)]
            refused(session, "DELETE FROM events_actorversion")
            refused(session, "ALTER TABLE events_actor DISABLE TRIGGER ALL")


def test_the_owners_url_must_name_the_same_database():
    child = subprocess.run(
        [sys.executable, "-c", "import conflictdb.settings"],
        env={
            **os.environ,
            "DATABASE_URL": "postgres://conflictdb_app@db.example.org/conflicts",
            "DATABASE_OWNER_URL": "postgres://owner@db.example.org/another",
        },
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert child.returncode != 0
    assert "DATABASE_OWNER_URL must name the database" in child.stderr


def test_the_app_role_reads_the_past_and_cannot_change_its_views(api, app_role, as_app):
    place = factories.place(slug="renamed-place", name="Before")
    moment = timezone.now()
    Place.objects.filter(pk=place.pk).update(name="After")
    with connected_as(app_role):
        response = api.get("/api/v1/places/renamed-place/", {"as_of": moment.isoformat()})
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Before"
    refused(as_app, "CREATE OR REPLACE VIEW past_moment.events_place AS SELECT 1")
    refused(as_app, "DROP VIEW past_moment.events_place")
    refused(as_app, "CREATE TABLE past_snapshot.sneak (id int)")
