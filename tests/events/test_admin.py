"""The curators' admin on the curated dataset: every page opens, searches and filters work, slugs are
fixed once published, and each record's history page tells who changed what."""

import re
from html import unescape

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory

from events.models import Actor, Claim, Event, Place
from sources.models import Source
from tests import factories
from tests.events.test_summary import recounted

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def admin_url(model, view: str = "changelist", *args) -> str:
    opts = model._meta
    return (
        f"/admin/{opts.app_label}/{opts.model_name}/"
        + "".join(f"{arg}/" for arg in args)
        + ("" if view == "changelist" else f"{view}/")
    )


def listed(response) -> list[str]:
    assert response.status_code == 200, response.content[:500]
    return [str(record) for record in response.context["cl"].result_list]


@pytest.fixture
def curated(curated_dataset_of_module, db):
    """The shipped dataset, loaded as manage.py load_dataset would (once for the module: every test here
    reads it; the admin's tests on records of their own are in test_admin_changelist.py)."""


def some_record(model, admin_user):
    """A record to open: the curated data's first, the Curators group, the admin user."""
    if model is Group:
        return Group.objects.get(name="Curators")
    return admin_user if model is type(admin_user) else model.objects.order_by("pk").first()


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_every_page_of_every_model_opens(admin_client, admin_user, curated, model):
    record = some_record(model, admin_user)

    # Records only the application writes (django-axes's login attempts) have no add page.
    request = RequestFactory().get("/")
    request.user = admin_user
    can_add = admin.site._registry[model].has_add_permission(request)
    assert admin_client.get(admin_url(model, "add")).status_code == (200 if can_add else 403)
    shown = listed(admin_client.get(admin_url(model)))
    if record is None:  # a model outside the curated data with no rows yet (e.g. API tokens)
        assert shown == []
        return
    assert str(record) in shown
    change = admin_client.get(admin_url(model, "change", record.pk))
    assert change.status_code == 200
    assert change.context["original"] == record


@pytest.mark.parametrize(
    ("model", "term", "expected"),
    [
        (Actor, "Daesh", "islamic-state"),  # an alias, through search_text
        (Place, "Ar-Raqqah", "raqqa"),
        (Event, "hospital", "2015-russia-raid-hama-hospital"),
        (Claim, "BETAB-500", "ru-mod-raqqa-command-post-betab-500"),
        (Source, "Al-Jazeera", "erdogan-al-jazeera-arabic-interview-2015-10-03"),
    ],
    ids=["actor", "place", "event", "claim", "source"],
)
def test_search_finds_records_by_their_texts(admin_client, curated, model, term, expected):
    found = listed(admin_client.get(admin_url(model), {"q": term}))

    assert expected in found
    assert len(found) < model.objects.count()


def filter_choices(client, model):
    """(filter title, choice label, query string) of every choice of every list filter of `model`."""
    response = client.get(admin_url(model))
    cl = response.context["cl"]
    return [
        (str(spec.title), str(choice["display"]), choice["query_string"])
        for spec in cl.filter_specs
        for choice in spec.choices(cl)
    ]


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_every_list_filter_choice_opens(admin_client, curated, model):
    choices = filter_choices(admin_client, model)
    assert len(choices) >= 2 * len(admin.site._registry[model].list_filter)

    for title, label, query in choices:
        response = admin_client.get(admin_url(model) + query)
        assert response.status_code == 200, (title, label, query)  # an invalid lookup redirects to ?e=1


@pytest.fixture
def events_in_two_countries(curated):
    """The curated events (all in Syria, some disputed) and one undisputed event in Iraq."""
    factories.event(slug="mosul-strike", place=factories.place(country="IRQ"))
    disputed = [slug for slug, (_count, disputed) in recounted().items() if disputed]
    assert 0 < len(disputed) < Event.objects.count()  # else the filters prove little


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"country": "SYR"}, {"place__country": "SYR"}),
        ({"country": "IRQ"}, {"place__country": "IRQ"}),
        ({"disputed": "yes"}, {"disputed": True}),
        ({"disputed": "no"}, {"disputed": False}),
    ],
)
def test_event_custom_filters(admin_client, events_in_two_countries, query, expected):
    if "disputed" in expected:  # as counted afresh from the claims, not as the events table holds it
        wanted = [slug for slug, (_, disputed) in recounted().items() if disputed == expected["disputed"]]
    else:
        wanted = Event.objects.filter(**expected).values_list("slug", flat=True)

    assert listed(admin_client.get(admin_url(Event), query)) == sorted(wanted)


def test_country_filter_offers_the_countries_of_places(admin_client, events_in_two_countries):
    choices = filter_choices(admin_client, Event)

    assert [label for title, label, _ in choices if title == "country"] == ["All", "IRQ", "SYR"]


SLUG_INPUT = re.compile(r'<input[^>]*name="slug"')


@pytest.mark.parametrize("model", [Actor, Place, Event, Claim, Source], ids=lambda model: model.__name__)
def test_slug_is_typed_when_adding_and_fixed_afterwards(admin_client, curated, model):
    record = model.objects.order_by("pk").first()

    add = admin_client.get(admin_url(model, "add")).content.decode()
    change = admin_client.get(admin_url(model, "change", record.pk)).content.decode()

    assert SLUG_INPUT.search(add)
    assert not SLUG_INPUT.search(change)
    assert re.search(rf'<div class="readonly">{re.escape(record.slug)}</div>', change)


def test_autocomplete_finds_places(admin_client, curated):
    response = admin_client.get(
        "/admin/autocomplete/",
        {"app_label": "events", "model_name": "event", "field_name": "place", "term": "raq"},
    )

    assert response.status_code == 200
    assert {result["text"] for result in response.json()["results"]} == {"raqqa", "near-raqqa"}


# History ------------------------------------------------------------------------------------------------


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_history_page_shows_every_version_who_and_what_changed(admin_client, admin_user, curated):
    event = Event.objects.get(slug="2015-russia-strikes-hama")
    before = event.summary

    factories.edit_in_admin(admin_client, event, summary="Russian jets struck targets in Hama.")
    response = admin_client.get(admin_url(Event, "history", event.pk))

    assert response.status_code == 200
    rows = re.findall(r'<tr class="version">(.*?)</tr>', response.content.decode(), re.S)
    # Newest first: the edit; the loader's write of the links (its actors and their evidence, once the
    # claims they cite were loaded); the creation.
    assert len(rows) == 3
    edit, links, creation = (text(row) for row in rows)
    assert edit.startswith("3 ")
    assert f"update {admin_user.username} summary : {before} → Russian jets struck targets in Hama." in edit
    assert links.startswith("2 ")
    assert "update command: load_dataset actors : added " in links
    assert "added russia perpetrator" in links
    assert creation.startswith("1 ")
    assert "create command: load_dataset" in creation
