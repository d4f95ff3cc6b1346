"""Filters of the events collection, through the API as clients use them."""

import csv
import io
import re
from datetime import date

import pytest
from django.http import QueryDict

from events.filtersets import EventFilterSet
from events.vocabularies import ActorRole, ClaimRelationKind, EventType, SubEventType
from sources.models import SourceKind
from tests import factories
from tests.api_testing import error_parameters

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/events/"


def matching(api, **params) -> set[str]:
    response = api.get(EVENTS, params)
    assert response.status_code == 200, response.content
    return {event["slug"] for event in response.json()["results"]}


def test_country_is_the_places_alpha3_code_in_any_case(api):
    raqqa = factories.event(place=factories.place(country="SYR"))
    mosul = factories.event(place=factories.place(country="IRQ"))
    factories.event(place=factories.place(country="TUR"))
    factories.event(place=None)

    assert matching(api, country="SYR") == {raqqa.slug}
    assert matching(api, country="syr") == {raqqa.slug}
    assert matching(api, country="SYR, IRQ") == {raqqa.slug, mosul.slug}


@pytest.mark.parametrize("country", ["SY", "Syria", "SYR;IRQ", "760"])
def test_country_not_in_alpha3_form_is_a_400(api, country):
    assert error_parameters(api.get(EVENTS, {"country": country})) == {"country"}


def test_dates_match_events_whose_range_overlaps(api):
    spanning = factories.event(start_date=date(2015, 9, 30), end_date=date(2015, 10, 3))
    earlier = factories.event(start_date=date(2015, 9, 20), end_date=date(2015, 9, 25))
    later = factories.event(start_date=date(2015, 10, 5), end_date=date(2015, 10, 5))

    assert matching(api, date_from="2015-10-02") == {spanning.slug, later.slug}
    assert matching(api, date_from="2015-10-03") == {spanning.slug, later.slug}
    assert matching(api, date_from="2015-10-04") == {later.slug}
    assert matching(api, date_to="2015-10-01") == {spanning.slug, earlier.slug}
    assert matching(api, date_to="2015-09-30") == {spanning.slug, earlier.slug}
    assert matching(api, date_from="2015-10-02", date_to="2015-10-04") == {spanning.slug}
    assert matching(api, date_from="2015-09-26", date_to="2015-09-29") == set()


@pytest.mark.parametrize(
    ("parameter", "value"),
    [("date_from", "2015-13-01"), ("date_from", "3 October"), ("date_to", "2015-02-30"), ("date_to", "x")],
)
def test_malformed_date_is_a_400_naming_the_parameter(api, parameter, value):
    assert error_parameters(api.get(EVENTS, {parameter: value})) == {parameter}


def test_event_type_takes_several_comma_separated_values(api):
    strike = factories.event(event_type=EventType.EXPLOSIONS_REMOTE_VIOLENCE)
    clash = factories.event(event_type=EventType.BATTLES, sub_event_type=SubEventType.ARMED_CLASH)
    factories.event(event_type=EventType.PROTESTS, sub_event_type=SubEventType.PEACEFUL_PROTEST)

    assert matching(api, event_type="battles") == {clash.slug}
    assert matching(api, event_type="battles,explosions_remote_violence") == {clash.slug, strike.slug}
    assert error_parameters(api.get(EVENTS, {"event_type": "battles,air_raid"})) == {"event_type"}


def test_actor_and_actor_role_combine_into_the_actor_in_that_role(api):
    russia, isis, rebels = factories.actor(), factories.actor(), factories.actor()
    russia_strikes_isis = factories.event(actors=[(russia, ActorRole.PERPETRATOR), (isis, ActorRole.TARGET)])
    isis_attacks_russia = factories.event(actors=[(isis, ActorRole.PERPETRATOR), (russia, ActorRole.TARGET)])
    rebels_clash = factories.event(actors=[(rebels, ActorRole.PERPETRATOR)])
    factories.event()

    assert matching(api, actor=russia.slug) == {russia_strikes_isis.slug, isis_attacks_russia.slug}
    assert matching(api, actor=f"{russia.slug},{rebels.slug}") == {
        russia_strikes_isis.slug,
        isis_attacks_russia.slug,
        rebels_clash.slug,
    }
    assert matching(api, actor=russia.slug, actor_role="perpetrator") == {russia_strikes_isis.slug}
    assert matching(api, actor=russia.slug, actor_role="target") == {isis_attacks_russia.slug}
    assert matching(api, actor_role="target") == {russia_strikes_isis.slug, isis_attacks_russia.slug}
    assert matching(api, actor=rebels.slug, actor_role="target") == set()


def test_unknown_actor_slug_or_role_is_a_400(api):
    known = factories.actor()

    assert error_parameters(api.get(EVENTS, {"actor": f"{known.slug},no-such-actor"})) == {"actor"}
    assert error_parameters(api.get(EVENTS, {"actor_role": "bystander"})) == {"actor_role"}


def test_claimant(api):
    monitor = factories.actor()
    reported = factories.event()
    factories.claim(claimant=monitor, event=reported)
    elsewhere = factories.event()
    factories.claim(event=elsewhere)
    factories.claim(claimant=monitor)  # a claim about no event

    assert matching(api, claimant=monitor.slug) == {reported.slug}
    assert error_parameters(api.get(EVENTS, {"claimant": "no-such-actor"})) == {"claimant"}


def test_source_includes_claims_from_sources_reported_in_it(api):
    article = factories.source()
    interview = factories.source(kind=SourceKind.INTERVIEW, reported_in=article)
    from_interview = factories.event()
    factories.claim(source=interview, event=from_interview)
    from_article = factories.event()
    factories.claim(source=article, event=from_article)
    from_another = factories.event()
    factories.claim(source=factories.source(), event=from_another)

    assert matching(api, source=article.slug) == {from_interview.slug, from_article.slug}
    assert matching(api, source=interview.slug) == {from_interview.slug}
    assert error_parameters(api.get(EVENTS, {"source": "no-such-source"})) == {"source"}


def disputed(api, value: str) -> set[str]:
    """The events `disputed=value` finds. A page looks row by row and an export hashes every
    contradiction first (Event.disputed): both must find the same events."""
    listed = matching(api, disputed=value)
    response = api.get(EVENTS, {"disputed": value, "format": "csv"})
    exported = csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))
    assert {row["slug"] for row in exported} == listed
    return listed


def test_disputed_means_some_claims_contradict(api):
    contested = factories.event()
    claims = [factories.claim(event=contested) for _ in range(2)]
    factories.claim_relation(from_claim=claims[1], to_claim=claims[0], kind=ClaimRelationKind.CONTRADICTS)
    corroborated = factories.event()
    claims = [factories.claim(event=corroborated) for _ in range(2)]
    factories.claim_relation(from_claim=claims[1], to_claim=claims[0], kind=ClaimRelationKind.SUPPORTS)
    unclaimed = factories.event()

    assert disputed(api, "true") == {contested.slug}
    assert disputed(api, "false") == {corroborated.slug, unclaimed.slug}


def test_disputed_counts_a_contradiction_from_a_claim_about_another_record(api):
    """An event's claim contradicted by a claim that is about no event still disputes the event."""
    contested = factories.event()
    factories.claim_relation(from_claim=factories.claim(), to_claim=factories.claim(event=contested))

    assert disputed(api, "true") == {contested.slug}


@pytest.mark.parametrize("value", ["maybe", "yes please"])
def test_disputed_other_than_true_or_false_is_a_400(api, value):
    factories.event()

    assert error_parameters(api.get(EVENTS, {"disputed": value})) == {"disputed"}


def test_fatalities_range_is_on_the_best_estimate(api):
    few = factories.event(fatalities_low=3, fatalities_best=5, fatalities_high=8)
    many = factories.event(fatalities_best=20)
    factories.event()  # unknown fatalities match no bound

    assert matching(api, fatalities_min=10) == {many.slug}
    assert matching(api, fatalities_max=10) == {few.slug}
    assert matching(api, fatalities_min=5, fatalities_max=20) == {few.slug, many.slug}
    assert error_parameters(api.get(EVENTS, {"fatalities_min": -1})) == {"fatalities_min"}
    assert error_parameters(api.get(EVENTS, {"fatalities_max": "many"})) == {"fatalities_max"}


def test_bbox_is_min_lon_min_lat_max_lon_max_lat(api):
    raqqa = factories.event(place=factories.place(latitude=35.95, longitude=39.01))
    homs = factories.event(place=factories.place(latitude=34.73, longitude=36.72))
    factories.event(place=factories.place(latitude=33.31, longitude=44.36))  # Baghdad
    factories.event(place=factories.place(latitude=None, longitude=None))
    factories.event(place=None)

    assert matching(api, bbox="38.5,35.5,39.5,36.5") == {raqqa.slug}
    assert matching(api, bbox="35,34,40,37") == {raqqa.slug, homs.slug}
    assert matching(api, bbox="39.01,35.95,39.01,35.95") == {raqqa.slug}


@pytest.mark.parametrize(
    "bbox",
    [
        "35,34,40",
        "35,34,40,37,1",
        "a,b,c,d",
        "40,34,35,37",
        "35,37,40,34",
        "35,34,190,37",
        "35,-95,40,37",
        "nan,34,40,37",
    ],
)
def test_malformed_bbox_is_a_400_naming_bbox(api, bbox):
    assert error_parameters(api.get(EVENTS, {"bbox": bbox})) == {"bbox"}


def test_several_bad_parameters_are_named_together(api):
    response = api.get(EVENTS, {"date_from": "soon", "bbox": "1,2", "colour": "red"})

    assert error_parameters(response) == {"date_from", "bbox", "colour"}


def test_a_slug_filter_compares_keys_so_the_planner_sees_the_value(api, django_assert_num_queries):
    """`place=<slug>` becomes `place_id IN (<key>)`: PostgreSQL's statistics then tell a place with
    many events from one with few (a join on the place's slug is planned as the average place)."""
    raqqa = factories.place(slug="raqqa")
    event = factories.event(place=raqqa)
    factories.event()

    with django_assert_num_queries(3) as queries:  # the data version, the slug, the page (the whole result)
        assert matching(api, place="raqqa") == {event.slug}

    page = queries.captured_queries[-1]["sql"]
    assert f'"events_event"."place_id" IN ({raqqa.pk})' in page
    assert '"events_place"."slug" IN' not in page


def ordered(api, ordering: str) -> list[str]:
    response = api.get(EVENTS, {"ordering": ordering})
    assert response.status_code == 200, response.content
    return [event["slug"] for event in response.json()["results"]]


def test_ordering_by_fatalities_puts_unknown_figures_last_either_way(api):
    unknown = factories.event(slug="unknown")
    few = factories.event(slug="few", fatalities_best=5)
    many = factories.event(slug="many", fatalities_best=20)
    also_many = factories.event(slug="also-many", fatalities_best=20)

    assert ordered(api, "-fatalities_best") == [also_many.slug, many.slug, few.slug, unknown.slug]
    assert ordered(api, "fatalities_best") == [few.slug, also_many.slug, many.slug, unknown.slug]
    assert ordered(api, "-title")[0] == unknown.slug  # a field that is never empty: as given


def test_filter_sets_alive_together_each_filter_by_their_own_values():
    """Each FilterSet binds its own copies of the class's filters (copied shallowly, conflictdb/filters.py):
    a method filter reads its own FilterSet's values, and a form validates its own parameters."""
    gunner, raider = factories.actor(), factories.actor()
    shelling = factories.event(actors=[(gunner, ActorRole.PERPETRATOR)])
    raid = factories.event(actors=[(raider, ActorRole.PERPETRATOR)])

    first = EventFilterSet({"actor": gunner.slug})
    second = EventFilterSet({"actor": raider.slug})
    refused = EventFilterSet({"actor": "nobody-of-that-name"})

    assert not refused.is_valid()
    assert {event.slug for event in second.qs} == {raid.slug}
    assert {event.slug for event in first.qs} == {shelling.slug}
    assert first.filters["actor"] is not second.filters["actor"]
    assert not hasattr(EventFilterSet.base_filters["actor"], "parent")  # the class's own, never bound


def test_a_requests_form_holds_the_parameters_given_and_the_browsable_form_every_filter(api):
    """Absent filters filter nothing: the form bound to a request cleans the given ones only. The
    browsable API's filter form still offers every filter, with the given values filled in."""
    bound = EventFilterSet(QueryDict("country=syr&date_from=2015-01-01&actor_role=target"))

    assert bound.is_valid()
    assert set(bound.form.fields) == {"country", "date_from", "actor_role"}
    assert set(EventFilterSet().form.fields) == set(EventFilterSet.base_filters)
    assert not EventFilterSet(QueryDict("date_from=someday")).is_valid()

    page = api.get(EVENTS, {"country": "syr"}, HTTP_ACCEPT="text/html").content.decode()
    offered = set(re.findall(r'<input[^>]* name="(\w+)"|<select[^>]* name="(\w+)"', page))
    assert {name for pair in offered for name in pair if name} >= set(EventFilterSet.base_filters)
    assert re.search(r'<input[^>]* name="country"[^>]* value="syr"', page)
