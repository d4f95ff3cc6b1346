"""The database rejects actors, places, events and claims that break the model's rules.

Every write goes through `objects.create` or `.update`, which skip model validation, so what rejects
the row is PostgreSQL; each case names the constraint PostgreSQL reports, and first writes the nearest
row that the database must accept.
"""

from datetime import date
from functools import partial

import pytest
from django.db.models import F

from events.models import ClaimRelation, EventActor, Place
from events.vocabularies import ActorRole, ClaimRelationKind, EventType, SubEventType
from tests import factories
from tests.api_testing import curator_client, error_attrs
from tests.database import assert_constraint, created_twice, pointing_at_another, updated, violates

pytestmark = pytest.mark.django_db


def case(constraint, accepted, rejected, *, id):
    return pytest.param(constraint, accepted, rejected, id=f"{constraint}:{id}")


def actor_in_roles(*roles):
    def write():
        event, actor = factories.event(), factories.actor()
        for role in roles:
            EventActor.objects.create(event=event, actor=actor, role=role)

    return write


def relations(*pairs):
    """Create claims a and b, then a relation for each (from, to) pair of names."""

    def write():
        claims = {"a": factories.claim(), "b": factories.claim()}
        for number, (from_name, to_name) in enumerate(pairs):
            kind = ClaimRelationKind.CONTRADICTS if number % 2 else ClaimRelationKind.SUPPORTS
            ClaimRelation.objects.create(from_claim=claims[from_name], to_claim=claims[to_name], kind=kind)

    return write


def claim_figure(**figure):
    return partial(factories.claim, unit="deaths", **figure)


ACTOR_CASES = [
    case(
        "actor_country_alpha3",
        partial(factories.actor, country="SYR"),
        partial(factories.actor, country="syr"),
        id="lower-case",
    ),
    case(
        "actor_country_alpha3",
        partial(factories.actor, country=""),
        partial(factories.actor, country="SY"),
        id="alpha-2",
    ),
    case(
        "actor_not_own_parent",
        pointing_at_another(factories.actor, "parent"),
        updated(factories.actor, parent=F("pk")),
        id="own-parent",
    ),
]

PLACE_CASES = [
    case(
        "place_country_alpha3",
        partial(factories.place, country="IRQ"),
        partial(factories.place, country=""),
        id="empty",
    ),
    case(
        "place_country_alpha3",
        partial(factories.place, country="IRQ"),
        partial(factories.place, country="Irq"),
        id="mixed-case",
    ),
    case(
        "place_latitude_range",
        partial(factories.place, latitude=90, longitude=0),
        partial(factories.place, latitude=90.00001, longitude=0),
        id="north",
    ),
    case(
        "place_latitude_range",
        partial(factories.place, latitude=-90, longitude=0),
        partial(factories.place, latitude=-90.5, longitude=0),
        id="south",
    ),
    case(
        "place_longitude_range",
        partial(factories.place, latitude=0, longitude=180),
        partial(factories.place, latitude=0, longitude=180.5),
        id="east",
    ),
    case(
        "place_longitude_range",
        partial(factories.place, latitude=0, longitude=-180),
        partial(factories.place, latitude=0, longitude=-181),
        id="west",
    ),
    case(
        "place_coordinates_paired",
        partial(factories.place, latitude=None, longitude=None),
        partial(factories.place, latitude=35.95, longitude=None),
        id="latitude-alone",
    ),
    case(
        "place_coordinates_paired",
        partial(factories.place, latitude=None, longitude=None),
        partial(factories.place, latitude=None, longitude=38.99),
        id="longitude-alone",
    ),
]

EVENT_CASES = [
    case(
        "event_end_not_before_start",
        partial(factories.event, start_date=date(2015, 9, 30), end_date=date(2015, 9, 30)),
        partial(factories.event, start_date=date(2015, 9, 30), end_date=date(2015, 9, 29)),
        id="end-before-start",
    ),
    case(
        "event_fatalities_ordered",
        partial(factories.event, fatalities_low=5, fatalities_best=5),
        partial(factories.event, fatalities_low=6, fatalities_best=5),
        id="low-above-best",
    ),
    case(
        "event_fatalities_ordered",
        partial(factories.event, fatalities_best=20, fatalities_high=20),
        partial(factories.event, fatalities_best=21, fatalities_high=20),
        id="best-above-high",
    ),
    case(
        "event_fatalities_ordered",
        partial(factories.event, fatalities_low=20, fatalities_high=20),
        partial(factories.event, fatalities_low=21, fatalities_high=20),
        id="low-above-high",
    ),
    case(
        "event_sub_type_of_type",
        partial(factories.event, event_type=EventType.BATTLES, sub_event_type=SubEventType.ARMED_CLASH),
        partial(factories.event, event_type=EventType.BATTLES, sub_event_type=SubEventType.AIR_DRONE_STRIKE),
        id="air-strike-battle",
    ),
    case(
        "event_sub_type_of_type",
        partial(factories.event, event_type=EventType.PROTESTS, sub_event_type=""),
        partial(factories.event, event_type=EventType.PROTESTS, sub_event_type="not_a_sub_type"),
        id="unknown-sub-type",
    ),
    case(
        "event_not_part_of_itself",
        pointing_at_another(factories.event, "part_of"),
        updated(factories.event, part_of=F("pk")),
        id="own-part",
    ),
    case(
        "event_actor_role_unique",
        actor_in_roles(ActorRole.PERPETRATOR, ActorRole.TARGET),
        actor_in_roles(ActorRole.PERPETRATOR, ActorRole.PERPETRATOR),
        id="same-role-twice",
    ),
]

CLAIM_CASES = [
    case(
        "claim_values_ordered",
        claim_figure(value_low=10, value_high=10),
        claim_figure(value_low=11, value_high=10),
        id="low-above-high",
    ),
    case(
        "claim_values_ordered",
        claim_figure(value_low=10, value=10),
        claim_figure(value_low=11, value=10),
        id="low-above-value",
    ),
    case(
        "claim_values_ordered",
        claim_figure(value=10, value_high=10),
        claim_figure(value=11, value_high=10),
        id="value-above-high",
    ),
    case(
        "claim_unit_has_figure",
        partial(factories.claim, unit="deaths", value_high=30),
        partial(factories.claim, unit="deaths"),
        id="unit-alone",
    ),
    case(
        "claim_figure_has_unit",
        partial(factories.claim, unit="sorties", value_low=20),
        partial(factories.claim, unit="", value_low=20),
        id="figure-alone",
    ),
    case(
        "claim_date_has_precision",
        partial(factories.claim, made_on=date(2015, 10, 1), date_precision="range"),
        partial(factories.claim, made_on=date(2015, 10, 1), date_precision=""),
        id="date-without-precision",
    ),
    case(
        "claim_date_has_precision",
        partial(factories.claim, made_on=None, date_precision=""),
        partial(factories.claim, made_on=None, date_precision="day"),
        id="precision-without-date",
    ),
    case(
        "claim_relation_unique",
        relations(("a", "b"), ("b", "a")),
        relations(("a", "b"), ("a", "b")),
        id="same-pair-twice",
    ),
    case(
        "claim_relation_not_self",
        relations(("a", "b")),
        relations(("a", "a")),
        id="self",
    ),
]

SLUG_CASES = [
    case(
        f"events_{factory.__name__}_slug_key",
        created_twice(factory, {"slug": "raqqa"}, {"slug": "raqqa-2"}),
        created_twice(factory, {"slug": "raqqa"}, {"slug": "raqqa"}),
        id="duplicate",
    )
    for factory in (factories.actor, factories.place, factories.event, factories.claim)
]

# PositiveIntegerField and PositiveBigIntegerField columns carry a `>= 0` check PostgreSQL names
# <table>_<column>_check.
NON_NEGATIVE_CASES = [
    case(
        f"events_event_{field}_check",
        updated(factories.event, **{field: 0}),
        updated(factories.event, **{field: -1}),
        id="negative",
    )
    for field in ("fatalities_low", "fatalities_best", "fatalities_high")
] + [
    case(
        f"events_claim_{field}_check",
        updated(claim_figure(**{field: 3}), **{field: 0}),
        updated(claim_figure(**{field: 3}), **{field: -1}),
        id="negative",
    )
    for field in ("value", "value_low", "value_high")
]


@pytest.mark.parametrize(
    ("constraint", "accepted", "rejected"),
    ACTOR_CASES + PLACE_CASES + EVENT_CASES + CLAIM_CASES + SLUG_CASES + NON_NEGATIVE_CASES,
)
def test_database_enforces(constraint, accepted, rejected):
    assert_constraint(constraint, accepted=accepted, rejected=rejected)


def test_bulk_insert_is_rejected_as_a_whole():
    """One bad row in a bulk_create fails the batch, and none of its rows is kept."""

    def batch(*latitudes):
        return [
            Place(slug=f"bulk-{number}", name="Bulk", country="SYR", latitude=latitude, longitude=0)
            for number, latitude in enumerate(latitudes)
        ]

    assert len(Place.objects.bulk_create(batch(10, 20))) == 2
    Place.objects.all().delete()
    with violates("place_latitude_range"):
        Place.objects.bulk_create(batch(10, 95))
    assert not Place.objects.exists()


# Cycles through references to a record of the same kind ------------------------------------------------


def chain(make, field: str, length: int):
    """`length` records, each referring to the one before by `field`: the first is the top."""
    records = [make()]
    for _ in range(length - 1):
        records.append(make(**{field: records[-1]}))
    return records


CHAINS = [
    ("actors", lambda **kw: factories.actor(**kw), "parent"),
    ("events", lambda **kw: factories.event(**kw), "part_of"),
    ("sources", lambda **kw: factories.source(**kw), "reported_in"),
]


@pytest.mark.parametrize(("collection", "make", "field"), CHAINS, ids=[c[0] for c in CHAINS])
@pytest.mark.parametrize("length", [2, 3, 5])
def test_a_reference_that_would_close_a_cycle_is_a_400_naming_the_field(collection, make, field, length):
    records = chain(make, field, length)
    top, bottom = records[0], records[-1]

    response = curator_client().patch(
        f"/api/v1/{collection}/{top.slug}/", {field: bottom.slug}, format="json"
    )

    assert error_attrs(response) == {field}
    assert "cycle" in response.json()["errors"][0]["detail"]
    top.refresh_from_db()
    assert getattr(top, f"{field}_id") is None


@pytest.mark.parametrize(("collection", "make", "field"), CHAINS, ids=[c[0] for c in CHAINS])
def test_a_chain_without_a_cycle_is_accepted(collection, make, field):
    top, middle, bottom = chain(make, field, 3)
    other = make()

    response = curator_client().patch(
        f"/api/v1/{collection}/{other.slug}/", {field: bottom.slug}, format="json"
    )

    assert response.status_code == 200, response.content


def test_the_admin_refuses_a_cycle_too(admin_client):
    top, bottom = chain(lambda **kw: factories.actor(**kw), "parent", 2)
    url = f"/admin/events/actor/{top.pk}/change/"
    form = factories.admin_form_data(admin_client.get(url))

    response = admin_client.post(url, form | {"parent": bottom.pk})

    assert response.status_code == 200  # the form again, with the error
    assert "parent" in response.context["adminform"].form.errors
    top.refresh_from_db()
    assert top.parent_id is None
