"""Curators: the group the migrations create, and the people `manage.py add_curator` lets into the admin."""

import io
import sys

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from events.curators import CURATORS, curator_permission_codenames
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple-42"


def add_curator(monkeypatch, username: str, password: str):
    """Run add_curator with `password` on a piped (not a terminal) stdin, as a script would."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{password}\n"))
    out = io.StringIO()
    call_command("add_curator", username, "--email", f"{username}@example.org", stdout=out)
    return out.getvalue()


@pytest.fixture
def alice(monkeypatch, client):
    assert "alice is a curator" in add_curator(monkeypatch, "alice", PASSWORD)
    return get_user_model().objects.get(username="alice")


@pytest.fixture
def logged_in(alice, client):
    response = client.post("/admin/login/?next=/admin/", {"username": "alice", "password": PASSWORD})
    assert (response.status_code, response.url) == (302, "/admin/")
    return client


def test_migrations_create_the_curators_group_with_exactly_its_permissions():
    group = Group.objects.get(name=CURATORS)

    held = set(group.permissions.values_list("content_type__app_label", "codename"))

    assert held == set(curator_permission_codenames())
    assert ("events", "change_event") in held
    assert ("events", "view_eventversion") in held
    assert not {codename for _, codename in held if "user" in codename or "group" in codename}


def test_add_curator_makes_a_staff_member_of_the_group(alice):
    assert alice.is_staff and alice.is_active and not alice.is_superuser
    assert alice.email == "alice@example.org"
    assert list(alice.groups.values_list("name", flat=True)) == [CURATORS]
    assert alice.check_password(PASSWORD)
    assert alice.has_perm("events.change_event") and not alice.has_perm("events.change_eventversion")


def test_add_curator_again_changes_the_password_of_the_same_user(monkeypatch, alice):
    add_curator(monkeypatch, "alice", PASSWORD + "-new")

    alice.refresh_from_db()
    assert alice.check_password(PASSWORD + "-new")
    assert get_user_model().objects.filter(username="alice").count() == 1


@pytest.mark.parametrize("password", ["short", "password123", "12345678901"])
def test_a_weak_password_is_refused(monkeypatch, password):
    with pytest.raises(CommandError, match="password"):
        add_curator(monkeypatch, "bob", password)

    assert not get_user_model().objects.filter(username="bob").exists()


def test_a_curator_opens_and_edits_an_event(logged_in):
    event = factories.documented_event(summary="Before.")

    assert logged_in.get("/admin/").status_code == 200
    assert logged_in.get(f"/admin/events/event/{event.pk}/change/").status_code == 200
    factories.edit_in_admin(logged_in, event, summary="After.")

    event.refresh_from_db()
    assert event.summary == "After."


@pytest.mark.parametrize(
    "url",
    ["/admin/auth/user/", "/admin/auth/group/", "/admin/auth/user/add/", "/admin/auth/group/add/"],
)
def test_a_curator_cannot_manage_users_or_groups(logged_in, url):
    assert logged_in.get(url).status_code == 403


def test_a_curator_cannot_post_a_new_user(logged_in):
    response = logged_in.post(
        "/admin/auth/user/add/",
        {"username": "mallory", "password1": PASSWORD, "password2": PASSWORD, "usable_password": "true"},
    )

    assert response.status_code == 403
    assert not get_user_model().objects.filter(username="mallory").exists()
