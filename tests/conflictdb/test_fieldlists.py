"""The one field list of each model, and what is derived from it."""

import pytest
from django.contrib import admin
from django.db import connection

from conflictdb.fieldlists import link_lists, span, stored_columns, without
from conflictdb.models import PublicRecord
from events.models import Actor, ClaimRelation, Event, EventActor
from tests import factories

DESCRIBED = [model for model in admin.site._registry if issubclass(model, PublicRecord)]
NOT_PUBLIC = {"id", "created_at", "updated_at", "search_names", "search_text"}
SEARCH = {"search_names", "search_text"}  # written by a trigger


@pytest.mark.parametrize("model", DESCRIBED, ids=lambda model: model.__name__)
def test_every_field_a_client_writes_is_in_the_models_field_list(model):
    links = {model._meta.get_field(name).related_model for name in link_lists(model)}
    written = {
        field.name
        for field in [*model._meta.concrete_fields, *model._meta.many_to_many]
        if field.editable
        and field.name not in NOT_PUBLIC
        # a claim's related claims are its relations, the link rows the list names
        and not (field.many_to_many and field.remote_field.through in links)
    }
    assert written | set(link_lists(model)) == set(model.FIELDS)
    assert len(model.FIELDS) == len(set(model.FIELDS))


@pytest.mark.parametrize("model", DESCRIBED, ids=lambda model: model.__name__)
def test_the_admin_shows_every_field_and_its_inlines_the_link_lists(model):
    model_admin = admin.site._registry[model]
    shown = set()
    for _title, options in model_admin.fieldsets:
        for row in options["fields"]:
            shown |= {row} if isinstance(row, str) else set(row)
    inlined = {inline.model for inline in model_admin.inlines}
    assert set(without(model.FIELDS, *link_lists(model))) <= shown
    for name in link_lists(model):
        field = model._meta.get_field(name)
        assert (field.remote_field.through if field.many_to_many else field.related_model) in inlined


def test_without_refuses_a_name_not_among_the_fields():
    shown = without(Actor.FIELDS, "previous_slugs", "aliases", "description", "background")
    assert shown == ["slug", "name", "kind", "country", "parent"]
    with pytest.raises(ValueError, match="alias"):
        without(Actor.FIELDS, "alias")


def test_a_span_takes_the_neighbours_between_two_fields():
    assert span(Event, "fatalities_low", "fatalities_high") == (
        "fatalities_low",
        "fatalities_best",
        "fatalities_high",
    )


def copied_back(model, record, *tail: str):
    """`record`'s row deleted and written again by COPY, naming the stored columns (and `tail`) only.
    (References to it are checked at commit, by then it is back.)"""
    columns = [*stored_columns(model), *tail]
    row = model.objects.filter(pk=record.pk).values_list(*columns).get()
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [record.pk])
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            copy.write_row(row)


@pytest.mark.django_db
def test_a_copy_naming_the_stored_columns_writes_the_record_back_whole():
    parent = factories.actor()
    actor = factories.actor(parent=parent, aliases=["Daesh", "ISIL"], country="SYR", description="A group.")
    event = factories.event()
    link = EventActor.objects.create(event=event, actor=actor, role="perpetrator")
    relation = factories.claim_relation(from_claim=factories.claim(), to_claim=factories.claim(), note="n")

    assert "parent_id" in stored_columns(Actor) and "actors" not in stored_columns(Event)
    for model, record, tail in [
        (Actor, actor, ("id", "created_at", "updated_at")),
        (Event, event, ("id", "created_at", "updated_at")),
        (EventActor, link, ("id",)),
        (ClaimRelation, relation, ("id",)),
    ]:
        fields = [f.attname for f in model._meta.concrete_fields if f.name not in SEARCH]
        before = model.objects.filter(pk=record.pk).values(*fields).get()
        copied_back(model, record, *tail)
        assert model.objects.filter(pk=record.pk).values(*fields).get() == before, model.__name__
