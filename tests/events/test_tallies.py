"""The tallies the aggregates read (events/tallies.py): kept by the triggers exactly as a count from
scratch would make them, whatever the write, and answering every request they take with the rows the
events and claims themselves give."""

import threading
from datetime import date

import pytest
from django.conf import settings
from django.db import connection, transaction

from conflictdb.aggregation import Tally
from events import tallies
from events.aggregates import CLAIM_AGGREGATION, EVENT_AGGREGATION
from events.dataset import load
from events.models import Claim, Event, Place
from events.tallies import CLAIM_TALLIES, EVENT_TALLIES, ClaimTally, EventYearTally
from events.vocabularies import ClaimStatus, ClaimType, EventType, SubEventType
from synthetic.loading import generate
from synthetic.removal import remove
from tests import factories

pytestmark = pytest.mark.django_db

EVENTS_URL = "/api/v1/events/aggregate/"
CLAIMS_URL = "/api/v1/claims/aggregate/"


def kept() -> tuple[set, ...]:
    """Every tally row of each table, without its id."""
    return tuple(
        {tuple(row) for row in model.objects.values_list(*field_names(model))}
        for model in (*EVENT_TALLIES, *CLAIM_TALLIES)
    )


def field_names(model) -> list[str]:
    return [field.name for field in model._meta.local_fields if field.name != "id"]


def assert_counted_as_from_scratch():
    """The tallies the triggers kept are those a count from scratch makes (and not empty)."""
    before = kept()
    with transaction.atomic():
        tallies.rebuild()
        recounted = kept()
        transaction.set_rollback(True)
    assert before == recounted
    assert all(before)


def test_the_curated_load_is_counted():
    load([settings.BASE_DIR / "fixtures"])
    assert_counted_as_from_scratch()
    for model in EVENT_TALLIES:
        assert sum(row.events for row in model.objects.all()) == Event.objects.count(), model
    assert sum(row.claims for row in ClaimTally.objects.all()) == Claim.objects.count()


def test_every_kind_of_write_keeps_the_tallies_exact():
    load([settings.BASE_DIR / "fixtures"])
    syria, iraq = factories.place(country="SYR"), factories.place(country="IRQ")
    event = factories.event(place=syria, start_date=date(2015, 10, 30), end_date=date(2015, 11, 2))
    other = factories.event(place=iraq, fatalities_low=2, fatalities_best=3, fatalities_high=9)
    assert_counted_as_from_scratch()

    Event.objects.filter(pk=event.pk).update(
        event_type=EventType.BATTLES, sub_event_type=SubEventType.ARMED_CLASH
    )
    Event.objects.filter(pk=event.pk).update(start_date=date(2015, 11, 1), fatalities_best=40)
    Event.objects.filter(pk=other.pk).update(place=None)
    assert_counted_as_from_scratch()

    claimant = factories.actor()
    one = factories.claim(
        event=event, claimant=claimant, claim_type=ClaimType.CASUALTY_COUNT, value=40, unit="deaths"
    )
    two = factories.claim(
        event=event, claim_type=ClaimType.CASUALTY_COUNT, value_low=10, value_high=90, unit="deaths"
    )
    factories.claim_relation(from_claim=two, to_claim=one)  # the event is disputed now
    assert Event.objects.get(pk=event.pk).disputed
    assert_counted_as_from_scratch()

    Claim.objects.filter(pk=one.pk).update(status=ClaimStatus.CONTESTED, value=7)
    Claim.objects.filter(pk=two.pk).update(claimant=claimant, value_is_lower_bound=True)
    Claim.objects.filter(pk=one.pk).update(event=other)  # moved: both events' claim counts change
    assert_counted_as_from_scratch()

    Place.objects.filter(pk=syria.pk).update(country="TUR")  # its events move with it
    assert_counted_as_from_scratch()

    Claim.objects.filter(pk__in=[one.pk, two.pk]).delete()
    Event.objects.filter(pk=event.pk).delete()
    with connection.cursor() as cursor:  # a bulk write from outside the application
        cursor.execute("UPDATE events_event SET fatalities_best = 1 WHERE fatalities_best IS NULL")
    assert_counted_as_from_scratch()


def test_a_synthetic_load_and_its_removal_are_counted():
    load([settings.BASE_DIR / "fixtures"])
    curated = kept()
    generate(events=400, seed=5)
    assert_counted_as_from_scratch()
    assert sum(row.events for row in EventYearTally.objects.all()) == Event.objects.count()
    remove()
    assert kept() == curated


def test_claims_inserted_together_widen_the_tallies_they_join():
    """An insert adds to the tallies (counts summed, extremes widened) rather than counting again: many
    claims in one statement, some joining tallies that exist, some narrower, some wider, some new."""
    load([settings.BASE_DIR / "fixtures"])
    claimant, source = factories.actor(), factories.source()
    kinds = dict(claimant=claimant, source=source, claim_type=ClaimType.CASUALTY_COUNT, unit="deaths")
    factories.claim(**kinds, value=10, value_low=5, value_high=20)
    factories.claim(**kinds, value_low=3, value_is_lower_bound=True, status=ClaimStatus.CONTESTED)
    assert_counted_as_from_scratch()
    written = [
        dict(value=4, value_low=2, value_high=30),  # below the least value, above the greatest high
        dict(value=12),  # within
        dict(value=None, value_low=1, value_is_lower_bound=True),
        dict(value=7, status=ClaimStatus.CONTESTED),  # joins the other tally
        dict(value=99, unit="people"),  # a tally of its own
        dict(value=50, claim_type=ClaimType.STRIKE_REPORT),
    ]
    Claim.objects.bulk_create(
        Claim(slug=f"together-{n}", statement=f"Claim {n}", **(kinds | values))
        for n, values in enumerate(written)
    )
    assert_counted_as_from_scratch()
    deaths = ClaimTally.objects.get(
        claimant_id=claimant.id,
        claim_type=ClaimType.CASUALTY_COUNT,
        unit="deaths",
        status=ClaimStatus.UNVERIFIED,
    )
    assert (deaths.claims, deaths.value_min, deaths.value_max, deaths.value_high_max) == (4, 4, 12, 30)


def test_an_emptied_tally_is_gone():
    event = factories.event()
    assert [model.objects.count() for model in EVENT_TALLIES] == [1, 1, 1]  # its days, months, year
    Event.objects.filter(pk=event.pk).delete()
    assert not any(model.objects.exists() for model in EVENT_TALLIES)


def every_request():
    """Groupings and filters the tallies take, and a few they do not (answered from the records)."""
    groupings = [
        "country",
        "event_type",
        "sub_event_type",
        "country,year",
        "country,quarter",
        "country,month",
    ]
    groupings += ["event_type,week", "sub_event_type,day", "country,event_type,month", "year"]
    filters = [
        {},
        {"country": "syr,IRQ"},
        {"event_type": "battles,explosions_remote_violence"},
        {"date_from": "2015-01-01", "date_to": "2016-12-31"},  # the months' edges
        {"date_from": "2015-01-15", "date_to": "2016-06-14"},  # within months: the days' grain
        {"country": "SYR", "sub_event_type": "air_drone_strike", "date_to": "2016-02-29"},
    ]
    for group_by in groupings:
        for given in filters:
            yield EVENTS_URL, {"group_by": group_by, **given}
    yield (
        EVENTS_URL,
        {"group_by": "country,month", "date_from": "2015-01-01", "date_to": "2015-12-31", "fill": "true"},
    )
    yield EVENTS_URL, {"group_by": "country", "ordering": "-fatalities_best,country", "limit": "3"}
    yield EVENTS_URL, {"group_by": "country", "disputed": "true"}  # not a tally's filter
    yield EVENTS_URL, {"group_by": "admin1,year"}  # not a tally's key
    for group_by in ["claimant", "claimant,status", "claim_type,unit", "status", "claimant,claim_type,unit"]:
        for given in [{}, {"status": "unverified,contested"}, {"claim_type": "casualty_count"}]:
            yield CLAIMS_URL, {"group_by": group_by, **given}
    yield CLAIMS_URL, {"group_by": "claimant,status", "ordering": "-claims", "limit": "5"}
    yield CLAIMS_URL, {"group_by": "claimant,month"}  # not a tally's period


@pytest.fixture
def dataset():
    load([settings.BASE_DIR / "fixtures"])
    generate(events=600, seed=11)


def test_a_tally_answers_as_the_records_do(api, dataset, monkeypatch, django_assert_max_num_queries):
    tallied = 0
    for url, params in every_request():
        with django_assert_max_num_queries(5) as captured:
            from_tally = api.get(url, params)
        assert from_tally.status_code == 200, (params, from_tally.content[:300])
        tallied += any("tally" in query["sql"] for query in captured.captured_queries)
        with monkeypatch.context() as patched:
            patched.setattr(Tally, "base", lambda self, names, given: None)
            from_records = api.get(url, params)
        assert from_tally.json() == from_records.json(), (url, params)
        assert from_tally.json()["results"] or url == CLAIMS_URL and "claim_type" in params
    assert tallied == len(list(every_request())) - 3  # all but the three the tallies do not take


def test_a_tally_answers_only_what_it_can_tell():
    tally = EVENT_AGGREGATION.tally
    day, month, year = (model._meta.db_table for model in EVENT_TALLIES)

    def table(names, given):
        return tally.base(names, given)[0].split()[3]

    assert table(["country", "year"], {}) == year
    assert table(["country", "year"], {"date_from": date(2015, 1, 1), "date_to": date(2015, 12, 31)}) == year
    assert table(["country", "year"], {"date_to": date(2016, 2, 29)}) == month
    assert table(["country", "year"], {"date_to": date(2016, 2, 28)}) == day
    assert table(["country", "month"], {"date_from": date(2015, 1, 1)}) == month
    assert table(["country", "month"], {"date_from": date(2015, 1, 15)}) == day
    assert table(["event_type", "week"], {}) == day
    assert tally.base(["country", "month"], {"date_from": date(2015, 1, 15)})[1] == [date(2015, 1, 15)]
    assert tally.base(["place"], {}) is None
    claims = CLAIM_AGGREGATION.tally
    assert (
        claims.base(["claimant", "status"], {"status": ["contested"]})[0].split()[3]
        == "events_claimstatustally"
    )
    assert claims.base(["claimant"], {"claim_type": ["casualty_count"]})[0].split()[3] == "events_claimtally"
    assert tally.base(["country"], {"search": "Hama"}) is None


def waits_for_a_lock(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return bool(row and row[0])


@pytest.mark.django_db(transaction=True)
def test_an_event_added_at_a_place_moving_to_another_country_is_counted_there():
    """A curator moves a place to another country while another adds an event there: the second writer
    reads the place's country once the first has committed (its lock on the place waits), so the event
    is counted in the new country. Reading it at once, it would count the old one, and the move, which
    could not see the new event, would not correct it."""
    place = factories.place(country="SYR")
    moved, started, errors = threading.Event(), {}, []

    def add_an_event():
        try:
            moved.wait(10)
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                started["pid"] = cursor.fetchone()[0]
            factories.event(place=place, event_type=EventType.BATTLES, sub_event_type="")
        except Exception as error:  # noqa: BLE001 (reported by the test below)
            errors.append(error)
        finally:
            connection.close()

    other = threading.Thread(target=add_an_event)
    other.start()
    with transaction.atomic():
        Place.objects.filter(pk=place.pk).update(country="IRQ")
        moved.set()
        for _ in range(200):  # until the other writer waits for this one
            if "pid" in started and waits_for_a_lock(started["pid"]):
                break
            threading.Event().wait(0.05)
        waited = "pid" in started and waits_for_a_lock(started["pid"])
    other.join(20)
    assert not errors and waited
    for model in EVENT_TALLIES:
        rows = {(row.country, row.event_type, row.events) for row in model.objects.all()}
        assert rows == {("IRQ", EventType.BATTLES, 1)}, model
